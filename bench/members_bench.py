"""The members step of ``make bench`` (issue #16): a signed-in reader's article.

A member's session cookie is not staff's: the page cache and Varnish serve
members the shared public page (members/session.py), and the member's own
bits come from ``/account/``. The step measures the cached article with no
cookie (the baseline) and with a signed-in member's cookie, with the same wrk
command in the same run; the target is at least half the anonymous figure.
"""

# ruff: noqa: S603 - runs the project's own command on a local database

from __future__ import annotations

import subprocess
from typing import Any

import harness
from harness import say

# Signs a member in on the bench's own database and prints the cookie.
SIGN_IN = """
from django.conf import settings
from masthead.members.models import Member
from masthead.members.session import GENERATION_KEY, MEMBER_KEY, _store
member, _ = Member.objects.get_or_create(
    email="bench-member@example.org", defaults={"language": "en"}
)
session = _store(None)
session[MEMBER_KEY] = member.pk
session[GENERATION_KEY] = member.session_generation
session.save()
print(f"{settings.MASTHEAD_MEMBER_SESSION_COOKIE}={session.session_key}")
"""
TARGET_SHARE = 0.5


def member_cookie(run: Any) -> str:
    """``name=value`` of a signed-in member's session cookie."""
    result = subprocess.run(
        [str(harness.MASTHEAD), "shell", "-c", SIGN_IN],
        env=run.env(),
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def step_members(run: Any) -> None:
    """The cached article's throughput for a signed-in member vs. anonymous."""
    duration = run.args.duration
    say(f"\n## Members (wrk -t1 -c32 -d{duration}s on the cached article)")
    url = run.app("cached") + run.article_path
    cookie = member_cookie(run)
    account = harness.get(run.app("cached") + "/account/", headers={"Cookie": cookie})
    if "bench-member@example.org" not in account.body.decode("utf-8", "replace"):
        run.notes.append("members: /account/ did not show the member's address.")
    harness.warm(url, 5)
    anonymous = harness.wrk(url, connections=32, duration=duration)
    member_headers = {"Cookie": cookie}
    seen = harness.get(url, headers=member_headers).header("x-masthead-cache")
    member = harness.wrk(url, connections=32, duration=duration, headers=member_headers)
    run.data["members"] = {
        "anonymous": anonymous.as_dict(),
        "member": member.as_dict(),
        "member_cache_status": seen,
    }
    share = member.rps / anonymous.rps if anonymous.rps else 0.0
    run.add(
        "members",
        "cached article, anonymous",
        f"{anonymous.rps:,.0f} req/s, p99 {harness_ms(anonymous.p99_ms)}",
        "",
        "baseline",
    )
    run.add(
        "members",
        "cached article, signed-in member",
        f"{member.rps:,.0f} req/s = {share:.2f} x anonymous, "
        f"p99 {harness_ms(member.p99_ms)}",
        f"X-Masthead-Cache {seen or 'absent'}",
        f">= {TARGET_SHARE:.2f} x anonymous",
        "PASS" if share >= TARGET_SHARE else "MISS",
    )


def harness_ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} ms"
