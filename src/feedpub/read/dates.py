"""When a post was published: its front matter, its file name's YYYY-MM-DD- prefix, else git or the file's mtime."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from feedpub.dates import EARLIEST_YEAR, parse_date
from feedpub.errors import PostError
from feedpub.models import FileDates
from feedpub.read.budget import outside_limit, usable_cpus
from feedpub.read.front_matter import as_text

FILENAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.*)$")
# The newest commits read first when only a few files want their dates (GitDates.expect).
RECENT_COMMITS = 200


class LastCommit(NamedTuple):
    """The last commit that changed a file: one value a commit, shared by every file it changed."""

    time: int  # its committer time, seconds since the epoch
    authored: str  # its author date, ISO 8601 at the author's offset (git's %aI)


@dataclass
class GitDates:
    """The last commit of every file under a posts folder, as `git log` lists them (read once, only when needed).

    Only the site's own repository is asked: the one holding `site_dir` (ReadSettings.site_dir) when the posts
    are inside it, else the one holding the posts folder's parent, never one found by searching from inside the
    posts folder: an author who can add files there could plant a repository whose configuration runs programs.
    """

    root: Path  # the posts folder
    site_dir: Path
    problem: str = field(default="", init=False)  # why the repository gave no dates, when it is at fault: a warning
    _commits: dict[str, LastCommit] | None = field(default=None, init=False)
    _real_root: str = field(default="", init=False)  # the posts folder with every link resolved
    # The only files that will be asked for (`expect`), by real path; None: any may be.
    _expected: frozenset[str] | None = field(default=None, init=False)
    _partial: bool = field(default=False, init=False)  # the dates are the newest commits' only
    # The repository's top and whether git quotes non-ASCII names there (_quoting), once asked.
    _quoting: tuple[str, bool] | None = field(default=None, init=False)

    def expect(self, paths: Collection[str]) -> None:
        """Name the only post files that will be asked for, by the paths the scan gave them; when they are few,
        the dates are read from the newest commits alone if those name them all (a site that keeps its dates file
        asks git only for the posts added since, which the newest commits added)."""
        if not paths or len(paths) > RECENT_COMMITS:
            self._expected = None  # a commit adds a post or two: the newest few cannot name them all
            return
        self._real_root = self._real_root or os.path.realpath(self.root)
        self._expected = frozenset(self._real_path(path) for path in paths)

    def get(self, path: str) -> int | None:
        """The committer time of a post file's last commit, by the path the scan gave it (under `root`)."""
        commit = self._last_commit(path)
        return commit.time if commit is not None else None

    def authored(self, path: str) -> datetime | None:
        """When a post file's last commit was authored, at its author's offset (Hugo's GitInfo.AuthorDate); None
        where Hugo's own log names no such file: Hugo reads the names git prints without -z, and one git quotes
        matches no page (a quote, a backslash, a control character; with core.quotePath, git's default, any
        non-ASCII: observed with 0.111.3, `café.md` had no GitInfo and was dated 0001-01-01)."""
        commit = self._last_commit(path)
        if commit is None or not self._named_in_hugos_log(path):
            return None
        return datetime.fromisoformat(commit.authored)

    def _named_in_hugos_log(self, path: str) -> bool:
        if self._quoting is None:
            self._quoting = _quoting(self.site_dir if self.root.is_relative_to(self.site_dir) else self.root.parent)
        top, quote_path = self._quoting
        name = os.path.relpath(self._real_path(path), top)
        return not (_ALWAYS_QUOTED.search(name) or (quote_path and not name.isascii()))

    def _last_commit(self, path: str) -> LastCommit | None:
        commits = self.load()
        real = self._real_path(path)
        if self._partial and real not in commits:
            # Not expected, and not named by the newest commits: an older one may name it.
            self._expected, self._commits, self._partial = None, None, False
            commits = self.load()
        return commits.get(real)

    def _real_path(self, path: str) -> str:
        prefix = f"{self.root}/"
        # The scan never enters a linked folder, so below `root` only the file itself can be a link: the path's
        # real form is the posts folder's real path and the rest, with no realpath (~0.1 ms) for each post.
        if path.startswith(prefix) and not os.path.islink(path):
            return f"{self._real_root}/{path[len(prefix) :]}"
        return os.path.realpath(path)

    def load(self) -> dict[str, LastCommit]:
        """The dates, read once: the first post to need them waits for git outside its own time limit, and when
        git fails, every post is dated by its file's time (each waited out its 10 s again, and was rejected).
        After `expect`, they may be the newest commits' only, when those name every file expected."""
        if self._commits is None:
            start = self.site_dir if self.root.is_relative_to(self.site_dir) else self.root.parent
            self._real_root = os.path.realpath(self.root)
            self._commits = {}
            try:
                with outside_limit():
                    recent = _read_recent_git_dates(start, self.root) if self._expected is not None else {}
                    if recent is None:
                        return self._commits  # no repository holds the posts: none has a date from git
                    self._partial = self._expected is not None and self._expected <= recent.keys()
                    self._commits = recent if self._partial else _read_git_dates(start, self.root)
            except GitUnusable as problem:
                self.problem = f"{problem}; posts without a date are dated by their files' times"
        return self._commits


# What git quotes in a name it prints without -z, whatever its settings: control characters, '"' and '\\'.
_ALWAYS_QUOTED = re.compile(r'[\x00-\x1f"\\\x7f]')


def _quoting(start: Path) -> tuple[str, bool]:
    """The real path of the top of the repository holding `start`, and whether git quotes non-ASCII names there
    (core.quotePath as the repository's and the user's configuration set it: feedpub's own commands turn it off);
    ("", True) when git cannot say."""
    import subprocess

    top = ""
    try:
        if _blocking_include(start) is not None:
            return "", True
        top = _git(["-C", str(start), "rev-parse", "--show-toplevel"], timeout=_QUICK).strip()
        arguments = ["-C", top, "config", "--show-scope", "--type=bool", "--get-all", "core.quotePath"]
        listed = _git(arguments, timeout=_QUICK, configuration=True)  # as Hugo's own git reads it
    except subprocess.CalledProcessError as error:
        if error.returncode != 1 or not top:  # 1: the setting is not set anywhere
            return "", True
        listed = ""
    except (OSError, subprocess.SubprocessError):
        return "", True
    # Every value, from the system's to the command line's, the last one winning: the command line's is feedpub's.
    values = [value for scope, _, value in (line.partition("\t") for line in listed.splitlines()) if scope != "command"]
    return os.path.realpath(top), (values[-1] if values else "true") != "false"


class GitUnusable(Exception):
    """The repository holding the posts cannot be read in time: git would wait on a file, or did (the reason)."""


# Every git setting that could make git (log, rev-list, diff-tree) run a program, forced off; the repository's own
# configuration cannot turn them back on (command-line settings win). safe.directory is left to git: a repository
# owned by another user is refused, and the dates then come from the files' times.
_GIT_SAFETY = (
    *("-c", "core.fsmonitor=false"),
    *("-c", "core.hooksPath=/dev/null"),
    *("-c", "core.pager=cat"),
    *("-c", "log.showSignature=false"),
    *("-c", "gpg.program=false"),
    *("-c", "diff.external="),
    *("-c", "core.quotePath=false"),
    # No transport at all: a partial clone's missing object is fetched on demand from its promisor remote, whose
    # core.sshCommand (or an ext:: URL) runs any program; a .git planted in the site did that during `git log`.
    *("-c", "protocol.allow=never"),
    "--no-pager",
)


def _git(arguments: list[str], timeout: float, input: str | None = None, configuration: bool = False) -> str:
    import subprocess  # here, and the pool below: only sites dated by git pay their import (~10 ms a run)

    # Run from a git hook (post-commit, post-receive), GIT_DIR and friends would point git at another
    # repository than the one holding the posts; none of git's own variables is passed on, but, for a command
    # reading a setting as the user's own git would (`configuration`), those naming configuration (GIT_CONFIG_GLOBAL,
    # GIT_CONFIG_COUNT and its keys and values...).
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("GIT_") or (configuration and name.startswith("GIT_CONFIG"))
    }
    env |= {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "GIT_NO_LAZY_FETCH": "1"}  # git 2.44 and later
    result = subprocess.run(
        ["git", *_GIT_SAFETY, *arguments],
        capture_output=True,
        text=True,
        check=True,
        timeout=timeout,
        env=env,
        input=input,
        stdin=subprocess.DEVNULL if input is None else None,
    )
    return result.stdout


def _read_git_dates(start: Path, posts_dir: Path, workers: int | None = None) -> dict[str, LastCommit]:
    """The last commit of every file git names under `posts_dir`, by its real path; GitUnusable when git would
    wait on a file, or did past its time, and {} when there is no repository (or no git)."""
    log = _dates_from(start, posts_dir, lambda repo, pathspec: _changes_log(repo, pathspec, workers or usable_cpus()))
    return log if log is not None else {}


def _read_recent_git_dates(start: Path, posts_dir: Path) -> dict[str, LastCommit] | None:
    """What `_read_git_dates` gives, from the newest RECENT_COMMITS commits that change the posts only: the same
    date for each file they name (`git log -n N` prints the first N commits of the whole log, merges and history
    simplification included), none for the others; None when no repository holds the posts (or git fails).

    Each commit's diff walks the whole posts folder: on 10,000 commits to a flat folder of 10,000 posts, the whole
    log cost 3 s of CPU, the newest 200 a fiftieth of that.
    """
    recent = f"--max-count={RECENT_COMMITS}"
    return _dates_from(
        start, posts_dir, lambda repo, pathspec: _git([*repo, "log", recent, *_CHANGES, "--", pathspec], timeout=300)
    )


def _dates_from(
    start: Path, posts_dir: Path, read_log: Callable[[list[str], str], str]
) -> dict[str, LastCommit] | None:
    """The dates in the log `read_log` makes (given git's arguments for the repository, and the posts' pathspec) of
    the repository holding `start`; None when it does not hold `posts_dir`, there is none, or git fails."""
    import subprocess

    try:
        if (problem := _blocking_include(start)) is not None:
            raise GitUnusable(problem)
        top = _git(["-C", str(start), "rev-parse", "--show-toplevel"], timeout=_QUICK).strip()
        repository = Path(top).resolve()
        if not top or not posts_dir.resolve().is_relative_to(repository):
            return None
        # An explicit --git-dir and --work-tree: git does not look for a repository anywhere else.
        git_dir = _git(["-C", top, "rev-parse", "--absolute-git-dir"], timeout=_QUICK).strip()
        repo = [f"--git-dir={git_dir}", f"--work-tree={top}", "-C", top]
        # The last commit, in milliseconds: git has opened what it reads before any history (refs, grafts, shallow,
        # alternates), which the log's own long time limit would otherwise wait on.
        _git([*repo, "rev-list", "--max-count=1", "HEAD", "--"], timeout=_QUICK)
        log = read_log(repo, os.path.relpath(posts_dir.resolve(), repository))
    except subprocess.TimeoutExpired as error:
        # A file git opens that never ends (a FIFO as .git/HEAD or packed-refs), a stalled network disk.
        raise GitUnusable(f"{start}: git read its repository for more than {error.timeout:g} s") from None
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return _dates_of(log, repository)


def _dates_of(log: str, repository: Path) -> dict[str, LastCommit]:
    """The first commit that names each file in `log` (what `git log` prints with `_CHANGES`, newest first), by
    its real path."""
    commits: dict[str, LastCommit] = {}
    commit = LastCommit(0, "")
    # With -z each commit is "\0<time> <date>\0", then its files, each ended by "\0", the first after a "\n": no
    # name is quoted (without -z, a name with a quote, a tab or a line break came quoted, and matched no post).
    header = first = False
    for token in log.split("\0"):
        if not token:
            header = True  # no name is empty: what follows is a commit
        elif header:
            time, _, authored = token.partition(" ")
            commit = LastCommit(int(time), authored)
            header, first = False, True
        else:
            name = token[1:] if first and token[:1] == "\n" else token
            first = False
            # Git names files by their real paths below the repository's top (it tracks no file through a link).
            commits.setdefault(os.path.join(repository, name), commit)  # the log is newest first
    return commits


def head_commit(folder: Path) -> str:
    """The commit checked out in the repository holding `folder`; "" when there is none, or git cannot be asked
    (GitDates says why)."""
    import subprocess

    try:
        if _blocking_include(folder) is not None:
            return ""
        return _git(["-C", str(folder), "rev-parse", "--verify", "--quiet", "HEAD"], timeout=_QUICK).strip()
    except (OSError, subprocess.SubprocessError):
        return ""


_QUICK = 10  # seconds for a git command that reads no history: it takes milliseconds
_INCLUDE_DEPTH = 10  # git's own MAX_INCLUDE_DEPTH
# The include settings of one configuration file (or, without --file, of git's own: system, global, repository's),
# as "file:<where>\0<key>\n<path>\0", not followed.
_INCLUDES = ("--no-includes", "--show-origin", "-z", "--get-regexp", r"^include(if\..*)?\.path$")


def _blocking_include(start: Path) -> str | None:
    """The first file the configuration of `start`'s repository includes that is not a regular file (which, and
    where), else None.

    git opens every include (include.path, includeIf.*.path) at the start of every command, and has no setting to
    skip them: a FIFO included from .git/config held each git command until it was killed. They are listed here
    without being followed, and each regular file included is listed in turn.
    """
    import subprocess

    listed: set[str] = set()
    to_list: list[str | None] = [None]  # None: git's own configuration files
    for _ in range(_INCLUDE_DEPTH):
        included: list[str | None] = []
        for config in to_list:
            try:
                where = [] if config is None else ["--file", config]
                output = _git(["-C", str(start), "config", *where, *_INCLUDES], timeout=_QUICK)
            except subprocess.CalledProcessError:
                continue  # no include (git config exits with 1)
            fields = output.split("\0")
            for origin, setting in zip(fields[::2], fields[1::2], strict=False):
                if not origin.startswith("file:"):
                    continue  # given on git's command line: feedpub's own
                including = os.path.join(start, origin.removeprefix("file:"))  # relative to where git ran
                # A relative include is relative to the file that includes it; "~/" is the home folder.
                path = os.path.join(os.path.dirname(including), os.path.expanduser(setting.partition("\n")[2]))
                try:
                    mode = os.stat(path).st_mode
                except OSError:
                    continue  # git leaves out an include that is not there
                if not stat.S_ISREG(mode):
                    return f"{including}: includes {path}, which is not a regular file (a FIFO holds git for ever)"
                if path not in listed:
                    listed.add(path)
                    included.append(path)
        if not included:
            return None
        to_list = included
    return None


# Each commit as a NUL, its committer time and its author date, then the files under the pathspec it changed, each
# ended by a NUL (_dates_of).
_CHANGES = (
    *("--no-show-signature", "--no-ext-diff", "--no-textconv"),
    *("--format=%x00%ct %aI", "--name-only", "--no-renames", "-z"),
)

# Commits a `git diff-tree` process is given at least: starting one costs a few milliseconds.
_MIN_COMMITS_A_PROCESS = 500


def _changes_log(repo: list[str], pathspec: str, workers: int, min_commits: int = _MIN_COMMITS_A_PROCESS) -> str:
    """What `git log` with `_CHANGES` prints for `pathspec`, newest commit first: made in parallel when it can be.

    `git log -- <pathspec>` diffs every commit twice: once to decide whether to show it (history simplification),
    once to list its files. Each diff walks the whole posts folder, so on a flat folder of 10,000 posts the log
    took 15 s of CPU. On a history without merges, simplification only hides the commits that change nothing
    under the pathspec, which list no file anyway: `git diff-tree` given every commit prints the same files once
    diffed, and commits can be split between processes. With a merge, which side is walked depends on
    simplification: `git log` itself is run.
    """
    chain = [line.split() for line in _git([*repo, "rev-list", "--parents", "HEAD", "--"], timeout=300).splitlines()]
    if len(chain) < 2 * min_commits or any(len(hashes) > 2 for hashes in chain):
        return _git([*repo, "log", *_CHANGES, "--", pathspec], timeout=300)
    # The first commit goes to `git log`: whether it lists its files is the repository's log.showRoot.
    children = [hashes[0] for hashes in chain if len(hashes) == 2]
    roots = [hashes[0] for hashes in chain if len(hashes) == 1]
    # Two parts a worker: with the newest (longest) parts first, a steadily growing folder splits evenly. More
    # cost more CPU: each process pages the pack in anew (on 10k commits, 4 parts took 0.5 s more than 1; 8, 1.2 s).
    parts = min(2 * workers, len(children) // min_commits) if workers > 1 else 1
    size = -(-len(children) // parts)
    jobs: list[tuple[list[str], str | None]] = [
        ([*repo, "diff-tree", "--stdin", "-r", *_CHANGES, "--", pathspec], "".join(f"{c}\n" for c in part))
        for part in (children[i : i + size] for i in range(0, len(children), size))
    ]
    jobs += [([*repo, "log", "--no-walk", *_CHANGES, root, "--", pathspec], None) for root in roots]
    # Newest commits first: the posts folder is biggest there, so the longest parts start first.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(min(workers, len(jobs))) as pool:
        logs = [pool.submit(_git, arguments, 300, stdin) for arguments, stdin in jobs]
        return "".join(log.result() for log in logs)


def front_matter_date(
    path: str,
    metadata: Mapping[str, Any],
    key: str,
    tz: ZoneInfo,
    parse: Callable[[Any, ZoneInfo], datetime | None] = parse_date,
) -> datetime | None:
    """The date front matter gives under `key`, as `parse` reads it (a generator's own reading: None where it
    reads none); PostError for one it refuses, or one before 1900."""
    value = metadata.get(key)
    if value is None or value == "":
        return None
    try:
        moment = parse(value, tz)
    except (ValueError, OverflowError):
        raise PostError(
            path,
            f"front matter '{key}' is not a valid date (got {as_text(value)!r}); "
            "use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS +0900",
        ) from None
    if moment is not None and moment.year < EARLIEST_YEAR:
        raise PostError(
            path,
            f"front matter '{key}' is {as_text(value)!r}, before {EARLIEST_YEAR}: feed readers mishandle such "
            "dates; give the date the post was published",
        )
    return moment


def filename_parts(path: str, stem: str, tz: ZoneInfo) -> tuple[str, datetime | None]:
    """The slug part of a Jekyll file (or bundle folder) name and the date in its YYYY-MM-DD- prefix, if any."""
    match = FILENAME_DATE.match(stem)
    if not match:
        return stem, None
    year, month, day, slug = match.groups()
    try:
        return slug, datetime(int(year), int(month), int(day), tzinfo=tz)
    except ValueError:
        raise PostError(
            path, f"file name starts with an impossible date {year}-{month}-{day}; fix the YYYY-MM-DD- prefix"
        ) from None


def file_date(path: str, git: FileDates, tz: ZoneInfo) -> datetime:
    stamp = git.get(path)
    if stamp is None:
        stamp = int(os.stat(path).st_mtime)
    return datetime.fromtimestamp(stamp, tz)
