"""`cwa methods`: the performance methodologies of the other seeds, each reading a CSV file and printing its
result as a table."""

import typer

from flows.cli.methods import residential, texas, wisconsin

app = typer.Typer(help="Performance methodologies: Wisconsin allocation, Texas placement length, Missouri "
                       "residential rates.", no_args_is_help=True)
app.add_typer(wisconsin.app, name="wisconsin")
app.add_typer(texas.app, name="texas")
app.add_typer(residential.app, name="residential")

__all__ = ["app"]
