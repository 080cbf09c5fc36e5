"""Loading the definition files: the built-in ones shipped in the package and a workspace's own."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path

from cadran.core.catalogue import Catalogue, SourceFile
from cadran.core.catalogue_loader import build_catalogue
from cadran.core.errors import DataError
from cadran.core.exports import ColumnRule, ExportType, Parse
from cadran.core.exports_loader import build_exports
from cadran.core.issues import IssueSet
from cadran.core.located import line_of, load_yaml
from cadran.core.semantic import SemanticModel
from cadran.core.semantic_loader import load_semantic_model
from cadran.store.entities import ENTITIES, SOURCES, FieldType

PACKAGE_DIR = "definitions"


def _package_file(*parts: str) -> SourceFile:
    ref = resources.files("cadran").joinpath(PACKAGE_DIR, *parts)
    return SourceFile(f"cadran/{PACKAGE_DIR}/{'/'.join(parts)}", ref.read_text(encoding="utf-8"))


def _package_dir(name: str) -> list[SourceFile]:
    folder = resources.files("cadran").joinpath(PACKAGE_DIR, name)
    names = sorted(e.name for e in folder.iterdir() if e.name.endswith((".yaml", ".yml")))
    return [_package_file(name, n) for n in names]


def read_user_files(folder: Path, names: list[str] | None = None) -> list[SourceFile]:
    """The YAML files of a workspace folder (sorted; or just ``names``), as user sources."""
    if not folder.is_dir():
        return []
    out: list[SourceFile] = []
    paths = [folder / n for n in names] if names else sorted(folder.glob("*.y*ml"))
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise DataError(
                f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8"
            ) from None
        out.append(SourceFile(str(path), text, builtin=False))
    return out


@lru_cache(maxsize=1)
def semantic_model() -> tuple[SemanticModel, IssueSet]:
    """The built-in semantic model (measures and facts) and its issues."""
    source = _package_file("semantic.yaml")
    return load_semantic_model(source.text, source.name)


def load_catalogue(
    user_kpi_files: tuple[SourceFile, ...] = (),
    user_benchmark_files: tuple[SourceFile, ...] = (),
    parameter_overrides: Mapping[str, float] | None = None,
) -> tuple[Catalogue, IssueSet]:
    """The built-in catalogue plus a workspace's KPIs, benchmarks and parameter values."""
    model, issues = semantic_model()
    all_issues = IssueSet(list(issues))
    catalogue, more = build_catalogue(
        model,
        [*_package_dir("kpis"), *user_kpi_files],
        _package_file("categories.yaml"),
        _package_file("parameters.yaml"),
        [_package_file("benchmarks.yaml"), *user_benchmark_files],
        parameter_overrides,
    )
    all_issues.extend(more)
    return catalogue, all_issues


def load_ga4_channels(text: str, file: str) -> tuple[dict[str, str], IssueSet]:
    """GA4 channel groups and the traffic source each counts as, from a file of
    ``Channel group: source`` lines; every problem is reported with its line."""
    issues = IssueSet()
    data = load_yaml(text, file, issues)
    out: dict[str, str] = {}
    if not isinstance(data, dict):
        if not issues.errors:
            issues.error("expected 'Channel group: traffic source' lines", file=file)
        return out, issues
    for group, source in data.items():
        if source not in SOURCES:
            issues.error(
                f"{source!r} is not a traffic source: expected one of {', '.join(SOURCES)}",
                file=file,
                line=line_of(data, group),
                field=str(group),
            )
        elif str(group).lower() in {g.lower() for g in out}:
            issues.error("channel group given twice", file=file, line=line_of(data, group))
        else:
            out[str(group)] = str(source)
    return out, issues


@lru_cache(maxsize=1)
def ga4_channel_sources() -> dict[str, str]:
    """The built-in map of GA4 default channel groups to traffic sources (checked)."""
    source = _package_file("ga4_channels.yaml")
    channels, issues = load_ga4_channels(source.text, source.name)
    issues.raise_if_errors()
    return channels


# How each type of entity field may be read from text.
_READS = {
    FieldType.INTEGER: (Parse.COUNT,),
    FieldType.NUMBER: (Parse.NUMBER, Parse.PERCENT, Parse.COUNT, Parse.SIGNED, Parse.DURATION),
    FieldType.SCORE: (Parse.NUMBER,),
    FieldType.MONEY: (Parse.NUMBER, Parse.COUNT),
    FieldType.BOOLEAN: (Parse.BOOLEAN,),
    FieldType.DATE: (Parse.DATE, Parse.DAY_MONTH),
    FieldType.TIMESTAMP: (Parse.TIMESTAMP,),
    FieldType.TEXT: (Parse.TEXT, Parse.ID),
    FieldType.ENUM: (Parse.TEXT,),
}


def _check_parse_kinds(export: ExportType, issues: IssueSet) -> None:
    ent = ENTITIES[export.entity]
    rules = [*export.rules]
    if export.is_long:
        rules += [
            ColumnRule(export.value_into, r.headers, r.parse)
            for r in (*export.metrics, *([export.metrics_rest] if export.metrics_rest else []))
        ]
    for rule in rules:
        f = ent.field(rule.field)
        if f is None or rule.parse in _READS[f.type]:
            continue
        allowed = " or ".join(p.value for p in _READS[f.type])
        issues.error(
            f"export type {export.id!r}: {rule.field!r} is a {f.type.value} field, which "
            f"'parse: {rule.parse.value}' cannot fill",
            file=export.file,
            field=rule.field,
            hint=f"use parse: {allowed}",
        )


def _entity_fields() -> dict[str, frozenset[str]]:
    return {name: frozenset(f.name for f in e.fields) for name, e in ENTITIES.items()}


def load_exports(
    user_files: tuple[SourceFile, ...] = (),
) -> tuple[tuple[ExportType, ...], IssueSet]:
    """The built-in export types plus a workspace's (or a --mapping file's) own.

    Besides each file's own checks, an export that creates rows must fill every required field
    of its entity: from a column, a constant, or (for the account and platform) the import.
    """
    exports, issues = build_exports([*_package_dir("exports"), *user_files], _entity_fields())
    for export in exports:
        _check_parse_kinds(export, issues)
        if export.update_only or export.refuse:
            continue
        ent = ENTITIES[export.entity]
        given = {r.field for r in export.rules} | set(export.constants)
        given |= {"platform", "account"} if export.platform else set()
        given |= {"native_id"} if export.key_from else set()
        given |= {"period_start", "period_end"} if export.period else set()
        given |= {"as_of"}  # from --as-of when the file has no date
        given |= {export.dimension_into} if export.dimension_from else set()
        given |= {"metric", "value"} if export.is_long else set()
        for f in ent.fields:
            if f.required and f.name not in given:
                issues.error(
                    f"export type {export.id!r} does not fill {f.name!r}, which "
                    f"{export.entity} requires",
                    file=export.file,
                    field=f.name,
                    hint="map a column to it under 'fields', or set it under 'constants'",
                )
    return exports, issues
