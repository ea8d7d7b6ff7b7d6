"""What the converter tells the editor, in Chinese (the editors' language) or English.

Every warning, error and note has a stable ``code`` (for scripts) and named ``params``;
its sentence is made here, from a template per code and language, so the stages only say
what happened.  ``EPAPER_LANG=en`` (or ``--lang en``) switches the report to English.
"""

from __future__ import annotations

import os

#: code -> (中文, English); ``{name}`` fields are the issue's params.
MESSAGES: dict[str, tuple[str, str]] = {
    # reading the file
    "refused-unreadable": ("无法读取：{reason}", "cannot be read: {reason}"),
    "refused-too-large": ("{size} MB，超过单版 {limit} MB 的上限（请拆分，或调大 converters.page_pipeline.MAX_BYTES）",
                          "is {size} MB, over the {limit} MB limit for one page dump (split it, or raise "
                          "converters.page_pipeline.MAX_BYTES)"),
    "refused-binary": ("是二进制文件（含 NUL 或控制字节），不是版面文本（可能是 Word 或 PDF 文件改了扩展名）",
                       "looks binary (NUL or control bytes), not a text dump (a Word or PDF file renamed?)"),
    "refused-bad-bom": ("带有 {encoding} 字节顺序标记，却不能按 {encoding} 解码：{reason}",
                        "has a {encoding} byte-order mark but does not decode as {encoding}: {reason}"),
    "refused-encoding": ("既不是 UTF-8 也不是 GB18030（第 {line} 行起无法解码）",
                         "is neither UTF-8 nor GB18030 (first undecodable byte at line {line})"),
    "refused-duplicate": ("与 {kept} 是同一版（{date} 第 {page} 版）且较旧：未转换，请删除其中一份",
                          "is an older dump of page {page} of {date} than {kept}: not converted (remove one)"),
    "refused-duplicate-faulty": ("与 {kept} 是同一版（{date} 第 {page} 版），但本文件的报头有误：未转换，请删除其中一份",
                                 "is a dump of page {page} of {date} like {kept}, but its masthead is wrong: not "
                                 "converted (remove one)"),
    "invalid-utf8": ("{count} 处无法解码的字节已替换为 U+FFFD，第一处在第 {line} 行",
                     "{count} undecodable byte sequence(s) replaced by U+FFFD, first at line {line}"),
    "encoding-guessed": ("不是 UTF-8，已按 GB18030 解码", "not UTF-8; decoded as GB18030"),
    "empty-dump": ("文件为空（没有文字），无可转换", "the dump is empty (no text): nothing to convert"),
    "refused-not-a-page": ("有 {size} KB 文字，一版印不下（上限 {limit} KB；一整版正文约 60 KB）：未转换；"
                           "请确认不是几版连在一起，拆成每版一个文件",
                           "holds {size} KB of text, more than a printed page can (limit {limit} KB; a full page of "
                           "body type is about 60 KB): not converted; check it is not several pages run together, "
                           "and split it into one file a page"),
    "refused-too-many-stories": ("有 {stories} 篇稿件（{size} KB），一版容不下（上限 {limit} 篇）：未转换；"
                                 "请确认不是几版连在一起，拆成每版一个文件",
                                 "holds {stories} stories ({size} KB), more than a printed page does (limit "
                                 "{limit}): not converted; check it is not several pages run together, and split "
                                 "it into one file a page"),
    "dump-renamed": ("{old} 改名为 {new}：仍是 {date} 第 {page} 版，{stories} 篇稿件沿用原文件",
                     "{old} was renamed {new}: still page {page} of {date}, its {stories} stories keep their files"),
    "dump-removed": ("{old} 已从 raw/ 删除：{date} 第 {page} 版的 {stories} 篇稿件随之删去（发布检查认作有意删除）",
                     "{old} was removed from raw/: page {page} of {date} and its {stories} stories go with it "
                     "(the publish check takes it as removed on purpose)"),
    # the page PDF (converters/pdf)
    "pdf-unusable": ("{file} 无法使用（{reason}）：本版{fallback_zh}", "{file} cannot be used ({reason}); {fallback}"),
    "pdf-no-text": ("{file} 没有文字层（只有 {chars} 个字符，可能是扫描件）：本版{fallback_zh}",
                    "{file} has no text layer (only {chars} characters: a scan?); {fallback}"),
    "pdf-garbled": ("{file} 的文字层不可信（{chars} 个字符中 {bad} 个没有 Unicode 编码，字体缺少映射）：本版{fallback_zh}",
                    "{file}'s text layer cannot be trusted ({bad} of {chars} glyphs have no Unicode value: a font "
                    "without a Unicode map); {fallback}"),
    "pdf-scanned": ("{file} 是扫描图像加文字层（OCR）：文字以该文字层为准，扫描中的照片不单独取出，请核对",
                    "{file} is a scanned image of the page under a text layer (OCR): its text is as that layer has "
                    "it, and the scan's photos are not taken out as pictures; check the page"),
    "pdf-dump-disagree": ("{file} 的文字与版面文件只有 {share} 相同（文字层乱码或不是同一版）：本版按版面文件转换",
                          "{file}'s text shares only {share} of its characters with the dump (a garbled text layer, "
                          "or another page): the page is converted from the dump"),
    "pdf-figure-unplaced": ("图片 {src}：版面文件中它所在的稿件在 PDF 里找不到：未放入稿件，请手工补上",
                            "picture {src}: the dump's story it belongs to is not among the PDF's stories: "
                            "not placed; add it by hand"),
    "pdf-dump-differ": ("{file} 的文字与版面文件有出入（{share} 相同）：结构以 PDF 为准，请核对",
                        "{file}'s text differs from the dump's ({share} of characters shared): the PDF decided the "
                        "structure; check the page"),
    # edition facts
    "facts-disagree": ("{field_zh}：{first_zh}为 {first_value}，{second_zh}为 {second_value}；采用{first_zh}",
                       "{field}: {first} says {first_value}, {second} says {second_value}; using {first}"),
    "masthead-date-suspect": ("报头日期 {masthead} 与报头的{checks_zh}不符，而它们与文件夹日期 {path} 相符：采用 {path}",
                              "masthead date {masthead} disagrees with its {checks}, which fit the folder's "
                              "date {path}: using {path}"),
    "masthead-date-inconsistent": ("报头日期 {masthead} 与报头的{checks_zh}不符，也没有别的日期（文件夹）与之相符：未转换，请核对报头",
                                   "masthead date {masthead} disagrees with its {checks}, which fit no other date "
                                   "(the folder's) either: not converted (check the masthead)"),
    "masthead-date-impossible": ("报头日期“{text}”不存在（{why_zh}）：未转换，请改正报头这一行",
                                 "the masthead's date {text!r} cannot be ({why}): not converted (correct this line "
                                 "of the masthead)"),
    "bad-date": ("出版日期 {date!r} 不是 YYYY-MM-DD 格式的日期", "edition date {date!r} is not a date YYYY-MM-DD"),
    "no-date": ("没有出版日期：报头、文件路径（…/YYYY-MM-DD/PP.txt）和选项（--date）都没有",
                "no edition date: not in the masthead, the file path (…/YYYY-MM-DD/PP.txt) or the options (--date)"),
    "file-name-not-page": ("文件名“{name}”不是版次：日期文件夹里的版面文件应叫 PP.txt（两位版次），版头也没有版次；"
                           "请改名为 {expected}",
                           "the file name {name!r} is not a page number: a dump in a date folder is named PP.txt "
                           "(two-digit page), and no folio gives the page either; rename it {expected}"),
    "file-name-odd": ("文件名“{name}”不是 PP.txt：按报头/版头当作第 {page} 版；请改名为 {expected}（或删去重复的一份）",
                      "the file name {name!r} is not PP.txt: taken as page {page}, as its folio says; rename it "
                      "{expected} (or remove the duplicate)"),
    "file-not-a-dump": ("{file} 不是版面文件：日期文件夹里放 PP.txt（版面文字）或 PP.pdf（版面 PDF），如 {expected}；"
                        "此文件未读取",
                        "{file} is not a page dump: a date folder holds PP.txt (the page's text) or PP.pdf (the "
                        "printed page), e.g. {expected}; this file was not read"),
    "no-page": ("没有版次：版头、文件路径和选项（--page）都没有",
                "no page number: not in a folio, the file path or the options (--page)"),
    "duplicate-page": ("{date} 第 {page} 版已由 {other} 转换：本文件未转换（删除其中一份）",
                       "page {page} of {date} is already converted from {other}; this dump was not converted "
                       "(remove one of them)"),
    "edition-disagree": ("同一期的各版对{what_zh}说法不一：{values}", "pages of one edition claim different {what} {values}"),
    "no-paper-toml": ("没有 raw/{paper}/paper.toml：报名、刊号、版名无从得知（网站标题将是“{paper}”）；"
                      "按 docs/new-paper.md 建一个",
                      "no raw/{paper}/paper.toml: the paper's name, CN number and page names are unknown (the site "
                      "is titled \"{paper}\"); make one as docs/new-paper.md says"),
    "paper-name-unknown": ("报头上的报名“{name}”不在 paper.toml 里：已采用它；请把它写进 raw/{paper}/paper.toml",
                           "the masthead names the paper \"{name}\", which paper.toml lacks: used it; add it to "
                           "raw/{paper}/paper.toml"),
    # articles
    "no-articles": ("本版没有找到稿件", "no article found in this dump"),
    "headline-missing": ("稿件在文件中没有标题（{why_zh}）：标题据导语拟", "article without a headline in the dump ({why}); "
                         "title inferred from the lead"),
    "headline-missing-split": ("署名 {names} 在正文之后：从第 {at} 行起另成一篇（标题不在文件中，据导语拟）",
                               "byline {names} after the body: article split off at line {at} (its headline is not "
                               "in the dump; title inferred)"),
    "orphan-byline-dropped": ("署名 {names} 出现在所有稿件之前，无所归属", "byline {names} before any article"),
    "orphan-byline-extra": ("署名 {names} 在已有署名的正文之后：一并署上", "byline {names} after a body that already "
                            "has one; credited to it"),
    "orphan-byline-attached": ("署名 {names} 在正文之后：署给第 {at} 行起的稿件", "byline {names} after the body "
                               "credited to the article starting at line {at}"),
    "orphan-fragment-dropped": ("孤立的片段“{text}”已删去（{reason_zh}）", "orphan fragment {text!r} dropped ({reason})"),
    "orphan-caption-dropped": ("图片说明“{text}”后面没有稿件可归属", "caption {text!r} with no article to belong to"),
    "empty-article-dropped": ("第 {at} 行起没有标题也没有正文，只有“{left}”：已删去",
                              "no headline or text at line {at}, only {left!r}; dropped"),
    "jump-without-article": ("转版行 {text} 出现在所有稿件之前", "jump line {text} before any article"),
    "jump-target-missing": ("{word_zh}第 {target} 版，但该版不在存档中", "{word} page {target}, target not in archive"),
    "jump-unmatched": ("上接第 {from_page} 版，但该版没有转到第 {page} 版的稿件：标题据导语拟",
                       "continued from page {from_page}, but no story there jumps to page {page}: its headline is "
                       "inferred"),
    "jump-continuation-missing": ("转至第 {target} 版，但该版上接第 {page} 版的稿件只有 {found} 篇（本版转去 {sent} 篇）",
                                  "jumps to page {target}, but that page continues {found} of the {sent} stories "
                                  "this page sends there"),
    "jump-linked": ("上接第 {from_page} 版：{title}（{names}）", "continued from page {from_page}: {title} ({names})"),
    "doubled-word-removed": ("“{word}”在分栏处重复，只保留一次", "word {word!r} repeated across a column cut, written once"),
    "body-starts-mid-sentence": ("正文从半句开始：开头不在本文件中（{text}…）",
                                 "body starts mid-sentence: its opening is not in this dump ({text}…)"),
    "body-ends-mid-sentence": ("正文在半句处结束（…{text}），也没有转版行说明下文在哪",
                               "body ends mid-sentence (…{text}) and no jump line says where it continues"),
    # layout tools' markup and pictures
    "comment-dropped": ("排版工具的注释 <!-- {text} --> 已删去", "tool comment <!-- {text} --> dropped"),
    "markup-dropped": ("文件中的 <{tag}>：{what_zh}", "<{tag}> in the dump: {what}"),
    "markup-stripped": ("删去排版工具的 {count} 个行内标记（锚点、强调），文字保留",
                        "{count} inline tags of the layout tool (anchors, emphasis) removed, their text kept"),
    "markup-attribute-dropped": ("<{tag}> 的属性里有文字，已随标记删去", "<{tag}> with text in its attributes removed"),
    "link-dropped": ("链接 {address}：保留文字，删去地址", "link to {address}: its text kept, the address dropped"),
    "hard-wrap-joined": ("按栏宽断开的 {count} 行已接回段落", "{count} lines cut at the column width rejoined into "
                         "their paragraphs"),
    "columns-side-by-side": ("文件把相邻各栏并排写在同一行：已按栏间空白分出 {count} 栏，逐栏读出",
                             "the dump sets neighbouring columns side by side on each line: split at the gutters "
                             "into {count} columns and read column by column"),
    "columns-interleaved": ("阅读顺序不可靠：{total} 行正文中有 {count} 行把相邻两栏的文字写在同一行里（排版工具没有留出栏间空白），"
                            "稿件可能前后错乱、互相混杂；把该版的 PDF（与文件同名的 .pdf）放在文件旁，即可按版面读出",
                            "reading order unreliable: {count} of {total} lines of text hold two neighbouring "
                            "columns on one line (the layout tool kept no gutter between them), so stories may be "
                            "scrambled or run into each other; put the page's PDF (the dump's name, .pdf) beside "
                            "the dump to read the page from its layout"),
    "columns-alternating": ("阅读顺序不可靠：{total} 段正文中有 {count} 段只有一两行、在半句处断开，下文在别处（排版工具把相邻各栏的行轮流写出），"
                            "稿件可能前后错乱、互相混杂；把该版的 PDF（与文件同名的 .pdf）放在文件旁，即可按版面读出",
                            "reading order unreliable: {count} of {total} chunks of text are one or two lines cut "
                            "off mid-sentence, their rest elsewhere (the layout tool wrote the lines of neighbouring "
                            "columns in turns), so stories may be scrambled or run into each other; put the page's "
                            "PDF (the dump's name, .pdf) beside the dump to read the page from its layout"),
    "columns-unwoven": ("已按语句的接续把轮流写出的各栏的行逐栏读回（{count} 栏），仍请核对，或把该版的 PDF 放在文件旁",
                        "the lines written in turns read back column by column ({count} columns) by how their "
                        "sentences run on; check the page, or put the page's PDF beside the dump"),
    "columns-merged-rows": ("文件把并排各栏的行逐行连成一段（{count} 处）：已按文意分栏读出",
                            "the dump joins the lines of side-by-side columns row by row into one paragraph "
                            "({count} places): read back column by column by the flow of the text"),
    "passage-repeated": ("“{text}…”一段在文件中已出现过（排版工具重复写出）：删去重复",
                         "the passage \"{text}…\" was already given in full (the layout tool wrote it twice): "
                         "the repeat dropped"),
    "figure-missing": ("图片 {src} {problem_zh}：删去该引用", "picture {src!r} {problem}; the reference is dropped"),
    "page-staff": ("“{text}”是本版的编辑人员，不属于任何稿件", "\"{text}\" names the page's staff: no story's text"),
    "page-label": ("“{text}”是本版的栏题，不领起任何稿件", "\"{text}\" is a label of the page, heading no story"),
    "advert-skipped": ("广告“{text}”不作为稿件发布（版面图上仍可见）",
                       "the advertisement \"{text}\" is not published as a story (it stays on the printed page)"),
    "figure-placeholder": ("图片占位符没有对应文件：无图可显示", "a picture placeholder without a file: no picture to show"),
    "figure-alt-dropped": ("图片描述“{alt}”未显示（稿件已有图片说明）", "picture description {alt!r} not shown (the "
                           "story's caption is)"),
    # writing
    "path-outside-out": ("{rel} 会写到 {out} 之外：未写入", "{rel} would be written outside {out}; not written"),
    "hand-edited-kept": ("{rel} 已被手工修改：保持原样", "{rel} was edited by hand: left as it is"),
    "hand-edited-orphan": ("{rel} 已不再由本文件生成，但被手工修改过：保留", "{rel} is no longer produced from this dump but was edited by hand; left in place"),
    "hand-edited-dump-changed": ("{rel} 曾被手工修改，版面文件又有改动：手改保留，改动未采用（差异见下：采用后文件将这样变）；要采用：make html PAPER={paper} CONVERTOPTS=\"--take {rel}\"（手改会丢失）",
                                 "{rel} was edited by hand and the dump changed under it: the hand edit is kept, the change not taken (the diff shows what taking it would change); to take it: make html PAPER={paper} CONVERTOPTS=\"--take {rel}\" (the hand edit is lost)"),
    "hand-edited-facts-updated": ("{rel} 已被手工修改：只更新了 paper.toml 给出的 {keys}", "{rel} was edited by hand: only the {keys} paper.toml gives were updated in it"),
    # make publish
    "publish-loss": ("{date} 第 {page} 版：上次发布有 {then} 篇稿件，现在只有 {now} 篇（不见了：{files}），报告里也没有删除它的版面文件的记录",
                     "page {page} of {date}: published with {then} stories last time, {now} now (gone: {files}), "
                     "and the report records no removal of its dump"),
    # --take
    "take-no-match": ("--take {given}：{out} 下没有这个文件（写报告里的路径，如 {example}，或文件的完整路径）；什么也没转换",
                      "--take {given}: no such file under {out} (give the path the report shows, e.g. {example}, or "
                      "the file's full path); nothing was converted"),
    "take-taken": ("已采用：{rel} 现为版面文件给出的版本（手改已替换）",
                   "taken: {rel} is now what the dump gives (the hand edit is replaced)"),
    "take-not-edited": ("{rel} 没有手改，本就是版面文件给出的版本：无需 --take",
                        "{rel} was not edited by hand: it already is what the dump gives (no --take needed)"),
    "take-orphan": ("{rel} 已不由任何版面文件生成：无可采用；不要它就直接删除这个文件",
                    "{rel} is made by no dump any more: nothing to take; delete the file if it should go"),
    "story-kept-across-correction": ("标题改为“{title}”：仍是原稿件 {rel}（按版面位置和文字认定，文件名不变）",
                                     "the headline changed to {title!r}: still the story {rel} (matched by its place and text; its file keeps its name)"),
}

#: Words in messages that take a translation of their own (why, what, reasons).
WORDS: dict[str, str] = {
    "the dump is converted instead": "改按版面文件转换",
    "nothing of it is converted": "未转换",
    "a new dateline lead": "新的电头导语",
    "body after a jump line": "转版行之后的正文",
    "body with no headline before it": "前面没有标题的正文",
    "a piece of a title graphic, not body text": "标题图形的残片，不是正文",
    "a name-shaped line neither under a headline nor closing a story": "像人名的一行，既不在标题下也不在稿末",
    "issue numbers": "期号",
    "page counts": "版数",
    "paper names": "报名",
    "jump to": "转至",
    "continued from": "上接",
    "weekday": "星期",
    "lunar date": "农历日期",
    "masthead": "报头",
    "path": "文件路径",
    "options": "命令行选项",
    "date": "日期",
    "page": "版次",
    "issue": "期号",
    "pages_total": "版数",
    "paper": "报名",
    "lunar": "农历",
    "section": "版名",
    "cn": "刊号",
    "postal_code": "邮发代号",
    "weekday and lunar date": "星期和农历日期",
    "is a remote or non-file address (not fetched)": "是网络地址或非文件地址（不下载）",
    "points outside the dump's folder": "指向版面文件夹之外",
    "is not there": "不存在",
    "is not a picture file": "不是图片文件",
    "is too large": "太大",
    "could not be read": "无法读取",
    "with a script or an embedded object: the tag dropped, its text kept": "带脚本或嵌入对象：标记删去，文字保留",
    "with a script or an embedded object: dropped with its content": "带脚本或嵌入对象：连同内容删去",
    "not text of the page, dropped with its content": "不是版面文字，连同内容删去",
}

STATUS = {"converted": ("已转换", "converted"), "unchanged": ("未变", "unchanged"), "refused": ("拒收", "refused")}
SEVERITY = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "info")}


def language() -> str:
    """The report's language: ``EPAPER_LANG`` (``zh``, the default, or ``en``)."""
    return "en" if os.environ.get("EPAPER_LANG", "zh").lower().startswith("en") else "zh"


def render(code: str, params: dict, lang: str | None = None) -> str:
    """The sentence for ``code`` with ``params``, in ``lang`` (default: :func:`language`)."""
    lang = lang or language()
    zh, en = MESSAGES.get(code, ("{text}", "{text}"))
    values = dict(params)
    for key, value in list(values.items()):  # the Chinese of a word param, as key_zh; key_en for English
        if isinstance(value, str):
            values.setdefault(f"{key}_zh", WORDS.get(value, value))
            values.setdefault(f"{key}_en", value)
    template = zh if lang == "zh" else en
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return f"{code}: {params}"


def word(table: dict[str, tuple[str, str]], key: str, lang: str | None = None) -> str:
    zh, en = table.get(key, (key, key))
    return zh if (lang or language()) == "zh" else en
