"""Settings shared by every environment.

Every value an operator may change comes from an environment variable with a
safe default for local use; docs/settings.md lists them all.
"""

import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from masthead.core.background import BACKGROUND, OUTBOX_QUEUE, RENDITIONS_QUEUE
from masthead.core.security import PUBLIC_POLICY
from masthead.newsroom.scheduler import recurring_tasks

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Runtime state (SQLite, media, the generated secret): var/ or MASTHEAD_VAR_DIR.
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(os.environ.get("MASTHEAD_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on")."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable into a list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


def _local_secret_key() -> str:
    """Return a per-installation key kept in var/, created on first use.

    No secret is committed: production sets SECRET_KEY, a local checkout gets
    its own random key that survives restarts (sessions stay valid).
    """
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "masthead.core",
    "masthead.cache",
    "masthead.people",
    "masthead.taxonomy",
    "masthead.content",
    "masthead.feed",
    "masthead.analytics",
    "masthead.syndication",
    "masthead.search",
    "masthead.members",
    *("masthead.api", "masthead.webhooks", "masthead.importers"),  # #18
    "masthead.newsletters",
    "masthead.memberships",
    "masthead.comments",
    "masthead.web",
    "masthead.demo",
    "dj_queue",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "wagtail.contrib.forms",
    # Wagtail's apps, less the unrouted API they import (core/wagtail_apps.py, #5).
    "masthead.core.wagtail_apps.RedirectsConfig",
    "wagtail.contrib.settings",
    "masthead.core.wagtail_apps.LocalesConfig",  # editions' locales (#15)
    "wagtail.contrib.simple_translation",  # the pages' "Translate" (#15)
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "masthead.core.wagtail_apps.SnippetsConfig",
    "masthead.core.wagtail_apps.DocumentsConfig",
    "masthead.core.wagtail_apps.ImagesConfig",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Last: builds the roles once every app's permissions exist.
    "masthead.newsroom",
]

MIDDLEWARE = [
    # First, so it labels the response every other middleware has finished.
    "masthead.cache.CacheTagsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "masthead.core.security.AdminPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "masthead.newsroom.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Each admin write in one transaction: a publish is all or nothing (#13).
    "masthead.core.db.AtomicAdminWritesMiddleware",
    # Before any lookup of the path: PostgreSQL refuses NUL characters.
    "masthead.core.middleware.NulPathMiddleware",
    # Hands Wagtail the site kept per process, before anything looks it up.
    "masthead.cache.pages.SiteMiddleware",
    # The path alone names the edition: no Vary: Accept-Language (#15).
    "masthead.core.editions.EditionMiddleware",
    "masthead.content.middleware.GoneMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Leaves a device cookie after a successful sign-in (newsroom/signin.py).
    "masthead.newsroom.signin.DeviceCookieMiddleware",
    # Last, as django-axes requires: counts failed sign-ins and locks out.
    "axes.middleware.AxesMiddleware",
    # Innermost: turns a database outage in a view into 503, not 500; one
    # met in a middleware is answered by handler500 (masthead/urls.py).
    "masthead.cache.availability.DatabaseUnavailableMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "masthead.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                # hreflang links and the language switcher (#15).
                "masthead.web.editions.edition_links",
            ],
        },
    },
]

WSGI_APPLICATION = "masthead.wsgi.application"

# SQLite in WAL mode with persistent connections is the embedded default:
# CONN_MAX_AGE=0 cost about 25% of throughput in a prototype (issue #2).
DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'masthead.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=5000;"
            "PRAGMA temp_store=MEMORY;"
            "PRAGMA mmap_size=268435456;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    # Django REST framework (which Wagtail's admin API and hooks import in
    # every process) imports Django's PostgreSQL fields, and psycopg with
    # them, whenever psycopg is installed: about 9 MB for a site that never
    # talks to PostgreSQL (#5). None in sys.modules makes `import psycopg`
    # fail as if it were absent, which REST framework expects.
    sys.modules.setdefault("psycopg", None)  # type: ignore[arg-type]
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's search index uses PostgreSQL's full-text fields there, and
    # their system checks require Django's postgres app.
    INSTALLED_APPS.insert(
        INSTALLED_APPS.index("masthead.newsroom"), "django.contrib.postgres"
    )
    # Not libpq's default of waiting for ever on a hung database (#13).
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("MASTHEAD_DB_CONNECT_TIMEOUT", "3")
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("MASTHEAD_LANGUAGE", "en")
# Editions (docs/editions.md, #15): the default one at ``/``, others at ``/uk/``.
_editions = env_list("MASTHEAD_EDITIONS", f"{LANGUAGE_CODE},uk")
MASTHEAD_EDITIONS = list(dict.fromkeys([LANGUAGE_CODE, *_editions]))
_NAMES = {"en": "English", "uk": "Українська"}
LANGUAGES = [(code, _NAMES.get(code, code)) for code in MASTHEAD_EDITIONS]
WAGTAIL_CONTENT_LANGUAGES, WAGTAIL_I18N_ENABLED = LANGUAGES, True
# The publication's time zone: News Feed days and printed dates follow it.
TIME_ZONE = os.environ.get("MASTHEAD_TIME_ZONE", "Europe/Kyiv")
USE_I18N = USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("MASTHEAD_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MASTHEAD_MEDIA_ROOT", VAR_DIR / "media"))
# Unsaved uploads of Wagtail's multiple uploader: kept outside MEDIA_ROOT so
# no URL reaches them (core/storage.py, issue #12).
MASTHEAD_PRIVATE_UPLOADS_ROOT = Path(
    os.environ.get("MASTHEAD_PRIVATE_UPLOADS_ROOT", VAR_DIR / "private-uploads")
)
# Every stored image loses its location there (core/storage.py).
STORAGES = {
    "default": {"BACKEND": "masthead.core.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Embedded mode serves uploaded media from the app; production puts a web
# server or object storage in front and turns this off.
MASTHEAD_SERVE_MEDIA = env_bool("MASTHEAD_SERVE_MEDIA", True)

# Scale-out mode (docs/deployment.md): Redis holds the page cache, shared by
# every app process (core/cache.py). Django's own caches (Wagtail's site
# root paths, settings, renditions) stay in each process: Django's Redis
# backend raises when Redis is down, and those caches are small and cheap
# to rebuild, so an outage of Redis must not take pages down with it.
MASTHEAD_REDIS_URL = os.environ.get("MASTHEAD_REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "masthead-default",
    },
    # Wagtail writes every rendition it hands out into this cache, and the
    # local-memory backend pickles each one (image and all): 32 pickles,
    # about a sixth of a front-page render (#5). Renditions are prefetched
    # with the images that need them and rich text is rendered at publish,
    # so a cache that keeps nothing costs no queries.
    "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}

# The page cache (core/cache.py, docs/performance.md): rendered public pages
# kept in memory (or Redis) and purged by tag when a write changes them.
MASTHEAD_PAGE_CACHE = env_bool("MASTHEAD_PAGE_CACHE", True)
# How long a tagged page is kept; writes purge it sooner. The bound matters
# only for changes no write announces (a day label turning to "Yesterday").
MASTHEAD_PAGE_CACHE_TTL = int(os.environ.get("MASTHEAD_PAGE_CACHE_TTL", "300"))
# After the TTL, one request re-renders while others get the old copy.
MASTHEAD_PAGE_CACHE_GRACE = int(os.environ.get("MASTHEAD_PAGE_CACHE_GRACE", "30"))
# After the TTL, the old copy still answers while rendering fails (database
# down). Purged pages are never served this way.
MASTHEAD_PAGE_CACHE_STALE_IF_ERROR = int(
    os.environ.get("MASTHEAD_PAGE_CACHE_STALE_IF_ERROR", "86400")
)
# Memory per process for the embedded page cache.
MASTHEAD_PAGE_CACHE_MAX_MB = int(os.environ.get("MASTHEAD_PAGE_CACHE_MAX_MB", "64"))
# Purges reach every process on the machine through this append-only file.
MASTHEAD_PAGE_CACHE_JOURNAL = Path(
    os.environ.get("MASTHEAD_PAGE_CACHE_JOURNAL", VAR_DIR / "cache" / "purges.log")
)
# Varnish instances to purge by tag (comma-separated base URLs).
MASTHEAD_VARNISH_URLS = env_list("MASTHEAD_VARNISH_URLS", "")
# The caches in front told to drop pages (cache/purgers/), like Wagtail's
# WAGTAILFRONTENDCACHE: each a BACKEND class and its options. By default one
# Varnish per MASTHEAD_VARNISH_URLS entry.
MASTHEAD_PURGERS: list[dict[str, object]] = [
    {"BACKEND": "masthead.cache.purgers.varnish.VarnishPurger", "BASE_URL": url}
    for url in MASTHEAD_VARNISH_URLS
]
# Peers (addresses or networks) whose requests may see X-Cache-Tags and
# X-Masthead-TTL: the caches in front. Readers never do (#13). By default the
# hosts of MASTHEAD_VARNISH_URLS.
MASTHEAD_TRUSTED_CACHES = env_list(
    "MASTHEAD_TRUSTED_CACHES",
    ",".join(urlsplit(url).hostname or "" for url in MASTHEAD_VARNISH_URLS),
)

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("MASTHEAD_SITE_NAME", "Masthead")
WAGTAILADMIN_BASE_URL = os.environ.get("MASTHEAD_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "core.LibraryImage"
# Uploads: image and document limits (#13, #14); email (#16, settings/mail.py).
from .mail import *  # noqa: E402, F403
from .uploads import *  # noqa: E402, F403

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILREDIRECTS_AUTO_CREATE = True
# The editor reads any stored text, repairing what it cannot parse (#13).
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "masthead.core.rich_text_editor.RichTextArea"}
}
# Frames in bodies come only from these URL prefixes, with our sandbox
# (core/sanitize.py, #13).
MASTHEAD_EMBED_PROVIDERS = env_list(
    "MASTHEAD_EMBED_PROVIDERS",
    "https://www.youtube.com/embed/,https://www.youtube-nocookie.com/embed/,"
    "https://player.vimeo.com/video/,https://platform.twitter.com/embed/,"
    "https://www.instagram.com/p/,https://www.instagram.com/reel/,"
    "https://datawrapper.dwcdn.net/,https://flo.uri.sh/,"
    "https://w.soundcloud.com/player/,https://open.spotify.com/embed/,"
    "https://www.google.com/maps/embed",
)
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Avatars from the user's upload or Wagtail's default, never gravatar.com: the
# admin asks no third party for anything (issue #14).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Masthead
MASTHEAD_NEWS_FEED_SIDEBAR_COUNT = int(
    os.environ.get("MASTHEAD_NEWS_FEED_SIDEBAR_COUNT", "8")
)
# A WebSub hub advertised in feed responses (empty: none).
MASTHEAD_WEBSUB_HUB = os.environ.get("MASTHEAD_WEBSUB_HUB", "")
# Background work (docs/deployment.md, #12): django.tasks tasks in each app's
# tasks.py, queued in the database by dj-queue and run by `masthead worker`,
# which `masthead serve` starts unless MASTHEAD_RUN_SCHEDULER is off (turn it
# off on all but one machine). Its scheduler enqueues the periodic jobs of
# newsroom/scheduler.py: publishing, embargo releases, purge retries and the
# search catch-up every MASTHEAD_SCHEDULER_INTERVAL seconds, Most Popular
# every MASTHEAD_POPULAR_REFRESH_SECONDS.
MASTHEAD_SCHEDULER_INTERVAL = int(os.environ.get("MASTHEAD_SCHEDULER_INTERVAL", "15"))
MASTHEAD_POPULAR_REFRESH_SECONDS = int(
    os.environ.get("MASTHEAD_POPULAR_REFRESH_SECONDS", "300")
)
MASTHEAD_RUN_SCHEDULER = env_bool("MASTHEAD_RUN_SCHEDULER", True)
# Finished jobs stay this long in the queue's tables; failed ones until handled.
MASTHEAD_TASKS_KEEP_SECONDS = int(os.environ.get("MASTHEAD_TASKS_KEEP_SECONDS", "3600"))
TASKS = {
    # Wagtail's own tasks (reference index, file deletion) are enqueued inside
    # the editor's transaction, before the rows they read are committed: a
    # worker would race the commit, so they keep running inline.
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    BACKGROUND: {
        "BACKEND": "dj_queue.backend.DjQueueBackend",
        "QUEUES": ["default", OUTBOX_QUEUE, RENDITIONS_QUEUE],
        "OPTIONS": {
            # One process with threads: a process per runner (four) took 1.6
            # times the memory for the same work (docs/deployment.md).
            "mode": "async",
            # One thread for the scheduled jobs: they run one at a time, as
            # the search index and SQLite have one writer each. The outbox
            # drain has a thread of its own, polled more often, so a purge
            # reaches Varnish within a second of a publish (#12); on
            # PostgreSQL LISTEN/NOTIFY wakes it at once.
            "workers": [
                {"queues": "default", "threads": 1, "polling_interval": 1},
                {"queues": OUTBOX_QUEUE, "threads": 1, "polling_interval": 0.2},
                # Renditions of large originals (#13): seconds each, one at
                # a time, beside the scheduled jobs rather than behind them.
                {"queues": RENDITIONS_QUEUE, "threads": 1, "polling_interval": 1},
            ],
            "dispatchers": [{"polling_interval": 1}],
            "scheduler": {"polling_interval": 1},
            "recurring": recurring_tasks(
                {
                    "MASTHEAD_SCHEDULER_INTERVAL": MASTHEAD_SCHEDULER_INTERVAL,
                    "MASTHEAD_POPULAR_REFRESH_SECONDS": (
                        MASTHEAD_POPULAR_REFRESH_SECONDS
                    ),
                }
            ),
            "preserve_finished_jobs": True,
            "clear_finished_jobs_after": MASTHEAD_TASKS_KEEP_SECONDS,
            "clear_recurring_executions_after": MASTHEAD_TASKS_KEEP_SECONDS,
            # A second worker on this var directory refuses to start (#12).
            "supervisor_pidfile": str(VAR_DIR / "run" / "worker.pid"),
        },
    },
}
# How often an open News Feed page asks for new posts.
MASTHEAD_NEWS_FEED_POLL_SECONDS = int(
    os.environ.get("MASTHEAD_NEWS_FEED_POLL_SECONDS", "30")
)
MASTHEAD_MOST_POPULAR_DAYS = int(os.environ.get("MASTHEAD_MOST_POPULAR_DAYS", "7"))
MASTHEAD_MOST_POPULAR_COUNT = int(os.environ.get("MASTHEAD_MOST_POPULAR_COUNT", "5"))
MASTHEAD_LISTING_PAGE_SIZE = int(os.environ.get("MASTHEAD_LISTING_PAGE_SIZE", "20"))
MASTHEAD_READING_WPM = int(os.environ.get("MASTHEAD_READING_WPM", "230"))

# Reader search (issue #3, docs/search.md). Changing the language needs
# `masthead search_rebuild`; "" turns stemming off.
MASTHEAD_SEARCH_BACKEND = os.environ.get(
    "MASTHEAD_SEARCH_BACKEND", "masthead.search.backends.tantivy.TantivyBackend"
)
MASTHEAD_SEARCH_INDEX_DIR = Path(
    os.environ.get("MASTHEAD_SEARCH_INDEX_DIR", VAR_DIR / "search-index")
)
# Each edition has its own index, analysed in its language (#15): Tantivy's
# stemmer names, "ukrainian" for lemmas, "" for folding only (a language
# without an analysis here). MASTHEAD_SEARCH_LANGUAGE is the default
# edition's; MASTHEAD_SEARCH_LANGUAGES ("uk=ukrainian,de=german") the others'.
from .search_languages import SEARCH_ANALYSES as _SEARCH_ANALYSES  # noqa: E402

MASTHEAD_SEARCH_LANGUAGE = os.environ.get(
    "MASTHEAD_SEARCH_LANGUAGE", _SEARCH_ANALYSES.get(LANGUAGE_CODE.split("-")[0], "")
)
MASTHEAD_SEARCH_LANGUAGES = {
    **{
        code: _SEARCH_ANALYSES.get(code.split("-")[0], "") for code in MASTHEAD_EDITIONS
    },
    LANGUAGE_CODE: MASTHEAD_SEARCH_LANGUAGE,
    **{
        code.strip(): language.strip()
        for code, _, language in (
            pair.partition("=") for pair in env_list("MASTHEAD_SEARCH_LANGUAGES", "")
        )
    },
}
MASTHEAD_SEARCH_PAGE_SIZE = int(os.environ.get("MASTHEAD_SEARCH_PAGE_SIZE", "20"))
MASTHEAD_SEARCH_MAX_RESULTS = int(os.environ.get("MASTHEAD_SEARCH_MAX_RESULTS", "1000"))

# Hung and missing services (#13): timeouts and circuit breakers.
from .timeouts import *  # noqa: E402, F403

# Floods and fairness (#13): trusted proxies, sign-in throttling (django-axes),
# the render gate, kept 404s and the view beacon's limits.
from .traffic import *  # noqa: E402, F403

# Two-factor sign-in (django-otp): compulsory for these groups, optional for
# other staff; MASTHEAD_2FA=0 turns it off entirely (e.g. behind an SSO).
MASTHEAD_2FA_ENABLED = env_bool("MASTHEAD_2FA", True)
MASTHEAD_2FA_REQUIRED_GROUPS = env_list("MASTHEAD_2FA_REQUIRED_GROUPS", "Administrator")
OTP_TOTP_ISSUER = os.environ.get("MASTHEAD_SITE_NAME", "Masthead")

SECURE_CSP = PUBLIC_POLICY
# Permissions-Policy (django-permissions-policy): browser features no page of
# ours uses, refused to the page and to everything it embeds. Embedded videos
# keep what they need (autoplay, encrypted media, fullscreen, picture in
# picture), so those are not listed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
from .api import *  # noqa: E402, F403
from .comments import *  # noqa: E402, F403
from .members import *  # noqa: E402, F403

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Not a line per task run (Wagtail's run on every save); failures are.
        "django.tasks": {"level": "WARNING"},
        "masthead": {
            "handlers": ["console"],
            "level": os.environ.get("MASTHEAD_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}
