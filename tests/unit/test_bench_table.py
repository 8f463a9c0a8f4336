"""make bench --only: a configuration measured again replaces its own rows and keeps the others'."""

import json

import pytest

from tests.bench import run_all


@pytest.fixture
def table(tmp_path, monkeypatch):
    monkeypatch.setattr(run_all, "MARKDOWN", tmp_path / "bench-results.md")
    monkeypatch.setattr(run_all, "RESULTS", tmp_path / "bench-results.json")
    return tmp_path


def _result(when: str, row: str) -> dict:
    return {"when": when, "minutes": 1.5, "outcome": "ok", "quick": False, "logs": "/tmp/logs", "rows": [row]}


def test_a_configuration_measured_again_keeps_the_other_rows_and_gives_each_date(table):
    run_all.write({"sweeps.py": _result("2026-11-26 23:38", "| sweep old |"),
                   "signin.py": _result("2026-11-26 23:38", "| signin |")})
    results = run_all.load()
    results["sweeps.py"] = _result("2026-11-27 02:32", "| sweep new |") | {"cpu_check": 0.312}
    text = run_all.write(results)

    assert text.index("| signin |") < text.index("| sweep new |")  # the order of BENCHMARKS, not of the runs
    assert "| sweep old |" not in text
    assert "Measured: 2026-11-26 23:38 to 2026-11-27 02:32 UTC" in text
    assert "sweeps.py 1.5 min (ok, 2026-11-27 02:32, CPU check 0.31 s)" in text
    assert "signin.py 1.5 min (ok, 2026-11-26 23:38)" in text  # measured before the CPU check existed
    assert "**Not measured yet**" in text and "resume.py --db sqlite --workers 2" in text
    assert json.loads((table / "bench-results.json").read_text())["sweeps.py"]["rows"] == ["| sweep new |"]


def test_only_names_a_script_or_one_of_its_configurations():
    assert [b[1] for b in run_all.chosen(["resume.py"])] == [b[1] for b in run_all.BENCHMARKS if b[0] == "resume.py"]
    one = run_all.chosen(["resume.py --db sqlite --workers 1"])
    assert [b[1] for b in one] == [["--db", "sqlite", "--workers", "1"]]
    assert run_all.chosen([]) == run_all.BENCHMARKS
    with pytest.raises(SystemExit, match="no such benchmark: resume.py --db oracle"):
        run_all.chosen(["resume.py --db oracle"])


def test_the_cpu_check_times_a_loop():
    assert 0 < run_all.cpu_check() < 60
