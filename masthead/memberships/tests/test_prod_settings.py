"""Production refuses to start on the demo provider unless told to (#17).

The demo provider gives memberships away; a site that forgot to set
``MASTHEAD_PAYMENT_PROVIDER`` must not go live on it.
"""

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured

from masthead.settings import memberships


def load_prod():
    return importlib.reload(importlib.import_module("masthead.settings.prod"))


@pytest.fixture
def production(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-only-" + "x" * 40)
    monkeypatch.delenv("MASTHEAD_ALLOW_DEMO_PAYMENTS", raising=False)
    return monkeypatch


def test_production_refuses_to_start_on_demo_payments(production):
    production.setattr(memberships, "MASTHEAD_PAYMENT_PROVIDER", "demo")
    with pytest.raises(ImproperlyConfigured, match="MASTHEAD_ALLOW_DEMO_PAYMENTS"):
        load_prod()


def test_production_starts_on_demo_payments_when_allowed(production):
    production.setattr(memberships, "MASTHEAD_PAYMENT_PROVIDER", "demo")
    production.setenv("MASTHEAD_ALLOW_DEMO_PAYMENTS", "1")
    assert load_prod().DEBUG is False


def test_production_starts_on_a_real_provider(production):
    production.setattr(memberships, "MASTHEAD_PAYMENT_PROVIDER", "stripe")
    assert load_prod().DEBUG is False
