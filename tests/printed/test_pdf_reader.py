"""The page PDF as the source of structure (converters/pdf), from the principle.

Pages typeset here with WeasyPrint in a template unlike the development set's (another
page size, body face and size, column counts, narrow gutters, a headline spanning the
columns of its story, a photo with caption and credit, a byline under the headline and a
bare name closing a story, a folio), and bad PDFs (a garbled text layer, a scan without
text, an encrypted file, an edition in one multi-page PDF): each converted with the real
CLI, as ``make content`` does.  The development set (tests/pdfset) is scored and its
regions measured against the laid-out story boxes.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from converters.gold import page_articles
from tests.conftest import ROOT, run_converter

pytest.importorskip("weasyprint")

PARAS = [
    "今年以来，全省上下坚持以高质量发展为主线，扎实推进产业转型升级，一批重大项目相继落地投产，经济运行总体平稳、稳中有进。",
    "在开发区的生产车间里，自动化生产线正在满负荷运转。企业负责人介绍，新投用的智能装备让生产效率提高了三成以上，产品合格率也稳步提升。",
    "与此同时，各地持续优化营商环境，推行审批事项一网通办，企业开办时间压缩至一个工作日以内，市场主体活力进一步增强。",
    "业内专家认为，要坚持创新驱动，加大关键核心技术攻关力度，推动传统产业高端化、智能化、绿色化发展，培育壮大新兴产业集群。",
    "据统计，一季度全省规模以上工业增加值同比增长百分之六点二，高技术制造业投资增长百分之十五，新动能加快成长。",
    "下一步，有关部门将继续加强要素保障，强化用地、用能、资金等支持，确保重点项目早开工、早建成、早见效。",
]
TITLES = ["产业升级按下快进键", "科技助力春耕生产"]
PARAS_B = [
    "春耕时节，田间地头一派繁忙景象。农技人员深入村组，手把手指导农户科学施肥、合理用药，为全年粮食丰收打下坚实基础。",
    "当地农业农村部门组织专家团队开展巡回服务，累计培训农民两千余人次，发放技术资料五千余份，有力保障了春耕生产顺利进行。",
    "种粮大户老张说，如今种地靠科技，无人机植保、测土配方施肥都用上了，一亩地能省下不少成本，收成也更有保障。",
]


def _html(pages: list[str]) -> str:
    css = """
    @page { size: 300mm 420mm; margin: 12mm; }
    body { font-family: 'Noto Sans CJK SC'; font-size: 10.5pt; line-height: 1.55; margin: 0; }
    .folio { display: flex; justify-content: space-between; font-size: 9pt; border-bottom: 1pt solid #000;
             padding-bottom: 2mm; margin-bottom: 6mm; }
    .story { margin-bottom: 8mm; }
    .kicker { font-size: 13pt; margin: 0; }
    h1 { font-family: 'Noto Serif CJK SC'; font-size: 30pt; margin: 0; }
    .sub { font-size: 14pt; margin: 0 0 1mm 0; }
    .by { font-size: 10pt; font-family: 'Noto Serif CJK SC'; margin: 1mm 0 3mm 0; }
    .cols3 { column-count: 3; column-gap: 2mm; }
    .cols2 { column-count: 2; column-gap: 2mm; }
    p { text-indent: 2em; margin: 0; text-align: justify; }
    .photo { width: 100%; height: 60mm; display: block; }
    .cap { font-size: 8.5pt; font-family: 'Noto Serif CJK SC'; margin: 1mm 0 4mm 0; }
    .credit { font-size: 8.5pt; font-family: 'Noto Serif CJK SC'; text-align: right; margin: 0 0 4mm 0; }
    h3 { font-size: 10.5pt; font-weight: bold; text-align: center; margin: 2mm 0; }
    .end { text-align: right; font-size: 10pt; margin-top: 1mm; }
    .page { break-after: page; }
    """
    return f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>{''.join(pages)}</body></html>"


def _page(number: int, photo: str) -> str:
    body_a = "".join(f"<p>{p}</p>" for p in PARAS[:3]) + "<h3>创新驱动　动能强劲</h3>" + "".join(
        f"<p>{p}</p>" for p in PARAS[3:])
    body_b = "".join(f"<p>{p}</p>" for p in PARAS_B)
    return f"""<div class="page">
    <div class="folio"><span>2026年5月20日　星期三</span><span>经济 {number:02d}</span></div>
    <div class="story"><p class="kicker" style="text-indent:0">项目建设跑出加速度</p>
      <h1>产业升级按下快进键</h1><p class="sub" style="text-indent:0">——全省推动制造业高质量发展综述</p>
      <p class="by" style="text-indent:0">本报记者　王晓明　李华</p>
      <img class="photo" src="{photo}"><p class="cap" style="text-indent:0">工人在生产线上调试智能装备。</p>
      <p class="credit" style="text-indent:0">赵刚摄</p>
      <div class="cols3">{body_a}</div></div>
    <div class="story"><h1 style="font-size:22pt">科技助力春耕生产</h1>
      <div class="cols2">{body_b}<p class="end" style="text-indent:0">刘　芳</p></div></div>
    </div>"""


def _photo(tmp: Path) -> str:
    from PIL import Image

    path = tmp / "photo.png"
    Image.new("RGB", (400, 200), (90, 120, 150)).save(path)
    return path.as_uri()


def _typeset(tmp: Path, numbers: list[int]) -> bytes:
    from weasyprint import HTML

    photo = _photo(tmp)
    return HTML(string=_html([_page(n, photo) for n in numbers])).write_pdf()


def _raw(tmp: Path) -> Path:
    raw = tmp / "raw" / "demo"
    (raw / "2026-05-20").mkdir(parents=True)
    (raw / "paper.toml").write_text('name = "示例日报"\n', encoding="utf-8")
    return raw


def _report(content: Path) -> list[dict]:
    return json.loads((content / "conversion-report.json").read_text(encoding="utf-8"))["pages"]


@pytest.fixture(scope="module")
def typeset_page(tmp_path_factory) -> bytes:
    return _typeset(tmp_path_factory.mktemp("pdf"), [3])


def test_typeset_page_from_the_pdf_alone(tmp_path, typeset_page):
    """Kicker/title/subtitle by type size, byline under the headline, a headline over three
    columns, a photo with caption and credit, a subhead, a bare name closing a story, the folio."""
    raw = _raw(tmp_path)
    (raw / "2026-05-20" / "03.pdf").write_bytes(typeset_page)
    content = tmp_path / "content"
    result = run_converter(raw, content, "demo")
    assert result.returncode == 0, result.stdout + result.stderr
    arts = page_articles(content, "2026-05-20", 3)
    assert [a.get("Title") for a in arts] == ["产业升级按下快进键", "科技助力春耕生产"]
    a, b = arts
    assert a.get("Kicker") == "项目建设跑出加速度"
    assert a.get("Subtitle") == "——全省推动制造业高质量发展综述"
    assert "王晓明" in a.get("Authors") and "李华" in a.get("Authors")
    assert a.get("Caption") == "工人在生产线上调试智能装备。 赵刚摄"
    assert [s.replace("　", " ") for s in a.subheads] == ["创新驱动 动能强劲"]  # bold, centred: a subhead
    assert a.paragraphs == PARAS  # every paragraph whole, in order, across the column cuts
    assert b.paragraphs == PARAS_B
    assert b.get("Authors") == "刘芳"


def test_front_page_with_the_masthead_beside_a_story(tmp_path):
    """A masthead that does not run across the page (a story stands beside it, from the top):
    read as the masthead (paper, date, issue, front page), not as a headline."""
    from weasyprint import HTML

    body = "".join(f"<p>{p}</p>" for p in PARAS[:4])
    side = "".join(f"<p>{p}</p>" for p in PARAS_B)
    page = f"""<div style="display:flex; gap:6mm">
      <div style="width:64%">
        <div style="font-size:40pt; font-family:'Noto Serif CJK SC'; font-weight:bold">示 例 日 报</div>
        <div style="font-size:9pt">2026年5月20日　星期三</div><div style="font-size:9pt">第1234期</div>
        <div class="story" style="margin-top:8mm"><h1>产业升级按下快进键</h1>
          <p class="by" style="text-indent:0">本报记者　王晓明</p><div class="cols2">{body}</div></div>
      </div>
      <div style="width:33%; border:1pt solid #333; padding:3mm">
        <h1 style="font-size:20pt">科技助力春耕生产</h1><p class="by" style="text-indent:0">刘　芳</p>{side}
      </div></div>"""
    raw = _raw(tmp_path)
    (raw / "2026-05-20" / "01.pdf").write_bytes(HTML(string=_html([page])).write_pdf())
    content = tmp_path / "content"
    result = run_converter(raw, content, "demo")
    assert result.returncode == 0, result.stdout + result.stderr
    arts = page_articles(content, "2026-05-20", 1)
    assert [a.get("Title") for a in arts] == TITLES
    assert arts[0].paragraphs == PARAS[:4] and arts[1].paragraphs == PARAS_B
    assert arts[0].get("Issue") == "1234" and arts[1].get("Authors") == "刘芳"


def test_paragraphs_set_apart_by_space_not_indent(tmp_path):
    """A paper that sets paragraphs apart by space, not by an indent: each stays a paragraph
    (a column's last line running on into the next column still joins)."""
    from weasyprint import HTML

    body = "".join(f'<p style="text-indent:0; margin:0 0 3mm 0">{p}</p>' for p in PARAS)
    page = f"""<div class="story"><h1>产业升级按下快进键</h1><p class="by" style="text-indent:0">本报记者　王晓明</p>
      <div class="cols3">{body}</div></div>"""
    raw = _raw(tmp_path)
    (raw / "2026-05-20" / "03.pdf").write_bytes(HTML(string=_html([page])).write_pdf())
    content = tmp_path / "content"
    result = run_converter(raw, content, "demo", "--page", "3")
    assert result.returncode == 0, result.stdout + result.stderr
    arts = page_articles(content, "2026-05-20", 3)
    assert [a.get("Title") for a in arts] == TITLES[:1]
    assert arts[0].paragraphs == PARAS


def test_pdf_beside_a_dump_decides_and_the_dump_cross_checks(tmp_path, typeset_page):
    raw = _raw(tmp_path)
    (raw / "2026-05-20" / "03.pdf").write_bytes(typeset_page)
    # A dump that lost the layout (every line run together) and differs in a paragraph.
    (raw / "2026-05-20" / "03.txt").write_text("\n".join(PARAS + PARAS_B[:1]) + "\n", encoding="utf-8")
    content = tmp_path / "content"
    result = run_converter(raw, content, "demo")
    assert result.returncode == 0, result.stdout + result.stderr
    assert [a.get("Title") for a in page_articles(content, "2026-05-20", 3)] == TITLES
    codes = [i["code"] for p in _report(content) for i in p["issues"]]
    assert "pdf-dump-differ" in codes


def test_edition_pdf_is_split_into_pages_numbered_by_folio(tmp_path):
    raw = _raw(tmp_path)
    (raw / "2026-05-20" / "edition.pdf").write_bytes(_typeset(tmp_path, [4, 7]))
    content = tmp_path / "content"
    result = run_converter(raw, content, "demo")
    assert result.returncode == 0, result.stdout + result.stderr
    import pypdfium2 as pdfium

    for number in (4, 7):
        assert [a.get("Title") for a in page_articles(content, "2026-05-20", number)] == TITLES
        folder = content / "2026-05-20" / f"{number:02d}"
        page = json.loads((folder / "page.json").read_text(encoding="utf-8"))
        assert len(page["regions"]) == 2  # each story's region, from its own page of the edition
        assert len(pdfium.PdfDocument((folder / "page.pdf").read_bytes())) == 1  # the page, not the edition


def test_bad_pdfs_are_reported_by_name_and_the_rest_converts(tmp_path, typeset_page):
    import pypdfium2 as pdfium

    raw = _raw(tmp_path)
    day = raw / "2026-05-20"
    (day / "03.pdf").write_bytes(typeset_page)
    (day / "05.pdf").write_bytes(b"%PDF-1.7\n garbage, not a PDF body")  # damaged
    (day / "06.pdf").write_bytes(b"this is a text file named .pdf\n")  # not a PDF
    # A scanned page: a picture, no text layer; with a dump beside it, the dump converts.
    scan = pdfium.PdfDocument.new()
    page = scan.new_page(595, 842)
    from PIL import Image

    img = pdfium.PdfImage.new(scan)
    img.set_bitmap(pdfium.PdfBitmap.from_pil(Image.new("RGB", (300, 400), (200, 200, 200))))
    img.set_matrix(pdfium.PdfMatrix().scale(500, 700).translate(40, 60))
    page.insert_obj(img)
    page.gen_content()
    buf = io.BytesIO()
    scan.save(buf)
    (day / "08.pdf").write_bytes(buf.getvalue())
    (day / "08.txt").write_text("## 一篇稿件的标题\n\n本报记者 张三\n\n" + PARAS[0] + "\n", encoding="utf-8")
    # An encrypted PDF (qpdf, from poppler's and Debian's tools) when available.
    qpdf = shutil.which("qpdf")
    if qpdf:
        import subprocess

        (tmp_path / "plain.pdf").write_bytes(typeset_page)
        subprocess.run([qpdf, "--encrypt", "user", "owner", "256", "--", str(tmp_path / "plain.pdf"),
                        str(day / "09.pdf")], check=True)
    content = tmp_path / "content"
    run_converter(raw, content, "demo")
    issues = {p["key"]: p["issues"] for p in _report(content)}
    assert [a.get("Title") for a in page_articles(content, "2026-05-20", 3)] == TITLES
    assert any(i["code"] == "pdf-unusable" and "05.pdf" in i["message"] for i in issues["2026-05-20/05.pdf"])
    assert any(i["code"] == "pdf-unusable" and "not a PDF" in i["message"] for i in issues["2026-05-20/06.pdf"])
    assert any(i["code"] == "pdf-no-text" and "08.pdf" in i["message"] for i in issues["2026-05-20/08.txt"])
    assert [a.get("Title") for a in page_articles(content, "2026-05-20", 8)] == ["一篇稿件的标题"]
    # A PDF alone that cannot be read loses its page: an error; beside a dump, a warning.
    assert {i["severity"] for i in issues["2026-05-20/05.pdf"] if i["code"] == "pdf-unusable"} == {"error"}
    assert {i["severity"] for i in issues["2026-05-20/08.txt"] if i["code"] == "pdf-no-text"} == {"warning"}
    if qpdf:
        assert any(i["code"] == "pdf-unusable" and "encrypted" in i["message"] for i in issues["2026-05-20/09.pdf"])


def test_garbled_text_layer_is_reported_and_the_dump_used(tmp_path):
    """Glyphs whose code points are private-use (a font without a Unicode map): reported, and
    the dump beside it converts; alone, nothing of it is published."""
    import ctypes

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    page = doc.new_page(595, 842)
    font = pdfium.raw.FPDFText_LoadStandardFont(doc.raw, b"Helvetica")
    for row in range(30):
        obj = pdfium.raw.FPDFPageObj_NewTextObj(doc.raw, b"Helvetica", 10.0)
        codes = [0xE000 + (row * 7 + k) % 200 for k in range(20)] + [0]
        text = (ctypes.c_ushort * len(codes))(*codes)
        pdfium.raw.FPDFText_SetText(obj, ctypes.cast(text, ctypes.POINTER(ctypes.c_ushort)))
        pdfium.raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 40, 800 - row * 14)
        pdfium.raw.FPDFPage_InsertObject(page.raw, obj)
    del font
    page.gen_content()
    buf = io.BytesIO()
    doc.save(buf)
    raw = _raw(tmp_path)
    day = raw / "2026-05-20"
    (day / "02.pdf").write_bytes(buf.getvalue())
    (day / "02.txt").write_text("## 一篇稿件的标题\n\n本报记者 张三\n\n" + PARAS[0] + "\n", encoding="utf-8")
    (day / "12.pdf").write_bytes(buf.getvalue())
    content = tmp_path / "content"
    run_converter(raw, content, "demo")
    issues = {p["key"]: p["issues"] for p in _report(content)}
    # Private-use glyphs, or (when the font re-encodes them) text that is not the dump's:
    # reported either way, and the dump converts.
    assert any(i["code"] in ("pdf-garbled", "pdf-dump-disagree") for i in issues["2026-05-20/02.txt"]), issues
    assert [a.get("Title") for a in page_articles(content, "2026-05-20", 2)] == ["一篇稿件的标题"]
    assert any(i["code"] == "pdf-garbled" for i in issues["2026-05-20/12.pdf"]), issues
    assert not (content / "2026-05-20" / "12").exists()


def test_a_scanned_page_under_its_ocr_text_layer_reads_as_its_text(tmp_path):
    """A scanned page with an OCR text layer (an archive's pages often are): the scan is an
    image under all the text, the page's ground, not a photo that no cut may cross; the
    stories read from the text layer as from the page typeset, and the report says it is a
    scan.  (The scan here: a typeset page rendered to an image, the same page's text laid
    over it invisibly.)"""
    import pypdfium2 as pdfium
    from weasyprint import HTML

    from converters.gold import compare_page, score
    from tests.support.rich_pages import page

    html, gold = page(1245, True)
    gold["paper"] = "示例日报"  # the paper of _raw's paper.toml
    printed = pdfium.PdfDocument(HTML(string=html).write_pdf())
    scan = tmp_path / "scan.png"
    printed[0].render(scale=100 / 72).to_pil().save(scan)
    printed.close()
    ground = (f"@page {{ background: url({scan.as_uri()}) no-repeat; background-size: 100% 100%; }} "
              "body, body * { color: transparent !important; border-color: transparent !important; }")
    raw = _raw(tmp_path)
    day = raw / gold["date"]
    day.mkdir()
    scanned = HTML(string=html.replace("<style>", "<style>" + ground, 1)).write_pdf()
    (day / f"{gold['page']:02d}.pdf").write_bytes(scanned)
    content = tmp_path / "content"
    run_converter(raw, content, "demo")
    bad = compare_page(gold, page_articles(content, gold["date"], gold["page"]))
    assert score(gold, bad) == 1.0, {k: v for k, v in bad.items() if v}
    notes = [i["code"] for p in _report(content) for i in p["notes"]]
    assert notes.count("pdf-scanned") == 1, notes
    assert not list((content / gold["date"]).rglob("*.png")) and not list((content / gold["date"]).rglob("*.jpg"))


# -- the development set: scores and regions ---------------------------------------------

def _area(rects: list[tuple[float, float, float, float]], scale: int = 2) -> set[tuple[int, int]]:
    """The rectangles' union as a set of cells of ``scale`` points (exact enough, simple)."""
    cells = set()
    for x0, y0, x1, y1 in rects:
        for x in range(int(x0 // scale), int(x1 // scale)):
            for y in range(int(y0 // scale), int(y1 // scale)):
                cells.add((x, y))
    return cells


def test_pdfset_from_the_pdf_alone_scores_and_regions(tmp_path):
    from tests.pdfset.score import PAGES, SET, convert, page_score

    content, _ = convert("pdf", tmp_path)
    worst = 1.0
    for name in PAGES:
        value, bad = page_score(content, name)
        print(f"{name}: score {value:.3f}")
        assert value >= 0.99, (name, {k: v for k, v in bad.items() if v})
        worst = min(worst, value)
        boxes = json.loads((SET / f"{name}.boxes.json").read_text(encoding="utf-8"))
        w, h = boxes["_page_size_pt"]
        _, date_y, date_m, date_d, pp = name.split("-")
        folder = content / f"{date_y}-{date_m}-{date_d}" / pp
        regions = json.loads((folder / "page.json").read_text(encoding="utf-8"))["regions"]
        titles = {a.get("Slug"): a.get("Title") for a in page_articles(content, f"{date_y}-{date_m}-{date_d}", int(pp))}
        for title, parts in boxes.items():
            if title.startswith("_"):
                continue
            laid = _area([tuple(r) for r in parts.values()])
            slug = next((s for s, t in titles.items() if t == title or title in t), None)
            if slug is None:  # the continuation on page 2 carries the page-1 title
                slug = next(s for s, t in titles.items() if t not in boxes)
            ours = _area([(x0 * w, y0 * h, x1 * w, y1 * h) for x0, y0, x1, y1 in regions[slug]])
            cover = len(laid & ours) / len(laid)
            iou = len(laid & ours) / len(laid | ours)
            print(f"  {title[:20]:22} covers {cover:.3f} IoU {iou:.3f}")
            assert cover >= 0.95 and iou >= 0.85, (name, title, cover, iou)


def test_pdfset_every_dump_with_the_pdf_beside_it(tmp_path):
    from tests.pdfset.score import PAGES, TOOLS, convert, page_score

    for tool in TOOLS:
        content, _ = convert(f"{tool}+pdf", tmp_path / tool)
        for name in PAGES:
            value, bad = page_score(content, name)
            assert value >= 0.99, (tool, name, {k: v for k, v in bad.items() if v})



#: Grids of ``tests/support/tool_pages.py`` (seed, grid) whose stories stand in rows on one
#: column grid: two stories over one spanning both (the gutter between the upper two runs
#: on down through the lower story's columns), two over two, and a narrow story whose byline
#: ends level with the short story beside it.
GRID_PAGES = [(0, (6, 3.0, 9.5, 22.0, (2, 1))), (4, (8, 2.5, 8.5, 20.0, (2, 2))), (20, (6, 3.0, 9.5, 22.0, (2, 1)))]


def test_pages_of_stories_in_rows_on_one_grid_from_the_pdf_alone(tmp_path):
    """Stories in rows read row by row, each whole: a gap across the page wider than any
    gutter down it parts the rows first, and a gap level with one story's byline and the
    end of the story beside it is no cut."""
    from converters.gold import compare_page, score
    from tests.support.tool_pages import Grid, page, pdf

    raw = tmp_path / "raw" / "zjrb"
    shutil.copytree(ROOT / "raw" / "zjrb", raw, ignore=shutil.ignore_patterns("2*"))
    golds = []
    for n, (seed, grid) in enumerate(GRID_PAGES):
        doc, gold = page(seed, Grid(*grid))
        day = raw / f"2024-03-{11 + n}"  # a folder a day, its weekday in the folio
        day.mkdir()
        folio = f"2024年3月{11 + n}日 星期{'一二三'[n]}"
        (day / f"{gold['page']:02d}.pdf").write_bytes(pdf(doc.replace("2024年3月17日 星期日", folio)))
        golds.append(dict(gold, date=f"2024-03-{11 + n}"))
    result = run_converter(raw, tmp_path / "content", "zjrb")
    assert result.returncode == 0, result.stdout + result.stderr
    for gold in golds:
        bad = compare_page(gold, page_articles(tmp_path / "content", gold["date"], gold["page"]))
        assert score(gold, bad) == 1.0, bad


#: Pages of ``tests/support/rich_pages.py`` that once came out wrong from the PDF alone, each
#: for what it sets (see the test).
RICH_PAGES = [94, 130, 168, 212, 251, 253, 264, 282, 387, 514, 47, 117]
#: And with ``more`` (closing credits, narrower photos, a folio at the foot).
RICH_PAGES_MORE = [1017, 1039, 1063, 1074, 1075]
#: And with titles letter-spaced and set vertically beside their columns too.
RICH_PAGES_UPRIGHT = [3002, 3013, 3033, 3049, 3118]


def test_pages_with_photos_bylines_subheads_and_jumps_from_the_pdf_alone(tmp_path):
    """Each story whole, with its headline, byline, caption, subheads and jump, on pages
    that set: a byline centred (94) or flush right (251) over the columns it heads, read
    before them, and one wrapped inside a name (168) or a role word (514); a photo heading
    the first column under a headline centred over the story (212, 130); the space between
    stories wider than their gutters, the headline beside not claiming the next column
    (264), nor a story's byline level with the column beside (253); a jump line set in the
    body's type right under the last line (282); a centred bold subhead over a one-line
    paragraph (387); a short last paragraph at the page's foot (47); a photo's caption
    under it and a subhead beside it (117); a column starting with a subhead beside a
    centred headline (1017, 1074); the reporters in brackets after the last paragraph, set
    right and wrapped inside a name (1039); the folio in the page's foot (1063) and a kicker
    at the page's top with no folio over it (1075); a title set vertically at the right of
    its story's columns, a story of its own headline on its right (3002 and the rest)."""
    from converters.gold import compare_page, score
    from tests.support.rich_pages import page
    from tests.support.tool_pages import pdf

    raw = tmp_path / "raw" / "zjrb"
    shutil.copytree(ROOT / "raw" / "zjrb", raw, ignore=shutil.ignore_patterns("2*"))
    golds = []
    for seed, more, upright in [*((s, False, False) for s in RICH_PAGES), *((s, True, False) for s in RICH_PAGES_MORE),
                                *((s, True, True) for s in RICH_PAGES_UPRIGHT)]:
        doc, gold = page(seed, more, spaced=upright, upright=upright)
        (raw / gold["date"]).mkdir()
        (raw / gold["date"] / f"{gold['page']:02d}.pdf").write_bytes(pdf(doc))
        golds.append(gold)
    result = run_converter(raw, tmp_path / "content", "zjrb")
    assert result.returncode == 0, result.stdout + result.stderr
    for gold in golds:
        bad = compare_page(gold, page_articles(tmp_path / "content", gold["date"], gold["page"]))
        assert score(gold, bad) == 1.0, (gold["source"], {k: v for k, v in bad.items() if v})
