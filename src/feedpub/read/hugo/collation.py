"""Hugo's order of pages of one weight dated in the same second: by title as Go's collator compares them, then by
file path.

Hugo 0.111.3's default page sort (the order of its feeds): weight (0 last), then date by whole seconds, newest first;
then `linkTitle` compared by golang.org/x/text/collate for the page's language (the Unicode Collation Algorithm over
CLDR's root order, punctuation not ignored), then the file's path. Observed on throwaway sites of pages dated in
one second:

- spaces, punctuation and symbols before digits, digits before letters, in CLDR's order (ASCII_ORDER);
- letters by their base letter first ("ab" < "Ab" < "áb" < "ab "), then by their accents ("a" < "á" < "à" < "ä"),
  then by case, lower first ("ab" < "aB" < "Ab"); a compatibility form after its plain one ("ff" < "ﬀ" < "Ff",
  "1" < "①" < "10"), as "æ" after "ae" and "ß" after "ss";
- other scripts after Latin, Han ideographs last (by code point).

Other punctuation and symbols are put between "$" and "0", by code point.

`sort_key` makes that three-level key (Unicode's primary, secondary and tertiary weights) from the characters'
decompositions, not from the collation tables: exact for ASCII and Latin letters with the accents listed in
_ACCENTS; other scripts are ordered among themselves by code point, where CLDR's tables and its language
tailorings (Korean's, say) may differ.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice, zip_longest

# Hugo's order of the printable ASCII characters and the white space (observed; CLDR's root order): letters by
# their lower case, the upper case after it at the third level.
ASCII_ORDER = "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz"
# Room between two ASCII characters' weights: for the Latin letters after them (_AFTER), and after "$" for every
# other punctuation mark and symbol, by code point.
_STEP = 1 << 21
_PRIMARY = {char: (n + 1) * _STEP for n, char in enumerate(ASCII_ORDER)}
# Latin letters of their own, each just after a base letter; and those that stand for two letters, a third-level
# difference from them ("ae" < "æ").
_AFTER = {"ɑ": "a", "đ": "d", "ð": "d", "ƒ": "f", "ħ": "h", "ı": "i", "ł": "l", "ŋ": "n", "ŧ": "t", "þ": "z"}
# Letters that weigh as a base letter with an accent, though Unicode does not decompose them: "ø" is an "o" with a
# stroke (observed: "õ" < "ø" < "Ø" < "oe", where a letter of its own would come after "oe").
_STROKED = {"ø": "o\u0338", "Ø": "O\u0338"}
_EXPANDED = {"æ": "ae", "œ": "oe", "ß": "ss"}
# Accents in the order of their second-level weights (observed: á à ă â ǎ å ä ő ã ȧ ą ā ả); others after them, by
# code point.
_ACCENTS = {
    mark: n
    for n, mark in enumerate(
        "\u0301\u0300\u0306\u0302\u030c\u030a\u0308\u030b\u0303\u0307\u0327\u0328\u0304\u0309\u0323", start=1
    )
}
_OTHER_SCRIPTS = (len(ASCII_ORDER) + 1) * _STEP  # after every Latin weight
_HAN = _OTHER_SCRIPTS + _STEP  # Han ideographs: after every other script (the algorithm's implicit weights)
_LOWER, _VARIANT, _UPPER = 0, 1, 2  # third-level weights


# How many first-level weights a key holds: enough to tell nearly any two titles apart; only titles alike that far
# are compared further, weight by weight, so that a title of millions of characters never has its whole key made.
_HEAD = 64

Weight = tuple[int | None, int, int | None]  # an element's weights; an accent has only a second-level one


def sort_key(text: str) -> tuple[tuple[int, ...], _Rest]:
    """The key that orders titles as Hugo's collator does: every character's first-level weight, then the
    second-level ones, then the third-level ones.

    Made of the first _HEAD first-level weights, which decide the order of titles that differ there, then the
    title itself, compared level by level from its start only where those are equal.
    """
    return tuple(islice(_level(text, 0), _HEAD)), _Rest(text)


class _Rest:
    """A title's whole collation key, compared without being built: a level's weights are made as they are compared,
    and only until two titles differ."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Rest):
            return NotImplemented
        return self.text == other.text or _compare(self.text, other.text) == 0

    def __lt__(self, other: _Rest) -> bool:
        return _compare(self.text, other.text) < 0

    __hash__ = None  # type: ignore[assignment]


def _compare(text: str, other: str) -> int:
    """-1, 0 or 1 as `text` comes before `other`, with it, or after it: by first-level weights, then second, then
    third, a level shorter where it is a start of the other's coming first."""
    for level in range(3):
        for mine, theirs in zip_longest(_level(text, level), _level(other, level)):
            if mine != theirs:
                if mine is None or (theirs is not None and mine < theirs):
                    return -1
                return 1
    return 0


def _level(text: str, level: int) -> Iterator[int]:
    """The weights of one level (0: first) of `text`'s characters, in their order."""
    started = False  # an accent weighs on the second level alone, and only after a letter (or any other element)
    for char in text:
        for weights in _weights(char):
            if weights[0] is None:
                if started and level == 1:
                    yield weights[1]
                continue
            started = True
            weight = weights[level]
            assert weight is not None
            yield weight


@lru_cache(maxsize=4096)  # single characters: a site's titles use few
def _weights(char: str) -> tuple[Weight, ...]:
    """The collation elements of one character, each as its weights."""
    elements: list[Weight] = []
    expanded = _EXPANDED.get(char.lower())
    written = _STROKED.get(char, char)
    compatible = unicodedata.normalize("NFKD", expanded or written)
    variant = expanded is not None or compatible != unicodedata.normalize("NFD", written)
    for part in compatible:
        if unicodedata.combining(part):
            elements.append((None, _ACCENTS.get(part, len(_ACCENTS) + ord(part)), None))
            continue
        lower = part.lower()
        cased = _UPPER if part != lower else _LOWER
        elements.append((_primary(lower), 0, _VARIANT if variant and cased == _LOWER else cased))
    return tuple(elements)


def _primary(char: str) -> int:
    if (weight := _PRIMARY.get(char)) is not None:
        return weight
    if (base := _AFTER.get(char)) is not None:
        return _PRIMARY[base] + 1
    if char.isdigit():
        return _PRIMARY[str(unicodedata.digit(char, 0))]
    category = unicodedata.category(char)
    if category.startswith("Z"):
        return _PRIMARY[" "]
    if category.startswith(("P", "S")):
        return _PRIMARY["$"] + 1 + ord(char)
    if unicodedata.name(char, "").startswith("CJK"):
        return _HAN + ord(char)
    return _OTHER_SCRIPTS + ord(char)
