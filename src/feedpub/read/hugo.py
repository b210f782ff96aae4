"""Hugo's rules for posts: which files it publishes, at which URLs, with which ids, read from its own config."""

from __future__ import annotations

from pathlib import Path

from feedpub.errors import ConfigError
from feedpub.models import GeneratorRules, Site


def load_rules(source: Path, site: Site) -> GeneratorRules:
    """Hugo's rules as `source`'s configuration sets them; ConfigError when it cannot be read."""
    raise ConfigError(f'posts.generator = "hugo" is not supported yet; leave it out (source: {source})')
