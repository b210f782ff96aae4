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
    opening = YAML_FENCE.search(text)
    closing = YAML_FENCE.search(text, opening.end()) if opening is not None else None
    if opening is not None:
        # Looked for before the closing fence only: a post's body is not scanned.
        limit = closing.start() if closing is not None else len(text)
        end = _DOCUMENT_END.search(text, opening.end(), limit)
        if end is not None:
            return text[opening.end() : end.start()], text[end.end() :]
    if opening is None or closing is None:
        raise ValueError("front matter is not closed")  # as python-frontmatter's split raises it
    # The fence's first two matches, as python-frontmatter's FM_BOUNDARY.split(text, 2) cuts the text.
    return text[opening.end() : closing.start()], text[closing.end() :]
