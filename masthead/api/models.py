"""Integrations: who may use the APIs, with which keys and scopes (docs/api.md).

An ``Integration`` is one outside tool (a partner's app, a newsroom script,
an automation). It holds two keys, in Ghost's formats so Ghost's own clients
accept them (api/ghost/):

- the **content key**, 26 hex characters, for the read-only Content API;
- the **admin key** ``<id>:<secret>``, a 24-hex id and a 64-hex secret. The
  secret signs short-lived JWTs (Ghost's scheme) and is sent as a bearer
  token to Masthead's own Admin API.

The secret must be readable to verify a JWT's HMAC, so it is stored as
Ghost stores it; revoking an integration (``is_active``) or rotating its keys
ends every client using it at once.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What an integration's admin key may do; reading needs no scope."""

    ARTICLES_WRITE = "articles:write", _("Create and update articles")
    ARTICLES_PUBLISH = "articles:publish", _("Publish, schedule and unpublish")
    CORRECTIONS_WRITE = "corrections:write", _("Issue corrections")
    NEWSFEED_WRITE = "newsfeed:write", _("Post News Feed items")
    IMAGES_WRITE = "images:write", _("Upload images")


ALL_SCOPES = [scope.value for scope in Scope]


def new_content_key() -> str:
    return secrets.token_hex(13)


def new_admin_key_id() -> str:
    return secrets.token_hex(12)


def new_admin_secret() -> str:
    return secrets.token_hex(32)


class IntegrationQuerySet(models.QuerySet["Integration"]):
    def active(self) -> IntegrationQuerySet:
        return self.filter(is_active=True)


class Integration(models.Model):
    """An outside tool's keys, scopes and webhooks."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    content_key = models.CharField(
        _("content key"), max_length=26, unique=True, default=new_content_key
    )
    admin_key_id = models.CharField(
        _("admin key id"), max_length=24, unique=True, default=new_admin_key_id
    )
    admin_secret = models.CharField(
        _("admin key secret"), max_length=64, default=new_admin_secret
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Who the Admin API's writes are recorded as (revisions, audit log).
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("acts as"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = IntegrationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")

    def __str__(self) -> str:
        return self.name

    @property
    def admin_key(self) -> str:
        """The admin key as Ghost prints it: ``<id>:<secret>``."""
        return f"{self.admin_key_id}:{self.admin_secret}"

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    def rotate_keys(self) -> None:
        """New content and admin keys; the old ones stop working at once."""
        self.content_key = new_content_key()
        self.admin_key_id = new_admin_key_id()
        self.admin_secret = new_admin_secret()
