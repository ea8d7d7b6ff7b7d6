"""Printed pages with what a news page carries besides running text, for the PDF reader.

Like :mod:`tests.support.tool_pages` (the golds' stories in rows of varied grids), each
page's ``seed`` also decides, story by story: a kicker and a subtitle over the title, the
headline centred or flush left in a sans or a serif face, a byline with a correspondent
(on one line or two), a bare name set right, a photo over the columns or at the top of the
first one with its caption, subheads among the paragraphs, a box round the story or a rule
beside it, and a jump line closing the page's first story.  The column count, the gutter,
the body and title sizes and the line spacing vary too.  The gold is what the page prints.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import random

from tests.support.synthpage import story_pool
from tests.support.tool_pages import _first, _split

SUBHEADS = ["坚持创新驱动 激发发展活力", "聚焦民生实事", "补齐短板弱项 筑牢安全底线", "以改革促发展",
            "打造一流营商环境"]
CAPTIONS = ["游客在景区内参观游览。", "工人在生产线上忙碌。", "市民在公园里健身休闲。", "无人机俯瞰新建成的大桥。"]
NAMES = ["王明华", "李强", "陈晓东", "周敏岚", "刘洋"]
FEATURES = ("photo", "subheads", "box", "rules", "credits", "jump")


def photo(seed: int) -> str:
    """A photo's stand-in (a PNG of stripes) as a data URL."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    img = Image.new("RGB", (480, 300), (rng.randrange(40, 200), rng.randrange(40, 200), rng.randrange(40, 200)))
    draw = ImageDraw.Draw(img)
    for k in range(0, 480, 30):
        draw.line([(k, 0), (480 - k, 300)], fill=(250, 200, 90), width=5)
    out = io.BytesIO()
    img.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _chinese_page(n: int) -> str:
    return "零一二三四五六七八九十"[n] if n <= 10 else "十" + "零一二三四五六七八九"[n - 10]


def _story(s: dict, cols: int, rng: random.Random, seed: int, k: int, feats: set[str],
           more: bool, spaced: bool, upright: bool) -> tuple[str, dict]:
    e = html.escape
    align = rng.choice(["left", "center"])
    face = rng.choice(["Noto Sans CJK SC", "Noto Serif CJK SC"])
    gold = {"kicker": "", "title": s["title"], "subtitle": "", "authors": s["authors"], "correspondents": [],
            "dateline": s.get("dateline") or "", "caption": None, "subheads": [], "paragraphs": s["paragraphs"],
            "headline_in_dump": True, "continued_on": None}
    head = []
    if s.get("kicker") and rng.random() < 0.8:
        head.append(f'<p class="kicker" style="text-align:{align}">{e(s["kicker"])}</p>')
        gold["kicker"] = s["kicker"]
    spacing = rng.choice(["0", "0", "0.1em", "0.25em"]) if spaced else "0"
    head.append(f"<h1 style=\"text-align:{align}; font-family:'{face}'; letter-spacing:{spacing}\">"
                f"{e(s['title'])}</h1>")
    if s.get("subtitle") and rng.random() < 0.8:
        head.append(f'<p class="subtitle" style="text-align:{align}">{e(s["subtitle"])}</p>')
        gold["subtitle"] = s["subtitle"]
    lead = ""
    names = e(" ".join(s["authors"]))
    if s.get("dateline"):
        lead = f'{s["dateline"]}  （记者 {" ".join(s["authors"])}）' if s["authors"] else s["dateline"]
    elif s.get("authors"):
        r = rng.random()
        if "credits" in feats and r < 0.3:
            other = rng.choice(NAMES)
            gold["correspondents"] = [other]
            sep = "<br>" if rng.random() < 0.5 else "\u3000"
            head.append(f'<p class="byline" style="text-align:{align}">本报记者 {names}{sep}本报通讯员 {other}</p>')
        elif more and "credits" in feats and r < 0.4:
            feats = feats | {"closing credits"}
        elif "credits" in feats and r < 0.5:
            head.append(f'<p class="byline" style="text-align:{rng.choice(["right", align])}">{names}</p>')
        else:
            head.append(f'<p class="byline" style="text-align:{align}">本报记者 {names}</p>')
    pic = ""
    if "photo" in feats and rng.random() < 0.45:
        caption = rng.choice(CAPTIONS) + f" 本报记者 {rng.choice(NAMES)}摄"
        gold["caption"] = caption
        width = (rng.choice([100, 100, 67, 50]) if cols >= 2 else 100) if more else None
        pic = (f'<img src="{photo(seed * 10 + k)}" style="width:100%; display:block; margin:1mm 0">'
               f'<p class="cap">{e(caption)}</p>')
        if width is not None:
            pic = f'<div style="width:{width}%">{pic}</div>'
    paras = s["paragraphs"]
    subheads_at = {}
    if "subheads" in feats and len(paras) >= 3 and rng.random() < 0.5:
        at = sorted(rng.sample(range(1, len(paras)), min(2, len(paras) - 1)))
        for j, i in enumerate(at):
            subheads_at[i] = SUBHEADS[(seed + k + j) % len(SUBHEADS)]
        gold["subheads"] = [subheads_at[i] for i in at]
    jump = ""
    if "jump" in feats and k == 0 and len(paras) >= 2 and rng.random() < 0.6:
        to = rng.choice([2, 3, 5, 12])
        last = paras[-1]
        cut = len(last) // 2
        while cut < len(last) and last[cut - 1] in "，。、；：“”（）":
            cut += 1
        paras = [*paras[:-1], last[:cut]]
        gold["paragraphs"], gold["continued_on"] = paras, to
        jump = f'<p class="jump">（下转第{_chinese_page(to)}版）</p>'
    body = []
    for i, p in enumerate(paras):
        if i in subheads_at:
            body.append(f'<p class="sub">{e(subheads_at[i])}</p>')
        body.append(f"<p>{e(lead if i == 0 else '')}{e(p)}</p>")
    if "closing credits" in feats:
        body.append(f'<p class="closing">（本报记者 {names}）</p>')
    frame = ""
    if "box" in feats and rng.random() < 0.25:
        frame = "border:0.8pt solid #333; padding:2mm;"
    elif "rules" in feats and k > 0 and rng.random() < 0.5:
        frame = "border-left:0.6pt solid #000; padding-left:2mm;"
    where = rng.choice(["top", "body"]) if pic else ""
    inner = "".join(head) + (pic if where == "top" else "")
    columns = (pic if where == "body" else "") + "".join(body) + jump
    if upright and cols >= 2 and not pic and not gold["kicker"] and not gold["subtitle"] and rng.random() < 0.35:
        # the title set vertically (a character a line) at the right of the story's columns
        byline = "".join(h for h in head if 'class="byline"' in h)
        title = f"<h1 class=\"upright\" style=\"font-family:'{face}'\">{e(s['title'])}</h1>"
        return (f'<section class="story" style="flex:{cols}; {frame}; display:flex; gap:2mm">'
                f'<div style="flex:1; min-width:0">{byline}<div class="body" style="column-count:{max(1, cols - 1)}">'
                f'{columns}</div></div>{title}</section>'), gold
    return (f'<section class="story" style="flex:{cols}; {frame}">{inner}'
            f'<div class="body" style="column-count:{cols}">{columns}</div></section>'), gold


def page(seed: int, more: bool = False, spaced: bool = False, upright: bool = False) -> tuple[str, dict]:
    """(the page's HTML, its gold), dated 2023-01-01 plus ``seed`` days (the folio says it).
    ``more``: also the reporters named in brackets after the last paragraph, set right,
    photos narrower than their story, and the folio in the page's foot on some pages;
    ``spaced``: some titles letter-spaced; ``upright``: some titles set vertically at the
    right of their story's columns."""
    rng = random.Random(seed)
    columns = rng.choice([3, 4, 5, 6, 7, 8])
    gutter = rng.choice([1.5, 2.0, 3.0, 4.0])
    body_pt = rng.choice([8.5, 9.0, 9.5, 10.0, 10.5])
    title_pt = rng.choice([18, 20, 22, 26, 30])
    spacing = rng.choice([1.35, 1.45, 1.6])
    rows = rng.choice([(1,), (2,), (1, 2), (2, 1), (3,), (2, 2), (1, 1)])
    feats = {f for f in FEATURES if rng.random() < 0.6}
    budget = max(250, min(700, 2400 // sum(rows)))
    pool = [dict(s, paragraphs=_first(s["paragraphs"], budget), subheads=[], caption=None)
            for s in story_pool() if len(s["authors"]) <= 3]
    page_no = rng.choice([2, 3, 4, 6, 9, 11])
    out, articles = [], []
    k = 0
    for count in rows:
        count = min(count, columns)
        stories = rng.sample(pool, count)
        pool = [s for s in pool if s not in stories]
        cells = []
        for s, width in zip(stories, _split(columns, count, rng), strict=True):
            cell, gold = _story(s, width, rng, seed, k, feats, more, spaced, upright)
            k += 1
            cells.append(cell)
            articles.append(gold)
        out.append('<div class="row">' + "".join(cells) + "</div>")
    style = f"""
      @page {{ size: 330mm 470mm; margin: 12mm; }}
      body {{ font-family: 'Noto Serif CJK SC'; font-size: {body_pt}pt; line-height: {spacing}; margin: 0; }}
      .folio {{ display: flex; justify-content: space-between; font-family: 'Noto Sans CJK SC';
                font-size: 10pt; border-bottom: 1.5pt solid black; margin-bottom: 4mm; }}
      .row {{ display: flex; gap: {gutter * 2}mm; margin-bottom: 6mm; }}
      .story {{ min-width: 0; }}
      h1 {{ font-size: {title_pt}pt; margin: 1mm 0 2mm; font-weight: bold; line-height: 1.25; }}
      h1.upright {{ width: 1.05em; margin: 0; line-height: 1.1; word-break: break-all; flex: none; }}
      .kicker {{ font-family: 'Noto Sans CJK SC'; font-size: {body_pt + 2}pt; margin: 0; }}
      .subtitle {{ font-size: {body_pt + 3}pt; margin: 0 0 1mm; }}
      .byline {{ font-family: 'Noto Sans CJK SC'; font-size: {body_pt}pt; margin: 0 0 2mm; }}
      .cap {{ font-family: 'Noto Sans CJK SC'; font-size: {body_pt - 1}pt; margin: 0 0 2mm; }}
      .body {{ column-gap: {gutter}mm; text-align: justify; }}
      .body p {{ margin: 0; text-indent: 2em; }}
      .body p.jump, .body p.closing {{ text-indent: 0; text-align: right; }}
      .body p.sub {{ text-indent: 0; text-align: center; font-family: 'Noto Sans CJK SC'; font-weight: bold;
                     margin: 1mm 0; }}
    """
    day = dt.date(2023, 1, 1) + dt.timedelta(days=seed)
    section = rng.choice(["要闻", "综合", "经济", "社会"])
    folio = [f"<span>{day.year}年{day.month}月{day.day}日 星期{'一二三四五六日'[day.weekday()]}</span>",
             f"<span>{section}</span>", f"<span>{page_no:02d}</span>"]
    if rng.random() < 0.5:
        folio.reverse()
    if more and rng.random() < 0.4:  # the folio in the page's foot, the page's margin box
        boxes = ("bottom-left", "bottom-center", "bottom-right")
        style += "@page {" + "".join(
            f"@{where} {{ content: '{html.unescape(piece[6:-7])}'; font-family: 'Noto Sans CJK SC'; font-size: 10pt;"
            " border-top: 1.5pt solid black; }" for where, piece in zip(boxes, folio, strict=True)) + "}"
        top = ""
    else:
        top = f'<div class="folio">{"".join(folio)}</div>'
    doc = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{style}</style></head>'
           f'<body>{top}{"".join(out)}</body></html>')
    gold = {"source": f"rich-{seed}", "paper": "浙江日报", "date": day.isoformat(), "page": page_no,
            "issue": None, "pages_total": None, "cn": None, "lunar": None, "articles": articles}
    return doc, gold
