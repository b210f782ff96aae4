"""A site generator's configuration file (Jekyll's _config.yml, Hugo's hugo.toml, config/_default/*): one reader."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import yaml

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
            data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as error:
        raise ConfigError(f"{path}: cannot read it ({one_line(str(error))}); fix the file") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, got {type(data).__name__}")
    return data
