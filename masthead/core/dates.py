"""Weekday names as the editions write them in dates (#15).

Ukrainian writes a weekday in lower case, mid-sentence and in a heading
alike («четвер, 3 грудня»); Django's Ukrainian catalogue capitalises the
names, as a calendar's column headings. The date format ``l`` reads
Django's own messages, so marking the same messages here brings them into
the project's catalogue (core/locale), whose wording wins over Django's:
``core`` is the first installed app. English has no catalogue and keeps
Django's names.
"""

from django.utils.translation import gettext_noop

WEEKDAY_NAMES = (
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
)
