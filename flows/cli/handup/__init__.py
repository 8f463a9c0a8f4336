"""`cwa handup`: the Hand-Up Pilot Program, 13 CSR 35-32.040. Participants' commands stand at the top of the
group; reference data, pilot providers, payments and billing have their own subgroups."""

from flows.cli.handup import billing, participants, payments, providers, reference

app = participants.app
app.add_typer(reference.app, name="reference")
app.add_typer(providers.app, name="providers")
app.add_typer(payments.app, name="payments")
app.add_typer(billing.app, name="billing")

__all__ = ["app"]
