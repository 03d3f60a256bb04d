"""The portal's settings, as the test suite runs them.

Only what tests need differs: a fixed secret key, a fast password hasher, plain static file
storage (no collectstatic before tests), media in a temporary folder and no HTTPS redirect
(the test client speaks plain HTTP), and a cache in memory, emptied before each test
(conftest.py).
"""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")

from pcc_portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    # Local files whatever the environment names; tests/test_object_storage.py runs on S3.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="pcc-portal-test-media-")
SECURE_SSL_REDIRECT = False
STATIC_ROOT = tempfile.mkdtemp(prefix="pcc-portal-test-static-")
# Tasks run at once in the test that enqueues them; reports/tests/test_publishing.py runs a
# real worker over the database queue.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
