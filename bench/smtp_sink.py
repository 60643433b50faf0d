"""A fast SMTP sink for the newsletter benchmark (#16): accepts and discards.

aiosmtpd parses every command through its generic state machine and hands
each message to a handler; at several hundred messages a second it can
use more CPU than the sender it measures. This sink speaks just enough SMTP
(EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; PIPELINING) on asyncio streams, counts
the messages accepted and their bytes, and with ``--out`` appends them to
one file. SIGTERM or SIGINT prints ``messages bytes`` and exits.

    python bench/smtp_sink.py --port 2525 [--out /tmp/sink.mbox]
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from typing import BinaryIO

EHLO_REPLY = b"250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n"


class Sink:
    def __init__(self, out: BinaryIO | None) -> None:
        self.out = out
        self.messages = 0
        self.bytes = 0

    async def session(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        writer.write(b"220 sink ESMTP\r\n")
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                verb = line[:4].upper()
                if verb == b"DATA":
                    writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    chunks = []
                    while True:
                        chunk = await reader.readuntil(b"\r\n")
                        if chunk == b".\r\n":
                            break
                        chunks.append(chunk)
                    data = b"".join(chunks)
                    self.messages += 1
                    self.bytes += len(data)
                    if self.out is not None:
                        self.out.write(data)
                        self.out.write(b"\r\n")
                    writer.write(b"250 2.0.0 OK queued\r\n")
                elif verb in {b"EHLO"}:
                    writer.write(EHLO_REPLY)
                elif verb == b"QUIT":
                    writer.write(b"221 Bye\r\n")
                    await writer.drain()
                    return
                elif verb in {b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"}:
                    writer.write(b"250 OK\r\n")
                else:
                    writer.write(b"502 5.5.2 Command not recognised\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            # The sender died mid-DATA: an aborted transaction, not a message.
            return
        finally:
            writer.close()


async def serve(host: str, port: int, out: BinaryIO | None) -> None:
    sink = Sink(out)
    server = await asyncio.start_server(sink.session, host, port, limit=1 << 20)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()
    sys.stdout.write(f"{sink.messages} {sink.bytes}\n")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", help="append every message to this file")
    args = parser.parse_args()
    out = open(args.out, "ab") if args.out else None  # noqa: SIM115 - kept open
    try:
        asyncio.run(serve(args.host, args.port, out))
    finally:
        if out is not None:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
