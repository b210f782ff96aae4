"""The parsers `front_matter.split` hands the front matter simpleyaml leaves to: python-frontmatter's handlers,
PyYAML, tomllib.

Imported only then: a run whose posts all have the common shape (and the no-change run) loads neither PyYAML nor
python-frontmatter (~10 ms a process).
"""

from __future__ import annotations

import contextlib
import tomllib
from typing import Any

import frontmatter
import yaml

from feedpub.read import go_yaml, psych_yaml
from feedpub.read.config_files import MAX_FRONT_MATTER_VALUES, walk_exceeds, yaml_length, yaml_node_parts
from feedpub.read.fences import TOML_FENCE, split_yaml
from feedpub.read.simpleyaml import YamlRules

YAMLError = yaml.YAMLError


class FrontMatterLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML that keeps timestamps as text, so every date goes through one parser that names the field."""

    # Characters the front matter's strings may hold in all, its aliases expanded (set for each text by `load`):
    # `title: [*a, *a, …]` of a 1 MB anchor made a title of 40 MB, in every feed, and 400 of them 3.5 GB.
    character_budget: float = float("inf")
    _characters_left: float = float("inf")

    def get_single_data(self) -> Any:
        # Front matter is a small map of strings and lists of strings. Building those directly skips PyYAML's
        # generic constructor, a fifth of a cold build's time; anything else (other tags, merge keys, aliases
        # of collections) takes the generic way, so the result is the same.
        node = self.get_single_node()
        if node is None:
            return None
        self._characters_left = self.character_budget
        try:
            return self._plain(node, set())
        except _NotPlain:
            # Counted before anything is made: merge keys (`<<: *b` in each of N maps of N keys) copy as they are
            # constructed, and 4,000 of them took 10 s and 500 MB before the count of what they made refused them.
            if _nodes_hold_more(node, MAX_FRONT_MATTER_VALUES, self.character_budget):
                raise TooManyValues from None
            return self.construct_document(node)

    def _plain(self, node: yaml.Node, seen: set[int]) -> Any:
        if isinstance(node, yaml.ScalarNode):
            # An alias of a scalar is met again here, as often as it is used.
            self._characters_left -= len(node.value)
            if self._characters_left < 0:
                raise TooManyValues
            return node.value if node.tag == _YAML_STR else self.construct_object(node)
        if id(node) in seen:
            raise _NotPlain  # an alias: the generic constructor shares the object, as YAML means
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode) and node.tag == _YAML_SEQ:
            return [self._plain(item, seen) for item in node.value]
        if isinstance(node, yaml.MappingNode) and node.tag == _YAML_MAP:
            mapping = {}
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag not in _YAML_PLAIN_KEYS:
                    raise _NotPlain  # "<<" merge keys, or a collection as a key
                mapping[self._plain(key, seen)] = self._plain(value, seen)
            return mapping
        raise _NotPlain


class _NotPlain(Exception):
    """Front matter the direct construction leaves to PyYAML's constructor."""


class TooManyValues(Exception):
    """Front matter whose aliases and merge keys expand past MAX_FRONT_MATTER_VALUES."""


def _nodes_hold_more(node: yaml.Node, budget: int, characters: float) -> bool:
    """Whether the value `node` makes holds more than `budget` values or `characters` characters of text, each alias
    (and so each merge) walked as often as it is used, as config_files.holds_more_values counts a value made."""
    return walk_exceeds(node, budget, yaml_node_parts, characters, yaml_length)


_YAML_STR, _YAML_SEQ, _YAML_MAP, _YAML_TIMESTAMP = (
    f"tag:yaml.org,2002:{kind}" for kind in ("str", "seq", "map", "timestamp")
)


_YAML_PLAIN_KEYS = {_YAML_STR, *(f"tag:yaml.org,2002:{kind}" for kind in ("int", "bool", "null", "float"))}


FrontMatterLoader.add_constructor(_YAML_TIMESTAMP, lambda loader, node: loader.construct_scalar(node))


class UnorderedSet(Exception):
    """Front matter holding a YAML set (`!!set`), which Jekyll (Psych) refuses: PyYAML made it a Python set, whose
    order (and so a URL or a title made of it) changed with the process's hash seed."""


def _refused_set(loader: FrontMatterLoader, node: yaml.Node) -> Any:
    raise UnorderedSet


def _ordered_mapping(loader: FrontMatterLoader, node: yaml.Node) -> Any:
    """`!!omap` as Psych reads it: a mapping (Psych::Omap is a Hash) of the one-key mappings it lists, in order."""
    if isinstance(node, yaml.SequenceNode) and all(isinstance(item, yaml.MappingNode) for item in node.value):
        node = yaml.MappingNode(_YAML_MAP, [pair for item in node.value for pair in item.value], node.start_mark)
    return loader.construct_yaml_map(node)  # a mapping node, else PyYAML's own refusal


_YAML_SET, _YAML_OMAP, _YAML_PAIRS = (f"tag:yaml.org,2002:{kind}" for kind in ("set", "omap", "pairs"))
FrontMatterLoader.add_constructor(_YAML_SET, _refused_set)
FrontMatterLoader.add_constructor(_YAML_OMAP, _ordered_mapping)
# Psych and go-yaml read `!!pairs` as the list of one-key mappings it is written as; PyYAML's list of tuples made
# URLs of Python's repr of them (/["b", 1]/ where Jekyll serves /{"b"=>1}/).
FrontMatterLoader.add_constructor(_YAML_PAIRS, FrontMatterLoader.construct_yaml_seq)


# The loader itself, for its resolvers and constructors on one plain value at a time (it reads no stream).
_LOADER = FrontMatterLoader("")
_TEXT_TAGS = frozenset((_YAML_STR, _YAML_TIMESTAMP))  # timestamps stay text (the constructor above)
_PLAIN_VALUES: dict[str, bool | int | float | None] = {}  # the booleans and numbers met so far, by their text


def plain_value(value: str) -> str | bool | int | float | None:
    """What FrontMatterLoader makes of a plain scalar (simpleyaml.Resolve), as its own resolver tags it and its own
    constructor builds it: the text itself, or a boolean or a number (`draft: false`, `weight: 10`); None for null
    or what it refuses."""
    if value in _PLAIN_VALUES:
        return _PLAIN_VALUES[value]
    tag = _LOADER.resolve(yaml.ScalarNode, value, (True, False))
    if tag in _TEXT_TAGS:
        return value
    constructor = FrontMatterLoader.yaml_constructors.get(tag)
    found = None  # `=`, `<<` (no constructor): PyYAML refuses them as values, with its own message
    if constructor is not None:
        with contextlib.suppress(yaml.YAMLError, ValueError, KeyError):
            found = constructor(_LOADER, yaml.ScalarNode(tag, value))
    result = found if type(found) in (bool, int, float) else None
    if len(_PLAIN_VALUES) < 1_000:  # `draft: false` on every post is a lookup; a site's thousandth number is built
        _PLAIN_VALUES[value] = result
    return result


class _PlainScalarLoader(FrontMatterLoader):
    """FrontMatterLoader whose plain scalars all go to one constructor, at PLAIN (a generator's own reading of them),
    merge keys kept."""

    PLAIN = ""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0] and value != "<<":
            return self.PLAIN
        return super().resolve(kind, value, implicit)


_GO_PLAIN = "tag:feedpub,2024:go-plain"


class GoYamlLoader(_PlainScalarLoader):
    """Each plain scalar as Hugo's go-yaml reads it (read.go_yaml)."""

    PLAIN = _GO_PLAIN


GoYamlLoader.add_constructor(_GO_PLAIN, lambda loader, node: go_yaml.plain_value(loader.construct_scalar(node)))
# go-yaml (v2, Hugo's) keeps no type of these tags: `!!set {a, b}` is the mapping it is written as (a and b to
# null), `!!omap` the list of one-key mappings (observed: Hugo prints them so, and takes no category of either).
GoYamlLoader.add_constructor(_YAML_SET, GoYamlLoader.construct_yaml_map)
GoYamlLoader.add_constructor(_YAML_OMAP, GoYamlLoader.construct_yaml_seq)


_PSYCH_PLAIN = "tag:feedpub,2024:psych-plain"


class PsychYamlLoader(_PlainScalarLoader):
    """Each plain scalar as Jekyll's Psych reads it (read.psych_yaml)."""

    PLAIN = _PSYCH_PLAIN


# psych_yaml.Refused, a ValueError, is told as a value that cannot be read.
PsychYamlLoader.add_constructor(_PSYCH_PLAIN, lambda loader, node: psych_yaml.scalar(loader.construct_scalar(node)))
# A "<<" that merges no mapping (a value, `title: <<`) is the text to Psych; a merge key never reaches a constructor.
PsychYamlLoader.add_constructor("tag:yaml.org,2002:merge", PsychYamlLoader.construct_scalar)


class YamlHandler(frontmatter.default_handlers.YAMLHandler):
    """PyYAML, for the front matter `simpleyaml` leaves to it (see `front_matter.split`)."""

    loader: type[FrontMatterLoader] = FrontMatterLoader

    def split(self, text: str) -> tuple[str, str]:
        return split_yaml(text)

    def load(self, fm: str, **kwargs: object) -> Any:
        loader = self.loader(fm)  # safe: a SafeLoader subclass
        # Twice the text, and a megabyte: no real front matter's aliases reach it (a credit line aliased by 500
        # images is 133 KB), and a post may expand to at most 21 MB.
        loader.character_budget = 2 * len(fm) + 1_000_000
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()


class GoYamlHandler(YamlHandler):
    """YamlHandler for Hugo's front matter: plain values as go-yaml reads them."""

    loader = GoYamlLoader


class PsychYamlHandler(YamlHandler):
    """YamlHandler for Jekyll's front matter: plain values as Psych reads them."""

    loader = PsychYamlLoader


class TomlHandler(frontmatter.default_handlers.BaseHandler):
    """TOML between +++ lines, read with the standard library (python-frontmatter wants the old `toml`)."""

    FM_BOUNDARY = TOML_FENCE
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


HANDLERS: dict[YamlRules, list[frontmatter.default_handlers.BaseHandler]] = {
    "pyyaml": [YamlHandler(), TomlHandler()],
    "go-yaml": [GoYamlHandler(), TomlHandler()],
    "psych": [PsychYamlHandler(), TomlHandler()],
}


def handler_for(text: str, rules: YamlRules = "pyyaml") -> frontmatter.default_handlers.BaseHandler | None:
    """The handler of the fence a post's text opens with (YAML's `---`, TOML's `+++`); None when it opens with none.
    `rules`: whose reading of YAML's plain values is taken."""
    return frontmatter.detect_format(text, HANDLERS[rules])
