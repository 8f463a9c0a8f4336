"""`cwa handup billing`: Monthly premium billing, 13 CSR 35-32.040 (4)(A)-(B)."""

import typer

app = typer.Typer(help="Monthly premium billing, 13 CSR 35-32.040 (4)(A)-(B).", no_args_is_help=True)
