"""Settings for Channel Portal, read from environment variables.

With nothing set: SQLite in ./data, Celery tasks run inline, email to the console,
DEBUG on. DATABASE_URL switches to PostgreSQL, REDIS_URL to a Redis broker and cache,
DJANGO_ENV=production to hardened settings that refuse to start without a secret key.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_list, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data")))

PRODUCTION = env_str("DJANGO_ENV", "development") == "production"

if PRODUCTION:
    SECRET_KEY = env_required("DJANGO_SECRET_KEY")
    DEBUG = False
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or env_required("DJANGO_ALLOWED_HOSTS")
else:
    # Development only: production refuses to start without DJANGO_SECRET_KEY.
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-insecure-key-not-for-production")
    DEBUG = env_bool("DJANGO_DEBUG", True)
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "template_partials",
    "health_check",
    "guardian",
    "pgtrigger",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "accounts",
    "notifications",
    "catalog",
    "channel",
    "orders",
    "resellers",
    "qualifications",
    "salesreps",
    "communications",
    "commissions",
    "partners",
    "assistant",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "demo",
    # The fake payment provider's hosted page and API (tests, demo); mounted outside production.
    "fakepay",
]

MIDDLEWARE = [
    # First: every response carries its request id, the health probe skips the rest.
    "core.middleware.RequestContextMiddleware",
    "core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After LocaleMiddleware (the visitor's language) and auth: a user's own language, region
    # and time zone win, `?lang=` shows one page in another language.
    "accounts.middleware.UserLocaleMiddleware",
    # The client's address for the audit log; CSV downloads are audited.
    "accounts.middleware.AuditContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.HtmxSessionExpiredMiddleware",
    # Idle and absolute session limits, two-factor login where it is required.
    "accounts.middleware.SessionPolicyMiddleware",
    "core.middleware.NoStoreMiddleware",
    "accounts.middleware.TenantScopeMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.portal",
                "notifications.context_processors.unread",
            ],
            "builtins": ["template_partials.templatetags.partials", "accounts.templatetags.portal"],
        },
    }
]
FORM_RENDERER = "config.forms.PortalFormRenderer"

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    # Health checks: a connection the database closed (a restart, a failover) is replaced
    # before the request uses it, instead of answering that request with a 500.
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "portal.sqlite3"),
            "OPTIONS": {"timeout": 20},
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# ASVS 2.1: at least 12 characters, none of a list of breached passwords that ships with the
# project (accounts/data/breached-passwords.txt.gz, one lowercase password a line).
PASSWORD_MIN_LENGTH = 12
BREACHED_PASSWORDS_FILE = BASE_DIR / "accounts" / "data" / "breached-passwords.txt.gz"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "django.contrib.auth.password_validation.CommonPasswordValidator",
        "OPTIONS": {"password_list_path": BREACHED_PASSWORDS_FILE},
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Two-factor login (django-otp): the name authenticator apps show beside the account.
OTP_TOTP_ISSUER = "Channel Portal"
# The admin never shows an authenticator's secret or its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Sessions: 12 hours from login at most, 30 minutes without a request end them (the page
# warns 5 minutes before); sensitive actions need the password or a code within 10 minutes.
SESSION_COOKIE_AGE = 12 * 3600
SESSION_IDLE_TIMEOUT = int(env_str("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_IDLE_WARNING = 5 * 60
REAUTH_MAX_AGE = 10 * 60
# How many proxies (load balancers) in front of the portal append to X-Forwarded-For; the
# client's address is the entry that many from the right (core.client_ip).
TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", "0"))
# Rate limits of the public forms (core.ratelimits) count in the default cache, by the
# client's address as above.
RATELIMIT_IP_META_KEY = "core.client_ip.ratelimit_ip"
LOGIN_URL = "accounts_public:login"
LOGIN_REDIRECT_URL = "accounts_public:home"
LOGOUT_REDIRECT_URL = "accounts_public:login"

# Login throttling (accounts.throttling): five wrong passwords lock an account whatever the
# addresses they came from; each new lock in a day lasts twice as long (15 minutes to a day)
# and failures during a lock do not extend it; an emailed link unlocks the account in the
# owner's browser. Every address is also limited across accounts (django-ratelimit).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = "accounts.throttling.lockout_cool_off"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The login form posts the email as `username`; stored lowercase, as accounts are.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.throttling.axes_username"
AXES_WHITELIST_CALLABLE = "accounts.throttling.unlocked_browser"
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# axes.W006 asks for ip_address among the lockout parameters: per-address counting is done
# by accounts.throttling (django-ratelimit), with its own, higher limit across accounts, so
# that one office behind one address is not locked out by one colleague's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_VERBOSE = False

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "en"
# Each language is named in itself in the switcher (accounts.i18n); a new one needs its catalogue
# (`make messages`), a line here and a migration of accounts' language constraints (README).
LANGUAGES = [
    ("en", _("English")),
    ("it", _("Italian")),
    ("es", _("Spanish")),
    ("fr", _("French")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Corrections of Django's regional date formats (config/formats/<locale>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
# The language the anonymous visitor picked in the top bar (a logged-in user's is on the account).
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Files the portal writes (large CSV exports): the default storage, which production may point
# at S3-compatible storage; they are only ever served through a view that checks who asks.
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    # Uploaded files (attachments, exports) go through this one storage; several web nodes
    # need a shared one, e.g. an S3-compatible backend of django-storages.
    "default": {
        "BACKEND": env_str("FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Redis is a cache and a broker, never a dependency a page waits on: every call gives up
# within these timeouts (seconds), a failed cache call is a logged miss (core.cache), a failed
# enqueue is logged and left to the outbox's periodic flush (core.enqueue), and after a
# failure each process leaves Redis alone for a cooldown. Sessions live in the database.
REDIS_URL = env_str("REDIS_URL")
REDIS_CONNECT_TIMEOUT = float(env_str("REDIS_CONNECT_TIMEOUT", "0.3"))
REDIS_SOCKET_TIMEOUT = float(env_str("REDIS_SOCKET_TIMEOUT", "0.3"))
CACHE_FAILURE_COOLDOWN = float(env_str("CACHE_FAILURE_COOLDOWN", "5"))
BROKER_FAILURE_COOLDOWN = float(env_str("BROKER_FAILURE_COOLDOWN", "10"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "FAILURE_COOLDOWN": CACHE_FAILURE_COOLDOWN,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Celery: inline by default, a real broker when REDIS_URL is set.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = not (REDIS_URL or env_str("CELERY_BROKER_URL"))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers log through LOGGING below (JSON lines with the request id of the task's request).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Publishing from a request: one attempt, bounded by the timeouts above, no retry loop.
# broker_connection_max_retries stays Celery's: it is the worker's reconnect loop, and a
# worker should outlast a broker restart, not exit at its first refused connection.
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "max_retries": 0,
}
CELERY_BEAT_SCHEDULE = {
    "outbox-flush": {"task": "notifications.tasks.outbox_flush_task", "schedule": 60.0},
    "payments-reconcile": {
        "task": "orders.tasks.payment_attempts_reconcile_task",
        "schedule": 60.0,
    },
    "payment-links-expired": {
        "task": "orders.tasks.payment_links_expired_notify_task",
        "schedule": 600.0,
    },
    # Partner scorecards of the current and previous month, and of any month a late change
    # touched (partners.services.scorecards).
    "partner-scorecards": {
        "task": "partners.tasks.scorecards_refresh_task",
        "schedule": crontab(hour=2, minute=15),
    },
    # Incidents from last month's scorecards, and offers that opened for more partners.
    "partner-incidents": {
        "task": "partners.tasks.incidents_raise_task",
        "schedule": crontab(hour=2, minute=45),
    },
    "partner-offer-announcements": {
        "task": "partners.tasks.offers_announce_task",
        "schedule": crontab(hour=6, minute=30),
    },
    # Check-ins and reviews scheduled from the tiers; account managers told of due ones.
    "partner-meetings": {
        "task": "partners.tasks.meetings_schedule_task",
        "schedule": crontab(hour=6, minute=40),
    },
    # Tier promotions and demotions proposed from last month's scorecards.
    "partner-tier-evaluation": {
        "task": "partners.tasks.tiers_evaluate_task",
        "schedule": crontab(day_of_month="1", hour=3, minute=0),
    },
    "export-jobs-sweep": {"task": "accounts.tasks.export_jobs_sweep_task", "schedule": 60.0},
    "webhook-deliveries-flush": {
        "task": "api.tasks.webhook_deliveries_flush_task",
        "schedule": 60.0,
    },
    "notifications-digest": {
        "task": "notifications.tasks.notifications_digest_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # Payout windows are dates on the ledger rows, scanned once a day (never a countdown).
    "commissions-daily": {
        "task": "commissions.tasks.commissions_daily_task",
        "schedule": crontab(hour=5, minute=30),
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Where EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend writes (`make chaos`).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "sent-mail"))
# Seconds before a silent mail server counts as down: without it a hung server holds a
# worker forever. The outbox retries what failed (notifications.services.outbox).
EMAIL_TIMEOUT = float(env_str("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Channel Portal <no-reply@channel-portal.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Payment links (orders.services.payment_links): the provider is a dotted path to a class, a
# hosted one (orders.payments_hosted: the customer pays on the provider's page, a signed
# webhook confirms) or a direct one (orders.payments: `charge` and `find_charge`).
# The default is the hosted checkout of the fake provider (fakepay/, not mounted in
# production: set a real hosted provider there); orders.payments.TestPaymentProvider is the
# older direct seam, kept for its tests.
PAYMENT_PROVIDER = env_str("PAYMENT_PROVIDER", "orders.payments_hosted.FakepayProvider")
# The hosted checkout (orders.payments_hosted.FakepayProvider): the webhook's shared secret.
FAKEPAY_WEBHOOK_SECRET = env_str("FAKEPAY_WEBHOOK_SECRET")
PAYMENT_LINK_VALID_DAYS = int(env_str("PAYMENT_LINK_VALID_DAYS", "7"))

# An export of more rows than this is made by a background job with a progress bar.
EXPORT_INLINE_MAX_ROWS = int(env_str("EXPORT_INLINE_MAX_ROWS", "5000"))

# The largest file a message may carry (communications.services.team: five per message, of
# a few office and image types, stored through STORAGES["default"]).
COMMUNICATIONS_ATTACHMENT_MAX_BYTES = int(
    env_str("COMMUNICATIONS_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))
)
# The key that encrypts links kept in unsent outbox emails (notifications.sealing); by
# default one derived from SECRET_KEY.
OUTBOX_SEALING_KEY = env_str("OUTBOX_SEALING_KEY")

# Where the portal is reached, for links in emails written outside a request (tasks, hooks).
# Production never falls back to the development port: without PORTAL_BASE_URL it is the
# first allowed host over HTTPS.
PORTAL_BASE_URL = env_str(
    "PORTAL_BASE_URL",
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000",
)

# Content-Security-Policy (django-csp): scripts only from the portal's own static files (a
# nonce for any inline one a page may need: `{{ request.csp_nonce }}`), no eval (htmx is
# configured without it in base.html), no inline <style> element, nothing from elsewhere.
# Inline style attributes stay allowed (style-src-attr): the pages set one-off widths with them,
# and an attribute cannot run script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "style-src-elem": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no page needs a device or sensor feature.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
    "fullscreen": ["self"],
}

# The REST API (api/): keys or the portal's session, tenant scoping in api.views.base.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so a request without credentials is a 401 with WWW-Authenticate.
        "api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.KeyAllowsMethod",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.KeyRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PortalCursorPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.LimitedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
# Requests per API key (or per user of the session), as DRF writes a rate: N/s, N/min, N/hour.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/min")
# Webhook endpoints must be HTTPS and on the public internet (api.ssrf); development and
# tests may allow plain HTTP and a receiver on a private or loopback address, never production.
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", False) and not PRODUCTION
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = (
    env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False) and not PRODUCTION
)
# Request bodies of the API above this are refused with 413.
API_MAX_BODY_BYTES = int(env_str("API_MAX_BODY_BYTES", str(256 * 1024)))
SPECTACULAR_SETTINGS = {
    "TITLE": "Channel Portal API",
    "DESCRIPTION": (
        "Manufacturers' and resellers' data, through the same rules as the portal's pages. "
        "Authenticate with an API key (`Authorization: Bearer …`, made under Settings → API "
        "keys) or, from the portal itself, the session. Lists are cursor-paginated "
        '(`next` / `previous`, `page_size` up to 200). Errors: `{"detail": "…"}`, or '
        'for bad input `{"<field>": ["…"]}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.models.OrderStatus",
        "PartnershipStatusEnum": "channel.models.PartnershipStatus",
        "QualifyingStatusEnum": "channel.models.QualifyingStatus",
        "ConversationKindEnum": "communications.models.ConversationType",
        "MessageKindEnum": "communications.models.MessageKind",
        "ProductKindEnum": "catalog.models.ProductKind",
    },
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"

# The load balancer's probe (core.middleware.HealthCheckMiddleware): database, cache, broker.
HEALTH_CHECK_PATH = env_str("HEALTH_CHECK_PATH", "/health/")

# Every line carries the request id and the tenant (core.logging); JSON in production, for
# the log shipper, text elsewhere unless LOG_FORMAT says otherwise.
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "core.logging.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "core.logging.JsonFormatter"},
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(tenant)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Error reporting, only where SENTRY_DSN is set. No personal data: no user, no address, no
# request body or cookies leave the portal.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production" if PRODUCTION else "development"),
        release=env_str("SENTRY_RELEASE") or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies: sent only over HTTPS, to this host, for every path; no subdomain can
    # set or overwrite them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env_str("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
