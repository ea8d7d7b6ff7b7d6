"""The printed page, from a page PDF or image beside the dump to the page view on the site.

The page PDFs are typeset from the samples' text by WeasyPrint (``tests/support/printed_pages.py``),
so where each story really is on the page is known: the regions the converter finds in
the PDF's text layer must cover each story's laid-out box with an overlap (intersection
over union) of at least 0.9; the figures are printed in the test summary.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from epaper_contract.printed import FILE_NAMES, PAGE_FILE, load_page
from tests.badinput.figures import record
from tests.conftest import ROOT, run_converter, run_pelican
from tests.site.test_generator import by_class, one, parse, resolve, text
from tests.support.printed_site import SOURCES, overlap, require_typesetting

SVG = "{http://www.w3.org/2000/svg}"
pytestmark = pytest.mark.slow


def _stories(folder: Path) -> dict[str, dict]:
    """slug -> the header of each article file in a page folder."""
    out = {}
    for md in sorted(folder.glob("*.md")):
        head = md.read_text(encoding="utf-8").split("\n\n", 1)[0]
        meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
        out[meta["Slug"]] = meta
    return out


def test_regions_cover_the_laid_out_stories(printed_site, request):
    """Every story of both PDF pages has a region; each overlaps its laid-out box by >= 0.9."""
    figures: dict[str, float] = {}
    low = []
    for paper, date, page, kind, _, _ in SOURCES:
        if kind != "pdf":
            continue
        folder = printed_site.page_folder(paper, date, page)
        data = json.loads((folder / PAGE_FILE).read_text(encoding="utf-8"))
        laid = printed_site.laid_out[(paper, page)]
        assert set(data["regions"]) == set(laid.stories) == set(_stories(folder)), "a story without a region"
        for slug, story in sorted(laid.stories.items()):
            iou = overlap(data["regions"][slug], story.boxes)
            figures[f"{paper}-{page:02d} {slug.split('-', 2)[2]}"] = round(iou, 3)
            print(f"region overlap {iou:.3f}  {paper} p{page:02d}  {story.title}")
            if iou < 0.9:
                low.append((slug, iou, data["regions"][slug], story.boxes))
    figures["stories"] = len(figures)
    figures["lowest"] = min(v for k, v in figures.items() if k != "stories")
    record(request.config, "printed-regions", figures)
    assert not low, low


def test_the_photo_is_inside_its_story_region(printed_site):
    """The lead story's photo (an image, no text) is part of the story it belongs to."""
    laid = printed_site.laid_out[("zjrb", 1)]
    assert laid.photo_box is not None
    folder = printed_site.page_folder("zjrb", "2024-03-17", 1)
    data = json.loads((folder / PAGE_FILE).read_text(encoding="utf-8"))
    captioned = [slug for slug, meta in _stories(folder).items() if meta.get("Caption")]
    assert len(captioned) == 1
    px0, py0, px1, py1 = laid.photo_box
    inside = [r for r in data["regions"][captioned[0]] if r[0] <= px0 + 1e-3 and r[1] <= py0 + 1e-3
              and r[2] >= px1 - 1e-3 and r[3] >= py1 - 1e-3]
    assert inside, (laid.photo_box, data["regions"][captioned[0]])


def test_pdf_page_becomes_a_page_view_with_region_links(printed_site):
    out = printed_site.output["zjrb"]
    page_html = out / "2024" / "03" / "17" / "01" / "index.html"
    root = parse(page_html)
    view = one(root, "page-view", "div")
    img = one(view, "page-map-box").find("img")
    assert img.get("src") == "page.webp" and "page-large.webp 1600w" in img.get("srcset")
    assert int(img.get("width")) == 800 and int(img.get("height")) > 800
    svg = view.find(f".//{SVG}svg")
    assert svg is not None and svg.get("viewBox").startswith("0 0 10000 ")
    links = list(svg.iter(f"{SVG}a"))
    titles = {text(li.find(".//a/span[@class='hl-title']")) for li in one(view, "headlines", "ol").findall("li")}
    assert len(links) == len(titles) == 6
    for a in links:  # each region is a link to its article, named by its headline (its <title>)
        name = text(a.find(f"{SVG}title"))
        assert name in titles and a.get("aria-label") is None  # one name, not two to keep in step
        target = resolve(out, page_html, a.get("href"))
        assert target.is_file() and name in text(parse(target).find(".//h1"))
        rects = list(a.iter(f"{SVG}rect"))
        assert rects and all(int(r.get("width")) > 0 and int(r.get("height")) > 0 for r in rects)
    caption = view.find(".//figcaption")
    pdf = next(a for a in caption.iter("a") if a.get("type") == "application/pdf")
    assert pdf.get("download") == "zjrb-2024-03-17-01.pdf"
    assert resolve(out, page_html, pdf.get("href")).read_bytes() == \
        (printed_site.raw["zjrb"] / "2024-03-17" / "01.pdf").read_bytes()
    for name in FILE_NAMES[1:]:  # the pictures and the PDF are published next to the page, as hard links
        published, source = page_html.parent / name, printed_site.page_folder("zjrb", "2024-03-17", 1) / name
        assert published.read_bytes() == source.read_bytes() and published.stat().st_ino == source.stat().st_ino
    # the edition (and the home page) show the page's thumbnail, linking to the page
    for listing in (out / "2024" / "03" / "17" / "index.html", out / "index.html"):
        thumb = one(parse(listing), "page-thumb", "a")
        assert resolve(out, listing, thumb.get("href")) == page_html
        assert resolve(out, listing, thumb.find("img").get("src")).name == "page-thumb.webp"


def test_image_page_has_pictures_and_headlines_but_no_regions(printed_site):
    """A JPEG has no text layer: the page view shows the picture and the headline list."""
    folder = printed_site.page_folder("rmrb", "2025-03-18", 15)
    data = json.loads((folder / PAGE_FILE).read_text(encoding="utf-8"))
    assert data["source"]["kind"] == "image" and data["text_layer"] is False and data["regions"] == {}
    assert "pdf" not in data and not (folder / "page.pdf").exists()
    printed = load_page(folder)
    assert printed is not None and printed.image.width == 800 and printed.thumbnail.width == 256
    page_html = printed_site.output["rmrb"] / "2025" / "03" / "18" / "15" / "index.html"
    root = parse(page_html)
    view = one(root, "page-view", "div")
    assert view.find(f".//{SVG}svg") is None
    assert one(view, "page-map-box").find("img").get("src") == "page.webp"
    assert len(one(view, "headlines", "ol").findall("li")) == 3
    assert not [a for a in view.iter("a") if a.get("type") == "application/pdf"]
    report = printed_site.report("rmrb")
    p15 = next(p for p in report["pages"] if p["key"].endswith("15.txt"))
    assert p15["print"]["usable"] and p15["print"]["regions"] == 0
    assert not [i for i in p15["issues"] if i["code"].startswith("print-")], p15["issues"]


def test_a_page_without_pdf_builds_as_before(built_site):
    """The bundled samples have no PDF: no page.json, and the page view is the headline list."""
    assert not list(built_site.content.rglob(PAGE_FILE))
    page_html = built_site.output / "2024" / "03" / "17" / "01" / "index.html"
    root = parse(page_html)
    assert not by_class(root, "page-view") and not list(root.iter(f"{SVG}svg"))
    assert len(one(root, "headlines", "ol").findall("li")) == 6
    assert not by_class(parse(built_site.output / "2024" / "03" / "17" / "index.html"), "page-thumb")


def test_damaged_pdf_and_image_are_reported_by_name_and_the_rest_builds(tmp_path):
    require_typesetting()
    raw = tmp_path / "raw" / "rmrb"
    shutil.copytree(ROOT / "raw" / "rmrb", raw)
    (raw / "2025-03-18" / "01.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog" + b"\x00garbage" * 40)
    (raw / "2025-03-18" / "15.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG")
    content, output = tmp_path / "content" / "rmrb", tmp_path / "output"
    conv = run_converter(raw, content, "rmrb")
    assert conv.returncode == 0, conv.stdout + conv.stderr  # warnings, not errors: the text is fine
    report = json.loads((content / "conversion-report.json").read_text(encoding="utf-8"))
    for page, name in (("01", "01.pdf"), ("15", "15.jpg")):
        entry = next(p for p in report["pages"] if p["key"].endswith(f"{page}.txt"))
        bad = [i for i in entry["issues"] if i["code"] == "print-unreadable"]
        assert len(bad) == 1 and name in bad[0]["message"] and bad[0]["severity"] == "warning", entry["issues"]
        assert name in conv.stdout  # the editor sees it in the run's summary
        folder = content / "2025-03-18" / page
        assert len(list(folder.glob("*.md"))) == entry["articles"] > 0
        assert not [n for n in FILE_NAMES if (folder / n).exists()]
    built = run_pelican(content, output, ROOT / "pelicanconf.py", "rmrb",
                        extra_env={"EPAPER_CACHE_DIR": str(tmp_path / "cache")})
    assert built.returncode == 0, built.stdout + built.stderr
    for page in ("01", "15"):
        root = parse(output / "2025" / "03" / "18" / page / "index.html")
        assert not by_class(root, "page-view") and one(root, "headlines", "ol").findall("li")
    # the same damaged files on the next run: the same warnings, from the record (not read again)
    again = run_converter(raw, content, "rmrb")
    assert again.returncode == 0, again.stdout
    report = json.loads((content / "conversion-report.json").read_text(encoding="utf-8"))
    unusable = [p["key"] for p in report["pages"] if any(i["code"] == "print-unreadable" for i in p["issues"])]
    assert sorted(unusable) == ["2025-03-18/01.txt", "2025-03-18/15.txt"], report["pages"]
    assert ("2 unusable" in again.stdout) or ("无法使用 2" in again.stdout), again.stdout


def _tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_rerun_is_byte_identical_and_pictures_are_made_once(printed_site, tmp_path):
    """Same input, same bytes; pictures only when the source's hash changes."""
    from tests.support.printed_pages import typeset

    raw, content = tmp_path / "raw" / "zjrb", tmp_path / "content" / "zjrb"
    shutil.copytree(printed_site.raw["zjrb"], raw)
    shutil.copytree(printed_site.content["zjrb"], content)
    folder = content / "2024-03-17" / "01"
    before = _tree(content)
    conv = run_converter(raw, content, "zjrb")
    assert conv.returncode == 0, conv.stdout + conv.stderr
    after = _tree(content)
    local = {"conversion-report.json", ".printed.cache.json"}  # the run's report; this machine's stat cache
    assert {k: v[0] for k, v in after.items() if k not in local} == \
        {k: v[0] for k, v in before.items() if k not in local}
    assert {k: v[1] for k, v in after.items() if k.startswith("2024-03-17/")} == \
        {k: v[1] for k, v in before.items() if k.startswith("2024-03-17/")}  # not even written again
    page = next(p for p in json.loads((content / "conversion-report.json").read_text())["pages"])
    assert page["print"] == {"made": False, "regions": 6, "source": "01.pdf", "stories": 6, "usable": True}

    # A fresh conversion elsewhere makes the same printed page, bytes for bytes (the articles'
    # Source lines name where the dumps were, so the copy's and their hashes in .printed.json differ).
    fresh = tmp_path / "fresh" / "zjrb"
    assert run_converter(raw, fresh, "zjrb").returncode == 0
    printed_files = [f"2024-03-17/01/{n}" for n in FILE_NAMES]
    assert {k: _tree(fresh)[k][0] for k in printed_files} == {k: after[k][0] for k in printed_files}

    # An editor corrects a title: regions are matched again, the pictures are not made again.
    md = next(p for p in folder.glob("*.md") if "kafei" in p.name)
    md.write_text(md.read_text(encoding="utf-8").replace("Title: 咖啡香里，面对面解难题",
                                                         "Title: 咖啡香里，面对面解难题\"><script>x</script>"),
                  encoding="utf-8")
    pictures = {n: (folder / n).stat().st_mtime_ns for n in ("page.webp", "page-large.webp", "page-thumb.webp")}
    assert run_converter(raw, content, "zjrb").returncode == 0
    assert {n: (folder / n).stat().st_mtime_ns for n in pictures} == pictures
    page = next(p for p in json.loads((content / "conversion-report.json").read_text())["pages"])
    assert page["print"]["made"] is False and page["print"]["regions"] == 6
    output = tmp_path / "output"
    built = run_pelican(content, output, ROOT / "pelicanconf.py", "zjrb",
                        extra_env={"EPAPER_CACHE_DIR": str(tmp_path / "cache")})
    assert built.returncode == 0, built.stderr
    html = (output / "2024" / "03" / "17" / "01" / "index.html").read_text(encoding="utf-8")
    assert "<script>x</script>" not in html and '<title>咖啡香里，面对面解难题&#34;&gt;&lt;script&gt;' in html

    # A new PDF of the page (set in another type size): new pictures, and the page.json says so.
    laid = typeset(folder, paper="浙江日报", date_line="2024年3月17日 重印", page=1)
    (raw / "2024-03-17" / "01.pdf").write_bytes(laid.pdf)
    old_json = (folder / PAGE_FILE).read_bytes()
    conv = run_converter(raw, content, "zjrb")
    assert conv.returncode == 0
    page = next(p for p in json.loads((content / "conversion-report.json").read_text())["pages"])
    assert page["print"]["made"] is True
    assert all((folder / n).stat().st_mtime_ns != t for n, t in pictures.items())
    assert (folder / PAGE_FILE).read_bytes() != old_json
    assert (folder / "page.pdf").read_bytes() == laid.pdf

    # The PDF taken away: the page's pictures go too (the articles stay).
    (raw / "2024-03-17" / "01.pdf").unlink()
    assert run_converter(raw, content, "zjrb").returncode == 0
    assert not [n for n in FILE_NAMES if (folder / n).exists()] and len(list(folder.glob("*.md"))) == 6


def test_first_run_with_new_pdfs_names_what_it_made(printed_site):
    """The run that found the PDFs converted again only the dumps with a new PDF beside them
    (the PDF now decides their structure, docs/pdf.md); a picture beside a dump changes
    nothing of its text."""
    with_source = {(paper, f"{date}/{page:02d}.txt") for paper, date, page, *_ in SOURCES}
    for paper in ("zjrb", "rmrb"):
        pdfs = sum(1 for p, *_, kind, _, _ in SOURCES if p == paper and kind == "pdf")
        assert f" {pdfs} converted" in printed_site.first_run[paper], printed_site.first_run[paper]
        for p in printed_site.report(paper)["pages"]:
            if (paper, p["key"]) in with_source:
                assert p["print"]["usable"] and p["print"]["made"] is True, p
            elif p["key"].endswith(".pdf"):  # a bundled page PDF alone: printed on the run before
                assert p["print"]["usable"] and p["print"]["made"] is False, p
            else:  # a page without a PDF or picture: nothing printed, nothing said
                assert "print" not in p and not [i for i in p["issues"] if i["code"].startswith("print-")]
    assert len(with_source) == 3


def test_page_files_name_only_their_own_files(printed_site, tmp_path):
    """A damaged or tampered page.json is refused with its name (the site then shows no picture)."""
    from epaper_contract.printed import BadPageFile

    folder = tmp_path / "01"
    shutil.copytree(printed_site.page_folder("zjrb", "2024-03-17", 1), folder)
    data = json.loads((folder / PAGE_FILE).read_text(encoding="utf-8"))
    data["images"][0]["name"] = "../../../etc/passwd"
    (folder / PAGE_FILE).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BadPageFile, match=str(folder / PAGE_FILE)):
        load_page(folder)
    (folder / PAGE_FILE).write_text("{", encoding="utf-8")
    with pytest.raises(BadPageFile, match="not JSON"):
        load_page(folder)
    os.unlink(folder / PAGE_FILE)
    assert load_page(folder) is None


def test_nu_checker_finds_no_error_on_either_paper(printed_site, request):
    """The current Nu checker on every page and CSS file of both built papers, printed pages included."""
    from tests.support.nu import check_site, checked_files, is_data_block_csp_note, is_file_url_csp_note, nu_version

    figures: dict[str, object] = {"checker": nu_version()}
    problems = []
    for paper in ("zjrb", "rmrb"):
        out = printed_site.output[paper]
        messages = check_site(out)
        pages, css = checked_files(out)
        errors = [m for m in messages if m.kind in ("error", "non-document-error")]
        warnings = [m for m in messages if m.kind == "warning"]
        notes = [m for m in warnings if is_file_url_csp_note(m) or is_data_block_csp_note(m)]
        figures.update({f"{paper} pages": pages, f"{paper} css": css, f"{paper} errors": len(errors),
                        f"{paper} warnings": len(warnings) - len(notes), f"{paper} csp notes": len(notes)})
        print(f"Nu checker {figures['checker']}: {paper}: {pages} pages, {css} CSS files, {len(errors)} errors, "
              f"{len(warnings) - len(notes)} warnings (+{len(notes)} CSP notes of file: URLs and JSON-LD)")
        problems += [f"{paper}: {m}" for m in errors + [w for w in warnings if w not in notes]]
        assert pages > 20 and css >= 1
    record(request.config, "nu-checker", figures)
    assert problems == []


def test_site_keeps_page_files_read_between_builds(printed_site, tmp_path):
    """A page.json is parsed once and then known by its stat, until the converter replaces it."""
    import sys

    sys.path.insert(0, str(ROOT / "plugins"))
    from epaper_site.printed import PrintedPages

    folder = tmp_path / "01"
    shutil.copytree(printed_site.page_folder("zjrb", "2024-03-17", 1), folder)
    first = PrintedPages(str(tmp_path / "cache"))
    page = first.page(folder)
    assert page is not None and first.page(tmp_path / "none") is None
    first.save()
    kept = PrintedPages(str(tmp_path / "cache"))
    assert kept.page(folder) == page and kept.old  # from the cache
    data = json.loads((folder / PAGE_FILE).read_text(encoding="utf-8"))
    data["regions"] = {}
    from epaper_contract.files import atomic_write

    atomic_write(folder / PAGE_FILE, json.dumps(data).encode())  # replaced by rename, as the converter does
    again = PrintedPages(str(tmp_path / "cache"))
    changed = again.page(folder)
    assert changed is not None and changed.regions == {} and changed.digest != page.digest
