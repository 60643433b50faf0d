"""``EMAIL_URL``: one variable that picks how mail leaves the site (#16).

Parsed here rather than by dj-email-url, which knows SMTP and the console
but none of django-anymail's providers, and has had no release since 2022;
django-environ's parser has the same gap and brings a settings framework
Masthead does not use. The grammar is small enough to own and test
(core/tests/test_email_url.py).

    smtp://user:password@host:587/?tls=1     SMTP, STARTTLS
    smtps://user:password@host               SMTP over TLS (port 465)
    mailgun://KEY@?sender_domain=mg.example.org&api_url=https://api.eu.mailgun.net/v3
    amazonses://?region_name=eu-west-1       credentials from boto3's chain
    postmark://TOKEN@   sendgrid://KEY@   brevo://KEY@
    console://          the process's standard output
    catcher://          kept in the database, read in the admin
    dummy://            nowhere

User names and passwords are percent-decoded, so ``%40`` stands for ``@``.
The result is a mailer of Django 6.1's ``MAILERS`` setting (a back end and
its ``OPTIONS``; the ``EMAIL_HOST``-style settings are deprecated there):
SMTP's host, port and credentials, or a provider's key and options, which
django-anymail reads from ``OPTIONS`` before its ``ANYMAIL`` setting.
"""

from dataclasses import dataclass, field
from importlib.util import find_spec
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CATCHER_BACKEND = "masthead.core.mail_backends.CatcherBackend"
SIMPLE_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "catcher": CATCHER_BACKEND,
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
# django-anymail's providers: the scheme, its back end, and the option the
# URL's user part fills (its secret).
ESPS = {
    "mailgun": ("anymail.backends.mailgun.EmailBackend", "api_key"),
    "postmark": ("anymail.backends.postmark.EmailBackend", "server_token"),
    "sendgrid": ("anymail.backends.sendgrid.EmailBackend", "api_key"),
    "brevo": ("anymail.backends.brevo.EmailBackend", "api_key"),
    "amazonses": ("anymail.backends.amazon_ses.EmailBackend", ""),
}
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}
SMTP_OPTIONS = {"tls", "ssl", "timeout"}


@dataclass
class EmailConfig:
    """The mailer an ``EMAIL_URL`` stands for: a back end and its options."""

    backend: str
    options: dict[str, Any] = field(default_factory=dict)

    def mailer(self) -> dict[str, Any]:
        """This config as an entry of ``MAILERS``."""
        return {"BACKEND": self.backend, "OPTIONS": dict(self.options)}


def _fail(url: str, reason: str) -> ImproperlyConfigured:
    """The error for a bad URL, naming the setting and never the secret."""
    scheme = url.partition(":")[0] or "(none)"
    return ImproperlyConfigured(
        f"EMAIL_URL is not valid ({reason}); scheme {scheme!r}. "
        "Examples: smtp://user:password@host:587/?tls=1, mailgun://KEY@?"
        "sender_domain=mg.example.org, console://, catcher:// (docs/email.md)."
    )


def _flag(url: str, name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered not in TRUE | FALSE:
        raise _fail(url, f"{name}={value!r} is not 1 or 0")
    return lowered in TRUE


def parse_email_url(url: str) -> EmailConfig:
    """Read ``url`` into the settings it stands for.

    Raises:
        ImproperlyConfigured: an unknown scheme, a bad port or option, a
            provider without its key, TLS and SSL both on, or Amazon SES
            without boto3 installed. The message names ``EMAIL_URL``.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise _fail(url, str(error)) from None
    scheme = parts.scheme.lower()
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    user = unquote(parts.username or "")
    password = unquote(parts.password or "")
    if scheme in SIMPLE_BACKENDS:
        return EmailConfig(backend=SIMPLE_BACKENDS[scheme])
    if scheme in {"smtp", "smtps"}:
        return _smtp(url, scheme, parts.hostname or "", port, user, password, query)
    if scheme in ESPS:
        return _esp(url, scheme, user, password, query)
    raise _fail(url, "unknown scheme" if scheme else "no scheme")


def _smtp(
    url: str,
    scheme: str,
    host: str,
    port: int | None,
    user: str,
    password: str,
    query: dict[str, str],
) -> EmailConfig:
    if not host:
        raise _fail(url, "no host")
    unknown = set(query) - SMTP_OPTIONS
    if unknown:
        raise _fail(url, f"unknown option {sorted(unknown)[0]!r}")
    use_ssl = scheme == "smtps" or _flag(url, "ssl", query.get("ssl", "0"))
    use_tls = _flag(url, "tls", query.get("tls", "0"))
    if use_ssl and use_tls:
        raise _fail(url, "TLS (STARTTLS) and SSL cannot both be on")
    timeout = None
    if "timeout" in query:
        try:
            timeout = float(query["timeout"])
        except ValueError:
            raise _fail(url, f"timeout={query['timeout']!r} is not a number") from None
    default_port = 465 if use_ssl else 587 if use_tls else 25
    return EmailConfig(
        SMTP_BACKEND,
        {
            "host": host,
            "port": port or default_port,
            "username": user,
            "password": password,
            "use_tls": use_tls,
            "use_ssl": use_ssl,
            "timeout": timeout,
        },
    )


def _esp(
    url: str, scheme: str, user: str, password: str, query: dict[str, str]
) -> EmailConfig:
    backend, secret_name = ESPS[scheme]
    options: dict[str, Any] = {}
    if scheme == "amazonses":
        # boto3 is an optional extra of django-anymail (docs/email.md).
        if find_spec("boto3") is None:
            raise _fail(url, "Amazon SES needs boto3: pip install boto3")
        client: dict[str, str] = {}
        if user:
            client["aws_access_key_id"] = user
            client["aws_secret_access_key"] = password
        if "region_name" in query:
            client["region_name"] = query.pop("region_name")
        if client:
            options["client_params"] = client
    else:
        # The key is the user part; a key with a colon keeps it whole.
        secret = f"{user}:{password}" if password else user
        if not secret:
            raise _fail(url, f"no key: write {scheme}://KEY@")
        options[secret_name] = secret
    options.update(query)
    return EmailConfig(backend, options)


DELIVERY_BACKEND = "masthead.core.mail_backends.DeliveryBackend"
# Variables that set or override SMTP's parts one by one, by option.
SMTP_VARIABLES = {
    "host": "EMAIL_HOST",
    "port": "EMAIL_PORT",
    "username": "EMAIL_HOST_USER",
    "password": "EMAIL_HOST_PASSWORD",
    "use_tls": "EMAIL_USE_TLS",
    "use_ssl": "EMAIL_USE_SSL",
    "timeout": "EMAIL_TIMEOUT",
}
DEFAULT_SMTP_TIMEOUT = 10.0


def _bad(variable: str, value: str, wanted: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{variable}={value!r} is not {wanted}.")


def _smtp_overridden(config: EmailConfig, smtp: dict[str, str | None]) -> EmailConfig:
    """``config`` (SMTP) with the ``EMAIL_*`` variables that are set applied."""
    options: dict[str, Any] = {
        "host": "localhost",
        "port": None,
        "username": "",
        "password": "",
        "use_tls": False,
        "use_ssl": False,
        "timeout": DEFAULT_SMTP_TIMEOUT,
        **{k: v for k, v in config.options.items() if v is not None},
    }
    for option, variable in SMTP_VARIABLES.items():
        value = smtp.get(option)
        if value is None:
            continue
        if option == "port":
            if not value.strip().isdigit() or not 0 < int(value) < 65536:
                raise _bad(variable, value, "a port number")
            options[option] = int(value)
        elif option in {"use_tls", "use_ssl"}:
            if value.strip().lower() not in TRUE | FALSE:
                raise _bad(variable, value, "1 or 0")
            options[option] = value.strip().lower() in TRUE
        elif option == "timeout":
            try:
                options[option] = float(value)
            except ValueError:
                raise _bad(variable, value, "a number of seconds") from None
        else:
            options[option] = value
    if options["use_tls"] and options["use_ssl"]:
        raise ImproperlyConfigured(
            "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on (EMAIL_URL: "
            "?tls=1 or smtps://)."
        )
    if options["port"] is None:
        options["port"] = (
            465 if options["use_ssl"] else 587 if options["use_tls"] else 25
        )
    return EmailConfig(SMTP_BACKEND, options)


def mailers_from(
    url: str, smtp: dict[str, str | None], bulk_url: str = ""
) -> dict[str, dict[str, Any]]:
    """The ``MAILERS`` setting from ``EMAIL_URL`` and the ``EMAIL_*`` variables.

    Args:
        url: ``EMAIL_URL``, or empty.
        smtp: the values of ``SMTP_VARIABLES`` by option, ``None`` when unset.
            Without a URL, a host makes it SMTP; with neither, the catcher.
        bulk_url: ``MASTHEAD_BULK_EMAIL_URL`` for newsletters; empty: the
            same way as everything else.

    Returns:
        ``default`` (``DeliveryBackend``: failures are one log line),
        ``delivery`` (what actually sends) and ``bulk`` (what newsletters
        send through).
    """
    if url:
        config = parse_email_url(url)
    elif smtp.get("host"):
        config = EmailConfig(SMTP_BACKEND)
    else:
        config = EmailConfig(CATCHER_BACKEND)
    if config.backend == SMTP_BACKEND:
        config = _smtp_overridden(config, smtp)
    bulk = parse_email_url(bulk_url) if bulk_url else config
    if bulk.backend == SMTP_BACKEND and bulk is not config:
        bulk = _smtp_overridden(bulk, {})
    return {
        "default": {"BACKEND": DELIVERY_BACKEND, "OPTIONS": {"mailer": "delivery"}},
        "delivery": config.mailer(),
        "bulk": bulk.mailer(),
    }
