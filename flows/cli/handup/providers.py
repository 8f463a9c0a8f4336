"""`cwa handup providers`: Pilot providers, 13 CSR 35-32.040 (2)-(3)."""

import typer

app = typer.Typer(help="Pilot providers, 13 CSR 35-32.040 (2)-(3).", no_args_is_help=True)
