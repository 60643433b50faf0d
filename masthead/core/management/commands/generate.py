"""Fill a database with a large generated site for load tests (issue #5)."""

from django.core.management.base import BaseCommand, CommandError

from masthead.core.bulk import GenerateError, GenerateOptions, generate

DEFAULTS = GenerateOptions()
MAX_ARTICLES = 10_000_000


class Command(BaseCommand):
    help = (
        "Generate articles, authors, tags and News Feed items with bulk inserts "
        "(a million articles in minutes). Run 'masthead search_rebuild' "
        "afterwards. Refuses a database that already holds generated articles."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=DEFAULTS.articles)
        parser.add_argument("--authors", type=int, default=DEFAULTS.authors)
        parser.add_argument(
            "--tags",
            type=int,
            default=DEFAULTS.tags,
            help="How many tags, the big tag included.",
        )
        parser.add_argument(
            "--sections",
            type=int,
            default=DEFAULTS.sections,
            help="Sections to spread articles over; existing ones are used first.",
        )
        parser.add_argument(
            "--feed-items",
            type=int,
            default=None,
            help="News Feed items (default: one per ten articles).",
        )
        parser.add_argument(
            "--big-tag-share",
            type=float,
            default=DEFAULTS.big_tag_share,
            help="The share of all articles one tag is put on (0 to 1).",
        )
        parser.add_argument(
            "--per-day",
            type=int,
            default=DEFAULTS.per_day,
            help="Articles per day: sets how far back the archive reaches.",
        )
        parser.add_argument(
            "--images",
            type=int,
            default=DEFAULTS.images,
            help="Hero pictures drawn and shared by the articles.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULTS.batch_size,
            help="Articles per transaction.",
        )
        parser.add_argument("--seed", type=int, default=DEFAULTS.seed)

    def handle(self, *args, **options):
        try:
            chosen = GenerateOptions(
                articles=options["articles"],
                authors=options["authors"],
                tags=options["tags"],
                sections=options["sections"],
                feed_items=options["feed_items"],
                big_tag_share=options["big_tag_share"],
                per_day=options["per_day"],
                images=options["images"],
                batch_size=options["batch_size"],
                seed=options["seed"],
            )
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
