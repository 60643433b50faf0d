"""The ``masthead`` command: Django's management commands with our settings.

Users run ``masthead migrate`` or ``masthead demo`` and never need to know the
settings module; DJANGO_SETTINGS_MODULE still wins when set.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, e.g. ``masthead demo``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["masthead", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
