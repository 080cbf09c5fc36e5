"""YAML documents whose values remember the line they came from.

Definition files are validated as a whole and every problem is reported with its file and line,
so the loader keeps line numbers that plain ``yaml.safe_load`` throws away. Duplicate keys,
which YAML would silently overwrite, are reported too.
"""

from __future__ import annotations

from typing import Any

import yaml

from cadran.core.issues import IssueSet


class LocatedMap(dict[str, Any]):
    """A mapping that knows the line of itself and of each key (1-based)."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """The line where ``key`` is written, or the mapping's own line."""
        return self.key_lines.get(key, self.line)


class LocatedList(list[Any]):
    """A sequence that knows the line of itself and of each item (1-based)."""

    line: int
    item_lines: list[int]


def _construct(node: yaml.Node, loader: yaml.SafeLoader, file: str, issues: IssueSet) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = LocatedMap()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = _construct(key_node, loader, file, issues)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                issues.error(f"keys must be text, not {key!r}", file=file, line=line)
                continue
            if key in out:
                issues.error(
                    f"duplicate key {key!r} (first on line {out.key_lines[key]})",
                    file=file,
                    line=line,
                )
                continue
            out[key] = _construct(value_node, loader, file, issues)
            out.key_lines[key] = line
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = LocatedList()
        seq.line = node.start_mark.line + 1
        seq.item_lines = []
        for item in node.value:
            seq.append(_construct(item, loader, file, issues))
            seq.item_lines.append(item.start_mark.line + 1)
        return seq
    return loader.construct_object(node, deep=True)


def load_yaml(text: str, file: str, issues: IssueSet) -> Any:
    """Parse one YAML document; syntax problems go to ``issues`` and give None."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _construct(node, loader, file, issues)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        issues.error(f"not valid YAML: {exc.problem or exc.context}", file=file, line=line)
        return None
    except yaml.YAMLError as exc:
        issues.error(f"not valid YAML: {exc}", file=file)
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
