"""`python -m flows.cli`: the same as `cwa`."""

from flows.cli import app

app()
