"""The ``cadran`` command: entry point, global options and error handling.

Every error a user can cause ends as one line on stderr and a non-zero exit code; a traceback is
shown only with ``--debug``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cadran.core.errors import CadranError, DefinitionError
from cadran.services.workspace import Workspace

app = typer.Typer(
    name="cadran",
    help="Cadran: social-media KPIs tied to goals, tracked over time.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass
class State:
    """Options shared by every command."""

    workspace: Path
    debug: bool = False


def open_workspace(ctx: typer.Context) -> Workspace:
    """The workspace the command runs on (``--workspace``, or the current folder)."""
    state: State = ctx.obj
    return Workspace.open(state.workspace)


@app.callback()
def root(
    ctx: typer.Context,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            envvar="CADRAN_WORKSPACE",
            help="Workspace folder (default: the current folder).",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
) -> None:
    """Cadran: social-media KPIs tied to goals, tracked over time."""
    ctx.obj = State(workspace or Path("."), debug)


def _register() -> None:
    # Commands live in their own modules; importing them attaches them to `app`.
    from cadran.cli import (  # noqa: F401
        import_commands,
        kpi_commands,
        roi_commands,
        scorecard_commands,
        text_commands,
        workspace_commands,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or os.environ.get("CADRAN_DEBUG") == "1"
    try:
        _register()
        result = app(args=args, prog_name="cadran", standalone_mode=False)
    except DefinitionError as exc:
        err.print(f"error: {exc.issues.errors[0] if exc.issues.errors else exc}", markup=False)
        for issue in exc.issues.errors[1:10]:
            err.print(f"error: {issue}", markup=False)
        return exc.exit_code
    except CadranError as exc:
        err.print(f"error: {exc}", markup=False)
        return exc.exit_code
    except typer.TyperException as exc:  # wrong usage: unknown option, missing argument
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err.print(f"error: {exc.format_message()}", markup=False)
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        err.print("aborted", markup=False)
        return 130
    except Exception as exc:  # the last line of defence: no traceback reaches a user
        if debug:
            raise
        err.print(
            f"internal error: {type(exc).__name__}: {exc} (run again with --debug for details)",
            markup=False,
        )
        return 70
    return result if isinstance(result, int) else 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
