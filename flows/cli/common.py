"""What every command group shares: the consoles, a failure that exits 1, a rich table of rows."""

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

out, err = Console(), Console(stderr=True)


def fail(message: str) -> None:
    err.print(f"[red]error:[/red] {escape(message)}")  # the message quotes the input, which is not markup
    raise typer.Exit(1)


def read_text(path: Path) -> str:
    """The text of a file given on the command line (UTF-8, a leading BOM dropped); a file that is not UTF-8 fails
    with a clear error instead of a traceback."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        fail(f"{path.name} is not UTF-8 text (byte {exc.start} cannot be read); save it as UTF-8")


def read_json(path: Path):
    """The JSON value of a file given on the command line, or a clear failure when it is not a JSON document."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"{path.name} is not a JSON document: {exc}")
    except RecursionError:
        fail(f"{path.name} is not a JSON document: it is nested too deeply")


def table(title: str, rows: list[dict]) -> Table:
    table = Table(title=title)
    for column in rows[0] if rows else ["(none)"]:
        table.add_column(str(column))
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    return table
