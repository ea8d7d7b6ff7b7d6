"""A synthetic year of editions for the search and scale benchmarks.

Real sample text is short (three dumps), but search and build speed only show at the
size of an archive, so this reshuffles the sample's sentences into ~20,000 articles with
titles, bylines, cities and topics.  Deterministic for a seed, so two runs give the same
bytes and benchmark figures can be compared.

    python benchmarks/corpus.py --days 365 --pages 8 --per-page 7 --out DIR [--format content|raw]

``content`` writes the converter's output format (``DIR/<paper>/<date>/<PP>/<slug>.md``);
``raw`` writes dumps shaped like ``raw/zjrb/2024-03-17/01.txt`` (``DIR/<paper>/<date>/<PP>.txt``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from epaper_contract import join_list, page_label  # noqa: E402
from epaper_contract.slugs import pinyin_slug  # noqa: E402

CITIES = ["杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水",
          "富阳", "柯桥", "上虞", "青田", "义乌", "余姚", "安吉", "德清", "海宁", "乐清", "瑞安",
          "榆林", "佳木斯", "广州", "南宁", "兰州", "上海", "新加坡"]
TOPICS = ["集成电路", "腾笼换鸟", "家庭医生", "营商环境", "人才服务", "科技创新", "产业升级",
          "新质生产力", "社会治理", "数字经济", "共同富裕", "乡村振兴", "生态保护", "医保",
          "绿色转型", "粮食安全", "义务植树", "民营经济", "政务服务", "新能源汽车", "对外贸易",
          "文化旅游", "基层治理", "创业创新"]
VERBS = ["推进", "加快", "深化", "打造", "聚焦", "探索", "做强", "赋能", "激活", "谋划"]
ENDINGS = ["新路径", "见实效", "再上新台阶", "跑出加速度", "开新局", "蹚新路", "结硕果",
           "迈出新步伐", "交出新答卷", "有了新气象"]
SECTIONS = {1: "要闻", 2: "要闻", 3: "经济", 4: "综合", 5: "民生", 6: "生态", 7: "文化", 8: "观察"}
WEEKDAYS = "一二三四五六日"
CN_DIGITS = "〇一二三四五六七八九十"
MD_SPECIAL = re.compile(r"([\\`*_\[\]#<>&])")


@dataclass
class Sample:
    """Sentences, titles and names taken from the bundled sample."""

    sentences: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    kickers: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)


@dataclass
class SynthArticle:
    date: dt.date
    page: int
    order: int
    title: str
    kicker: str
    authors: list[str]
    correspondents: list[str]
    paragraphs: list[str]
    subheads: dict[int, str]
    cities: list[str]
    topics: list[str]
    slug: str


def _split_sentences(paragraph: str) -> list[str]:
    parts = re.findall(r"[^。！？!?]+[。！？!?”’」]*", paragraph)
    return [p.strip() for p in parts if len(p.strip()) >= 6]


def load_sample(root: Path = ROOT) -> Sample:
    """Every sentence of the gold paragraphs and the raw dumps' body lines."""
    sample = Sample()
    seen: set[str] = set()

    def add(sentence: str) -> None:
        if sentence not in seen:
            seen.add(sentence)
            sample.sentences.append(sentence)

    for path in sorted((root / "tests" / "gold").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for art in data["articles"]:
            if art.get("title"):
                sample.titles.append(art["title"])
            if art.get("kicker"):
                sample.kickers.append(art["kicker"])
            sample.authors.extend(a for a in art.get("authors", []) if a not in sample.authors)
            for para in art["paragraphs"]:
                for s in _split_sentences(para):
                    add(s)
    for path in sorted((root / "raw").glob("*/*/*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) > 40 and not line.startswith("#"):
                for s in _split_sentences(line):
                    add(s)
    return sample


def _make_article(rng: random.Random, sample: Sample, date: dt.date, page: int, order: int,
                  used_slugs: set[str]) -> SynthArticle:
    city = rng.choice(CITIES)
    topic = rng.choice(TOPICS)
    roll = rng.random()
    if roll < 0.25:
        title = rng.choice(sample.titles)
    elif roll < 0.6:
        title = f"{city}{rng.choice(VERBS)}{topic}{rng.choice(ENDINGS)}"
    else:
        title = f"{city}：{topic}{rng.choice(ENDINGS)}"
    kicker = rng.choice(sample.kickers) if rng.random() < 0.3 else ""
    authors = rng.sample(sample.authors, k=rng.randint(1, 3))
    correspondents = rng.sample(sample.authors, k=1) if rng.random() < 0.2 else []
    paragraphs: list[str] = []
    for _ in range(rng.randint(2, 8)):
        paragraphs.append("".join(rng.sample(sample.sentences, k=rng.randint(1, 4))))
    if rng.random() < 0.5:  # let the title's city and topic occur in the body, as in real news
        paragraphs[0] = f"{city}{rng.choice(VERBS)}{topic}。" + paragraphs[0]
    subheads = {}
    if len(paragraphs) > 4 and rng.random() < 0.4:
        subheads[len(paragraphs) // 2] = f"{rng.choice(VERBS)}{rng.choice(TOPICS)} {rng.choice(ENDINGS)}"
    body = "".join(paragraphs)
    cities = [city, *[c for c in CITIES if c != city and c in body][:2]]
    topics = [topic, *[t for t in TOPICS if t != topic and t in body][:2]]
    base = f"{date:%Y%m%d}-{page_label(page)}-{pinyin_slug(title, max_len=40) or 'article'}"
    slug, n = base, 2
    while slug in used_slugs:
        slug, n = f"{base}-{n}", n + 1
    used_slugs.add(slug)
    return SynthArticle(date, page, order, title, kicker, authors, correspondents, paragraphs,
                        subheads, cities, topics, slug)


def generate(days: int, pages: int, per_page: int, seed: int = 1,
             start: dt.date = dt.date(2024, 1, 1)) -> Iterator[list[SynthArticle]]:
    """Yield one edition (a list of articles) per day, ``per_page`` ± 2 articles a page."""
    sample = load_sample()
    rng = random.Random(seed)
    used: set[str] = set()
    for d in range(days):
        date = start + dt.timedelta(days=d)
        edition = []
        for page in range(1, pages + 1):
            count = max(1, per_page + rng.randint(-2, 2))
            edition.extend(_make_article(rng, sample, date, page, order, used)
                           for order in range(1, count + 1))
        yield edition


def md_escape(text: str) -> str:
    return MD_SPECIAL.sub(r"\\\1", text)


def to_markdown(art: SynthArticle, paper: str, paper_name: str, issue: int, pages: int) -> str:
    meta = [("Title", art.title), ("Kicker", art.kicker), ("Authors", join_list(art.authors)),
            ("Correspondents", join_list(art.correspondents)), ("Date", art.date.isoformat()),
            ("Paper", paper_name), ("PaperSlug", paper), ("Issue", str(issue)),
            ("Page", str(art.page)), ("Pages", str(pages)), ("Section", SECTIONS.get(art.page, "综合")),
            ("Order", str(art.order)), ("Cities", join_list(art.cities)),
            ("Topics", join_list(art.topics)), ("Slug", art.slug),
            ("Summary", art.paragraphs[0][:60]),
            ("Source", f"synthetic/{art.date.isoformat()}/{page_label(art.page)}.txt:{art.order}")]
    head = "\n".join(f"{k}: {v}" for k, v in meta if v)
    blocks = []
    for i, para in enumerate(art.paragraphs):
        if i in art.subheads:
            blocks.append("### " + md_escape(art.subheads[i]))
        blocks.append(md_escape(para))
    return head + "\n\n" + "\n\n".join(blocks) + "\n"


def _cn_page(n: int) -> str:
    if n <= 10:
        return CN_DIGITS[n]
    return ("" if n < 20 else CN_DIGITS[n // 10]) + "十" + (CN_DIGITS[n % 10] if n % 10 else "")


def to_raw_page(articles: list[SynthArticle], paper_name: str, issue: int, pages: int,
                rng: random.Random) -> str:
    """One page dump: masthead (page 1) or folio, ``##`` headlines, bylines, column cuts."""
    date = articles[0].date
    page = articles[0].page
    out: list[str] = []
    if page == 1:
        out += [f"{date.year}年{date.month}月{date.day}日 星期{WEEKDAYS[date.weekday()]}  ",
                f"今日{pages}版 第{issue}期  ", "国内统一连续出版物号:CN 33-0001 邮发代号:31-1", "",
                f"{paper_name}报业集团  ", "ZHEJIANG DAILY PRESS GROUP", ""]
    else:
        out += [f"{date.year}年{date.month}月{date.day}日 星期{WEEKDAYS[date.weekday()]}", "",
                page_label(page), "", SECTIONS.get(page, "综合"), ""]
    for art in articles:
        head = f"{art.kicker} {art.title}" if art.kicker else art.title
        out += [f"## {head}", "", "本报记者 " + " ".join(art.authors), ""]
        for i, para in enumerate(art.paragraphs):
            if i in art.subheads:
                out += [f"### {art.subheads[i]}", ""]
            if len(para) > 80 and rng.random() < 0.3:  # a column cut in mid-sentence
                cut = rng.randint(20, len(para) - 20)
                out += [para[:cut], "", para[cut:], ""]
            else:
                out += [para, ""]
        if art.order == 1 and page < pages and rng.random() < 0.3:
            out += [f"(下转第{_cn_page(page + 1)}版)", ""]
    return "\n".join(out).rstrip() + "\n"


def write_corpus(out: Path, days: int, pages: int, per_page: int, fmt: str = "content",
                 seed: int = 1, paper: str = "zjrb", paper_name: str = "浙江日报",
                 start: dt.date = dt.date(2024, 1, 1)) -> int:
    """Write the corpus under ``out/<paper>``; returns the number of articles."""
    total = 0
    rng = random.Random(seed + 1)
    for n, edition in enumerate(generate(days, pages, per_page, seed, start)):
        issue = 27000 + n
        date = edition[0].date
        if fmt == "content":
            for art in edition:
                path = out / paper / date.isoformat() / page_label(art.page) / f"{art.slug}.md"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(to_markdown(art, paper, paper_name, issue, pages), encoding="utf-8")
        else:
            for page in range(1, pages + 1):
                arts = [a for a in edition if a.page == page]
                path = out / paper / date.isoformat() / f"{page_label(page)}.txt"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(to_raw_page(arts, paper_name, issue, pages, rng), encoding="utf-8")
        total += len(edition)
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--per-page", type=int, default=7)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--format", choices=["content", "raw"], default="content")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--paper", default="zjrb")
    ap.add_argument("--start", default="2024-01-01", help="first edition's date")
    args = ap.parse_args(argv)
    n = write_corpus(args.out, args.days, args.pages, args.per_page, args.format, args.seed,
                     args.paper, start=dt.date.fromisoformat(args.start))
    print(f"wrote {n} articles ({args.format}) under {args.out / args.paper}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
