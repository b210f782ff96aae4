"""docs/guide.md stays honest: its config reference lists exactly the keys the parser reads, with their defaults."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from feedpub import config
from feedpub.cli import main
from feedpub.tools.init import toml_value
from tests.conftest import REPO, run

GUIDE = REPO / "docs" / "guide.md"
# A config that opens every optional table, so that the keys inside them are read too.
EVERY_TABLE = {
    "site": {"url": "https://example.org/", "title": "T", "author": {"name": "N"}},
    "sitemap": {"news": {"name": "P", "language": "en"}},
}


def _keys_read_by_the_parser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    """Every (table.key -> default) that parse_config asks for: the config model, as the code has it."""
    seen: dict[str, Any] = {}
    take = config._Table.take

    def spy(self: config._Table, key: str, kind: type, default: Any = config._MISSING) -> Any:
        if self.name:  # the sections themselves are documented by their keys
            seen.setdefault(self.where(key), None if kind is dict else default)  # None: an optional table
        return take(self, key, kind, default)

    monkeypatch.setattr(config._Table, "take", spy)
    config.parse_config(EVERY_TABLE, tmp_path)
    return seen


def _documented() -> dict[str, str]:
    text = GUIDE.read_text(encoding="utf-8")
    table = text.split("<!-- config-reference", 1)[1].split("\n\n", 1)[0]
    return dict(re.findall(r"^\| `([a-z_.]+)` \| (.+?) \|", table, re.MULTILINE))


def _as_documented(default: Any) -> str:
    if default is config._MISSING:
        return "*required*"
    if default is None:
        return "none"
    return f"`{toml_value(default)}`"


def test_guide_lists_every_config_key_with_its_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    actual = _keys_read_by_the_parser(monkeypatch, tmp_path)
    documented = _documented()
    assert sorted(documented) == sorted(actual)
    for key, default in actual.items():
        if documented[key].startswith("("):  # a default that depends on another key, said in words
            continue
        assert documented[key] == _as_documented(default), key


def test_every_command_has_help() -> None:
    for name in main.list_commands(None):  # type: ignore[arg-type]
        result = run(name, "--help")
        assert result.exit_code == 0
        assert main.get_command(None, name).help  # type: ignore[arg-type, union-attr]
        assert f"`feedpub {name}" in GUIDE.read_text(encoding="utf-8"), f"{name} is not in the guide"


def test_guide_table_is_the_reference_the_tool_prints() -> None:
    """One source: `feedpub config --reference` and the guide's table both come from feedpub.reference."""
    from feedpub import reference

    text = GUIDE.read_text(encoding="utf-8")
    table = text.split("<!-- config-reference", 1)[1].split("\n", 1)[1].split("\n\n", 1)[0] + "\n"
    assert table == reference.markdown(), "regenerate the guide's table with `feedpub config --reference --markdown`"
    printed = run("config", "--reference").output
    assert [line.split()[0] for line in printed.splitlines()] == [key for key, _, _ in reference.REFERENCE]
