"""The gated-article step of ``make bench`` (issue #17).

A gated article is kept in the page cache once per kind of access pass
(cache/wsgi.py), never per reader. The step measures the demo's gated
article with no cookie (the baseline: the preview everyone without a pass
shares) and with a paid member's signed pass (the whole article), with the
same wrk command in the same run; the target is the member's throughput
within 20% of the anonymous one.
"""

# ruff: noqa: S603 - runs the project's own command on a local database

from __future__ import annotations

import subprocess
import time
from typing import Any

import harness
from harness import say

# Prints the demo's gated article's path and a paid member's pass cookie,
# signed with the bench site's secret as the account pages sign it.
PASS = f"""
from django.conf import settings
from masthead.content.models import ArticlePage
from masthead.core import grants
from masthead.demo.gated import GATED_SLUG
from masthead.memberships.models import Tier
article = ArticlePage.objects.get(slug=GATED_SLUG, locale__language_code="en")
tier = Tier.objects.get(slug="supporter")
value = grants.sign(grants.Grant(frozenset({{tier.pk}})), {time.time() + 86400:.0f})
print(article.url)
print(f"{{settings.MASTHEAD_ACCESS_COOKIE}}={{value}}")
"""
TARGET_SHARE = 0.8
GATED_PART_MARK = 'class="article__body rich-text article-gated"'


def gated_article(run: Any) -> tuple[str, str]:
    """The gated article's path and ``name=value`` of a paid member's pass."""
    result = subprocess.run(
        [str(harness.MASTHEAD), "shell", "-c", PASS],
        env=run.env(),
        check=True,
        capture_output=True,
        text=True,
    )
    path, cookie = result.stdout.strip().splitlines()[-2:]
    return path, cookie


def step_gated(run: Any) -> None:
    """The cached gated article's throughput for a paid member vs. anonymous."""
    duration = run.args.duration
    say(f"\n## Gated article (wrk -t1 -c32 -d{duration}s, cached)")
    path, cookie = gated_article(run)
    url = run.app("cached") + path
    headers = {"Cookie": cookie}
    preview = harness.get(url).body.decode("utf-8", "replace")
    full = harness.get(url, headers=headers).body.decode("utf-8", "replace")
    if GATED_PART_MARK in preview or GATED_PART_MARK not in full:
        run.notes.append("gated: the preview or the member's page is not as expected.")
    harness.warm(url, 5)
    anonymous = harness.wrk(url, connections=32, duration=duration)
    seen = harness.get(url, headers=headers).header("x-masthead-cache")
    member = harness.wrk(url, connections=32, duration=duration, headers=headers)
    run.data["gated"] = {
        "path": path,
        "anonymous": anonymous.as_dict(),
        "paid_member": member.as_dict(),
        "member_cache_status": seen,
    }
    share = member.rps / anonymous.rps if anonymous.rps else 0.0
    run.add(
        "gated",
        "gated article, anonymous (preview)",
        f"{anonymous.rps:,.0f} req/s, p99 {_ms(anonymous.p99_ms)}",
        "",
        "baseline",
    )
    run.add(
        "gated",
        "gated article, paid member (whole)",
        f"{member.rps:,.0f} req/s = {share:.2f} x anonymous, p99 {_ms(member.p99_ms)}",
        f"X-Masthead-Cache {seen or 'absent'}",
        f">= {TARGET_SHARE:.2f} x anonymous",
        "PASS" if share >= TARGET_SHARE else "MISS",
    )


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} ms"
