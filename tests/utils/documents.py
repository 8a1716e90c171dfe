"""Files for the document-upload tests: a PDF with pages but no text layer (what a scan looks like)."""

import io

from pypdf import PdfWriter


def blank_pdf(pages: int = 2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
