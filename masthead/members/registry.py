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
from datetime import datetime
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


@dataclass(frozen=True)
class SignUpOffer:
    """A choice on the sign-up form, e.g. a newsletter: ``key`` is stored."""

    key: str
    label: str
    checked: bool


_offer_sources: dict[str, Callable[[str], list[SignUpOffer]]] = {}
_offer_takers: dict[str, Callable[[Member, list[str], str], None]] = {}


def register_sign_up_offers(
    key: str,
    offers: Callable[[str], list[SignUpOffer]],
    accept: Callable[[Member, list[str], str], None],
) -> None:
    """Offer choices to new members: ``offers(language)`` lists them (ticked
    in advance when ``checked``); ``accept(member, keys, source)`` takes the
    ones a new member kept, once their link proved the address."""
    _offer_sources[key] = offers
    _offer_takers[key] = accept


def sign_up_offers(language: str) -> list[SignUpOffer]:
    """Every registered choice for a new member of the ``language`` edition."""
    return [offer for offers in _offer_sources.values() for offer in offers(language)]


def accept_sign_up_offers(member: Member, keys: list[str], source: str) -> None:
    """Hand each app the ``keys`` a new member chose (it ignores unknown ones)."""
    for accept in _offer_takers.values():
        accept(member, keys, source)


# What a member's access pass holds beyond "signed in" (core/grants.py):
# the paid tiers each app says the member holds, and until when.
PaidTiers = Callable[[Member], tuple[set[int], datetime | None]]
_paid_tiers: dict[str, PaidTiers] = {}


def register_paid_tiers(key: str, source: PaidTiers) -> None:
    """Add ``source(member)``: the ids of the paid tiers the member holds now
    and the time that access ends (None: no known end)."""
    _paid_tiers[key] = source


def paid_tiers() -> list[PaidTiers]:
    return list(_paid_tiers.values())
