"""What other apps add to a member's account page and data download (#16).

Members sit below the apps that keep things about a member (newsletters,
later memberships), so they cannot import them. Those apps register here
from their ``AppConfig.ready``: a section of the account page (a template
and a function giving its context) and a part of "download my data" (a key
and a function giving plain, JSON-ready data).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import Member


@dataclass(frozen=True)
class AccountSection:
    """A section of the account page: ``template`` rendered with ``context(member)``."""

    key: str
    template: str
    context: Callable[[Member], dict[str, Any]]


_sections: dict[str, AccountSection] = {}
_exports: dict[str, Callable[[Member], Any]] = {}


def register_account_section(
    key: str, template: str, context: Callable[[Member], dict[str, Any]]
) -> None:
    """Add a section to the account page (once per ``key``; ready() may rerun)."""
    _sections[key] = AccountSection(key, template, context)


def account_sections() -> list[AccountSection]:
    """The registered sections, in the order they were registered."""
    return list(_sections.values())


def register_export(key: str, export: Callable[[Member], Any]) -> None:
    """Add ``export(member)`` to the data download under ``key``."""
    _exports[key] = export


def exports() -> dict[str, Callable[[Member], Any]]:
    """The registered parts of the data download, by key."""
    return dict(_exports)
