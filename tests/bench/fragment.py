"""The markdown table fragment every benchmark writes with `--markdown PATH`, and that tests/bench/run_all.py
assembles into bench-results.md: one row per figure, in the columns of COLUMNS."""

import argparse
from pathlib import Path

COLUMNS = ("benchmark", "database", "workers", "figure", "target", "met?", "what bounds it")


def markdown_option(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """The parser with `--markdown PATH` (a new parser when none is given)."""
    parser = parser or argparse.ArgumentParser()
    parser.add_argument("--markdown", type=Path, metavar="PATH",
                        help="also write the figures as a markdown table fragment (tests/bench/run_all.py)")
    return parser


def cell(value) -> str:
    return "-" if value in (None, "") else str(value).replace("|", "\\|").replace("\n", " ")


def met(ok: bool | None) -> str:
    return "-" if ok is None else "yes" if ok else "NO"


def header() -> list[str]:
    return ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]


def write_fragment(path: Path | None, rows: list[tuple]) -> None:
    """Write the rows (tuples in the order of COLUMNS) under the header; nothing when path is None."""
    if path is None:
        return
    for row in rows:
        if len(row) != len(COLUMNS):
            raise ValueError(f"a row of the fragment has {len(row)} cells, not {len(COLUMNS)}: {row}")
    lines = header() + ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    Path(path).write_text("\n".join(lines) + "\n")


def report(title: str, rows: list[tuple], path: Path | None) -> None:
    """Print the rows as a table under `title`, and write them as a fragment when `path` is given."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for column in COLUMNS:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if value is None else str(value) for value in row))
    Console().print(table)
    write_fragment(path, rows)
