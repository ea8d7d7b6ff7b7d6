"""The bundled samples with printed pages: both papers converted with page PDFs and images.

Shared by the printed-page tests, the Nu checker's and Lighthouse's: the dumps of
``raw/`` are converted, their articles typeset into page PDFs (``tests/support/printed_pages.py``),
the PDFs put beside the dumps as an editor would (after the dumps: the converter must
pick them up on its next run), and both sites built:

- 浙江日报 2024-03-17 page 01: a PDF (six stories, a photo, the masthead);
- 人民日报 2025-03-18 page 01: a PDF; page 15: a JPEG of its typeset page (no text layer).
"""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_converter, run_pelican

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
#: (paper, date, page, how the print source is given, the paper's name, the date line)
SOURCES = (
    ("zjrb", "2024-03-17", 1, "pdf", "浙江日报", "2024年3月17日 星期日 农历甲辰年二月初八 第27323期"),
    ("rmrb", "2025-03-18", 1, "pdf", "人民日报", "2025年3月18日 星期二"),
    ("rmrb", "2025-03-18", 15, "jpg", "人民日报", "2025年3月18日 星期二"),
)


@dataclass
class PrintedSite:
    root: Path
    raw: dict[str, Path] = field(default_factory=dict)  # paper -> raw/<paper>
    content: dict[str, Path] = field(default_factory=dict)  # paper -> content/<paper>
    output: dict[str, Path] = field(default_factory=dict)  # paper -> output
    laid_out: dict[tuple[str, int], object] = field(default_factory=dict)  # (paper, page) -> TypesetPage
    first_run: dict[str, str] = field(default_factory=dict)  # the converter's output with the PDFs new

    def report(self, paper: str) -> dict:
        return json.loads((self.content[paper] / "conversion-report.json").read_text(encoding="utf-8"))

    def page_folder(self, paper: str, date: str, page: int) -> Path:
        return self.content[paper] / date / f"{page:02d}"


def require_typesetting() -> None:
    """Skip unless WeasyPrint and Debian's Noto CJK fonts are there (.ci/run installs them)."""
    pytest.importorskip("weasyprint", reason="weasyprint is not installed (pip install -r requirements-test.txt)")
    if not NOTO.exists():
        pytest.skip("Debian's fonts-noto-cjk is not installed (apt-get install fonts-noto-cjk)")


def jpeg_of(pdf: bytes, width: int = 1100) -> bytes:
    """A page image as a scanner would give it: the PDF's page as a JPEG, no text in it."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        img = page.render(scale=width / page.get_width()).to_pil().convert("RGB")
        page.close()
    finally:
        doc.close()
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=85)
    return buf.getvalue()


def build_printed_site(root: Path) -> PrintedSite:
    from tests.support.printed_pages import typeset

    site = PrintedSite(root)
    for paper in ("zjrb", "rmrb"):
        raw = site.raw[paper] = root / "raw" / paper
        shutil.copytree(ROOT / "raw" / paper, raw)
        site.content[paper] = root / "content" / paper
        site.output[paper] = root / f"output-{paper}"
        conv = run_converter(raw, site.content[paper], paper)
        assert conv.returncode == 0, conv.stdout + conv.stderr
    for paper, date, page, kind, name, date_line in SOURCES:
        laid = typeset(site.page_folder(paper, date, page), paper=name, date_line=date_line, page=page,
                       section="要闻" if page == 1 else "")
        site.laid_out[(paper, page)] = laid
        target = site.raw[paper] / date / f"{page:02d}.{kind}"
        target.write_bytes(laid.pdf if kind == "pdf" else jpeg_of(laid.pdf))
    for paper in ("zjrb", "rmrb"):  # the page PDFs come after the dumps, as on an editor's night
        conv = run_converter(site.raw[paper], site.content[paper], paper)
        assert conv.returncode == 0, conv.stdout + conv.stderr
        site.first_run[paper] = conv.stdout
        built = run_pelican(site.content[paper], site.output[paper], ROOT / "pelicanconf.py", paper,
                            extra_env={"EPAPER_CACHE_DIR": str(root / f"cache-{paper}")})
        assert built.returncode == 0, built.stdout + built.stderr
    return site


def union_area(boxes: list) -> float:
    """The area covered by a set of rectangles (x0, y0, x1, y1), overlaps counted once."""
    xs = sorted({v for b in boxes for v in (b[0], b[2])})
    ys = sorted({v for b in boxes for v in (b[1], b[3])})
    area = 0.0
    for i in range(len(xs) - 1):
        for j in range(len(ys) - 1):
            cx, cy = (xs[i] + xs[i + 1]) / 2, (ys[j] + ys[j + 1]) / 2
            if any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes):
                area += (xs[i + 1] - xs[i]) * (ys[j + 1] - ys[j])
    return area


def overlap(found: list, truth: list) -> float:
    """Intersection over union of two sets of rectangles (1: the same area, 0: apart)."""
    inter = [(max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])) for a in found for b in truth]
    i = union_area([r for r in inter if r[0] < r[2] and r[1] < r[3]])
    u = union_area(list(found)) + union_area(list(truth)) - i
    return i / u if u else 0.0
