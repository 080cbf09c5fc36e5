"""docs/import.md cannot drift: its worked examples run as documented, its tables are complete.

A worked example is a set of fenced blocks. A file is a ```csv or ```yaml block right under an
HTML comment naming it (``<!-- file: leads.csv -->``). A command is a ```console block of
``$ cadran ...`` lines, each followed by the output it prints; the block runs with exit code 0
unless an ``<!-- exit: N -->`` comment right above it says otherwise. The files are written
into a new workspace, the commands run there in the order of the page (each may depend on the
ones before: batch numbers, rows already imported), and each must print exactly its documented
output (stdout and stderr together, times of day aside).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from cadran.cli.main import main
from cadran.core.catalogue import SourceFile
from cadran.core.exports import Parse
from cadran.core.exports_loader import _EXPORT_KEYS, _RULE_KEYS
from cadran.services.definitions import load_exports
from cadran.services.workspace import Workspace
from cadran.store.entities import ENTITIES, FieldType

DOC_PATH = Path(__file__).parent.parent / "docs" / "import.md"
DOC = DOC_PATH.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Block:
    lang: str
    note: str  # the text of the HTML comment right above the block, or ""
    body: str
    line: int  # line of the opening fence in the page


@dataclass(frozen=True)
class Command:
    argv: tuple[str, ...]  # arguments after `cadran`
    output: tuple[str, ...]
    exit_code: int
    line: int


def blocks(text: str) -> list[Block]:
    """The fenced blocks of a markdown text, with the comment right above each."""
    out: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = re.fullmatch(r"```([\w-]*)", lines[i])
        if opening is None:
            i += 1
            continue
        above = lines[i - 1].strip() if i > 0 else ""
        comment = re.fullmatch(r"<!--\s*(.*?)\s*-->", above)
        end = lines.index("```", i + 1)
        out.append(
            Block(opening[1], comment[1] if comment else "", "\n".join(lines[i + 1 : end]), i + 1)
        )
        i = end + 1
    return out


def example_files(page: list[Block]) -> dict[str, str]:
    """File name -> content of every ``<!-- file: NAME -->`` block."""
    files: dict[str, str] = {}
    for b in page:
        if b.note.startswith("file:"):
            name = b.note.removeprefix("file:").strip()
            assert name not in files, f"line {b.line}: {name} is given twice"
            files[name] = b.body + "\n"
    return files


def commands(page: list[Block]) -> list[Command]:
    """The commands of every ```console block, with their documented output and exit code."""
    out: list[Command] = []
    for b in page:
        if b.lang != "console":
            continue
        found = re.fullmatch(r"exit:\s*(\d+)", b.note)
        code = int(found[1]) if found else 0
        lines = b.body.splitlines()
        assert lines and lines[0].startswith("$ cadran "), f"line {b.line}: not a command"
        for offset, text in enumerate(lines):
            if text.startswith("$ "):
                argv = shlex.split(text[2:])
                assert argv[0] == "cadran", f"line {b.line + offset + 1}: {text}"
                out.append(Command(tuple(argv[1:]), (), code, b.line + offset + 1))
            else:
                last = out[-1]
                out[-1] = Command(last.argv, (*last.output, text), last.exit_code, last.line)
    return out


PAGE = blocks(DOC)
FILES = example_files(PAGE)
COMMANDS = commands(PAGE)


def _normalised(lines: list[str] | tuple[str, ...]) -> list[str]:
    text = "\n".join(line.rstrip() for line in lines).strip("\n")
    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC", "<time> UTC", text).splitlines()


def run_examples(
    root: Path, capsys: pytest.CaptureFixture[str], *, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Write the files into a new workspace and run the commands there, checking each."""
    ws = root / "shop"
    Workspace.init(ws, timezone="Europe/Paris").close()
    for name, content in FILES.items():
        (ws / name).write_text(content, encoding="utf-8")
    monkeypatch.chdir(ws)  # the page runs commands from the workspace folder, on relative paths
    capsys.readouterr()
    for command in COMMANDS:
        code = main(["-w", str(ws), *command.argv])
        captured = capsys.readouterr()
        shown = f"docs/import.md line {command.line}: cadran {' '.join(command.argv)}"
        printed = _normalised((captured.out + captured.err).splitlines())
        assert code == command.exit_code, f"{shown}: exit code {code}\n" + "\n".join(printed)
        assert printed == _normalised(command.output), shown


def test_the_page_has_worked_examples() -> None:
    imports = [c for c in COMMANDS if c.argv[:1] == ("import",)]
    assert len(imports) >= 10
    for entity in ("leads", "customers", "revenue", "costs", "posts"):
        assert f"entity: {entity}\n" in "".join(FILES.values()), entity
    for command in imports:
        for i, arg in enumerate(command.argv):
            named = arg.endswith((".csv", ".yaml")) or command.argv[i - 1 : i] == ("--mapping",)
            assert not named or arg in FILES, f"line {command.line}: {arg} is not given"


@pytest.mark.parametrize("name", sorted(n for n in FILES if n.endswith(".yaml")))
def test_every_mapping_of_the_page_is_valid(name: str) -> None:
    exports, issues = load_exports((SourceFile(name, FILES[name], builtin=False),))
    assert not issues.errors, [str(e) for e in issues.errors]
    assert any(e.file == name for e in exports)


def test_the_worked_examples_run_as_documented(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run_examples(tmp_path, capsys, monkeypatch=monkeypatch)


@pytest.mark.parametrize("export_id", sorted(e.id for e in load_exports()[0]))
def test_every_builtin_export_type_is_in_the_table(export_id: str) -> None:
    assert f"\n| `{export_id}` |" in DOC


@pytest.mark.parametrize("key", sorted({*_EXPORT_KEYS, *_RULE_KEYS}))
def test_every_mapping_key_is_documented(key: str) -> None:
    assert f"| `{key}`" in DOC or f", `{key}` |" in DOC


@pytest.mark.parametrize("kind", [p.value for p in Parse])
def test_every_parse_kind_is_documented(kind: str) -> None:
    assert f"\n| `{kind}` |" in DOC


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_every_entity_field_and_value_is_documented(entity: str) -> None:
    row = next((line for line in DOC.splitlines() if line.startswith(f"| `{entity}` |")), None)
    assert row is not None, f"no row for {entity}"
    for f in ENTITIES[entity].fields:
        assert f"`{f.name}`" in row, f.name
        if f.type is FieldType.ENUM and f.name not in ("platform", "source"):
            for value in f.values:
                assert f"`{value}`" in row, (f.name, value)


@pytest.mark.parametrize("field", ["source", "platform"])
def test_the_values_of_sources_and_platforms_are_listed(field: str) -> None:
    found = ENTITIES["leads"].field(field)
    assert found is not None
    assert ", ".join(f"`{v}`" for v in found.values) in DOC
