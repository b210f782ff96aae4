"""The no-change record of a Jekyll or Hugo site (state/standing.py, state.stamps.Inputs): it must never answer
"nothing changed" after a change a build would show, whatever file of the site changed; and every file or folder a
build reads must be one the record checks (a reader that forgets to tell Inputs fails here, not in a user's feed)."""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from feedpub.config import load_config
from feedpub.read import hugo_config, jekyll_site_url, read_mapping
from feedpub.state import standing
from feedpub.urls import site_url_of
from tests.conftest import REPO, run

SITES = REPO / "tests" / "sites"
OUTPUT = "feedpub-out"
# Fixture sites whose builds leave a record (the others have a Hugo leaf bundle with a resource in a folder of its
# own, which the walk does not enter, so a listing cannot be replayed).
RECORDED = [
    "jekyll/classic-blog",
    "jekyll/collections-defaults",
    "jekyll/cross-references",
    "jekyll/korean-journal",
    "jekyll/project-pages",
    "hugo/contentdir-per-language",
    "hugo/dates-permalinks",
    "hugo/config-dir-multilingual",
    "hugo/plain-folders",
    "hugo/shortcodes-markup",
]


def fixture_site(name: str, into: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture site with a feedpub config beside its own, built once from its folder (where the
    record is made for)."""
    site = into / name.replace("/", "-")
    shutil.copytree(SITES / name, site, ignore=shutil.ignore_patterns("expected.json", "oracle.json"))
    _write_config(site, name.split("/")[0])
    monkeypatch.chdir(site)
    build(site)
    return site


def _write_config(site: Path, generator: str) -> None:
    """feedpub's config beside the site's own: its generator's rules find the posts, at the address the site's
    config serves it at (as `init` writes it: a build stops where the two disagree)."""
    (site / "config.toml").write_text(
        f'[site]\nurl = "{_served_at(site, generator)}"\ntitle = "t"\n[posts]\ndirs = ["_posts"]\n'
        f'generator = "{generator}"\n[output]\ndir = "{OUTPUT}"\n',
        encoding="utf-8",
    )


def _served_at(site: Path, generator: str) -> str:
    """Hugo's baseURL, or Jekyll's url + baseurl (https://example.kr/ without a url), as site.url names it."""
    if generator == "hugo":
        return site_url_of(hugo_config(site).base_url) or ""
    data = read_mapping(site / "_config.yml", site)
    return site_url_of(jekyll_site_url(data.get("url")), data.get("baseurl")) or "https://example.kr/"


def build(site: Path, *args: str) -> str:
    assert Path.cwd() == site
    result = run("build", *args)
    assert result.exit_code in (0, 1), result.output
    return result.output


def answer(site: Path) -> standing.Replay | None:
    assert Path.cwd() == site
    return standing.replay(["build"], os.environ)


def outputs(site: Path) -> dict[str, bytes]:
    folder = site / OUTPUT
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def counts(line: str) -> str:
    """What a summary line says of the posts (not what was written, nor the seconds)."""
    return re.sub(r" -> .*", "", line.strip().splitlines()[-1])


def site_files(site: Path) -> Iterator[Path]:
    """Every file and folder of the site but feedpub's own (its config, state and outputs)."""
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).parts
        if relative[0] not in (".feedpub", OUTPUT, "config.toml", "feedpub-dates.txt"):
            yield path


Mutation = Callable[[Path], None]


def _appended(path: Path) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write("\nchanged: 1\n")


def _touched(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 2_000_000_000))


def _sibling(path: Path) -> None:
    """A new page beside it (in it, for a folder): dated, with front matter, as a post or page would be."""
    folder = path if path.is_dir() else path.parent
    (folder / "2024-05-05-added.md").write_text("---\ntitle: Added\ndate: 2024-05-05\n---\nAdded.\n", "utf-8")


def _removed(path: Path) -> None:
    shutil.rmtree(path) if path.is_dir() else path.unlink()


MUTATIONS: dict[str, Mutation] = {"appended": _appended, "touched": _touched, "sibling": _sibling, "removed": _removed}
# Places a generator looks for files that the fixtures lack: making one must not go unseen.
ABSENT = {
    "jekyll": ["_config.yaml", "_data/authors.yml", "_data/authors/kim.yml", "_includes/new.html", "_drafts/x.md"],
    "hugo": ["hugo.toml", "config/_default/params.toml", "config/production/hugo.toml", "content/_index.md"],
}


def restore(site: Path, pristine: Path) -> None:
    """The site as `pristine` holds it, its folder kept (the run's working folder)."""
    for child in site.iterdir():
        _removed(child)
    for child in pristine.iterdir():
        if child.is_dir():
            shutil.copytree(child, site / child.name, symlinks=True)
        else:
            shutil.copy2(child, site / child.name, follow_symlinks=False)


def _check(site: Path, what: str, pristine: Path) -> None:
    """After a change: where the record answers, a build that reads everything again finds nothing to write and
    says what the answer says. Then the site is put back and built, and the record must stand again."""
    replayed = answer(site)
    if replayed is not None:
        before = outputs(site)
        line = build(site, "--no-cache")
        assert outputs(site) == before, f"{what}: answered 'nothing changed', but the build writes"
        assert counts(line) == counts(replayed.stdout[0]), what
    restore(site, pristine)
    build(site)
    assert answer(site) is not None, f"{what}: no record after the site was put back"


def _mutate_every_file(site: Path, pristine: Path) -> None:
    """Each mutation of each of the site's files and folders in turn, checked (_check) and put back."""
    for path in [*site_files(site)]:
        for label, mutation in MUTATIONS.items():
            if path.is_dir() and label in ("appended", "touched"):
                continue
            mutation(path)
            _check(site, f"{path.relative_to(site)} {label}", pristine)


@pytest.mark.parametrize("name", RECORDED)
def test_no_change_to_a_generator_sites_files_is_answered_as_none(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = fixture_site(name, tmp_path, monkeypatch)
    build(site)
    pristine = tmp_path / "pristine"
    shutil.copytree(site, pristine, symlinks=True)
    assert answer(site) is not None
    _mutate_every_file(site, pristine)
    for relative in ABSENT[name.split("/")[0]]:
        made = site / relative
        made.parent.mkdir(parents=True, exist_ok=True)
        made.write_text("title: made\nbaseURL: https://made.example/\n", encoding="utf-8")
        _check(site, f"{relative} made", pristine)


def test_a_hugo_leaf_bundles_resources_are_in_its_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A site of leaf bundles leaves a record, holding each bundle's resources (its image is the feeds' enclosure,
    whose length is the file's): a resource added, edited, touched or removed is no "nothing changed"."""
    site = tmp_path / "site"
    bundle = site / "content" / "posts" / "trip"
    bundle.mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.kr/"\ntitle = "T"\n', encoding="utf-8")
    (bundle / "index.md").write_text(
        "---\ntitle: Trip\ndate: 2024-05-01\nimages: [featured.jpg]\n---\n![cover](featured.jpg)\n\nText.\n", "utf-8"
    )
    (bundle / "featured.jpg").write_bytes(b"\xff\xd8" + b"x" * 500)
    (site / "content" / "posts" / "plain.md").write_text("---\ntitle: Plain\ndate: 2024-04-01\n---\nBody.\n", "utf-8")
    _write_config(site, "hugo")
    monkeypatch.chdir(site)
    build(site)
    build(site)
    assert answer(site) is not None
    assert b'length="502"' in (site / OUTPUT / "rss.xml").read_bytes()
    pristine = tmp_path / "pristine"
    shutil.copytree(site, pristine, symlinks=True)
    _mutate_every_file(site, pristine)


@pytest.mark.parametrize("name", RECORDED)
def test_every_file_a_build_reads_is_one_its_record_checks(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = fixture_site(name, tmp_path, monkeypatch)
    (site / ".feedpub" / "cache.db").unlink()  # a build that reads every post again
    read = _reads_under(site, lambda: build(site))
    build(site)  # the one that finds nothing changed leaves the record
    record = standing.load_record(str(site / ".feedpub" / standing.STANDING_NAME))
    assert record is not None
    files, folders, trees = _covered(record)
    own = (str(site / ".feedpub"), str(site / OUTPUT))
    # The site's folder is listed for the temporaries a killed build left beside the dates file: a clean-up of
    # feedpub's own files, which decides nothing a build writes.
    cleaned = ("listed", str(site))
    missed = [
        (event, path)
        for event, path in read
        if not path.startswith(own)
        and (event, path) != cleaned
        and not any(path == tree or path.startswith(tree + "/") for tree in trees)
        and (path not in folders if event != "open" else path not in files and path not in folders)
    ]
    assert not missed, missed


def _covered(record: Any) -> tuple[set[str], set[str], list[str]]:
    """The files, folders (listed) and trees (every file under them) the record checks."""
    files = {os.path.abspath(state[0]) for state in record["files"]}  # the config's as given: in the run's folder
    folders = set()
    for folder, joined, _ in record["listing"]:
        folders.add(folder)
        files |= {f"{folder}/{name}" for name in joined.split("\0") if name}
    trees = []
    for stamp in record["dependencies"]:
        kind, path = stamp.split("\t")[:2]
        {"file": files.add, "names": folders.add, "tree": trees.append}[kind](path)
    return files, folders, trees


_AUDITED: list[tuple[str, str]] = []
_AUDITING: list[str] = []  # the folder whose reads are kept, while one is


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _AUDITING and event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], str):
        path = os.path.abspath(args[0])
        # A folder opened (os.open with O_DIRECTORY) is one about to be listed or stat'ed by name: not a read.
        folder_opened = event == "open" and len(args) > 2 and isinstance(args[2], int) and args[2] & os.O_DIRECTORY
        if (path == _AUDITING[0] or path.startswith(_AUDITING[0] + "/")) and not folder_opened:
            _AUDITED.append(("open" if event == "open" else "listed", path))


sys.addaudithook(_audit)  # once a process: a hook cannot be removed, so it only keeps reads while _AUDITING says


def _reads_under(folder: Path, action: Callable[[], object]) -> list[tuple[str, str]]:
    """The files opened and folders listed under `folder` (links resolved) while `action` runs."""
    _AUDITED.clear()
    _AUDITING.append(str(folder.resolve()))
    try:
        action()
    finally:
        _AUDITING.clear()
    return list(dict.fromkeys(_AUDITED))


def test_jekylls_environment_is_part_of_the_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """JEKYLL_ENV is `jekyll.environment` in the posts' Liquid: another value is another build."""
    monkeypatch.delenv("JEKYLL_ENV", raising=False)
    site = fixture_site("jekyll/classic-blog", tmp_path, monkeypatch)
    build(site)
    assert answer(site) is not None
    assert standing.replay(["build"], {**os.environ, "JEKYLL_ENV": "development"}) is None


def test_a_hugo_page_coming_due_outside_the_posts_ends_the_records_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hugo's main section is the one with the most pages published now: a page of another section published in
    an hour may make it that section, with no file changing. The record holds until then, and no longer."""
    site = tmp_path / "hugo"
    coming = datetime.now(UTC) + timedelta(hours=1)

    def page(relative: str, extra: str = "") -> None:
        path = site / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: {path.stem}\ndate: 2024-01-02\n{extra}---\nText.\n", encoding="utf-8")

    for name in ("posts/a.md", "posts/b.md", "posts/c.md", "notes/a.md", "notes/b.md"):
        page(name)
    page("notes/c.md", f"publishDate: {coming.isoformat()}\n")
    (site / "hugo.toml").write_text('baseURL = "https://hugo.example/"\ntitle = "t"\n', encoding="utf-8")
    (site / "config.toml").write_text(
        '[site]\nurl = "https://hugo.example/"\ntitle = "t"\n[posts]\ndirs = ["_posts"]\ngenerator = "hugo"\n'
        f'[output]\ndir = "{OUTPUT}"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(site)
    build(site)
    build(site)
    record = standing.load_record(str(site / ".feedpub" / standing.STANDING_NAME))
    assert record is not None
    assert record["until"] is not None and record["until"] <= coming.timestamp()


@pytest.mark.parametrize("kind", ["jekyll _posts linked", "hugo dated by git"])
def test_no_record_where_a_generators_files_cannot_be_followed_by_stats(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `_posts` that is a link may lead elsewhere with no file changing; a page dated by its last commit moves
    with a commit."""
    if kind.startswith("jekyll"):
        site = fixture_site("jekyll/classic-blog", tmp_path, monkeypatch)
        (site / "_posts").rename(site / "kept-posts")
        (site / "_posts").symlink_to(site / "kept-posts")
    else:
        site = fixture_site("hugo/dates-permalinks", tmp_path, monkeypatch)
        config = site / "hugo.json"
        config.write_text(
            config.read_text("utf-8").replace('"summaryLength"', '"enableGitInfo": true, "summaryLength"')
        )
    (site / ".feedpub" / "standing.marshal").unlink(missing_ok=True)
    build(site)
    build(site)
    assert not (site / ".feedpub" / "standing.marshal").exists()


def _rewritten_at_the_same_size_and_time(path: Path, old: str, new: str) -> None:
    """`path` with `old` replaced by `new` (as long), its times put back as `touch -r` puts them."""
    assert len(old.encode()) == len(new.encode())
    info = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns


@pytest.mark.parametrize("generator", ["jekyll", "hugo"])
def test_a_configuration_edited_at_the_same_size_and_time_is_no_change_to_the_record(
    generator: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A _config.yml (or hugo.toml, a section's _index.md, an include) written again at the same size, its
    modification time put back: the record answered "nothing changed" and every later run served the old feeds
    (here an edited permalink: every link a 404), where the whole check, which reads those files again, wrote the
    new ones."""
    site = tmp_path / "site"
    posts = site / ("_posts" if generator == "jekyll" else "content/posts")
    (posts / "sub").mkdir(parents=True)
    if generator == "jekyll":
        config = site / "_config.yml"
        config.write_text("url: https://jk.example.com\npermalink: /:year/:title/\n", encoding="utf-8")
        (posts / "2024-01-01-one.md").write_text("---\ntitle: One\n---\n{% include snip.html %}\n", encoding="utf-8")
        (site / "_includes").mkdir()
        (site / "_includes" / "snip.html").write_text("<p>snippet-before</p>\n", encoding="utf-8")
        # An include: the whole check did not see it either (its stamp in the cache had no change time).
        edits = [(config, "/:year/:title/", "/:title/:year/"), (site / "_includes" / "snip.html", "before", "after!")]
    else:
        config = site / "hugo.toml"
        config.write_text(
            'baseURL = "https://h.example.com/"\n[permalinks]\nposts = "/:year/:slug/"\n', encoding="utf-8"
        )
        (posts / "one.md").write_text("---\ntitle: One\ndate: 2024-01-01\n---\nx\n", encoding="utf-8")
        (posts / "sub" / "_index.md").write_text("---\ntitle: Sub\ndraft: false\n---\n", encoding="utf-8")
        (posts / "sub" / "two.md").write_text("---\ntitle: Two\ndate: 2024-01-02\n---\ny\n", encoding="utf-8")
        edits = [
            (config, "/:year/:slug/", "/:slug/:year/"),
            (posts / "sub" / "_index.md", "draft: false", "draft: true "),
        ]
    assert run("init", f"--from-{generator}", site, "--config", site / "config.toml").exit_code == 0
    out = load_config(site / "config.toml").output_dir

    def written() -> dict[str, bytes]:
        return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    monkeypatch.chdir(site)
    build(site)
    build(site)
    assert answer(site) is not None
    for path, old, new in edits:
        _rewritten_at_the_same_size_and_time(path, old, new)
        assert answer(site) is None, f"{path.name}: the record still answered"
        build(site)
        fresh = written()
        build(site, "--no-cache")
        assert written() == fresh, path.name
    feed = written()["atom.xml"]
    assert b"/one/2024/" in feed and b"/2024/one/" not in feed
    assert b"snippet-after!" in feed if generator == "jekyll" else b"Two" not in feed
