"""What every command group shares: the consoles, a failure that exits 1, a rich table of rows."""

import typer
from rich.console import Console
from rich.table import Table

out, err = Console(), Console(stderr=True)


def fail(message: str) -> None:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(1)


def table(title: str, rows: list[dict]) -> Table:
    table = Table(title=title)
    for column in rows[0] if rows else ["(none)"]:
        table.add_column(str(column))
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    return table
