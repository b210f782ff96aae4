"""kramdown's tables, as Jekyll 4.3.1 renders them (observed with its kramdown, GFM input), in place of CommonMark's.

kramdown reads a table where GitHub's Markdown reads a paragraph, and the other way round:
- any line with a pipe outside code and not escaped (`a | b`) starts a table after a blank line or at the text's
  start (one line is a table of one row), never right after another block (`## 여행기` then `서울 | 부산` is a
  paragraph) nor inside a paragraph; a table is read only when a blank line (or the text's end) follows
  it, else its lines are a paragraph;
- separator lines (dashes, colons, pluses, pipes, spaces) are no rows: one before any row is dropped, the first
  after some rows makes them the header and sets the columns' alignment, the next ones start a new body; a line of
  `=` makes the rows after it the footer; a table with no body row is a paragraph;
- each row is cut at its pipes (not one in a code span, nor `\\|`), its first and last ones dropped; rows with
  fewer cells than the widest are padded.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from feedpub.read.markup import block_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it.rules_block import StateBlock

# A separator between header and body, or bodies; its first "-" the one it needs (a pattern that let either part
# take any "-" tried each of 200,000 dashes in turn: quadratic).
_RULE_LINE = re.compile(r"[+|: \t]*+-[+|: \t-]*+")
_FOOTER_LINE = re.compile(r"[+|: \t]*=[+|: \t=]*")  # a separator before the footer
_ALIGNMENT = re.compile(r"(:?)-+(:?)")
_BACKTICKS = re.compile(r"`+")


def table_block(
    state: StateBlock,
    start: int,
    end: int,
    silent: bool,
    attribute_list: re.Pattern[str],
    ends_the_item: Callable[[StateBlock, int], bool],
    at_a_boundary: Callable[[StateBlock, int], bool],
) -> bool:
    """A markdown-it block rule: the kramdown table starting at line `start`, if one does. `attribute_list`:
    kramdown's attribute list alone on a line, which may follow a table (and is its own); `ends_the_item`: whether
    a line ends the list item's or definition's lines the table is in, as the text's end would; `at_a_boundary`:
    whether a line right after others is at a block boundary all the same."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    if (
        start > 0
        and not state.isEmpty(start - 1)
        and not _opens_its_container(state, start)
        and not at_a_boundary(state, start)
    ):
        return False  # after a header, a rule or an HTML block with no blank line: kramdown reads a paragraph
    lines: list[tuple[str, list[str]]] = []  # each line, and its pieces (_pieces)
    line = start
    while line < end and state.sCount[line] - state.blkIndent < 4 and not ends_the_item(state, line):
        text = block_line(state, line)
        pieces = _pieces(text)
        if not (_is_separator(text) or len(pieces) > 1):
            break
        lines.append((text, pieces))
        line += 1
    ends = line == end or state.isEmpty(line) or ends_the_item(state, line)
    if not lines or not (ends or attribute_list.match(block_line(state, line))):
        return False  # no table line, or text right after the table: kramdown reads it all as a paragraph
    sections = _sections(lines)
    if not any(kind == "tbody" for kind, _ in sections[1:]):
        return False
    if silent:
        return True
    _push_table(state, sections, start, line)
    state.line = line
    return True


def _opens_its_container(state: StateBlock, start: int) -> bool:
    """Whether line `start` is the first of a list item's or a definition's text, which a table may open whatever
    the line before it (`- a` then `- b | c`: the second item is a table, observed)."""
    last = state.tokens[-1] if state.tokens else None
    return (
        last is not None
        and last.type in ("list_item_open", "dd_open")
        and last.map is not None
        and last.map[0] == start
    )


def _is_separator(text: str) -> bool:
    return bool(_RULE_LINE.fullmatch(text.rstrip()) or _FOOTER_LINE.fullmatch(text.rstrip()))


def _sections(lines: list[tuple[str, list[str]]]) -> list[tuple[str, list[list[str]]]]:
    """The table's alignment, as its first section ("align", [[…]]), then its sections in order: ("thead" |
    "tbody" | "tfoot", rows of cells)."""
    alignment: list[str] = []
    sections: list[tuple[str, list[list[str]]]] = []
    rows: list[list[str]] = []
    footer = False
    for text, pieces in lines:
        stripped = text.rstrip()
        if _RULE_LINE.fullmatch(stripped):
            if not rows:
                continue  # before any row, or after another separator: nothing to part
            if not alignment and not footer and not sections:
                sections.append(("thead", rows))
                alignment = [_align(left, right) for left, right in _ALIGNMENT.findall(stripped)] or [""]
            else:
                sections.append(("tbody", rows))
            rows = []
        elif _FOOTER_LINE.fullmatch(stripped):
            if rows:
                sections.append(("tbody", rows))
                rows = []
            footer = True
        else:
            rows.append(_cells(text, pieces))
    if rows:
        sections.append(("tfoot" if footer else "tbody", rows))
    return [("align", [alignment]), *sections]


def _align(left: str, right: str) -> str:
    if left and right:
        return "center"
    return "left" if left else "right" if right else ""


def _cells(text: str, pieces: list[str]) -> list[str]:
    """A row's cells: its pieces, without what is before its first pipe (when it starts with one) and after its
    last (when only white space is)."""
    cells = list(pieces)
    if text.startswith("|"):
        cells.pop(0)
    if len(cells) > 1 and not cells[-1].strip():
        cells.pop()
    return [cell.strip() for cell in cells]


def _pieces(text: str) -> list[str]:
    """`text` cut at its pipes outside code spans and not escaped (`\\|` is a pipe in the cell)."""
    cells: list[str] = []
    current: list[str] = []
    position = 0
    while position < len(text):
        character = text[position]
        if character == "\\" and text[position + 1 : position + 2] == "|":
            current.append("|")
            position += 2
            continue
        if character == "`":
            run = _BACKTICKS.match(text, position)
            assert run is not None
            closing = re.compile(rf"(?<!`){run.group()}(?!`)").search(text, run.end())
            if closing is not None:
                current.append(text[position : closing.end()])
                position = closing.end()
                continue
            current.append(run.group())
            position = run.end()
            continue
        if character == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(character)
        position += 1
    cells.append("".join(current))
    return cells


def _push_table(state: StateBlock, sections: list[tuple[str, list[list[str]]]], start: int, end: int) -> None:
    (_, (alignment,)), *parts = sections
    columns = max(len(row) for _, rows in parts for row in rows)
    token = state.push("table_open", "table", 1)
    token.map = [start, end]
    for kind, rows in parts:
        state.push(f"{kind}_open", kind, 1)
        cell_tag = "th" if kind == "thead" else "td"
        for row in rows:
            state.push("tr_open", "tr", 1)
            for column in range(columns):
                cell = state.push(f"{cell_tag}_open", cell_tag, 1)
                if column < len(alignment) and alignment[column]:
                    cell.attrs["style"] = f"text-align: {alignment[column]}"
                inline = state.push("inline", "", 0)
                inline.content = row[column] if column < len(row) else ""
                inline.map = [start, end]
                inline.children = []
                state.push(f"{cell_tag}_close", cell_tag, -1)
            state.push("tr_close", "tr", -1)
        state.push(f"{kind}_close", kind, -1)
    state.push("table_close", "table", -1)
