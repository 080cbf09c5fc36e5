"""Loading export-type definitions, with every problem of every file reported at once."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from cadran.core.catalogue import SourceFile
from cadran.core.exports import (
    AccountRule,
    AccountSource,
    ColumnRule,
    ExportType,
    Parse,
    PeriodRule,
    SkipRule,
    normalize_header,
)
from cadran.core.issues import IssueSet
from cadran.core.located import LocatedList, LocatedMap, load_yaml
from cadran.core.spec import FieldReader, suggest

PLATFORMS = ("facebook", "instagram", "linkedin", "x", "tiktok", "youtube")
_EXPORT_KEYS = (
    "id",
    "name",
    "entity",
    "platform",
    "fields",
    "detect",
    "header_search",
    "description_row",
    "account",
    "skip",
    "constants",
    "refuse",
    "update_only",
    "key_from",
    "metrics",
    "metrics_rest",
    "dimension_from",
    "period",
    "note",
    "first_column",
    "metric_into",
    "value_into",
    "detect_value",
    "dimension_into",
)
_RULE_KEYS = (
    "columns",
    "parse",
    "formats",
    "blank",
    "nulls",
    "describes",
    "decimal",
    "excel_serial",
    "utc",
    "pattern",
)
_LONG_FIELDS = ("period_start", "period_end", "dimension", "segment", "metric", "value")


def build_exports(
    files: Sequence[SourceFile], entities: Mapping[str, frozenset[str]]
) -> tuple[tuple[ExportType, ...], IssueSet]:
    """Export types from definition files; ``entities`` maps entity names to their fields."""
    issues = IssueSet()
    out: dict[str, ExportType] = {}
    for source in files:
        data = load_yaml(source.text, source.name, issues)
        if data is None:
            continue
        reader = FieldReader(source.name, issues)
        items = reader.sequence(data, "an export definition file", 1)
        for item in items or ():
            export = _export(reader, item, entities, source.name)
            if export is None:
                continue
            if export.id in out:
                reader.error(
                    f"export type {export.id!r} is already defined in {out[export.id].file}",
                    item.line if isinstance(item, LocatedMap) else None,
                    "id",
                )
                continue
            out[export.id] = export
    return tuple(out.values()), issues


def _strings(
    reader: FieldReader, m: LocatedMap, key: str, where: str, *, required: bool = False
) -> tuple[str, ...]:
    if key not in m:
        if required:
            reader.error(f"{where} has no {key!r}", m.line, key)
        return ()
    value = m[key]
    if isinstance(value, str):
        value = LocatedList([value])
    seq = reader.sequence(value, f"{key!r} of {where}", m.line_of(key))
    out = []
    for item in seq or ():
        if isinstance(item, str | int) and not isinstance(item, bool) and str(item).strip():
            out.append(str(item))
        else:
            reader.error(f"{key!r} of {where} must list texts, not {item!r}", m.line_of(key), key)
    return tuple(out)


def _regex(reader: FieldReader, pattern: str | None, where: str, line: int | None) -> bool:
    if pattern is None:
        return True
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        reader.error(f"pattern of {where} is not a valid regular expression: {exc}", line)
        return False
    if compiled.groups < 1:
        reader.error(f"pattern of {where} must capture the value in a group (...)", line)
        return False
    return True


def _rule(
    reader: FieldReader, name: str, value: Any, where: str, *, any_column: bool = False
) -> ColumnRule | None:
    m = reader.mapping(value, where, None)
    if m is None:
        return None
    reader.known_keys(m, _RULE_KEYS, where)
    headers = tuple(normalize_header(h) for h in _strings(reader, m, "columns", where))
    if any_column:
        headers = headers or ("*",)
    if not headers:
        reader.error(f"{where} needs 'columns': the header names that feed it", m.line)
    parse = reader.choice(m, "parse", Parse, where, required=False, default=Parse.TEXT)
    # blank: empty (no value, the default), zero, or any text an empty cell stands for.
    blank = reader.text(m, "blank", where, required=False, default="empty")
    decimal = reader.text(m, "decimal", where, required=False, default=".")
    if decimal not in (".", ",", "auto"):
        reader.error(f"'decimal' of {where} must be '.', ',' or auto", m.line_of("decimal"))
    formats = _strings(reader, m, "formats", where)
    if parse in (Parse.DATE, Parse.TIMESTAMP) and not formats and not m.get("excel_serial"):
        reader.error(f"{where} reads dates: give their 'formats' (strptime)", m.line)
    pattern = reader.text(m, "pattern", where, required=False)
    if not _regex(reader, pattern, where, m.line_of("pattern") if "pattern" in m else None):
        pattern = None
    if not headers or parse is None:
        return None
    return ColumnRule(
        field=name,
        headers=headers,
        parse=parse,
        formats=formats,
        blank={"empty": None, "zero": "0"}.get(blank or "empty", blank),
        nulls=tuple(normalize_header(n) for n in _strings(reader, m, "nulls", where)),
        describes=reader.text(m, "describes", where, required=False),
        decimal_comma=decimal == ",",
        decimal_auto=decimal == "auto",
        excel_serial=reader.boolean(m, "excel_serial", where, default=False),
        utc=reader.boolean(m, "utc", where, default=False),
        pattern=pattern,
    )


def _export(
    reader: FieldReader, item: Any, entities: Mapping[str, frozenset[str]], file: str
) -> ExportType | None:
    m = reader.mapping(item, "an export type", None)
    if m is None:
        return None
    ident = reader.identifier(m, "id", "an export type")
    where = f"export type {ident or '?'}"
    reader.known_keys(m, _EXPORT_KEYS, where)
    name = reader.text(m, "name", where)
    entity = reader.text(m, "entity", where)
    fields: frozenset[str] = frozenset()
    if entity is not None:
        if entity not in entities:
            reader.error(
                f"unknown entity {entity!r} in {where}",
                m.line_of("entity"),
                "entity",
                suggest(entity, entities),
            )
            entity = None
        else:
            fields = entities[entity]
    platform = reader.text(m, "platform", where, required=False)
    if platform is not None and platform not in PLATFORMS:
        reader.error(
            f"platform of {where} must be one of {', '.join(PLATFORMS)}, got {platform!r}",
            m.line_of("platform"),
        )

    def known_field(field: str, line: int | None, what: str) -> bool:
        # Fields starting with "_" are read (to recognise a file, skip rows, find the
        # account) but not stored.
        if entity is None or field in fields or (what == "field" and field.startswith("_")):
            return True
        reader.error(
            f"{what} {field!r} of {where} is not a field of {entity}",
            line,
            hint=suggest(field, fields) or f"fields: {', '.join(sorted(fields))}",
        )
        return False

    rules: list[ColumnRule] = []
    fields_map = reader.mapping(m.get("fields", LocatedMap()), f"'fields' of {where}", m.line)
    for key in fields_map or {}:
        if known_field(key, fields_map.line_of(key) if fields_map else None, "field"):
            rule = _rule(reader, key, fields_map[key] if fields_map else None, f"{where}.{key}")
            if rule is not None:
                rules.append(rule)
    metrics: list[ColumnRule] = []
    metrics_map = m.get("metrics")
    if metrics_map is not None:
        mm = reader.mapping(metrics_map, f"'metrics' of {where}", m.line_of("metrics"))
        for key in mm or {}:
            rule = _rule(reader, key, mm[key] if mm else None, f"{where}.metrics.{key}")
            if rule is not None:
                metrics.append(rule)
    metrics_rest = None
    if "metrics_rest" in m:
        metrics_rest = _rule(
            reader, "value", m["metrics_rest"], f"{where}.metrics_rest", any_column=True
        )
    metric_into = reader.text(m, "metric_into", where, required=False, default="metric")
    value_into = reader.text(m, "value_into", where, required=False, default="value")
    if (metrics or metrics_rest) and entity is not None:
        for target in (metric_into, value_into):
            if target not in fields:
                reader.error(f"{where}: {target!r} is not a field of {entity}", m.line)
    first_column = reader.text(m, "first_column", where, required=False)
    if first_column is not None and known_field(first_column, m.line_of("first_column"), "field"):
        # GA4 leaves the first cell blank for its "(not set)" segment.
        rules.append(ColumnRule(first_column, ("*",), Parse.TEXT, blank="(not set)"))
    ruled = {r.field for r in rules}
    detect_value = None
    if "detect_value" in m:
        dm = reader.mapping(m["detect_value"], f"'detect_value' of {where}", m.line)
        if dm is not None:
            reader.known_keys(dm, ("field", "contains"), f"'detect_value' of {where}")
            dv_field = reader.text(dm, "field", where)
            dv_text = reader.text(dm, "contains", where)
            if dv_field and dv_text:
                detect_value = (dv_field, dv_text)
    detect = _strings(reader, m, "detect", where, required=True)
    for d in detect:
        if d not in ruled:
            reader.error(
                f"detect field {d!r} of {where} has no rule in 'fields'", m.line_of("detect")
            )
    account: list[AccountRule] = []
    for a in (
        reader.sequence(m.get("account", LocatedList()), f"'account' of {where}", m.line) or ()
    ):
        am = reader.mapping(a, f"an account rule of {where}", m.line_of("account"))
        if am is None:
            continue
        reader.known_keys(am, ("filename", "field", "pattern"), f"an account rule of {where}")
        if "filename" in am:
            pattern = reader.text(am, "filename", where)
            if pattern and _regex(reader, pattern, f"an account rule of {where}", am.line):
                account.append(AccountRule(AccountSource.FILENAME, pattern))
        else:
            field = reader.text(am, "field", f"an account rule of {where}")
            pattern = reader.text(am, "pattern", f"an account rule of {where}")
            if field and field not in ruled:
                reader.error(f"account field {field!r} of {where} has no rule", am.line)
            elif field and pattern and _regex(reader, pattern, where, am.line):
                account.append(AccountRule(AccountSource.FIELD, pattern, field))
    skip: list[SkipRule] = []
    for s in reader.sequence(m.get("skip", LocatedList()), f"'skip' of {where}", m.line) or ():
        sm = reader.mapping(s, f"a skip rule of {where}", m.line_of("skip"))
        if sm is None:
            continue
        reader.known_keys(sm, ("field", "values", "empty", "reason"), f"a skip rule of {where}")
        field = reader.text(sm, "field", f"a skip rule of {where}")
        if field is not None and field not in ruled:
            reader.error(f"skip field {field!r} of {where} has no rule", sm.line)
            continue
        if field is not None:
            skip.append(
                SkipRule(
                    field,
                    tuple(normalize_header(v) for v in _strings(reader, sm, "values", where)),
                    reader.boolean(sm, "empty", where, default=False),
                    reader.text(sm, "reason", where, required=False, default="a totals row")
                    or "a totals row",
                )
            )
    constants: dict[str, str] = {}
    cm = reader.mapping(m.get("constants", LocatedMap()), f"'constants' of {where}", m.line)
    for key in cm or {}:
        value = cm[key] if cm else None
        if known_field(key, cm.line_of(key) if cm else None, "constant"):
            constants[key] = str(value).lower() if isinstance(value, bool) else str(value)
    period = None
    if "period" in m:
        pm = reader.mapping(m["period"], f"'period' of {where}", m.line_of("period"))
        if pm is not None:
            reader.known_keys(pm, ("start", "end", "format"), f"'period' of {where}")
            start = reader.text(pm, "start", where)
            end = reader.text(pm, "end", where)
            fmt = reader.text(pm, "format", where)
            if start and end and fmt:
                period = PeriodRule(start, end, fmt)
    key_from = _strings(reader, m, "key_from", where)
    for k in key_from:
        if k not in ruled:
            reader.error(f"key_from field {k!r} of {where} has no rule", m.line_of("key_from"))
    dimension_from = reader.text(m, "dimension_from", where, required=False)
    needs_year = any(r.parse is Parse.DAY_MONTH for r in rules)
    if ident is None or name is None or entity is None:
        return None
    return ExportType(
        id=ident,
        name=name,
        entity=entity,
        platform=platform,
        rules=tuple(rules),
        detect=detect,
        header_search=int(reader.number(m, "header_search", where) or 1),
        description_row=reader.boolean(m, "description_row", where, default=False),
        account=tuple(account),
        skip=tuple(skip),
        constants=constants,
        refuse=reader.text(m, "refuse", where, required=False),
        update_only=reader.boolean(m, "update_only", where, default=False),
        key_from=key_from,
        metrics=tuple(metrics),
        metrics_rest=metrics_rest,
        dimension_from=dimension_from,
        first_column=first_column,
        dimension_into=reader.text(m, "dimension_into", where, required=False, default="dimension")
        or "dimension",
        metric_into=metric_into or "metric",
        value_into=value_into or "value",
        detect_value=detect_value,
        period=period,
        needs_year=needs_year,
        note=reader.text(m, "note", where, required=False, default="") or "",
        file=file,
    )
