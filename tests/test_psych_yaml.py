"""Jekyll's front matter values are read as Ruby's Psych reads them: a table of plain scalars through Ruby itself."""

from __future__ import annotations

import math
import random
import shutil
import subprocess

import pytest
import yaml
from hypothesis import given, settings

from feedpub.errors import PostError
from feedpub.read import psych_yaml, simpleyaml
from feedpub.read.front_matter import split
from feedpub.read.front_matter_parsers import PsychYamlLoader
from tests.conformance import skip_or_fail
from tests.test_simpleyaml import document, same

# Reads one plain scalar a line as Jekyll 4.3.1 reads front matter (Jekyll::Utils.safe_load_yaml), and prints what it
# made: S text, I integer, F float, B1/B0, N nil, T a date or time (feedpub keeps those as text), E a refusal.
_PSYCH_TABLE = """
require "psych"; require "date"
STDIN.each_line do |line|
  value = line.chomp
  begin
    r = Psych.safe_load("k: #{value}\\n", permitted_classes: [Date, Time], aliases: true)["k"]
    out = case r
      when Date, Time then "T"
      when String then "S" + r
      when Integer then "I" + r.to_s
      when Float then r.nan? ? "FNaN" : r.infinite? ? "F#{r.infinite? * 1}inf" : "F" + r.to_s
      when true then "B1"
      when false then "B0"
      when nil then "N"
      else "?" + r.class.to_s
    end
  rescue StandardError => e
    out = "E"
  end
  puts out
end
"""

# The pieces plain scalars are made of here: digits, signs, separators, number prefixes, the words in mixed case,
# dates and times.
_PIECES = [*"0123456789+-.:,_eExXbBoO", "inf", "Inf", "nan", "NaN", "null", "nuLL", "true", "yes", "no", "nO"]
_PIECES += ["off", "oFF", "on", "fAlse", "y", "n", "~", "a", " ", "T", "Z", "2024-01-02", " 10:00:00", "12"]
EDGES = [
    "1,000", "1,000.5", "12_", "_12", "1__0", "1,,0", "1_0", "0b1_0", "0b_", "0x_", "0x,", "0o17", "017", "09",
    "1:30", "1:30:15", "1_0:30", "1:60", "1:5", "1:30.5", "1:30.5_", "-1:30", ".5", "+.5", "1.", "1.e+5", "1e3",
    "1.0e+3", "-.e+5", ".iNf", "-.INF", ".NaN", "00", "-0", "+0x1F", ":x", "fAlse", "nO", "oFF", "nuLL", "~", "y",
    "2024-01-02", "2024-13-45", "2024-01-02 10:00:00", "2024-01-02T10:00:00Z", "12:30:45", "=",
]  # fmt: skip


def scalars() -> list[str]:
    """Plain scalars YAML reads as one `k: value` line: the edges, and 12,000 made of the pieces."""
    pick = random.Random(11)
    made = {"".join(pick.choice(_PIECES) for _ in range(pick.randint(1, 4))) for _ in range(12_000)}
    return sorted(v for v in {*EDGES, *made} if _one_plain_scalar(v))


def _one_plain_scalar(value: str) -> bool:
    """Whether `k: value` holds `value` as one plain scalar (no comment, no mapping, no indicator first)."""
    if value != value.strip() or "#" in value or ": " in value or value.endswith(":") or "\\n" in value:
        return False
    return value[:1] not in "-?:,[]{}&*!|>'\"%@`" or value[:2] in ("-0", "-1", "-.", ":x")


def feedpubs(value: str) -> str:
    """psych_yaml's answer in the Ruby script's notation."""
    try:
        found = psych_yaml.scalar(value)
    except psych_yaml.Refused:
        return "E"
    if isinstance(found, bool):
        return f"B{int(found)}"
    if found is None:
        return "N"
    if isinstance(found, int):
        return f"I{found}"
    if isinstance(found, float):
        return "FNaN" if math.isnan(found) else f"F{int(math.copysign(1, found))}inf" if math.isinf(found) else "F"
    return "S" + found


def test_plain_scalars_resolve_as_rubys_psych_resolves_them() -> None:
    """The table of scalars through Ruby's Psych (as Jekyll calls it) and through psych_yaml: the same kind and
    value of each (a date or time is text to feedpub, its date parser reads it)."""
    if shutil.which("ruby") is None:
        skip_or_fail("ruby is not installed (it comes with jekyll: run .ci/install-system-deps)")
    values = scalars()
    ruby = subprocess.run(
        ["ruby", "-e", _PSYCH_TABLE], input="\n".join(values) + "\n", capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert len(ruby) == len(values)
    differing = []
    for value, rubys in zip(values, ruby, strict=True):
        ours = feedpubs(value)
        if rubys == "T":
            rubys = "S" + value
        elif rubys[:1] == "F" and ours == "F" and rubys[1:] not in ("NaN", "1inf", "-1inf"):
            rubys = "F" if float(rubys[1:]) == psych_yaml.scalar(value) else rubys  # Ruby prints floats otherwise
        if ours != rubys:
            differing.append((value, rubys, ours))
    assert differing == [], differing[:20]
    assert len(values) > 5_000


@pytest.mark.parametrize(
    ("value", "expected"),
    [("fAlse", False), ("oFF", False), ("nuLL", None), ("1,000", 1000), ("12_", "12_"), ("1:30", 5400), ("y", "y")],
)
def test_the_values_the_audit_found(value: str, expected: object) -> None:
    assert psych_yaml.scalar(value) == expected


@settings(max_examples=1000, deadline=None)
@given(document())
def test_the_fast_path_reads_as_the_psych_loader_does(text: str) -> None:
    """simpleyaml with Psych's plain values gives what PyYAML gives with them, or leaves the text to it."""
    try:
        expected = yaml.load(text, Loader=PsychYamlLoader)
    except (yaml.YAMLError, ValueError):
        assert simpleyaml.load(text, psych_yaml.plain_value) is None, text
        return
    simple = simpleyaml.load(text, psych_yaml.plain_value)
    if simple is not None:
        assert same(simple, expected), text


def test_a_symbol_psych_refuses_rejects_its_post() -> None:
    """`title: :smile` is a Ruby symbol to Psych, which Jekyll's safe_load refuses (the post is published without
    its front matter): the post is refused by name, on the fast path and PyYAML's alike."""
    for text in ("---\ntitle: :smile\n---\nx\n", "---\ntitle: :smile\nauthor:\n  name: Kim\n---\nx\n"):
        with pytest.raises(PostError, match="a Ruby symbol to Jekyll's YAML"):
            split("post.md", text, "psych")
