"""Test settings shared by every suite: a fast password hasher, static files from the finders."""

import pytest
from django.conf import settings


def pytest_configure(config: pytest.Config) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests log personas in with force_login; the two-factor tests (tests/core/test_security.py) turn the
    # requirement back on.
    settings.CORREDOR_REQUIRE_2FA = False
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
