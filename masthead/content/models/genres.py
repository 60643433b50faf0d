"""What kind of journalism an article is (issue #14).

Readers see the genre as a label before the headline, and machines read it
as the article's schema.org type (web/structured_data.py), as the Trust
Project's "type of work" indicator asks.
"""

from django.db import models


class Genre(models.TextChoices):
    """An article's genre; ``news`` unless the editor says otherwise."""

    NEWS = "news", "News"
    ANALYSIS = "analysis", "Analysis"
    OPINION = "opinion", "Opinion"
    EXPLAINER = "explainer", "Explainer"
    INVESTIGATION = "investigation", "Investigation"
    INTERVIEW = "interview", "Interview"
    REVIEW = "review", "Review"
    SPONSORED = "sponsored", "Sponsored"


GENRE_HELP = (
    "What kind of piece this is. Readers see it as a label above the "
    "headline (none for News). Opinion is for the author's own view; "
    "Sponsored for anything a client paid for."
)
