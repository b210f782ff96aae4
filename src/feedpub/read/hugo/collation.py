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
from functools import lru_cache

# Hugo's order of the printable ASCII characters and the white space (observed; CLDR's root order): letters by
# their lower case, the upper case after it at the third level.
ASCII_ORDER = "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz"
# Room between two ASCII characters' weights: for the Latin letters after them (_AFTER), and after "$" for every
# other punctuation mark and symbol, by code point.
_STEP = 1 << 21
_PRIMARY = {char: (n + 1) * _STEP for n, char in enumerate(ASCII_ORDER)}
# Latin letters of their own, each just after a base letter; and those that stand for two letters, a third-level
# difference from them ("ae" < "æ").
_AFTER = {"ɑ": "a", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ł": "l", "ŋ": "n", "ø": "o", "ŧ": "t", "þ": "z"}
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


def sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """The key that orders titles as Hugo's collator does: every character's first-level weight, then the
    second-level ones, then the third-level ones."""
    return _sort_key(text)


@lru_cache(maxsize=4096)
def _sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for char in text:
        expanded = _EXPANDED.get(char.lower())
        compatible = unicodedata.normalize("NFKD", expanded or char)
        variant = expanded is not None or compatible != unicodedata.normalize("NFD", char)
        for part in compatible:
            if unicodedata.combining(part):
                if secondary:  # an accent weighs on the second level alone
                    secondary.append(_ACCENTS.get(part, len(_ACCENTS) + ord(part)))
                continue
            lower = part.lower()
            primary.append(_primary(lower))
            secondary.append(0)
            cased = _UPPER if part != lower else _LOWER
            tertiary.append(_VARIANT if variant and cased == _LOWER else cased)
    return tuple(primary), tuple(secondary), tuple(tertiary)


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
