"""The PDF reader on page templates unlike any it was developed on (issue 23).

Pages typeset here with WeasyPrint, each deliberately unlike tests/pdfset and
tests/printed/test_pdf_reader.py: another page size, a sans body at 8.5 and 11 pt, five and eight
column grids, gutters of 2 to 6 mm, headlines not bold, a kicker in the title's face but
smaller, a subtitle led by ——, a right-aligned byline, a dateline lead, a headline centred
over four columns with its story below, a photo across two columns with a caption and a
摄 credit, a boxed commentary closed by a bare name, a folio at the top with the page's
name and date, a front page under a masthead set in big type, a tabloid page with
stories stacked beside a photo news item, a page with a photo set into a story's column
and two photos side by side over another, a feature page with a title beside its columns
over a rule, a page with a pull-quote in a story's columns, a page under a photo
across its width, a page with headlines set vertically and one set solid, a page over
an advertisement boxed across it, and a page with a photo over a headline beside another
story and its staff named at its foot, a front page whose lead story is set larger than
the rest, a byline set level with its headline at the far end of the row, a banner in a band of
colour over the page's stories, a caption under a narrow photo beside a wider one, a
boxed sidebar in a story's columns, and titles set vertically at the right of stories in
rows, one under another.  The pages
are converted once (one CLI run, as ``make content`` does) from the PDF alone, and every
role is checked exactly.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from converters.gold import ParsedArticle, page_articles
from tests.conftest import run_converter

pytest.importorskip("weasyprint")

LEAD = [
    "本报杭州3月17日讯（记者 陈静远）今年以来，我省聚焦数字经济创新提质，"
    "持续推进数据要素市场化配置改革，一批应用场景率先落地见效。",
    "在城西科创大走廊，一家人工智能企业的研发中心灯火通明。技术负责人介绍，公司新推出的大模型已在医疗、交通、制造等领域开展试点，服务企业超过三百家。",
    "各地还加快布局算力基础设施，新建数据中心普遍采用液冷等节能技术，单位算力能耗比三年前下降近四成，绿色算力体系初步形成。",
    "专家表示，要进一步打通数据流通堵点，完善数据产权、交易和收益分配制度，让数据真正成为推动高质量发展的新引擎。",
]
SIDE = [
    "早春时节，运河沿岸柳色新绿。经过多年综合整治，这条千年古河道重现碧波荡漾的景象，成为市民休闲健身的好去处。",
    "沿河各区统筹推进截污纳管和生态补水，新建滨水绿道四十余公里，串联起历史街区、博物馆和城市公园，游客量持续攀升。",
]
COMMENT = [
    "城市的温度，往往体现在细微之处。一条无障碍坡道、一处口袋公园、一盏为晚归者留着的路灯，都在默默诉说着城市对人的关怀。",
    "推进城市更新，既要有大刀阔斧的魄力，也要有绣花一般的耐心。多听听群众的意见，多从小事做起，城市才会越来越宜居。",
]
FRONT = [
    "新华社北京3月17日电　记者从有关部门获悉，"
    "今年春运期间全国铁路累计发送旅客超过五亿人次，运输安全平稳有序，服务质量持续提升。",
    "为满足旅客出行需求，铁路部门加开临时旅客列车，优化列车开行方案，并在重点车站增设服务窗口，方便老年旅客等群体购票乘车。",
    "与此同时，各地交通运输部门加强公路水路运输组织，推出多项便民举措，保障群众平安顺利出行。",
]
FRONT_B = [
    "春耕备耕正当时。在江南水乡，育秧工厂里一排排秧盘整齐码放，嫩绿的秧苗长势喜人，农技人员正在检查温度和湿度。",
    "当地推广机械化育秧和无人机植保，粮食生产的科技含量不断提高，为夺取全年粮食丰收打下基础。",
]
FRONT_CAPTION = "育秧工厂里的秧苗长势喜人。 新华社发"
PHOTO_CAPTION = "游客在运河边的滨水绿道上骑行赏春。"
CREDIT = "本报记者 林晓峰摄"


def _css(body_pt: float, gap_mm: float) -> str:
    return f"""
    @page {{ size: 330mm 480mm; margin: 10mm 14mm; }}
    body {{ font-family: 'Noto Sans CJK SC'; font-size: {body_pt}pt; line-height: 1.5; margin: 0; }}
    p {{ margin: 0; text-indent: 2em; text-align: justify; }}
    .noi {{ text-indent: 0; }}
    .head {{ font-family: 'Noto Serif CJK SC'; font-weight: normal; margin: 0; }}
    .folio {{ display: flex; justify-content: space-between; font-size: {body_pt}pt;
              border-bottom: 2pt solid #000; padding-bottom: 1mm; margin-bottom: 5mm; }}
    .grid {{ display: grid; column-gap: {gap_mm}mm; }}
    .cols {{ column-gap: {gap_mm}mm; }}
    .by {{ text-align: right; font-size: {body_pt}pt; font-family: 'Noto Serif CJK SC'; margin: 1mm 0 2mm 0; }}
    .cap {{ font-family: 'Noto Serif CJK SC'; font-size: {body_pt - 1}pt; text-indent: 0; margin-top: 1mm; }}
    .box {{ border: 1pt solid #000; padding: 2mm; }}
    """


def _page(css: str, folio: tuple[str, str], body: str) -> str:
    """A page's HTML: the style, the folio at the top (its left and right items), the body."""
    return (f'<html><head><meta charset="utf-8"><style>{css}</style></head><body>'
            f'<div class="folio"><span>{folio[0]}</span><span>{folio[1]}</span></div>{body}</body></html>')


def _photo(tmp: Path, size: tuple[int, int], rgb: tuple[int, int, int]) -> str:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, rgb)
    draw = ImageDraw.Draw(img)
    for k in range(0, size[0], 40):  # some detail, so the picture is not one flat colour
        draw.line([(k, 0), (size[0] - k, size[1])], fill=(255 - rgb[0], 200, 90), width=6)
    path = tmp / f"photo{size[0]}.png"
    img.save(path)
    return path.as_uri()


def _inner_page(photo: str) -> str:
    """Page 5: eight-column grid, 8.5 pt sans body, 2 mm gutters, a lead story centred over
    four columns, a side story with a photo over two columns, a boxed commentary."""
    lead = "".join(f"<p>{p}</p>" for p in LEAD)
    side = "".join(f"<p>{p}</p>" for p in SIDE)
    comment = "".join(f"<p>{p}</p>" for p in COMMENT)
    return _page(_css(8.5, 2), ("数字经济 05", "2026年3月17日　星期二"), f"""
    <div class="grid" style="grid-template-columns: repeat(8, 1fr)">
      <div style="grid-column: 1 / span 4">
        <p class="head noi" style="font-size:14pt; text-align:center">改革赋能　创新提质</p>
        <p class="head noi" style="font-size:26pt; text-align:center">数据要素激活发展新动能</p>
        <p class="noi" style="font-size:12pt; text-align:center">——我省推进数字经济创新提质综述</p>
        <p class="by noi">本报记者　陈静远　周　婷</p>
        <div class="cols" style="column-count:4">{lead}</div>
      </div>
      <div style="grid-column: 5 / span 2">
        <p class="head noi" style="font-size:20pt">千年运河焕新颜</p>
        <img src="{photo}" style="width:100%; height:45mm; display:block; margin-top:2mm">
        <p class="cap">{PHOTO_CAPTION}</p><p class="cap" style="text-align:right">{CREDIT}</p>
        <div style="margin-top:2mm">{side}</div>
      </div>
      <div style="grid-column: 7 / span 2"><div class="box">
        <p class="head noi" style="font-size:12pt; font-family:'Noto Sans CJK SC'">城市温度在细微处</p>
        <p class="head noi" style="font-size:16pt">让城市更新更有温度</p>
        <div style="margin-top:2mm">{comment}</div>
        <p class="noi" style="text-align:right">李　明</p>
      </div></div>
    </div>""")


def _front_page() -> str:
    """Page 1: masthead in big type over a five-column grid, 11 pt sans body, 6 mm gutters."""
    front = "".join(f"<p>{p}</p>" for p in FRONT)
    front_b = "".join(f"<p>{p}</p>" for p in FRONT_B)
    return f"""<html><head><meta charset="utf-8"><style>{_css(11, 6)}</style></head><body>
    <div style="display:flex; align-items:flex-end; justify-content:space-between;
                border-bottom:3pt double #000; padding-bottom:2mm; margin-bottom:6mm">
      <div style="font-family:'Noto Serif CJK SC'; font-size:64pt; line-height:1">示例日报</div>
      <div style="font-size:9pt; text-align:right"><div>2026年3月17日　星期二</div>
        <div>农历丙午年正月廿九</div><div>第8765期　今日12版</div></div>
    </div>
    <div class="grid" style="grid-template-columns: repeat(5, 1fr)">
      <div style="grid-column: 1 / span 3">
        <p class="head noi" style="font-size:30pt">春运铁路发送旅客超五亿人次</p>
        <div class="cols" style="column-count:3; margin-top:3mm">{front}</div>
      </div>
      <div style="grid-column: 4 / span 2">
        <p class="head noi" style="font-size:15pt">育秧工厂里的春天</p>
        <p class="by noi" style="text-align:left">本报记者　吴　涛</p>
        <div style="height:30mm; background:#8c8c8c"></div><p class="cap">{FRONT_CAPTION}</p>
        <div class="cols" style="column-count:2; margin-top:2mm">{front_b}</div>
      </div>
    </div></body></html>"""


STORY = [
    "清晨六点，港区的龙门吊已经忙碌起来。一只只集装箱被精准吊起、平稳落下，自动导引车在堆场间有序穿梭，整个码头几乎看不到人影。",
    "这是全省首个全自动化集装箱码头。运营方负责人说，码头投用以来，作业效率比传统码头提高近三成，能耗下降两成以上。",
    "为了让货物进出更便捷，海关推出提前申报、两步申报等措施，进口货物整体通关时间压缩到二十小时以内。",
    "港口还积极拓展海铁联运，新开通多条班列线路，内陆地区的货物经铁路直达码头，运输成本明显下降。",
]
BRIEFS = [
    ("老旧小区加装电梯提速",
     "今年全市计划为老旧小区加装电梯三百台，目前已有一百二十台完成审批，部分小区电梯已投入使用。"),
    ("社区食堂覆盖八成街道",
     "全市社区食堂数量增至四百余家，覆盖八成以上街道，为老年人提供价格实惠、营养均衡的餐食。"),
    ("首批口袋公园向市民开放",
     "首批二十个口袋公园近日建成开放，公园利用边角地块建设，增加了座椅、健身器材和儿童游乐设施。"),
]
PORT_CAPTION = "自动导引车在码头堆场内运送集装箱。"
PORT_CREDIT = "孙　浩摄"


def _briefs_page(photo: str) -> str:
    """Page 6: five-column grid, 10 pt sans body, 3 mm gutters, a story with its photo across
    two of its three columns, and a column of briefs whose headlines are barely larger than
    the body; the folio at the top, date left, page right."""
    story = "".join(f"<p>{p}</p>" for p in STORY)
    briefs = "".join(f'<p class="head noi" style="font-size:12.5pt; margin-top:3mm">{t}</p><p>{p}</p>'
                     for t, p in BRIEFS)
    return _page(_css(10, 3), ("2026年3月17日　星期二", "城市 06"), f"""
    <div class="grid" style="grid-template-columns: repeat(5, 1fr)">
      <div style="grid-column: 1 / span 3">
        <p class="head noi" style="font-size:13pt">港口码头　智慧作业</p>
        <p class="head noi" style="font-size:24pt">无人码头的一天</p>
        <p class="by noi" style="text-align:left">本报记者　郑　扬</p>
        <div style="width:66%"><img src="{photo}" style="width:100%; height:50mm; display:block">
          <p class="cap">{PORT_CAPTION}<span style="margin-left:3em">{PORT_CREDIT}</span></p></div>
        <div class="cols" style="column-count:3; margin-top:3mm">{story}</div>
      </div>
      <div style="grid-column: 4 / span 2; border-left:0.5pt solid #000; padding-left:3mm">
        <p class="noi" style="font-size:10pt; font-weight:bold; border-bottom:1pt solid #000">城市快讯</p>
        {briefs}
      </div>
    </div>""")


TWO_LINE = ("长江经济带生态优先", "绿色发展成效显著")
RIVER = [
    "记者从推动长江经济带发展领导小组办公室获悉，沿江省市持续推进生态环境系统保护修复，长江干流水质连续多年保持二类。",
    "各地坚持共抓大保护、不搞大开发，累计腾退岸线一百六十余公里，关停转迁沿江化工企业八千余家，江豚等珍稀物种频繁现身。",
    "与此同时，沿江地区加快产业转型升级，新能源汽车、集成电路、生物医药等产业集群不断壮大，生态优势正在转化为发展优势。",
    "下一步，将进一步健全横向生态保护补偿机制，推动上中下游协同发展，努力建设人与自然和谐共生的绿色发展示范带。",
]
NIGHT = [
    "夜幕降临，古城的街巷亮起灯火。非遗市集、街头演艺、特色小吃吸引了大批市民游客，夜间消费持续升温。",
    "今年以来，当地推出夜游、夜购、夜宴等系列活动，带动夜间消费额同比增长两成以上。（本报记者　何　琳）",
]
NIGHT_CAPTION = "游客在古城夜市品尝特色小吃。 新华社发"


def _wide_page(photo: str) -> str:
    """Page 8: six columns, 9 pt sans body, 4 mm gutters; a title in two centred lines over
    four columns with a subtitle not led by —— and a byline of reporters and correspondents;
    beside it a story with a photo and its caption set to the photo's side, closed by its
    reporter in parentheses."""
    river = "".join(f"<p>{p}</p>" for p in RIVER)
    night = "".join(f"<p>{p}</p>" for p in NIGHT)
    return _page(_css(9, 4), ("生态 08", "2026年3月17日　星期二"), f"""
    <div class="grid" style="grid-template-columns: repeat(6, 1fr)">
      <div style="grid-column: 1 / span 4">
        <p class="head noi" style="font-size:28pt; text-align:center">{TWO_LINE[0]}<br>{TWO_LINE[1]}</p>
        <p class="noi" style="font-size:13pt; text-align:center; font-family:'Noto Serif CJK SC'">
          长江干流水质连续多年保持二类</p>
        <p class="by noi">本报记者　孙　强　通讯员　钱　多</p>
        <div class="cols" style="column-count:4">{river}</div>
      </div>
      <div style="grid-column: 5 / span 2">
        <p class="head noi" style="font-size:18pt">古城夜色点亮消费新场景</p>
        <div style="display:flex; gap:3mm; margin:2mm 0">
          <img src="{photo}" style="width:60%; height:35mm">
          <p class="cap" style="align-self:flex-end">{NIGHT_CAPTION}</p></div>
        {night}
      </div>
    </div>""")


BUS = [
    "本报讯（记者 刘洋 通讯员 陈晨）记者昨日从市交通运输局获悉，今年全市将新开通公交线路二十条，优化调整线路四十条，"
    "进一步提升公共交通服务水平。",
    "据介绍，新开通的线路主要覆盖新建居住区、产业园区和学校医院等客流集中区域，着力解决群众出行“最后一公里”问题。",
    "在优化调整方面，交通部门将对重复系数高、客流较少的线路进行整合，把运力投放到更需要的地方。",
]
BUS_SUBHEAD = "智慧公交让候车不再焦虑"
BUS_AFTER = [
    "目前，全市已有三千多个公交站台安装了电子站牌，市民可以实时查看车辆到站信息，合理安排出行时间。",
    "下一步，还将推出定制公交、夜间公交等特色服务，满足不同群体的出行需求。",
]
PARK = [
    "春风送暖，花木吐绿。连日来，市区各大公园迎来赏花高峰，樱花、海棠、玉兰竞相绽放，吸引众多市民游客驻足观赏。",
    "为做好游园服务，各公园增加了保洁和安保力量，设置了临时停车区域，并通过微信公众号发布花期信息和游览提示。",
    "园林部门提醒，赏花时请文明游园，不攀折花木，不践踏草坪，共同守护美丽春光。",
]
SCIENCE = [
    "近日，本市一所中学的学生在全国青少年科技创新大赛中获得一等奖。他们设计的智能垃圾分类装置，能够自动识别多种垃圾并分类投放。",
    "指导老师介绍，这个项目从构思到完成历时一年多，学生们查阅了大量资料，反复试验改进，最终取得了成功。",
]
BIRDS_CAPTION = "近日，大批候鸟在城郊湿地公园栖息觅食，成为一道亮丽的风景线。"
BIRDS_CREDIT = "本报记者　钱　江摄"


def _stacked_page(photo: str) -> str:
    """Page 2: a tabloid page, three columns, 10 pt sans body, 4 mm gutters: a centred
    headline with kicker and bold subtitle over three columns, a bold subhead in them and
    a jump line run on after the last sentence; under it two stories stacked in two
    columns, the first closed by its reporter right-aligned under its columns; beside them
    a photo news item: the photo, its title under it, the caption and its credit, no text."""
    bus = "".join(f"<p>{p}</p>" for p in BUS) + f'<p class="noi" style="font-weight:bold">{BUS_SUBHEAD}</p>' \
        + "".join(f"<p>{p}</p>" for p in BUS_AFTER[:-1]) + f"<p>{BUS_AFTER[-1]}（下转第三版）</p>"
    park = "".join(f"<p>{p}</p>" for p in PARK)
    science = "".join(f"<p>{p}</p>" for p in SCIENCE)
    css = _css(10, 4).replace("330mm 480mm", "280mm 400mm")
    return _page(css, ("城事 02", "2026年3月17日　星期二"), f"""
    <p class="head noi" style="font-size:13pt; text-align:center">方便群众出行</p>
    <p class="head noi" style="font-size:28pt; text-align:center; font-weight:bold">今年新开公交线路二十条</p>
    <p class="noi" style="font-size:12pt; text-align:center; font-weight:bold">优化调整线路四十条</p>
    <div class="cols" style="column-count:3; margin-top:3mm">{bus}</div>
    <hr>
    <div class="grid" style="grid-template-columns: repeat(3, 1fr)">
      <div style="grid-column: 1 / span 2">
        <p class="head noi" style="font-size:20pt">公园迎来赏花高峰</p>
        <div class="cols" style="column-count:2; margin-top:2mm">{park}</div>
        <p class="by noi">本报记者　王　芳</p>
        <hr>
        <p class="head noi" style="font-size:18pt">中学生科创作品获全国一等奖</p>
        <p class="by noi" style="text-align:left">本报记者　赵　磊</p>
        <div class="cols" style="column-count:2; margin-top:2mm">{science}</div>
      </div>
      <div style="grid-column: 3 / span 1">
        <img src="{photo}" style="width:100%; height:60mm; display:block">
        <p class="head noi" style="font-size:14pt; margin-top:2mm">湿地候鸟翩翩起舞</p>
        <p class="cap">{BIRDS_CAPTION}</p><p class="cap" style="text-align:right">{BIRDS_CREDIT}</p>
      </div>
    </div>""")


ECONOMY = [
    "本报北京3月16日电（记者 孙强）今年前两个月，全国规模以上工业增加值同比增长百分之六，"
    "制造业投资保持较快增长，经济运行开局良好。",
    "从行业看，装备制造业和高技术制造业增加值增速明显快于全部规模以上工业，新能源汽车、工业机器人、集成电路等产品产量较快增长。",
    "从需求看，社会消费品零售总额稳步增长，服务消费潜力持续释放，以旧换新政策带动家电、汽车等大宗商品销售回暖。",
    "国家统计局有关负责人表示，下阶段要持续扩大有效需求，巩固和增强经济回升向好态势，推动经济实现质的有效提升和量的合理增长。",
    "专家认为，随着一系列增量政策落地见效，经营主体信心进一步增强，全年经济增长目标有望顺利实现。",
]
ECONOMY_CAPTION = "工人在生产线上忙碌。 本报记者 孙强摄"
TREES = [
    "植树节前后，各地干部群众纷纷走上山头、走进社区，开展形式多样的义务植树活动，为大地增添新绿。",
    "今年，全国计划完成造林绿化任务一亿亩以上，持续推进防沙治沙和国土绿化，生态系统质量不断提升。",
    "林业部门提醒，植树要因地制宜、适地适树，科学选择树种，提高苗木成活率。",
]
TREES_CAPTIONS = ("志愿者在山坡上栽种树苗。", "孩子们为新栽的树苗浇水。")


def _floats_page(photos: list[str]) -> str:
    """Page 3: four columns, 10 pt sans body, 5 mm gutters: a story in two columns with a
    photo set into its second column, its text running on beside and under the photo; a
    story with two photos side by side over its three columns, each with its caption."""
    economy = "".join(f"<p>{p}</p>" for p in ECONOMY[:2]) \
        + f'<img src="{photos[0]}" style="float:left; width:48%; height:38mm; margin:1mm 3mm 1mm 0">' \
        + f'<p class="cap" style="float:left; clear:left; width:48%; margin-right:3mm">{ECONOMY_CAPTION}</p>' \
        + "".join(f"<p>{p}</p>" for p in ECONOMY[2:])
    trees = "".join(f"<p>{p}</p>" for p in TREES)
    pictures = "".join(f'<div style="width:50%"><img src="{src}" style="width:100%; height:30mm">'
                       f'<p class="cap">{cap}</p></div>' for src, cap in zip(photos[1:], TREES_CAPTIONS, strict=True))
    return _page(_css(10, 5), ("经济 03", "2026年3月17日　星期二"), f"""
    <div style="width:75%">
      <p class="head noi" style="font-size:30pt; font-weight:bold">前两个月经济运行开局良好</p>
      <p class="noi" style="font-size:13pt; font-family:'Noto Serif CJK SC'">——规模以上工业增加值同比增长百分之六</p>
      <div class="cols" style="column-count:2; margin-top:3mm">{economy}</div>
      <hr>
      <p class="head noi" style="font-size:20pt">春风吹绿万重山</p>
      <p class="by noi" style="text-align:left">本报记者　周　敏</p>
      <div style="display:flex; gap:3mm">{pictures}</div>
      <div class="cols" style="column-count:3; margin-top:2mm">{trees}</div>
    </div>""")


TOWN = [
    "清晨的古镇，薄雾笼罩着青石板路。沿河的老屋次第打开木门，早点铺升起袅袅炊烟，一天的生活就这样开始了。",
    "近年来，古镇坚持保护为先，修缮老街老宅，留住了原汁原味的水乡风貌，也吸引了越来越多的年轻人回乡创业。",
    "茶馆、书店、手作工坊沿街而开，传统手艺在年轻人手中焕发新生机，古镇的日子越过越红火。",
]
TEA = [
    "又到一年春茶季，山间茶园一派繁忙景象。茶农们起早贪黑，抢抓晴好天气采摘新茶。",
    "当地推广生态种植和标准化加工，茶叶品质不断提升，品牌知名度越来越高，茶农收入稳步增加。",
]


def _side_head_page() -> str:
    """Page 7: a feature page; a title and its byline set to the left of the story's three
    columns, which end high above the rule under them; under the rule a story whose text
    fills two of its three columns (the third column's place is empty down to the foot of
    the page, and with the gutter above it makes a gap running down the whole page)."""
    town = "".join(f"<p>{p}</p>" for p in TOWN)
    tea = "".join(f"<p>{p}</p>" for p in TEA)
    return _page(_css(10, 4), ("副刊 07", "2026年3月17日　星期二"), f"""
    <div style="display:flex; gap:5mm; height:120mm">
      <div><p class="head noi" style="font-size:26pt; font-weight:bold">古镇的早晨</p>
        <p class="noi" style="margin-top:2mm">本报记者　林　夕</p></div>
      <div class="cols" style="column-count:3; flex:1">{town}</div>
    </div>
    <hr>
    <p class="head noi" style="font-size:20pt">山间春茶采摘忙</p>
    <p class="by noi" style="text-align:left">本报记者　陈　雨</p>
    <div class="cols" style="column-count:3">{tea}</div>""")


GARDEN = [
    "走进村里的共享菜园，一畦畦蔬菜长势喜人。村民们在这里种菜、浇水、交流心得，昔日的荒地变成了邻里的“会客厅”。",
    "村党支部书记介绍，共享菜园由闲置地块改造而成，按户认领，收获的蔬菜除了自家食用，还会送给村里的孤寡老人。",
    "如今，菜园成了村里最热闹的地方。孩子们在这里认识农作物，老人们在这里话家常，年轻人也愿意回村参与建设。",
    "“小菜园连着大民生。”这位书记说，下一步，村里还将引入农业专家，开展种植技术培训，让菜园发挥更大作用。",
    "据了解，当地已有二十多个村建起共享菜园，累计盘活闲置土地三百余亩，带动村民增收的同时，也让乡村更加和美。",
]
GARDEN_QUOTE = "小菜园连着大民生"
NETWORK = [
    "5G基站建设是数字基础设施的重要内容。今年以来，全市新建5G基站两千余个，重点区域实现连续覆盖。",
    "通信运营商表示，将继续加大投入，推动5G网络向乡镇和农村延伸，为数字乡村建设提供有力支撑。",
]


INDEX_TITLE = "今日导读"
INDEX = ["● 城市更新让老街焕发新活力（第3版）", "● 乡村振兴：特色产业鼓起农民钱袋子（第5版）",
         "● 科技创新赋能传统制造业（第6版）"]


def _pull_quote_page() -> str:
    """Page 9: a story in three columns with a pull-quote in display type (larger than the
    title's threshold) between two of its paragraphs, its byline after a □; beside it a
    shaded box whose byline (correspondent first) is set in the body's type close above
    its text, and under it a boxed list of the day's stories on other pages, one item a
    line or two, each opening with a ●."""
    garden = "".join(f"<p>{p}</p>" for p in GARDEN[:2]) \
        + '<p class="noi" style="font-size:15pt; font-family:\'Noto Serif CJK SC\'; text-align:center; ' \
        + f'margin:3mm 0; border-top:1pt solid #000; border-bottom:1pt solid #000">{GARDEN_QUOTE}</p>' \
        + "".join(f"<p>{p}</p>" for p in GARDEN[2:])
    network = "".join(f"<p>{p}</p>" for p in NETWORK)
    return _page(_css(10, 4), ("乡村 09", "2026年3月17日　星期二"), f"""
    <div class="grid" style="grid-template-columns: repeat(4, 1fr)">
      <div style="grid-column: 1 / span 3">
        <p class="head noi" style="font-size:26pt; font-weight:bold">共享菜园种出邻里情</p>
        <p class="by noi" style="text-align:left">□ 本报记者　黄　河</p>
        <div class="cols" style="column-count:3; margin-top:2mm">{garden}</div>
      </div>
      <div style="grid-column: 4 / span 1; background:#eeeeee; padding:2mm">
        <p class="head noi" style="font-size:16pt; font-weight:bold">5G网络覆盖全市</p>
        <p class="noi" style="margin-bottom:2mm">本报通讯员　郑　新　记者　方　圆</p>
        {network}
        <div style="border:1pt solid #000; padding:2mm; margin-top:4mm; background:#fff">
          <p class="noi" style="font-size:14pt; font-weight:bold; text-align:center">{INDEX_TITLE}</p>
          {"".join(f'<p class="noi" style="margin-top:1mm">{item}</p>' for item in INDEX)}
        </div>
      </div>
    </div>""")


FIELDS = [
    "连日来，全省各地抢抓农时开展春耕生产，田间地头处处是忙碌景象。农机手驾驶拖拉机来回穿梭，翻耕、施肥、播种一气呵成。",
    "农业农村部门组织技术人员深入田间，指导农户科学选种、合理施肥，确保春播质量。今年全省春播面积预计稳中有增。",
]
FIELDS_CAPTION = "农机手在田间进行春耕作业。 本报记者 张 伟摄"
ROW = [
    ("政务服务“一窗通办”", "吴军", [
        "为方便群众办事，市政务服务中心推出“一窗通办”改革，企业和群众只需到一个窗口，就能办理多个部门的事项。",
        "改革实施以来，平均办理时间缩短一半以上，群众满意度明显提升。"]),
    ("市图书馆新馆开放", "何静", [
        "市图书馆新馆日前正式开放。新馆面积三万余平方米，藏书一百五十万册，设有少儿阅读区、数字阅读区和古籍展示区。",
        "开馆首日，不少市民早早排队入馆，在书香中度过周末时光。"]),
]


def _photo_first_page(photo: str) -> str:
    """Page 4: a photo across the whole page at its top with its caption, the headline of
    its story under them; under a rule a row of two stories side by side, each in two
    columns under its own headline and byline."""
    fields = "".join(f"<p>{p}</p>" for p in FIELDS)
    row = "".join(f'<div><p class="head noi" style="font-size:18pt">{title}</p>'
                  f'<p class="by noi" style="text-align:left">本报记者　{name[0]}　{name[1]}</p>'
                  f'<div class="cols" style="column-count:2">{"".join(f"<p>{p}</p>" for p in text)}</div></div>'
                  for title, name, text in ROW)
    return _page(_css(10, 4), ("综合 04", "2026年3月17日　星期二"), f"""
    <img src="{photo}" style="width:100%; height:80mm; display:block">
    <p class="cap">{FIELDS_CAPTION}</p>
    <p class="head noi" style="font-size:24pt; font-weight:bold; margin-top:3mm">全省春耕生产有序推进</p>
    <div class="cols" style="column-count:3; margin-top:2mm">{fields}</div>
    <hr>
    <div class="grid" style="grid-template-columns: repeat(2, 1fr)">{row}</div>""")


STREET = [
    "清晨的老街上，早点铺子已经升起了热气。经过一年多的改造，这条百年老街铺上了青石板，沿街的老房子修旧如旧，重新迎来八方游客。",
    "改造中，街道没有搞大拆大建，而是请来老匠人按照原样修缮门窗和屋檐，保留下居民熟悉的烟火气。",
    "不少在外打拼的年轻人回到老街，开起了茶馆、书店和手作工坊，老街的夜晚也热闹了起来。",
    "街道负责人说，下一步将继续完善停车、公厕等配套设施，让居民住得舒心、游客来得开心。",
    "附近的社区食堂每天为老人提供午餐，志愿者还定期上门送餐，老街的温情在一点一滴中延续。",
]
STREET_TITLE, STREET_SUBTITLE = "百年老街焕发新活力", "——城市更新的街巷样本"
HARBOUR = [
    "渔港码头上，刚刚靠岸的渔船满载而归，渔民们忙着卸货、分拣，一筐筐海鲜被迅速运往各地市场。",
    "近年来，当地推进渔港升级改造，建成冷链物流中心，海鲜从码头到餐桌的时间缩短了一半。",
    "渔民们说，港口条件好了，出海更安心，收入也一年比一年高。",
]
HARBOUR_TITLE = "渔港迎来丰收季"
BRIDGE = [
    "横跨江面的大桥日前完成主体结构施工，建成后两岸通行时间将由四十分钟缩短至十分钟以内。",
    "施工方介绍，大桥采用多项新技术，在保证质量的同时比原计划提前三个月完成主体工程。",
    "沿江居民纷纷表示，盼着大桥早日通车，走亲访友、上班上学都会方便许多。",
]
BRIDGE_KICKER, BRIDGE_TITLE = "两岸通行时间缩短至十分钟", "跨江大桥主体结构完工　预计年内建成通车迎接八方来客"


def _vertical_heads_page() -> str:
    """Page 10: headlines set vertically — a title at the right of its story's three columns
    with a subtitle beside it, and a title at the left of a story's columns — and a headline
    of three lines set solid (line spacing as tight as the type, so the loose boxes some
    fonts give each glyph overlap the line above)."""
    street = "".join(f"<p>{p}</p>" for p in STREET)
    harbour = "".join(f"<p>{p}</p>" for p in HARBOUR)
    bridge = "".join(f"<p>{p}</p>" for p in BRIDGE)

    def upright(text: str, pt: int, extra: str = "") -> str:
        return (f'<p class="head noi" style="font-size:{pt}pt; width:1.05em; line-height:1.05; '
                f'word-break:break-all;{extra}">{text}</p>')

    return _page(_css(9.5, 4), ("要闻 10", "2026年3月17日　星期二"), f"""
    <div style="display:flex; gap:3mm">
      <div style="flex:1"><p class="by noi" style="text-align:left">本报记者　沈　舟</p>
        <div class="cols" style="column-count:3">{street}</div></div>
      <div style="flex:none">{upright(STREET_SUBTITLE, 14, "margin-top:25mm")}</div>
      <div style="flex:none">{upright(STREET_TITLE, 30)}</div>
    </div>
    <hr style="margin:5mm 0">
    <div style="display:flex; gap:6mm">
      <div style="flex:1; display:flex; gap:3mm">
        <div style="flex:none">{upright(HARBOUR_TITLE, 26)}</div>
        <div style="flex:1"><div class="cols" style="column-count:2">{harbour}</div>
          <p class="noi" style="text-align:right">（本报记者　海　生）</p></div>
      </div>
      <div style="flex:1">
        <p class="head noi" style="font-size:12pt">{BRIDGE_KICKER}</p>
        <p class="head noi" style="font-size:24pt; line-height:1.0">{BRIDGE_TITLE}</p>
        <p class="by noi" style="text-align:left">本报记者　江　帆</p>
        <div class="cols" style="column-count:2">{bridge}</div>
      </div>
    </div>""")


NETWORK_TABLE = [("指标", "数值"), ("新建基站", "2000个"), ("覆盖率", "98%")]
AD_TITLE = "春季家装节　全场五折起"
AD_PAGE_TITLE = BRIDGE_TITLE  # two phrases of unlike length in one type: one title, not title and subtitle


def _advert_page(photo: str) -> str:
    """Page 11: two stories side by side — the right one under a label set white on a black
    bar, with a small table — over an advertisement boxed across the page, its text centred
    in the box and marked 广告 in a corner, with a picture."""
    cells = "".join(f"<tr><td style='border:0.5pt solid #000; padding:1mm'>{a}</td>"
                    f"<td style='border:0.5pt solid #000; padding:1mm'>{b}</td></tr>" for a, b in NETWORK_TABLE)
    return _page(_css(9.5, 4), ("要闻 11", "2026年3月17日　星期二"), f"""
    <div style="display:flex; gap:6mm">
      <div style="flex:2">
        <p class="head noi" style="font-size:24pt">{AD_PAGE_TITLE}</p>
        <p class="by noi" style="text-align:left">本报记者　江　帆</p>
        <div class="cols" style="column-count:2">{"".join(f"<p>{p}</p>" for p in BRIDGE)}</div>
      </div>
      <div style="flex:1">
        <p class="noi" style="background:#000; color:#fff; font-weight:bold; padding:1mm">数据</p>
        <p class="head noi" style="font-size:18pt">5G网络覆盖全市</p>
        <table style="border-collapse:collapse; font-size:8pt; margin:2mm 0">{cells}</table>
        {"".join(f"<p>{p}</p>" for p in NETWORK)}
      </div>
    </div>
    <div style="border:2pt solid #000; margin-top:8mm; padding:3mm; text-align:center">
      <p class="noi" style="font-size:8pt; text-align:right">广告</p>
      <p class="noi" style="font-size:30pt; font-weight:bold">{AD_TITLE}</p>
      <img src="{photo}" style="width:60mm; height:25mm">
      <p class="noi" style="font-size:14pt">地址：滨江路88号　咨询热线：0571-88886666</p>
    </div>""")


HARBOUR_CAPTION = "渔港码头上，渔民们正在卸货。　本报记者　海　生摄"
STAFF = "本版责编：王　强　李　梅　　版式设计：赵　敏"


def _staff_page(photo: str) -> str:
    """Page 12: a story over two columns beside a column holding a photo and its caption set
    over another story's headline; the page's staff named in small type at its foot."""
    street = "".join(f"<p>{p}</p>" for p in STREET)
    harbour = "".join(f"<p>{p}</p>" for p in HARBOUR)
    return _page(_css(9.5, 4), ("要闻 12", "2026年3月17日　星期二"), f"""
    <div style="display:flex; gap:5mm">
      <div style="flex:2">
        <p class="head noi" style="font-size:24pt">{STREET_TITLE}</p>
        <p class="by noi" style="text-align:left">本报记者　沈　舟</p>
        <div class="cols" style="column-count:2">{street}</div>
      </div>
      <div style="flex:1">
        <img src="{photo}" style="width:100%; display:block">
        <p class="cap">{HARBOUR_CAPTION}</p>
        <p class="head noi" style="font-size:16pt; margin-top:3mm">{HARBOUR_TITLE}</p>
        {harbour}
      </div>
    </div>
    <p class="noi" style="position:absolute; bottom:0; left:0; right:0; font-size:8pt;
                          border-top:0.5pt solid #000">{STAFF}</p>""")


LARGE_LEAD_TITLE = "数据要素激活发展新动能"


def _large_lead_page() -> str:
    """Page 13: a lead story across the page with its text set larger (11.5 pt) than the
    rest of the page's (9.5 pt), over three stories side by side under a rule."""
    lead = "".join(f"<p>{p}</p>" for p in LEAD + SIDE)
    return _page(_css(9.5, 4), ("要闻 13", "2026年3月17日　星期二"), f"""
    <p class="head noi" style="font-size:30pt; text-align:center">{LARGE_LEAD_TITLE}</p>
    <p class="by noi" style="text-align:center">本报记者　陈静远</p>
    <div class="cols" style="column-count:3; font-size:11.5pt">{lead}</div>
    <hr>
    <div style="display:flex; gap:5mm">
      <div style="flex:1"><p class="head noi" style="font-size:18pt">{STREET_TITLE}</p>
        <p class="by noi" style="text-align:left">本报记者　沈　舟</p>{"".join(f"<p>{p}</p>" for p in STREET)}</div>
      <div style="flex:1"><p class="head noi" style="font-size:18pt">{HARBOUR_TITLE}</p>
        <p class="by noi" style="text-align:left">本报记者　海　生</p>{"".join(f"<p>{p}</p>" for p in HARBOUR)}</div>
      <div style="flex:1"><p class="head noi" style="font-size:18pt">让城市更新更有温度</p>
        {"".join(f"<p>{p}</p>" for p in COMMENT)}<p class="noi" style="text-align:right">李　明</p></div>
    </div>""")


def _byline_beside_head_page() -> str:
    """Page 14: a headline narrower than the first of its story's three columns, with its
    byline set level with it at the far end of the row, over the third column."""
    return _page(_css(9.5, 4), ("要闻 14", "2026年3月17日　星期二"), f"""
    <div style="display:flex; justify-content:space-between; align-items:flex-end">
      <p class="head noi" style="font-size:22pt">{STREET_TITLE}</p>
      <p class="noi" style="font-size:9.5pt">本报记者　沈　舟</p>
    </div>
    <div class="cols" style="column-count:3">{"".join(f"<p>{p}</p>" for p in STREET)}</div>""")


BANNER = "聚焦全国两会"


def _banner_page() -> str:
    """Page 15: a banner set letter-spaced in large type, white on a band of colour across
    the page, over two stories side by side, each under its own headline."""
    return _page(_css(9.5, 4), ("要闻 15", "2026年3月17日　星期二"), f"""
    <div style="background:#b00; color:#fff; padding:2mm 4mm; margin-bottom:5mm">
      <p class="noi" style="font-size:28pt; font-weight:bold; letter-spacing:6pt">{BANNER}</p></div>
    <div style="display:flex; gap:5mm">
      <div style="flex:2"><p class="head noi" style="font-size:22pt">{STREET_TITLE}</p>
        <p class="by noi" style="text-align:left">本报记者　沈　舟</p>
        <div class="cols" style="column-count:2">{"".join(f"<p>{p}</p>" for p in STREET)}</div></div>
      <div style="flex:1"><p class="head noi" style="font-size:18pt">{HARBOUR_TITLE}</p>
        <p class="by noi" style="text-align:left">本报记者　海　生</p>{"".join(f"<p>{p}</p>" for p in HARBOUR)}</div>
    </div>""")


WIDE_CAPTION = "游客在老街上参观游览。　本报记者　王　强摄"
NARROW_CAPTION = "渔船满载而归。　本报记者　王　明摄"


def _two_photos_page(wide: str, narrow: str) -> str:
    """Page 16: a story over three columns with a photo across them and its caption under
    it, beside a story in the fourth column whose narrower photo and caption stand level
    with the wide photo (its caption within two lines of the wide photo's side)."""
    return _page(_css(9, 2), ("要闻 16", "2026年3月17日　星期二"), f"""
    <div style="display:flex; gap:3mm">
      <div style="flex:3"><p class="head noi" style="font-size:20pt">{STREET_TITLE}</p>
        <p class="by noi" style="text-align:left">本报记者　沈　舟</p>
        <img src="{wide}" style="width:100%; display:block"><p class="cap">{WIDE_CAPTION}</p>
        <div class="cols" style="column-count:3">{"".join(f"<p>{p}</p>" for p in STREET)}</div></div>
      <div style="flex:1"><p class="head noi" style="font-size:20pt">{HARBOUR_TITLE}</p>
        <img src="{narrow}" style="width:100%; display:block; margin-top:8mm"><p class="cap">{NARROW_CAPTION}</p>
        {"".join(f"<p>{p}</p>" for p in HARBOUR)}</div>
    </div>""")


SIDEBAR_TITLE = "相关链接：老街的前世今生"
SIDEBAR = ["老街始建于清代，全长约八百米，现存历史建筑四十余处，是城市记忆的重要载体。",
           "二〇二三年，老街入选省级历史文化街区名录，保护修缮工程随即启动。"]


def _sidebar_page() -> str:
    """Page 17: a story whose columns hold a box with a linked sidebar (its title in display
    type), the story's text going on after the box, over another story under a rule."""
    head = "font-size:13pt; font-weight:bold; font-family:'Noto Sans CJK SC'"
    box = (f'<div style="border:1pt solid #000; padding:2mm; margin:2mm 0; break-inside:avoid">'
           f'<p class="noi" style="{head}">{SIDEBAR_TITLE}</p>' + "".join(f"<p>{p}</p>" for p in SIDEBAR) + "</div>")
    return _page(_css(9.5, 4), ("要闻 17", "2026年3月17日　星期二"), f"""
    <p class="head noi" style="font-size:24pt">{STREET_TITLE}</p>
    <p class="by noi" style="text-align:left">本报记者　沈　舟</p>
    <div class="cols" style="column-count:3">{"".join(f"<p>{p}</p>" for p in STREET[:3])}{box}
      {"".join(f"<p>{p}</p>" for p in STREET[3:] + SIDE)}</div>
    <hr>
    <p class="head noi" style="font-size:20pt">{HARBOUR_TITLE}</p>
    <div class="cols" style="column-count:3">{"".join(f"<p>{p}</p>" for p in HARBOUR)}</div>""")


TOWN_TITLE, TEA_TITLE = "古镇的春天", "春茶飘香富茶农"
GARDEN_TITLE, NETWORK_TITLE = "共享菜园种出邻里情", "5G网络覆盖全市乡镇"
ECONOMY_TITLE = "前两个月经济运行开局良好"


def _vertical_rows_page(photo: str) -> str:
    """Page 18: titles set vertically at the right of their stories, in rows: beside a story
    headed by a kicker in type hardly larger than the text and its title; two stories one
    under the other, no rule between, their titles in one strip at the page's right; and
    a story titled vertically at its right, a gutter from the next story's headline in the
    same type, level with its first characters; and under them a story whose headline
    stands over its columns set solid (no gap to cut at) beside a photo, its first column
    headed by the photo's caption."""

    def upright(text: str, pt: int) -> str:
        return (f'<p class="head noi" style="font-size:{pt}pt; width:1.05em; line-height:1.05; '
                f'word-break:break-all">{text}</p>')

    def cols(paras: list[str], n: int) -> str:
        return f'<div class="cols" style="column-count:{n}">' + "".join(f"<p>{p}</p>" for p in paras) + "</div>"

    return _page(_css(9.5, 3), ("要闻 18", "2026年3月17日　星期二"), f"""
    <div style="display:flex; gap:6mm">
      <div style="flex:1">
        <p class="head noi" style="font-size:11pt">{BRIDGE_KICKER}</p>
        <p class="head noi" style="font-size:24pt">{HARBOUR_TITLE}</p>
        <p class="by noi" style="text-align:left">本报记者　江　帆</p>{cols(HARBOUR, 2)}</div>
      <div style="flex:1; display:flex; gap:3mm">
        <div style="flex:1"><p class="by noi" style="text-align:left">本报记者　沈　舟</p>{cols(STREET, 2)}</div>
        <div style="flex:none">{upright(STREET_TITLE, 16)}</div></div>
    </div>
    <div style="width:50%; margin-top:8mm">
      <div style="display:flex; gap:3mm">
        <div style="flex:1">{cols(TOWN, 2)}</div><div style="flex:none">{upright(TOWN_TITLE, 20)}</div></div>
      <div style="display:flex; gap:3mm; margin-top:6mm">
        <div style="flex:1"><p class="by noi" style="text-align:center">本报记者　叶　青</p>{cols(TEA, 3)}</div>
        <div style="flex:none">{upright(TEA_TITLE, 20)}</div></div>
    </div>
    <div style="display:flex; gap:4mm; margin-top:8mm">
      <div style="flex:1">{cols(GARDEN, 2)}</div><div style="flex:none">{upright(GARDEN_TITLE, 26)}</div>
      <div style="flex:1"><p class="head noi" style="font-size:26pt; line-height:1.2">{NETWORK_TITLE}</p>
        {cols(NETWORK, 2)}</div>
    </div>
    <div style="display:flex; gap:4mm; margin-top:8mm">
      <img src="{photo}" style="width:60mm; height:45mm; display:block">
      <div style="flex:1">
        <p class="head noi" style="font-size:24pt; line-height:1.2; margin-bottom:0">{ECONOMY_TITLE}</p>
        <div class="cols" style="column-count:3"><p class="cap" style="margin:0">{ECONOMY_CAPTION}</p>
          {"".join(f"<p>{p}</p>" for p in ECONOMY[1:])}</div></div>
    </div>""")


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    """Every page typeset once and converted from its PDF alone, all in one run."""
    from weasyprint import HTML

    tmp = tmp_path_factory.mktemp("unseen")
    day = tmp / "raw" / "demo" / "2026-03-17"
    day.mkdir(parents=True)
    (day.parent / "paper.toml").write_text('name = "示例日报"\n', encoding="utf-8")
    (day / "05.pdf").write_bytes(HTML(string=_inner_page(_photo(tmp, (600, 400), (40, 90, 140)))).write_pdf())
    (day / "06.pdf").write_bytes(HTML(string=_briefs_page(_photo(tmp, (500, 300), (150, 60, 30)))).write_pdf())
    (day / "08.pdf").write_bytes(HTML(string=_wide_page(_photo(tmp, (300, 220), (30, 120, 60)))).write_pdf())
    (day / "01.pdf").write_bytes(HTML(string=_front_page()).write_pdf())
    photos = [_photo(tmp, size, rgb) for size, rgb in
              (((400, 300), (160, 60, 40)), ((301, 200), (40, 140, 60)), ((302, 200), (60, 60, 160)))]
    (day / "04.pdf").write_bytes(HTML(string=_photo_first_page(_photo(tmp, (800, 400), (90, 130, 50)))).write_pdf())
    (day / "09.pdf").write_bytes(HTML(string=_pull_quote_page()).write_pdf())
    (day / "07.pdf").write_bytes(HTML(string=_side_head_page()).write_pdf())
    (day / "03.pdf").write_bytes(HTML(string=_floats_page(photos)).write_pdf())
    (day / "02.pdf").write_bytes(HTML(string=_stacked_page(_photo(tmp, (500, 400), (60, 120, 160)))).write_pdf())
    (day / "10.pdf").write_bytes(HTML(string=_vertical_heads_page()).write_pdf())
    (day / "17.pdf").write_bytes(HTML(string=_sidebar_page()).write_pdf())
    (day / "16.pdf").write_bytes(HTML(string=_two_photos_page(
        _photo(tmp, (640, 400), (40, 110, 150)), _photo(tmp, (320, 200), (150, 90, 40)))).write_pdf())
    (day / "15.pdf").write_bytes(HTML(string=_banner_page()).write_pdf())
    (day / "14.pdf").write_bytes(HTML(string=_byline_beside_head_page()).write_pdf())
    (day / "13.pdf").write_bytes(HTML(string=_large_lead_page()).write_pdf())
    (day / "12.pdf").write_bytes(HTML(string=_staff_page(_photo(tmp, (400, 260), (30, 90, 150)))).write_pdf())
    (day / "18.pdf").write_bytes(HTML(string=_vertical_rows_page(_photo(tmp, (480, 360), (120, 60, 140)))).write_pdf())
    (day / "11.pdf").write_bytes(HTML(string=_advert_page(_photo(tmp, (420, 180), (200, 40, 40)))).write_pdf())
    content = tmp / "content"
    result = run_converter(day.parent, content, "demo")
    assert result.returncode == 0, result.stdout + result.stderr
    return content


def _by_title(arts: list[ParsedArticle]) -> dict[str, ParsedArticle]:
    return {a.get("Title"): a for a in arts}


def test_inner_page_eight_columns_roles(converted):
    arts = page_articles(converted, "2026-03-17", 5)
    assert [a.get("Title") for a in arts] == ["数据要素激活发展新动能", "千年运河焕新颜", "让城市更新更有温度"]
    lead, side, comment = arts
    assert lead.get("Kicker").replace("　", " ") == "改革赋能 创新提质"
    assert lead.get("Subtitle") == "——我省推进数字经济创新提质综述"
    assert lead.get("Authors") == "陈静远, 周婷"
    assert lead.get("Dateline") == "本报杭州3月17日讯"
    assert lead.paragraphs == [LEAD[0].removeprefix("本报杭州3月17日讯（记者 陈静远）"), *LEAD[1:]]
    assert side.get("Caption") == f"{PHOTO_CAPTION} {CREDIT}"
    assert side.paragraphs == SIDE
    assert comment.get("Kicker") == "城市温度在细微处"
    assert comment.paragraphs == COMMENT
    assert comment.get("Authors") == "李明"


def test_inner_page_folio_at_the_top(converted):
    arts = page_articles(converted, "2026-03-17", 5)
    assert {a.get("Section") for a in arts} == {"数字经济"}
    assert {a.get("Page") for a in arts} == {"5"}


def test_front_page_under_a_masthead_in_big_type(converted):
    arts = page_articles(converted, "2026-03-17", 1)
    assert [a.get("Title") for a in arts] == ["春运铁路发送旅客超五亿人次", "育秧工厂里的春天"]
    a, b = arts
    assert a.get("Issue") == "8765" and a.get("Paper") == "示例日报"
    assert a.get("Dateline") == "新华社北京3月17日电"
    assert a.paragraphs == [FRONT[0].removeprefix("新华社北京3月17日电\u3000"), *FRONT[1:]]
    assert b.get("Authors") == "吴涛" and b.paragraphs == FRONT_B
    # a grey box where the photo goes (a layout's placeholder): the caption is the story's, no figure
    assert b.get("Caption") == FRONT_CAPTION and not b.get("Images")


def test_briefs_and_a_photo_across_two_of_three_columns(converted):
    arts = page_articles(converted, "2026-03-17", 6)
    assert [a.get("Title") for a in arts] == ["无人码头的一天"] + [t for t, _ in BRIEFS]
    port = arts[0]
    assert port.get("Kicker").replace("　", " ") == "港口码头 智慧作业"
    assert port.get("Authors") == "郑扬"
    assert port.get("Caption") == f"{PORT_CAPTION} 孙 浩摄"  # the credit as printed, its gap one space
    assert port.paragraphs == STORY
    for art, (_, text) in zip(arts[1:], BRIEFS, strict=True):
        assert art.paragraphs == [text]
    assert {a.get("Section") for a in arts} == {"城市"}


def test_story_photos_become_the_articles_figures(converted, tmp_path):
    """Each photo is cut from the page as its story's picture (WebP, named by its bytes), shown
    with its caption; the stories without a photo have none; a second conversion writes the
    same bytes."""
    from PIL import Image

    figures = {}
    for page, title, rgb in ((5, "千年运河焕新颜", (40, 90, 140)), (6, "无人码头的一天", (150, 60, 30))):
        arts = _by_title(page_articles(converted, "2026-03-17", page))
        assert [t for t, a in arts.items() if a.get("Images")] == [title]
        (rel,) = arts[title].list("Images")
        assert rel.startswith(f"images/2026-03-17/{page:02d}/pdf-") and rel.endswith(".webp")
        data = (converted / rel).read_bytes()
        with Image.open(io.BytesIO(data)) as img:
            assert img.format == "WEBP" and img.width >= 400
            # the photo as printed: its own colour fills it (not the page's white around it)
            colours = img.convert("RGB").getcolors(img.width * img.height)
            most = max(colours)[1]
            assert all(abs(a - b) <= 12 for a, b in zip(most, rgb, strict=True)), most
        figures[rel] = data
    again = tmp_path / "again"
    day = tmp_path / "raw" / "demo" / "2026-03-17"
    day.mkdir(parents=True)
    (day.parent / "paper.toml").write_text('name = "示例日报"\n', encoding="utf-8")
    source = converted.parent / "raw" / "demo" / "2026-03-17" / "06.pdf"
    (day / "06.pdf").write_bytes(source.read_bytes())
    result = run_converter(day.parent, again, "demo")
    assert result.returncode == 0, result.stdout + result.stderr
    rel = next(r for r in figures if "/06/" in r)
    assert (again / rel).read_bytes() == figures[rel]


def test_two_line_title_subtitle_without_dash_and_caption_beside_its_photo(converted):
    arts = page_articles(converted, "2026-03-17", 8)
    assert [a.get("Title") for a in arts] == ["".join(TWO_LINE), "古城夜色点亮消费新场景"]
    river, night = arts
    assert river.get("Subtitle") == "长江干流水质连续多年保持二类"
    assert river.get("Authors") == "孙强" and river.get("Correspondents") == "钱多"
    assert river.paragraphs == RIVER
    assert night.get("Caption") == NIGHT_CAPTION and night.get("Images")
    assert night.paragraphs == [NIGHT[0], NIGHT[1].removesuffix("（本报记者　何　琳）")]
    assert night.get("Authors") == "何琳"


def test_stacked_stories_beside_a_photo_news_item(converted):
    """Columns are read as columns beside a photo (not band by band where one column's
    title happens to end just above the others' text); a reporter set under a story's
    columns closes that story (not a caption of the photo beside it); a photo with a title
    and a caption is a story of its own, with no text; a jump line run on after the last
    sentence is the story's jump, not its text."""
    arts = page_articles(converted, "2026-03-17", 2)
    assert [a.get("Title") for a in arts] == [
        "今年新开公交线路二十条", "公园迎来赏花高峰", "中学生科创作品获全国一等奖", "湿地候鸟翩翩起舞"]
    bus, park, science, birds = arts
    assert (bus.get("Kicker"), bus.get("Subtitle")) == ("方便群众出行", "优化调整线路四十条")
    assert bus.get("Authors") == "刘洋" and bus.get("Correspondents") == "陈晨" and bus.get("ContinuedOn") == "3"
    assert bus.paragraphs == [BUS[0].removeprefix("本报讯（记者 刘洋 通讯员 陈晨）"), *BUS[1:], *BUS_AFTER]
    assert bus.subheads == [BUS_SUBHEAD]
    assert park.paragraphs == PARK and park.get("Authors") == "王芳" and park.get("AuthorRole") == "本报记者"
    assert not park.get("Images") and not park.get("Caption")
    assert science.paragraphs == SCIENCE and science.get("Authors") == "赵磊" and not science.get("Caption")
    assert birds.paragraphs == [] and birds.get("Images")
    assert birds.get("Caption") == f"{BIRDS_CAPTION} 本报记者 钱 江摄"


def test_text_running_on_past_a_photo_in_its_column_and_two_photos_side_by_side(converted):
    """A paragraph that runs on from beside a photo set into its column to under it is one
    paragraph; two photos side by side over a story are both its pictures, with both
    captions in order."""
    arts = page_articles(converted, "2026-03-17", 3)
    assert [a.get("Title") for a in arts] == ["前两个月经济运行开局良好", "春风吹绿万重山"]
    economy, trees = arts
    assert economy.paragraphs == [ECONOMY[0].removeprefix("本报北京3月16日电（记者 孙强）"), *ECONOMY[1:]]
    assert economy.get("Caption") == ECONOMY_CAPTION and len(economy.list("Images")) == 1
    assert trees.paragraphs == TREES and trees.get("Authors") == "周敏"
    assert trees.get("Caption") == " ".join(TREES_CAPTIONS) and len(trees.list("Images")) == 2



def test_a_rule_across_parts_the_stories_before_the_gutters_do(converted):
    """A title beside its columns is the story's; a rule drawn across the page between two
    stories parts them first, so the upper story's last column is read with it, not after
    the lower story whose empty third column lines up under it."""
    arts = page_articles(converted, "2026-03-17", 7)
    assert [a.get("Title") for a in arts] == ["古镇的早晨", "山间春茶采摘忙"]
    town, tea = arts
    assert town.paragraphs == TOWN and town.get("Authors") == "林夕"
    assert tea.paragraphs == TEA and tea.get("Authors") == "陈雨"


def test_a_pull_quote_is_its_storys_text_and_bylines_in_other_forms(converted):
    """Display type inside a story's columns that quotes the story (its other columns beside
    it) starts no story: it stays where it stands, as the story's text; a byline after a □,
    and one set in the body's type close above the text (a correspondent named first), are
    bylines; in a list, a ● opens each item."""
    arts = page_articles(converted, "2026-03-17", 9)
    assert [a.get("Title") for a in arts] == ["共享菜园种出邻里情", "5G网络覆盖全市", INDEX_TITLE]
    garden, network, index = arts
    assert index.paragraphs == INDEX  # each item a paragraph of its own, the one in two lines whole
    assert garden.paragraphs == [*GARDEN[:2], GARDEN_QUOTE, *GARDEN[2:]]
    assert (garden.get("Authors"), garden.get("AuthorRole")) == ("黄河", "本报记者")
    assert network.paragraphs == NETWORK
    assert (network.get("Authors"), network.get("Correspondents")) == ("方圆", "郑新")


def test_a_photo_over_its_storys_headline_and_a_row_of_two_stories(converted):
    """A photo and its caption set above a headline are that story's; two stories side by
    side under a rule are read each whole, left then right."""
    arts = page_articles(converted, "2026-03-17", 4)
    assert [a.get("Title") for a in arts] == ["全省春耕生产有序推进", *(t for t, _, _ in ROW)]
    fields, *row = arts
    assert fields.paragraphs == FIELDS and fields.get("Caption") == FIELDS_CAPTION and fields.get("Images")
    for art, (_, name, text) in zip(row, ROW, strict=True):
        assert art.paragraphs == text and art.get("Authors") == name and not art.get("Images")


def test_headlines_set_vertically_and_a_headline_set_solid(converted):
    """A title set vertically heads the story beside it, on either side (on its right, with a
    subtitle beside it, read right to left: title, subtitle); a headline whose lines are set
    as tight as its type is read line after line."""
    arts = page_articles(converted, "2026-03-17", 10)
    assert [a.get("Title") for a in arts] == [STREET_TITLE, HARBOUR_TITLE, BRIDGE_TITLE.replace("　", " ")]
    street, harbour, bridge = arts
    assert street.get("Subtitle") == STREET_SUBTITLE and street.paragraphs == STREET
    assert street.get("Authors") == "沈舟"
    assert harbour.paragraphs == HARBOUR and harbour.get("Authors") == "海生"
    assert bridge.get("Kicker") == BRIDGE_KICKER and bridge.paragraphs == BRIDGE and bridge.get("Authors") == "江帆"
    assert not any(a.get("TitleInferred") for a in arts)


def test_an_advertisement_boxed_across_the_page_is_left_out_and_named(converted):
    """A box drawn across the page parts it as a rule does (the right-hand story is not read
    into the advertisement under it, though the advertisement's centred text leaves a gap
    running down beside it); the region marked 广告 is no story, and the report names it.
    A label in a band of its own right over a headline is that story's kicker."""
    arts = page_articles(converted, "2026-03-17", 11)
    assert [a.get("Title") for a in arts] == [AD_PAGE_TITLE.replace("　", " "), "5G网络覆盖全市"]
    assert not arts[0].get("Subtitle")
    bridge, network = arts
    assert bridge.paragraphs == BRIDGE and bridge.get("Authors") == "江帆"
    assert network.paragraphs[-len(NETWORK):] == NETWORK
    assert network.get("Kicker") == "数据" and not bridge.subheads  # the label in a band over the title
    assert not any(a.get("Images") for a in arts)  # the advertisement's picture is no story's
    report = json.loads((converted / "conversion-report.json").read_text(encoding="utf-8"))
    page = next(p for p in report["pages"] if p["key"].endswith("11.pdf"))
    skipped = [i for i in page["issues"] + page["notes"] if i["code"] == "advert-skipped"]
    assert [i["params"]["text"] for i in skipped] == [AD_TITLE.replace("　", " ")]


def test_a_photo_over_a_headline_beside_another_story_and_the_pages_staff(converted):
    """A photo and its caption set right over a headline go with that story, though the
    story beside them is read before (the photo is not the earlier story's); the line naming
    the page's staff at its foot is no story's text, and the report names it."""
    arts = page_articles(converted, "2026-03-17", 12)
    assert [a.get("Title") for a in arts] == [STREET_TITLE, HARBOUR_TITLE]
    street, harbour = arts
    assert street.paragraphs == STREET and not street.get("Images")
    assert harbour.paragraphs == HARBOUR and harbour.get("Images")
    assert harbour.get("Caption") == HARBOUR_CAPTION.replace("　", " ")
    report = json.loads((converted / "conversion-report.json").read_text(encoding="utf-8"))
    page = next(p for p in report["pages"] if p["key"].endswith("12.pdf"))
    staff = [i["params"]["text"] for i in page["issues"] + page["notes"] if i["code"] == "page-staff"]
    assert staff == [STAFF.replace("　　", " ").replace("　", " ")]


def test_a_lead_story_set_in_larger_type_than_the_page_is_text_not_headlines(converted):
    """Running text set larger than the rest of the page (a front page's lead story) is text:
    its columns' short last lines are no headline of a story of their own."""
    arts = page_articles(converted, "2026-03-17", 13)
    assert [a.get("Title") for a in arts] == [LARGE_LEAD_TITLE, STREET_TITLE, HARBOUR_TITLE, "让城市更新更有温度"]
    lead, street, harbour, comment = arts
    assert lead.paragraphs == [LEAD[0].split("）", 1)[1], *LEAD[1:], *SIDE]
    assert lead.get("Authors") == "陈静远"
    assert street.paragraphs == STREET and harbour.paragraphs == HARBOUR and comment.paragraphs == COMMENT


def test_a_byline_level_with_its_headline_at_the_far_end_of_the_row(converted):
    """A byline set beside the headline, over the story's last column, is the byline: not a
    paragraph in the middle of the text."""
    [street] = page_articles(converted, "2026-03-17", 14)
    assert street.get("Title") == STREET_TITLE and street.get("Authors") == "沈舟"
    assert street.paragraphs == STREET


def test_a_banner_over_the_pages_stories_heads_none_of_them(converted):
    """Display type in a band of its own across the page, over stories side by side that have
    their own headlines, is the page's label: no story's title or kicker, named in the report
    (as its words, not letter-spaced)."""
    arts = page_articles(converted, "2026-03-17", 15)
    assert [(a.get("Title"), a.get("Kicker") or "") for a in arts] == [(STREET_TITLE, ""), (HARBOUR_TITLE, "")]
    assert arts[0].paragraphs == STREET and arts[1].paragraphs == HARBOUR
    report = json.loads((converted / "conversion-report.json").read_text(encoding="utf-8"))
    page = next(p for p in report["pages"] if p["key"].endswith("15.pdf"))
    assert [i["params"]["text"] for i in page["issues"] + page["notes"] if i["code"] == "page-label"] == [BANNER]


def test_a_caption_under_a_photo_is_not_the_caption_of_a_wider_photo_beside_it(converted, tmp_path):
    """Each photo goes with the story whose caption is set under it: a caption right under
    a narrow photo, within two lines of a wide photo's side, is the narrow photo's."""
    street, harbour = page_articles(converted, "2026-03-17", 16)
    assert (street.get("Title"), harbour.get("Title")) == (STREET_TITLE, HARBOUR_TITLE)
    assert street.get("Caption") == WIDE_CAPTION.replace("　", " ") and len(street.list("Images")) == 1
    assert harbour.get("Caption") == NARROW_CAPTION.replace("　", " ") and len(harbour.list("Images")) == 1
    assert street.paragraphs == STREET and harbour.paragraphs == HARBOUR


def test_a_boxed_sidebar_inside_a_storys_columns_is_that_storys(converted):
    """A box in a story's columns headed in display type (相关链接) is the story's sidebar:
    its title a subhead, its text the story's, and the story's text after the box still the
    story's (not the sidebar's, as if the box's title started a story)."""
    street, harbour = page_articles(converted, "2026-03-17", 17)
    assert (street.get("Title"), harbour.get("Title")) == (STREET_TITLE, HARBOUR_TITLE)
    assert street.paragraphs == [*STREET[:3], *SIDEBAR, *STREET[3:], *SIDE]
    assert street.subheads == [SIDEBAR_TITLE] and harbour.paragraphs == HARBOUR


def test_titles_set_vertically_in_rows_and_a_headline_set_solid_beside_a_photo(converted):
    """A title set vertically at the right of its story is that story's, not the story's
    on its left (headed by a kicker in type hardly larger than the text); two such titles
    one under the other in one strip at the page's right each head their own row (a
    byline centred over the columns of one is its byline, not a subhead); one a
    gutter from another story's headline in its type, level with it, stays a column of
    characters, not a piece of that headline; a
    headline over columns with no gap under it to cut at is read before them, and the
    columns in turn (the first headed by a photo's caption)."""
    arts = page_articles(converted, "2026-03-17", 18)
    assert [a.get("Title") for a in arts] == [HARBOUR_TITLE, STREET_TITLE, TOWN_TITLE, TEA_TITLE, GARDEN_TITLE,
                                              NETWORK_TITLE, ECONOMY_TITLE]
    harbour, street, town, tea, garden, network, economy = arts
    assert garden.paragraphs == GARDEN and network.paragraphs == NETWORK
    assert harbour.get("Kicker") == BRIDGE_KICKER and harbour.paragraphs == HARBOUR
    assert harbour.get("Authors") == "江帆" and street.get("Authors") == "沈舟"
    assert street.paragraphs == STREET and town.paragraphs == TOWN and tea.paragraphs == TEA
    assert tea.get("Authors") == "叶青"  # centred over its columns, read after its title, not its first column
    assert economy.paragraphs == ECONOMY[1:] and economy.get("Caption") == ECONOMY_CAPTION
    assert not any(a.get("TitleInferred") for a in arts)
