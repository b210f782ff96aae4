"""A site generator's configuration file (Jekyll's _config.yml, Hugo's hugo.toml, config/_default/*): one reader."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from feedpub.errors import ConfigError, one_line


def read_mapping(path: Path) -> dict[str, Any]:
    """A TOML, YAML or JSON file of settings; ConfigError naming the file when it is not one."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = _yaml(path, text)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ConfigError(f"{path}: cannot read it ({one_line(str(error))}); fix the file") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, got {type(data).__name__}")
    return data


def _yaml(path: Path, text: str) -> Any:
    import yaml  # here: a site configured in TOML or JSON (most Hugo sites) does not pay its import (~20 ms)

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: cannot read it ({one_line(str(error))}); fix the file") from None
