"""Helpers of the tests of what memberships show: the membership page, the
account section, the admin lists (#17). Tiers, memberships and payments as
the billing code leaves them, made directly; HTML parsed, never grepped."""

from datetime import timedelta
from itertools import count

from bs4 import BeautifulSoup, Tag
from django.utils import timezone

from masthead.members.models import Member
from masthead.memberships.models import (
    Interval,
    Membership,
    MembershipStatus,
    Payment,
    PaymentKind,
    PaymentStatus,
    Tier,
)

_ids = count(1)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html5lib")


def main(response) -> Tag:
    found = soup(response).select_one("main")
    assert found is not None
    return found


def text(tag: Tag | None) -> str:
    assert tag is not None
    return " ".join(tag.get_text(" ", strip=True).split())


def tier(slug: str, monthly: int | None = None, yearly: int | None = None, **fields):
    fields.setdefault("name", slug.title())
    fields.setdefault("currency", "EUR")
    return Tier.objects.create(
        slug=slug, monthly_price=monthly, yearly_price=yearly, **fields
    )


def membership(
    member: Member | None = None, on: Tier | None = None, **fields
) -> Membership:
    fields.setdefault("status", MembershipStatus.ACTIVE)
    fields.setdefault("interval", Interval.MONTH)
    fields.setdefault("provider", "demo")
    fields.setdefault("provider_customer_id", f"cus_{next(_ids)}")
    fields.setdefault("provider_subscription_id", f"sub_{next(_ids)}")
    fields.setdefault("current_period_end", timezone.now() + timedelta(days=20))
    return Membership.objects.create(
        member=member or Member.objects.create(email=f"reader{next(_ids)}@example.org"),
        tier=on or tier("supporter", 500, 5000, name="Supporter"),
        **fields,
    )


def payment(member: Member | None, amount: int = 500, **fields) -> Payment:
    fields.setdefault("kind", PaymentKind.MEMBERSHIP)
    fields.setdefault("status", PaymentStatus.PAID)
    fields.setdefault("currency", "EUR")
    fields.setdefault("provider", "demo")
    fields.setdefault("provider_payment_id", f"pay_{next(_ids)}")
    return Payment.objects.create(member=member, amount=amount, **fields)
