from django.core.exceptions import ValidationError

PAPER_MAX_BYTES = 20 * 1024 * 1024


def validate_pdf(upload) -> None:
    """A paper must be a real PDF (by its content, not its name), not empty, at most 20 MB."""
    if upload.size == 0:
        raise ValidationError("The selected file is empty")
    if upload.size > PAPER_MAX_BYTES:
        raise ValidationError("The selected file must be smaller than 20 MB")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(position)
    if b"%PDF-" not in head:
        raise ValidationError("The selected file must be a PDF")
