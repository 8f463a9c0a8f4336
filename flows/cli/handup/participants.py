"""`cwa handup`: Hand-Up Pilot Program, 13 CSR 35-32.040: applications, opt-outs, hearing requests, status."""

import typer

app = typer.Typer(help="Hand-Up Pilot Program, 13 CSR 35-32.040: applications, opt-outs, hearing requests, status.", no_args_is_help=True)
