"""A Wagtail locale for every edition (#15, docs/editions.md).

Wagtail creates only the default language's locale; each other edition
(``MASTHEAD_EDITIONS``, Ukrainian by default) needs its own before its
home page can exist. This covers the editions configured when it runs; an
edition added to the setting later gets its locale from the admin's
Locales page (or ``make demo``).
"""

from django.conf import settings
from django.db import migrations


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore.Locale")
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0012_genres_and_standard_pages"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_locales, migrations.RunPython.noop)]
