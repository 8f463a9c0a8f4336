"""`cwa audit-verify`: check the tamper-evident audit chain (docs/operations.md, "The audit chain")."""

import typer

from flows.cli.common import err, out
from tasks.context import transaction

app = typer.Typer()


@app.command("audit-verify")
def audit_verify(seal: bool = typer.Option(False, "--seal", help="Seal the unsealed rows first.")) -> None:
    """Recompute the hash chain of the audit trail on either database. Says OK with the counts of sealed and
    unsealed rows, or the first broken row and why; exits 1 on a break."""
    from tasks.audit_chain import seal_chain, verify_chain

    if seal:
        out.print(f"sealed {seal_chain()} row(s)")
    with transaction() as session:
        report = verify_chain(session)
    if not report.ok:
        broken = report.broken
        err.print(f"[red]BROKEN[/red] at audit row {broken.row_id} (chain position {broken.seal_seq}): "
                  f"{broken.reason}; {report.sealed} sealed, {report.unsealed} unsealed")
        raise typer.Exit(1)
    out.print(f"OK: {report.sealed} sealed row(s) verified, {report.unsealed} unsealed; head {report.head}")
