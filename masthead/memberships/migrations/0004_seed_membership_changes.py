# Written for the audience dashboard (#17): the history starts from what is
# known, each membership's state now, dated when the membership began.

from django.conf import settings
from django.db import migrations

BATCH = 1000


def _paid(membership):
    """billing_history.gives_paid_access, on the historical model."""
    tier = membership.tier
    if membership.provider == "gift" or (
        tier.monthly_price is None and tier.yearly_price is None
    ):
        return False
    if membership.provider == "demo" and settings.MASTHEAD_PAYMENT_PROVIDER != "demo":
        return False
    if membership.status == "active":
        return True
    at = membership.state_at or membership.created_at
    return bool(
        membership.status == "past_due"
        and membership.grace_until is not None
        and membership.grace_until > at
    )


def seed_history(apps, schema_editor):
    """One change per existing membership: into its state, at its start."""
    membership = apps.get_model("memberships", "Membership")
    change = apps.get_model("memberships", "MembershipChange")
    rows = []
    for held in membership.objects.select_related("tier").order_by("pk").iterator():
        rows.append(
            change(
                member_id=held.member_id,
                from_status="",
                to_status=held.status,
                tier_id=held.tier_id,
                was_paid=False,
                paid=_paid(held),
                at=held.created_at,
            )
        )
        if len(rows) >= BATCH:
            change.objects.bulk_create(rows)
            rows = []
    change.objects.bulk_create(rows)


class Migration(migrations.Migration):

    dependencies = [
        ('memberships', '0003_membershipchange'),
    ]

    operations = [
        migrations.RunPython(seed_history, migrations.RunPython.noop, elidable=True),
    ]
