"""Command line for staff and operators: `cwa --help`. The administration commands stand at the top; each
workflow has its own group (`cwa review`, `cwa plan`, `cwa handup`)."""

import typer

from flows.cli import admin, handup, methods, notices, plans, renewal, reviews, signin
from flows.cli import audit, health

app = typer.Typer(help="Contract administration of the Children's Division (13 CSR 35-32).",
                  no_args_is_help=True, add_completion=False)
app.add_typer(admin.app)
app.add_typer(health.app)
app.add_typer(audit.app)
app.add_typer(notices.app)
app.add_typer(signin.app)
app.add_typer(reviews.app, name="review")
app.add_typer(plans.app, name="plan")
app.add_typer(handup.app, name="handup")
app.add_typer(methods.app, name="methods")
app.add_typer(renewal.app, name="renewal")

__all__ = ["app"]
