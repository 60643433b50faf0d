"""The demo's two sign-ins: an editor in the Editor role and an administrator.

Accounts are created once and never touched again: a second ``masthead
demo`` keeps their passwords, rights and sessions (#14). A password is set
only on creation, from ``MASTHEAD_DEMO_PASSWORD`` or else generated; a
generated one is written to ``<var>/demo-logins.txt`` (readable by its owner
only) so it can be found again after the first run's output is gone.
"""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from masthead.newsroom.services import ADMINISTRATOR, EDITOR, ensure_roles
from masthead.newsroom.two_factor import must_use_two_factor

from .text import NEWSROOM_DOMAIN

PASSWORD_ENV = "MASTHEAD_DEMO_PASSWORD"  # noqa: S105 - a variable name
LOGINS_FILE = "demo-logins.txt"


@dataclass(frozen=True)
class DemoAccount:
    """What the demo can say about one of its sign-ins.

    ``password`` is the one set by this run, or None when the account existed
    and kept its own; ``two_factor`` whether it must set up an authenticator
    app (newsroom/two_factor.py).
    """

    role: str
    username: str
    password: str | None
    two_factor: bool
    user: Any


# (role, username, first name, last name, superuser)
ACCOUNTS = (
    (EDITOR, "editor", "Demo", "Editor", False),
    (ADMINISTRATOR, "admin", "Demo", "Administrator", True),
)


def logins_path() -> Path:
    """Where generated demo passwords are written."""
    return Path(settings.VAR_DIR) / LOGINS_FILE


def ensure_demo_accounts(password: str | None = None) -> list[DemoAccount]:
    """Create the demo editor and administrator unless they exist.

    Args:
        password: the password of accounts created now; else
            ``MASTHEAD_DEMO_PASSWORD``, else one generated per account and
            written to ``logins_path()``.

    Returns:
        The editor's and the administrator's account, in that order.
    """
    chosen = password or os.environ.get(PASSWORD_ENV)
    groups = ensure_roles() if not Group.objects.filter(name=EDITOR).exists() else {}
    user_model: Any = get_user_model()
    accounts, generated = [], {}
    for role, username, first_name, last_name, is_superuser in ACCOUNTS:
        user = user_model.objects.filter(username=username).first()
        new_password = None
        if user is None:
            new_password = chosen or secrets.token_urlsafe(12)
            user = user_model(
                username=username,
                email=f"{username}@{NEWSROOM_DOMAIN}",
                first_name=first_name,
                last_name=last_name,
                is_active=True,
                # Wagtail needs no is_staff; the administrator also gets
                # Django's own admin-site flag with superuser rights.
                is_staff=is_superuser,
                is_superuser=is_superuser,
            )
            user.set_password(new_password)
            user.save()
            group = groups.get(role) or Group.objects.get(name=role)
            user.groups.add(group)
            if not chosen:
                generated[username] = new_password
        accounts.append(
            DemoAccount(role, username, new_password, must_use_two_factor(user), user)
        )
    if generated:
        _write_logins(generated)
    return accounts


def written_login(username: str) -> bool:
    """Whether ``logins_path()`` holds a generated password for ``username``."""
    try:
        lines = logins_path().read_text().splitlines()
    except OSError:
        return False
    return any(line.split(" ", 1)[0] == username for line in lines)


def _write_logins(generated: dict[str, str]) -> None:
    path = logins_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = []
    if path.exists():
        kept = [
            line
            for line in path.read_text().splitlines()
            if line.split(" ", 1)[0] not in generated
        ]
    lines = [*kept, *(f"{name} {secret}" for name, secret in generated.items())]
    # Created readable by its owner only, before the passwords go in.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write("\n".join(lines) + "\n")
