"""Sign-in e-mails, sent by the task worker after the request commits (#16)."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import translation

from masthead.core.background import BACKGROUND
from masthead.core.email import build_message

from .models import SignInToken
from .services import raw_token

# One template set per purpose: members/email/<purpose>{_subject.txt,.txt,.html}.
_TEMPLATES = {
    "sign-in": "members/email/sign_in",
    "sign-up": "members/email/sign_up",
    "email-change": "members/email/email_change",
}


@task(backend=BACKGROUND)
def send_link(token_id: int) -> bool:
    """E-mail the link of token ``token_id``; False when it is gone or used."""
    token = SignInToken.objects.filter(pk=token_id).first()
    if token is None or token.is_used or token.is_expired():
        return False
    send_link_message(token)
    return True


def send_link_message(token: SignInToken) -> None:
    """Build and send the message of ``token`` in its edition's language."""
    with translation.override(token.language):
        path = reverse("members:confirm", args=[raw_token(token)])
        context = {
            "link": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path,
            "minutes": settings.MASTHEAD_MEMBER_LINK_MINUTES,
            "email": token.email,
        }
        build_message(_TEMPLATES[token.purpose], context, [token.email]).send()
