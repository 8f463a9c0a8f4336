"""`cwa doctor` against the session's real stack (tests/workflow.py): `cwa server` with the sign-in layer, the
runner serving the deployments of flows/serve.py, the SMTP sink, the migrated database and the mailroom."""

from typer.testing import CliRunner

from flows.cli import app
from flows.cli.health import served_deployments
from tasks.context import settings
from tasks.doctor import PrefectApi, prefect_checks, run_checks
from tests.conftest import API_URL, SERVICE
from tests.stack import wait_until

cli = CliRunner()
WIDE = {"COLUMNS": "250"}


def test_every_check_passes_on_the_running_stack(stack):
    def passing():
        checks = run_checks(settings(), served_deployments())
        return checks if all(c.ok for c in checks) else None

    checks = wait_until(passing, 30, "every doctor check to pass", interval=1)
    by_name = {c.name: c for c in checks}
    assert by_name["Prefect sign-in"].detail == f"signed in as {SERVICE[0]}"
    assert by_name["deployments"].detail == "all 9 present"
    result = cli.invoke(app, ["doctor"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "every check passed" in result.output and "FAIL" not in result.output


def test_a_wrong_service_secret_is_a_clear_sign_in_failure(stack, monkeypatch):
    monkeypatch.setenv("PREFECT_API_AUTH_STRING", f"{SERVICE[0]}:not-the-secret")
    result = cli.invoke(app, ["doctor"], env=WIDE)
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "Prefect sign-in" in line)
    assert "FAIL" in line and "401" in line and f"'{SERVICE[0]}'" in line
    assert "export PREFECT_API_AUTH_STRING=svc-cli:$(cat data/secrets/svc-cli)" in result.output
    assert "not-the-secret" not in result.output
    assert "not checked: not signed in" in result.output  # the deployments and polling checks
    assert "Prefect sign-in" in result.stderr


def test_no_credential_says_the_variable_is_unset(stack, monkeypatch):
    monkeypatch.setenv("PREFECT_API_AUTH_STRING", "")
    checks = prefect_checks(PrefectApi.from_environment(), served_deployments())
    assert checks[0].ok and checks[0].detail == f"{API_URL} answers /health"
    assert not checks[1].ok and "PREFECT_API_AUTH_STRING is unset" in checks[1].detail


def test_a_deployment_not_served_is_reported_missing(stack):
    checks = prefect_checks(PrefectApi(API_URL, ":".join(SERVICE)), [*served_deployments(), "no-such-deployment"])
    by_name = {c.name: c for c in checks}
    assert by_name["Prefect sign-in"].ok
    assert not by_name["deployments"].ok and "no-such-deployment" in by_name["deployments"].detail
    assert "prefect deploy" in by_name["deployments"].fix
