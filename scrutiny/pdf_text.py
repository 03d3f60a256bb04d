"""The words of an uploaded PDF, read once when the file is saved, so that searching reads the
stored words and never opens the file again."""

import logging
import re

from pypdf import PdfReader

logger = logging.getLogger(__name__)

# Enough for the longest paper; a bound so that one odd file cannot fill the index.
MAX_CHARACTERS = 2_000_000
_SPACES = re.compile(r"[ \t\r\f\v]+")


def pdf_text(stream) -> str:
    """The text of the PDF in `stream`, page after page; empty when the PDF is encrypted,
    cannot be read or has no text (a scan)."""
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            return ""
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception:  # a parser fed an odd file can fail in any way: the upload still stands
        logger.info("The text of an uploaded PDF could not be read", exc_info=True)
        return ""
    # PostgreSQL refuses NUL characters in text; runs of spaces only bloat the index.
    text = "\n\n".join(_SPACES.sub(" ", page).replace("\x00", "").strip() for page in pages)
    return text.strip()[:MAX_CHARACTERS]


def stored_pdf_text(field_file) -> str:
    """The text of the PDF in a file field: a new upload (read before it is stored, and left
    ready to be stored) or a stored file. Empty when there is none or it has gone missing."""
    if not field_file:
        return ""
    uploading = not field_file._committed
    try:
        field_file.open("rb")
    except OSError:
        logger.info("A stored PDF could not be opened to read its text", exc_info=True)
        return ""
    try:
        field_file.seek(0)
        return pdf_text(field_file)
    finally:
        # Closing an upload would lose it before it is stored.
        if uploading:
            field_file.seek(0)
        else:
            field_file.close()
