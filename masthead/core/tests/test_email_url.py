"""EMAIL_URL (core/email_url.py, #16): each scheme, and bad URLs named clearly."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from masthead.core.email_url import (
    CATCHER_BACKEND,
    DELIVERY_BACKEND,
    SMTP_BACKEND,
    mailers_from,
    parse_email_url,
)
from masthead.core.tests.processes import run_fresh_python


def test_smtp_with_starttls_and_credentials():
    config = parse_email_url(
        "smtp://news%40example.org:s3cr%2Ft@mail.example.org:587/?tls=1"
    )
    assert config.mailer() == {
        "BACKEND": SMTP_BACKEND,
        "OPTIONS": {
            "host": "mail.example.org",
            "port": 587,
            "username": "news@example.org",
            "password": "s3cr/t",
            "use_tls": True,
            "use_ssl": False,
            "timeout": None,
        },
    }


def test_plain_smtp_defaults_to_port_25_without_tls():
    options = parse_email_url("smtp://localhost").options
    assert (options["host"], options["port"]) == ("localhost", 25)
    assert (options["use_tls"], options["use_ssl"], options["timeout"]) == (
        False,
        False,
        None,
    )


def test_smtps_is_ssl_on_port_465():
    options = parse_email_url("smtps://user:pass@mail.example.org").options
    assert (options["port"], options["use_ssl"], options["use_tls"]) == (
        465,
        True,
        False,
    )


def test_smtp_timeout_option():
    assert parse_email_url("smtp://h:2525/?timeout=2.5").options["timeout"] == 2.5


@pytest.mark.parametrize(
    ("url", "backend", "options"),
    [
        (
            "mailgun://key-123@?sender_domain=mg.example.org",
            "anymail.backends.mailgun.EmailBackend",
            {"api_key": "key-123", "sender_domain": "mg.example.org"},
        ),
        (
            "mailgun://key-123@?api_url=https://api.eu.mailgun.net/v3",
            "anymail.backends.mailgun.EmailBackend",
            {
                "api_key": "key-123",
                "api_url": "https://api.eu.mailgun.net/v3",
            },
        ),
        (
            "postmark://server-token@",
            "anymail.backends.postmark.EmailBackend",
            {"server_token": "server-token"},
        ),
        (
            "sendgrid://SG.abc@",
            "anymail.backends.sendgrid.EmailBackend",
            {"api_key": "SG.abc"},
        ),
        (
            "brevo://xkeysib-1@",
            "anymail.backends.brevo.EmailBackend",
            {"api_key": "xkeysib-1"},
        ),
    ],
)
def test_providers_through_anymail(url, backend, options):
    config = parse_email_url(url)
    assert config.backend == backend
    assert config.options == options


def test_amazon_ses_region_and_keys(monkeypatch):
    monkeypatch.setattr("masthead.core.email_url.find_spec", lambda name: object())
    config = parse_email_url("amazonses://AKIA1:secret@?region_name=eu-west-1")
    assert config.backend == "anymail.backends.amazon_ses.EmailBackend"
    assert config.options == {
        "client_params": {
            "aws_access_key_id": "AKIA1",
            "aws_secret_access_key": "secret",
            "region_name": "eu-west-1",
        }
    }


def test_amazon_ses_without_boto3_names_what_to_install(monkeypatch):
    monkeypatch.setattr("masthead.core.email_url.find_spec", lambda name: None)
    with pytest.raises(ImproperlyConfigured, match=r"EMAIL_URL.*boto3"):
        parse_email_url("amazonses://")


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("console://", "django.core.mail.backends.console.EmailBackend"),
        ("catcher://", CATCHER_BACKEND),
        ("dummy://", "django.core.mail.backends.dummy.EmailBackend"),
        ("locmem://", "django.core.mail.backends.locmem.EmailBackend"),
    ],
)
def test_local_back_ends(url, backend):
    assert parse_email_url(url).backend == backend


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("gopher://mail.example.org", "unknown scheme"),
        ("mail.example.org:25", "unknown scheme"),
        ("", "no scheme"),
        ("smtp://", "no host"),
        ("smtp://host:port/", "Port could not be cast"),
        ("smtp://host:99999/", "out of range"),
        ("smtp://host/?tls=maybe", "tls='maybe'"),
        ("smtp://host/?tls=1&ssl=1", "cannot both be on"),
        ("smtp://host/?timeout=soon", "not a number"),
        ("smtp://host/?tsl=1", "unknown option 'tsl'"),
        ("mailgun://?sender_domain=mg.example.org", "no key"),
    ],
)
def test_bad_urls_name_the_setting(url, reason):
    with pytest.raises(ImproperlyConfigured) as raised:
        parse_email_url(url)
    message = str(raised.value)
    assert message.startswith("EMAIL_URL is not valid")
    assert reason in message


def test_the_error_never_shows_the_password():
    with pytest.raises(ImproperlyConfigured) as raised:
        parse_email_url("smtp://user:hunter2@host:bad/")
    assert "hunter2" not in str(raised.value)


NO_SMTP = dict.fromkeys(
    ("host", "port", "username", "password", "use_tls", "use_ssl", "timeout")
)


def test_nothing_configured_means_the_catcher_behind_delivery():
    mailers = mailers_from("", NO_SMTP)
    assert mailers["default"] == {
        "BACKEND": DELIVERY_BACKEND,
        "OPTIONS": {"mailer": "delivery"},
    }
    assert mailers["delivery"]["BACKEND"] == CATCHER_BACKEND
    assert mailers["bulk"] == mailers["delivery"]


def test_email_host_alone_means_smtp_with_a_timeout():
    mailers = mailers_from("", {**NO_SMTP, "host": "mx.example.org", "port": "2525"})
    assert mailers["delivery"] == {
        "BACKEND": SMTP_BACKEND,
        "OPTIONS": {
            "host": "mx.example.org",
            "port": 2525,
            "username": "",
            "password": "",
            "use_tls": False,
            "use_ssl": False,
            "timeout": 10.0,
        },
    }


def test_variables_override_the_url_so_the_password_can_live_apart():
    mailers = mailers_from(
        "smtp://news@mail.example.org/?tls=1",
        {**NO_SMTP, "password": "from-a-secret-file", "timeout": "3"},
    )
    options = mailers["delivery"]["OPTIONS"]
    assert (options["username"], options["password"]) == (
        "news",
        "from-a-secret-file",
    )
    assert (options["port"], options["use_tls"], options["timeout"]) == (587, True, 3)


def test_bulk_mail_can_go_through_a_provider_of_its_own():
    mailers = mailers_from(
        "smtp://mail.example.org", NO_SMTP, bulk_url="postmark://token@"
    )
    assert mailers["delivery"]["BACKEND"] == SMTP_BACKEND
    assert mailers["bulk"] == {
        "BACKEND": "anymail.backends.postmark.EmailBackend",
        "OPTIONS": {"server_token": "token"},
    }


@pytest.mark.parametrize(
    ("smtp", "message"),
    [
        ({"host": "h", "port": "twenty-five"}, "EMAIL_PORT='twenty-five'"),
        ({"host": "h", "use_tls": "sure"}, "EMAIL_USE_TLS='sure'"),
        ({"host": "h", "timeout": "soon"}, "EMAIL_TIMEOUT='soon'"),
        ({"host": "h", "use_tls": "1", "use_ssl": "1"}, "EMAIL_USE_TLS and"),
    ],
)
def test_bad_variables_are_named(smtp, message):
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        mailers_from("", {**NO_SMTP, **smtp})


def test_a_provider_mailer_is_built_by_anymail_from_its_options():
    from django.core.mail import mailers

    url = "mailgun://key-123@?sender_domain=mg.example.org"
    with override_settings(MAILERS={"default": parse_email_url(url).mailer()}):
        backend = mailers["default"]
    assert (backend.api_key, backend.sender_domain) == ("key-123", "mg.example.org")


def test_the_server_process_reads_email_host_and_port():
    # `masthead serve` hands its environment to granian's workers unchanged.
    printed = run_fresh_python(
        """
        import django
        django.setup()
        from django.conf import settings
        print(settings.MAILERS["delivery"]["OPTIONS"]["host"])
        print(settings.MAILERS["delivery"]["OPTIONS"]["port"])
        """,
        EMAIL_HOST="mail.internal",
        EMAIL_PORT="2525",
        EMAIL_URL="",
    )
    assert printed.split() == ["mail.internal", "2525"]


def test_deploy_check_warns_when_mail_is_only_caught():
    from masthead.core.mail_checks import check_mail_goes_out

    with override_settings(MAILERS=mailers_from("", NO_SMTP)):
        assert [m.id for m in check_mail_goes_out()] == ["masthead.W001"]
    smtp = mailers_from("smtp://mail.example.org", NO_SMTP)
    with override_settings(MAILERS=smtp, DEFAULT_FROM_EMAIL="News <n@localhost>"):
        assert [m.id for m in check_mail_goes_out()] == ["masthead.W002"]
    with override_settings(MAILERS=smtp, DEFAULT_FROM_EMAIL="news@example.org"):
        assert check_mail_goes_out() == []
