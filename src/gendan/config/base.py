"""Settings shared by every environment, read from the environment (see README)."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from gendan.config.env import env, env_bool, env_database, env_list, env_time_zone

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
    "gendan.core",
    "gendan.accounts",
    "gendan.audit",
    "gendan.catalog",
    "gendan.parties",
    "gendan.orders",
    "gendan.crm",
    "gendan.documents",
    "gendan.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "gendan.core.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Refuses what no view could store (NUL, lone surrogates, a body over the limit): a 4xx.
    "gendan.core.input_checks.InputChecksMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
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
MEDIA_ROOT = VAR_DIR / "media"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

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
# E-2: a customer not seen for this many days is sleeping.
GENDAN_CRM_SLEEP_DAYS = env.int("GENDAN_CRM_SLEEP_DAYS", default=180)
GENDAN_CRM_RFM_DAYS = env.int("GENDAN_CRM_RFM_DAYS", default=365)  # E-8: the RFM period
