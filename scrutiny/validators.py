"""What the portal accepts as an uploaded paper: a plain PDF, judged by its content.

Papers are served back to the public and to panel members, so a file must be a PDF from its
first byte, must open, and must carry nothing a PDF reader would run or unpack: scripts,
actions that launch programs or send data, multimedia, attached files.
"""

import logging

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

logger = logging.getLogger(__name__)

PAPER_MAX_BYTES = 20 * 1024 * 1024
PDF_HEADER = b"%PDF-"

# Keys that hold scripts, actions a reader runs by itself, forms that run code, or files.
ACTIVE_KEYS = frozenset(
    {"/JavaScript", "/JS", "/AA", "/EmbeddedFiles", "/EF", "/XFA", "/RichMediaContent"}
)
# Action types (/S) that run code, open other files or programs, or send data away.
ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/RichMediaExecute",
        "/Rendition",
        "/GoToE",
        "/GoToR",
    }
)
# Annotations that play media or hold an attached file.
ACTIVE_SUBTYPES = frozenset({"/RichMedia", "/FileAttachment", "/Screen", "/Movie", "/Sound"})
# Back-pointers, page drawing and the accessibility structure hold no actions (the structure
# only points at annotations, which are reached from their pages): skipping them keeps the
# walk short for long tagged papers.
SKIPPED_KEYS = frozenset(
    {"/Parent", "/P", "/Contents", "/Resources", "/AP", "/Thumb", "/StructTreeRoot", "/Metadata"}
)
CONTAINERS = (DictionaryObject, ArrayObject, IndirectObject)
# A bound on the objects looked at, so that a crafted file cannot keep a request busy.
MAX_OBJECTS = 200_000

NOT_A_PDF = "The selected file must be a PDF"
DAMAGED = "The selected file could not be opened as a PDF: save it as a PDF again and upload that"
ACTIVE = (
    "The selected file must not contain JavaScript, actions or attached files: "
    "save or print it as a plain PDF and upload that"
)
PASSWORD = "The selected file must not be protected by a password"


class _Unreadable(Exception):
    pass


def validate_pdf(upload) -> None:
    """A paper must be a non-empty PDF of at most 20 MB that opens and carries no active content."""
    if upload.size == 0:
        raise ValidationError("The selected file is empty")
    if upload.size > PAPER_MAX_BYTES:
        raise ValidationError("The selected file must be smaller than 20 MB")
    # The form and the model both validate the same upload: read a long PDF once.
    content = upload.file if isinstance(upload, FieldFile) else upload
    if getattr(content, "pdf_checked", False):
        return
    position = content.tell()
    try:
        content.seek(0)
        if content.read(len(PDF_HEADER)) != PDF_HEADER:
            raise ValidationError(NOT_A_PDF)
        content.seek(0)
        problem = pdf_problem(content)
    finally:
        content.seek(position)
    if problem:
        raise ValidationError(problem)
    content.pdf_checked = True


def pdf_problem(stream) -> str | None:
    """What is wrong with the PDF in `stream`, in words for the person who uploaded it, or None."""
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            return PASSWORD
        if len(reader.pages) == 0:
            return DAMAGED
        found = pdf_active_content(reader.trailer["/Root"])
    except Exception:  # a parser fed hostile input can fail in any way
        logger.info("An uploaded PDF could not be read", exc_info=True)
        return DAMAGED
    if found:
        logger.info("An uploaded PDF was refused: it carries %s", found)
        return ACTIVE
    return None


def pdf_active_content(root) -> str | None:
    """The first script, action, media or attached file found from the document catalog, or None.

    Walks everything reachable from the catalog (the names tree, the open action, outlines,
    pages and their annotations, the form) except page drawing, each object once.
    """
    seen: set[tuple[int, int]] = set()
    pending = [root]
    visited = 0
    while pending:
        node = pending.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise _Unreadable("too many objects to check")
        if isinstance(node, DictionaryObject):
            found = _active_entry(node)
            if found:
                return found
            pending.extend(
                value
                for key, value in node.items()
                if key not in SKIPPED_KEYS and isinstance(value, CONTAINERS)
            )
        elif isinstance(node, ArrayObject):
            pending.extend(value for value in node if isinstance(value, CONTAINERS))
    return None


def _active_entry(node: DictionaryObject) -> str | None:
    for key in node:
        if key in ACTIVE_KEYS:
            return key
    # An open action that only says which page to show is a destination (an array): harmless.
    if isinstance(_resolved(node.get("/OpenAction")), DictionaryObject):
        return "/OpenAction"
    if _resolved(node.get("/S")) in ACTIVE_ACTIONS:
        return str(node["/S"])
    if _resolved(node.get("/Subtype")) in ACTIVE_SUBTYPES:
        return str(node["/Subtype"])
    return None


def _resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value
