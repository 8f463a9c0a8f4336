"""`cwa methods residential`: Missouri residential treatment maintenance rates, 13 CSR 35-80.010."""

import typer

app = typer.Typer(help="Missouri residential treatment maintenance rates, 13 CSR 35-80.010.", no_args_is_help=True)
