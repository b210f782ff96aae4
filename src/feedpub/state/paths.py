"""Every file under .feedpub/ (beside config.toml): one place names them all."""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: state/standing.py reads the names below before anything else is imported
if TYPE_CHECKING:
    from pathlib import Path

    from feedpub.models import Site

STATE_FOLDER = ".feedpub"  # beside the config file
LOCK_NAME = "lock"
STANDING_NAME = "standing.marshal"
OUTPUTS_NAME = "outputs.json"


def cache_path(site: Site) -> Path:
    """The reading cache and the record of the last build: losing it costs time, never correctness."""
    return site.state_dir / "cache.db"


def ping_state_path(site: Site) -> Path:
    """What each notification target has acknowledged."""
    return site.state_dir / "state.db"


def published_path(site: Site) -> Path:
    """What the last build put online, for `feedpub ping`; a build into another folder (`--output`, a preview)
    keeps its own record beside it, named by its folder: a preview must not make ping announce pages that are not
    live, nor let the real build's pages pass for announced."""
    if not site.elsewhere:
        return site.state_dir / "published.json"
    import hashlib  # here: this module is read before anything else is imported (state/standing.py)

    folder = hashlib.blake2b(str(site.output_dir).encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
    return site.state_dir / f"published-{folder}.json"


def previous_path(site: Site) -> Path:
    """What the live site had published when a runner without ping state first built (`[ping] previous`).

    `feedpub ping` takes it as already announced to every target, then deletes it: a fresh runner does not
    announce the whole site again. Losing it costs that: the targets hear of the feeds and newest pages again.
    """
    return site.state_dir / "previous.json"


def lock_path(site: Site) -> Path:
    """Held by the run working on the site (flock: released when its process dies)."""
    return site.state_dir / LOCK_NAME


def outputs_path(site: Site) -> Path:
    """The files the last build left in the output folder, and how many posts it published.

    Only files named here are ever deleted (a hand-made sitemap-2.xml is not feedpub's), and the count is what
    the shrink guard compares a build with.
    """
    return site.state_dir / OUTPUTS_NAME


def generator_config_memo_path(site: Site) -> Path:
    """The generator's YAML configuration (Jekyll's _config.yml) as last parsed, by its text's digest, as JSON: a
    run given the same file need not import PyYAML (read/config_files.py). Losing it costs time, never correctness."""
    return site.state_dir / "generator-config.json"


def standing_path(site: Site) -> Path:
    """What the next `feedpub build` checks before importing the rest of feedpub (state/standing.py). Losing it
    costs that run its time, never its answer."""
    return site.state_dir / STANDING_NAME
