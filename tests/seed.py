"""Read the seed article page (../shared/seed/) into plain data.

The seed is the text of a real article page; tests build it in Masthead and
check that every element renders. The project never ships its text.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "seed"
SEED_FILE = SEED_DIR / "000_2798635f24e1b356.txt"

# Image alt texts and run-together labels in the scrape ("RussiaUnited States")
# split where a lowercase letter meets a capital.
_JOIN = re.compile(r"(?<=[a-z.])(?=[A-Z])")
_CREDIT = re.compile(r"^(?P<caption>.*?)\s*\((?P<credit>[^()]+)\)\s*$")
_IMAGE_ALT = "Article image"


@dataclass
class SeedArticle:
    headline: str
    read_time: int
    author_name: str
    author_job_title: str
    author_bio: str
    hero_alt: str
    hero_caption: str
    hero_credit: str
    paragraphs: list[str]
    card_title: str
    card_description: str
    card_publisher: str
    card_author: str
    tags: list[str]
    feed_day: str
    feed_headline: str
    feed_body: str
    labels: list[str] = field(default_factory=list)


def split_joined(text: str) -> list[str]:
    return [part.strip() for part in _JOIN.split(text) if part.strip()]


def load(path: Path = SEED_FILE) -> SeedArticle:
    """Parse the seed page text; raises ValueError naming what is missing."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    text = [line for line in lines if line]

    def index_of(value: str, start: int = 0) -> int:
        try:
            return text.index(value, start)
        except ValueError:
            raise ValueError(f"seed: no line {value!r} after line {start}") from None

    read_at = next(
        i for i, line in enumerate(text) if re.fullmatch(r"\d+ min read", line)
    )
    headline = text[read_at - 1]
    read_time = int(text[read_at].split()[0])
    by_line = next(i for i in range(read_at, len(text)) if text[i].startswith("by "))
    author_name = text[by_line][3:].strip()
    hero_alt = text[by_line + 1]
    caption_match = _CREDIT.match(text[by_line + 2])
    if not caption_match:
        raise ValueError("seed: the hero caption has no '(credit)' at its end")

    card_meta = next(
        i
        for i in range(by_line + 3, len(text))
        if text[i].startswith(_IMAGE_ALT) and text[i] != _IMAGE_ALT
    )
    card_title, card_description = text[card_meta - 2], text[card_meta - 1]
    publisher, card_author = split_joined(text[card_meta][len(_IMAGE_ALT) :])
    paragraphs = text[by_line + 3 : card_meta - 2]

    tags_at = index_of(_IMAGE_ALT, card_meta + 1) + 1
    tags = split_joined(text[tags_at])
    box_name = index_of(author_name, tags_at)
    job_title, bio = text[box_name + 1], text[box_name + 2]
    index_of("Read more", box_name)

    popular = index_of("Most Popular", box_name)
    feed_at = index_of("News Feed", popular)
    feed_day, feed_headline, feed_body = text[feed_at + 1 : feed_at + 4]
    labels: list[str] = [
        label
        for label in (
            "News Feed",
            "Most Popular",
            "Show More",
            "Editors' Picks",
            "Read more",
        )
        if label in text
    ]
    return SeedArticle(
        headline=headline,
        read_time=read_time,
        author_name=author_name,
        author_job_title=job_title,
        author_bio=bio,
        hero_alt=hero_alt,
        hero_caption=caption_match["caption"],
        hero_credit=caption_match["credit"],
        paragraphs=paragraphs,
        card_title=card_title,
        card_description=card_description,
        card_publisher=publisher,
        card_author=card_author,
        tags=tags,
        feed_day=feed_day,
        feed_headline=feed_headline,
        feed_body=feed_body,
        labels=labels,
    )
