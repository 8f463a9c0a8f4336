"""The `cwa` command line against the test database."""

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app
from models.tables import HumanTask
from tasks.context import transaction

cli = CliRunner()


def test_init_db_is_repeatable():
    assert cli.invoke(app, ["init-db"]).exit_code == 0
    result = cli.invoke(app, ["init-db"])
    assert result.exit_code == 0 and "newest schema" in result.output


def test_bad_staff_csv_imports_nothing_and_names_every_bad_row(tmp_path):
    cli.invoke(app, ["init-db"])
    path = tmp_path / "staff.csv"
    path.write_text("id,full_name,email,roles,active\n"
                    "S-900,Ada Example,ada@dss.mo.example,designee,true\n"
                    "S-901,Bo Example,not-an-email,designee,true\n"
                    "S-902,Cy Example,cy@dss.mo.example,boss,true\n")
    result = cli.invoke(app, ["import-staff", str(path)])
    assert result.exit_code == 1
    assert "row 3" in result.output and "row 4" in result.output and "nothing imported" in result.output
    good = tmp_path / "good.csv"
    good.write_text("id,full_name,email,roles,active\nS-900,Ada Example,ada@dss.mo.example,designee;director,yes\n")
    result = cli.invoke(app, ["import-staff", str(good)])
    assert result.exit_code == 0 and "imported 1 staff" in result.output


def test_intake_refuses_an_unknown_contractor(tmp_path):
    cli.invoke(app, ["init-db"])
    path = tmp_path / "screening.json"
    path.write_text('{"review_id": "HR-CLI-1", "contractor_id": "C-NOPE", "prospect_id": "P-1",'
                    ' "prospect_name": "Some One", "screened_on": "2026-11-02", "offences": []}')
    result = cli.invoke(app, ["review", "intake", str(path), "--no-start"])
    assert result.exit_code == 1 and "no contractor 'C-NOPE'" in result.output


def test_review_status_of_an_unknown_review_is_a_clear_error():
    cli.invoke(app, ["init-db"])
    result = cli.invoke(app, ["review", "status", "HR-NOPE"])
    assert result.exit_code == 1 and "no hiring review 'HR-NOPE'" in result.output


def test_inbox_lists_open_tasks_with_overdue_marked():
    cli.invoke(app, ["init-db"])
    with transaction() as session:
        session.add(HumanTask(flow_run_id="00000000-0000-4000-8000-00000000c11a", key="designee-response",
                              kind="designee response", subject_type="hiring_review", subject_id="HR-CLI-INBOX",
                              required_role="designee", due_date=date(2026, 11, 3), pause_key="designee-response"))
    result = cli.invoke(app, ["inbox", "--as-of", "2026-11-04"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    line = next(line for line in result.output.splitlines() if "HR-CLI-INBOX" in line)
    assert "2026-11-03" in line and "yes" in line


def test_preview_writes_html_text_and_a_pdf_letter(tmp_path):
    result = cli.invoke(app, ["preview", "adverse-action", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert (tmp_path / "adverse-action.pdf").read_bytes().startswith(b"%PDF")
    assert "fair hearing" in (tmp_path / "adverse-action.html").read_text()
    assert cli.invoke(app, ["preview", "no-such-notice"]).exit_code == 1


def test_mailroom_confirm_and_requeue_report_clearly():
    cli.invoke(app, ["init-db"])
    result = cli.invoke(app, ["mailroom-confirm", "MR-1999-01-01", "--mailed-on", "1999-01-02", "--by", "S-005"])
    assert result.exit_code == 1 and "MR-1999-01-01" in result.output
    result = cli.invoke(app, ["requeue", "999999", "--by", "S-005"])
    assert result.exit_code == 0 and "re-queued 0 notice(s)" in result.output


def test_each_workflow_has_its_own_command_group():
    review = cli.invoke(app, ["review", "--help"], env={"COLUMNS": "200"})
    plan = cli.invoke(app, ["plan", "--help"], env={"COLUMNS": "200"})
    assert review.exit_code == 0 and "intake" in review.output and "status" in review.output
    assert plan.exit_code == 0 and "start" in plan.output
    assert cli.invoke(app, ["intake", "x.json"]).exit_code == 2  # not a top-level command any more


def test_starting_a_plan_for_an_unknown_contract_is_a_clear_error():
    cli.invoke(app, ["init-db"])
    result = cli.invoke(app, ["plan", "start", "K-NOPE", "--plan-id", "PIP-CLI-1", "--outcome", "stability",
                              "--by", "S-005"])
    assert result.exit_code == 1 and "no contract 'K-NOPE'" in result.output


def test_rules_writes_the_rule_index(tmp_path):
    root = Path(__file__).resolve().parents[2]
    result = cli.invoke(app, ["rules", "--root", str(root), "--out", str(tmp_path / "rules.md")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "rules.md").read_text() == (root / "docs" / "rules.md").read_text()
    assert cli.invoke(app, ["rules", "--root", str(tmp_path), "--out", str(tmp_path / "x.md")]).exit_code == 1


def test_notices_lists_the_dead_letters_with_their_reason():
    from models.tables import Notice, NoticeStatus

    cli.invoke(app, ["init-db"])
    with transaction() as session:
        session.add(Notice(notice_type="final-decision", recipient_type="contractor", recipient_id="C-CLI",
                           address="x", subject_type="hiring_review", subject_id="HR-CLI-DEAD", template="t",
                           template_version="1", subject_line="s", body_text="b", body_html="b", content_hash="h",
                           channel="mail", idempotency_key="cli-dead-letter-1", status=NoticeStatus.failed,
                           last_error="state 'XX' is not a US state code"))
    result = cli.invoke(app, ["notices", "--status", "failed"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "HR-CLI-DEAD" in result.output and "not a US state code" in result.output


def test_set_password_asks_and_staff_change_their_own_with_the_current_one():
    from models.tables import Staff, StaffCredential
    from tasks.signin.passwords import matches

    cli.invoke(app, ["init-db"])
    with transaction() as session:
        if session.get(Staff, "S-CLI") is None:
            session.add(Staff(id="S-CLI", full_name="Cli Person", email="s-cli@dss.mo.example"))
    first = cli.invoke(app, ["set-password", "S-CLI"], input="First-Pass-2026\nFirst-Pass-2026\n")
    assert first.exit_code == 0 and "First-Pass-2026" not in first.output
    wrong = cli.invoke(app, ["set-password", "S-CLI"], input="not-it\n")
    assert wrong.exit_code == 1 and "current password is wrong" in wrong.output
    weak = cli.invoke(app, ["set-password", "S-CLI"], input="First-Pass-2026\nshort\nshort\n")
    assert weak.exit_code == 1 and "at least 12 characters" in weak.output
    changed = cli.invoke(app, ["set-password", "S-CLI"], input="First-Pass-2026\nSecond-Pass-2026\nSecond-Pass-2026\n")
    assert changed.exit_code == 0
    with transaction() as session:
        assert matches(session.get(StaffCredential, "S-CLI").password_hash, "Second-Pass-2026")
    unknown = cli.invoke(app, ["set-password", "S-NOPE", "--reset"], input="Third-Pass-2026\nThird-Pass-2026\n")
    assert unknown.exit_code == 1 and "no staff member 'S-NOPE'" in unknown.output
