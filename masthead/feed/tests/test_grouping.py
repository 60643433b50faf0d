from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from masthead.feed.models import group_by_day


@dataclass
class Item:
    published_at: datetime


def test_items_either_side_of_kyiv_midnight_fall_on_two_days():
    # 21:30 and 22:30 UTC on 26 Nov are 23:30 on the 26th and 00:30 on the
    # 27th in Kyiv (UTC+2): one UTC day, two local days.
    late = Item(datetime(2026, 11, 26, 22, 30, tzinfo=UTC))
    early = Item(datetime(2026, 11, 26, 21, 30, tzinfo=UTC))

    kyiv_days = group_by_day([late, early], ZoneInfo("Europe/Kyiv"))
    utc_days = group_by_day([late, early], UTC)

    assert [(d.day, d.items) for d in kyiv_days] == [
        (date(2026, 11, 27), [late]),
        (date(2026, 11, 26), [early]),
    ]
    assert [(d.day, d.items) for d in utc_days] == [(date(2026, 11, 26), [late, early])]


def test_grouping_follows_the_summer_offset():
    # On 1 July Kyiv is UTC+3: 21:00 UTC is already the next day there.
    item = Item(datetime(2026, 7, 1, 21, 0, tzinfo=UTC))
    assert group_by_day([item], ZoneInfo("Europe/Kyiv"))[0].day == date(2026, 7, 2)


def test_no_items_no_days():
    assert group_by_day([], UTC) == []
