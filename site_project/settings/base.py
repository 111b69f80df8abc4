"""Settings shared by every environment. Anything that differs between machines comes from site_project.env."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from site_project.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Practice website")

LANGUAGE_CODE = "en-us"
# The practice's time zone governs the admin, every email, default dates and Celery's schedule.
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

ROOT_URLCONF = "site_project.urls"
# The editor lives at /<ADMIN_URL_PATH>; moving it away from /admin/ turns away most login-guessing bots.
ADMIN_URL_PATH = env_str("ADMIN_URL_PATH", "admin/").strip("/") + "/"
WSGI_APPLICATION = "site_project.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# APPS
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "site_project.outbox",
    "site_project.accounts",
    "home",
    "blog",
    "booking",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.frontend_cache",
    "wagtail_modeladmin",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
]

# Order matters: the page cache sits outside sessions, CSRF and auth so that a hit skips them, and so it
# sees the finished response (cookies, Vary) before deciding to store it. It sits inside the request id and
# Django's SecurityMiddleware (HTTPS redirect and HSTS depend on each request's scheme) but outside the headers
# that are the same for every public page (Permissions-Policy, CSP): they are stored with the page and a hit
# replays them instead of building the policy again.
MIDDLEWARE = [
    "site_project.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "home.page_cache.PageCacheMiddleware",
    "site_project.security.SecurityHeadersMiddleware",
    "site_project.security.ContentSecurityPolicyMiddleware",
    "home.frame_cache.CachedSiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "site_project.accounts.two_factor.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# DATABASES
# ------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: this site's queries take milliseconds, and on tables no ANALYZE has seen yet (a new
    # install, before autovacuum comes by) the planner's guesses pass jit_above_cost and a 2 ms search spends
    # 270 ms compiling. Options given in DATABASE_URL's query string are kept.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = " ".join(
        filter(None, [DATABASES["default"]["OPTIONS"].get("options", ""), "-c jit=off"])
    )

# CACHES
# ------------------------------------------------------------------------------
# Redis through home.redis_cache: when Redis does not answer, reads miss and writes are dropped (pages are served
# uncached, logged once), and a dead connection is given up after a quarter of a second rather than the
# system's minutes.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "home.redis_cache.FailSafeRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "practice",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "practice"}}
# Image renditions are read from the database, with the content that shows them (blog/queries.py prefetches
# them): Wagtail's rendition cache would cost a round trip to Redis for every image on every uncached page, even
# one it had just prefetched.
CACHES["renditions"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}

# PAGE CACHE
# ------------------------------------------------------------------------------
# Anonymous pages are kept this long in the cache (refreshed at once on any publish, see home/page_cache.py).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# Browsers and the front proxy may keep a page this long before they revalidate it with its ETag.
PAGE_CACHE_BROWSER_SECONDS = env_int("PAGE_CACHE_BROWSER_SECONDS", 5)
PAGE_CACHE_EXCLUDED_PREFIXES = ["/search/", "/health/", "/documents/", "/static/", "/media/"]
# A purge-capable proxy or CDN in front (Varnish, nginx with a purge module): Wagtail purges published pages.
FRONTEND_CACHE_PURGE_URL = env_str("FRONTEND_CACHE_PURGE_URL")
if FRONTEND_CACHE_PURGE_URL:
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
        }
    }

# SECURITY HEADERS
# ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
# The public site runs no inline script or style and loads nothing from other hosts. Video embeds from the
# two privacy-friendly players are the one exception, in frames only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
# The Wagtail admin needs inline styles and scripts, blob: previews and frames of its own pages.
ADMIN_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

# PASSWORDS
# ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# STATIC AND MEDIA
# ------------------------------------------------------------------------------
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# EMAIL
# ------------------------------------------------------------------------------
# Every email, Wagtail's own included, goes through EMAIL_BACKEND, which stores it in the outbox
# (site_project/outbox); a Celery task delivers it with EMAIL_DELIVERY_BACKEND: SMTP when EMAIL_HOST is set,
# the console otherwise.
EMAIL_BACKEND = "site_project.outbox.backend.OutboxEmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_DELIVERY_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Practice website <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False

# OUTBOX
# ------------------------------------------------------------------------------
# The one retry policy for every email: a failed delivery is tried again after OUTBOX_RETRY_BACKOFF_SECONDS,
# doubling each time up to OUTBOX_RETRY_MAX_BACKOFF_SECONDS (and below half the broker's visibility timeout);
# after OUTBOX_MAX_ATTEMPTS attempts the email is marked failed. A permanent refusal (5xx) fails at once.
OUTBOX_RETRY_BACKOFF_SECONDS = env_int("OUTBOX_RETRY_BACKOFF_SECONDS", 30)
OUTBOX_RETRY_MAX_BACKOFF_SECONDS = env_int("OUTBOX_RETRY_MAX_BACKOFF_SECONDS", 600)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 9)
# The sweep (beat, every minute) re-enqueues email still pending this long after it was due, which covers a
# broker that was down when the sender's transaction committed.
OUTBOX_RESEND_AFTER_SECONDS = env_int("OUTBOX_RESEND_AFTER_SECONDS", 60)
# An email "sending" for longer than a task may run (CELERY_TASK_TIME_LIMIT) belongs to a worker that died;
# the sweep releases it.
OUTBOX_STALE_SENDING_SECONDS = env_int("OUTBOX_STALE_SENDING_SECONDS", 180)
# Sent and failed email (it holds addresses, and password reset links) is deleted after this many days.
OUTBOX_RETENTION_DAYS = env_int("OUTBOX_RETENTION_DAYS", 30)

# CELERY
# ------------------------------------------------------------------------------
# Without REDIS_URL tasks run eagerly in the calling process, so the embedded default needs no broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# Apps' tasks are found in each installed app's tasks.py; the site's own (heartbeat, publishing) are listed here.
CELERY_IMPORTS = ["site_project.tasks"]
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
# A worker killed mid-task must not lose the message: acknowledge only after the task finished, and hand the
# message back to the broker if the worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis redelivers an unacknowledged message after this many seconds; every retry countdown stays below it.
CELERY_BROKER_VISIBILITY_TIMEOUT = env_int("CELERY_BROKER_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-pages": {
        "task": "site_project.tasks.publish_scheduled",
        "schedule": timedelta(minutes=1),
    },
    "record-worker-heartbeat": {
        "task": "site_project.tasks.record_worker_heartbeat",
        "schedule": timedelta(minutes=1),
    },
    "sweep-outbox": {
        "task": "site_project.outbox.tasks.sweep_outbox",
        "schedule": timedelta(minutes=1),
    },
    "forget-old-email": {
        "task": "site_project.outbox.tasks.forget_old_email",
        "schedule": crontab(hour=3, minute=29),
    },
    "forget-old-search-queries": {
        "task": "search.tasks.forget_old_search_queries",
        "schedule": crontab(hour=3, minute=41),
    },
    "purge-old-appointment-requests": {
        "task": "booking.tasks.purge_old_requests",
        "schedule": crontab(hour=3, minute=17),
    },
    "forget-unconfirmed-subscribers": {
        "task": "blog.tasks.forget_unconfirmed_subscribers",
        "schedule": crontab(hour=3, minute=53),
    },
    "resume-mailings": {
        "task": "blog.tasks.resume_mailings",
        "schedule": timedelta(minutes=1),
    },
    # Every morning in the practice's time zone (CELERY_TIMEZONE); it sends only on the chosen digest day.
    "send-weekly-digest": {
        "task": "blog.tasks.send_weekly_digest",
        "schedule": crontab(hour=7, minute=30),
    },
}

# WAGTAIL
# ------------------------------------------------------------------------------
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Recorded search queries (Reports > Search terms) are kept this many days.
WAGTAILSEARCH_HITS_MAX_AGE = 90
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Wagtail's responsive embed wrapper uses an inline style, which the CSP forbids; the stylesheet sizes embeds.
WAGTAILEMBEDS_RESPONSIVE_HTML = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt", "rtf"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Documents are always served through Django as downloads, with Wagtail's `default-src 'none'` CSP.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Page slugs may hold letters of any language (Wagtail's default), as imported posts' old addresses do.
WAGTAIL_ALLOW_UNICODE_SLUGS = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# PRACTICE
# ------------------------------------------------------------------------------
# Proxies (e.g. nginx) whose X-Forwarded-For header is believed; from anyone else it is ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
# Appointment requests older than this many days are deleted by a daily beat task.
APPOINTMENT_RETENTION_DAYS = env_int("APPOINTMENT_RETENTION_DAYS", 180)
# Spam protection on the contact form: a form sent sooner than this after it was shown is refused (no person
# types that fast), and one address may send at most CONTACT_RATE_LIMIT forms a CONTACT_RATE_LIMIT_WINDOW_SECONDS.
CONTACT_MIN_FILL_SECONDS = env_int("CONTACT_MIN_FILL_SECONDS", 3)
CONTACT_RATE_LIMIT = env_int("CONTACT_RATE_LIMIT", 5)
CONTACT_RATE_LIMIT_WINDOW_SECONDS = env_int("CONTACT_RATE_LIMIT_WINDOW_SECONDS", 3600)

# EMAIL SUBSCRIPTIONS
# ------------------------------------------------------------------------------
# A confirmation link works this long; an address never confirmed is deleted once it has expired.
SUBSCRIPTION_CONFIRM_MAX_AGE_SECONDS = env_int("SUBSCRIPTION_CONFIRM_MAX_AGE_SECONDS", 3 * 24 * 3600)
# New posts are handed to the outbox this many subscribers per batch (one task per batch).
SUBSCRIPTION_BATCH_SIZE = env_int("SUBSCRIPTION_BATCH_SIZE", 500)
# A mailing whose batches have not moved for this long lost its chain (broker down, worker killed): beat resumes it.
SUBSCRIPTION_STALLED_AFTER_SECONDS = env_int("SUBSCRIPTION_STALLED_AFTER_SECONDS", 60)
# Spam protection on the subscribe form, as on the contact form: a form sent sooner than this after the visitor
# started on it is asked to be sent again, and one address may send at most SUBSCRIBE_RATE_LIMIT forms a
# SUBSCRIBE_RATE_LIMIT_WINDOW_SECONDS. One field fills faster than the contact form, hence the shorter minimum.
SUBSCRIBE_MIN_FILL_SECONDS = env_int("SUBSCRIBE_MIN_FILL_SECONDS", 2)
SUBSCRIBE_RATE_LIMIT = env_int("SUBSCRIBE_RATE_LIMIT", 5)
SUBSCRIBE_RATE_LIMIT_WINDOW_SECONDS = env_int("SUBSCRIBE_RATE_LIMIT_WINDOW_SECONDS", 3600)

# BLOG IMPORT
# ------------------------------------------------------------------------------
# Importing another blog (blog/importing/): the largest export or feed read (the shipped nginx accepts uploads up
# to 12 MB), the largest image fetched, how long one download may take in all, and whether a download may reach
# this server's own network (never in production: the tests turn it on for their local HTTP server).
BLOG_IMPORT_MAX_SOURCE_BYTES = env_int("BLOG_IMPORT_MAX_SOURCE_BYTES", 10 * 1024 * 1024)
BLOG_IMPORT_MAX_IMAGE_BYTES = env_int("BLOG_IMPORT_MAX_IMAGE_BYTES", WAGTAILIMAGES_MAX_UPLOAD_SIZE)
BLOG_IMPORT_TIMEOUT_SECONDS = env_int("BLOG_IMPORT_TIMEOUT_SECONDS", 10)
BLOG_IMPORT_ALLOW_PRIVATE_ADDRESSES = False

# ADMIN SECURITY
# ------------------------------------------------------------------------------
# Staff sign-in (site_project.accounts): the lockout after failed sign-ins; two-factor is its middleware above.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "site_project.client_ip.axes_client_ip"
AXES_LOCKOUT_TEMPLATE = "account_locked.html"

# LOGGING
# ------------------------------------------------------------------------------
# LOG_FORMAT=json (default): one JSON object per line for a log collector; plain: readable lines for a laptop.
# Every line carries the request id (X-Request-ID), also in Celery tasks that request enqueued. Exceptions are
# logged as class and stack only, and Celery's task records lose their arguments, results and messages
# (site_project/log_format.py), so no visitor's data reaches the logs.
LOG_FORMAT = env_str("LOG_FORMAT", "json").lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "site_project.request_id.RequestIdFilter"},
        "celery_task_privacy": {"()": "site_project.log_format.CeleryTaskPrivacyFilter"},
    },
    "formatters": {
        "json": {"()": "site_project.log_format.JsonFormatter"},
        "plain": {"()": "site_project.log_format.PlainFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain" if LOG_FORMAT == "plain" else "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "celery.app.trace": {"filters": ["celery_task_privacy"]},
        "celery.worker.request": {"filters": ["celery_task_privacy"]},
        "celery.worker.strategy": {"filters": ["celery_task_privacy"]},
    },
}

# SENTRY
# ------------------------------------------------------------------------------
# Error reports go to Sentry only when SENTRY_DSN is set; site_project/sentry.py strips personal data first.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from site_project.sentry import init_sentry  # the Sentry SDK is loaded only where reports are sent

    init_sentry(SENTRY_DSN)
