"""docs/rules.md lists every paragraph a rule function implements and the tests that cover it
(docs/architecture.md, "Rules and their paragraphs")."""

import types
from pathlib import Path

import pytest

from models.rules import RULE_MODULES, cites, citations, paragraph_key
from tasks.rules_index import covering_tests, implementations, render_rules, rule_functions, uncited

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def functions():
    return rule_functions()


@pytest.fixture(scope="module")
def tests():
    return covering_tests(ROOT)


def test_every_rule_function_cites_a_paragraph(functions):
    assert len(functions) >= 20 and {fn.__module__ for fn in functions} == set(RULE_MODULES)
    assert uncited(functions) == []


def test_every_cited_paragraph_has_a_test(functions, tests):
    untested = sorted(set(implementations(functions)) - set(tests), key=paragraph_key)
    assert untested == [], f"paragraphs without a test marked @pytest.mark.rule(...): {untested}"


def test_every_rule_marker_names_a_paragraph_that_is_implemented(functions, tests):
    unknown = sorted(set(tests) - set(implementations(functions)))
    assert unknown == [], f"markers naming no implemented paragraph (a typo?): {unknown}"


def test_docs_rules_md_is_current(functions, tests):
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == render_rules(implementations(functions), tests), "run `cwa rules` and commit docs/rules.md"


def test_a_function_without_a_citation_is_reported():
    module = types.ModuleType("models.example")

    @cites("13 CSR 35-32.040 (4)(C)")
    def removal_due():
        """Cited."""

    def monthly_premium():
        """Not cited."""

    for fn in (removal_due, monthly_premium):
        fn.__module__ = module.__name__
    assert uncited([removal_due, monthly_premium]) == ["models.example.test_a_function_without_a_citation_is_reported"
                                                       ".<locals>.monthly_premium"]
    assert citations(removal_due) == ("13 CSR 35-32.040 (4)(C)",)


@pytest.mark.parametrize("bad", ["(7)(C)1.E", "13 CSR 35-32.020 7C", ""], ids=["no-source", "malformed", "blank"])
def test_a_paragraph_must_be_cited_in_full(bad):
    with pytest.raises(ValueError, match="cite paragraphs in full"):
        cites(bad)


def test_markers_are_read_from_decorators_parametrize_and_pytestmark(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_example.py").write_text(
        'import pytest\n'
        'REMOVAL = "13 CSR 35-32.040 (4)(C)"\n'
        'pytestmark = [pytest.mark.rule("13 CSR 35-32.040 (5)")]\n'
        '@pytest.mark.rule(REMOVAL)\n'
        'def test_removal(): pass\n'
        'class TestHearing:\n'
        '    @pytest.mark.parametrize("x", [pytest.param(1, marks=pytest.mark.rule("13 CSR 35-32.040 (6)"))])\n'
        '    def test_bar(self, x): pass\n'
        'def helper(): pass\n')
    assert covering_tests(tmp_path) == {
        "13 CSR 35-32.040 (5)": ["tests/test_example.py::test_removal", "tests/test_example.py::TestHearing::test_bar"],
        "13 CSR 35-32.040 (4)(C)": ["tests/test_example.py::test_removal"],
        "13 CSR 35-32.040 (6)": ["tests/test_example.py::TestHearing::test_bar"],
    }


def test_a_marker_that_is_not_a_literal_is_refused(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_bad.py").write_text(
        'import pytest\n@pytest.mark.rule(f"13 CSR {1}")\ndef test_x(): pass\n')
    with pytest.raises(ValueError, match="test_bad.py:2: pytest.mark.rule takes paragraphs as string literals"):
        covering_tests(tmp_path)


def test_rendered_table_sorts_paragraphs_as_the_rule_reads_and_flags_a_missing_test():
    text = render_rules({"13 CSR 35-32.020 (15)": ["models.a.f"], "13 CSR 35-32.020 (7)(C)2.A": ["models.a.g"]},
                        {"13 CSR 35-32.020 (7)(C)2.A": ["tests/unit/test_a.py::test_g"]})
    assert text.index("| (7)(C)2.A |") < text.index("| (15) |")
    assert "| (15) | `models.a.f` | **no test** |" in text
