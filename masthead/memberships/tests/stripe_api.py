"""A stand-in for api.stripe.com on 127.0.0.1, for the Stripe tests (#17).

It answers the four calls Masthead makes, as Stripe documents them:
``POST /v1/checkout/sessions``, ``POST /v1/billing_portal/sessions``,
``GET /v1/invoice_payments`` (which invoice a PaymentIntent paid, asked when
a charge is refunded) and ``DELETE /v1/subscriptions/<id>`` (an erasure).
Every request is kept with its form-encoded parameters exactly as they went
over the wire (``line_items[0][price]``), so tests assert what Masthead sent.
No network beyond the loopback.

    with stripe_api() as api:
        url = StripeProvider(api_key="sk_test_x", api_base=api.url).start_checkout(…)
        assert api.calls[-1].params["mode"] == "subscription"
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Call:
    """One request the stand-in received."""

    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class StripeAPI:
    """What the stand-in heard, and how it answers."""

    url: str = ""
    calls: list[Call] = field(default_factory=list)
    # PaymentIntent id → the invoice it paid (GET /v1/invoice_payments).
    invoice_payments: dict[str, str] = field(default_factory=dict)
    # (HTTP status, Stripe error type) to answer every request with.
    error: tuple[int, str] | None = None

    def to(self, path: str) -> list[Call]:
        """The calls made to ``path``."""
        return [call for call in self.calls if call.path == path]


_serial = itertools.count(1)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._answer("POST", self.rfile.read(length).decode())

    def do_GET(self) -> None:
        self._answer("GET", urlsplit(self.path).query)

    def do_DELETE(self) -> None:
        self._answer("DELETE", urlsplit(self.path).query)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read ``calls``, not a log."""

    def _answer(self, method: str, form: str) -> None:
        api = self.server.api
        path = urlsplit(self.path).path
        params = dict(parse_qsl(form, keep_blank_values=True))
        api.calls.append(Call(method, path, params, dict(self.headers.items())))
        if api.error:
            status, kind = api.error
            self._send(status, {"error": {"type": kind, "message": "Stand-in error."}})
            return
        match method, path:
            case "POST", "/v1/checkout/sessions":
                self._send(200, _checkout_session(params))
            case "POST", "/v1/billing_portal/sessions":
                self._send(200, _portal_session(params))
            case "GET", "/v1/invoice_payments":
                self._send(200, _invoice_payments(api, params))
            case "DELETE", _ if path.startswith("/v1/subscriptions/sub_"):
                subscription_id = path.removeprefix("/v1/subscriptions/")
                body = {"id": subscription_id, "object": "subscription"}
                self._send(200, body | {"status": "canceled"})
            case _:
                message = f"Unrecognized request URL ({method}: {path})."
                error = {"type": "invalid_request_error", "message": message}
                self._send(404, {"error": error})

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", f"req_Test{next(_serial):08d}")
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    api: StripeAPI


def _checkout_session(params: dict[str, str]) -> dict[str, Any]:
    session_id = f"cs_test_{next(_serial):08d}"
    return {
        "id": session_id,
        "object": "checkout.session",
        "client_reference_id": params.get("client_reference_id"),
        "customer": params.get("customer"),
        "customer_email": params.get("customer_email"),
        "livemode": False,
        "mode": params.get("mode"),
        "payment_status": "unpaid",
        "status": "open",
        "success_url": params.get("success_url"),
        "cancel_url": params.get("cancel_url"),
        "url": f"https://checkout.stripe.com/c/pay/{session_id}",
    }


def _portal_session(params: dict[str, str]) -> dict[str, Any]:
    session_id = f"bps_{next(_serial):08d}"
    return {
        "id": session_id,
        "object": "billing_portal.session",
        "customer": params.get("customer"),
        "livemode": False,
        "return_url": params.get("return_url"),
        "url": f"https://billing.stripe.com/p/session/test_{session_id}",
    }


def _invoice_payments(api: StripeAPI, params: dict[str, str]) -> dict[str, Any]:
    payment_intent = params.get("payment[payment_intent]", "")
    invoice = api.invoice_payments.get(payment_intent)
    data = [
        {
            "id": f"inpay_{next(_serial):08d}",
            "object": "invoice_payment",
            "amount_paid": None,
            "currency": "eur",
            "invoice": invoice,
            "is_default": True,
            "livemode": False,
            "payment": {"type": "payment_intent", "payment_intent": payment_intent},
            "status": "paid",
        }
    ]
    return {
        "object": "list",
        "data": data if invoice else [],
        "has_more": False,
        "url": "/v1/invoice_payments",
    }


@contextmanager
def stripe_api() -> Iterator[StripeAPI]:
    """Run the stand-in on a free loopback port for the ``with`` block."""
    api = StripeAPI()
    server = _Server(("127.0.0.1", 0), _Handler)
    server.api = api
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
