"""The database as web requests use it: atomic admin writes, bounded statements.

Publishing from the admin is all or nothing (#13). Wagtail's edit view saves
a revision, then publishes it, each in a transaction of its own
(``wagtail/admin/views/pages/edit.py`` ``publish_action``); an app process
killed between the two left the new version saved as an unpublished draft,
once in ten kills 2-50 ms after the click. ``AtomicAdminWritesMiddleware``
runs every admin write in one transaction: the revision, the publish, the
pipeline's content work and the outbox rows of its side effects (purges,
reindexing) commit together, and the worker replays those rows if the
process dies after the commit. Django's ``ATOMIC_REQUESTS`` would wrap
readers' requests too: on SQLite, where transactions take the write lock at
once (``transaction_mode: IMMEDIATE``), every page view would queue behind
every other.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.http import HttpRequest
from django.http.response import HttpResponseBase

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class AtomicAdminWritesMiddleware:
    """Run each write to the admin (any method but GET and HEAD) in one transaction.

    A response of 500 or above rolls it back: by then Django has turned the
    view's exception into that response, so none reaches this middleware.
    Statements of these requests have no time limit (see ``limit_statements``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in SAFE_METHODS or not request.path.startswith(
            ADMIN_PREFIXES
        ):
            # Case: reading, or a public form: no transaction of ours.
            return self.get_response(request)
        with transaction.atomic():
            _lift_statement_timeout()
            response = self.get_response(request)
            if response.status_code >= 500:
                # Case: the view failed part way: keep none of its writes.
                transaction.set_rollback(True)
        return response


def _lift_statement_timeout() -> None:
    connection = connections["default"]
    if connection.vendor == "postgresql" and settings.MASTHEAD_DB_STATEMENT_TIMEOUT:
        with connection.cursor() as cursor:
            # For this transaction only: publishing a large section's move
            # may take longer than any reader's page.
            cursor.execute("SET LOCAL statement_timeout = 0")


def limit_statements(
    sender: object, connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    """Give a new PostgreSQL connection ``MASTHEAD_DB_STATEMENT_TIMEOUT``.

    A ``connection_created`` receiver: connections are kept
    (``CONN_MAX_AGE``), so this runs once per connection, not per request.
    """
    seconds = settings.MASTHEAD_DB_STATEMENT_TIMEOUT
    if connection.vendor != "postgresql" or seconds <= 0:
        return
    with connection.cursor() as cursor:
        # An integer literal: SET takes no bound parameters.
        cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")


def limit_web_statements() -> None:
    """Bound every statement of this process (a web process: masthead/wsgi.py).

    Readers' queries that run away are cancelled by PostgreSQL instead of
    holding a thread and a connection; migrations, the demo and the task
    worker are other processes and keep no limit.
    """
    connection_created.connect(limit_statements, dispatch_uid="masthead-db-limit")
