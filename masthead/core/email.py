"""HTML and plain-text email from templates, with CSS inlined (#16).

Members' and newsletters' mail is built here: ``build_message`` renders
``<prefix>_subject.txt``, ``<prefix>.txt`` and ``<prefix>.html`` (which
extends ``email/base.html``) into one ``multipart/alternative`` message.

CSS is inlined by css-inline (Rust, Servo's HTML and CSS parsers): about a
hundred times faster than premailer (lxml and cssutils, no release since
2021), which matters when a newsletter renders 100,000 messages. Mail
clients drop ``<style>`` blocks, so rules move onto the elements; ``@media``
rules stay in a ``<style>`` block for the clients that read them. Remote
stylesheets are never fetched.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_at_rules=True)


def inline_css(html: str) -> str:
    """``html`` with its ``<style>`` rules moved into ``style`` attributes."""
    inlined: str = _INLINER.inline(html)
    return inlined


def site_context() -> dict[str, Any]:
    """What ``email/base.html`` shows of the site: its name and address.

    One query (the default site's settings). A bulk sender calls it once
    and passes the result in every message's context.
    """
    from wagtail.models import Site

    from .models import SiteSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return {"site_name": settings.WAGTAIL_SITE_NAME, "site_url": ""}
    return {
        "site_name": SiteSettings.for_site(site).publication_name,
        "site_url": site.root_url,
    }


def build_message(
    template_prefix: str,
    context: Mapping[str, Any],
    to: Sequence[str],
    from_email: str | None = None,
    reply_to: Sequence[str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> EmailMultiAlternatives:
    """An email with a plain-text body and an HTML alternative.

    Args:
        template_prefix: e.g. ``"members/welcome"`` for
            ``members/welcome_subject.txt``, ``.txt`` and ``.html``.
        context: the templates' context; ``site_name`` and ``site_url`` are
            looked up (``site_context()``) when missing.
        to: the recipients.
        from_email: ``DEFAULT_FROM_EMAIL`` when ``None``.
        reply_to: addresses replies go to.
        headers: extra headers, e.g. ``List-Unsubscribe``.

    Returns:
        The message, not sent: call ``send()`` or pass it to a connection's
        ``send_messages``.
    """
    full = dict(context)
    if "site_name" not in full:
        full = {**site_context(), **full}
    full.setdefault("language_code", translation.get_language() or "en")
    full.setdefault("language_bidi", translation.get_language_bidi())
    # A subject is one header line: template line breaks would split it.
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", full).split())
    text = render_to_string(f"{template_prefix}.txt", full)
    html = inline_css(render_to_string(f"{template_prefix}.html", full))
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to) if reply_to else None,
        headers=dict(headers) if headers else None,
    )
    message.attach_alternative(html, "text/html")
    return message
