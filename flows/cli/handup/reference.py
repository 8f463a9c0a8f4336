"""`cwa handup reference`: Reference tables (income limits, child care rates, sliding fee scale), versioned, with provenance."""

import typer

app = typer.Typer(help="Reference tables (income limits, child care rates, sliding fee scale), versioned, with provenance.", no_args_is_help=True)
