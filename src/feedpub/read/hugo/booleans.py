"""Yes-or-no values as Hugo 0.111.3 reads them from front matter and its config: by Go's conversions, which take
text and numbers that YAML and TOML leave as such (`buildFuture: "true"`, `headless: 1`).

Most of them (draft, headless, buildFuture, uglyURLs, a language's disabled, ...) go through cast.ToBool; the
[markup.goldmark] options are decoded into Goldmark's settings by mapstructure's weak decoding, which differs.
"""

from __future__ import annotations

# The words Go's strconv.ParseBool reads (observed: "tRue", " true" and "yes" are not true). "y" and "Y" are true,
# "n" and "N" false too: Hugo's YAML reads an unquoted `draft: y` as true (YAML 1.1), where feedpub's YAML leaves
# the text (observed: the page is a draft to Hugo); a quoted "y", rarer still, is then taken as true as well.
_TRUE = frozenset(("1", "t", "T", "true", "TRUE", "True", "y", "Y"))
_FALSE = frozenset(("0", "f", "F", "false", "FALSE", "False", "n", "N"))


def is_true(value: object) -> bool:
    """Whether Hugo takes a value it reads with cast.ToBool as true (0.111.3's): text by strconv.ParseBool, a whole
    number when it is not 0, any other number never (observed: `draft: 1.0` and `headless: 0.5` are false).

    A whole number of TOML is true here, false to Hugo (a Go int64, which its cast.ToBool does not take: observed
    with `buildDrafts = 1`), and written so on no site met; JSON's numbers are floats (front matter's GoFloat).
    """
    if isinstance(value, str):
        return value in _TRUE
    return isinstance(value, int) and bool(value)


def decoded_flag(value: object, default: bool) -> bool:
    """A [markup.goldmark] option as mapstructure's weak decoding reads it: text by strconv.ParseBool ("" is false),
    any number when it is not 0 (observed: TOML's `unsafe = 1` and `hardWraps = 1.5` are true); `default` for
    what Hugo stops on (`unsafe: "yes"`: the site is not built) and for what is not set."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str) and (value in _TRUE or value in _FALSE or not value):
        return value in _TRUE
    return default
