"""What the members CSV tests share (#16): the sample files, import helpers
and the state an import may write.
"""

import io
from pathlib import Path

from masthead.members.models import ConsentEvent, Member
from masthead.newsletters.member_csv import ImportReport, import_members
from masthead.newsletters.models import Newsletter, Subscription

DATA = Path(__file__).parent / "data"
GHOST = DATA / "ghost_members.csv"
SUBSTACK = DATA / "substack_subscribers.csv"
BAD = DATA / "bad_lines.csv"


def run(
    path: Path, *newsletters: Newsletter, dry_run: bool = False, **kwargs
) -> ImportReport:
    with path.open("rb") as data:
        return import_members(
            data,
            newsletter_ids=[n.pk for n in newsletters],
            dry_run=dry_run,
            source=path.name,
            **kwargs,
        )


def run_text(text: str, *newsletters: Newsletter, **kwargs) -> ImportReport:
    return import_members(
        io.BytesIO(text.encode()),
        newsletter_ids=[n.pk for n in newsletters],
        source="members.csv",
        **kwargs,
    )


def state() -> dict:
    """Everything an import may write, to compare before and after."""
    return {
        "members": sorted(
            Member.objects.values_list("email", "name", "notes", "created_at")
        ),
        "labels": sorted(
            Member.labels.through.objects.values_list(
                "member__email", "memberlabel__name"
            )
        ),
        "subscriptions": sorted(
            Subscription.objects.values_list(
                "member__email", "newsletter__slug", "status", "confirmed_at"
            )
        ),
        "consents": ConsentEvent.objects.count(),
    }
