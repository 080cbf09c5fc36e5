"""A workspace's text-analytics settings, read and checked together.

- ``cadran.toml`` ``[text]``: ``default_language`` (read texts whose language cannot be told in
  this language; ``fr`` or ``en``) and ``transformer`` (a local model folder to use instead of
  the default method, see docs/text-transformer.md);
- ``cadran.toml`` ``[care]``: the community team's schedule (docs/text-care.md);
- ``quality.yaml`` in the workspace, if present, replaces the default content-quality rubric;
- ``quality-overrides.yaml``: the team's own judgement of posts, by platform and post id::

      instagram/17900011122233: {proofread: true, relevant_links: false}

Every problem of every file is reported at once, each naming its file and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cadran.core.business_hours import Schedule, parse_schedule
from cadran.core.issues import IssueSet
from cadran.core.quality import Rubric, load_rubric
from cadran.core.spec import suggest
from cadran.services.workspace import Workspace
from cadran.text.language import SCORED
from cadran.text.post_features import default_rubric

RUBRIC_FILE = "quality.yaml"
OVERRIDES_FILE = "quality-overrides.yaml"
_TEXT_KEYS = ("default_language", "transformer")


@dataclass(frozen=True)
class TextSettings:
    """What text analysis needs from the workspace."""

    schedule: Schedule
    rubric: Rubric
    default_language: str | None = None
    transformer: Path | None = None
    # (platform, post native id) -> {criterion: met}
    overrides: Mapping[tuple[str, str], Mapping[str, bool]] = field(default_factory=dict)


def text_settings(ws: Workspace) -> TextSettings:
    """The workspace's settings; a :class:`DefinitionError` lists every problem at once."""
    issues = IssueSet()
    config_file = str(ws.folder.config_path)
    schedule, care_issues = parse_schedule(
        ws.config.care, config_file, default_timezone=ws.config.timezone
    )
    issues.extend(care_issues)
    default_language, transformer = _text_section(ws, config_file, issues)
    rubric = default_rubric()
    rubric_path = ws.folder.root / RUBRIC_FILE
    if rubric_path.is_file():
        loaded, rubric_issues = load_rubric(_read(rubric_path, issues), str(rubric_path))
        issues.extend(rubric_issues)
        rubric = loaded or rubric
    overrides = _overrides(ws.folder.root / OVERRIDES_FILE, rubric, issues)
    issues.raise_if_errors()
    assert schedule is not None  # no errors means a schedule
    return TextSettings(schedule, rubric, default_language, transformer, overrides)


def _read(path: Path, issues: IssueSet) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        issues.error(f"cannot read the file ({exc})", file=str(path))
        return ""


def _text_section(ws: Workspace, file: str, issues: IssueSet) -> tuple[str | None, Path | None]:
    section = ws.config.text
    for key in section:
        if key not in _TEXT_KEYS:
            issues.error(
                f"unknown key {key!r}: expected {', '.join(_TEXT_KEYS)}",
                file=file,
                field=f"text.{key}",
                hint=suggest(str(key), _TEXT_KEYS),
            )
    language = section.get("default_language")
    if language is not None and language not in SCORED:
        issues.error(
            f"default_language must be one of {', '.join(SCORED)}, not {language!r}",
            file=file,
            field="text.default_language",
        )
        language = None
    folder = section.get("transformer")
    transformer: Path | None = None
    if folder is not None:
        if not isinstance(folder, str) or not folder.strip():
            issues.error("transformer must be a folder path", file=file, field="text.transformer")
        else:
            transformer = (ws.folder.root / folder).resolve()
            if not transformer.is_dir():
                issues.error(
                    f"model folder {str(transformer)!r} does not exist",
                    file=file,
                    field="text.transformer",
                )
    return (str(language) if language else None), transformer


def _overrides(
    path: Path, rubric: Rubric, issues: IssueSet
) -> dict[tuple[str, str], dict[str, bool]]:
    if not path.is_file():
        return {}
    file = str(path)
    try:
        data = yaml.safe_load(_read(path, issues)) or {}
    except yaml.YAMLError as exc:
        issues.error(f"not valid YAML ({exc})", file=file)
        return {}
    if not isinstance(data, dict):
        issues.error("expected a mapping of 'platform/post id' to criteria", file=file)
        return {}
    ids = [c.id for c in rubric.criteria]
    out: dict[tuple[str, str], dict[str, bool]] = {}
    for key, judged in data.items():
        platform, _, native = str(key).partition("/")
        if not platform or not native:
            issues.error(f"{key!r} must read 'platform/post id'", file=file, field=str(key))
            continue
        if not isinstance(judged, dict):
            issues.error("expected {criterion: true or false}", file=file, field=str(key))
            continue
        criteria: dict[str, bool] = {}
        for criterion, met in judged.items():
            where = f"{key}.{criterion}"
            if criterion not in ids:
                issues.error(
                    f"unknown criterion {criterion!r}: expected one of {', '.join(ids)}",
                    file=file,
                    field=where,
                    hint=suggest(str(criterion), ids),
                )
            elif not isinstance(met, bool):
                issues.error(f"expected true or false, not {met!r}", file=file, field=where)
            else:
                criteria[str(criterion)] = met
        out[(platform.strip().lower(), native.strip())] = criteria
    return out
