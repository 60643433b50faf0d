"""Members' comments on articles (docs/comments.md).

A ``Comment`` is plain text by a member, on an article, with at most one
level of replies. ``CommentSettings`` (a site setting) says who may comment
and how comments are moderated; ``CommentOptions`` overrides it for one
article. Moderators hide comments and ``CommentBan`` members; members
``CommentReport`` comments.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

# The longest comment, in characters: a long letter to the editor.
MAX_LENGTH = 5000
MODERATE_PERMISSION = "comments.moderate_comment"
# The largest key a row can have (a signed 64-bit integer). A larger number in
# a URL names nothing; SQLite refuses to even compare it (OverflowError).
MAX_ID = 2**63 - 1


def comments_tag(article_id: int) -> str:
    """The cache tag of the pages listing article ``article_id``'s comments."""
    return f"comments-{article_id}"


class Commenters(models.TextChoices):
    MEMBERS = "members", _("Signed-in members")
    PAID = "paid", _("Paying members only")


class Moderation(models.TextChoices):
    POST = "post", _("Publish at once, moderate afterwards")
    PRE = "pre", _("Hold every comment until a moderator approves it")


@register_setting(icon="comment")
class CommentSettings(BaseSiteSetting):
    """Who may comment on the site's articles, and how comments are moderated."""

    commenters = models.CharField(
        _("who may comment"),
        max_length=10,
        choices=Commenters.choices,
        default=Commenters.MEMBERS,
        help_text=_("Readers must be signed in to comment in either case."),
    )
    moderation = models.CharField(
        _("moderation"),
        max_length=10,
        choices=Moderation.choices,
        default=Moderation.POST,
        help_text=_(
            "An article can have its own choice: Comments in the admin menu, "
            "then the article."
        ),
    )
    is_closed = models.BooleanField(
        _("close comments everywhere"),
        default=False,
        help_text=_(
            "No new comments or replies on any article. Comments already "
            "published stay visible."
        ),
    )
    held_words = models.TextField(
        _("words that hold a comment"),
        blank=True,
        help_text=_(
            "One word or phrase a line. A comment containing one is not "
            "refused: it waits for a moderator instead of appearing."
        ),
    )

    class Meta:
        verbose_name = _("Comments")
        verbose_name_plural = _("Comments")

    def held_word_list(self) -> list[str]:
        """The held words, one a line, without blank lines."""
        return [line.strip() for line in self.held_words.splitlines() if line.strip()]


# An article's moderation: the site's, or its own.
OPTION_MODERATION_CHOICES = [("", _("As the site setting says")), *Moderation.choices]


class CommentOptions(models.Model):
    """One article's own choices, over the site setting."""

    article = models.OneToOneField(
        "content.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("article"),
    )
    is_closed = models.BooleanField(
        _("comments closed"),
        default=False,
        help_text=_("No new comments or replies; published ones stay visible."),
    )
    moderation = models.CharField(
        _("moderation"),
        max_length=10,
        blank=True,
        choices=OPTION_MODERATION_CHOICES,
    )

    class Meta:
        verbose_name = _("article comment options")
        verbose_name_plural = _("article comment options")

    def __str__(self) -> str:
        return f"comment options of article {self.article_id}"


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a moderator")
    VISIBLE = "visible", _("published")
    HIDDEN = "hidden", _("hidden by a moderator")
    DELETED = "deleted", _("deleted")


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible(self) -> CommentQuerySet:
        """Comments every reader sees."""
        return self.filter(status=CommentStatus.VISIBLE)

    def threads(self, article_id: int) -> CommentQuerySet:
        """The article's top-level comments that show: visible ones, and those
        no longer visible that keep a visible reply (shown as a placeholder)."""
        visible_reply = Comment.objects.filter(
            parent=OuterRef("pk"), status=CommentStatus.VISIBLE
        )
        return self.filter(article_id=article_id, parent__isnull=True).filter(
            Q(status=CommentStatus.VISIBLE) | Q(Exists(visible_reply))
        )

    def in_queue(self) -> CommentQuerySet:
        """Waiting for a moderator, or reported and not yet looked at."""
        open_report = CommentReport.objects.filter(
            comment=OuterRef("pk"), resolved_at__isnull=True
        )
        return self.exclude(status=CommentStatus.DELETED).filter(
            Q(status=CommentStatus.PENDING) | Q(Exists(open_report))
        )


class Comment(models.Model):
    """A member's comment on an article, or a reply to one (one level deep)."""

    article = models.ForeignKey(
        "content.ArticlePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("article"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    # The comment "Reply" was pressed on: ``parent`` itself, or one of its
    # replies (threads are one level deep, so ``parent`` alone names only the
    # thread's first comment). Its author gets the reply e-mail.
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("in answer to"),
    )
    # Null once the member is erased: the comment is then blanked too.
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("member"),
    )
    text = models.TextField(_("text"), max_length=MAX_LENGTH, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CommentStatus.choices,
        default=CommentStatus.VISIBLE,
    )
    held_reason = models.CharField(
        _("held because"),
        max_length=40,
        blank=True,
        help_text=_("Why the spam check held the comment for a moderator."),
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    # When the reply e-mail to the parent's author was queued: once only,
    # however often a moderator hides and restores the reply.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("moderate_comment", _("Can moderate comments"))]
        indexes = [
            models.Index(
                fields=["article", "parent", "created_at"], name="comment_thread_idx"
            ),
            models.Index(fields=["member", "created_at"], name="comment_member_idx"),
            models.Index(fields=["status", "created_at"], name="comment_status_idx"),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on article {self.article_id}"

    @property
    def is_visible(self) -> bool:
        return self.status == CommentStatus.VISIBLE

    def is_editable(self, now: datetime | None = None) -> bool:
        """Whether its author may still edit it (MASTHEAD_COMMENT_EDIT_MINUTES)."""
        if self.status not in (CommentStatus.VISIBLE, CommentStatus.PENDING):
            return False
        age = (now or timezone.now()) - self.created_at
        return age.total_seconds() <= settings.MASTHEAD_COMMENT_EDIT_MINUTES * 60


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abusive, hateful or threatening")
    OFF_TOPIC = "off-topic", _("Off topic")
    OTHER = "other", _("Something else")


class CommentReport(models.Model):
    """A member's report of a comment, for the moderators' queue."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports"
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    note = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "member"],
                condition=Q(member__isnull=False),
                name="comments_one_report_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} report of comment {self.comment_id}"


class CommentBanQuerySet(models.QuerySet["CommentBan"]):
    def active(self, now: datetime | None = None) -> CommentBanQuerySet:
        """Bans in force: not lifted, and for ever or not yet over."""
        return self.filter(lifted_at__isnull=True).filter(
            Q(until__isnull=True) | Q(until__gt=now or timezone.now())
        )


class CommentBan(models.Model):
    """A member may not comment, for a time or for ever."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="comment_bans",
        verbose_name=_("member"),
    )
    reason = models.CharField(
        _("reason"),
        max_length=500,
        blank=True,
        help_text=_("For the moderators; the member sees it when they try to post."),
    )
    until = models.DateTimeField(
        _("until"), null=True, blank=True, help_text=_("Empty: for ever.")
    )
    created_at = models.DateTimeField(_("banned"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("banned by"),
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )

    objects = CommentBanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("comment ban")
        verbose_name_plural = _("comment bans")

    def __str__(self) -> str:
        return f"comment ban of member {self.member_id}"


class CommentPreferences(models.Model):
    """A member's choices about comments; no row means the defaults."""

    member = models.OneToOneField(
        "members.Member",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    notify_replies = models.BooleanField(
        _("e-mail me when someone replies to my comments"), default=True
    )

    def __str__(self) -> str:
        return f"comment preferences of member {self.member_id}"
