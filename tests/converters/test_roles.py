"""Each kind of failure a new layout tool or a new page brings, written from the principle
(what a byline, a headline, a subhead, a wrapped paragraph, a tool's decoration looks like),
with a few lines of input each."""

from __future__ import annotations

import json
import shutil

import pytest

from converters.dialects import dialect_name, normalise
from converters.gold import norm, page_articles
from converters.model import Kind, PageFacts
from converters.pipeline import convert_text, paper_names
from epaper_contract.papers import known_papers, load_paper
from tests.conftest import ROOT, run_converter

PAPER = load_paper(ROOT / "raw", "rmrb")
NAMES = paper_names([PAPER, *known_papers(ROOT / "raw").values()])
BODY1 = "近年来，城市间的人才竞争备受关注，今年多个一线城市也纷纷推出新政策，引才力度持续加大。"
BODY2 = "新一轮引才竞争在政策上更懂年轻人，从面试路费到过渡住宿，覆盖求职创业全流程。"
BODY3 = "河湖治理进入新阶段，多地推行河长制，水质持续改善，沿岸群众生活环境明显提升。"
BODY4 = "治理中各地注重源头防控，关停整治排污口，建设污水管网，农业面源污染得到控制。"


def convert(text: str):
    return convert_text(text, "raw/rmrb/2025-04-08/05.txt", paper=PAPER, names=NAMES, with_tags=False,
                        path_facts=PageFacts(date="2025-04-08", page=5))


def stories(text: str) -> list[dict]:
    page = convert(text)
    return [{"kicker": a.kicker, "title": a.title, "subtitle": a.subtitle, "authors": a.authors,
             "correspondents": a.correspondents, "inferred": a.title_inferred,
             "subheads": [p.text for p in a.paragraphs if p.subhead],
             "paragraphs": [p.text for p in a.paragraphs if not p.subhead]} for a in page.articles]


# -- bylines: whatever form, under the headline or closing the story ---------------------------

@pytest.mark.parametrize("byline,authors", [
    ("李洪兴", ["李洪兴"]),  # a commentary's bare name
    ("熊  丽", ["熊丽"]),  # a two-character name padded to three
    ("原韬雄  高  炳", ["原韬雄", "高炳"]),
    ("本报评论员", ["本报评论员"]),  # the newsroom signs
    ("新华社记者 张三 李四", ["张三", "李四"]),  # an agency's reporters
    ("□ 李洪兴", ["李洪兴"]),  # an ornament before the name
])
def test_a_byline_under_the_headline_in_any_form(byline, authors):
    (s,) = stories(f"## 乐见招才引智亮新招（纵横）\n\n{byline}\n\n{BODY1}\n\n{BODY2}\n")
    assert s["authors"] == authors
    assert [norm(p) for p in s["paragraphs"]] == [norm(BODY1), norm(BODY2)]


def test_a_name_closing_the_story_is_its_byline():
    got = stories(f"## 河湖治理见成效\n\n{BODY3}\n\n{BODY4}\n\n李洪兴\n\n## 乐见招才引智亮新招\n\n熊  丽\n\n{BODY1}\n")
    assert [s["authors"] for s in got] == [["李洪兴"], ["熊丽"]]


def test_closing_credits_name_the_reporters_of_a_bare_label():
    (s,) = stories(f"## 各地推进学习教育\n\n本报记者\n\n{BODY1}\n\n{BODY2}\n\n（本报记者吴储岐、韩俊杰、琼达卓嘎）\n")
    assert s["authors"] == ["吴储岐", "韩俊杰", "琼达卓嘎"]
    assert len(s["paragraphs"]) == 2  # the credits are not body


def test_a_name_shaped_line_elsewhere_is_reported_not_taken():
    page = convert(f"## 标题一则\n\n本报记者 张三\n\n{BODY1}\n\n王五\n\n{BODY2}\n")
    assert page.articles[0].authors == ["张三"]
    dropped = [i for i in page.issues if i.code == "orphan-fragment-dropped"]
    assert [i.dropped for i in dropped] == ["王五"] and dropped[0].line == 7


def test_a_common_word_under_a_headline_is_not_a_name():
    (s,) = stories(f"## 标题一则\n\n江南\n\n{BODY1}\n")
    assert s["authors"] == []


# -- headings: the marks are a hint, the position decides ------------------------------------

STORY = [("kicker", "各地迅速启动部署、有力有序开展——"), ("title", "推动学习教育入脑入心见行见效"),
         ("byline", "本报记者  华璐月"), ("text", BODY1), ("subhead", "压实责任  明确任务"), ("text", BODY2),
         ("title", "河湖治理见成效（生态观察）"), ("byline", "李洪兴"), ("text", BODY3),
         ("subhead", "深学细悟  走深走实"), ("text", BODY4)]
MARKS = {  # what each tool writes before a kicker, a title and a subhead
    "every heading #": ("# ", "# ", "# "),
    "every heading ##": ("## ", "## ", "## "),
    "levels by font size": ("#### ", "# ", "### "),
    "bold subheads": ("### ", "## ", "**"),
    "no marks": ("", "", ""),
}


@pytest.mark.parametrize("dialect", MARKS)
def test_heading_roles_do_not_depend_on_the_marks(dialect):
    kicker, title, subhead = MARKS[dialect]
    lines = []
    for role, text in STORY:
        mark = {"kicker": kicker, "title": title, "subhead": subhead}.get(role, "")
        lines.append(f"{mark}{text}**" if mark == "**" else f"{mark}{text}")
    got = stories("\n\n".join(lines) + "\n")
    assert [(s["kicker"], s["title"], s["authors"], s["subheads"]) for s in got] == [
        ("各地迅速启动部署、有力有序开展——", "推动学习教育入脑入心见行见效", ["华璐月"], ["压实责任  明确任务"]),
        ("", "河湖治理见成效（生态观察）", ["李洪兴"], ["深学细悟  走深走实"])]


def test_a_lead_in_line_marked_as_heading_stays_text():
    (s,) = stories(f"## 陕西推进能源转型\n\n本报记者  张三\n\n{BODY1}\n\n## 产业升级，助推绿色发展——\n\n{BODY2}\n")
    assert s["subheads"] == [] and s["paragraphs"][1] == "产业升级，助推绿色发展——"


def test_a_subhead_at_the_titles_level_does_not_start_a_story():
    """Every heading ``##``: a subhead between paragraphs of one subject stays in the story."""
    text = (f"## 河湖治理见成效\n\n本报记者 张三\n\n{BODY3}\n\n## 源头防控\n\n{BODY4}\n\n"
            f"## 乐见招才引智亮新招\n\n本报记者 李四\n\n{BODY1}\n")
    got = stories(text)
    assert [s["title"] for s in got] == ["河湖治理见成效", "乐见招才引智亮新招"]
    assert got[0]["subheads"] == ["源头防控"]


def test_a_headline_with_a_column_label_and_no_byline_is_a_story():
    got = stories(f"## 河湖治理见成效\n\n本报记者 张三\n\n{BODY3}\n\n## 乐见招才引智亮新招（纵横）\n\n{BODY1}\n")
    assert [s["title"] for s in got] == ["河湖治理见成效", "乐见招才引智亮新招（纵横）"]


@pytest.mark.parametrize("opener", ["近日，", "日前，", "记者从省水利厅获悉：", "3月20日，"])
def test_an_unmarked_brief_over_a_lead_is_a_story(opener):
    """No marks, no byline: a short unpunctuated line between a finished paragraph and one that
    opens as a lead does is the next brief's headline, not the first piece of a column cut."""
    got = stories(f"河湖治理见成效\n\n本报记者 张三\n\n{BODY3}\n\n多地推行河长制\n\n{opener}{BODY4}\n")
    assert [s["title"] for s in got] == ["河湖治理见成效", "多地推行河长制"]
    assert [norm(p) for p in got[1]["paragraphs"]] == [norm(opener + BODY4)]


@pytest.mark.parametrize("right", ["今年，全省水质持续改善。", "推进水环境治理，关停整治排污口。"])
def test_a_cut_whose_right_piece_does_not_open_a_lead_stays_one_paragraph(right):
    (s,) = stories(f"河湖治理见成效\n\n本报记者 张三\n\n{BODY3}\n\n各地注重源头防控\n\n{right}\n")
    assert s["paragraphs"][1] == "各地注重源头防控" + right


def test_an_enumerated_heading_is_not_glued_to_the_next_paragraph():
    (s,) = stories(f"## 城乡居民增收计划\n\n本报记者 张三\n\n{BODY1}\n\n一、城乡居民增收促进行动\n\n{BODY2}\n")
    assert s["subheads"] == ["一、城乡居民增收促进行动"]
    assert [norm(p) for p in s["paragraphs"]] == [norm(BODY1), norm(BODY2)]


def test_the_first_piece_of_a_paragraph_cut_by_a_column_is_not_a_heading():
    (s,) = stories(f"## 城乡居民增收计划\n\n本报记者 张三\n\n{BODY1}\n\n"
                   "安徽省委制定全省\n\n学习教育实施方案，明确13条重点举措。\n")
    assert s["subheads"] == [] and s["paragraphs"][1] == "安徽省委制定全省学习教育实施方案，明确13条重点举措。"


def test_markup_in_a_headline_is_read_not_kept():
    page = convert('## <b onmouseover="alert(1)">舟山</b>破除地域限制\n\n本报记者 张三\n\n' + BODY1 + "\n")
    assert page.articles[0].title == "舟山破除地域限制"
    assert page.articles[0].slug.startswith("20250408-05-zhoushan")
    assert any(i.code == "markup-dropped" and "onmouseover" in i.dropped and i.line == 1 for i in page.issues)


# -- a layout tool's decoration ------------------------------------------------------------------

@pytest.mark.parametrize("line,src", [
    ("![](images/3f9a0c1e2b.jpg)", "images/3f9a0c1e2b.jpg"),  # MinerU
    ('<span id="page-0-3"></span>![](_page_0_Picture_1.jpeg)', "_page_0_Picture_1.jpeg"),  # marker
    ("<!-- image -->", ""),  # docling: a placeholder, no file
    ('<div style="text-align: center;"><img src="imgs/img_in_image_box_1.jpg" alt="Image" width="48%" /></div>',
     "imgs/img_in_image_box_1.jpg"),  # PaddleOCR
])
def test_picture_references_become_figures_never_text(line, src):
    page = convert(f"## 早春图景\n\n本报记者 张三\n\n{line}\n\n俯瞰新区江滨片区。 管委会供图\n\n{BODY1}\n")
    (art,) = page.articles
    assert [f.src for f in art.figures] == [src]
    assert art.caption == "俯瞰新区江滨片区。 管委会供图"
    assert all("image" not in p.text and "![" not in p.text for p in art.paragraphs)


def test_a_picture_inside_a_paragraph_does_not_cut_it():
    (art,) = convert("## 早春图景\n\n本报记者 张三\n\n近年来，城市间的![](images/a.jpg)人才竞争备受关注。\n").articles
    assert [p.text for p in art.paragraphs] == ["近年来，城市间的人才竞争备受关注。"]


def test_anchors_emphasis_escapes_and_tex_numbers_are_read():
    d = normalise('# <span id="page-0-1"></span>**标题**\n\n占全省的$80.7\\%$，网友15\\*\\*\\*\\*7说**很好**。\n')
    assert [(ln.level, ln.text) for ln in d.lines] == [(1, "标题"), (0, "占全省的80.7%，网友15****7说很好。")]
    assert "emphasis" in dialect_name(d) and "tex-numbers" in dialect_name(d)


def test_a_masked_number_is_not_emphasis():
    d = normalise("——人民网网友15****7\n")
    assert d.lines[0].text == "——人民网网友15****7" and "emphasis" not in d.applied


def test_hard_wrapped_lines_are_rejoined_into_paragraphs():
    """pdftotext: lines cut at the column width, paragraphs marked by an indent, no blank
    lines, a form feed at the end; headline and byline on lines of their own."""
    para1 = BODY1 + BODY2
    para2 = BODY3 + BODY4
    wrapped = ["乐见招才引智亮新招（纵横）", "本报记者 熊  丽"]
    for p in (para1, para2):
        text = "\u3000\u3000" + p
        wrapped += [text[i:i + 20] for i in range(0, len(text), 20)]
    (s,) = stories("\n".join(wrapped) + "\n\f")
    assert s["title"] == "乐见招才引智亮新招（纵横）" and s["authors"] == ["熊丽"]
    assert [norm(p) for p in s["paragraphs"]] == [norm(para1), norm(para2)]
    assert "hard-wrap" in normalise("\n".join(wrapped)).applied


# -- pictures and jumps through the real CLI -------------------------------------------------------

def test_pictures_are_copied_beside_the_articles_and_missing_ones_reported(tmp_path):
    raw = tmp_path / "raw" / "rmrb"
    day = raw / "2025-04-08"
    (day / "images").mkdir(parents=True)
    shutil.copy(ROOT / "raw" / "rmrb" / "paper.toml", raw / "paper.toml")
    (day / "images" / "a.jpg").write_bytes(b"\xff\xd8\xff\xe0 a jpeg")
    (day / "05.txt").write_text(f"## 早春图景\n\n本报记者 张三\n\n![](images/a.jpg)\n\n![](images/gone.jpg)\n\n"
                                f"![](../../../etc/passwd.jpg)\n\n{BODY1}\n", encoding="utf-8")
    out = tmp_path / "content" / "rmrb"
    r = run_converter(raw, out, "rmrb")
    assert r.returncode == 0, r.stdout + r.stderr
    (art,) = page_articles(out, "2025-04-08", 5)
    assert art.list("Images") == ["images/2025-04-08/05/a.jpg"]
    assert (out / "images" / "2025-04-08" / "05" / "a.jpg").read_bytes() == b"\xff\xd8\xff\xe0 a jpeg"
    report = json.loads((out / "conversion-report.json").read_text(encoding="utf-8"))
    missing = [i for p in report["pages"] for i in p["issues"] if i["code"] == "figure-missing"]
    assert [(i["line"], i["dropped"]) for i in missing] == [(7, "images/gone.jpg"), (9, "../../../etc/passwd.jpg")]
    assert "outside" in missing[1]["message"]


def test_a_continuation_follows_its_first_part_when_it_arrives_later(tmp_path):
    """Page 2 converted alone gets an inferred headline; when page 1 arrives the next run
    gives page 2 the story's title and byline, and a headline corrected on page 1 follows."""
    raw = tmp_path / "raw" / "rmrb"
    day = raw / "2025-04-08"
    day.mkdir(parents=True)
    shutil.copy(ROOT / "raw" / "rmrb" / "paper.toml", raw / "paper.toml")
    shutil.copy(ROOT / "raw" / "rmrb" / "2025-04-08" / "02.txt", day / "02.txt")
    out = tmp_path / "content" / "rmrb"
    assert run_converter(raw, out, "rmrb").returncode == 0
    assert page_articles(out, "2025-04-08", 2)[0].get("TitleInferred") == "true"
    first = (ROOT / "raw" / "rmrb" / "2025-04-08" / "01.txt").read_text(encoding="utf-8")
    (day / "01.txt").write_text(first, encoding="utf-8")
    assert run_converter(raw, out, "rmrb").returncode == 0
    cont = page_articles(out, "2025-04-08", 2)[0]
    assert cont.get("Title").startswith("“以旧换新”后") and cont.list("Authors") == ["华璐月"]
    assert not cont.get("TitleInferred") and len(list((out / "2025-04-08" / "02").glob("*.md"))) == 2
    (day / "01.txt").write_text(first.replace("旧的去哪儿了", "旧物去哪儿了"), encoding="utf-8")
    assert run_converter(raw, out, "rmrb").returncode == 0
    assert "旧物去哪儿了" in page_articles(out, "2025-04-08", 2)[0].get("Title")


def test_a_first_part_is_redone_when_its_continuation_is_no_longer_the_one_it_names(tmp_path):
    """Page 1's first part says which file carries it on (ContinuedOnSlug), from the pair page
    2's run made.  An editor re-exports page 2 with a short item set above the continuation
    and the continuation's own jump headline: the continuation becomes another story (another
    place, its own title, so another slug) while page 1's dump and its jumps are unchanged.
    Page 1 is redone all the same (the second round), its first part names the new file, the
    other pages and page 1's other articles are not rewritten, and a rerun is idle."""
    raw = tmp_path / "raw" / "rmrb"
    day = raw / "2025-04-08"
    day.mkdir(parents=True)
    shutil.copy(ROOT / "raw" / "rmrb" / "paper.toml", raw / "paper.toml")
    for name in ("01.txt", "02.txt", "05.txt"):
        shutil.copy(ROOT / "raw" / "rmrb" / "2025-04-08" / name, day / name)
    out = tmp_path / "content" / "rmrb"

    def run() -> dict[str, str]:
        assert run_converter(raw, out, "rmrb").returncode == 0
        report = json.loads((out / "conversion-report.json").read_text(encoding="utf-8"))
        return {p["key"]: p["status"] for p in report["pages"]}

    def files() -> dict[str, tuple[int, bytes]]:
        return {str(p.relative_to(out)): (p.stat().st_mtime_ns, p.read_bytes())
                for p in sorted((out / "2025-04-08").rglob("*.md"))}

    keys = ("2025-04-08/01.txt", "2025-04-08/02.txt", "2025-04-08/05.txt")
    assert run() == dict.fromkeys(keys, "converted")
    (part1,) = [a for a in page_articles(out, "2025-04-08", 1) if a.get("ContinuedOn")]
    (cont,) = [a for a in page_articles(out, "2025-04-08", 2) if a.get("ContinuedFrom")]
    assert part1.get("ContinuedOnSlug") == cont.get("Slug") and cont.get("ContinuedFromSlug") == part1.get("Slug")
    before = files()

    second = (day / "02.txt").read_text(encoding="utf-8")
    assert second.count("（上接第一版）\n") == 1
    item = ("## 春季植树活动在京启动\n\n"
            "本报北京4月7日电 首都春季义务植树活动7日启动，市民踊跃参加，栽下树木一万余株。\n\n")
    (day / "02.txt").write_text(second.replace("（上接第一版）\n", item + "## 旧物回收算好三本账\n\n（上接第一版）\n"),
                                encoding="utf-8")
    assert run() == {keys[0]: "converted", keys[1]: "converted", keys[2]: "unchanged"}
    (new_cont,) = [a for a in page_articles(out, "2025-04-08", 2) if a.get("ContinuedFrom")]
    assert new_cont.get("Title") == "旧物回收算好三本账" and new_cont.get("Slug") != cont.get("Slug")
    (new_part1,) = [a for a in page_articles(out, "2025-04-08", 1) if a.get("ContinuedOn")]
    assert new_part1.get("Slug") == part1.get("Slug")
    assert new_part1.get("ContinuedOnSlug") == new_cont.get("Slug")
    assert new_cont.get("ContinuedFromSlug") == part1.get("Slug")
    entry = json.loads((out / ".manifest.json").read_text(encoding="utf-8"))["dumps"][keys[0]]
    assert entry["continued_by"] == [[int(part1.get("Order")), new_cont.get("Slug")]]
    after = files()
    part1_file = str(part1.path.relative_to(out))
    rewritten = {rel for rel in before.keys() & after.keys()
                 if not rel.startswith("2025-04-08/02/") and before[rel] != after[rel]}
    assert rewritten == {part1_file}, rewritten  # page 5, and page 1's other stories, untouched
    assert not (out / cont.path.relative_to(out)).exists()  # the old continuation's file is gone
    assert run() == dict.fromkeys(keys, "unchanged")
    assert files() == after


def test_a_jump_to_a_page_that_does_not_carry_the_story_on_is_reported(tmp_path):
    """Page 1 says 下转第二版, page 2 is there but has no 上接第一版 (the wrong page 2, or its
    continuation lost): page 1's report says so; the right page 2 makes the warning go."""
    raw = tmp_path / "raw" / "rmrb"
    day = raw / "2025-04-08"
    day.mkdir(parents=True)
    shutil.copy(ROOT / "raw" / "rmrb" / "paper.toml", raw / "paper.toml")
    shutil.copy(ROOT / "raw" / "rmrb" / "2025-04-08" / "01.txt", day / "01.txt")
    second = (ROOT / "raw" / "rmrb" / "2025-04-08" / "02.txt").read_text(encoding="utf-8")
    assert "上接第一版" in second
    (day / "02.txt").write_text(second.replace("上接第一版", ""), encoding="utf-8")
    out = tmp_path / "content" / "rmrb"

    def page_one_jump_warnings() -> list[tuple[str, dict]]:
        assert run_converter(raw, out, "rmrb").returncode == 0
        report = json.loads((out / "conversion-report.json").read_text(encoding="utf-8"))
        (page,) = [p for p in report["pages"] if p["key"] == "2025-04-08/01.txt"]
        return [(i["code"], i["params"]) for i in page["issues"] if i["code"].startswith("jump-")]

    assert page_one_jump_warnings() == [("jump-continuation-missing", {"target": 2, "page": 1, "found": 0,
                                                                       "sent": 1})]
    (day / "02.txt").write_text(second, encoding="utf-8")
    assert page_one_jump_warnings() == []  # page 1 unchanged, its report redone


def test_an_inner_page_takes_the_paper_name_from_the_front_page(tmp_path):
    """Dumps outside raw/<paper>/ (no paper.toml): the front page's masthead names the paper,
    the inner page's folio does not; both files say the masthead's name."""
    folder = tmp_path / "dumps"
    folder.mkdir()
    for page in ("01", "02"):
        shutil.copy(ROOT / "raw" / "rmrb" / "2025-04-08" / f"{page}.txt", folder / f"x-2025-04-08-{page}.txt")
    out = tmp_path / "content"
    r = run_converter(folder, out, "rmrb")
    assert r.returncode == 0, r.stdout
    papers = {a.get("Paper") for p in (1, 2) for a in page_articles(out, "2025-04-08", p)}
    assert papers == {"人民日报"}


def test_kinds_of_a_commentary_page():
    """The classify stage alone: bare names are bylines under headlines, the subtitle is a
    subtitle, the closing source note is body."""
    from converters.blocks import split_blocks
    from converters.classify import ClassifyContext, classify

    text = ("## 从监管优化看数字消费（人民时评）\n\n### ——消费新亮点  发展新赛道②\n\n林丽鹂\n\n" + BODY1 +
            "\n\n（摘编自《经济日报》，原题为《新一轮“抢人大战”有何不同》）\n")
    kinds = [b.kind for b in classify(split_blocks(text), ClassifyContext(paper_names=NAMES))]
    assert kinds == [Kind.HEADLINE, Kind.SUBTITLE, Kind.BYLINE, Kind.BODY, Kind.BODY]
