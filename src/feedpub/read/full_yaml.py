"""PyYAML, for the front matter `simpleyaml` leaves to it; imported only then (PyYAML takes ~40 ms to import)."""

from __future__ import annotations

from typing import Any

import yaml

YAMLError = yaml.YAMLError


class FrontMatterLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML that keeps timestamps as text, so every date goes through one parser that names the field."""

    def get_single_data(self) -> Any:
        # Front matter is a small map of strings and lists of strings. Building those directly skips PyYAML's
        # generic constructor, a fifth of a cold build's time; anything else (other tags, merge keys, aliases
        # of collections) takes the generic way, so the result is the same.
        node = self.get_single_node()
        if node is None:
            return None
        try:
            return self._plain(node, set())
        except _NotPlain:
            return self.construct_document(node)

    def _plain(self, node: yaml.Node, seen: set[int]) -> Any:
        if isinstance(node, yaml.ScalarNode):
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


_YAML_STR, _YAML_SEQ, _YAML_MAP, _YAML_TIMESTAMP = (
    f"tag:yaml.org,2002:{kind}" for kind in ("str", "seq", "map", "timestamp")
)


_YAML_PLAIN_KEYS = {_YAML_STR, *(f"tag:yaml.org,2002:{kind}" for kind in ("int", "bool", "null", "float"))}


FrontMatterLoader.add_constructor(_YAML_TIMESTAMP, lambda loader, node: loader.construct_scalar(node))


def load(front: str) -> Any:
    """The front matter's value, as PyYAML reads it with FrontMatterLoader."""
    return yaml.load(front, Loader=FrontMatterLoader)  # safe: a SafeLoader subclass
