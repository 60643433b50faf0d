"""The audience dashboard: each series, its edges, its permissions (#17).

The site's time zone is Europe/Kyiv (UTC+2 in winter, UTC+3 in summer), so
a day's bucket starts at 22:00 or 21:00 UTC the day before. "Now" is frozen
at NOW; figures are read from the parsed page, never grepped.
"""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.users.models import UserProfile

from masthead.members.factories import MemberFactory
from masthead.memberships.models import (
    MembershipChange,
    MembershipStatus,
    PaymentKind,
    PaymentStatus,
)
from masthead.newsroom.services import ADMINISTRATOR, EDITOR

from .shown import payment, soup, text, tier

pytestmark = pytest.mark.django_db

URL = "/admin/audience/"
CSV_URL = "/admin/audience/series.csv"
# 14:00 in Kyiv, Tuesday 10 March 2026.
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
# Midnight in Kyiv: the start of 10 March, and of the 30 days' first, 9 February.
TODAY = datetime(2026, 3, 9, 22, 0, tzinfo=UTC)
FIRST_DAY = datetime(2026, 2, 8, 22, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


def staff(client, django_user_model, settings, *permissions, groups=()):
    settings.MASTHEAD_2FA_ENABLED = False
    user = django_user_model.objects.create_user("staff", password="a-long-pass")
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    for app_label, codename in permissions:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client.force_login(user)
    return client


@pytest.fixture
def administrator(client, django_user_model, settings):
    return staff(client, django_user_model, settings, groups=[ADMINISTRATOR])


def figure(page, name: str) -> str:
    return text(page.select_one(f"#{name}"))


def table(page, section: str) -> dict[str, list[str]]:
    """A series' table: the day (or month) label to its cells."""
    found = {}
    for row in page.select(f"#{section} table tbody tr"):
        found[text(row.th)] = [text(cell) for cell in row.select("td")]
    return found


def ranking(page, name: str) -> list[list[str]]:
    return [
        [text(row.th), *(text(cell) for cell in row.select("td"))]
        for row in page.select(f"#{name} tbody tr")
        if row.th is not None
    ]


def show(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return soup(response)


def change(at, was_paid, paid, status=MembershipStatus.ACTIVE, member=None):
    return MembershipChange.objects.create(
        member=member, to_status=status, was_paid=was_paid, paid=paid, at=at
    )


def test_sign_ups_are_counted_by_day_in_the_site_s_time_zone(administrator):
    for created_at in (
        FIRST_DAY - SECOND,  # 23:59:59 on 8 February in Kyiv: before the period
        FIRST_DAY,
        TODAY - SECOND,  # 9 March in Kyiv
        TODAY,  # 10 March in Kyiv, though still 9 March in UTC
        NOW,
    ):
        MemberFactory(created_at=created_at)

    page = show(administrator)

    days = table(page, "sign-ups")
    assert len(days) == 30
    assert days["9 Feb 2026"] == ["1"]
    assert days["9 Mar 2026"] == ["1"]
    assert days["10 Mar 2026"] == ["2"]
    assert figure(page, "total-sign-ups") == "4"


def test_months_start_at_midnight_in_the_site_s_time_zone(administrator):
    for created_at in (
        datetime(2025, 3, 31, 20, 59, tzinfo=UTC),  # 31 March in Kyiv: too early
        datetime(2025, 3, 31, 21, 0, tzinfo=UTC),  # 1 April, summer time (UTC+3)
        datetime(2026, 2, 28, 21, 59, tzinfo=UTC),  # 28 February (UTC+2)
        datetime(2026, 2, 28, 22, 0, tzinfo=UTC),  # 1 March
    ):
        MemberFactory(created_at=created_at)

    page = show(administrator, period="12m")

    months = table(page, "sign-ups")
    labels = list(months)
    assert (len(labels), labels[0], labels[-1]) == (12, "April 2025", "March 2026")
    assert months["April 2025"] == ["1"]
    assert months["February 2026"] == ["1"]
    assert months["March 2026"] == ["1"]
    assert figure(page, "total-sign-ups") == "3"


def test_conversions_and_churn_count_changes_into_and_out_of_paid_access(
    administrator,
):
    before = FIRST_DAY - timedelta(days=40)
    for _ in range(5):
        change(before, False, True)
    change(before + SECOND, True, False, MembershipStatus.CANCELED)
    # In the period: two conversions on 1 March, a cancellation on 3 March,
    # a lapsed payment on 10 March; neither a change of tier nor an ended
    # membership that was not paying counts.
    march_1 = FIRST_DAY + timedelta(days=20, hours=1)
    change(march_1, False, True)
    change(march_1, False, True)
    change(march_1 + timedelta(days=2), True, False, MembershipStatus.CANCELED)
    change(NOW, True, False, MembershipStatus.PAST_DUE)
    change(NOW, True, True)
    change(NOW, False, False, MembershipStatus.CANCELED)

    page = show(administrator)

    assert figure(page, "total-conversions") == "2"
    assert figure(page, "total-churned") == "2"
    assert figure(page, "paying-at-start") == "4"
    assert figure(page, "paying-at-end") == "4"
    assert figure(page, "churn-rate") == "50.0 %"
    assert table(page, "conversions")["1 Mar 2026"] == ["2"]
    churn = table(page, "churn")
    # Paying at the start of the day, stopped, of which ended, of which lapsed.
    assert churn["1 Mar 2026"] == ["4", "0", "0", "0"]
    assert churn["3 Mar 2026"] == ["6", "1", "1", "0"]
    assert churn["10 Mar 2026"] == ["5", "1", "0", "1"]


def test_donations_are_counted_and_summed_net_of_refunds(administrator):
    on_day = FIRST_DAY + timedelta(days=5, hours=3)  # 14 February in Kyiv
    donation = {"kind": PaymentKind.DONATION, "created_at": on_day}
    payment(None, 1000, **donation)
    payment(
        None,
        2000,
        status=PaymentStatus.PARTLY_REFUNDED,
        refunded_amount=500,
        **donation,
    )
    payment(None, 700, status=PaymentStatus.REFUNDED, refunded_amount=700, **donation)
    payment(None, 900, status=PaymentStatus.FAILED, **donation)
    payment(None, 5000, currency="USD", **donation)
    payment(None, 500, created_at=on_day)  # a membership's

    page = show(administrator)

    assert figure(page, "total-donations") == "2"
    assert figure(page, "total-donated") == "€25.00"
    assert table(page, "donations")["14 Feb 2026"] == ["2", "€25.00"]
    assert table(page, "donations")["15 Feb 2026"] == ["0", "€0.00"]


def test_an_empty_period_shows_zeros_and_no_rate(administrator):
    page = show(administrator)

    for name in ("total-sign-ups", "total-conversions", "total-churned"):
        assert figure(page, name) == "0"
    assert figure(page, "churn-rate") == "—"
    assert figure(page, "total-donated") == "€0.00"
    assert not page.select(".audience-chart rect")
    assert text(page.select_one("#sign-ups svg title")) == "None in this period."
    assert ranking(page, "articles-by-sign-ups") == []
    assert text(page.select_one("#articles-by-sign-ups tbody")) == (
        "None in this period."
    )


def test_the_chart_names_its_peak_and_draws_a_bar_a_day(administrator):
    for _ in range(3):
        MemberFactory(created_at=TODAY + timedelta(hours=1))
    MemberFactory(created_at=FIRST_DAY)

    chart = show(administrator).select_one("#sign-ups svg")

    assert chart["role"] == "img"
    assert text(chart.title) == "4 in total; the most, 3, on 10 Mar 2026."
    bars = chart.select("rect")
    assert [(bar["height"], text(bar.title)) for bar in bars] == [
        ("33.3", "9 Feb 2026: 1"),
        ("100.0", "10 Mar 2026: 3"),
    ]


def test_in_ukrainian_the_bars_keep_their_numbers_and_money_its_way(
    administrator, django_user_model
):
    profile = UserProfile.get_for_user(django_user_model.objects.get(username="staff"))
    profile.preferred_language = "uk"
    profile.save()
    MemberFactory(created_at=TODAY)
    MemberFactory(created_at=FIRST_DAY)
    MemberFactory(created_at=FIRST_DAY)
    payment(None, 1250, kind=PaymentKind.DONATION, created_at=TODAY)

    page = show(administrator)

    assert page.html["lang"] == "uk"
    heights = [bar["height"] for bar in page.select("#sign-ups rect")]
    assert heights == ["100.0", "50.0"]
    # "12,50 €" with a no-break space, which text() reads as a space.
    assert figure(page, "total-donated") == "12,50 €"


def test_a_period_not_offered_is_refused(administrator):
    response = administrator.get(URL, {"period": "7y"})
    assert response.status_code == 400
    assert soup(response).select_one(".error-message") is not None
    assert administrator.get(CSV_URL, {"period": "7y"}).status_code == 400


def test_the_series_download_as_csv(administrator):
    MemberFactory(created_at=TODAY)
    payment(None, 1250, kind=PaymentKind.DONATION, created_at=TODAY)

    response = administrator.get(CSV_URL, {"period": "30d"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "audience-30d-2026-03-10.csv" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == [
        "period_start",
        "sign_ups",
        "paid_conversions",
        "churned",
        "paying_at_start",
        "donations",
        "donated",
        "currency",
    ]
    assert len(lines) == 31
    assert lines[-1] == ["2026-03-10", "1", "0", "0", "0", "1", "12.50", "EUR"]


def test_staff_without_a_view_of_memberships_are_refused(
    client, django_user_model, settings
):
    editor = staff(client, django_user_model, settings, groups=[EDITOR])
    assert editor.get(URL).status_code == 403
    assert editor.get(CSV_URL).status_code == 403


def test_a_view_of_memberships_alone_shows_no_donations(
    client, django_user_model, settings
):
    viewer = staff(
        client,
        django_user_model,
        settings,
        ("wagtailadmin", "access_admin"),
        ("memberships", "view_membership"),
    )
    payment(None, 1250, kind=PaymentKind.DONATION, created_at=TODAY)

    page = show(viewer)

    assert page.select_one("#sign-ups") is not None
    assert page.select_one("#donations") is None
    assert page.select_one("#total-donated") is None
    lines = viewer.get(CSV_URL).content.decode().splitlines()
    assert lines[0] == "period_start,sign_ups,paid_conversions,churned,paying_at_start"


def menu_links(client) -> dict[str, tuple[str, str]]:
    """The admin sidebar's links: url to (label, the submenu it is in)."""
    found = {}

    def walk(node, submenu=""):
        if isinstance(node, dict):
            args = node.get("_args")
            if isinstance(args, list) and args and isinstance(args[0], dict):
                if "url" in args[0]:
                    found[args[0]["url"]] = (args[0]["label"], submenu)
                submenu = args[0].get("name", submenu)
            for value in node.values():
                walk(value, submenu)
        elif isinstance(node, list):
            for value in node:
                walk(value, submenu)

    page = soup(client.get("/admin/"))
    props = page.select_one("#wagtail-sidebar-props")
    assert props is not None and props.string is not None
    walk(json.loads(props.string))
    return found


def test_the_menu_has_audience_under_memberships_for_those_who_may_see_them(
    client, django_user_model, settings
):
    viewer = staff(
        client,
        django_user_model,
        settings,
        ("wagtailadmin", "access_admin"),
        ("memberships", "view_membership"),
    )
    assert menu_links(viewer)[URL] == ("Audience", "memberships")

    user = django_user_model.objects.get(username="staff")
    user.user_permissions.remove(Permission.objects.get(codename="view_membership"))
    user.groups.add(Group.objects.get(name=EDITOR))
    assert URL not in menu_links(viewer)


def _bring_in(day, supporter, source="/world/story/"):
    """A member signed up on the period's ``day``, paying, and a donation."""
    at = FIRST_DAY + timedelta(days=day, hours=1)
    member = MemberFactory(created_at=at, source=f"{source}{day}/")
    MembershipChange.objects.create(
        member=member, tier=supporter, to_status="active", paid=True, at=at
    )
    payment(member, 100 + day, kind=PaymentKind.DONATION, created_at=at)


def test_queries_do_not_grow_with_the_data(
    administrator, django_assert_max_num_queries
):
    supporter = tier("supporter", 500, 5000)
    show(administrator)  # the admin's own lookups, kept after the first page
    _bring_in(0, supporter)
    with django_assert_max_num_queries(25) as first:
        show(administrator)
    budget = len(first.captured_queries)
    for day in range(1, 30):
        _bring_in(day, supporter, source=f"/page-{day}/")

    for period in ("30d", "12m"):
        with django_assert_max_num_queries(budget):
            page = show(administrator, period=period)
    assert figure(page, "total-sign-ups") == "30"
    assert figure(page, "total-conversions") == "30"
