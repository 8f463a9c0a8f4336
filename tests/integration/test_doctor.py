"""`cwa doctor`'s checks against real pieces, reachable and not: SQLite databases at the head and behind it, an
aiosmtpd server, a print-and-mail service on loopback, mailroom folders. The Prefect checks against the real
server are in tests/flows/test_doctor.py."""

import os
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine
from typer.testing import CliRunner

from flows.cli import app
from flows.cli.health import served_deployments
from models.migrate import alembic_config, upgrade
from models.settings import Settings
from tasks.doctor import (PrefectApi, check_database, check_mailroom, check_print_api, check_smtp, prefect_checks,
                          run_checks)
from tasks.doctor.prefect_api import check_polling
from tests.print_api_server import PrintApiServer
from tests.stack import SmtpSink, free_port


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def test_a_database_at_the_newest_revision_passes(tmp_path):
    url = sqlite_url(tmp_path / "head.db")
    upgrade(url)
    check = check_database(url)
    assert check.ok, check
    assert "newest revision" in check.detail


def test_a_database_not_migrated_fails_with_init_db_as_the_fix(tmp_path):
    url = sqlite_url(tmp_path / "empty.db")
    create_engine(url).connect().close()  # the file exists, without our tables
    check = check_database(url)
    assert not check.ok and "revision none" in check.detail and "cwa init-db" in check.fix


def test_a_database_behind_the_head_names_both_revisions(tmp_path):
    url = sqlite_url(tmp_path / "old.db")
    command.upgrade(alembic_config(url), "0007")
    check = check_database(url)
    assert not check.ok and "cwa init-db" in check.fix
    assert "0007" in check.detail and "the newest is" in check.detail
    upgrade(url)
    assert check_database(url).ok


def test_a_missing_sqlite_file_is_reported_and_not_created(tmp_path):
    path = tmp_path / "nowhere" / "cwa.db"
    check = check_database(sqlite_url(path))
    assert not check.ok and "no database file" in check.detail and "cwa init-db" in check.fix
    assert not path.exists() and not path.parent.exists()


def test_an_unreachable_postgresql_fails_quickly_without_the_password():
    started = time.monotonic()
    check = check_database(f"postgresql+psycopg://cwa:s3cret@127.0.0.1:{free_port()}/cwa")
    assert not check.ok and "cannot connect" in check.detail and "CWA_DATABASE_URL" in check.fix
    assert "s3cret" not in check.detail and time.monotonic() - started < 5


def test_smtp_reachable_and_not():
    port = free_port()
    sink = SmtpSink(port).start()
    try:
        check = check_smtp("127.0.0.1", port)
        assert check.ok, check
        assert sink.messages == []  # nothing sent
    finally:
        sink.stop()
    down = check_smtp("127.0.0.1", port)
    assert not down.ok and f"127.0.0.1:{port}" in down.detail and "CWA_SMTP_PORT" in down.fix


def print_api(url: str, username: str = "test_key") -> Settings:
    return Settings(mail_transport="print-api", print_api_url=url, print_api_username=username)


def test_print_api_reachable_refusing_failing_and_down():
    with PrintApiServer() as server:
        assert check_print_api(print_api(server.url)).ok
        refused = check_print_api(print_api(server.url, username="wrong"))
        assert not refused.ok and "401" in refused.detail and "CWA_PRINT_API_PASSWORD" in refused.fix
        server.fail_next([500])
        failing = check_print_api(print_api(server.url))
        assert not failing.ok and "500" in failing.detail
        url = server.url
    down = check_print_api(print_api(url))
    assert not down.ok and "CWA_PRINT_API_URL" in down.fix


def test_print_api_not_used_with_the_mailroom(tmp_path):
    check = check_print_api(Settings(mail_transport="mailroom", print_api_url=f"http://127.0.0.1:{free_port()}"))
    assert check.ok and "not used" in check.detail


def test_mailroom_writable_leaves_nothing_behind(tmp_path):
    check = check_mailroom(Settings(mail_transport="mailroom", mailroom_dir=str(tmp_path)))
    assert check.ok and "writable" in check.detail
    assert list(tmp_path.iterdir()) == []


def test_a_mailroom_folder_not_made_yet_is_checked_in_its_parent_and_not_created(tmp_path):
    root = tmp_path / "mail" / "room"
    check = check_mailroom(Settings(mail_transport="mailroom", mailroom_dir=str(root)))
    assert check.ok and "does not exist yet" in check.detail
    assert not (tmp_path / "mail").exists()


def test_a_mailroom_under_a_file_fails(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    check = check_mailroom(Settings(mail_transport="mailroom", mailroom_dir=str(blocker / "mailroom")))
    assert not check.ok and "not a folder" in check.detail and "CWA_MAILROOM_DIR" in check.fix


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in any folder")
def test_a_read_only_mailroom_fails(tmp_path):
    tmp_path.chmod(0o500)
    try:
        check = check_mailroom(Settings(mail_transport="mailroom", mailroom_dir=str(tmp_path)))
    finally:
        tmp_path.chmod(0o700)
    assert not check.ok and "cannot write" in check.detail


def test_mailroom_not_used_with_the_print_api_and_an_unknown_transport_fails(tmp_path):
    assert "not used" in check_mailroom(Settings(mail_transport="print-api", mailroom_dir=str(tmp_path))).detail
    wrong = check_mailroom(Settings(mail_transport="carrier-pigeon", mailroom_dir=str(tmp_path)))
    assert not wrong.ok and "CWA_MAIL_TRANSPORT" in wrong.fix


def test_prefect_not_configured_or_not_listening():
    names = served_deployments()
    unset = prefect_checks(PrefectApi(None, None), names)
    assert [c.ok for c in unset] == [False] * 4 and "PREFECT_API_URL" in unset[0].detail
    assert all("not checked" in c.detail for c in unset[1:])
    down = prefect_checks(PrefectApi(f"http://127.0.0.1:{free_port()}/api", "svc-cli:x"), names)
    assert not down[0].ok and "ConnectError" in down[0].detail


def test_polling_fails_for_a_deployment_not_polled_recently():
    now = datetime(2026, 7, 1, 12, tzinfo=timezone.utc)
    fresh = (now - timedelta(seconds=5)).isoformat()
    stale = (now - timedelta(minutes=10)).isoformat()
    ready = [{"name": "a", "last_polled": fresh, "status": "READY"}]
    assert check_polling(ready, ["a"], now).ok
    check = check_polling(ready + [{"name": "b", "last_polled": stale, "status": "NOT_READY"},
                                   {"name": "c", "last_polled": None, "status": "NOT_READY"}], ["a", "b", "c"], now)
    assert not check.ok and "b (600 s ago, NOT_READY)" in check.detail and "c (never polled" in check.detail
    assert "flows.serve" in check.fix


def test_the_command_shows_every_check_and_exits_1(tmp_path, monkeypatch):
    url = sqlite_url(tmp_path / "cwa.db")
    upgrade(url)
    monkeypatch.setenv("PREFECT_API_URL", f"http://127.0.0.1:{free_port()}/api")
    cfg = Settings(database_url=url, smtp_port=free_port(), mailroom_dir=str(tmp_path / "mailroom"))
    monkeypatch.setattr("flows.cli.health.settings", lambda: cfg)
    started = time.monotonic()
    result = CliRunner().invoke(app, ["doctor"], env={"COLUMNS": "250"})
    assert result.exit_code == 1
    assert time.monotonic() - started < 10
    for name in ("database", "Prefect API", "Prefect sign-in", "deployments", "runner polling", "SMTP", "print API",
                 "mailroom folder"):
        assert name in result.output
    assert "check(s) failed" in result.stderr
    checks = {c.name: c.ok for c in run_checks(cfg, served_deployments())}
    assert checks["database"] and checks["mailroom folder"] and not checks["SMTP"] and not checks["Prefect API"]


def test_the_served_deployments_are_read_from_serve_py():
    names = served_deployments()
    assert len(names) == 9 and "deadline-sweep" in names and "outbox-delivery" in names
