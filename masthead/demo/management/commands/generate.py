"""Fill a database with a large generated site for load tests (issue #5)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.demo.bulk import GenerateError, GenerateOptions, generate

DEFAULTS = GenerateOptions()
MAX_ARTICLES = 10_000_000

# The GenerateOptions fields a user may set: name, type, help (None: the
# name says it). Defaults come from GenerateOptions itself.
OPTIONS: list[tuple[str, type, str | None]] = [
    ("articles", int, None),
    ("authors", int, None),
    ("tags", int, "How many tags, the big tag included."),
    (
        "sections",
        int,
        "Sections to spread articles over; existing ones are used first.",
    ),
    ("feed_items", int, "News Feed items (default: one per ten articles)."),
    ("big_tag_share", float, "The share of all articles one tag is put on (0 to 1)."),
    ("per_day", int, "Articles per day: sets how far back the archive reaches."),
    ("images", int, "Hero pictures drawn and shared by the articles."),
    ("batch_size", int, "Articles per transaction."),
    ("seed", int, None),
]


class Command(BaseCommand):
    help = (
        "Generate articles, authors, tags and News Feed items with bulk inserts "
        "(a million articles in minutes). Run 'masthead search_rebuild' "
        "afterwards. Refuses a database that already holds generated articles."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        for name, kind, text in OPTIONS:
            parser.add_argument(
                "--" + name.replace("_", "-"),
                type=kind,
                default=getattr(DEFAULTS, name),
                help=text,
            )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            chosen = GenerateOptions(**{name: options[name] for name, _, _ in OPTIONS})
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.validate(chosen)
        verbose = options["verbosity"] > 0
        try:
            result = generate(chosen, stdout=self.stdout if verbose else None)
        except GenerateError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {result['seconds']['total']:.1f} s: "
                f"{result['counts']['articles']:,} articles "
                f"({result['articles_per_second']:,.0f}/s). "
                "Next: masthead search_rebuild"
            )
        )

    @staticmethod
    def validate(options: GenerateOptions) -> None:
        if not 1 <= options.articles <= MAX_ARTICLES:
            raise CommandError(f"--articles must be between 1 and {MAX_ARTICLES:,}.")
        for name in ("authors", "tags", "sections", "per_day", "batch_size"):
            if getattr(options, name) < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1.")
        if options.images < 0 or options.feed_item_count < 0:
            raise CommandError("--images and --feed-items cannot be negative.")
        if not 0 <= options.big_tag_share <= 1:
            raise CommandError("--big-tag-share must be between 0 and 1.")
