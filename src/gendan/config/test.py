"""Settings for the test suite: DATABASE_URL picks SQLite (default) or PostgreSQL."""

from gendan.config.base import *  # noqa: F403

SECRET_KEY = "gendan-tests-only"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test client's login() authenticates without a request, which django-axes refuses;
# this backend lets that one call through and throttles every other.
AUTHENTICATION_BACKENDS = [
    "gendan.accounts.tests.backends.AxesUnlessTestClientBackend",
    "django.contrib.auth.backends.ModelBackend",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The live server of the browser tests serves static files itself, from the apps.
MIDDLEWARE = [name for name in MIDDLEWARE if "whitenoise" not in name]  # noqa: F405
# The test flush empties the append-only logs with TRUNCATE, which their triggers refuse
# unless the tables' owner asks for it in the session (audit migration 0003).
_database = DATABASES["default"]  # noqa: F405
if _database["ENGINE"] == "django.db.backends.postgresql":
    _database.setdefault("OPTIONS", {})["options"] = "-c gendan.allow_log_truncate=on"
