"""Settings for the test suite: production settings with a key of their own (DEBUG stays off)."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-use-0123456789")

from ladders.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast users in tests
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
STATIC_ROOT = BASE_DIR / "frameworks"  # noqa: F405 - any existing folder: no collectstatic in tests
API_RATE_LIMIT = "100000/min"  # tests that check the limit set their own
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
