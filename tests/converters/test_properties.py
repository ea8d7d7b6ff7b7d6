"""Property tests of the converter (hypothesis): for any dump text, conversion terminates,
is deterministic, and loses no body character.

*Loses no body character* means: every non-whitespace character of the dump's text is,
after :func:`converters.gold.norm` (which undoes the full-width punctuation the converter
restores) and as a multiset (a character twice in the dump must be there twice), found in
what the converter keeps — the article fields an editor sees (Kicker, Title unless
inferred, Subtitle, Authors, Correspondents, Dateline, Caption, subheads and paragraphs,
read back from the rendered Markdown file) — or in the report as ``dropped`` with its reason.

Text that is *not body*, and so not counted, is exactly:

* masthead and folio lines (报头/版头: date, issue, CN number, paper and publisher name),
  which the converter records as facts (``Date``, ``Issue``, ``Pages``…), and jump lines
  ``(下转第二版)``, recorded as ``ContinuedOn``/``ContinuedFrom`` — as the converter
  classifies them (``Kind.MASTHEAD``, ``Kind.FOLIO``, ``Kind.JUMP``);
* in bylines and in the credit parenthesis of a dateline lead: the role words
  (``本报记者``, ``通讯员``, ``…报道组``), the parentheses and the separators between names
  (the names themselves are counted: they must be in ``Authors``/``Correspondents``);
* the layout tool's decoration, read by the dialect stage (heading marks, tags, emphasis,
  picture references): counted after that stage, which may remove no Chinese text
  unreported (a property of its own);
* control and invisible characters (zero-width spaces, BOM), removed when reading.

``HYPOTHESIS_PROFILE=dev`` runs 20 examples, ``ci`` (the default) 200, ``thorough`` 2,000.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import unicodedata
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converters import credits as cr
from converters.blocks import split_blocks
from converters.classify import DATELINE, ClassifyContext, classify
from converters.gold import norm
from converters.model import Kind, PageFacts
from converters.pipeline import convert_text, paper_names
from converters.write import render_page
from epaper_contract.papers import known_papers, load_paper
from tests.badinput.figures import record
from tests.badinput.generate import HOSTILE
from tests.conftest import ROOT

settings.register_profile("dev", max_examples=20, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("thorough", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

PAPER = load_paper(ROOT / "raw", "zjrb")
NAMES = paper_names([PAPER, *known_papers(ROOT / "raw").values()])
PATH_FACTS = PageFacts(date="2024-03-17", page=2)
COUNTS: Counter = Counter()

HANZI = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
         "多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还"
         "杭州绍兴宁波温州浙江省市县区镇村企业项目发展创新科技产业经济")
PUNCT = ",.:;?!()，。：；？！（）“”《》、—…·%"
MARKUP = "<>[]*_`#{}&=/\\|~^$-+'\"@"
ALPHABET = HANZI + PUNCT + MARKUP + "abcXYZ0123456789 \u3000"

free = st.text(alphabet=ALPHABET, max_size=40)
cjk = st.text(alphabet=HANZI, min_size=1, max_size=12)
sentence = st.builds(lambda a, p, b: a + p + b + "。", cjk, st.sampled_from(["", ",", "，", "、", ":"]), cjk)
person = st.sampled_from(["张三", "李四", "王五", "程少波", "苗丽娜", "金燕翔", "叶轲", "高  炳"])
persons = st.lists(person, min_size=1, max_size=3).map(" ".join)
line = st.one_of(
    free,
    sentence,
    st.builds(lambda t: t, st.lists(sentence, min_size=1, max_size=4).map("".join)),
    st.builds(lambda h, t: h + t, st.sampled_from(["# ", "## ", "### ", "#### "]), st.one_of(free, cjk)),
    st.builds(lambda h, a, b: f"{h}{a} {b}", st.sampled_from(["## ", ""]), cjk, cjk),
    st.builds(lambda r, n: f"{r} {n}", st.sampled_from(["本报记者", "记者", "通讯员", "记者 叶轲 县委报道组",
                                                        "本报记者 张三 通讯员"]), persons),
    st.sampled_from(["本报记者", "通讯员", "张三", "李四", "王五"]),
    st.builds(lambda d, n, t: f"{d}(记者 {n}){t}",
              st.sampled_from(["本报讯", "本报杭州3月16日电", "新华社北京3月16日电"]), persons, sentence),
    st.builds(lambda d, t: f"{d}{t}", st.sampled_from(["本报讯", "据新华社电"]), sentence),
    st.sampled_from(["(下转第二版)", "(上接第一版)", "（下转第3版）", "——副题的样子", "优", "浙江"]),
    st.builds(lambda t, c: f"{t} {c}", cjk, st.sampled_from(["张三 摄", "绍兴市供图", "新华社发"])),
    st.sampled_from(["2024年3月17日 星期日 农历甲辰年二月初八", "今日4版 第27323期", "浙江日报报业集团",
                     "国内统一连续出版物号:CN 33-0001 邮发代号:31-1", "ZHEJIANG DAILY PRESS GROUP", "第2版 要闻"]),
    st.sampled_from(HOSTILE),
    st.just(""),
    st.just(""),
)
dumps = st.lists(line, max_size=30).map("\n".join)

_CREDIT_SEPARATORS = re.compile(r"[\s\u3000、，,；;/()（）]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


def _strip_roles(text: str) -> str:
    """A byline or credit parenthesis without its role words and separators: the names."""
    return _CREDIT_SEPARATORS.sub("", cr.ROLE.sub("", text))


def body_characters(text: str) -> tuple[Counter, set[str]]:
    """The dump's body characters, and the characters of its credited names (see the module docstring).

    Counted on the lines as the dialect stage leaves them (the layout tool's decoration read:
    heading marks, tags, emphasis; what it removes is checked by
    :func:`test_dialect_stage_loses_no_chinese_text`).  Names are facts, not running text: a
    name credited twice is listed once, so they are checked as a set against
    ``Authors``/``Correspondents``, body text as a multiset.
    """
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    blocks = classify(split_blocks(text), ClassifyContext(paper_names=NAMES))
    want: Counter = Counter()
    names: set[str] = set()
    for b in blocks:
        if b.kind in (Kind.MASTHEAD, Kind.FOLIO, Kind.JUMP, Kind.FIGURE):
            continue
        line_text = b.text
        if b.kind in (Kind.BYLINE, Kind.BYLINE_NAME, Kind.CREDIT):
            names.update(norm(_strip_roles(line_text)))
            continue
        if b.kind is Kind.LEAD:
            m = DATELINE.match(line_text)
            credits = m["credits"] or ""
            if credits and cr.parse_credits(credits) is not None:
                names.update(norm(_strip_roles(credits)))
                line_text = m["dateline"] + m["rest"]
        want.update(norm(line_text))
    return want, names


def _parse_rendered(data: bytes) -> tuple[dict[str, str], list[str]]:
    """Metadata and body paragraphs (subheads included) of one rendered file, unescaped."""
    text = data.decode("utf-8")
    header, _, body = text.partition("\n\n")
    meta = dict(line.split(": ", 1) for line in header.splitlines())
    paragraphs = []
    for chunk in body.split("\n\n"):
        chunk = chunk.strip()
        if chunk:
            paragraphs.append(html.unescape(chunk[4:] if chunk.startswith("### ") else chunk))
    return meta, paragraphs


def kept_characters(page) -> tuple[Counter, set[str]]:
    """What the converter kept: article fields read back from the Markdown, dropped text; credited names."""
    got: Counter = Counter()
    names: set[str] = set()
    for _rel, data, _art in render_page(page):
        meta, paragraphs = _parse_rendered(data)
        fields = ["Kicker", "Subtitle", "Authors", "Correspondents", "Dateline", "Caption"]
        if meta.get("TitleInferred") != "true":
            fields.append("Title")
        for key in fields:
            got.update(norm(meta.get(key, "")))
        for p in paragraphs:
            got.update(norm(p))
        names.update(norm(meta.get("Authors", "") + meta.get("Correspondents", "")))
    for issue in page.issues:
        got.update(norm(issue.dropped))
        names.update(norm(issue.dropped))
    return got, names


def lost_characters(text: str, page) -> tuple[Counter, set[str]]:
    """Body characters not kept, and name characters not credited (both empty when nothing is lost)."""
    want, want_names = body_characters(text)
    got, got_names = kept_characters(page)
    return want - got, want_names - got_names - set(got)


def convert(text: str):
    return convert_text(text, "raw/zjrb/2024-03-17/02.txt", paper=PAPER, names=NAMES, path_facts=PATH_FACTS,
                        with_tags=False)


def _fingerprint(page) -> tuple:
    return ([(rel, data) for rel, data, _ in render_page(page)],
            [(i.severity, i.code, i.line, i.params, i.dropped) for i in page.issues])


@given(text=dumps)
def test_conversion_is_total_deterministic_and_loses_nothing(text: str) -> None:
    COUNTS["examples"] += 1
    page = convert(text)
    assert not page.has_errors, [i.message() for i in page.issues]
    assert _fingerprint(convert(text)) == _fingerprint(page), "two conversions of one text differ"
    for _rel, data, art in render_page(page):
        meta, _ = _parse_rendered(data)
        assert meta.get("Title"), f"article at line {art.line} has no title"
    lost, lost_names = lost_characters(text, page)
    assert not lost, f"lost body characters {dict(lost)}"
    assert not lost_names, f"names neither credited nor reported {lost_names}"


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=dumps)
def test_cli_on_generated_dumps(text: str, tmp_path_factory) -> None:
    """The real CLI on a few generated dumps: exit 0, no traceback, byte-identical reruns."""
    COUNTS["cli_examples"] += 1
    root = tmp_path_factory.mktemp("prop")
    raw = root / "raw" / "zjrb" / "2024-03-17"
    raw.mkdir(parents=True)
    (raw / "02.txt").write_text(text, encoding="utf-8")
    trees = []
    for name in ("a", "b"):
        out = root / name / "content" / "zjrb"
        r = subprocess.run([sys.executable, "-m", "converters", str(raw.parent), "--out", str(out), "--no-tags"],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0 and "Traceback" not in r.stdout + r.stderr, r.stdout + r.stderr
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.md"))})
    assert trees[0] == trees[1]


_CJK = re.compile(r"[\u3400-\u9fff]")


@given(text=dumps)
def test_dialect_stage_loses_no_chinese_text(text: str) -> None:
    """What the dialect stage takes away (tags, marks, addresses) holds no Chinese character
    that is not reported as dropped."""
    from converters.dialects import normalise

    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    d = normalise(text)
    before = Counter(_CJK.findall(text))
    after = Counter(_CJK.findall("".join(ln.text + (ln.figure.alt if ln.figure else "") for ln in d.lines)))
    reported = Counter(_CJK.findall("".join(i.dropped for i in d.issues)))
    assert not (before - after - reported), dict(before - after - reported)


def _run_known(text: str) -> None:
    lost, lost_names = lost_characters(text, convert(text))
    assert not lost and not lost_names, (dict(lost), lost_names)


@pytest.mark.parametrize("text", [
    "## 用C#编程\n\n正文一句。",  # a closing '#' without a space before it is text
    "张三 摄\n\n(下转第二版)",  # a caption with no article after it
    "## 标题\n\n### 副题一\n\n### 副题二\n\n正文。",  # two ### lines under a headline
    "## 短标题 这是一个比标题长得多的副题说明文字\n\n### 又一个副题\n\n正文一句。",  # subtitle twice
    "0000\nZHEJIANG DAILY PRESS GROUP\n本报记者 张三",  # second headline line with a subtitle deck
    "###0",  # an article of one subhead: kept, its title inferred from the subhead
    "(上接第一版)\n\n张三 摄",  # a jump line followed by only a caption: reported as dropped
])
def test_regressions_found_by_hypothesis(text: str) -> None:
    _run_known(text)


def test_zz_property_figures(request) -> None:
    record(request.config, "properties", {"hypothesis_examples": COUNTS["examples"],
                                          "cli_examples": COUNTS["cli_examples"],
                                          "profile": settings._current_profile})
