"""Where the converter finds page PDFs, and what it does with a usable or unusable one.

Accepted names (beside the dumps, in ``raw/<paper>/<YYYY-MM-DD>/``):

* ``<PP>.pdf`` — one printed page (``01.pdf``); beside ``<PP>.txt`` or alone;
* any other ``*.pdf`` (``edition.pdf``, ``rmrb20250326.pdf``) — a whole edition: each of its
  pages is converted as a page of that date, numbered from its folio, else by its order.

A PDF that cannot be opened (damaged, encrypted, not a PDF) is reported with its name; its
dump, when there is one, converts as before.  A page whose text layer cannot be trusted
(no text: a scan; glyphs without Unicode values) is reported too, and its dump is used.
When both are usable, the PDF decides the structure and the dump is a cross-check: where
their texts differ materially, the page's report says so.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium

from converters.model import Issue, Severity
from converters.pdf.reader import NotAPdf, PdfReading, open_document, read_page

PAGE_NAME = re.compile(r"^\d{1,3}$")  # 01.pdf: one printed page
DUMP_SUFFIXES = (".txt", ".md", ".text")
#: The dump's and the PDF's texts share less than this of their characters: they differ materially.
AGREEMENT = 0.9
#: Less than this: the PDF's text layer is not the page the dump has (garbled, or another page).
GARBLED = 0.5


def is_page_pdf(path: Path) -> bool:
    return path.suffix.lower() == ".pdf" and bool(PAGE_NAME.match(path.stem))


def pdf_beside(dump: Path) -> Path | None:
    """``01.pdf`` beside ``01.txt`` (any case of the suffix)."""
    try:
        names = [n for n in dump.parent.iterdir() if n.stem == dump.stem and n.suffix.lower() == ".pdf"]
    except OSError:
        return None
    return sorted(names)[0] if names else None


def has_dump(pdf: Path) -> bool:
    return any((pdf.with_suffix(s)).is_file() for s in DUMP_SUFFIXES)


def edition_pages(pdf: Path) -> int:
    """How many pages an edition PDF has (0 when it cannot be opened: reported when converted)."""
    try:
        doc = open_document(pdf.read_bytes())
    except (OSError, NotAPdf):
        return 0
    try:
        return len(doc)
    finally:
        doc.close()


class OpenedPage:
    """Page ``index`` of a PDF, opened once for the job: the reader reads it and the figures
    its stories took are rendered from it (PDFium loading a page costs as much as reading
    its text).  ``page`` is None when it cannot be opened, and ``issues`` says why."""

    def __init__(self, path: Path, index: int) -> None:
        self.path = path
        self.page: pdfium.PdfPage | None = None
        self.issues: list[Issue] = []
        self._doc: pdfium.PdfDocument | None = None
        name = path.as_posix()
        try:
            self._doc = open_document(path.read_bytes())
            if index >= len(self._doc):
                self.issues.append(Issue.of(Severity.WARNING, "pdf-unusable", file=name,
                                            reason=f"it has no page {index + 1}"))
            else:
                self.page = self._doc[index]
        except OSError as exc:
            self.issues.append(Issue.of(Severity.WARNING, "pdf-unusable", file=name, reason=exc.strerror or str(exc)))
        except NotAPdf as exc:
            self.issues.append(Issue.of(Severity.WARNING, "pdf-unusable", file=name, reason=str(exc)))
        except Exception as exc:  # PDFium failing on a damaged page: the page is reported, the run goes on
            self.issues.append(Issue.of(Severity.WARNING, "pdf-unusable", file=name,
                                        reason=f"PDFium could not read it: {exc}"))

    def __enter__(self) -> OpenedPage:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.page is not None:
            self.page.close()
        if self._doc is not None:
            self._doc.close()


def read_pdf(opened: OpenedPage, names: dict[str, str]) -> tuple[PdfReading | None, list[Issue]]:
    """The opened page read, or None and the issue saying why it cannot be used."""
    if opened.page is None:
        return None, list(opened.issues)
    name = opened.path.as_posix()
    try:
        reading = read_page(opened.page, names)
    except Exception as exc:  # PDFium failing on a damaged page: the page is reported, the run goes on
        return None, [Issue.of(Severity.WARNING, "pdf-unusable", file=name, reason=f"PDFium could not read it: {exc}")]
    if reading.problem == "no-text":
        return None, [Issue.of(Severity.WARNING, "pdf-no-text", file=name, chars=reading.printable)]
    if reading.problem == "garbled":
        return None, [Issue.of(Severity.WARNING, "pdf-garbled", file=name, bad=reading.untrusted,
                               chars=reading.printable)]
    if reading.scanned:
        return reading, [Issue.of(Severity.INFO, "pdf-scanned", file=name)]
    return reading, []


def _letters(text: str) -> Counter:
    return Counter(c for c in text if c.isalnum())


def agreement(pdf_text: str, dump_text: str) -> float:
    """How much of the two texts' letters and digits they share (1.0: the same characters)."""
    a, b = _letters(pdf_text), _letters(dump_text)
    total = max(sum(a.values()), sum(b.values()))
    return sum((a & b).values()) / total if total else 1.0


def cross_check(reading: PdfReading, dump_text: str, pdf: Path) -> tuple[bool, list[Issue]]:
    """(use the PDF?, issues): the PDF's text against the dump's."""
    share = agreement(reading.text, dump_text)
    if share < GARBLED:
        return False, [Issue.of(Severity.WARNING, "pdf-dump-disagree", file=pdf.as_posix(),
                                share=f"{share:.2f}", used="dump")]
    if share < AGREEMENT:
        return True, [Issue.of(Severity.WARNING, "pdf-dump-differ", file=pdf.as_posix(), share=f"{share:.2f}")]
    return True, []
