"""A team's uploaded documents: text extraction (Markdown, TXT, PDF via pypdf, DOCX via python-docx) and chunking."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import PurePath

from app.errors import AppError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_READ_BYTES = MAX_UPLOAD_BYTES + 1  # one byte past the limit, so the size check can say 413
# The whole multipart body: the file plus the form's small fields and boundaries.
UPLOAD_BODY_LIMIT = MAX_UPLOAD_BYTES + 64 * 1024
MAX_PDF_PAGES = 300
MAX_TEXT_CHARS = 1_000_000  # what is kept of one document's text
CHUNK_CHARS = 700  # a chunk is about this long: a heading section, split at paragraphs when longer
MAX_CHUNKS = 2000
KINDS = {".md": "md", ".markdown": "md", ".txt": "txt", ".pdf": "pdf", ".docx": "docx"}
# Too little text per page for a PDF with pages: it is a scan (images) without a text layer.
MIN_CHARS_PER_PDF_PAGE = 20

_MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class DocumentError(AppError):
    """An upload that cannot be indexed; `code` says why (for the UI's message), `status` the HTTP status."""

    def __init__(self, code: str, detail: str, status: int = 422) -> None:
        super().__init__(status, code, detail)


@dataclass(frozen=True)
class Extracted:
    """A document's kind, its text as sections (heading, body), and its page count (PDF only)."""

    kind: str
    sections: list[tuple[str, str]]
    pages: int | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(f"## {heading}\n{body}" if heading else body for heading, body in self.sections)


def document_kind(filename: str) -> str:
    """md, txt, pdf or docx by the file name's extension; DocumentError for anything else."""
    kind = KINDS.get(PurePath(filename).suffix.lower())
    if kind is None:
        raise DocumentError(
            "unsupported_type",
            f"unsupported file type {PurePath(filename).suffix or '(none)'!r}: upload Markdown, TXT, PDF or DOCX",
        )
    return kind


def clean(text: str) -> str:
    """No NUL or other control characters (the database cannot store NUL), Unix line ends."""
    return _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Chinese text files are often saved as GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError("bad_encoding", "the text file is neither UTF-8 nor GBK/GB18030")


def _markdown_sections(text: str) -> list[tuple[str, str]]:
    sections: list[tuple[str, str]] = []
    heading = ""
    lines: list[str] = []
    for line in text.splitlines():
        if match := _MD_HEADING_RE.match(line):
            sections.append((heading, "\n".join(lines)))
            heading, lines = match.group(2).strip(), []
        else:
            lines.append(line)
    sections.append((heading, "\n".join(lines)))
    return [(h, b.strip()) for h, b in sections if b.strip()]


def _pdf_sections(data: bytes) -> tuple[list[tuple[str, str]], int]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError("encrypted_pdf", "the PDF is password-protected; upload an unprotected copy")
        pages = len(reader.pages)
        if pages > MAX_PDF_PAGES:
            raise DocumentError("too_many_pages", f"the PDF has {pages} pages; at most {MAX_PDF_PAGES} are accepted")
        texts = [(page.extract_text() or "").strip() for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise DocumentError("unreadable", f"the PDF could not be read: {type(error).__name__}") from None
    if pages and sum(len(text) for text in texts) < MIN_CHARS_PER_PDF_PAGE * pages:
        raise DocumentError(
            "scanned_pdf", "the PDF has no text layer (a scan?): run OCR on it or upload the original document"
        )
    return [(f"p. {number}", text) for number, text in enumerate(texts, start=1) if text], pages


def _docx_sections(data: bytes) -> list[tuple[str, str]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, ValueError, KeyError, OSError) as error:
        raise DocumentError("unreadable", f"the DOCX could not be read: {type(error).__name__}") from None
    except Exception as error:  # a zip that is not a Word document raises from deep inside the package reader
        raise DocumentError("unreadable", f"the DOCX could not be read: {type(error).__name__}") from None
    sections: list[tuple[str, str]] = []
    heading = ""
    lines: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.startswith("Heading") or style == "Title":
            sections.append((heading, "\n".join(lines)))
            heading, lines = text, []
        else:
            lines.append(text)
    for table in document.tables:  # tables after the text: one line per row
        for row in table.rows:
            cells = [cell.text.strip() for cell in row.cells]
            if any(cells):
                lines.append(" | ".join(cells))
    sections.append((heading, "\n".join(lines)))
    return [(h, b.strip()) for h, b in sections if b.strip()]


def extract(filename: str, data: bytes) -> Extracted:
    """The document's text as sections; DocumentError when it is too large, of another type, or has no text."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise DocumentError("too_large", f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", 413)
    kind = document_kind(filename)
    pages = None
    if kind in ("md", "txt"):
        text = clean(_decode(data))
        sections = _markdown_sections(text) if kind == "md" else [("", text.strip())]
    elif kind == "pdf":
        sections, pages = _pdf_sections(data)
    else:
        sections = _docx_sections(data)
    sections = [(clean(heading)[:200], clean(body)) for heading, body in sections if clean(body).strip()]
    if not sections:
        raise DocumentError("empty", "the document contains no text")
    extracted = Extracted(kind, sections, pages)
    if len(extracted.text) > MAX_TEXT_CHARS:
        raise DocumentError("too_long", f"the document's text is longer than {MAX_TEXT_CHARS} characters", 413)
    return extracted


def _split_body(body: str) -> list[str]:
    """Paragraph groups of about CHUNK_CHARS; a longer single paragraph is cut at sentence ends or hard."""
    parts: list[str] = []
    current = ""
    for paragraph in [p.strip() for p in re.split(r"\n\s*\n|\n(?=[-*•\d])", body) if p.strip()]:
        while len(paragraph) > CHUNK_CHARS:
            cut = max(paragraph.rfind(mark, 0, CHUNK_CHARS) for mark in "。！？.!?\n")
            cut = cut + 1 if cut > CHUNK_CHARS // 3 else CHUNK_CHARS
            if current:
                parts.append(current)
                current = ""
            parts.append(paragraph[:cut].strip())
            paragraph = paragraph[cut:].strip()
        if current and len(current) + len(paragraph) + 1 > CHUNK_CHARS:
            parts.append(current)
            current = ""
        current = f"{current}\n{paragraph}".strip()
    if current:
        parts.append(current)
    return parts


def chunk_sections(sections: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(heading, text) chunks of about CHUNK_CHARS from a document's sections; DocumentError past MAX_CHUNKS."""
    chunks = [(heading, part) for heading, body in sections for part in _split_body(body)]
    if len(chunks) > MAX_CHUNKS:
        raise DocumentError("too_long", f"the document makes more than {MAX_CHUNKS} passages", 413)
    return chunks


def sections_from_text(text: str) -> list[tuple[str, str]]:
    """The sections of a stored document's text again (re-index): `## heading` lines start sections."""
    return _markdown_sections(text)
