"""Newsletters, their subscribers, their issues and each issue's deliveries (#16).

A ``Newsletter`` is a list readers join (``Subscription``); an ``Issue`` is
one e-mail sent to it, written by an editor, made from a published article
("publish and send") or drafted as the daily briefing. Sending an issue
first copies its recipients into ``Delivery`` rows, one per member and
unique per issue: the sender works through those rows, so a paused or killed
send resumes where it stopped and never writes to anyone twice.

``Suppression`` keeps the keyed hash of an address that bounced hard or
complained: it outlives the member's erasure, and never holds the address.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock

from masthead.members.models import Member, email_digest


class Newsletter(models.Model):
    """A list readers subscribe to, with its own sender and look."""

    name = models.CharField(pgettext_lazy("newsletter", "name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Its address: /newsletters/<slug>/."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("One or two sentences on the sign-up page: what, how often."),
    )
    language = models.CharField(
        _("edition"),
        max_length=12,
        default="en",
        help_text=_("The edition whose readers see it; its e-mails use its language."),
    )
    sender_name = models.CharField(
        _("sender name"),
        max_length=200,
        blank=True,
        help_text=_("Shown as the sender; the publication's name when blank."),
    )
    sender_email = models.EmailField(
        _("sender address"),
        blank=True,
        help_text=_("The From address; the site's default sender when blank."),
    )
    reply_to = models.EmailField(
        _("reply-to address"),
        blank=True,
        help_text=_("Where readers' replies go; the sender address when blank."),
    )
    header_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("header image"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    header_image_alt = models.CharField(
        _("header image alt text"),
        max_length=250,
        blank=True,
        help_text=_("What the header image says, for readers who cannot see it."),
    )
    footer = models.TextField(
        _("footer"),
        blank=True,
        help_text=_("Plain text under every issue: who sends it and why."),
    )
    is_default_on = models.BooleanField(
        _("on for new members"),
        default=False,
        help_text=_("Ticked in advance on the sign-up form of new members."),
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Listed on /newsletters/ with a sign-up form, and archived."),
    )
    briefing_hour = models.PositiveSmallIntegerField(
        _("daily briefing hour"),
        null=True,
        blank=True,
        help_text=_(
            "Draft an issue from the day's News Feed and top stories at this "
            "hour (0-23, site time). Blank: no briefing."
        ),
    )
    sort_order = models.IntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")

    def __str__(self) -> str:
        return self.name


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    ACTIVE = "active", _("subscribed")
    UNSUBSCRIBED = "unsubscribed", _("unsubscribed")


class Subscription(models.Model):
    """One member on one newsletter; kept after unsubscribing, as its record."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="subscriptions"
    )
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.PENDING,
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "newsletter"], name="newsletters_one_subscription"
            ),
        ]
        indexes = [
            # A send's recipients: one newsletter's active members, by id.
            models.Index(
                fields=["newsletter", "status", "member"],
                name="newsletters_sub_recipients",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.newsletter_id}: {self.status}"


class SuppressionReason(models.TextChoices):
    HARD_BOUNCE = "bounced", _("bounced")
    COMPLAINT = "complained", _("marked as spam")
    MANUAL = "manual", _("added by staff")


class Suppression(models.Model):
    """An address newsletters are never sent to, kept only as its keyed hash."""

    email_digest = models.CharField(max_length=64, unique=True)
    reason = models.CharField(
        _("reason"), max_length=20, choices=SuppressionReason.choices
    )
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return f"{self.reason} since {self.created_at:%Y-%m-%d}"

    @classmethod
    def covers(cls, email: str) -> bool:
        """Whether ``email`` is suppressed."""
        return cls.objects.filter(email_digest=email_digest(email)).exists()


class StoryBlock(blocks.StructBlock):
    """An article in an issue: its headline, standfirst and link, and a note."""

    page = blocks.PageChooserBlock(
        label=_("article"), page_type=["content.ArticlePage"]
    )
    note = blocks.TextBlock(
        label=_("note"), required=False, help_text=_("Replaces the standfirst.")
    )

    class Meta:
        icon = "doc-full"
        label = _("story")


class PictureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alt text"), max_length=250, help_text=_("What the picture shows.")
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=500)

    class Meta:
        icon = "image"
        label = _("picture")


class IssueBody(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=200, icon="title")
    text = blocks.RichTextBlock(
        label=_("text"), features=["bold", "italic", "link", "ol", "ul"]
    )
    story = StoryBlock()
    picture = PictureBlock()


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SCHEDULED = "scheduled", _("scheduled")
    # "Publish and send": goes out once its article is visible to readers.
    WAITING = "waiting", _("waiting for its article")
    SENDING = "sending", _("sending")
    PAUSED = "paused", _("paused")
    SENT = "sent", _("sent")
    CANCELLED = "cancelled", _("cancelled")


class Issue(models.Model):
    """One e-mail to one newsletter's subscribers, and its web archive page."""

    newsletter = models.ForeignKey(
        Newsletter,
        verbose_name=_("newsletter"),
        on_delete=models.PROTECT,
        related_name="issues",
    )
    subject = models.CharField(_("subject"), max_length=300)
    preheader = models.CharField(
        _("preview text"),
        max_length=200,
        blank=True,
        help_text=_("Shown after the subject in the inbox list."),
    )
    body = StreamField(IssueBody(), verbose_name=_("body"), blank=True)
    article = models.ForeignKey(
        "content.ArticlePage",
        verbose_name=_("article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Publish and send: the article, sent once it is published."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=IssueStatus.choices,
        default=IssueStatus.DRAFT,
    )
    is_briefing = models.BooleanField(_("daily briefing"), default=False)
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Progress, kept by the sender in the transaction that records each
    # batch, so the admin reads four numbers instead of counting rows.
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    sent_count = models.PositiveIntegerField(_("sent"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    suppressed_count = models.PositiveIntegerField(_("suppressed"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        indexes = [
            # A newsletter's archive pages (views.newsletter_detail): its
            # sent issues, newest first, the id breaking ties so that no
            # issue is on two pages; ends in the order, so no sort.
            models.Index(
                fields=["newsletter", "status", "-sent_at", "-id"],
                name="newsletters_issue_pages",
            ),
            models.Index(fields=["status", "scheduled_at"], name="newsletters_due"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def queued_count(self) -> int:
        done = self.sent_count + self.failed_count + self.suppressed_count
        return max(self.recipient_count - done, 0)


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SUPPRESSED = "suppressed", _("suppressed")


class Delivery(models.Model):
    """One recipient of one issue: the unit the sender claims and records.

    Unique per (issue, member): copying the recipients twice cannot send
    twice. The address is copied when the send starts, so a member who
    changes theirs mid-send gets the issue once, at the old one.
    """

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    email = models.EmailField(max_length=254)
    status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "member"], name="newsletters_one_delivery"
            ),
        ]
        indexes = [
            # The sender's next batch: an issue's queued rows, by id.
            models.Index(fields=["issue", "status", "id"], name="newsletters_next"),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} to {self.member_id}: {self.status}"
