"""Generate deterministic corpora of post shapes users have, cached in a work folder by shape and size.

The seed (/work/shared/seed-posts/000_be0667cbffa95e2b.txt) is a Jekyll post: YAML front matter with a
Korean title, a `categories` list, folded `excerpt` and `feature_text`, a root-relative `image`, then
~7 KB of HTML (h2 sections, paragraphs with inline style spans, `&nbsp;` spacers, an hr, a footer link).
Its file name carries no date, so ~5% of the generated posts have none either and are dated by mtime.

Every shape in SHAPES is a corpus of its own (see bench/README.md); `seed` is the seed's shape and generates
the same posts as version 1 of this module did.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

VERSION = 2  # bump when the shape changes: cached corpora with another version are regenerated
SEED = 20240726
UNDATED_SHARE = 0.05
FIRST_DAY = date(2015, 1, 1)
SPAN_DAYS = 3650
MANIFEST = "corpus.json"

CONFIG = """\
[site]
url = "https://bench.example.kr/"
title = "벤치 뉴스"
language = "ko"
timezone = "Asia/Seoul"
static_dir = "site"

[posts]
dirs = ["site/_posts"]

[output]
dir = "out"

[feeds]
limit = 20
"""

IMAGES = (
    "newsdao_breakingnews",
    "economy_chart",
    "seoul_skyline",
    "health_tips",
    "travel_jeju",
    "tech_review",
    "sports_final",
    "culture_festival",
)
CATEGORIES = ("News", "Economy", "IT", "Health", "Travel", "Sports", "Culture", "생활정보", "국제")
TOPICS = (
    "북러 밀착",
    "아세안 안보회의",
    "금리 동결",
    "반도체 수출",
    "전세 사기",
    "의대 정원",
    "폭염 경보",
    "태풍 북상",
    "청년 일자리",
    "전기차 보조금",
    "부동산 대책",
    "올림픽 메달",
    "한류 콘서트",
    "물가 상승",
    "환율 급등",
    "저출산 대책",
    "인공지능 규제",
    "제주 여행",
    "건강검진",
    "연말정산",
)
TITLE_ENDINGS = (
    "한국과 라오스의 강력한 규탄!",
    "무엇이 달라지나",
    "핵심 정리",
    "전문가 전망은?",
    "지금 알아야 할 것",
    "총정리",
    "현장 분위기",
    "정부 대응 발표",
    "시장 반응은",
    "앞으로의 과제",
)
SENTENCES = (
    "2023년 라오스에서 열린 아세안지역안보포럼은 27개 나라의 외교장관들이 모여 안보 문제를 논의했습니다.",
    "이 회의는 매년 열리는 행사로, 한국을 포함한 미, 중, 일, 러시아 각국 외교장관들이 참석했습니다.",
    "북한은 이번 포럼에도 참석하였지만, 주목할 점은 북한의 고립된 모습이었습니다.",
    "한국 정부는 이에 대한 강한 반대를 표명하며 모든 참가국들이 단결하여 대응할 것을 촉구했습니다.",
    "전문가들은 이번 결정이 향후 시장에 적지 않은 영향을 미칠 것으로 내다보고 있습니다.",
    "정부는 관계 부처와 협의를 거쳐 다음 달까지 구체적인 후속 대책을 마련하겠다고 밝혔습니다.",
    "현장에서는 기대와 우려가 엇갈리는 가운데 시민들의 관심이 그 어느 때보다 높아지고 있습니다.",
    "이러한 흐름은 당분간 이어질 것으로 보이며, 관련 업계는 대응 방안을 마련하느라 분주한 모습입니다.",
    "지난해와 비교하면 수치가 크게 늘어난 것으로 나타나 각별한 주의가 필요하다는 지적이 나옵니다.",
    "중국 역시 이번 논의에 참석했으며, 다양한 이슈에 대한 의견을 제시했습니다.",
    "베트남은 역사적으로 외부적 긴장 속에서도 독립적인 외교 정책을 시행해 왔습니다.",
    "이와 같은 상황 속에서 국제 사회와의 소통을 강화하고 더욱 효과적인 외교를 위해 노력해야 할 것입니다.",
    "소비자들은 가격 변동에 민감하게 반응하며 합리적인 선택을 위해 정보를 꼼꼼히 비교하고 있습니다.",
    "지역 주민들은 이번 조치가 실제 생활에 어떤 변화를 가져올지 지켜보겠다는 반응을 보였습니다.",
    '관계자는 "충분한 준비 기간을 두고 단계적으로 시행할 계획"이라고 설명했습니다.',
    "다만 일부에서는 실효성에 의문을 제기하며 보다 근본적인 해결책이 필요하다고 주장합니다.",
    "통계청 자료에 따르면 같은 기간 관련 지표는 3.2% 상승해 예상치를 웃돌았습니다.",
    "이번 발표는 오랜 논의 끝에 나온 결과로, 여러 이해관계자의 의견이 반영되었습니다.",
    "앞으로도 비슷한 사례가 반복되지 않도록 제도적 보완이 뒤따라야 한다는 목소리가 높습니다.",
    "특히 청년층과 고령층 모두에게 실질적인 도움이 될 수 있도록 세심한 설계가 요구됩니다.",
)
HEADINGS = (
    "주요 사항",
    "배경과 경과",
    "정부의 입장",
    "전문가 분석",
    "시장 반응",
    "중국의 역할과 입장",
    "베트남의 역할과 기여",
    "앞으로의 전망",
    "시민들의 반응",
    "핵심 요약",
)
STYLES = (
    '<b><span style="color: #ee2323;">{}</span></b>',
    '<b><span style="background-color: #21538527;">{}</span></b>',
    '<b><span style="color: #1a5490;">{}</span></b>',
    "<b>{}</b>",
)
SPACER = '<p data-ke-size="size16">&nbsp;</p>'
# A tiny JFIF header and end marker around filler bytes: enough for a size and a MIME type by extension.
JPEG_HEAD = bytes.fromhex("ffd8ffe000104a46494600010100000100010000")
JPEG_TAIL = bytes.fromhex("ffd9")


SHAPES = (
    "seed",  # the seed: image in front matter (and atop the body), block YAML, HTML bodies in .md/.html
    "body-image-html",  # no image in front matter: an HTML <img> or <figure> in the body, atop or further down
    "body-image-markdown",  # no image in front matter: Markdown prose bodies with a ![]() image
    "picture-srcset",  # no image in front matter: <picture><source srcset> or <img srcset sizes> in the body
    "no-image",  # no image anywhere
    "markdown-heavy",  # Markdown bodies: headings, nested lists, tables, fenced code, footnotes, quotes, links
    "flow-front-matter",  # flow lists (tags: ["k-pop", "영화"]), quoted scalars, single-quoted titles with ''
    "undated",  # no date in front matter or file name; the corpus is a git repository, a commit per post
    "mixed",  # the mix: a third image-in-body or none, flow lists, the seed's HTML inside .md files
    "no-excerpt",  # no excerpt in front matter (most Jekyll and Hugo posts): the first paragraph is the excerpt
    "jekyll",  # no-excerpt's posts as a Jekyll site, read with Jekyll's rules (init --from-jekyll: kramdown, Liquid)
    "hugo",  # a Hugo site (init --from-hugo): Markdown posts named by slug, dates in front matter, taxonomy feeds
)
# The Jekyll shape's _config.yml, and what `feedpub init --from-jekyll` adds to the config for it.
JEKYLL_CONFIG = 'title: "벤치 뉴스"\nurl: "https://bench.example.kr"\ntimezone: Asia/Seoul\n'
JEKYLL_POSTS = 'generator = "jekyll"\nsource = "site"\ntemplates = "liquid"\n'
SEOUL = timezone(timedelta(hours=9))  # Hugo posts carry their offset: `hugo new` writes the local time
# The Hugo shape's hugo.toml, and the config `feedpub init --from-hugo` writes for it (`dirs` is for the naive script:
# feedpub takes Hugo's content folder from hugo.toml).
HUGO_CONFIG = """\
baseURL = "https://bench.example.kr/"
title = "벤치 뉴스"
languageCode = "ko"
timeZone = "Asia/Seoul"

[permalinks]
  posts = "/:year/:month/:filename/"

[markup.goldmark.renderer]
  unsafe = true

[services.rss]
  limit = 20
"""
HUGO_FEEDPUB_CONFIG = """\
[site]
url = "https://bench.example.kr/"
title = "벤치 뉴스"
language = "ko"
timezone = "Asia/Seoul"
static_dir = "site/static"

[posts]
dirs = ["site/content/posts"]
generator = "hugo"
source = "site"
templates = "hugo"

[output]
dir = "out"

[feeds]
rss = "index.xml"
limit = 20
categories = true
tags = true
"""

TAGS: tuple[str, ...] = ("k-pop", "영화", "드라마", "economy", "서울", "AI", "여행", "건강", "반도체", "부동산")
TAGS += ("C++", "node.js", "IT 뉴스")
ENGLISH = (
    "The ASEAN Regional Forum brought together foreign ministers from 27 countries to discuss security.",
    "Analysts expect the decision to weigh on markets for the rest of the quarter.",
    "Officials said a detailed follow-up plan would be announced next month.",
    "Readers in Seoul and Busan reported long queues at the new ticket offices.",
    "The report, published on Tuesday, is available in Korean and English.",
    "Prices rose 3.2% year on year, slightly above what economists had forecast.",
    "Fans of K-pop and Korean film have driven a sharp rise in tourism to the city.",
    "The committee will meet again in March to review the first results.",
)
CODE = (
    (
        "python",
        'import feedparser\n\nfeed = feedparser.parse("https://news.example.kr/rss.xml")\n'
        "for entry in feed.entries[:5]:\n    print(entry.title, entry.link)",
    ),
    ("bash", "curl -s https://news.example.kr/feed.json | jq '.items[] | .title'\nls -la _posts | wc -l"),
    ("json", '{\n  "title": "벤치 뉴스",\n  "items": [{"id": "1", "tags": ["k-pop", "영화"]}]\n}'),
    ("html", '<p class="lead">속보: <a href="/news/">뉴스</a> &amp; 이벤트</p>\n<img src="/assets/img/x.jpg" alt="">'),
)


@dataclass(frozen=True)
class Corpus:
    root: Path  # holds config.toml, site/_posts, site/assets/img
    size: int
    victim: Path  # the newest post: the one the one-post-changed case edits
    shape: str = "seed"

    @property
    def config(self) -> Path:
        return self.root / "config.toml"

    @property
    def posts(self) -> Path:
        return posts_folder(self.root, self.shape)


def posts_folder(root: Path, shape: str) -> Path:
    """Where the shape's posts are: Jekyll's _posts, or a Hugo site's content/posts."""
    return root / "site" / ("content/posts" if shape == "hugo" else "_posts")


def _paragraph(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(2, 4)):
        sentence = rng.choice(SENTENCES)
        parts.append(rng.choice(STYLES).format(sentence) if rng.random() < 0.4 else sentence)
    return "<p>" + " ".join(parts) + " </p>"


def _seed_figure(image: str, topic: str) -> str:
    return f'<p><img src="/assets/img/{image}.jpg" alt="{topic} 속보" /></p>'


def _body(rng: random.Random, image: str, topic: str) -> str:
    budget = rng.randint(5000, 7000)  # UTF-8 bytes of HTML, like the seed's ~7 KB file
    lines = [_seed_figure(image, topic), ""]
    size = 0
    while size < budget - 1200:  # leave room for the closing paragraph and footer
        section = [f'<h2 data-ke-size="size26">{topic} {rng.choice(HEADINGS)}</h2>', "", SPACER, ""]
        for _ in range(rng.randint(2, 3)):
            section += [_paragraph(rng), ""]
        section += [SPACER, ""]
        size += sum(len(line.encode()) + 1 for line in section)
        lines += section
    lines += ['<hr style="height:2px; border:none; background-color:#333;"/>', "", SPACER, ""]
    lines += [_paragraph(rng), ""]
    lines.append('실시간 뉴스 속보는, <a href="https://news.example.kr" rel="dofollow">https://news.example.kr</a>')
    return "\n".join(lines) + "\n"


def _swap_figure(body: str, figure: str | None, low: bool) -> str:
    """Replace the seed body's leading image by `figure` (None: no image), atop the body or, if `low`, further down."""
    first, _, rest = body.partition("\n\n")
    assert first.startswith("<p><img ")
    if figure is None:
        return rest
    if low:  # before the second section's heading: an image found only past the first screen
        cut = rest.find("<h2", rest.find("<h2") + 1)
        if cut > 0:
            return rest[:cut] + figure + "\n\n" + rest[cut:]
    return figure + "\n\n" + rest


def _html_figure(rng: random.Random, image: str, topic: str) -> str:
    if rng.random() < 0.5:
        return f'<p><img src="/assets/img/{image}.jpg" alt="{topic} 현장" width="640" height="360"></p>'
    return (
        f'<figure class="image"><img src="/assets/img/{image}.jpg" alt="{topic}" loading="lazy">'
        f"<figcaption>{topic} 관련 사진 (Photo: 연합)</figcaption></figure>"
    )


def _markdown_figure(rng: random.Random, image: str, topic: str) -> str:
    if rng.random() < 0.5:
        return f'![{topic} 속보](/assets/img/{image}.jpg "{topic}")'
    return f"![{topic}](/assets/img/{image}.jpg)"


def _picture_figure(rng: random.Random, image: str, topic: str) -> str:
    base = f"/assets/img/{image}"
    if rng.random() < 0.5:
        return (
            "<picture>\n"
            f'  <source type="image/webp" srcset="{base}-480.webp 480w, {base}-960.webp 960w"'
            ' sizes="(max-width: 600px) 480px, 960px">\n'
            f'  <img src="{base}.jpg" alt="{topic} 사진" width="960" height="540">\n'
            "</picture>"
        )
    return (
        f'<p><img srcset="{base}-480.jpg 480w, {base}.jpg 960w" sizes="(max-width: 600px) 480px, 960px"'
        f' src="{base}-480.jpg" alt="{topic}" loading="lazy" decoding="async"></p>'
    )


def _inline_markdown(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(2, 4)):
        sentence = rng.choice(SENTENCES) if rng.random() < 0.75 else rng.choice(ENGLISH)
        style = rng.random()
        if style < 0.2:
            sentence = f"**{sentence}**"
        elif style < 0.3:
            sentence = f"*{sentence}*"
        elif style < 0.4:
            sentence = f"{sentence} ([출처](https://news.example.kr/{rng.randint(1, 99999)}))"
        parts.append(sentence)
    return " ".join(parts)


def _markdown_block(rng: random.Random, topic: str, footnotes: list[str]) -> list[str]:
    kind = rng.randrange(7)
    if kind == 0:  # a nested bullet list
        items = []
        for _ in range(rng.randint(3, 5)):
            items.append(f"- {rng.choice(SENTENCES)}")
            if rng.random() < 0.4:
                items += [f"  - `{rng.choice(TAGS)}`: {rng.choice(ENGLISH)}", f"  - {rng.choice(SENTENCES)}"]
        return items
    if kind == 1:  # an ordered list
        return [f"{n}. **{rng.choice(HEADINGS)}** — {rng.choice(SENTENCES)}" for n in range(1, rng.randint(3, 6))]
    if kind == 2:  # a table
        rows = ["| 항목 | 2023년 | 2024년 | 변화 |", "|:-----|------:|------:|:---:|"]
        for _ in range(rng.randint(3, 6)):
            a, b = rng.randint(100, 9999), rng.randint(100, 9999)
            rows.append(f"| {rng.choice(TOPICS)} | {a:,} | {b:,} | {(b - a) / a:+.1%} |")
        return rows
    if kind == 3:  # fenced code
        language, code = rng.choice(CODE)
        return [f"```{language}", code, "```"]
    if kind == 4:  # a quote
        return [f"> {rng.choice(SENTENCES)}", ">", f"> — {rng.choice(ENGLISH)}"]
    if kind == 5:  # a footnote reference
        label = len(footnotes) + 1
        footnotes.append(f"[^{label}]: {rng.choice(SENTENCES)} <https://news.example.kr/notes/{label}>")
        return [f"{_inline_markdown(rng)}[^{label}]"]
    return [f"### {topic}: {rng.choice(HEADINGS)}", "", _inline_markdown(rng)]  # a sub-heading


def _markdown_body(rng: random.Random, topic: str, heavy: bool, figure: str | None) -> str:
    """A Markdown body of 5–7 KB: prose under ## headings; `heavy` adds lists, tables, code, quotes, footnotes."""
    budget = rng.randint(5000, 7000)
    lines: list[str] = []
    if figure and rng.random() < 0.6:
        lines += [figure, ""]
        figure = None
    footnotes: list[str] = []
    size = 0
    while size < budget - 600:
        section = [f"## {topic} {rng.choice(HEADINGS)}", ""]
        for _ in range(rng.randint(1, 2)):
            section += [_inline_markdown(rng), ""]
            if heavy:
                section += [*_markdown_block(rng, topic, footnotes), ""]
        if figure:  # an image below the first section
            section += [figure, ""]
            figure = None
        size += sum(len(line.encode()) + 1 for line in section)
        lines += section
    lines += ["---", "", _inline_markdown(rng), ""]
    lines.append("실시간 뉴스 속보는 [news.example.kr](https://news.example.kr)에서 확인하세요.")
    if footnotes:
        lines += ["", *footnotes]
    return "\n".join(lines) + "\n"


def _yaml_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _yaml_double(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _block_front(title_yaml: str, categories: list[str], excerpt: str, image: str | None) -> list[str]:
    lines = [
        f"title: {title_yaml}",
        "categories:",
        *(f"  - {c}" for c in categories),
    ]
    if excerpt:
        lines += ["excerpt: >", f"  {excerpt}", "feature_text: >", f"  {excerpt}"]
    if image:
        lines.append(f"image: '/assets/img/{image}.jpg'")
    return lines


def _flow_front(
    rng: random.Random, topic: str, ending: str, categories: list[str], excerpt: str, image: str | None, when: datetime
) -> list[str]:
    """Flow lists and quoted scalars: what Jekyll themes, Hugo exports and hand-written posts use."""
    style = rng.random()
    if style < 0.35:  # single-quoted, with '' for a quote inside
        title = _yaml_quote(f"{topic}, '{rng.choice(TAGS)}'의 {ending}")
    elif style < 0.7:  # double-quoted, with escapes
        title = _yaml_double(f'{topic}: "{ending}" — {rng.choice(TAGS)}')
    else:
        title = f"{topic} {ending}"
    tags = rng.sample(TAGS, rng.randint(1, 5))
    quoted_tags = ", ".join(_yaml_double(t) if rng.random() < 0.7 else _yaml_quote(t) for t in tags)
    quoted_categories = ", ".join(_yaml_double(c) if rng.random() < 0.5 else c for c in categories)
    lines = [f"title: {title}", f"categories: [{quoted_categories}]", f"tags: [{quoted_tags}]"]
    if rng.random() < 0.5:  # the file name's day, with a time and an offset
        lines.append(f'date: "{when:%Y-%m-%d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00 +0900"')
    lines += [f"excerpt: {_yaml_double(excerpt)}", f"feature_text: {_yaml_quote(excerpt)}"]
    if image:
        lines.append(f'image: "/assets/img/{image}.jpg"')
    if rng.random() < 0.3:
        lines.append("author: {name: '김기자', email: \"reporter@news.example.kr\"}")
    return lines


def _hugo_front(rng: random.Random, title: str, categories: list[str], when: datetime) -> list[str]:
    """What `hugo new` and Hugo themes write: a quoted title, an RFC 3339 date, flow lists of terms, `draft`."""
    lines = [f"title: {_yaml_double(title)}", f"date: {when.astimezone(SEOUL).isoformat()}"]
    if rng.random() < 0.5:
        lines.append("draft: false")
    lines.append(f"categories: [{', '.join(_yaml_double(c) for c in categories)}]")
    lines.append(f"tags: [{', '.join(_yaml_double(t) for t in rng.sample(TAGS, rng.randint(1, 4)))}]")
    if rng.random() < 0.3:
        lines.append(f"description: {_yaml_double(rng.choice(SENTENCES))}")
    return lines


def render_post(index: int, size: int, shape: str = "seed") -> tuple[str, str, float]:
    """Return (file name, text, mtime) of post `index` of a corpus of `size` posts of `shape`.

    The draws from `rng` are the seed shape's (so `seed` keeps its posts); each other shape draws its choices
    from `pick`, a generator of its own.
    """
    rng = random.Random(SEED * 1_000_003 + index)
    pick = random.Random(SEED * 7_919 + index * 64 + SHAPES.index(shape))
    topic = rng.choice(TOPICS)
    ending = rng.choice(TITLE_ENDINGS)
    title = f"{topic} {ending}"
    # Titles with a colon must be quoted in YAML; some real posts are.
    title_yaml = _yaml_quote(f"{topic}: {rng.choice(TITLE_ENDINGS)}") if rng.random() < 0.1 else title
    categories = rng.sample(CATEGORIES, rng.choice((1, 1, 1, 2)))
    image = rng.choice(IMAGES)
    excerpt = " ".join(rng.sample(SENTENCES, 2))
    ext = ".html" if rng.random() < 0.3 else ".md"
    # Spread dates over ten years in index order, jittered so files are not already sorted by date.
    day = FIRST_DAY + timedelta(days=min(SPAN_DAYS, max(0, index * SPAN_DAYS // size + rng.randint(-20, 20))))
    when = datetime(day.year, day.month, day.day, rng.randint(0, 23), rng.randint(0, 59), tzinfo=UTC)
    token = f"{rng.getrandbits(64):016x}"
    if rng.random() < UNDATED_SHARE or shape == "undated":
        name = f"{index:06d}_{token}"  # like the seed: no date, so git or the mtime dates it
    elif rng.random() < 0.3:
        name = f"{day.isoformat()}-{topic.replace(' ', '-')}-{index}"  # a Hangul slug
    else:
        name = f"{day.isoformat()}-post-{token[:8]}-{index}"
    body = _body(rng, image, topic)
    front_image: str | None = image
    if shape in ("body-image-markdown", "markdown-heavy", "mixed"):
        ext = ".md"
    if shape == "body-image-html":
        front_image = None
        body = _swap_figure(body, _html_figure(pick, image, topic), low=pick.random() < 0.4)
    elif shape == "body-image-markdown":
        front_image = None
        body = _markdown_body(pick, topic, heavy=False, figure=_markdown_figure(pick, image, topic))
    elif shape == "picture-srcset":
        front_image = None
        body = _swap_figure(body, _picture_figure(pick, image, topic), low=pick.random() < 0.4)
    elif shape == "no-image":
        front_image = None
        body = _swap_figure(body, None, low=False)
    elif shape == "markdown-heavy":
        body = _markdown_body(pick, topic, heavy=True, figure=None)
    elif shape in ("no-excerpt", "jekyll"):
        excerpt = ""
        roll = pick.random()
        if roll < 0.4:  # Markdown prose opening with a heading
            ext = ".md"
            body = _markdown_body(pick, topic, heavy=False, figure=None)
        elif roll < 0.7:  # the seed's HTML without its leading image: a heading, a spacer, then paragraphs
            body = _swap_figure(body, None, low=False)
    elif shape == "mixed":
        roll = pick.random()
        if roll < 1 / 3:  # a third: the image only in the body (HTML or Markdown), or none at all
            front_image = None
            figures = (_html_figure(pick, image, topic), _markdown_figure(pick, image, topic), None)
            body = _swap_figure(body, figures[int(roll * 9)], low=pick.random() < 0.4)
    elif shape == "hugo":
        # Named by slug, as `hugo new` names them; Markdown with an image in the body for half of them.
        name = f"{topic.replace(' ', '-')}-{index}" if pick.random() < 0.3 else f"post-{token[:8]}-{index}"
        ext = ".md"
        figure = _markdown_figure(pick, image, topic) if pick.random() < 0.5 else None
        body = _markdown_body(pick, topic, heavy=pick.random() < 0.2, figure=figure)
    if shape == "hugo":
        front = _hugo_front(pick, title, categories, when)
    elif shape in ("flow-front-matter", "mixed"):
        front = _flow_front(pick, topic, ending, categories, excerpt, front_image, when)
    else:
        front = _block_front(title_yaml, categories, excerpt, front_image)
    text = "\n".join(["---", *front, "---", "", ""]) + body
    return name + ext, text, when.timestamp()


def _write_assets(root: Path, shape: str) -> None:
    images = root / "site" / ("static/assets/img" if shape == "hugo" else "assets/img")
    images.mkdir(parents=True)
    for n, image in enumerate(IMAGES):
        filler = bytes(2000 + 997 * n)
        (images / f"{image}.jpg").write_bytes(JPEG_HEAD + filler + JPEG_TAIL)
        (images / f"{image}-480.jpg").write_bytes(JPEG_HEAD + filler[: len(filler) // 2] + JPEG_TAIL)
        for width in (480, 960):  # a RIFF/WEBP header: a MIME type by extension is all a feed needs
            (images / f"{image}-{width}.webp").write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 " + filler[: width * 2])


def _git_commit_each(root: Path, posts: list[tuple[float, str]]) -> None:
    """Make `root` a git repository with one commit per post, oldest first, each at the post's time.

    The posts are streamed to `git fast-import` from their files: the bench process stays small, since a child
    it starts later inherits its resident size into the child's peak RSS (ru_maxrss survives fork and exec).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(["git", "init", "-q", "-b", "main"], check=True, env=env, cwd=root)
    importer = subprocess.Popen(["git", "fast-import", "--quiet"], stdin=subprocess.PIPE, env=env, cwd=root)
    assert importer.stdin is not None
    for n, (mtime, name) in enumerate(sorted(posts), start=1):
        data = (root / "site" / "_posts" / name).read_bytes()
        message = f"post {name}".encode()
        stamp = f"{int(mtime)} +0900".encode()
        chunk = b"commit refs/heads/main\nmark :%d\n" % n
        chunk += b"author Bench <bench@example.kr> " + stamp + b"\n"
        chunk += b"committer Bench <bench@example.kr> " + stamp + b"\n"
        chunk += b"data %d\n%s\n" % (len(message), message)
        if n > 1:
            chunk += b"from :%d\n" % (n - 1)
        chunk += b"M 100644 inline site/_posts/" + name.encode() + b"\ndata %d\n" % len(data) + data + b"\n"
        importer.stdin.write(chunk)
    importer.stdin.close()
    if importer.wait():
        raise RuntimeError(f"git fast-import failed in {root}")
    subprocess.run(["git", "reset", "-q"], check=True, env=env, cwd=root)


def _generate(root: Path, size: int, shape: str) -> Path:
    posts = posts_folder(root, shape)
    posts.mkdir(parents=True)
    _write_assets(root, shape)
    if shape == "hugo":
        (root / "site" / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
        config = HUGO_FEEDPUB_CONFIG
    elif shape == "jekyll":
        (root / "site" / "_config.yml").write_text(JEKYLL_CONFIG, encoding="utf-8")
        config = CONFIG.replace('dirs = ["site/_posts"]\n', 'dirs = ["site/_posts"]\n' + JEKYLL_POSTS)
    else:
        config = CONFIG
    (root / "config.toml").write_text(config, encoding="utf-8")
    newest: tuple[float, str] = (0.0, "")
    newest_any: tuple[float, str] = (0.0, "")
    committed: list[tuple[float, str]] = []
    for index in range(size):
        name, text, mtime = render_post(index, size, shape)
        path = posts / name
        data = text.encode()
        path.write_bytes(data)
        os.utime(path, (mtime, mtime))
        if shape == "undated":
            committed.append((mtime, name))
        if name[:4].isdigit() and name[4] == "-" and (mtime, name) > newest:
            newest = (mtime, name)
        newest_any = max(newest_any, (mtime, name))
    if committed:
        _git_commit_each(root, committed)
    return posts / (newest[1] or newest_any[1])


def ensure_corpus(workdir: Path, size: int, shape: str = "seed") -> tuple[Corpus, bool]:
    """Return the `shape` corpus of `size` posts under `workdir`, generating it unless cached; True if generated."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; shapes: {', '.join(SHAPES)}")
    root = workdir / f"{shape}-{size}"
    manifest = root / MANIFEST
    expected = {"version": VERSION, "seed": SEED, "size": size, "shape": shape}
    if manifest.is_file():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if {k: data.get(k) for k in expected} == expected:
            return Corpus(root, size, root / data["victim"], shape), False
    shutil.rmtree(root, ignore_errors=True)
    tmp = workdir / f"{shape}-{size}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    victim = _generate(tmp, size, shape)
    relative = victim.relative_to(tmp).as_posix()
    (tmp / MANIFEST).write_text(json.dumps({**expected, "victim": relative}), encoding="utf-8")
    tmp.rename(root)
    return Corpus(root, size, root / relative, shape), True


def warm(corpus: Corpus) -> None:
    """Read every post once so the first timed run does not pay for a cold page cache."""
    for entry in os.scandir(corpus.posts):
        with open(entry.path, "rb") as f:
            f.read()


def main() -> None:
    """Print one post of each shape (python bench/corpus.py [SHAPE ...]), to look at what is generated."""
    import sys

    for shape in sys.argv[1:] or SHAPES:
        name, text, _ = render_post(7, 1000, shape)
        print(f"===== {shape}: {name}\n{text[:1500]}…\n")


if __name__ == "__main__":
    main()
