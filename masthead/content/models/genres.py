"""What kind of journalism an article is (issue #14).

Readers see the genre as a label before the headline, and machines read it
as the article's schema.org type (web/structured_data.py), as the Trust
Project's "type of work" indicator asks.
"""

from django.db import models
from django.utils.translation import gettext_lazy, pgettext_lazy


class Genre(models.TextChoices):
    """An article's genre; ``news`` unless the editor says otherwise."""

    NEWS = "news", pgettext_lazy("genre", "News")
    ANALYSIS = "analysis", pgettext_lazy("genre", "Analysis")
    OPINION = "opinion", pgettext_lazy("genre", "Opinion")
    EXPLAINER = "explainer", pgettext_lazy("genre", "Explainer")
    INVESTIGATION = "investigation", pgettext_lazy("genre", "Investigation")
    INTERVIEW = "interview", pgettext_lazy("genre", "Interview")
    REVIEW = "review", pgettext_lazy("genre", "Review")
    SPONSORED = "sponsored", pgettext_lazy("genre", "Sponsored")


GENRE_HELP = gettext_lazy(
    "What kind of piece this is. Readers see it as a label above the "
    "headline (none for News). Opinion is for the author's own view; "
    "Sponsored for anything a client paid for."
)
