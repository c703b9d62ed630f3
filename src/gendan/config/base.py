"""Settings shared by every environment, read from the environment (see README)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from gendan.config.env import (
    env,
    env_bool,
    env_database,
    env_decimal,
    env_list,
    env_time_zone,
    setting_error,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.str("GENDAN_VAR_DIR", default=str(Path.cwd() / "var")))

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
TIME_ZONE = env_time_zone("TIME_ZONE", default="Asia/Shanghai")

DATABASES = {"default": env_database("DATABASE_URL", default_path=VAR_DIR / "gendan.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "axes",
    "gendan.core",
    "gendan.accounts",
    "gendan.audit",
    "gendan.catalog",
    "gendan.parties",
    "gendan.orders",
    "gendan.notifications",
    "gendan.crm",
    "gendan.documents",
    "gendan.warehouse",
    "gendan.logistics",
    "gendan.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A chosen language stays: an unprefixed page asked for in English goes to its /en/ URL.
    "gendan.core.middleware.LanguageStaysMiddleware",
    "gendan.core.middleware.ApiLanguageMiddleware",
    "gendan.core.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Refuses what no view could store (NUL, lone surrogates, a body over the limit): a 4xx.
    "gendan.core.input_checks.InputChecksMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A Content-Security-Policy on every page: no inline script (see CONTENT_SECURITY_POLICY).
    "csp.middleware.CSPMiddleware",
    # Turns a login refused for too many failures into the page that says when to retry.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gendan.config.urls"
WSGI_APPLICATION = "gendan.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "gendan.notifications.context_processors.bell",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
# Axes first: it refuses a locked-out user before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
# Uploads: on storage every web server and task worker shares (NFS, a mounted volume) when
# gendan runs on more than one machine.
MEDIA_ROOT = Path(env.str("GENDAN_MEDIA_ROOT", default=str(VAR_DIR / "media")))

# The task queue: the database (nothing more to run), or RQ on Redis for many workers, which
# then wait on Redis instead of polling the database.
TASK_BACKENDS = {"database": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}
GENDAN_TASK_BACKEND = env.str("GENDAN_TASK_BACKEND", default="database")
if GENDAN_TASK_BACKEND not in TASK_BACKENDS:
    raise setting_error("GENDAN_TASK_BACKEND", GENDAN_TASK_BACKEND, "database or rq")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[GENDAN_TASK_BACKEND], "QUEUES": ["default"]}}
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# An order import may take minutes: RQ's default of 3 minutes would kill it half-way.
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
if GENDAN_TASK_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")

NINJA_PAGINATION_PER_PAGE = 50
GENDAN_PAGE_SIZE = 25
# The company printed at the head of every document, and the language documents are printed in
# (the papers travel to warehouses, drivers and homeowners in China).
GENDAN_COMPANY = {
    "name": env.str("GENDAN_COMPANY_NAME", default="广州竹韵地板有限公司"),
    "address": env.str("GENDAN_COMPANY_ADDRESS", default="广州市番禺区石楼镇工业大道18号"),
    "phone": env.str("GENDAN_COMPANY_PHONE", default="020-8888 6666"),
}
GENDAN_DOCUMENT_LANGUAGE = env.str("GENDAN_DOCUMENT_LANGUAGE", default="zh-hans")
# The address people open gendan at: the links in e-mails start with it.
GENDAN_BASE_URL = env.str("GENDAN_BASE_URL", default="http://localhost:8000")
# E-mail (the next signer is told by mail): none unless a server is given, as EMAIL_URL
# (smtp://user:password@host:25, smtp+tls://...:587, smtp+ssl://...:465) or EMAIL_HOST and
# EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
if env.str("EMAIL_URL", default=""):
    globals().update({k: v for k, v in env.email_url("EMAIL_URL").items() if v is not None})
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="gendan@localhost")
# E-2: a customer not seen for this many days is sleeping.
GENDAN_CRM_SLEEP_DAYS = env.int("GENDAN_CRM_SLEEP_DAYS", default=180)
GENDAN_CRM_RFM_DAYS = env.int("GENDAN_CRM_RFM_DAYS", default=365)  # E-8: the RFM period
# O-67: a return is "bulk" (credit for other goods; cash only with the VP of sales) from this
# value in CNY, or from this share of its order's total.
GENDAN_BULK_RETURN_AMOUNT = env_decimal("GENDAN_BULK_RETURN_AMOUNT", default="5000.00")
GENDAN_BULK_RETURN_SHARE = env_decimal("GENDAN_BULK_RETURN_SHARE", default="0.5")

# Deliveries (gendan.logistics). Travel times: the great-circle distance times a road factor,
# its first GENDAN_CITY_KM at the city's speed and the rest at the highway's, unless an OSRM
# server is set (its table service answers instead).
GENDAN_ROAD_FACTOR = env_decimal("GENDAN_ROAD_FACTOR", default="1.4")
GENDAN_ROAD_SPEED_KMH = env_decimal("GENDAN_ROAD_SPEED_KMH", default="30")
GENDAN_CITY_KM = env_decimal("GENDAN_CITY_KM", default="10")
GENDAN_HIGHWAY_SPEED_KMH = env_decimal("GENDAN_HIGHWAY_SPEED_KMH", default="70")
GENDAN_OSRM_URL = env.str("GENDAN_OSRM_URL", default="")  # e.g. http://127.0.0.1:5000
# How long the route planner searches (PyVRP) before it takes its best plan.
GENDAN_PLAN_SECONDS = env_decimal("GENDAN_PLAN_SECONDS", default="10")
# The map's tile server ({z}/{x}/{y}); with none the plan draws its stops on a plain canvas.
GENDAN_MAP_TILES_URL = env.str("GENDAN_MAP_TILES_URL", default="")
GENDAN_MAP_TILES_ATTRIBUTION = env.str("GENDAN_MAP_TILES_ATTRIBUTION", default="")
# A board's weight when its product record has none (bamboo, 15 to 18 mm).
GENDAN_DEFAULT_KG_PER_M2 = env_decimal("GENDAN_DEFAULT_KG_PER_M2", default="15")
# More district centres (CSV files with the shipped table's header, comma-separated paths),
# read after logistics/data/district_centres.csv: a later file's row wins.
GENDAN_DISTRICT_CENTRES_EXTRA = env_list("GENDAN_DISTRICT_CENTRES_EXTRA", default=[])
# O-43: a drop's time on site: this many minutes, plus a minute per 5 m² of boards unloaded.
GENDAN_DROP_MINUTES = env.int("GENDAN_DROP_MINUTES", default=15)
# O-42: an order of at most this much floor (m²) may go with the installers, not on a truck.
GENDAN_SMALL_ORDER_M2 = env_decimal("GENDAN_SMALL_ORDER_M2", default="15")
# O-43: the arrival window told the day before: from this many minutes before the planned
# arrival to this many after, widened to the quarter hour ("30,60": 10:10 is told 09:30-11:15).
_call_window = env_list("GENDAN_CALL_WINDOW_MINUTES", default=["30", "60"])
if len(_call_window) != 2 or not all(part.isdigit() and int(part) < 600 for part in _call_window):
    raise setting_error(
        "GENDAN_CALL_WINDOW_MINUTES", ",".join(_call_window), "two numbers of minutes: 30,60"
    )
GENDAN_CALL_WINDOW_MINUTES = (int(_call_window[0]), int(_call_window[1]))

# Imports are refused above these, before a row is read: a small .xlsx can unpack to millions
# of rows. Orders from spreadsheets: the workbook unpacked, and the rows of a sheet. The CRM's
# event files are larger (the benchmark imports 1,000,000 lines, about 75 MB).
GENDAN_IMPORT_MAX_UNCOMPRESSED_BYTES = env.int(
    "GENDAN_IMPORT_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024
)
GENDAN_IMPORT_MAX_ORDER_ROWS = env.int("GENDAN_IMPORT_MAX_ORDER_ROWS", default=50_000)
# An accepted shop-event file is read whole, in the request (about 3 KB of memory a line on
# SQLite): a million lines is the most a web worker should hold.
GENDAN_CRM_IMPORT_MAX_BYTES = env.int("GENDAN_CRM_IMPORT_MAX_BYTES", default=256 * 1024 * 1024)
GENDAN_CRM_IMPORT_MAX_LINES = env.int("GENDAN_CRM_IMPORT_MAX_LINES", default=1_000_000)

# Failed logins (django-axes): 5 failures for one user from one address lock that pair for
# 15 minutes, on the login page, the admin and HTTP Basic on the API. A refused attempt during
# the lock does not extend it, so the time the message gives stays true.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "gendan.accounts.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "gendan.accounts.throttle.client_address"
# Behind a reverse proxy the client's address is the last one the proxy added to
# X-Forwarded-For (the ones before it are whatever the client sent).
GENDAN_CLIENT_ADDRESS_FROM_PROXY = False
# API tokens and passwords (Bearer, Basic) are refused over plain HTTP when set.
GENDAN_API_REQUIRE_HTTPS = False

# Uploads (originals, step photos): at most this many bytes; the types are in gendan.core.uploads.
GENDAN_UPLOAD_MAX_BYTES = env.int("GENDAN_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Scripts only from our own static files: an injected <script> or onclick= does not run.
# Style attributes stay allowed (ECharts writes them into its tooltips, the templates size the
# charts with them); <style> elements do not (htmx's indicator style is in gendan.css instead).
# Pico's form controls draw their arrows and ticks as data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if GENDAN_MAP_TILES_URL:  # the map's tiles come from the tile server
    _tiles = urlsplit(GENDAN_MAP_TILES_URL.replace("{s}", "a"))
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")
