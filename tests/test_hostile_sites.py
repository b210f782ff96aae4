"""Hostile sites, as an attacker who can write a post, or a generator's configuration, would make them: each run
as a real `feedpub build` process, held to a time and memory bound. None may write outside the output folder,
publish a file from outside the site, run past its bounds, or stop the other posts with a traceback."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from feedpub.config import load_config
from tests.conftest import feedpub_process, run, write_config
from tests.hostile import build_measured, build_within

POST = "---\ntitle: {title}\ndate: 2024-01-0{day}\n---\n{body}\n"
MEMORY_BOUND_KB = 600 * 1024  # a small site's build takes ~60 MB: these once took 3 to 6 GB


def _site(tmp_path: Path, files: dict[str, str]) -> Path:
    """tmp_path/site holding `files` (paths in the site -> text)."""
    site = tmp_path / "site"
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    return site


def _hugo(tmp_path: Path, config: str, pages: dict[str, str] | None = None) -> Path:
    """A Hugo site: hugo.toml (`config` appended), a control post, and `pages`."""
    return _site(
        tmp_path,
        {
            "hugo.toml": 'baseURL = "https://example.org/"\ntitle = "T"\n' + config,
            "content/posts/control.md": "---\ntitle: Control\ndate: 2024-01-01\n---\nThe control post.\n",
            **(pages or {}),
        },
    )


def _jekyll(tmp_path: Path, config: str, posts: dict[str, str] | None = None) -> Path:
    """A Jekyll site: _config.yml (`config` appended), a control post, and `posts`."""
    return _site(
        tmp_path,
        {
            "_config.yml": "title: T\nurl: https://example.org\n" + config,
            "_posts/2024-01-01-control.md": "---\ntitle: Control\n---\nThe control post.\n",
            **(posts or {}),
        },
    )


def _init(tmp_path: Path, generator: str, site: Path) -> Path:
    config = tmp_path / "config.toml"
    result = run("init", generator, site, "--config", config)
    assert result.exit_code == 0, result.output
    return config


def _init_within(tmp_path: Path, generator: str, site: Path, bound: float = 30) -> Path:
    """As _init, in a process of its own held to `bound` seconds: a site that holds init fails the test, not the run."""
    config = tmp_path / "config.toml"
    done = feedpub_process("init", generator, str(site), "--config", str(config), cwd=tmp_path, timeout=bound)
    assert done.returncode == 0, done.stderr
    return config


def _refusal(tmp_path: Path, generator: str, site: Path) -> str:
    """What stops a site's run: `init` reading its configuration, or else the build (exit 2 either way)."""
    config = tmp_path / "config.toml"
    result = run("init", generator, site, "--config", config)
    if result.exit_code != 0:
        assert result.exit_code == 2, result.output
        return result.output
    finished = build_within(config, 60)
    assert finished.returncode == 2, finished.stderr
    return finished.stderr


def _files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("key", ["../../../pwn", "{absolute}", "."])
def test_a_hugo_language_key_cannot_name_a_folder_outside_or_over_the_site(tmp_path: Path, key: str) -> None:
    absolute = tmp_path / "elsewhere" / "abs"  # an absolute key: the test's own folder, not the machine's /tmp
    key = key.format(absolute=absolute)
    languages = f'defaultContentLanguage = "en"\n[languages.en]\nweight = 1\n[languages."{key}"]\nweight = 2\n'
    site = _hugo(tmp_path, languages)
    before = _files_under(tmp_path)
    assert "not a language key" in _refusal(tmp_path, "--from-hugo", site)
    assert _files_under(tmp_path) - before <= {"config.toml"}
    assert not absolute.exists()


def test_hugo_ref_never_opens_a_file_outside_the_content_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret-notes.md").write_text("---\nslug: SLUG-FROM-OUTSIDE\n---\nsecret\n", encoding="utf-8")
    body = 'See {{< ref "../../../outside/secret-notes.md" >}} and {{< relref "/../../outside/secret-notes" >}}.'
    site = _hugo(tmp_path, "", {"content/posts/ref.md": f"---\ntitle: Ref\ndate: 2024-01-02\n---\n{body}\n"})
    finished = build_within(_init(tmp_path, "--from-hugo", site), 60)
    assert finished.returncode in (0, 1), finished.stderr
    published = "".join(p.read_text(encoding="utf-8") for p in (site / "public").rglob("*.xml"))
    assert "SLUG-FROM-OUTSIDE".lower() not in published.lower()


@pytest.mark.parametrize("setting", ['contentDir = "../outside"', 'staticDir = "/etc"'])
def test_a_hugo_folder_outside_the_site_stops_the_build(tmp_path: Path, setting: str) -> None:
    (tmp_path / "outside" / "posts").mkdir(parents=True)
    leak = "---\ntitle: TOPSECRET\ndate: 2024-01-03\n---\nTOPSECRET-OUTSIDE\n"
    (tmp_path / "outside" / "posts" / "leak.md").write_text(leak, encoding="utf-8")
    site = _hugo(tmp_path, setting + "\n")
    assert "outside the site's folder" in _refusal(tmp_path, "--from-hugo", site)


@pytest.mark.parametrize(
    "theme",
    ["../../outside", "{absolute}", "linked", "dir:../outside"],
    ids=["dots", "absolute", "link-out", "themes-dir-out"],
)
def test_a_hugo_theme_outside_the_site_is_passed_over_unread(tmp_path: Path, theme: str) -> None:
    """A theme's config is read (its params name the main sections), but never from outside the site: a `theme`
    leading out of the themes folder (by "..", an absolute path, a link: a theme under development is often linked
    in) or a themesDir outside the site (a theme's example site has `themesDir = "../.."`) is passed over, and the
    site built as without it; refusing it stopped every build, where Hugo builds."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "hugo.toml").write_text('[params]\nmainSections = ["secret"]\n', encoding="utf-8")
    if theme.startswith("dir:"):
        (outside / "t").mkdir()
        (outside / "t" / "hugo.toml").write_text('[params]\nmainSections = ["secret"]\n', encoding="utf-8")
        config = f'theme = "t"\nthemesDir = "{theme[4:]}"\n'
    else:
        config = f"theme = {json.dumps(theme.format(absolute=outside))}\n"
    pages = {"content/secret/a.md": POST.format(title="A", day=2, body="x")}
    pages |= {f"content/posts/{n}.md": POST.format(title=n, day=2, body="x") for n in "bcd"}
    site = _hugo(tmp_path, config, pages)
    (site / "themes").mkdir()
    (site / "themes" / "linked").symlink_to(outside)
    finished = build_within(_init(tmp_path, "--from-hugo", site), 60)
    assert finished.returncode == 0, finished.stderr
    feed = (site / "public" / "index.xml").read_text(encoding="utf-8")
    assert "/posts/b/" in feed  # the section with the most pages, as without the theme: its params were not read
    assert "/secret/" not in feed


@pytest.mark.parametrize(
    "config",
    [
        '[params]\nmainSections = ["/"]\n',
        '[languages.en.params]\nmainSections = ["{outside}"]\n',
        '[params]\nmainSections = ["../../outside"]\n',
    ],
    ids=["root", "language-absolute", "dots"],
)
def test_hugo_main_sections_never_read_outside_the_content_folder(tmp_path: Path, config: str) -> None:
    """`mainSections = ["/"]` walked the whole disk, and a folder outside the site was published, text and all."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.md").write_text(POST.format(title="SECRET NOTES", day=2, body="hunter2"), encoding="utf-8")
    site = _hugo(tmp_path, config.replace("{outside}", str(outside)))
    finished = build_within(_init(tmp_path, "--from-hugo", site), 30)
    assert finished.returncode == 0, finished.stderr
    published = "".join(p.read_text(encoding="utf-8") for p in (site / "public").rglob("*") if p.is_file())
    assert "The control post." in published
    assert "hunter2" not in published


def test_a_hugo_theme_named_a_thousand_ways_is_read_once(tmp_path: Path) -> None:
    """A theme whose own `theme` lists itself under a thousand spellings ("a/", "./a", …) was read once a name, and
    the names queued again each time: 70 s at every build."""
    site = _hugo(tmp_path, 'theme = "a"\n')
    names = [f"./{'./' * n}a" for n in range(1_000)]
    (site / "themes" / "a").mkdir(parents=True)
    (site / "themes" / "a" / "hugo.toml").write_text(f"theme = {json.dumps(names)}\n", encoding="utf-8")
    finished = build_within(_init(tmp_path, "--from-hugo", site), 60)
    assert finished.returncode == 0, finished.stderr
    assert finished.seconds < 20


def test_jekyll_collections_dir_outside_the_site_stops_the_build(tmp_path: Path) -> None:
    (tmp_path / "outside" / "_posts").mkdir(parents=True)
    (tmp_path / "outside" / "_posts" / "2024-03-03-leak.md").write_text("---\ntitle: LEAK\n---\nx\n", "utf-8")
    site = _jekyll(tmp_path, "collections_dir: ../outside\n")
    assert "outside the site's folder" in _refusal(tmp_path, "--from-jekyll", site)


def test_a_yaml_alias_bomb_in_config_stops_the_build_at_once(tmp_path: Path) -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    levels += [f"{c}: &{c} [{', '.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=False)]
    site = _jekyll(tmp_path, "\n".join(levels) + "\n")
    result = run("init", "--from-jekyll", site, "--config", tmp_path / "config.toml")
    assert result.exit_code == 2, result.output
    assert "YAML aliases" in result.output


@pytest.mark.parametrize("generator", ["--from-jekyll", "--from-hugo"])
def test_a_chain_of_merge_keys_in_a_site_config_is_refused_at_once(tmp_path: Path, generator: str) -> None:
    """4,000 maps, each merging the one before: PyYAML's constructor copies as it merges (51 s, then refused)."""
    chain = "a0: &a0 {k: v}\n" + "".join(f"a{i}: &a{i} {{<<: *a{i - 1}, x{i}: v}}\n" for i in range(1, 4000))
    if generator == "--from-jekyll":
        site = _jekyll(tmp_path, chain)
    else:
        site = _site(tmp_path, {"hugo.yaml": "baseURL: https://example.org/\ntitle: T\n" + chain})
    started = time.monotonic()
    assert "YAML aliases" in _refusal(tmp_path, generator, site)
    assert time.monotonic() - started < 10


def test_deeply_nested_hugo_toml_is_a_config_error(tmp_path: Path) -> None:
    site = _hugo(tmp_path, "x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = run("init", "--from-hugo", site, "--config", tmp_path / "config.toml")
    assert result.exit_code == 2, result.output
    assert "nested too deeply" in result.output


def test_hugo_params_and_section_front_matter_nested_hundreds_deep_stop_no_run_with_an_internal_error(
    tmp_path: Path,
) -> None:
    """JSON 500 deep parses, then lower-casing its keys ran out of Python's stack: exit 70 at every build (the
    config), or every page of the site rejected (a section's _index). The config is refused by name; the _index
    is read as having nothing to say, and the posts published."""
    deep = '{"a": ' * 500 + "1" + "}" * 500
    site = _site(tmp_path / "config", {"hugo.json": '{"baseURL": "https://example.org/", "params": ' + deep + "}"})
    assert "nested too deeply" in _refusal(tmp_path / "config", "--from-hugo", site)
    site = _hugo(tmp_path / "index", "", {"content/posts/_index.md": '{"title": "Posts", "x": ' + deep + "}\n"})
    finished = build_within(_init(tmp_path / "index", "--from-hugo", site), 60)
    assert finished.returncode == 0, finished.stderr
    assert "1 posts published" in finished.stdout or "1 post published" in finished.stdout, finished.stdout


@pytest.mark.parametrize(
    "config",
    [
        # A regular expression Python's re backtracks on for every file name: 10 s a page, every page rejected.
        'ignoreFiles = ["^(.+)+\\\\.x$"]\n',
        # A cascade target of twenty "**": the same in its glob, for every page below it.
        '[[cascade]]\ndraft = true\n[cascade._target]\npath = "' + "**" * 20 + 'X"\n',
    ],
    ids=["ignore-files", "cascade-target"],
)
def test_hugo_patterns_of_a_site_config_match_in_linear_time(tmp_path: Path, config: str) -> None:
    """Hugo matches ignoreFiles and cascade targets with Go's regexp and a glob library, in linear time, and
    publishes every page; feedpub used Python's backtracking re. They are matched by RE2 now."""
    pages = {f"content/posts/{'a' * 30}-{n}.md": POST.format(title=n, day=n, body="x") for n in range(1, 7)}
    site = _hugo(tmp_path, config, pages)
    finished = build_within(_init(tmp_path, "--from-hugo", site), 60)
    assert finished.returncode == 0, finished.stderr
    assert "7 posts published" in finished.stdout, finished.stdout
    assert finished.seconds < 20


def test_a_hugo_post_of_many_references_by_name_is_read_within_its_budget(tmp_path: Path) -> None:
    """Each `ref` by name walked the whole content folder: 400 of them on a site of 1,500 pages took a post past
    its 10 s, and it was rejected (Hugo renders it in a moment). The pages are indexed by their paths' ends once."""
    pages = {f"content/posts/archive/a{n}.md": POST.format(title=n, day=1, body="x") for n in range(1_500)}
    refs = " ".join(f'[{n}]({{{{< ref "a{n}" >}}}})' for n in range(400))
    pages["content/posts/refs.md"] = POST.format(title="refs", day=2, body=refs)
    site = _hugo(tmp_path, "", pages)
    finished = build_within(_init(tmp_path, "--from-hugo", site), 120)
    assert finished.returncode == 0, finished.stderr
    assert "1502 posts published, 0 rejected" in finished.stdout, finished.stdout
    feed = (site / "public" / "index.xml").read_text(encoding="utf-8")
    assert "https://example.org/posts/archive/a399/" in feed


def test_a_hugo_post_of_many_unresolved_references_on_a_site_of_many_languages_is_read_within_its_budget(
    tmp_path: Path,
) -> None:
    """Each reference to a page feedpub cannot find cost (languages + 1) x 4 file tests in every content folder:
    1,000 of them on a site of 10 languages, a content folder each, took a post past its 10 s, and it was rejected.
    They are answered from the content folders indexed once."""
    keys = ["en", "ko", "ja", "fr", "de", "es", "it", "pt", "ru", "zh"]
    config = 'defaultContentLanguage = "en"\n' + "".join(
        f'[languages.{key}]\nweight = {n}\ncontentDir = "content/{key}"\n' for n, key in enumerate(keys, 1)
    )
    refs = "\n".join(f'[x]({{{{< relref "nope/missing-{n}/deeper/page" >}}}})' for n in range(1_000))
    pages = {f"content/{key}/posts/p.md": POST.format(title=key, day=1, body="x") for key in keys}
    pages["content/en/posts/refs.md"] = POST.format(title="refs", day=2, body=refs)
    site = _hugo(tmp_path, config, pages)
    finished = build_within(_init(tmp_path, "--from-hugo", site), 120)
    assert finished.returncode == 0, finished.stderr
    assert "11 posts published, 0 rejected" in finished.stdout, finished.stdout
    assert finished.seconds < 10


def test_jekyll_defaults_and_includes_never_walk_the_machine(tmp_path: Path) -> None:
    """An absolute scope glob, and _includes linked to /, made every build walk the disk for minutes."""
    site = _jekyll(tmp_path, 'defaults:\n  - scope: {path: "/usr/**/*"}\n    values: {layout: x}\n')
    os.symlink("/", site / "_includes")
    finished = build_within(_init(tmp_path, "--from-jekyll", site), 60)
    assert finished.returncode == 0, finished.stderr
    assert finished.seconds < 30


@pytest.mark.parametrize("generator", ["--from-jekyll", "--from-hugo"])
def test_yaml_aliases_that_repeat_a_long_text_reject_the_post_and_refuse_the_config(
    tmp_path: Path, generator: str
) -> None:
    """`title: [*a, *a, …]` of a long anchor made the title 40 times the file in every feed (400 times: 3.5 GB); in
    _config.yml it became 1 GB of JSON in the memo and a MemoryError. Both are bounded by the text they came from."""
    anchor = "x" * 200_000
    bomb = f'---\nbig: &a "{anchor}"\ntitle: [{", ".join(["*a"] * 40)}]\n---\nBody.\n'
    if generator == "--from-jekyll":
        site = _jekyll(tmp_path / "post", "", {"_posts/2024-01-02-bomb.md": bomb})
    else:
        site = _hugo(tmp_path / "post", "", {"content/posts/bomb.md": bomb})
    finished = build_within(_init(tmp_path / "post", generator, site), 60)
    assert finished.returncode == 1, finished.stderr
    assert "front matter expands to more than" in finished.stderr
    config = 'big: &b "' + "y" * 500_000 + '"\nlist: [' + ", ".join(["*b"] * 30) + "]\n"
    if generator == "--from-jekyll":
        site = _jekyll(tmp_path / "config", config)
    else:
        site = _site(tmp_path / "config", {"hugo.yaml": "baseURL: https://example.org/\ntitle: T\n" + config})
    assert "characters (YAML aliases?)" in _refusal(tmp_path / "config", generator, site)


def test_ordinary_front_matter_past_the_alias_and_value_bounds_of_yaml_is_published(tmp_path: Path) -> None:
    """Bounds for YAML aliases are not for what real posts hold: Hugo JSON front matter of a GPS track (8,000
    values: JSON has no aliases), a credit line aliased by 500 images, an include's and a slug's numbers of
    5,000 digits (each rejected, or an "unexpected error", by this session's first versions)."""
    track = json.dumps({"title": "Track", "date": "2024-01-05", "track": [[n / 7, n / 3] for n in range(4_000)]})
    credit = '&c "' + "Photo by a photographer of the agency, all rights reserved. " * 4 + '"'
    images = "images:\n" + "".join(f"  - {{src: /i{n}.jpg, credit: {'*c' if n else credit}}}\n" for n in range(500))
    pages = {
        "content/posts/track.md": track + "\nThe ride.\n",
        "content/posts/credits.md": f"---\ntitle: Credits\ndate: 2024-01-06\n{images}---\nPhotos.\n",
        "content/posts/digits.md": f"---\ntitle: Digits\ndate: 2024-01-07\nrating: {'7' * 5_000}\n---\nx\n",
    }
    finished = build_within(_init(tmp_path / "hugo", "--from-hugo", _hugo(tmp_path / "hugo", "", pages)), 60)
    assert finished.returncode == 0, finished.stderr
    assert "4 posts published, 0 rejected" in finished.stdout, finished.stdout
    include = {"_includes/n.html": "n={{ include.n }}"}
    post = {"_posts/2024-01-02-n.md": "---\ntitle: N\n---\n{% include n.html n=" + "9" * 5_000 + " %}\n"}
    site = _jekyll(tmp_path / "jekyll", "", {**include, **post})
    finished = build_within(_init(tmp_path / "jekyll", "--from-jekyll", site), 60)
    assert finished.returncode == 0, finished.stderr


@pytest.mark.parametrize("generator", ["--from-jekyll", "--from-hugo"])
def test_a_time_zone_that_is_a_folder_of_the_zone_database_is_refused_by_name(tmp_path: Path, generator: str) -> None:
    """`timezone: America` named a folder of the database: ZoneInfo raised IsADirectoryError, an internal error."""
    if generator == "--from-jekyll":
        site = _jekyll(tmp_path, "timezone: America\n")
        expected = "timezone 'America' is not an IANA time zone name"
    else:
        site = _hugo(tmp_path, 'timeZone = "Europe"\n')
        expected = "'Europe' is not an IANA time zone"
    assert expected in _refusal(tmp_path, generator, site)


@pytest.mark.parametrize(
    ("kramdown", "post", "refused"),
    [
        # A 100 KB prefix before each of 2,000 header ids: 836 MB, published.
        ("auto_id_prefix: " + "x" * 100_000, "# One\n\n# Two\n", "auto_id_prefix is 100,000 characters long"),
        # A 100 KB ellipsis at each of 2,000 "..." of a body: 1 GB, 18.7 s before the post's content was refused.
        ("typographic_symbols: {hellip: " + "x" * 100_000 + "}", "a... b...", "hellip is 100,000 characters"),
        # A 1 MB ellipsis at each "..." of a title: every build of three such posts took 33 s.
        ("typographic_symbols: {mdash: " + "x" * 1_000_000 + "}", "a --- b", "mdash is 1,000,000 characters"),
        ("footnote_backlink: " + "x" * 100_000, "a[^1]\n\n[^1]: b\n", "footnote_backlink is 100,000 characters"),
    ],
    ids=["auto-id-prefix", "symbol-in-a-body", "symbol-in-a-title", "footnote-backlink"],
)
def test_a_kramdown_text_written_at_every_place_it_applies_is_bounded_in_the_config(
    tmp_path: Path, kramdown: str, post: str, refused: str
) -> None:
    """kramdown's texts from _config.yml were copied at every header, symbol or footnote without a bound: a bad
    config now stops the run, naming the setting, before anything is written."""
    posts = {"_posts/2024-01-02-p.md": f"---\ntitle: a... b --- c\n---\n{post}\n"}
    site = _jekyll(tmp_path, f"kramdown:\n  {kramdown}\n", posts)
    stopped = _refusal(tmp_path, "--from-jekyll", site)
    assert refused in stopped and "shorten it" in stopped, stopped
    assert not list(site.rglob("*.xml"))


def test_a_jekyll_scope_descending_into_folders_again_and_again_stops_no_build(tmp_path: Path) -> None:
    """ "**/" eight times over a folder 30 deep: Python's glob walks the tree once for each, nested (over two minutes
    for six, at the reading of _config.yml); Jekyll's glob takes a second. Repeated descents are one now, and a
    scope descending at more places than any site needs is refused by name."""
    repeated = "defaults:\n  - scope: {path: '" + "**/" * 8 + "zz'}\n    values: {layout: x}\n"
    site = _jekyll(tmp_path / "repeated", repeated)
    chain = site.joinpath(*["d"] * 30)
    chain.mkdir(parents=True)
    finished = build_within(_init(tmp_path / "repeated", "--from-jekyll", site), 60)
    assert finished.returncode == 0, finished.stderr
    assert finished.seconds < 30
    apart = "defaults:\n  - scope: {path: '" + "**/d/" * 6 + "zz'}\n    values: {layout: x}\n"
    site = _jekyll(tmp_path / "apart", apart)
    site.joinpath(*["d"] * 30).mkdir(parents=True)
    assert "descends into folders (**/) at more than 3 places" in _refusal(tmp_path / "apart", "--from-jekyll", site)


@pytest.mark.parametrize(
    "body",
    [
        # A Liquid filter chain that multiplies a string inside single calls (3.3 GB from 4.5 KB).
        '{% assign a = "' + "a" * 1500 + '" %}{{ a | replace: "a", a | replace: "a", a | size }}',
        # A reference definition repeated by 20,000 uses (4 GB from 180 KB).
        "[a]: /" + "a" * 100_000 + "\n\n" + "[a] " * 20_000,
        # A kramdown abbreviation, the same way (6 GB from 120 KB).
        "*[x]: " + "T" * 100_000 + "\n\nx " * 1 + "x " * 20_000,
        # The reference hidden from a line-start check: in a blockquote, and spread over three lines.
        '> [a]: /u "' + "T" * 100_000 + '"\n\n' + "[a] " * 20_000,
        '[a]:\n/u\n"' + "T" * 100_000 + '"\n\n' + "[a] " * 20_000,
        # A range's items through a filter, made in C where no time limit stops it (12 GB).
        "{% assign r = (1..300000000) %}{{ r | sort | first }}",
        # A range reversed: listed before the loop limit looked at it (850 MB; 1e9 would be 40 GB).
        "{% for i in (1..20000000) reversed %}{% endfor %}",
        # A date format of 1 MB whose directives each pad to 99,999 characters: Python's strftime grew its buffer to
        # 256 characters a character of format, in one C call (1.1 GB). Captured: a tag that long is refused.
        "{% capture f %}" + "%99999Y" * 140_000 + '{% endcapture %}{{ "2024-01-01" | date: f }}',
        # An output tag of 4 MB: python-liquid's lexer reads it in one C call, 230 bytes a character (900 MB).
        '{{ "' + "x" * 4_000_000 + '" | size }}',
        # python-liquid's lexer is quadratic in "{{", and its parser caught the time limit's exception and went
        # on: the post then rendered without any limit (87 s, 1.6 GB).
        "Intro.\n\n" + "{{" * 20_000 + "\n\n" + "a\n\n" * 300_000,
        # Formatting tags left open, which HTML reopens at each paragraph (3.4 GB, 880 MB of feeds from 206 KB).
        "<p>" + "".join(f"<b title={n}>" for n in range(500)) + "</p>" + "<p>x</p>" * 25_000,
        # The same, their closing tags in a comment, which HTML does not read (2.2 GB from 136 KB).
        "<p>" + "".join(f"<b title={n}>" for n in range(500)) + "<!--" + "</b>" * 500 + "--></p>" + "<p>x</p>" * 16_000,
        # A list of references to one long text doubled by `concat`, written out by `jsonify` in C (4.2 GB).
        "{% assign big = '" + "x" * 64 + "' %}{% for i in (1..11) %}{% assign big = big | append: big %}{% endfor %}"
        "{% assign parts = big | append: ',' | append: big | split: ',' %}"
        "{% for i in (1..13) %}{% assign parts = parts | concat: parts %}{% endfor %}{{ parts | jsonify | size }}",
        # A table of a million cells (1.5 GB, and an entry lxml refuses).
        "\n".join(["|" + "a|" * 5000, "|" + "-|" * 5000, *(["|" + "b|" * 5000] * 200)]),
    ],
    ids=[
        "liquid-replace",
        "markdown-reference",
        "kramdown-abbreviation",
        "reference-in-blockquote",
        "reference-over-three-lines",
        "liquid-range",
        "liquid-reversed",
        "liquid-date-format",
        "liquid-long-output",
        "liquid-lexer",
        "reopened-formatting",
        "reopened-behind-a-comment",
        "liquid-jsonify",
        "table-cells",
    ],
)
def test_a_post_that_expands_past_its_bounds_is_rejected_within_them(tmp_path: Path, body: str) -> None:
    site = _jekyll(tmp_path, "", {"_posts/2024-01-02-bomb.md": f"---\ntitle: Bomb\n---\n{body}\n"})
    config = _init(tmp_path, "--from-jekyll", site)
    finished = build_measured(config, 60)
    assert finished.returncode == 1  # the bomb rejected, the control post published
    assert finished.max_rss_kb < MEMORY_BOUND_KB, finished.max_rss_kb
    assert finished.seconds < 40
    settings = load_config(config)
    feed = (settings.output_dir / settings.feeds.atom).read_text(encoding="utf-8")
    assert "The control post." in feed and "Bomb" not in feed


@pytest.mark.parametrize("tag", ["for", "tablerow"])
def test_a_loop_offset_far_into_a_range_is_taken_without_counting_to_it(tmp_path: Path, tag: str) -> None:
    """python-liquid counted up to a loop's offset in one C call, which no time limit stops: offset 1.6e9 held the
    build (and the site's lock) 54 s, this one about 40 hours. The range is cut as a range, and the post published
    with the one number it takes."""
    loop = f"{{% {tag} i in (1..100000000000000) offset:10000000000000 limit:1 %}}{{{{ i }}}}{{% end{tag} %}}"
    site = _jekyll(tmp_path, "", {"_posts/2024-01-02-far.md": f"---\ntitle: Far\n---\nFar: {loop}\n"})
    config = _init(tmp_path, "--from-jekyll", site)
    finished = build_within(config, 60)
    assert finished.returncode == 0, finished.stderr
    assert finished.seconds < 30
    settings = load_config(config)
    assert "10000000000001" in (settings.output_dir / settings.feeds.atom).read_text(encoding="utf-8")


def test_a_file_name_that_is_not_utf8_is_published_and_the_cache_keeps_working(tmp_path: Path) -> None:
    (tmp_path / "_posts").mkdir()
    config = write_config(tmp_path)
    os.makedirs(tmp_path / "_posts", exist_ok=True)
    name = os.fsencode(tmp_path / "_posts") + b"/2024-01-03-\xff-bad.md"
    with open(name, "wb") as handle:
        handle.write(POST.format(title="Bad name", day=3, body="x").encode())
    (tmp_path / "_posts" / "2024-01-02-good.md").write_text(POST.format(title="Good", day=2, body="y"), "utf-8")
    for _ in range(2):  # the second run reads the cache the first wrote
        finished = build_within(config, 60)
        assert finished.returncode in (0, 1), finished.stderr
        assert "internal error" not in finished.stderr
        assert "Good" in (tmp_path / "out" / "feed.json").read_text(encoding="utf-8")


def test_an_update_past_the_calendar_rejects_its_post_only(tmp_path: Path) -> None:
    (tmp_path / "_posts").mkdir()
    config = write_config(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("Asia/Seoul", "America/Los_Angeles"), "utf-8")
    far = "---\ntitle: Far\ndate: 2024-01-01\nupdated: 9999-12-31 23:00:00\n---\nx\n"
    (tmp_path / "_posts" / "far.md").write_text(far, "utf-8")
    (tmp_path / "_posts" / "2024-01-02-good.md").write_text(POST.format(title="Good", day=2, body="y"), "utf-8")
    finished = build_within(config, 60)
    assert finished.returncode == 1, finished.stderr
    assert "far.md: updated 9999-12-31T23:00:00-08:00 is past the year 9998" in finished.stderr
    assert "Good" in (tmp_path / "out" / "feed.json").read_text(encoding="utf-8")


def test_a_post_dated_past_the_calendar_waits_like_any_future_post(tmp_path: Path) -> None:
    """Minimal Mistakes' own sample post is dated 9999-12-31: Jekyll leaves it out without a word, and so does a
    plain site's build (it waits for its date, as every future post does); the build succeeds."""
    (tmp_path / "_posts").mkdir()
    config = write_config(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("Asia/Seoul", "America/Los_Angeles"), "utf-8")
    (tmp_path / "_posts" / "far.md").write_text("---\ntitle: Far\ndate: 9999-12-31 23:00:00\n---\nx\n", "utf-8")
    (tmp_path / "_posts" / "2024-01-02-good.md").write_text(POST.format(title="Good", day=2, body="y"), "utf-8")
    for _ in range(2):  # the second run reads the first's cache
        finished = build_within(config, 60)
        assert finished.returncode == 0, finished.stderr
        assert "far.md" not in finished.stderr
        feed = (tmp_path / "out" / "feed.json").read_text(encoding="utf-8")
        assert "Good" in feed and "Far" not in feed


def test_an_author_link_that_is_not_a_web_page_is_left_out(tmp_path: Path) -> None:
    (tmp_path / "_posts").mkdir()
    config = write_config(tmp_path)
    author = 'author: {name: x, uri: "javascript:alert(1)"}'
    (tmp_path / "_posts" / "2024-01-02-a.md").write_text(f"---\ntitle: A\n{author}\n---\nx\n", "utf-8")
    assert build_within(config, 60).returncode == 0
    for name in ("feed.json", "atom.xml", "rss.xml"):
        assert "javascript:" not in (tmp_path / "out" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("url", "reason"),
    [("/posts/../", "its URL is the home page's"), ("/%2e%2e/%2E%2E/etc/", "has a '.' or '..' segment")],
)
def test_a_hugo_url_with_dot_segments_rejects_its_page(tmp_path: Path, url: str, reason: str) -> None:
    """Hugo cleans a `url:` as a path ("/posts/../" is the home page, which it writes over the page:
    test_hugo_variants.py); escaped dots it does not decode, and readers would: both pages are rejected."""
    page = f"---\ntitle: Dots\ndate: 2024-01-02\nurl: {json.dumps(url)}\n---\nx\n"
    site = _hugo(tmp_path, "", {"content/posts/dots.md": page})
    finished = build_within(_init(tmp_path, "--from-hugo", site), 60)
    assert finished.returncode == 1, finished.stderr
    assert "dots.md: " in finished.stderr and reason in finished.stderr


@pytest.mark.parametrize(("key", "name"), [("atom", "rss.xml"), ("json", "sitemap.xml"), ("atom", "robots.txt")])
def test_two_outputs_named_alike_stop_the_build(tmp_path: Path, key: str, name: str) -> None:
    (tmp_path / "_posts").mkdir()
    config = write_config(tmp_path, extra=f'[feeds]\n{key} = "{name}"\n')
    result = run("build", "--config", config)
    assert result.exit_code == 2, result.output
    assert f"both name '{name}'" in result.output
    assert not (tmp_path / "out").exists()


def test_hugo_shortcodes_that_repeat_a_long_param_are_rejected_within_bounds(tmp_path: Path) -> None:
    page = "---\ntitle: Params\ndate: 2024-01-02\n---\n" + "{{% param x %}}" * 20_000 + "\n"
    site = _hugo(tmp_path, '[params]\nx = "' + "P" * 200_000 + '"\n', {"content/posts/params.md": page})
    finished = build_measured(_init(tmp_path, "--from-hugo", site), 60)
    assert finished.returncode == 1
    assert finished.max_rss_kb < MEMORY_BOUND_KB, finished.max_rss_kb


@pytest.mark.parametrize("tag", ["a\\\\b", "%2e%2e", ".%2e"])
def test_a_hugo_term_that_names_no_safe_folder_gets_feedpubs_slug(tmp_path: Path, tag: str) -> None:
    page = f'---\ntitle: Tagged\ndate: 2024-01-02\ntags: ["{tag}"]\n---\nx\n'
    site = _hugo(tmp_path, "", {"content/posts/tagged.md": page})
    finished = build_within(_init(tmp_path, "--from-hugo", site), 60)
    assert finished.returncode == 0, finished.stderr
    folders = {p.parent.name for p in (site / "public" / "tags").rglob("index.xml")}
    assert folders and not folders & {"a\\b", "%2e%2e", ".%2e"}, folders


def _plain_site(tmp_path: Path) -> Path:
    (tmp_path / "_posts").mkdir()
    post = "---\ntitle: Tagged\ntags: [foo]\n---\nx\n"
    (tmp_path / "_posts" / "2024-01-02-a.md").write_text(post, encoding="utf-8")
    return write_config(tmp_path, extra="[feeds]\ntags = true\n")


def test_a_link_in_the_output_folder_never_takes_files_out_of_it(tmp_path: Path) -> None:
    config = _plain_site(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").mkdir()
    os.symlink(elsewhere, tmp_path / "out" / "tags")
    finished = build_within(config, 60)
    assert finished.returncode not in (0, 1, None), finished.stderr
    assert "link out of" in finished.stderr
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_pipe_or_a_device_in_place_of_an_output_is_replaced_not_read(tmp_path: Path, kind: str) -> None:
    config = _plain_site(tmp_path)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "feed.json"
    os.mkfifo(target) if kind == "fifo" else os.symlink("/dev/zero", target)
    finished = build_measured(config, 60)
    assert finished.returncode == 0
    assert finished.max_rss_kb < MEMORY_BOUND_KB
    assert target.is_file() and not target.is_symlink()
    assert "Tagged" in target.read_text(encoding="utf-8")


def test_state_and_dates_file_links_are_refused_without_showing_what_they_lead_to(tmp_path: Path) -> None:
    config = _plain_site(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("precious first line\n", encoding="utf-8")
    os.symlink(secret, tmp_path / "feedpub-dates.txt")
    finished = build_within(config, 60)
    assert finished.returncode == 2
    assert "precious" not in finished.stderr and "is a link" in finished.stderr
    os.unlink(tmp_path / "feedpub-dates.txt")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(tmp_path / ".feedpub", ignore_errors=True)  # the first run made it (its lock)
    os.symlink(elsewhere, tmp_path / ".feedpub")
    finished = build_within(config, 60)
    assert finished.returncode != 0 and "is a link" in finished.stderr
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("where", ["tag", "term-url"])
def test_a_hugo_term_nested_past_what_a_path_holds_gets_a_bounded_feed(tmp_path: Path, where: str) -> None:
    """A tag "a/a/a/…" (Hugo nests its term folder at each "/"), or a term's _index file whose `url` nests as deep:
    its feed's path would pass the system's limit (File name too long), and the build stopped with exit 70 at
    every run. Its feed goes to a bounded folder of its slug; every other feed is written."""
    deep = "a/" * 2100 + "b"
    tags = f'["{deep}", keep]' if where == "tag" else "[deep, keep]"
    pages = {"content/posts/deep.md": f"---\ntitle: Deep\ndate: 2024-01-02\ntags: {tags}\n---\nx\n"}
    if where == "term-url":
        pages["content/tags/deep/_index.md"] = f"---\ntitle: Deep\nurl: /{deep}/\n---\n"
    site = _hugo(tmp_path, "", pages)
    config = _init(tmp_path, "--from-hugo", site)
    finished = build_within(config, 60)
    assert finished.returncode == 0, finished.stderr
    out = load_config(config).output_dir
    feeds = [p.relative_to(out).as_posix() for p in out.rglob("index.xml")]
    assert "tags/keep/index.xml" in feeds and "index.xml" in feeds
    assert len(feeds) == 3 and all(len(name.encode()) < 500 for name in feeds), feeds


@pytest.mark.parametrize("generator", ["--from-hugo", "--from-jekyll"])
def test_a_post_whose_url_no_sitemap_can_hold_is_rejected_by_name(tmp_path: Path, generator: str) -> None:
    """800 Hangul syllables in a Hugo `url:` or a Jekyll `permalink:` are 7,200 characters once encoded; a sitemap's
    <loc> holds fewer than 2,048, and the sitemap was invalid. The post is rejected by name, the others publish."""
    long = "/" + "가" * 800 + "/"
    if generator == "--from-hugo":
        site = _hugo(
            tmp_path, "", {"content/posts/long.md": f"---\ntitle: Long\ndate: 2024-01-02\nurl: {long}\n---\nx\n"}
        )
    else:
        site = _jekyll(tmp_path, "", {"_posts/2024-01-02-long.md": f"---\ntitle: Long\npermalink: {long}\n---\nx\n"})
    config = _init(tmp_path, generator, site)
    finished = build_within(config, 60)
    assert finished.returncode == 1, finished.stderr
    assert "long.md: URL is 7" in finished.stderr and "sitemaps allow under 2048" in finished.stderr
    out = load_config(config).output_dir
    locs = [line for path in out.glob("sitemap*.xml") for line in path.read_text(encoding="utf-8").split("<loc>")]
    assert locs and all(len(loc.split("</loc>")[0]) < 2048 for loc in locs[1:])
    assert any("control" in loc for loc in locs)


@pytest.mark.parametrize("where", ["jekyll-permalink", "hugo-url", "hugo-slug", "hugo-alias"])
def test_a_url_of_many_segments_costs_what_its_length_does(tmp_path: Path, where: str) -> None:
    """Every folder of a post's URL was made before its length was checked, n²/2 characters for n segments: a Jekyll
    permalink of 49,000 segments took 20.7 s and 2.97 GB, a Hugo `url:` of 100,000 a MemoryError; an alias is never
    length-checked. The post is rejected (its alias is Hugo's to write), within a small site's memory."""
    deep = "a/" * 30_000
    front = {"hugo-url": f"url: /{deep}", "hugo-slug": f"slug: {deep}x", "hugo-alias": f"aliases: ['/{deep}']"}
    if where == "jekyll-permalink":
        site = _jekyll(tmp_path, "", {"_posts/2024-01-02-deep.md": f"---\ntitle: Deep\npermalink: /{deep}\n---\nx\n"})
    else:
        post = f"---\ntitle: Deep\ndate: 2024-01-02\n{front[where]}\n---\nx\n"
        site = _hugo(tmp_path, "", {"content/posts/deep.md": post})
    config = _init(tmp_path, "--from-jekyll" if where == "jekyll-permalink" else "--from-hugo", site)
    finished = build_measured(config, 60)
    assert finished.returncode == (0 if where == "hugo-alias" else 1)
    assert finished.max_rss_kb < MEMORY_BOUND_KB, finished.max_rss_kb


@pytest.mark.parametrize("generator", ["--from-hugo", "--from-jekyll", "--from-jekyll-collection"])
def test_a_permalink_pattern_longer_than_a_url_stops_the_build_before_any_post(tmp_path: Path, generator: str) -> None:
    """Hugo's `[permalinks] posts = "/:title/"` written 10,000 times made each post's URL 70,000 characters and
    more, each then refused: 18.5 s and 619 MB for 12 posts (300,000 times: 14.7 GB). A pattern past the longest
    URL a sitemap holds is a mistake of the configuration: told before anything is written."""
    pattern = "/:title" * 300 + "/"
    if generator == "--from-hugo":
        site = _hugo(tmp_path, f'[permalinks]\nposts = "{pattern}"\n')
    elif generator == "--from-jekyll":
        site = _jekyll(tmp_path, f"permalink: {pattern}\n")
    else:
        site = _jekyll(tmp_path, f"collections:\n  posts:\n    permalink: {pattern}\n")
    refusal = _refusal(tmp_path, generator.removesuffix("-collection"), site)
    assert "permalink pattern is 2,101 characters long, past the 2,048" in refusal
    assert not (tmp_path / "site" / ("public" if generator == "--from-hugo" else "_site")).exists()


@pytest.mark.parametrize(
    ("generator", "link", "text", "post"),
    [
        ("--from-hugo", "hugo.toml", 'baseURL = "https://example.org/"\n[params]\napikey = "{secret}"\n', "hugo"),
        ("--from-hugo", "config/_default/params.toml", 'apikey = "{secret}"\n', "hugo"),
        ("--from-jekyll", "_config.yml", "title: T\nurl: https://example.org\ndeploy_token: {secret}\n", "jekyll"),
    ],
    ids=["hugo-root-config", "hugo-params-file", "jekyll-config"],
)
def test_a_config_file_linked_out_of_the_site_stops_the_build(
    tmp_path: Path, generator: str, link: str, text: str, post: str
) -> None:
    """A generator's configuration file that is a link to a file elsewhere (another project's secrets) is refused:
    `{{< param apikey >}}` or `{{ site.deploy_token }}` in a post would publish what it holds."""
    secret = "SECRET-TOKEN-7f3a"
    outside = tmp_path / "outside" / Path(link).name
    outside.parent.mkdir()
    outside.write_text(text.format(secret=secret), encoding="utf-8")
    if post == "hugo":
        site = _hugo(
            tmp_path, "", {"content/posts/leak.md": "---\ntitle: Leak\ndate: 2024-01-02\n---\n{{< param apikey >}}\n"}
        )
    else:
        site = _jekyll(tmp_path, "", {"_posts/2024-01-02-leak.md": "---\ntitle: Leak\n---\n{{ site.deploy_token }}\n"})
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    (site / link).unlink(missing_ok=True)
    (site / link).symlink_to(outside)
    assert "outside the site's folder" in _refusal(tmp_path, generator, site)
    assert not any(secret in p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.xml"))


@pytest.mark.parametrize("kind", ["fifo", "folder"])
@pytest.mark.parametrize(("generator", "name"), [("--from-jekyll", "_config.yml"), ("--from-hugo", "hugo.toml")])
def test_a_generator_config_that_is_no_plain_file_is_refused_by_name(
    tmp_path: Path, generator: str, name: str, kind: str
) -> None:
    """A _config.yml (or hugo.toml) that is a pipe or a folder: the build said the site had none, and to point
    posts.source at the site's folder, which it was."""
    site = _jekyll(tmp_path, "") if generator == "--from-jekyll" else _hugo(tmp_path, "")
    config = _init(tmp_path, generator, site)
    (site / name).unlink()
    os.mkfifo(site / name) if kind == "fifo" else (site / name).mkdir()
    finished = build_within(config, 60)
    assert finished.returncode == 2, finished.stderr
    assert f"{site / name}: not a regular file (a pipe, device or folder); make it a plain file" in finished.stderr


@pytest.mark.parametrize(
    ("generator", "name", "body"),
    [
        ("plain", "_posts/2024-01-02-comments.html", "<p>" + "<!--x-->" * 99_990 + "</p>"),
        # Goldmark (Hugo's Markdown) writes each tag of raw HTML as `<!-- raw HTML omitted -->`.
        ("--from-hugo", "content/posts/comments.md", "<span>" * 99_990),
    ],
    ids=["html-comments", "hugo-raw-html-omitted"],
)
def test_a_post_of_a_hundred_thousand_comments_is_counted_in_linear_time(
    tmp_path: Path, generator: str, name: str, body: str
) -> None:
    """The nesting count (outside the post's time limit) looked for both ends of a comment, "-->" and "--!>", to the
    end of the body at every comment: 99,990 comments took 61 s, and a Hugo page of 99,990 <span> 132 s."""
    post = f"---\ntitle: Comments\ndate: 2024-01-02\n---\n{body}\n"
    if generator == "plain":
        config = write_config(_site(tmp_path, {name: post}))
    else:
        config = _init(tmp_path, generator, _hugo(tmp_path, "", {name: post}))
    finished = build_within(config, 60)
    assert finished.returncode == 0, finished.stderr
    assert finished.seconds < 20, finished.seconds  # ~1 s; the count alone took 60 s


def test_a_section_index_that_is_a_pipe_is_passed_over_not_waited_on(tmp_path: Path) -> None:
    """Hugo's _index files are read at every run for what they cascade: a pipe no writer opens made every build wait
    forever, holding the lock."""
    site = _hugo(tmp_path, "", {"content/posts/other.md": "---\ntitle: Other\ndate: 2024-01-02\n---\nx\n"})
    os.mkfifo(site / "content" / "posts" / "_index.md")
    finished = build_within(_init(tmp_path, "--from-hugo", site), 60)
    assert finished.returncode == 0, finished.stderr
    assert "Control" in (site / "public" / "index.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("url", ["/robots.txt/", "/index.xml/", "/feed.json/", "/feeds.html/", "/robots.txt/deeper/"])
def test_a_hugo_term_url_naming_one_of_the_sites_files_keeps_the_default_place(tmp_path: Path, url: str) -> None:
    """A term's `url:` that makes its folder one of feedpub's own files stopped every build (exit 2), and left a
    folder there that kept stopping them after the term was gone: the term's feeds stay at its default place."""
    site = _hugo(
        tmp_path,
        "",
        {
            "content/tags/x/_index.md": f"---\ntitle: X\nurl: {url}\n---\n",
            "content/posts/tagged.md": "---\ntitle: Tagged\ndate: 2024-01-02\ntags: [x]\n---\nx\n",
        },
    )
    config = _init(tmp_path, "--from-hugo", site)
    for _ in range(2):
        finished = build_within(config, 60)
        assert finished.returncode == 0, finished.stderr
        assert (site / "public" / "robots.txt").is_file()
        assert "Tagged" in (site / "public" / "tags" / "x" / "index.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("generator", "name", "text"),
    [
        ("--from-jekyll", "_posts/2024-01-02-tag.md", "---\ntitle: \"<p x='' " + "x='' " * 40 + '"\n---\nx\n'),
        (
            "--from-hugo",
            "content/posts/heading.md",
            "---\ntitle: Heading\ndate: 2024-01-02\n---\n## Intro {" + "a=b" * 30,
        ),
    ],
    ids=["jekyll-title-tag-never-closed", "hugo-heading-attributes-never-closed"],
)
def test_markup_never_closed_is_read_in_linear_time(tmp_path: Path, generator: str, name: str, text: str) -> None:
    """A tag or an attribute list that never closes, in a title or a heading of a hundred characters or two, took
    time doubling with each attribute: the post spent its whole time budget (10 s) and was rejected."""
    make = _jekyll if generator == "--from-jekyll" else _hugo
    site = make(tmp_path, "", {name: text})
    finished = build_within(_init(tmp_path, generator, site), 60)
    assert finished.returncode == 0, finished.stderr


def test_long_runs_of_spaces_in_a_date_an_author_or_a_link_are_read_in_linear_time(tmp_path: Path) -> None:
    """Three patterns added for Korean dates, "Name <address>" authors and kramdown's spaced link destinations
    slid over a long run of spaces in quadratic time: 40 KB of them spent the post's whole 10 s budget."""
    spaces = " " * 40_000
    post = (
        f'---\ntitle: Spaces\ndate: "2024.05.04{spaces}x"\nauthor: "x{spaces}<a@example.kr>"\n---\n'
        f"[x](/a {'a ' * 20_000}\n"
    )
    site = _jekyll(tmp_path, "", {"_posts/2024-01-02-spaces.md": post})
    finished = build_within(_init(tmp_path, "--from-jekyll", site), 60)
    assert finished.returncode in (0, 1), finished.stderr
    assert finished.seconds < 10  # the patterns alone took 18 s of a build (outside the post's reading budget)


def test_a_post_file_dated_past_2262_stops_no_build(tmp_path: Path) -> None:
    """A file time past what a signed 64-bit count of nanoseconds holds (`touch -d 2300-01-01`, as an archive or
    rsync can leave it) overflowed the scan's digest and the cache: every build stopped with an internal error."""
    site = _jekyll(tmp_path, "", {"_posts/2024-01-02-late.md": "---\ntitle: Late\n---\nx\n"})
    far = datetime(2300, 1, 1, tzinfo=UTC).timestamp()
    os.utime(site / "_posts" / "2024-01-02-late.md", (far, far))
    config = _init(tmp_path, "--from-jekyll", site)
    for _ in range(2):
        finished = build_within(config, 60)
        assert finished.returncode == 0, finished.stderr
    settings = load_config(config)
    assert "Late" in (settings.output_dir / settings.feeds.atom).read_text(encoding="utf-8")


@pytest.mark.parametrize("named", ["_posts", "../outside/_posts"], ids=["link-inside", "named-outside"])
def test_a_posts_folder_that_is_a_link_out_of_the_site_stops_the_build(tmp_path: Path, named: str) -> None:
    """`_posts` committed as a link to a folder elsewhere published that folder's files (its secrets); a folder
    the config names outside the site ("../outside/_posts") is the operator's own choice, and is read."""
    outside = tmp_path / "outside" / "_posts"
    outside.mkdir(parents=True)
    (outside / "2024-01-02-secret.md").write_text("---\ntitle: SECRET-POST\n---\nSECRET-BODY\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    if named == "_posts":
        (site / "_posts").symlink_to(outside)
    config = write_config(site, posts_dir=named)
    finished = build_within(config, 60)
    if named == "_posts":
        assert finished.returncode == 2, finished.stderr
        assert "link out of it" in finished.stderr
        assert not (site / "out").exists()
    else:
        assert finished.returncode == 0, finished.stderr
        assert "SECRET-POST" in (site / "out" / "rss.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "permalink",
    [
        "/feed.xml",
        "/feeds.html",
        "/sitemap-posts.xml",
        "/feeds",
        "/feed.xml/",
        "/rss.xml/index.html",
        # A part of the sitemap set once it splits (a Hugo post at `url: /sitemap-posts-1.xml` had its page replaced
        # by one; at `/sitemap-posts-1.xml/`, Hugo's folder there stopped every build).
        "/sitemap-posts-1.xml",
        "/sitemap-posts-2.xml/",
        "/sitemap-posts-3.xml.gz",
        # Below one: the generator makes the file's name a folder (feed.xml/guest/index.html), and the file went
        # unwritten, with a warning, and the build's exit 0.
        "/feed.xml/guest/",
        "/sitemap-posts.xml/a/b.html",
        "/feeds.html/x/",
    ],
)
def test_a_post_at_the_url_of_one_of_feedpubs_files_is_rejected(tmp_path: Path, permalink: str) -> None:
    """A post whose permalink is where feedpub serves a file of its own (jekyll-feed's feed.xml, the subscribe page,
    the sitemap; /feeds, which Jekyll writes as feeds.html): its entry and <loc> led readers and crawlers to the
    feed, or feedpub's file replaced the post's page; it is rejected by name."""
    post = f"---\ntitle: Squatter\npermalink: {permalink}\n---\nA post that wants the feed's address.\n"
    site = _jekyll(tmp_path, "plugins: [jekyll-feed, jekyll-sitemap]\n", {"_posts/2024-01-02-squat.md": post})
    config = _init(tmp_path, "--from-jekyll", site)

    finished = build_within(config, 60, "--now", "2025-01-01")

    assert finished.returncode == 1, finished.stderr
    assert f"2024-01-02-squat.md: its URL https://example.org{permalink} is where feedpub serves" in finished.stderr
    published = load_config(config).output_dir
    assert "Squatter" not in (published / "feed.xml").read_text(encoding="utf-8")
    assert "The control post" in (published / "feed.xml").read_text(encoding="utf-8")


def test_a_post_at_a_languages_feed_is_rejected_and_one_where_feedpub_writes_nothing_is_not(tmp_path: Path) -> None:
    """A multilingual Hugo site's feeds are in each language's folder: a post with `url: /en/atom.xml` took the
    English Atom feed's place, and one at /atom.xml (which feedpub does not write there) was refused."""
    languages = (
        'defaultContentLanguage = "ko"\ndefaultContentLanguageInSubdir = true\n'
        '[languages.ko]\nlanguageCode = "ko-KR"\nweight = 1\n[languages.en]\nlanguageCode = "en-US"\nweight = 2\n'
    )
    pages = {
        "content/posts/en-atom.en.md": "---\ntitle: Atom\ndate: 2024-05-02\nurl: /en/atom.xml\n---\nEnglish.\n",
        "content/posts/root-atom.md": "---\ntitle: 루트\ndate: 2024-05-03\nurl: /atom.xml\n---\n루트 글.\n",
        "content/posts/control.en.md": "---\ntitle: Control\ndate: 2024-01-01\n---\nThe English control.\n",
    }
    config = _init(tmp_path, "--from-hugo", _hugo(tmp_path, languages, pages))

    finished = build_within(config, 60, "--now", "2025-01-01")

    assert finished.returncode == 1, finished.stderr
    assert "en-atom.en.md: its URL https://example.org/en/atom.xml is where feedpub serves" in finished.stderr
    assert "root-atom.md" not in finished.stderr
    english = (load_config(config).output_dir / "en" / "atom.xml").read_text(encoding="utf-8")
    assert "<feed" in english and "English." not in english


@pytest.mark.parametrize(
    "paragraph",
    [
        "at 12:34:56 " * 16_000,
        "http:// " * 20_000,
        "mailto:x " * 20_000,
        "a@ " * 40_000,
        "www. " * 30_000,
        '"' * 80_000,
        'said "hi" and ' * 40_000,
        "- [ ] a\n" * 16_000,  # mdit-py-plugins' task lists looked back over every token for each item's list
    ],
    ids=["pasted-log", "schemes", "mailto", "at-signs", "www", "quotes", "quoted-words", "task-list"],
)
def test_hugo_autolinks_and_quotes_are_read_in_linear_time(tmp_path: Path, paragraph: str) -> None:
    """GFM's autolink rules (Goldmark's linkify) copied the rest of the paragraph at every ":", "@" and "www.", and
    searched all the text before a ":" for a scheme: a pasted log of 192 KB on one line spent the post's 10 s
    budget and was rejected (Hugo builds it in 0.05 s). The typographer copied it at every quote."""
    page = f"---\ntitle: Log\ndate: 2024-01-02\n---\nFirst paragraph.\n\n{paragraph}\n"
    site = _hugo(tmp_path, "", {"content/posts/log.md": page})
    finished = build_within(_init(tmp_path, "--from-hugo", site), 60)
    assert finished.returncode == 0, finished.stderr


def test_a_hugo_post_of_thousands_of_headings_is_summarised_in_linear_time(tmp_path: Path) -> None:
    """The automatic summary read off a plainly opening body took the text so far again at each heading, till one
    ends a sentence: 5,000 headings without a full stop (120 KB) took 4 s, 10,000 the post's whole 10 s budget,
    and it was rejected (Hugo builds it at once)."""
    headings = "".join(f"## Heading number {n}\n\n" for n in range(40_000))
    page = f"---\ntitle: Outline\ndate: 2024-01-02\n---\n{headings}"
    site = _hugo(tmp_path, "", {"content/posts/outline.md": page})
    finished = build_within(_init(tmp_path, "--from-hugo", site), 60)
    assert finished.returncode == 0, finished.stderr


def test_a_post_of_thousands_of_abbreviations_is_rejected_at_once_by_name(tmp_path: Path) -> None:
    """20,000 kramdown abbreviation definitions over 1 MB of words: each was counted over the whole text, and the
    pattern of all of them tried at every word, till the post's 10 s budget ran out. Past 1,000 (a real glossary
    defines tens) the post is rejected, saying why."""
    from feedpub.read import markup

    definitions = "".join(f"*[w{n}]: word {n}\n" for n in range(20_000))
    words = " ".join(f"w{n % 20_000}x" for n in range(100_000))
    post = f"---\ntitle: Glossary\n---\n{definitions}\n{words}\n"
    site = _jekyll(tmp_path, "", {"_posts/2024-01-02-glossary.md": post})
    finished = build_within(_init(tmp_path, "--from-jekyll", site), 60)
    assert finished.returncode == 1
    assert "more than 1,000 abbreviation definitions" in finished.stderr
    # As many as a glossary holds are read.
    markup.check_markup_amount("".join(f"*[w{n}]: word {n}\n" for n in range(markup.MAX_ABBREVIATIONS)) + "w1 w2")
    # One more is too many, each line counted (a definition's pattern takes two lines after it along).
    with pytest.raises(markup.MarkupTooComplex, match="abbreviation"):
        markup.check_markup_amount("".join(f"*[w{n}]: word {n}\n" for n in range(markup.MAX_ABBREVIATIONS + 1)))


@pytest.mark.parametrize(
    "body",
    [
        "First paragraph.\n\n<div>\n" + "<div " * 20_000 + "x" * 900_000 + "\n",  # 1 MB
        '<div markdown="1">\n' * 600 + "**deep**\n" + "</div>\n" * 600,
        "- [ ] a\n" * 16_000,
        "a\n{: .x}\n" * 32_000,  # one paragraph split at each attribute line (once at a time: quadratic)
        "{{ page.title }}" * 20_000 + "{% if true %}x{% endif %}" * 10_000,  # Liquid's tokens checked in one pass
    ],
    ids=["raw-block-tags-never-closed", "markdown-blocks-nested-600-deep", "task-list", "attribute-lines", "liquid"],
)
def test_kramdown_html_blocks_are_read_within_bounds(tmp_path: Path, body: str) -> None:
    """A raw HTML block searched for its end tag from every later `<div ` that never closes (20,000 of them passed
    the post's 10 s budget); 600 nested `<div markdown="1">` ran out of Python's stack (Jekyll renders them):
    past 32 levels the rest is raw HTML."""
    site = _jekyll(tmp_path, "", {"_posts/2024-01-02-blocks.md": f"---\ntitle: Blocks\n---\n{body}"})
    finished = build_within(_init(tmp_path, "--from-jekyll", site), 60)
    assert finished.returncode == 0, finished.stderr


def test_jekyll_dates_past_the_calendar_or_with_no_offset_are_told_apart(tmp_path: Path) -> None:
    """Observed with Jekyll 4.3.1: `9999-12-31T23:59:59-12:00` (the year 10000 in UTC), `'9999-12-31 24:00:00'` and
    `'10000-01-01'` build and are never published; an offset `+99:99` or `+2400` stops its build ("Invalid date").
    feedpub rejected the first ones and told four as "unexpected error (OverflowError …)" or "(ValueError …)"."""
    dates = {
        "d1": "9999-12-31T23:59:59-12:00",
        "d2": "'2024-01-01T00:00:00+99:99'",
        "d3": "'Sat, 01 Jan 2000 00:00:00 +2400'",
        "d4": "'9999-12-31 24:00:00'",
        "d5": "'10000-01-01'",
    }
    posts = {
        f"_posts/2024-01-0{n}-{key}.md": f"---\ntitle: {key}\ndate: {value}\n---\nhello\n"
        for n, (key, value) in enumerate(dates.items(), 1)
    }
    site = _jekyll(tmp_path, "", posts)
    finished = build_within(_init(tmp_path, "--from-jekyll", site), 60, "--now", "2025-01-01")
    assert finished.returncode == 1
    assert "unexpected error" not in finished.stderr
    for key, rejected in (("d1", False), ("d2", True), ("d3", True), ("d4", False), ("d5", False)):
        assert (f"-{key}.md: front matter 'date' is not a date Jekyll reads" in finished.stderr) is rejected, key
    assert "3 skipped" in finished.stdout


def test_a_liquid_date_past_the_year_9999_does_not_reject_its_post(tmp_path: Path) -> None:
    """`{{ 99999999999999 | date: "%Y" }}`: Ruby writes the year 3170843, Python cannot hold it, and the post was
    rejected as an "unexpected error"; the filter now gives its input back, as Liquid does with what it cannot read."""
    post = '---\ntitle: far\n---\nyear {{ 99999999999999 | date: "%Y-%m-%d" }} and {{ 253402300800 | date: "%Y" }}\n'
    site = _jekyll(tmp_path, "", {"_posts/2024-01-02-far.md": post})
    config = _init(tmp_path, "--from-jekyll", site)
    finished = build_within(config, 60)
    assert finished.returncode == 0, finished.stderr
    assert "year 99999999999999 and 253402300800" in (load_config(config).output_dir / "rss.xml").read_text("utf-8")


def test_an_abbreviation_defined_after_another_counts_towards_the_expansion_bound(tmp_path: Path) -> None:
    """`*[W]: <900 characters>` on the line after another definition went uncounted (the pattern took the two lines
    after each definition along): 200,000 uses of W made 676 MB and took seconds before the feed's size bound said
    no. It is refused at once, as the same definition first is."""
    body = "Intro.\n\n" + "W " * 200_000 + "\n\n*[zq]: x\n*[W]: " + "T" * 900 + "\n*[zr]: y\n"
    site = _jekyll(tmp_path, "", {"_posts/2024-02-01-abbr.md": f"---\ntitle: abbr\n---\n{body}"})
    finished = build_within(_init(tmp_path, "--from-jekyll", site), 60, "--now", "2025-01-01")
    assert finished.returncode == 1
    assert "would repeat past 10,000,000 characters" in finished.stderr


def test_many_reference_links_in_an_ordinary_post_are_within_the_expansion_bound() -> None:
    """150 `[text][rN]` links and their definitions (15 KB, which Jekyll and Hugo build): counting the two lines after
    each definition, themselves definitions, counted each three times, and such a post was refused."""
    from feedpub.read import markup

    links = " ".join(f"기사 [{n}번][r{n}] 참고." for n in range(150))
    definitions = "".join(f"[r{n}]: https://news.example.com/articles/2024/01/{n:04d}-seoul\n" for n in range(150))
    markup.check_markup_amount(f"{links}\n\n{definitions}")


@pytest.mark.parametrize(
    "body",
    [
        '[a]: /u "' + "xxxxxxxx\n" * 5_000 + 'end"\n\n' + "[a]" * 20_000 + "\n",  # a title of 5,000 lines
        '* [a]: /u "' + "t" * 200_000 + '"\n\n' + "[a]" * 20_000 + "\n",  # a definition opening a list item
    ],
    ids=["multi-line-title", "in-a-list-item"],
)
def test_definitions_of_any_shape_count_towards_the_expansion_bound(tmp_path: Path, body: str) -> None:
    """A title over many lines (the bound counted two after the definition) and a definition opening a list item
    (`* [a]: …`, not read as one) let 20,000 uses repeat it: 2.3 GB for a 105 KB post, and 4 GB for 260 KB."""
    site = _hugo(tmp_path, "", {"content/posts/big.md": f"---\ntitle: big\ndate: 2024-02-01\n---\n{body}"})
    finished = build_within(_init(tmp_path, "--from-hugo", site), 60)
    assert finished.returncode == 1
    assert "would repeat past 10,000,000 characters" in finished.stderr


@pytest.mark.parametrize(
    "alias", ["/atom.xml/", "/feed.json", "/sitemap-posts.xml/", "/atom.xml/g/", "/feeds.html/g/", "feed.json/g"]
)
def test_a_hugo_alias_at_one_of_feedpubs_files_rejects_its_post(tmp_path: Path, alias: str) -> None:
    """Hugo writes an alias's redirect page where the alias says: at `/atom.xml/`, a folder where the site's Atom
    feed goes, and the feed went unwritten with one warning and exit 0. The post is rejected by name."""
    post = f"---\ntitle: Evil\ndate: 2024-01-02\naliases: ['{alias}']\n---\nx\n"
    site = _hugo(tmp_path, "", {"content/posts/evil.md": post})
    finished = build_within(_init(tmp_path, "--from-hugo", site), 60)
    assert finished.returncode == 1
    assert f"evil.md: its alias {alias} is where feedpub serves one of its own files" in finished.stderr


def test_jekyll_exclude_of_many_globs_publishes_every_post(tmp_path: Path) -> None:
    """35,000 `exclude` globs (550 KB): each path was tested with one fnmatchcase call a glob, compiled again past
    fnmatch's cache of 32,768 (40,000 took 44 to 51 s for three posts, which a loaded machine rejected as taking over
    10 s; Jekyll builds it in 8 s)."""
    globs = "".join(f"  - 'zz{number}*q'\n" for number in range(35_000))
    posts = {f"_posts/2024-01-0{day}-p{day}.md": f"---\ntitle: P{day}\n---\nHello.\n" for day in (2, 3)}
    site = _jekyll(tmp_path, "exclude:\n" + globs, posts)
    finished = build_within(_init(tmp_path, "--from-jekyll", site), 60)
    assert finished.returncode == 0, finished.stderr
    assert "3 posts published, 0 rejected" in finished.stdout + finished.stderr
    assert finished.seconds < 30


def test_a_jekyll_post_of_tens_of_thousands_of_image_openers_is_refused_in_its_own_words(tmp_path: Path) -> None:
    """80 KB of "![" took markdown-it 5 s a rendering (six such posts: a minute a build), under every bound; they are
    counted now. A post whose excerpt is its first paragraph has its body counted only when the feeds render it: it
    was rejected there as "cannot render (MarkupTooComplex: …)"."""
    body = "intro\n\n" + "![" * 40_000
    site = _jekyll(tmp_path, "", {"_posts/2024-01-02-images.md": f"---\ntitle: Images\n---\n{body}\n"})
    finished = build_within(_init(tmp_path, "--from-jekyll", site), 60)
    assert finished.returncode == 1, finished.stderr
    assert finished.stderr.endswith(
        "_posts/2024-01-02-images.md: 120,000 link and image openers ('[', an '![' counted as three), over the "
        "20,000 rendered; split the post, or save it as .html\n"
    )
    assert finished.seconds < 10


def test_a_post_whose_content_is_refused_is_refused_again_unrendered_until_it_is_edited(tmp_path: Path) -> None:
    """A refusal made while the feeds were rendered (the content HTML too deep, too large, or past the sanitiser's
    10 s bound) was not kept: every later build, one with no change too, read the post and sanitised it again
    (three posts of a tag of 400,000 attributes: 31 s a build). It is kept as a reading's rejection is: until the
    file's size or time changes."""
    site = tmp_path / "site"
    posts = site / "_posts"
    posts.mkdir(parents=True)
    (posts / "2024-01-01-control.md").write_text(POST.format(title="Control", day=1, body="x"), encoding="utf-8")
    refused = posts / "2024-01-02-deep.html"
    deep = POST.format(title="Deep", day=2, body="<div>" * 3_000 + "deep" + "</div>" * 3_000)
    refused.write_text(deep, encoding="utf-8")
    config = write_config(site)
    reason = "_posts/2024-01-02-deep.html: HTML nested more than 512 elements deep"

    first = run("build", "--config", config, "--now", "2025-01-01")
    assert first.exit_code == 1 and reason in first.stderr, first.output
    again = run("build", "--config", config, "--now", "2025-01-01")
    assert again.exit_code == 1 and reason in again.stderr, again.output
    assert "(nothing changed since the last build)" in again.stdout

    # The same size and time, another text: the post is not read, nor its content made, again.
    stat = refused.stat()
    refused.write_text(deep.replace("<div>", "<dvi>"), encoding="utf-8")
    os.utime(refused, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    (posts / "new.md").write_text(POST.format(title="New", day=3, body="y"), encoding="utf-8")
    other_change = run("build", "--config", config, "--now", "2025-01-01")
    assert other_change.exit_code == 1 and reason in other_change.stderr, other_change.output
    assert "2 posts published, 1 rejected" in other_change.stdout

    # Edited: tried afresh.
    refused.write_text(deep.replace("<div>", "<p>").replace("</div>", "</p>"), encoding="utf-8")
    edited = run("build", "--config", config, "--now", "2025-01-01")
    assert edited.exit_code == 0, edited.output
    assert "3 posts published, 0 rejected" in edited.stdout


# `feedpub build` in a real process whose posts may take `sys.argv[1]` seconds each, not 10: a post that runs out of
# its time without making a test wait the 10 s.
_LIMITED_BUILD = """
import sys
from feedpub.read import budget
budget.SECONDS_PER_POST = float(sys.argv[1])
sys.argv = ["feedpub", "build", *sys.argv[2:]]
from feedpub.command import run
run()
"""


def _build_limited(seconds: float, config: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """A build whose posts may take `seconds` each, and the CPU time it spent (its workers' too)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    finished = subprocess.run(
        [sys.executable, "-c", _LIMITED_BUILD, str(seconds), "--config", str(config), "--now", "2025-01-01"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return finished, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def test_a_post_out_of_its_time_is_refused_again_unread_until_it_is_edited(tmp_path: Path) -> None:
    """A post that ran out of its time to read and render was read again at every build, one with no change too:
    four posts of 16,000 `<http:` cost 41.6 s a build. Its refusal is kept as a refused content's is, by the post's
    bytes, the settings and feedpub's code, until one of them changes: the time a post took is not measured again
    (a refusal on a busy machine stands until the post is edited)."""
    # 5 MB of text: seconds of rendering on any machine. The only post: the first post read pays for the imports.
    slow = 'Words -- and "quotes" here... ' * 160_000
    site = _site(tmp_path, {"_config.yml": "title: T\nurl: https://example.org\n"})
    post = site / "_posts" / "2024-01-02-slow.md"
    post.parent.mkdir()
    post.write_text(f"---\ntitle: Slow\n---\n{slow}\n", encoding="utf-8")
    config = _init(tmp_path, "--from-jekyll", site)
    reason = "_posts/2024-01-02-slow.md: took more than 0.5 s to read and render; simplify or split it"

    first, _ = _build_limited(0.5, config)
    assert first.returncode == 1 and reason in first.stderr, first.stderr
    again, seconds = _build_limited(0.5, config)
    assert again.returncode == 1 and reason in again.stderr, again.stderr
    assert "(nothing changed since the last build)" in again.stdout
    assert seconds < 1.0, f"the build with nothing changed took {seconds:.2f} s of CPU"

    # Another post added: the slow one is refused from the record of its refusal, however long it may now take.
    (site / "_posts" / "2024-01-03-new.md").write_text("---\ntitle: New\n---\nNew.\n", encoding="utf-8")
    other_change, _ = _build_limited(600, config)
    assert other_change.returncode == 1 and reason in other_change.stderr, other_change.stderr
    assert "1 post published, 1 rejected" in other_change.stdout

    # Edited: read afresh.
    post.write_text("---\ntitle: Slow\n---\nShort now.\n", encoding="utf-8")
    edited, _ = _build_limited(600, config)
    assert edited.returncode == 0, edited.stderr
    assert "2 posts published, 0 rejected" in edited.stdout


@pytest.mark.parametrize(
    ("named", "linked"),
    [("out", "out"), ("out/feeds", "out"), ("../elsewhere", None), ("www", "www")],
    ids=["link-out", "under-a-link-out", "named-outside", "link-inside"],
)
def test_an_output_folder_that_is_a_link_out_of_the_site_stops_the_build(
    tmp_path: Path, named: str, linked: str | None
) -> None:
    """`out` committed as a link to a folder elsewhere had the feeds, sitemap and page written there (exit 0), where
    a posts folder so linked stops the build: so does an output folder now, before anything is written. A folder
    the config names outside the site (`../elsewhere`, as --output names one) is the operator's own, and written;
    a link to a folder of the site is the site's."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_posts" / "2024-01-02-a.md").write_text(POST.format(title="A", day=2, body="x"), encoding="utf-8")
    (site / "public").mkdir()
    if linked == "out":
        (site / "out").symlink_to(elsewhere)
    elif linked == "www":
        (site / "www").symlink_to("public")
    config = write_config(site)
    config.write_text(config.read_text(encoding="utf-8").replace('dir = "out"', f'dir = "{named}"'), encoding="utf-8")

    finished = build_within(config, 60)

    if linked == "out":
        assert finished.returncode == 2, finished.stderr
        assert "output.dir: a folder inside the site's that is a link out of it" in finished.stderr
        assert list(elsewhere.iterdir()) == []
    else:
        assert finished.returncode == 0, finished.stderr
        written = elsewhere if linked is None else site / "public"
        assert (written / "rss.xml").is_file() and (written / "sitemap.xml").is_file()


def test_jekyll_posts_folders_linked_out_of_the_site_are_rejected_by_name_and_the_rest_published(
    tmp_path: Path,
) -> None:
    """`sub/_posts` a link to a folder outside the site stopped every build (exit 2, nothing written), where a
    post file linked out of the site is rejected by name and a link in a posts folder to a folder out of the site
    (`_posts/ext`) was passed over without a word. Now each is rejected by name, unread, and the site's other posts
    are published."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "2024-05-05-out.md").write_text("---\ntitle: SECRET-POST\n---\nSECRET-BODY\n", encoding="utf-8")
    site = _jekyll(tmp_path, "")
    (site / "sub").mkdir()
    (site / "sub" / "_posts").symlink_to(outside)
    (site / "_posts" / "ext").symlink_to(outside)
    (site / "_posts" / "2024-05-06-file.md").symlink_to(outside / "2024-05-05-out.md")
    (site / "_posts" / "archive").mkdir()
    (site / "_posts" / "alias").symlink_to("archive")  # a link to a folder inside the site: passed over, as before
    (site / "elsewhere").mkdir()
    (site / "_posts" / "other").symlink_to(site / "elsewhere")
    (site / "_posts" / "_hidden").symlink_to(outside)  # where Jekyll ignores a folder: passed over too
    config = _init(tmp_path, "--from-jekyll", site)

    for _ in range(2):  # the second finds nothing changed, and tells the same
        finished = build_within(config, 60)
        assert finished.returncode == 1, finished.stderr
        lines = [line.removeprefix(f"{site}/") for line in finished.stderr.splitlines() if ": symbolic link" in line]
        reasons = dict(line.split(": ", 1) for line in lines)
        assert reasons == {
            "sub/_posts": "symbolic link to a folder outside the site's folder; copy the folder in instead",
            "_posts/ext": "symbolic link to a folder outside the site's folder; copy the folder in instead",
            "_posts/2024-05-06-file.md": "symbolic link to a file outside the site's folder; copy the file instead",
        }
        assert "1 post published, 3 rejected" in finished.stdout
    settings = load_config(config)
    feed = (settings.output_dir / settings.feeds.atom).read_text(encoding="utf-8")
    assert "Control" in feed and "SECRET" not in feed


def test_a_link_in_a_posts_folder_to_a_folder_out_of_it_is_rejected_by_name(tmp_path: Path) -> None:
    """On a site of feedpub's own rules, as a post file linked out of its posts folder is: it was passed over
    without a word."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "2024-05-05-out.md").write_text("---\ntitle: SECRET-POST\n---\nSECRET-BODY\n", encoding="utf-8")
    site = tmp_path / "site"
    posts = site / "_posts"
    (posts / "archive").mkdir(parents=True)
    (posts / "2024-01-02-a.md").write_text(POST.format(title="A", day=2, body="x"), encoding="utf-8")
    (posts / "ext").symlink_to(outside)
    (posts / "alias").symlink_to("archive")  # inside the posts folder: passed over, as before
    config = write_config(site)

    built = run("build", "--config", config, "--now", "2025-01-01")

    assert built.exit_code == 1, built.output
    assert "_posts/ext: symbolic link to a folder outside the posts folder; copy the folder in instead" in built.stderr
    assert "alias" not in built.stderr
    assert "1 post published, 1 rejected" in built.stdout
    assert "SECRET" not in (site / "out" / "rss.xml").read_text(encoding="utf-8")


def test_a_post_at_the_home_page_puts_the_home_url_in_the_sitemap_once(tmp_path: Path) -> None:
    """A post with `permalink: "/"` is the home page: the sitemap listed its URL twice, as the home and as the post,
    which `feedpub validate` itself reports."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_posts" / "2024-01-02-a.md").write_text(POST.format(title="A", day=2, body="x"), encoding="utf-8")
    home = POST.format(title="Home", day=3, body="y").replace("---\n", '---\npermalink: "/"\n', 1)
    (site / "_posts" / "home.md").write_text(home, encoding="utf-8")
    config = write_config(site)

    built = run("build", "--config", config, "--now", "2025-01-01")

    assert built.exit_code == 0, built.output
    sitemap = (site / "out" / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<loc>https://example.kr/</loc>") == 1
    assert sitemap.count("<loc>") == 2
    checked = run("validate", site / "out")
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize("where", ["theme-includes", "defaults-scope", "hugo-shortcodes"])
def test_a_folder_linked_to_the_root_of_the_disk_is_never_walked(tmp_path: Path, where: str) -> None:
    """A theme's _includes, a defaults scope's folder or Hugo's layouts/shortcodes committed as a link to /: every
    build stamped (walked) the whole disk, over 220 s and 3 GB. Each leads out of the site, and is read as absent."""
    if where == "hugo-shortcodes":
        site = _hugo(tmp_path, "")
        (site / "layouts").mkdir()
        os.symlink("/", site / "layouts" / "shortcodes")
        config = _init_within(tmp_path, "--from-hugo", site)
    else:
        scope = 'defaults:\n  - scope: {path: "lnk/*Z"}\n    values: {layout: x}\n'
        site = _jekyll(tmp_path, "theme: evil\nexclude: [vendor]\n" if where == "theme-includes" else scope)
        theme = site / "vendor" / "bundle" / "ruby" / "3.1.0" / "gems" / "evil-1.0"
        theme.mkdir(parents=True)
        os.symlink("/", theme / "_includes" if where == "theme-includes" else site / "lnk")
        config = _init_within(tmp_path, "--from-jekyll", site)
    for _ in range(2):
        finished = build_within(config, 30)  # the code before walked the disk for minutes
        assert finished.returncode == 0, finished.stderr


def test_a_shortcode_template_that_is_a_pipe_is_passed_over_not_waited_on(tmp_path: Path) -> None:
    """layouts/shortcodes/evil.html committed as a pipe no writer opens: `init --from-hugo` and every build waited
    on it forever (holding the lock). It is read as a template that cannot be read: one rendering Markdown."""
    site = _hugo(tmp_path, "")
    (site / "layouts" / "shortcodes").mkdir(parents=True)
    os.mkfifo(site / "layouts" / "shortcodes" / "evil.html")
    config = tmp_path / "config.toml"
    init = [sys.executable, "-m", "feedpub", "init", "--from-hugo", str(site), "--config", str(config)]
    assert subprocess.run(init, capture_output=True, timeout=20, check=False).returncode == 0
    finished = build_within(config, 20)
    assert finished.returncode == 0, finished.stderr
    assert "Control" in (site / "public" / "index.xml").read_text(encoding="utf-8")


def test_a_jekyll_exclude_of_more_globs_than_are_matched_is_refused_by_name(tmp_path: Path) -> None:
    """90,000 `exclude` globs (2.8 MB): their one regex took 14 s to compile at every build (Jekyll builds the site in
    6 s). Past 40,000 the list is refused; names without wildcards are not counted."""
    names = "".join(f"  - 'name{number}'\n" for number in range(40_001))
    site = _jekyll(tmp_path / "names", "exclude:\n" + names)
    assert build_within(_init(tmp_path / "names", "--from-jekyll", site), 60).returncode == 0
    globs = "".join(f"  - '*[!a]*{number}*z'\n" for number in range(40_001))
    site = _jekyll(tmp_path / "globs", "exclude:\n" + globs)
    refusal = _refusal(tmp_path / "globs", "--from-jekyll", site)
    assert "exclude lists 40,001 globs, more than the 40,000 feedpub matches" in refusal


def test_jekyll_scopes_descending_at_three_places_walk_a_deep_chain_once(tmp_path: Path) -> None:
    """Four scopes "**/*/**/*/**/*Z<i>" (three descents, allowed) over a chain of 100 folders: Python's glob walked
    the tree below each "**" again for each place the one before reached, 33 s at every run (Jekyll: 1 s)."""
    scopes = "".join(f"  - scope: {{path: '**/*/**/*/**/*Z{i}'}}\n    values: {{layout: x}}\n" for i in range(4))
    site = _jekyll(tmp_path, "defaults:\n" + scopes)
    chain = site.joinpath("assets", *["d"] * 100)
    chain.mkdir(parents=True)
    (chain / ".keep").write_text("", encoding="utf-8")
    finished = build_within(_init(tmp_path, "--from-jekyll", site), 15)  # the code before: 24 s
    assert finished.returncode == 0, finished.stderr
