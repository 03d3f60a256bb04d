from botocore.exceptions import BotoCoreError, ClientError
from whitenoise.storage import CompressedManifestStaticFilesStorage


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; ES module imports are rewritten to hashed names too."""

    support_js_module_import_aggregation = True


# What a failed write to the file storage raises: the disk's errors, or an object store's.
STORAGE_ERRORS: tuple[type[Exception], ...] = (OSError, BotoCoreError, ClientError)
