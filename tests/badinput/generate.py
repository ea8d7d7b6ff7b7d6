"""Generate the bad-input corpus: every way a page dump arrives broken, doubled or hostile.

    python tests/badinput/generate.py DIR [--skip-huge]

writes one folder per case, ``DIR/<case>/raw/<paper>/...`` (a raw tree the converter
reads), and ``DIR/cases.json``, the table of expected outcomes.  The dumps are built
from the bundled sample (``raw/zjrb/2024-03-17/01.txt``) and from text written here,
never kept as blobs, so the corpus is reproducible byte for byte.

Each case expects one of:

* ``converted`` — the converter writes articles (or, for an empty dump, nothing) and
  reports ``code`` (a warning or note code; ``""`` when the dump is clean);
* ``refused`` — the converter refuses the dump (or the command line) with a message
  containing ``code``, and names the file (or the option) it refuses.

``HOSTILE`` are the strings that must never run in a reader's browser; the security
test plants them too.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "raw" / "zjrb" / "2024-03-17" / "01.txt"
PAPER_TOML = ROOT / "raw" / "zjrb" / "paper.toml"
HUGE_BYTES = 50 * 1024 * 1024 + 1

#: Hostile strings: each sets ``window.__pwned`` (or loads an external URL) if it ever runs.
HOSTILE: list[str] = [
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=1\">",
    "<svg onload=window.__pwned=1>",
    "<iframe src=\"javascript:window.__pwned=1\"></iframe>",
    "<a href=\"javascript:window.__pwned=1\">点此</a>",
    "[点此](javascript:window.__pwned=1)",
    "![图](https://evil.example/x.png)",
    "[外链](https://evil.example/)",
    "<https://evil.example/auto>",
    "\"><script>window.__pwned=1</script>",
    "</title><script>window.__pwned=1</script>",
    "'-alert(1)-'",
    "{{ 7*7 }}",
    "{% if true %}JINJA{% endif %}",
    "${7*7}",
    "<style>body{display:none}</style>",
    "javascript:window.__pwned=1",
]

#: What a reader sees of each hostile string once the converter has read the layout tool's
#: markup (tags, links, picture references are decoration, not text), and the part of it the
#: report must name as dropped ("" when the string is plain text and shows as it is).
HOSTILE_SHOWN: dict[str, tuple[str, str]] = {
    "<script>window.__pwned=1</script>": ("", "<script>window.__pwned=1</script>"),
    "<img src=x onerror=\"window.__pwned=1\">": ("", "onerror"),
    "<svg onload=window.__pwned=1>": ("", "<svg onload=window.__pwned=1>"),
    "<iframe src=\"javascript:window.__pwned=1\"></iframe>": ("", "<iframe"),
    "<a href=\"javascript:window.__pwned=1\">点此</a>": ("点此", "javascript:window.__pwned=1"),
    "[点此](javascript:window.__pwned=1)": ("点此", "javascript:window.__pwned=1"),
    "![图](https://evil.example/x.png)": ("", "https://evil.example/x.png"),
    "[外链](https://evil.example/)": ("外链", "https://evil.example/"),
    "<https://evil.example/auto>": ("<https://evil.example/auto>", ""),
    "\"><script>window.__pwned=1</script>": ("\">", "<script>window.__pwned=1</script>"),
    "</title><script>window.__pwned=1</script>": ("</title>", "<script>window.__pwned=1</script>"),
    "'-alert(1)-'": ("'-alert(1)-'", ""),
    "{{ 7*7 }}": ("{{ 7*7 }}", ""),
    "{% if true %}JINJA{% endif %}": ("{% if true %}JINJA{% endif %}", ""),
    "${7*7}": ("${7*7}", ""),
    "<style>body{display:none}</style>": ("", "<style>body{display:none}</style>"),
    "javascript:window.__pwned=1": ("javascript:window.__pwned=1", ""),
}
assert list(HOSTILE_SHOWN) == HOSTILE

# Metadata lines Pelican would read if they started the file or a paragraph were parsed as header.
METADATA_LINES = ["Title: 伪造的标题", "Slug: ../../evil", "Status: draft", "Template: ../../../etc/passwd"]


@dataclass
class Case:
    """One bad input: the files of a raw tree, CLI options, and the expected outcome."""

    name: str
    files: dict[str, bytes | str]  # path under raw/<paper>/ -> bytes (str: UTF-8)
    expect: str  # "converted" or "refused"
    code: str = ""  # warning/note code (converted) or message fragment (refused)
    args: list[str] = field(default_factory=list)
    paper: str = "zjrb"
    why: str = ""
    shown: list[str] = field(default_factory=list)  # text that must appear (unescaped) in the articles
    reported: list[str] = field(default_factory=list)  # text the report must name as dropped
    min_articles: int = 0
    slow: bool = False

    def table_row(self) -> dict:
        row = asdict(self)
        row.pop("files")
        row["files"] = sorted(self.files)
        return row


def sample() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def _article(title: str, body: str, byline: str = "本报记者 张三") -> str:
    return f"## {title}\n\n{byline}\n\n{body}\n\n"


def _masthead(date: str = "2024年3月17日 星期日") -> str:
    return f"{date}\n\n今日4版 第27323期\n\n浙江日报报业集团\n\n"


def hostile_dump() -> str:
    """One dump with every hostile string in a title, byline line, caption and body."""
    parts = []
    for i, s in enumerate(HOSTILE, start=1):
        # A kicker over the title: with the hostile string after it, the byline line no longer
        # reads as one, and the two decks still open a story.
        parts.append(f"### 引题{i}\n\n## 第{i}篇标题{s}\n\n本报记者 张三{s}\n\n{s}张三 摄\n\n正文开始{s}正文结束。\n\n")
    return "".join(parts)


def cases(with_huge: bool = True) -> list[Case]:
    """The corpus, in a fixed order."""
    s = sample()
    sb = s.encode("utf-8")
    out: list[Case] = []
    add = out.append
    day = "2024-03-17"
    add(Case("empty", {f"{day}/01.txt": b""}, "converted", "empty-dump", why="nothing to convert, said so"))
    add(Case("whitespace-only", {f"{day}/01.txt": b" \t\n\n\xe3\x80\x80\r\n  \n"}, "converted", "empty-dump"))
    add(Case("binary", {f"{day}/01.txt": bytes(range(256)) * 64}, "refused", "looks binary"))
    add(Case("binary-png-named-txt", {f"{day}/01.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)},
             "refused", "looks binary"))
    cut = sb[:len(sb) // 2]
    while (cut[-1] & 0xC0) == 0x80 or cut[-1] < 0x80:  # end inside a multi-byte character
        cut = cut[:-1]
    add(Case("truncated-utf8", {f"{day}/01.txt": cut}, "converted", "invalid-utf8", min_articles=2))
    add(Case("gb18030", {f"{day}/01.txt": s.encode("gb18030")}, "converted", "encoding-guessed", min_articles=6))
    add(Case("utf16-bom", {f"{day}/01.txt": s.encode("utf-16")}, "converted", "", min_articles=6))
    add(Case("utf16-be-bom", {f"{day}/01.txt": b"\xfe\xff" + s.encode("utf-16-be")}, "converted", "",
             min_articles=6))
    add(Case("utf8-bom-crlf", {f"{day}/01.txt": b"\xef\xbb\xbf" + s.replace("\n", "\r\n").encode()}, "converted",
             "", min_articles=6))
    add(Case("lone-cr", {f"{day}/01.txt": s.replace("\n", "\r").encode()}, "converted", "", min_articles=6))
    lines = s.split("\n")
    mixed = "".join(ln + ("\n", "\r\n", "\r")[i % 3] for i, ln in enumerate(lines))
    add(Case("mixed-line-ends", {f"{day}/01.txt": mixed.encode()}, "converted", "", min_articles=6))
    add(Case("bad-utf16-bom", {f"{day}/01.txt": b"\xff\xfe" + b"\x00\xd8" + b"a\x00"}, "refused",
             "does not decode as utf-16"))
    add(Case("not-utf8-not-gb18030", {f"{day}/01.txt": bytes([0x81, 0x30, 0x81, 0xff]) * 400}, "refused",
             "neither UTF-8 nor GB18030"))
    if with_huge:
        body = s[s.index("## 传统产业"):]
        copies = HUGE_BYTES // len(body.encode()) + 1
        add(Case("huge-50mb", {f"{day}/01.txt": (s + ("\n\n" + body) * copies).encode()}, "refused",
                 "KB of text, more than a printed page can (limit 200 KB", args=["--quiet"], slow=True,
                 why="several pages run together, or no page at all: refused with its size, nothing written"))

    def many(n: int) -> str:
        return _masthead() + "".join(_article(f"第{i}条新闻的标题", f"这是第{i}条新闻的正文,内容完整。")
                                     for i in range(n))

    add(Case("page-with-50-articles", {f"{day}/01.txt": many(50)}, "converted", "", min_articles=50,
             why="a page of briefs at the limit of 50 stories a page is converted"))
    add(Case("page-with-500-articles", {f"{day}/01.txt": many(500)}, "refused",
             "holds 500 stories (", why="more stories than a printed page carries: refused with the numbers"))
    long_title = "长" * 1000 + "标题" * 500
    add(Case("headline-2000-chars", {f"{day}/01.txt": _article(long_title, "正文一句。")}, "converted", "",
             min_articles=1, shown=[long_title]))
    add(Case("no-paragraphs", {f"{day}/01.txt": _masthead() + "## 只有标题\n\n## 另一个标题\n\n### 还有副题\n"},
             "converted", "", min_articles=1, shown=["只有标题", "另一个标题"]))
    add(Case("masthead-only", {f"{day}/01.txt": _masthead()}, "converted", "no-articles"))
    add(Case("two-dumps-same-page", {f"{day}/01.txt": s, "night-shift/zjrb-2024-03-17-01.txt": s}, "refused",
             "is an older dump of page 1 of 2024-03-17 than", min_articles=6,
             why="the newer of the two (by modification time) is converted, the older refused and named"))
    add(Case("masthead-disagrees-with-path", {"2024-03-18/01.txt": s}, "converted", "facts-disagree",
             min_articles=6))
    add(Case("masthead-disagrees-page", {f"{day}/03.txt": s}, "converted", "facts-disagree", min_articles=6))
    add(Case("no-date-anywhere", {"misc/notes.txt": _article("标题", "正文。")}, "refused", "no edition date"))
    titles = ("同一个标题", "同一个标题", "同一个标题", "实事", "时事", "石狮", "Title")
    collide = "".join(_article(t, f"关于{t}的报道正文。") for t in titles)
    add(Case("slugs-collide", {f"{day}/01.txt": collide}, "converted", "", min_articles=7,
             shown=["同一个标题", "实事", "时事", "石狮"]))
    add(Case("hostile-markup", {f"{day}/01.txt": hostile_dump()}, "converted", "markup-dropped",
             min_articles=len(HOSTILE), shown=[v for v, _ in HOSTILE_SHOWN.values() if v],
             reported=[r for _, r in HOSTILE_SHOWN.values() if r],
             why="markup is the layout tool's decoration: read, never shown live; what is dropped is reported"))
    md = ("## 链接和图片[点此](http://x.example)\n\n本报记者 张三\n\n正文里有[链接](https://evil.example/)和"
          "![图片](https://evil.example/x.png)以及<https://evil.example/auto>,还有**粗体**和`代码`。\n\n"
          "> 这是一行看起来像引用的正文句子。\n\n- 这是一行看起来像列表的正文句子。\n\n"
          "1. 这是一行看起来像编号列表的正文。\n\n| 表头一 | 表头二 | 表头三 |\n\n"
          "=== 这一行在标记语言里是标题下划线 ===\n\n```python 这一行像代码块的开头```\n")
    add(Case("markdown-syntax", {f"{day}/01.txt": md}, "converted", "link-dropped", min_articles=1,
             shown=["链接和图片点此", "正文里有链接和", "以及<https://evil.example/auto>", "还有粗体和`代码`",
                    "> 这是一行看起来像引用的正文句子。", "- 这是一行看起来像列表的正文句子。",
                    "1. 这是一行看起来像编号列表的正文。", "| 表头一 | 表头二 | 表头三 |",
                    "=== 这一行在标记语言里是标题下划线 ===", "```python 这一行像代码块的开头```"],
             reported=["http://x.example", "https://evil.example/", "https://evil.example/x.png"],
             why="links, pictures and emphasis are read as the tool's markup; addresses are reported"))
    add(Case("markdown-short-lines", {f"{day}/01.txt": "## 标题\n\n正文一句。\n\n---\n\n```\n\n> 引\n"},
             "converted", "orphan-fragment-dropped", min_articles=1,
             why="short syntax-only lines are reported as dropped fragments, with their text"))
    meta = "## 元数据\n\n本报记者 张三\n\n" + "".join(f"{m}\n\n正文一句。\n\n" for m in METADATA_LINES)
    add(Case("pelican-metadata-lines", {f"{day}/01.txt": meta}, "converted", "", min_articles=1,
             shown=METADATA_LINES))
    meta_top = "".join(f"{m}\n" for m in METADATA_LINES) + "\n## 标题\n\n正文一句。\n"
    add(Case("metadata-lines-at-top", {f"{day}/01.txt": meta_top}, "converted", "headline-missing", min_articles=1,
             shown=METADATA_LINES))
    jinja = ("## {{ SITENAME }}标题{% raw %}\n\n本报记者 张三\n\n正文{{ 7*7 }}和{% for x in range(3) %}{{ x }}"
             "{% endfor %}以及{# 注释 #}。\n")
    add(Case("jinja-syntax", {f"{day}/01.txt": jinja}, "converted", "", min_articles=1,
             shown=["{{ SITENAME }}标题{% raw %}", "{{ 7*7 }}", "{% for x in range(3) %}", "{# 注释 #}"]))
    dots = "## ../../../../etc/passwd\n\n本报记者 张三\n\n正文。\n\n## ..\\..\\windows\\system32\n\n本报记者 李四\n\n" \
           "正文二。\n\n## /etc/shadow\n\n本报记者 王五\n\n正文三。\n\n## ..\n\n本报记者 赵六\n\n正文四。\n"
    add(Case("dotdot-in-titles", {f"{day}/01.txt": dots}, "converted", "", min_articles=4,
             shown=["../../../../etc/passwd", "..\\..\\windows\\system32", "/etc/shadow"]))
    add(Case("dotdot-in-file-name", {f"{day}/01..txt": _article("文件名", "正文。")}, "refused",
             "is not a page number: a dump in a date folder is named PP.txt",
             why="the page number cannot be read from a mangled name: refused, named, with the name it should have"))
    add(Case("dotdot-in-folder-name", {f"..{day}../02.txt": _article("文件夹名", "正文。")}, "refused",
             "no edition date"))
    add(Case("dotdot-in-paper-folder", {f"{day}/01.txt": s}, "refused", "is not a folder name", paper="..evil"))
    add(Case("dotdot-in-paper-option", {f"{day}/01.txt": s}, "refused", "is not a folder name",
             args=["--paper", "../../evil"]))
    add(Case("dotdot-in-date-option", {"misc/x.txt": _article("标题", "正文。")}, "refused",
             "is not a date", args=["--date", "../../../evil", "--page", "1"]))
    add(Case("impossible-date-option", {"misc/x.txt": _article("标题", "正文。")}, "refused",
             "is not a date", args=["--date", "2024-02-30", "--page", "1"]))
    add(Case("nul-in-text", {f"{day}/01.txt": s.encode()[:3000] + b"\x00" + s.encode()[3000:3300]}, "refused",
             "looks binary"))
    ctrl = _article("控制\u200b字符\u202e反向", "正文\x07响铃\x1b[31m红色\u2028分隔\ufeff结束。")
    add(Case("control-chars-and-invisibles", {f"{day}/01.txt": ctrl}, "converted", "", min_articles=1))
    return out


def write_case(root: Path, case: Case) -> Path:
    """Write one case's raw tree under ``root/<case>/raw/<paper>``; return that folder."""
    raw = root / case.name / "raw" / case.paper
    raw.mkdir(parents=True, exist_ok=True)
    shutil.copy(PAPER_TOML, raw / "paper.toml")
    for rel, data in case.files.items():
        path = raw / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return raw


def generate(root: Path, with_huge: bool = True) -> list[Case]:
    """Write the whole corpus and its table (``cases.json``) into ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    corpus = cases(with_huge)
    for case in corpus:
        write_case(root, case)
    (root / "cases.json").write_text(json.dumps([c.table_row() for c in corpus], ensure_ascii=False, indent=1),
                                     encoding="utf-8")
    return corpus


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--skip-huge", action="store_true", help="leave out the 50 MB dump")
    args = ap.parse_args(argv)
    corpus = generate(args.out, with_huge=not args.skip_huge)
    for c in corpus:
        print(f"{c.name:32} {c.expect:9} {c.code}")
    print(f"{len(corpus)} cases -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
