"""The floods step of ``make bench`` (issue #13): cached pages under a flood.

A reader asks for the cached front page (``wrk -t1 -c4 --latency``) alone,
then while a second wrk holds ``BENCH_FLOOD_CONNECTIONS`` (1,000)
connections asking for URLs the cache cannot answer: unknown paths (404s,
each URL new), then searches (each query string new). Both wrk processes
run on the load core and the app on the server core, as in every step; the
reader's figures are printed beside its baseline from the same run, and the
flood's answers are counted by status (the render gate answers 503).
"""

# ruff: noqa: S603 - runs local tools (wrk) on loopback URLs only

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import harness
from harness import say

# Counts the flood's answers by status in each wrk thread; ``done`` prints
# them, read back by ``statuses``.
LUA_COMMON = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {} ; math.randomseed(os.time() + math.random(1e6)) end
function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      io.write(string.format("status %d %d\\n", status, n))
    end
  end
end
"""
LUA_MISSING = """
request = function()
  return wrk.format(nil, "/no-such-page-" .. math.random(1, 2^31) .. "/")
end
"""
LUA_SEARCH = """
local words = {%s}
request = function()
  local word = words[math.random(#words)]
  return wrk.format(nil, "/search/?q=" .. word .. "&n=" .. math.random(1, 2^31))
end
"""
READER_CONNECTIONS = 4
# Seconds the flood runs before the reader starts, so it measures the flood
# at full strength rather than its ramp.
RAMP_SECONDS = 2


def flood_connections() -> int:
    return int(os.environ.get("BENCH_FLOOD_CONNECTIONS", "1000"))


def search_words(base: str) -> list[str]:
    """Words from the front page's article links, so searches find something."""
    page = harness.parse_html(harness.get(base + "/").text)
    words = {
        word
        for href, _ in page.anchors
        if re.fullmatch(r"/[\w-]+/[\w-]+/", href)
        for word in href.strip("/").split("/")[1].split("-")
        if len(word) >= 5 and word.isalpha()
    }
    return sorted(words)[:40] or ["news"]


def reader(url: str, duration: int) -> harness.WrkResult:
    """The reader: wrk with a long timeout, so a slow answer is measured."""
    argv = harness.pinned(
        harness.LOAD_CORE,
        [
            "wrk",
            "-t1",
            f"-c{READER_CONNECTIONS}",
            f"-d{duration}s",
            "--timeout",
            "30s",
            "--latency",
            url,
        ],
    )
    result = subprocess.run(
        argv, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed on {url}: {result.stderr.strip()}")
    return harness.parse_wrk(result.stdout, url, READER_CONNECTIONS, duration)


def statuses(text: str) -> dict[int, int]:
    counts: dict[int, int] = {}
    for status, count in re.findall(r"^status (\d+) (\d+)$", text, re.MULTILINE):
        counts[int(status)] = counts.get(int(status), 0) + int(count)
    return counts


def under_flood(
    work_dir: Path, base: str, url: str, lua: str, duration: int
) -> tuple[harness.WrkResult, harness.WrkResult, dict[int, int]]:
    """The reader's figures while a flood runs; the flood's own and its statuses."""
    script = work_dir / f"flood-{abs(hash(lua))}.lua"
    script.write_text(LUA_COMMON + lua, encoding="utf-8")
    connections = flood_connections()
    flood_seconds = duration + RAMP_SECONDS + 1
    argv = harness.pinned(
        harness.LOAD_CORE,
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{flood_seconds}s",
            "--latency",
            "-s",
            str(script),
            base + "/",
        ],
    )
    flood = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        time.sleep(RAMP_SECONDS)
        seen = reader(url, duration)
        out, err = flood.communicate(timeout=flood_seconds + 60)
    except BaseException:
        flood.kill()
        flood.wait()
        raise
    if flood.returncode != 0:
        raise RuntimeError(f"the flood's wrk failed: {err.strip()}")
    flood_result = harness.parse_wrk(out, base, connections, flood_seconds)
    return seen, flood_result, statuses(out)


def answer_mix(counts: dict[int, int]) -> str:
    total = sum(counts.values()) or 1
    return ", ".join(
        f"{status}: {count:,} ({count / total:.0%})"
        for status, count in sorted(counts.items())
    )


def step_floods(run: Any) -> None:
    """Cached front page p50/p99 alone, under a 404 flood and a search flood."""
    duration = run.args.duration
    connections = flood_connections()
    say(
        f"\n## Floods (reader: wrk -c{READER_CONNECTIONS} -d{duration}s on the "
        f"cached front page; flood: {connections:,} connections)"
    )
    base = run.app("cached")
    url = base + "/"
    warmed = harness.warm(url, 5)
    if warmed.header("x-masthead-cache") != "hit":
        run.notes.append("floods: the front page was not a cache hit before the run.")
    alone = reader(url, duration)
    run.data["floods"] = {"alone": alone.as_dict(), "connections": connections}
    run.add(
        "floods",
        "cached front page alone, p50 / p99",
        f"{run_ms(alone.p50_ms)} / {run_ms(alone.p99_ms)}",
        f"{alone.rps:,.0f} req/s",
        "baseline",
    )
    floods = {
        "404 flood": LUA_MISSING,
        "search flood": LUA_SEARCH
        % ", ".join(f'"{word}"' for word in search_words(base)),
    }
    for name, lua in floods.items():
        seen, flood, counts = under_flood(run.work_dir, base, url, lua, duration)
        run.data["floods"][name] = {
            "reader": seen.as_dict(),
            "flood": flood.as_dict(),
            "statuses": counts,
        }
        if seen.timeouts or seen.errors:
            run.notes.append(
                f"floods, {name}: the reader had {seen.timeouts} timeouts and "
                f"{seen.errors} socket errors."
            )
        if not seen.requests:
            # Case: not one answer within the run (wrk then prints zeros).
            value, ratio = f"no answer within {duration} s", ""
        else:
            value = f"{run_ms(seen.p50_ms)} / {run_ms(seen.p99_ms)}"
            ratio = (
                f"{seen.p99_ms / alone.p99_ms:.1f}x the baseline p99; "
                f"{seen.requests:,} answers"
                if seen.p99_ms and alone.p99_ms
                else ""
            )
        run.add(
            "floods", f"cached front page during a {name}, p50 / p99", value, ratio, ""
        )
        run.add(
            "floods",
            f"{name}: answers",
            f"{flood.rps:,.0f} req/s",
            answer_mix(counts),
            "",
        )


def run_ms(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.2f} ms"
