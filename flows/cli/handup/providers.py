"""`cwa handup providers`: Pilot providers, 13 CSR 35-32.040 (2)-(3): designate them from a CSV file, list them,
and record a request for review of the designation, which (2)(F) refuses."""

from datetime import date
from pathlib import Path

import typer

from flows.cli.common import fail, out, read_text, table
from models.errors import DomainError
from tasks.context import division_today, transaction

app = typer.Typer(help="Pilot providers, 13 CSR 35-32.040 (2)-(3).", no_args_is_help=True)


@app.command()
def designate(
    path: Path = typer.Argument(..., exists=True, dir_okay=False,
                                help="CSV: id,name,county,county_class,families_served,license_number,"
                                     "license_valid_until,contract_id,contract_ends_on,agreed_on"),
    as_of: str = typer.Option(None, "--as-of", help="The day of the designation (YYYY-MM-DD); default today."),
    by: str = typer.Option(..., "--by", help="Your staff ID, for the audit trail."),
) -> None:
    """Designate the pilot providers of the file (2); a bad row, or a designation that would not meet every
    condition of (2) on that day, designates nothing."""
    from tasks.handup.providers import designate_providers

    try:
        day = date.fromisoformat(as_of) if as_of else division_today()
    except ValueError:
        fail(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)")
    text = read_text(path)
    try:
        with transaction() as session:
            ids = designate_providers(session, csv_text=text, as_of=day, actor=by)
    except DomainError as refused:
        fail(str(refused))
    out.print(f"designated {len(ids)} pilot provider(s) on {day.isoformat()}: {', '.join(ids)}")


@app.command("list")
def list_cmd() -> None:
    """Every pilot provider, active first: county, license, contract, agreement, when designated."""
    from tasks.handup.providers import provider_rows

    with transaction() as session:
        rows = provider_rows(session)
    out.print(table(f"Hand-Up pilot providers: {sum(r['active'] == 'yes' for r in rows)} active", rows))


@app.command("request-review")
def request_review_cmd(provider_id: str = typer.Argument(..., help="The provider asking for a review."),
                       by: str = typer.Option(..., "--by", help="Your staff ID, for the audit trail.")) -> None:
    """Record a provider's request for review of the designation; (2)(F) refuses it."""
    from tasks.handup.providers import request_review

    with transaction() as session:
        refusal = request_review(session, provider_id=provider_id, actor=by)
    fail(str(refusal))
