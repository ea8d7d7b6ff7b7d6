"""Story regions from text lines, on pages laid out by hand (no PDF): the matcher's rules.

A page of four stories, one of them L-shaped around another, a photo, a masthead and an
advertisement: each story's rectangles must cover its area (overlap >= 0.9) and never
another story's lines; the masthead and the advertisement belong to nobody.
"""

from __future__ import annotations

import random

from converters.printed.regions import story_rectangles
from converters.printed.stories import StoryText
from converters.printed.textlayer import Box, PageLayer, TextLine, _lines, normalize
from tests.support.printed_site import overlap

EM = 0.008  # line height of body type, as a fraction of the page height
PITCH = 0.0085  # from one line to the next
CHARS_PER_COLUMN_WIDTH = 120  # characters in a line a full page wide


def _text(seed: int, n: int) -> str:
    """``n`` characters drawn from common ones (no two stories share a line of them)."""
    rng = random.Random(seed)
    common = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
              "面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本"
              "去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比"
              "或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
              "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做"
              "必战先回则任取据处理府研质")
    return "".join(rng.choice(common) for _ in range(n))


def _column(story: int, text: str, x0: float, x1: float, y0: float, y1: float, chars: int,
            lines: list, owner: list) -> str:
    """Set ``text`` into a column: one TextLine per PITCH, ``chars`` characters a line; returns the rest."""
    y = y0
    while text and y + EM <= y1:
        piece, text = text[:chars], text[chars:]
        width = (x1 - x0) * len(piece) / chars
        lines.append(TextLine(piece, Box(x0, y, x0 + width, y + EM), EM))
        owner.append(story)
        y += PITCH
    return text


def _page():
    lines: list[TextLine] = []
    owner: list[int | None] = []
    stories, truth = [], {}

    def story(i: int, title: str, frames: list[tuple[float, float, float, float]],
              head: tuple[float, float, float], area: list[tuple[float, float, float, float]]) -> None:
        """A story set into its frames, filling them but for the last one's bottom;
        ``area``: where it stands on the page (its headline, its columns and their gutters)."""
        capacity = [max(4, round((x1 - x0) * CHARS_PER_COLUMN_WIDTH)) * int((y1 - y0 - EM) / PITCH + 1)
                    for x0, y0, x1, y1 in frames]
        fill = 0.85 if len(frames) > 1 else 0.98  # a story's columns end level but for the last
        body = _text(10 + i, sum(capacity[:-1]) + int(capacity[-1] * fill))
        stories.append(StoryText(slug=f"s{i}", title=title, paragraphs=(body,)))
        hx0, hx1, hy = head  # a headline centred over its columns
        w = (hx1 - hx0) * 0.6
        lines.append(TextLine(title, Box(hx0 + (hx1 - hx0 - w) / 2, hy, hx0 + (hx1 - hx0 + w) / 2, hy + 2.2 * EM),
                              2.2 * EM))
        owner.append(i)
        rest = body
        for x0, y0, x1, y1 in frames:
            chars = max(4, round((x1 - x0) * CHARS_PER_COLUMN_WIDTH))
            rest = _column(i, rest, x0, x1, y0, y1, chars, lines, owner)
        assert not rest, f"story {i} does not fit its frames"
        truth[f"s{i}"] = area

    # masthead: the paper's name, large, and a date line
    lines.append(TextLine("测试日报", Box(0.05, 0.02, 0.30, 0.07), 0.05))
    owner.append(None)
    lines.append(TextLine("2024年3月17日星期日第27323期今日4版", Box(0.70, 0.055, 0.95, 0.063), EM))
    owner.append(None)
    cols = [(0.05, 0.24), (0.255, 0.445), (0.46, 0.65)]
    # A: a headline over three columns
    story(1, "甲" + _text(1, 11), [(x0, 0.135, x1, 0.50) for x0, x1 in cols], (0.05, 0.65, 0.10),
          [(0.05, 0.10, 0.65, 0.50)])
    # B: the right-hand column
    story(2, "乙" + _text(2, 9), [(0.68, 0.135, 0.95, 0.60)], (0.68, 0.95, 0.10), [(0.68, 0.10, 0.95, 0.60)])
    # C: L-shaped, under A over three columns, then down the third column beside D
    story(3, "丙" + _text(3, 10), [(x0, 0.555, x1, 0.78) for x0, x1 in cols] + [(0.46, 0.785, 0.65, 0.95)],
          (0.05, 0.65, 0.52), [(0.05, 0.52, 0.65, 0.78), (0.46, 0.78, 0.65, 0.95)])
    # D: under C in the first two columns
    story(4, "丁" + _text(4, 8), [(0.05, 0.835, 0.24, 0.95), (0.255, 0.835, 0.445, 0.95)], (0.05, 0.445, 0.80),
          [(0.05, 0.80, 0.445, 0.95)])
    # an advertisement under B: text that is in no story
    for k in range(12):
        lines.append(TextLine(_text(100 + k, 30), Box(0.68, 0.65 + k * PITCH, 0.95, 0.65 + k * PITCH + EM), EM))
        owner.append(None)
    return PageLayer(935.0, 1360.0, tuple(lines), (), sum(len(ln.text) for ln in lines)), stories, truth, owner


def test_l_shaped_story_ads_and_masthead():
    layer, stories, truth, owner = _page()
    rects, matched = story_rectangles(layer, stories)
    slugs = [s.slug for s in stories]
    for k, who in enumerate(owner):  # every line to its story; masthead and ad to nobody
        got = matched.story[k]
        assert (slugs[got] if got is not None else None) == (f"s{who}" if who is not None else None), \
            (layer.lines[k].text, matched.how[k])
    for slug, boxes in truth.items():
        found = [(b.x0, b.y0, b.x1, b.y1) for b in rects[slug]]
        assert overlap(found, boxes) >= 0.9, (slug, overlap(found, boxes), found, boxes)
        others = [ln.box for ln, s in zip(layer.lines, matched.story, strict=True) if s is None or slugs[s] != slug]
        assert not any(r.intersects(o) for r in rects[slug] for o in others), slug
    assert len(rects["s3"]) >= 2  # an L is not one rectangle


def test_short_and_shared_lines_take_their_neighbours_story():
    """A paragraph's two-character tail and a line two stories share go with the lines above them."""
    shared = "今年全国两会期间代表委员热议"
    a = StoryText("a", "甲标题", paragraphs=("第一段文字很长" + shared + "的内容很多", "完。"))
    b = StoryText("b", "乙标题", paragraphs=(shared + "之后还有别的话",))
    lines = [TextLine("第一段文字很长", Box(0.1, 0.10, 0.3, 0.108), EM),
             TextLine(shared, Box(0.1, 0.1085, 0.3, 0.1165), EM),
             TextLine("的内容很多", Box(0.1, 0.117, 0.15, 0.125), EM),
             TextLine("完。", Box(0.1, 0.1255, 0.12, 0.1335), EM),
             TextLine(shared, Box(0.5, 0.10, 0.7, 0.108), EM),
             TextLine("之后还有别的话", Box(0.5, 0.1085, 0.7, 0.1165), EM)]
    _, matched = story_rectangles(PageLayer(1, 1, tuple(lines), (), 60), [a, b])
    assert matched.story == [0, 0, 0, 0, 1, 1], matched.how


def test_byline_is_matched_by_the_reporters_names():
    s = StoryText("a", "标题", names=("程少波", "苗丽娜"), paragraphs=("正文",))
    other = StoryText("b", "另一篇", names=("朱承",), paragraphs=("别的正文",))
    lines = [TextLine("本报记者　程少波　苗丽娜", Box(0.1, 0.1, 0.3, 0.108), EM)]
    _, matched = story_rectangles(PageLayer(1, 1, tuple(lines), (), 12), [s, other])
    assert matched.story == [0] and matched.how == ["byline"]


def test_characters_become_lines_by_baseline_and_gap():
    """PDFium's characters, in drawing order, cut into lines at a new baseline or a wide gap."""
    def char(c: str, x: float, y: float, size: float = 0.01) -> tuple[str, Box]:
        return (c, Box(x, y, x + size * 0.7, y + size))  # a page 0.7 as wide as high: square characters
    chars = [char("浙", 0.1, 0.1), char("江", 0.107, 0.1), ("\n", Box(0, 0, 0, 0)),
             char("日", 0.1, 0.12), char("报", 0.107, 0.12),
             char("远", 0.5, 0.12),  # far along the same baseline: another column
             (" ", Box(0, 0, 0, 0)), char("近", 0.5 + 0.007 + 0.008, 0.12)]  # a space widens the gap allowed
    got = [ln.text for ln in _lines(chars, 0.7)]
    assert got == ["浙江", "日报", "远近"]
    assert normalize("２０２４年，“ＧＤＰ”增长5.2%") == "2024年gdp增长52"
