"""What ``masthead generate`` is asked to build, and the error it refuses with."""

from dataclasses import dataclass


class GenerateError(RuntimeError):
    """The database is not one the generator can build on."""


@dataclass(frozen=True)
class GenerateOptions:
    """What to generate.

    Args:
        articles: how many articles.
        authors, tags, sections: how many of each to spread them over; the
            big tag counts among ``tags``; existing sections are used first.
        feed_items: News Feed items; None means one per ten articles.
        big_tag_share: the share of all articles the big tag is put on.
        per_day: articles per day; the archive reaches back
            ``articles / per_day`` days, so the last 48 hours hold the same
            number of articles whatever the size.
        images: hero pictures drawn once and shared by all articles.
        batch_size: articles built and written at a time.
        seed: the same seed gives the same content.
        drop_indexes: drop secondary indexes for the load and rebuild them
            afterwards; None decides by size (see ``generate``).
    """

    articles: int = 1_000
    authors: int = 500
    tags: int = 2_000
    sections: int = 6
    feed_items: int | None = None
    big_tag_share: float = 0.3
    per_day: int = 250
    images: int = 12
    batch_size: int = 10_000
    seed: int = 2026
    drop_indexes: bool | None = None

    @property
    def feed_item_count(self) -> int:
        if self.feed_items is None:
            return self.articles // 10
        return self.feed_items
