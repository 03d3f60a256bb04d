"""Uploaded files: a size limit applied while the request is read, and names the portal makes.

A file over `PORTAL_UPLOAD_MAX_BYTES` is never kept: its bytes are read from the request and
dropped, and the form receives an `OversizedUpload` that knows the size, so the field's own
validator says "The selected file must be smaller than 20 MB" in the error summary.
"""

import io
import uuid

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils import timezone
from django.utils.deconstruct import deconstructible


class _Dropped(io.RawIOBase):
    """The content of a file too large to keep: there is none, and reading it says so."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer):
        raise OSError("The uploaded file was over the size limit and was not kept")


class OversizedUpload(UploadedFile):
    """Stands for an uploaded file that was over the limit: its size is known, its bytes are not."""

    def __init__(self, name, content_type, size, charset, content_type_extra=None):
        super().__init__(_Dropped(), name, content_type, size, charset, content_type_extra)


class UploadSizeLimitHandler(FileUploadHandler):
    """Keeps no more of an uploaded file than the largest the portal accepts.

    It runs before Django's own handlers and passes a file's chunks on to them only while the
    file is within the limit. A request whose whole body is larger than any form could be is
    not kept at all: its files are dropped from the first byte.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        largest_form = settings.PORTAL_UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        self.body_too_large = content_length > largest_form
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.dropping = getattr(self, "body_too_large", False)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.PORTAL_UPLOAD_MAX_BYTES:
            self.dropping = True
        return None if self.dropping else raw_data

    def file_complete(self, file_size):
        if not self.dropping:
            return None  # within the limit: the next handler holds the file
        return OversizedUpload(
            self.file_name, self.content_type, self.received, self.charset, self.content_type_extra
        )


@deconstructible
class GeneratedName:
    """An `upload_to` that never uses the uploaded name: `<folder>/<year>/<random hex><suffix>`.

    The uploaded name is the uploader's to choose (`evil.html`); the stored name is ours.
    """

    def __init__(self, folder: str, suffix: str):
        self.folder = folder.rstrip("/")
        self.suffix = suffix

    def __call__(self, instance, filename: str) -> str:
        return f"{self.folder}/{timezone.localdate().year}/{uuid.uuid4().hex}{self.suffix}"

    def __eq__(self, other) -> bool:
        return isinstance(other, GeneratedName) and (self.folder, self.suffix) == (
            other.folder,
            other.suffix,
        )

    def __hash__(self) -> int:
        return hash((self.folder, self.suffix))
