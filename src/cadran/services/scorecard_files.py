"""Scorecard files: the templates shipped in the package and a workspace's ``scorecard.yaml``.

Templates live in ``cadran/definitions/scorecards/NAME.yaml``. Their goals' dates are relative
(``start: -6 months``); installing a template into a workspace writes the dates they mean,
counted from the end of the workspace's data (or today when it has none), so that the goals
stay where they were set however much data comes in later.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from cadran.core.catalogue import SourceFile
from cadran.core.errors import DefinitionError, UsageError, WorkspaceError
from cadran.core.issues import IssueSet
from cadran.core.scorecard import Scorecard
from cadran.core.scorecard_loader import freeze_relative_dates, load_scorecard, scorecard_header
from cadran.core.spec import Bilingual, suggest
from cadran.services.definitions import PACKAGE_DIR, read_user_files

if TYPE_CHECKING:
    from cadran.services.workspace import Workspace

__all__ = [
    "DEMO_TEMPLATE",
    "SCORECARD_NAME",
    "Template",
    "install_template",
    "list_templates",
    "load_workspace_scorecard",
    "reference_date",
    "scorecard_path",
    "template_names",
    "template_source",
]

SCORECARD_NAME = "scorecard.yaml"
TEMPLATE_DIR = "scorecards"
DEMO_TEMPLATE = "social-media-bsc"
# Anything that might be a relative date (a superset of what the loader accepts).
_MAYBE_RELATIVE = re.compile(r"[+-]\s*\d+\s*(day|week|month|quarter|year)", re.IGNORECASE)


@dataclass(frozen=True)
class Template:
    """A packaged scorecard template: its name (the file's stem), title and description."""

    name: str
    title: Bilingual
    description: Bilingual | None
    file: str


def _folder() -> resources.abc.Traversable:
    return resources.files("cadran").joinpath(PACKAGE_DIR, TEMPLATE_DIR)


def template_names() -> list[str]:
    """The names of the packaged templates, sorted."""
    return sorted(e.name[: -len(".yaml")] for e in _folder().iterdir() if e.name.endswith(".yaml"))


def template_source(name: str) -> SourceFile:
    """The text of the template ``name``; an unknown name is a :class:`UsageError` listing them."""
    names = template_names()
    if name not in names:
        hint = suggest(name, names)
        raise UsageError(
            f"unknown scorecard template {name!r}"
            + (f" ({hint})" if hint else "")
            + "; the templates are: "
            + ", ".join(names)
        )
    text = _folder().joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return SourceFile(f"cadran/{PACKAGE_DIR}/{TEMPLATE_DIR}/{name}.yaml", text)


def list_templates() -> list[Template]:
    """Every packaged template, by name."""
    out: list[Template] = []
    for name in template_names():
        source = template_source(name)
        title, description = scorecard_header(source.text, source.name)
        out.append(Template(name, title or Bilingual(name, name), description, source.name))
    return out


def scorecard_path(ws: Workspace) -> Path:
    """Where the workspace's scorecard is written."""
    return ws.folder.root / SCORECARD_NAME


def reference_date(ws: Workspace, today: date | None = None) -> date:
    """The date relative goal dates count from: the last day of the workspace's data, or today
    (in the workspace's time zone) when it holds none."""
    span = ws.warehouse.date_range()
    if span is not None:
        return span[1]
    return today or ws.today()


def install_template(
    ws: Workspace,
    name: str,
    *,
    force: bool = False,
    as_of: date | None = None,
) -> Path:
    """Write the template ``name`` as the workspace's ``scorecard.yaml`` and return its path.

    Relative dates become the dates they mean from ``as_of`` (default :func:`reference_date`).
    An existing scorecard is kept (a :class:`WorkspaceError`) unless ``force`` is true. The
    result is validated against the workspace's catalogue before anything is written.
    """
    source = template_source(name)
    path = scorecard_path(ws)
    if path.exists() and not force:
        raise WorkspaceError(
            f"{path} already exists; keep it, or replace it with the template by adding --force"
        )
    anchor = as_of or reference_date(ws)
    header = (
        f"# From Cadran's scorecard template {name!r}; its relative dates were counted\n"
        f"# from {anchor.isoformat()}.\n"
    )
    text = header + freeze_relative_dates(source.text, anchor)
    card, issues = load_scorecard(text, str(path), ws.catalogue.kpis)
    if card is None:
        raise DefinitionError(issues)
    _write(path, text)
    return path


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".scorecard-", suffix=".yaml", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            Path(tmp).replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
            raise
    except OSError as exc:
        raise WorkspaceError(f"cannot write {path}: {exc.strerror}") from None


def load_workspace_scorecard(
    ws: Workspace, today: date | None = None
) -> tuple[Scorecard, IssueSet]:
    """The workspace's scorecard, validated against its catalogue, and its warnings.

    Every problem is raised at once as a :class:`DefinitionError` naming the file and line.
    Relative dates written in the file count from :func:`reference_date`.
    """
    path = scorecard_path(ws)
    if not path.is_file():
        raise WorkspaceError(
            f"{str(ws.folder.root)!r} has no {SCORECARD_NAME} yet; start from a template with "
            f"`cadran init {ws.folder.root} --template NAME` "
            f"(templates: {', '.join(template_names())})"
        )
    (source,) = read_user_files(path.parent, [path.name])
    # Finding the end of the data scans every fact table: only when the file may need it.
    relative = _MAYBE_RELATIVE.search(source.text) is not None
    as_of = reference_date(ws, today) if relative else None
    card, issues = load_scorecard(source.text, source.name, ws.catalogue.kpis, as_of=as_of)
    if card is None:
        raise DefinitionError(issues)
    return card, IssueSet(issues.warnings)
