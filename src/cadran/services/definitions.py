"""Loading the definition files: the built-in ones shipped in the package and a workspace's own."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path

from cadran.core.catalogue import Catalogue, SourceFile
from cadran.core.catalogue_loader import build_catalogue
from cadran.core.errors import DataError
from cadran.core.issues import IssueSet
from cadran.core.semantic import SemanticModel
from cadran.core.semantic_loader import load_semantic_model

PACKAGE_DIR = "definitions"


def _package_file(*parts: str) -> SourceFile:
    ref = resources.files("cadran").joinpath(PACKAGE_DIR, *parts)
    return SourceFile(f"cadran/{PACKAGE_DIR}/{'/'.join(parts)}", ref.read_text(encoding="utf-8"))


def _package_dir(name: str) -> list[SourceFile]:
    folder = resources.files("cadran").joinpath(PACKAGE_DIR, name)
    names = sorted(e.name for e in folder.iterdir() if e.name.endswith((".yaml", ".yml")))
    return [_package_file(name, n) for n in names]


def read_user_files(folder: Path) -> list[SourceFile]:
    """The YAML files of a workspace folder (sorted), as non-built-in sources."""
    if not folder.is_dir():
        return []
    out: list[SourceFile] = []
    for path in sorted(folder.glob("*.y*ml")):
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
