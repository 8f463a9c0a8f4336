"""`cwa handup payments`: Premium payments, 13 CSR 35-32.040 (4)(B)-(D)."""

import typer

app = typer.Typer(help="Premium payments, 13 CSR 35-32.040 (4)(B)-(D).", no_args_is_help=True)
