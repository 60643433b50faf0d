"""Rendering an issue into a message, once per batch (#16).

The subject, text and HTML (CSS inlined) are rendered once, with markers
where each reader's links go, and each message is those parts with the
markers replaced, serialised by hand as ``multipart/alternative`` (building
an ``EmailMessage`` and serialising it cost ~9 ms a message). No tracking
pixel and no click tracking: readers' opens are nobody's business. The
sender (sending.py) hands these messages out; the admin's preview and the
web archive's links come from here too.
"""

from __future__ import annotations

import binascii
import secrets
from dataclasses import dataclass, field
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from masthead.core.email import inline_css, site_context

from .body import PICTURE_RENDITION, _absolute_links, issue_blocks
from .links import preferences_token, unsubscribe_token
from .models import Issue, Newsletter

TEMPLATE = "newsletters/email/issue"
# Stand-ins for each reader's links in the rendered parts: letters and digits
# only, so escaping, CSS inlining and quoted-printable leave them whole.
UNSUBSCRIBE_MARK = "MastheadUnsubscribeUrlX7Q"
PREFERENCES_MARK = "MastheadPreferencesUrlX7Q"


def base_url() -> str:
    """The site's address for links in mail, with no trailing slash."""
    return str(settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def unsubscribe_url(member_id: int, newsletter_id: int) -> str:
    """The absolute one-click unsubscribe link of a member and newsletter."""
    token = unsubscribe_token(member_id, newsletter_id)
    return base_url() + reverse("newsletters:unsubscribe", args=[token])


def preferences_url(member_id: int) -> str:
    """The absolute manage-preferences link of a member."""
    token = preferences_token(member_id)
    return base_url() + reverse("newsletters:preferences", args=[token])


def archive_url(issue: Issue) -> str:
    """The issue's page in the web archive ("view in browser")."""
    path = reverse(
        "newsletters:issue",
        kwargs={"slug": issue.newsletter.slug, "issue_id": issue.pk},
    )
    return base_url() + path


# --- the issue's content -----------------------------------------------------


def _image(image: Any, alt: str) -> dict[str, Any] | None:
    if image is None:
        return None
    rendition = image.get_rendition(PICTURE_RENDITION)
    src = rendition.url
    if src.startswith("/"):
        src = base_url() + src
    return {"src": src, "alt": alt, "width": rendition.width}


def _article_url(article: Any) -> str:
    url = str(article.get_full_url() or "")
    if url.startswith("/"):
        url = base_url() + url
    return url


def article_context(article: Any) -> dict[str, Any]:
    """A "publish and send" issue's body: the article as readers see it."""
    alt = article.hero_alt_text or (
        getattr(article.hero_image, "description", "") if article.hero_image else ""
    )
    return {
        "headline": article.title,
        "standfirst": article.standfirst,
        "hero": _image(article.hero_image, alt),
        "hero_caption": article.hero_caption,
        # Rendered and cleaned at publish (ArticlePage.body_html): of a gated
        # article, the part everyone reads; one issue goes to every tier,
        # so the rest stays on the site (#17).
        "is_gated": article.is_gated,
        "body_html": _absolute_links(article.body_html, base_url()),
        "body_text": strip_tags(article.body_html),
        "url": _article_url(article),
    }


# --- rendering once, per recipient by substitution ---------------------------


def _q_p(text: str) -> bytes:
    """``text`` as quoted-printable with CRLF lines (C speed: binascii)."""
    data = text.replace("\r\n", "\n").encode("utf-8")
    encoded = binascii.b2a_qp(data, quotetabs=False, istext=True, header=False)
    return encoded.replace(b"\n", b"\r\n")


@dataclass
class RenderedIssue:
    """An issue rendered once, with markers where each reader's links go."""

    issue_id: int
    newsletter_id: int
    subject: str
    text: str
    html: str
    from_header: str
    envelope_from: str
    reply_to: str
    list_id: str
    domain: str
    plain_subject: str = ""
    from_plain: str = ""
    boundary: str = field(default_factory=lambda: secrets.token_hex(12))

    def headers(self, message_id: str, unsubscribe: str) -> dict[str, str]:
        """The headers every copy carries (RFC 2369, 2919, 8058)."""
        return {
            "Reply-To": self.reply_to,
            "Message-ID": message_id,
            "List-Id": self.list_id,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }

    def parts(self, member_id: int | None) -> tuple[str, str, str, str]:
        """(text, html, unsubscribe URL, preferences URL) for ``member_id``."""
        if member_id is None:
            unsubscribe = preferences = f"{base_url()}/newsletters/"
        else:
            unsubscribe = unsubscribe_url(member_id, self.newsletter_id)
            preferences = preferences_url(member_id)
        text = self.text.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(
            PREFERENCES_MARK, preferences
        )
        html = self.html.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(
            PREFERENCES_MARK, preferences
        )
        return text, html, unsubscribe, preferences

    def message_id(self, delivery_id: int) -> str:
        # Deterministic: a copy sent again would be recognisably the same.
        return f"<issue-{self.issue_id}.{delivery_id}@{self.domain}>"

    def as_bytes(self, delivery_id: int, member_id: int | None, to: str) -> bytes:
        """The whole message for one reader, CRLF lines, ready for DATA."""
        text, html, unsubscribe, _ = self.parts(member_id)
        headers = {
            "From": self.from_header,
            "To": _address_header(to),
            "Subject": self.subject,
            "Date": formatdate(localtime=False),
            "MIME-Version": "1.0",
            **self.headers(self.message_id(delivery_id), unsubscribe),
            "Content-Type": (f'multipart/alternative; boundary="=_{self.boundary}"'),
        }
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        boundary = f"--=_{self.boundary}".encode()
        part_head = (
            b'Content-Type: text/%s; charset="utf-8"\r\n'
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        )
        return b"".join(
            (
                head.encode("ascii"),
                b"\r\n",
                boundary,
                b"\r\n",
                part_head % b"plain",
                _q_p(text),
                b"\r\n",
                boundary,
                b"\r\n",
                part_head % b"html",
                _q_p(html),
                b"\r\n",
                boundary,
                b"--\r\n",
            )
        )

    def email_message(
        self,
        delivery_id: int,
        member_id: int | None,
        to: str,
        subject_prefix: str = "",
    ) -> EmailMultiAlternatives:
        """The same message as a Django ``EmailMessage``, for other back ends."""
        text, html, unsubscribe, _ = self.parts(member_id)
        message = EmailMultiAlternatives(
            subject=subject_prefix + self.plain_subject,
            body=text,
            from_email=self.from_plain,
            to=[to],
            reply_to=[self.reply_to],
            headers=self.headers(self.message_id(delivery_id), unsubscribe),
        )
        message.attach_alternative(html, "text/html")
        if "anymail" in type(mailers["bulk"]).__module__:
            # django-anymail: the provider's own open and click tracking.
            message.track_opens = False  # type: ignore[attr-defined]
            message.track_clicks = bool(  # type: ignore[attr-defined]
                settings.MASTHEAD_NEWSLETTER_TRACK_CLICKS
            )
        return message


def _address_header(address: str) -> str:
    if address.isascii():
        return address
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.encode('idna').decode('ascii')}"


def _sender(newsletter: Newsletter, site_name: str) -> tuple[str, str]:
    """(display name, address) of the From header, with the site's fallbacks."""
    default_name, default_address = parseaddr(str(settings.DEFAULT_FROM_EMAIL))
    name = newsletter.sender_name or site_name or default_name
    address = newsletter.sender_email or default_address
    return name, address


def issue_context(issue: Issue) -> dict[str, Any]:
    """The templates' context of ``issue``, with markers for readers' links."""
    newsletter = issue.newsletter
    site = site_context()
    article = issue.article
    header = None
    if newsletter.header_image is not None:
        header = _image(newsletter.header_image, newsletter.header_image_alt)
    return {
        **site,
        "issue": issue,
        "newsletter": newsletter,
        "subject": issue.subject,
        "preheader": issue.preheader,
        "header_image": header,
        "blocks": [] if article else issue_blocks(issue, base_url()),
        "article": article_context(article) if article else None,
        "archive_url": archive_url(issue),
        "unsubscribe_url": UNSUBSCRIBE_MARK,
        "preferences_url": PREFERENCES_MARK,
        "language_code": newsletter.language,
        "language_bidi": translation.get_language_bidi(),
    }


def render_issue(issue: Issue, subject_prefix: str = "") -> RenderedIssue:
    """Render ``issue`` once: subject, text and HTML with readers' markers."""
    newsletter = issue.newsletter
    with translation.override(newsletter.language):
        context = issue_context(issue)
        subject = " ".join(render_to_string(f"{TEMPLATE}_subject.txt", context).split())
        text = render_to_string(f"{TEMPLATE}.txt", context)
        html = inline_css(render_to_string(f"{TEMPLATE}.html", context))
    name, address = _sender(newsletter, context["site_name"])
    domain = address.rpartition("@")[2] or urlsplit(base_url()).hostname or "localhost"
    subject = subject_prefix + subject
    rendered = RenderedIssue(
        issue_id=issue.pk,
        newsletter_id=newsletter.pk,
        subject=Header(subject, "utf-8").encode() if not subject.isascii() else subject,
        text=text,
        html=html,
        from_header=formataddr((name, address), charset="utf-8"),
        envelope_from=address,
        reply_to=newsletter.reply_to or address,
        list_id=formataddr(
            (newsletter.name, f"{newsletter.slug}.{domain}"), charset="utf-8"
        ),
        domain=domain,
        plain_subject=subject,
        from_plain=formataddr((name, address)),
    )
    return rendered


def render_preview(issue: Issue) -> str:
    """The issue's HTML as a reader gets it, for the admin's preview."""
    rendered = render_issue(issue)
    return rendered.parts(None)[1]
