"""Generate deterministic corpora shaped like the seed post, cached in a work folder by size.

The seed (/work/shared/seed-posts/000_be0667cbffa95e2b.txt) is a Jekyll post: YAML front matter with a
Korean title, a `categories` list, folded `excerpt` and `feature_text`, a root-relative `image`, then
~7 KB of HTML (h2 sections, paragraphs with inline style spans, `&nbsp;` spacers, an hr, a footer link).
Its file name carries no date, so ~5% of the generated posts have none either and are dated by mtime.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

VERSION = 1  # bump when the shape changes: cached corpora with another version are regenerated
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


@dataclass(frozen=True)
class Corpus:
    root: Path  # holds config.toml, site/_posts, site/assets/img
    size: int
    victim: Path  # the newest dated post: the one the one-post-changed case edits

    @property
    def config(self) -> Path:
        return self.root / "config.toml"


def _paragraph(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(2, 4)):
        sentence = rng.choice(SENTENCES)
        parts.append(rng.choice(STYLES).format(sentence) if rng.random() < 0.4 else sentence)
    return "<p>" + " ".join(parts) + " </p>"


def _body(rng: random.Random, image: str, topic: str) -> str:
    budget = rng.randint(5000, 7000)  # UTF-8 bytes of HTML, like the seed's ~7 KB file
    lines = [f'<p><img src="/assets/img/{image}.jpg" alt="{topic} 속보" /></p>', ""]
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


def _yaml_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def render_post(index: int, size: int) -> tuple[str, str, float]:
    """Return (file name, text, mtime) of post `index` of a corpus of `size` posts."""
    rng = random.Random(SEED * 1_000_003 + index)
    topic = rng.choice(TOPICS)
    title = f"{topic} {rng.choice(TITLE_ENDINGS)}"
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
    if rng.random() < UNDATED_SHARE:
        name = f"{index:06d}_{token}{ext}"  # like the seed: no date, so the mtime dates it
    elif rng.random() < 0.3:
        name = f"{day.isoformat()}-{topic.replace(' ', '-')}-{index}{ext}"  # a Hangul slug
    else:
        name = f"{day.isoformat()}-post-{token[:8]}-{index}{ext}"
    front = "\n".join(
        [
            "---",
            f"title: {title_yaml}",
            "categories:",
            *(f"  - {c}" for c in categories),
            "excerpt: >",
            f"  {excerpt}",
            "feature_text: >",
            f"  {excerpt}",
            f"image: '/assets/img/{image}.jpg'",
            "---",
            "",
            "",
        ]
    )
    return name, front + _body(rng, image, topic), when.timestamp()


def _generate(root: Path, size: int) -> Path:
    posts = root / "site" / "_posts"
    images = root / "site" / "assets" / "img"
    posts.mkdir(parents=True)
    images.mkdir(parents=True)
    for n, image in enumerate(IMAGES):
        (images / f"{image}.jpg").write_bytes(JPEG_HEAD + bytes(2000 + 997 * n) + JPEG_TAIL)
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    newest: tuple[float, str] = (0.0, "")
    for index in range(size):
        name, text, mtime = render_post(index, size)
        path = posts / name
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        os.utime(path, (mtime, mtime))
        if name[:4].isdigit() and name[4] == "-" and (mtime, name) > newest:
            newest = (mtime, name)
    return posts / newest[1]


def ensure_corpus(workdir: Path, size: int) -> tuple[Corpus, bool]:
    """Return the corpus of `size` posts under `workdir`, generating it unless cached; True if generated."""
    root = workdir / str(size)
    manifest = root / MANIFEST
    expected = {"version": VERSION, "seed": SEED, "size": size}
    if manifest.is_file():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if {k: data.get(k) for k in expected} == expected:
            return Corpus(root, size, root / data["victim"]), False
    shutil.rmtree(root, ignore_errors=True)
    tmp = workdir / f"{size}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    victim = _generate(tmp, size)
    relative = victim.relative_to(tmp).as_posix()
    (tmp / MANIFEST).write_text(json.dumps({**expected, "victim": relative}), encoding="utf-8")
    tmp.rename(root)
    return Corpus(root, size, root / relative), True


def warm(corpus: Corpus) -> None:
    """Read every post once so the first timed run does not pay for a cold page cache."""
    for entry in os.scandir(corpus.root / "site" / "_posts"):
        with open(entry.path, "rb") as f:
            f.read()
