"""Where front matter starts and ends: the YAML and TOML fences, as python-frontmatter's handlers find them, and a
YAML split that also closes at Jekyll's "..." line.

Free of third-party imports: front_matter splits the common shape with it, without python-frontmatter.
"""

from __future__ import annotations

import re

# The fences front matter opens with: YAML's, as python-frontmatter's YAMLHandler finds it, and TOML's
# (tests/test_simpleyaml.py checks they agree with the parsers').
YAML_FENCE = re.compile(r"^-{3,}\s*$", re.MULTILINE)
TOML_FENCE = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
# YAML's document end marker on a line of its own: Jekyll closes front matter at it as at "---".
_DOCUMENT_END = re.compile(r"^\.\.\.[ \t]*\r?$", re.MULTILINE)


def split_yaml(text: str) -> tuple[str, str]:
    """The YAML front matter and the body of a text opening with a YAML fence: python-frontmatter's split, but a
    "..." line before the closing "---" closes the front matter, as in Jekyll's YAML_FRONT_MATTER_REGEXP (the first
    of either line ends it). ValueError when it is not closed."""
    start, end, body = _yaml_span(text)
    return text[start:end], text[body:]


def _yaml_span(text: str, position: int = 0) -> tuple[int, int, int]:
    """Where split_yaml cuts `text` (from `position`): the front matter's start and end, and the body's start."""
    opening = YAML_FENCE.search(text, position)
    closing = YAML_FENCE.search(text, opening.end()) if opening is not None else None
    if opening is not None:
        # Looked for before the closing fence only: a post's body is not scanned.
        limit = closing.start() if closing is not None else len(text)
        end = _DOCUMENT_END.search(text, opening.end(), limit)
        if end is not None:
            return opening.end(), end.start(), end.end()
    if opening is None or closing is None:
        raise ValueError("front matter is not closed")  # as python-frontmatter's split raises it
    # The fence's first two matches, as python-frontmatter's FM_BOUNDARY.split(text, 2) cuts the text.
    return opening.end(), closing.start(), closing.end()


def front_matter_span(text: str, after_blank_lines: bool = False) -> tuple[int, int] | None:
    """Where the YAML or TOML front matter that `text` opens with lies in it (fences left out), after blank lines
    where Hugo's reading is asked for (`after_blank_lines`); None where it opens with none, or none closed."""
    position = len(text) - len(text.lstrip(" \t\n")) if after_blank_lines else 0
    if text.startswith("---", position):
        try:
            return _yaml_span(text, position)[:2]
        except ValueError:
            return None
    if not text.startswith("+++", position):
        return None
    # TOML: between the first two fences, as python-frontmatter's split cuts it.
    opening = TOML_FENCE.search(text, position)
    closing = TOML_FENCE.search(text, opening.end()) if opening is not None else None
    return (opening.end(), closing.start()) if opening is not None and closing is not None else None
