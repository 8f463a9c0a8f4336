"""Administration of signing in: the server with its sign-in layer, staff passwords, service identities."""

import os

import typer

from flows.cli.common import fail, out
from models.errors import DomainError
from tasks.context import transaction

app = typer.Typer()


@app.command()
def server(host: str = typer.Option("127.0.0.1", help="Address to bind; 127.0.0.1 keeps it on this machine."),
           port: int = typer.Option(4200, help="Port of the UI and the API."),
           ssl_keyfile: str = typer.Option(None, help="TLS private key (PEM), passed to uvicorn."),
           ssl_certfile: str = typer.Option(None, help="TLS certificate (PEM), passed to uvicorn.")) -> None:
    """Run Prefect's server (API, UI, services) with staff sign-in and the role allowlist in front of it."""
    from tasks.signin.server import serve

    serve(host, port, ssl_keyfile, ssl_certfile)


@app.command("set-password")
def set_password_cmd(staff_id: str,
                     reset: bool = typer.Option(False, help="Set it without the current password (an operator with "
                                                            "access to the database, for a forgotten one).")) -> None:
    """Set or change a staff member's password; it is asked for, never given on the command line."""
    from models.tables import StaffCredential
    from tasks.signin.passwords import matches, set_password

    with transaction() as session:
        credential = session.get(StaffCredential, staff_id)
        current_hash = credential.password_hash if credential else None
    if current_hash and not reset:
        if not matches(current_hash, typer.prompt("Current password", hide_input=True)):
            fail("the current password is wrong; nothing changed")
    password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        with transaction() as session:
            set_password(session, staff_id=staff_id, password=password, actor=staff_id if not reset else "cli")
    except DomainError as exc:
        fail(str(exc))
    out.print(f"password of {staff_id} set; sign in to the UI as {staff_id}:<password>")


@app.command("service-account")
def service_account(account_id: str = typer.Argument(..., help="e.g. svc-runner, svc-worker, svc-cli")) -> None:
    """Create or re-key a service identity. The secret is read from CWA_SERVICE_SECRET or asked for; the
    process that uses it sends PREFECT_API_AUTH_STRING=<id>:<secret> from its environment."""
    from tasks.signin.passwords import set_service_secret

    secret = os.environ.get("CWA_SERVICE_SECRET") or typer.prompt("Secret", hide_input=True,
                                                                  confirmation_prompt=True)
    try:
        with transaction() as session:
            set_service_secret(session, account_id=account_id, secret=secret, actor="cli")
    except DomainError as exc:
        fail(str(exc))
    out.print(f"service identity {account_id} set")
