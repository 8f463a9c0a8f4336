"""`cwa methods texas`: Texas residential contracts: average length of placement by facility type (Attachment F, output 3)."""

import typer

app = typer.Typer(help="Texas residential contracts: average length of placement by facility type (Attachment F, output 3).", no_args_is_help=True)
