"""Loading a content-quality rubric from YAML, with every problem reported at once.

The format is described in :mod:`cadran.core.quality`. Each issue names the file and line, the
field, and a fix or a "did you mean" when one is close.
"""

from __future__ import annotations

import math

from cadran.core.issues import IssueSet
from cadran.core.located import LocatedList, LocatedMap
from cadran.core.quality import (
    FEATURES,
    AnyOf,
    Check,
    Condition,
    Criterion,
    Feature,
    Kind,
    Rubric,
    Value,
)
from cadran.core.scorecard_reader import ScorecardReader
from cadran.core.spec import kind_of, suggest

__all__ = ["CRITERION_FIELDS", "OPERATORS", "TOP_FIELDS", "load_rubric"]

_NUMERIC = (Kind.COUNT, Kind.NUMBER)
TOP_FIELDS = ("name", "description", "criteria")
CRITERION_FIELDS = ("id", "name", "description", "points", "conditions", "manual")
OPERATORS = ("min", "max", "equals", "in")


def load_rubric(text: str, file: str) -> tuple[Rubric | None, IssueSet]:
    """Parse and validate a rubric file; the rubric is ``None`` when any issue is an error.

    Every problem is reported at once with its line: unknown fields and features (with a "did
    you mean"), operators that do not apply, values of the wrong kind, duplicate ids.
    """
    issues = IssueSet()
    # The located loader is yaml.safe_load that also keeps the line of every value.
    reader = ScorecardReader(file, issues, None)
    root = reader.document(text, "rubric file", "start from cadran/definitions/quality.yaml")
    if root is None:
        return None, issues
    reader.known_keys(root, TOP_FIELDS, "the rubric")
    name = reader.label(root, "name", "the rubric", required=True)
    description = reader.label(root, "description", "the rubric")
    criteria = _criteria(reader, root)
    if criteria and all(c.points <= 0 for c in criteria):
        reader.warning("no criterion awards points: every post scores 0 or less", root.line)
    if issues.errors or name is None:
        return None, issues
    return Rubric(name, tuple(criteria), description, file), issues


def _criteria(reader: ScorecardReader, root: LocatedMap) -> list[Criterion]:
    hint = "add criteria such as {id: media, name: Illustrated, points: 5, conditions: [...]}"
    if "criteria" not in root:
        reader.error("the rubric has no 'criteria'", root.line, "criteria", hint)
        return []
    seq = reader.sequence(root["criteria"], "'criteria'", root.line_of("criteria"))
    if seq is None:
        return []
    if not seq:
        reader.error("the rubric has no criteria", seq.line, "criteria", hint)
    out: list[Criterion] = []
    seen: dict[str, int] = {}
    for item, line in zip(seq, seq.item_lines, strict=True):
        m = reader.mapping(item, "a criterion", line)
        if m is None:
            continue
        cid = reader.identifier(m, "id", "a criterion")
        where = f"criterion {cid!r}" if cid else f"the criterion on line {m.line}"
        reader.known_keys(m, CRITERION_FIELDS, where)
        if cid in seen:
            reader.error(
                f"duplicate criterion id {cid!r} (first on line {seen[cid]})", m.line_of("id"), "id"
            )
        elif cid is not None:
            seen[cid] = m.line_of("id")
        name = reader.label(m, "name", where, required=True)
        description = reader.label(m, "description", where)
        points = reader.number(m, "points", where, required=True)
        if points == 0:
            reader.warning(
                f"{where} is worth 0 points, so it never changes a score",
                m.line_of("points"),
                "points",
            )
        manual = reader.boolean(m, "manual", where, default=False)
        conditions = _criterion_conditions(reader, m, where, manual)
        if cid and name and points is not None and conditions is not None:
            out.append(Criterion(cid, name, points, conditions, description, manual))
    return out


def _criterion_conditions(
    reader: ScorecardReader, m: LocatedMap, where: str, manual: bool
) -> tuple[Check, ...] | None:
    given = m.get("conditions")
    if manual:
        if given:
            reader.error(
                f"{where} is manual, so it takes no conditions",
                m.line_of("conditions"),
                "conditions",
                "remove manual: true, or the conditions",
            )
            return None
        return ()
    if "conditions" not in m or given == []:
        reader.error(
            f"{where} has no conditions",
            m.line_of("conditions"),
            "conditions",
            "add conditions, or write manual: true for a criterion only the team judges",
        )
        return None
    return _checks(reader, given, m.line_of("conditions"), where)


def _checks(
    reader: ScorecardReader, value: object, line: int, where: str
) -> tuple[Check, ...] | None:
    seq = reader.sequence(value, f"the conditions of {where}", line)
    if seq is None:
        return None
    parts = [_condition(reader, v, ln, where) for v, ln in zip(seq, seq.item_lines, strict=True)]
    if any(p is None for p in parts):
        return None
    return tuple(c for p in parts if p is not None for c in p)


def _condition(reader: ScorecardReader, value: object, line: int, where: str) -> list[Check] | None:
    m = reader.mapping(value, f"a condition of {where}", line)
    if m is None:
        return None
    if "any" in m:
        for key in m:
            if key != "any":
                reader.error(
                    f"'any' stands alone: {key!r} does not belong beside it",
                    m.line_of(key),
                    key,
                    "put every condition inside 'any'",
                )
        if not m["any"]:
            reader.error(f"'any' of {where} needs at least one condition", m.line_of("any"), "any")
            return None
        inner = _checks(reader, m["any"], m.line_of("any"), where)
        return [AnyOf(inner)] if inner is not None and len(m) == 1 else None
    ok = True
    for key in m:
        if key not in ("feature", *OPERATORS):
            reader.error(
                f"unknown operator {key!r} in a condition of {where} (a condition "
                "takes feature and one of min, max, equals, in, or any)",
                m.line_of(key),
                key,
                suggest(key, ("feature", *OPERATORS, "any")),
            )
            ok = False
    feature = reader.text(m, "feature", f"a condition of {where}")
    spec = FEATURES.get(feature) if feature else None
    if feature and spec is None:
        reader.error(
            f"unknown feature {feature!r} in {where}",
            m.line_of("feature"),
            "feature",
            suggest(feature, FEATURES) or f"features: {', '.join(FEATURES)}",
        )
    operators = [k for k in OPERATORS if k in m]
    if not operators:
        if ok:  # a misspelt operator was reported above already
            reader.error(f"a condition of {where} needs one of min, max, equals, in", m.line)
        return None
    if len(operators) > 1 and operators != ["min", "max"]:
        reader.error(
            f"a condition of {where} combines {' and '.join(operators)}; only min and "
            "max go together",
            m.line_of(operators[1]),
            operators[1],
            "write one condition per operator",
        )
        return None
    if spec is None or not ok:
        return None
    out: list[Check] = []
    for op in operators:
        parsed = _operand(reader, m, op, spec, where)
        if parsed is None:
            return None
        out.append(Condition(spec.name, op, parsed))
    if len(out) == 2 and out[0].value > out[1].value:  # type: ignore[operator, union-attr]
        reader.error(
            f"a condition of {where} has min above max, so it never holds", m.line_of("min"), "min"
        )
        return None
    return out


def _operand(
    reader: ScorecardReader, m: LocatedMap, op: str, spec: Feature, where: str
) -> Value | tuple[Value, ...] | None:
    line = m.line_of(op)
    if op in ("min", "max"):
        if spec.kind not in _NUMERIC:
            reader.error(
                f"{op!r} does not apply to {spec.name!r}, which is a {spec.kind.value}",
                line,
                op,
                "use equals or in",
            )
            return None
        return reader.number(m, op, f"a condition of {where}", required=True)
    if op == "equals":
        return _value(reader, m[op], spec, line, op)
    items = m[op]
    if not isinstance(items, LocatedList) or not items:
        reader.error(
            f"'in' of a condition of {where} must be a non-empty list, not {kind_of(items)}",
            line,
            op,
        )
        return None
    values = [
        _value(reader, v, spec, ln, op) for v, ln in zip(items, items.item_lines, strict=True)
    ]
    return None if any(v is None for v in values) else tuple(v for v in values if v is not None)


def _value(
    reader: ScorecardReader, value: object, spec: Feature, line: int, op: str
) -> Value | None:
    if spec.kind is Kind.FLAG and isinstance(value, bool):
        return value
    if spec.kind in _NUMERIC and isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value) if abs(value) < 1e300 else math.inf  # huge ints overflow float()
        if math.isfinite(number):
            return number
    if spec.kind is Kind.TEXT and isinstance(value, str) and value.strip():
        if not spec.values or value.strip() in spec.values:
            return value.strip()
        reader.error(
            f"{value!r} is not a value of {spec.name!r} (one of {', '.join(spec.values)})",
            line,
            op,
            suggest(value, spec.values),
        )
        return None
    wanted = {Kind.FLAG: "true or false", Kind.TEXT: "a text"}.get(spec.kind, "a finite number")
    reader.error(f"{spec.name!r} is compared with {wanted}, not {kind_of(value)}", line, op)
    return None
