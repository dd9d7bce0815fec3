"""Test settings: the real settings, with a fixed key, fast hashing and plain http."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("AIII_EMAIL_DIR", tempfile.mkdtemp(prefix="aiii-test-mail-"))

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# live_server and the test client speak plain http; the HTTPS rules are tested in a subprocess.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests call tasks directly or through the one real-worker test; nothing reaches a broker unasked.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = REDIS_URL or "memory://"  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# One process (the live server is a thread of it): its memory is a shared cache for fragments.
AIII_FRAGMENT_CACHE = True
AIII_SITE_URL = "http://testserver"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"  # the live server speaks plain http
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
AIII_PRIVATE_STORAGE_DIR = tempfile.mkdtemp(prefix="aiii-test-private-")
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": AIII_PRIVATE_STORAGE_DIR},
}
if DATABASES["default"]["ENGINE"] == "aiii.backends.postgresql":  # noqa: F405
    # pytest-django empties the test database with TRUNCATE between transactional tests; the
    # audit log refuses TRUNCATE except on a test database whose connection says this
    # (aiii/migrations/0005_audit_truncate_and_actor_guard.py).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c aiii.audit_truncate=allow"  # noqa: F405
