"""YAML documents whose values remember the line they came from.

Definition files are validated as a whole and every problem is reported with its file and line,
so the loader keeps line numbers that plain ``yaml.safe_load`` throws away. Duplicate keys,
which YAML would silently overwrite, are reported too.
"""

from __future__ import annotations

from typing import Any

import yaml

from cadran.core.issues import IssueSet

_MERGE_TAG = "tag:yaml.org,2002:merge"
_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class LocatedMap(dict[str, Any]):
    """A mapping that knows the line of itself and of each key (1-based).

    A mapping built in code rather than loaded (such as an empty stand-in for a missing
    section) points at the top of the file: line 1.
    """

    line: int
    key_lines: dict[str, int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 1
        self.key_lines = {}

    def line_of(self, key: str) -> int:
        """The line where ``key`` is written, or the mapping's own line."""
        return self.key_lines.get(key, self.line)


class LocatedList(list[Any]):
    """A sequence that knows the line of itself and of each item (1-based; 1 when built in code)."""

    line: int
    item_lines: list[int]

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.line = 1
        self.item_lines = [1] * len(self)


class _Builder:
    """Turns composed YAML nodes into located values.

    An alias is the very node of its anchor, so nodes are built once (``done``): a chain of
    aliases that doubles at each level ("billion laughs") stays linear, and an alias inside its
    own anchor (``&a [*a]``), which would recurse forever, is reported instead.
    """

    def __init__(self, loader: yaml.SafeLoader, file: str, issues: IssueSet) -> None:
        self.loader = loader
        self.file = file
        self.issues = issues
        self.done: dict[int, Any] = {}
        self.building: set[int] = set()

    def build(self, node: yaml.Node) -> Any:
        key = id(node)
        if key in self.done:
            return self.done[key]
        if key in self.building:
            self.issues.error(
                "an alias refers to a value that contains it (recursive anchor)",
                file=self.file,
                line=node.start_mark.line + 1,
            )
            return None
        self.building.add(key)
        try:
            value = self._build(node)
        finally:
            self.building.discard(key)
        self.done[key] = value
        return value

    def _build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.CollectionNode) and node.tag not in _COLLECTION_TAGS:
            # Scalars with a tag go through the safe constructor, which refuses unknown tags;
            # collections are built here, so an unknown tag would otherwise be ignored.
            self.issues.error(
                f"unsupported YAML tag {node.tag!r}", file=self.file, line=node.start_mark.line + 1
            )
            return None
        if isinstance(node, yaml.MappingNode):
            out = LocatedMap()
            out.line = node.start_mark.line + 1
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if key_node.tag == _MERGE_TAG:
                    self.issues.error(
                        "merge keys (<<) are not supported; write the fields out",
                        file=self.file,
                        line=line,
                    )
                    continue
                key = self.build(key_node)
                if not isinstance(key, str):
                    self.issues.error(f"keys must be text, not {key!r}", file=self.file, line=line)
                    continue
                if key in out:
                    self.issues.error(
                        f"duplicate key {key!r} (first on line {out.key_lines[key]})",
                        file=self.file,
                        line=line,
                    )
                    continue
                out[key] = self.build(value_node)
                out.key_lines[key] = line
            return out
        if isinstance(node, yaml.SequenceNode):
            seq = LocatedList()
            seq.line = node.start_mark.line + 1
            for item in node.value:
                seq.append(self.build(item))
                seq.item_lines.append(item.start_mark.line + 1)
            return seq
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:  # e.g. a date such as 2026-02-30
            self.issues.error(
                f"invalid value {node.value!r}: {exc}",
                file=self.file,
                line=node.start_mark.line + 1,
            )
            return None


def load_yaml(text: str, file: str, issues: IssueSet) -> Any:
    """Parse one YAML document; syntax problems go to ``issues`` and give None."""
    try:
        # The reader checks the characters as soon as it is built: a NUL fails here already.
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:
        issues.error(f"not valid YAML: {exc}", file=file)
        return None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _Builder(loader, file, issues).build(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        issues.error(f"not valid YAML: {exc.problem or exc.context}", file=file, line=line)
        return None
    except yaml.YAMLError as exc:
        issues.error(f"not valid YAML: {exc}", file=file)
        return None
    except RecursionError:  # PyYAML composes nested collections recursively
        issues.error("not valid YAML: collections are nested too deeply", file=file)
        return None
    finally:
        loader.dispose()


def line_of(value: object, key: str | None = None) -> int | None:
    """The line of a located value (or of one of its keys), None for plain values."""
    if isinstance(value, LocatedMap):
        return value.line_of(key) if key is not None else value.line
    if isinstance(value, LocatedList):
        return value.line
    return None
