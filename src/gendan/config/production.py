"""Settings for production: a real SECRET_KEY and PostgreSQL behind a reverse proxy."""

from django.core.exceptions import ImproperlyConfigured

from gendan.config.base import *  # noqa: F403
from gendan.config.base import SECRET_KEY
from gendan.config.env import env, env_bool

if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("Setting SECRET_KEY is missing or shorter than 32 characters.")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
GENDAN_CLIENT_ADDRESS_FROM_PROXY = True
GENDAN_API_REQUIRE_HTTPS = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
