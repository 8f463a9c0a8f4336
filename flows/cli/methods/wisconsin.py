"""`cwa methods wisconsin`: The Wisconsin CY2004 child support performance-based allocation."""

import typer

app = typer.Typer(help="The Wisconsin CY2004 child support performance-based allocation.", no_args_is_help=True)
