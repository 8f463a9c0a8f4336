"""The state of the system: `cwa doctor` (is every piece of the stack working) and `cwa retention` (which
records are past their retention period, 13 CSR 35-32.020 (12)(A)). Both change nothing but an audit row."""

import csv
import re
import sys
from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from flows.cli.common import err, fail, out
from tasks.context import division_today, settings, transaction

app = typer.Typer()

SERVE = Path(__file__).resolve().parents[1] / "serve.py"
_ADD_FLOW = re.compile(r'add_flow\(\w+, name="([\w-]+)"')


def served_deployments() -> list[str]:
    """The deployments flows/serve.py registers (read from its source, as tests/unit/test_deployments.py does)."""
    return _ADD_FLOW.findall(SERVE.read_text(encoding="utf-8"))


@app.command()
def doctor() -> None:
    """Check the whole stack: database, Prefect (reachable, signed in, deployments, polling), SMTP, print API,
    mailroom. Each line says OK or what is wrong and how to fix it; exits 1 if any check fails."""
    from tasks.doctor import run_checks

    checks = run_checks(settings(), served_deployments())
    table = Table(title="cwa doctor")
    for column in ("check", "status", "detail", "fix"):
        table.add_column(column, overflow="fold")
    for check in checks:
        table.add_row(check.name, "[green]OK[/green]" if check.ok else "[red]FAIL[/red]", check.detail, check.fix)
    out.print(table)
    failed = [c.name for c in checks if not c.ok]
    if failed:
        err.print(f"[red]{len(failed)} check(s) failed:[/red] {', '.join(failed)}")
        raise typer.Exit(1)
    out.print("every check passed")


@app.command()
def retention(as_of: str = typer.Option(None, "--as-of", help="Date (YYYY-MM-DD); default today."),
              fmt: str = typer.Option("table", "--format", help="table, or csv for a machine-readable list."),
              by: str = typer.Option(None, "--by", help="Your staff ID, for the audit trail; default cli.")) -> None:
    """List the records past their retention period: five calendar years after the contract ended
    (13 CSR 35-32.020 (12)(A)). Deletes nothing; the listing is audited."""
    from models.retention import RULE
    from tasks.retention import COLUMNS, list_past_retention

    if fmt not in ("table", "csv"):
        fail(f"--format is table or csv, not {fmt!r}")
    try:
        day = date.fromisoformat(as_of) if as_of else division_today()
    except ValueError:
        fail(f"--as-of must be a date YYYY-MM-DD, not {as_of!r}")
    with transaction() as session:
        rows = list_past_retention(session, day, actor=by or "cli")
    note = (f"{len({r.contract_id for r in rows})} contract(s) past retention on {day.isoformat()} ({RULE}: kept five "
            "calendar years after the contract ended); nothing was deleted")
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([r.contract_id, r.contractor_id, r.ended_on.isoformat(), r.kept_until.isoformat(), r.table,
                          r.records] for r in rows)
        err.print(note)
        return
    table = Table(title=f"Records past retention on {day.isoformat()}")
    for column in COLUMNS:
        table.add_column(column, justify="right" if column == "records" else "left")
    for r in rows:
        table.add_row(r.contract_id, r.contractor_id, r.ended_on.isoformat(), r.kept_until.isoformat(), r.table,
                      str(r.records))
    out.print(table)
    out.print(note)
    out.print("A contractor's hiring reviews (with their offences, notices, tasks and prospects) are counted on its "
              "contract that ended last, once every contract of the contractor is past retention. The audit trail "
              "is kept.")
