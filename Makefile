# make demo: install, start the embedded stack, seed sample data, serve the flows (UI http://127.0.0.1:4200)
# make test: install and run the whole suite
# make bench: every benchmark, one at a time, into bench-results.md (make bench CWA_BENCH_QUICK=1: small sizes)
VENV ?= .venv
PY := $(VENV)/bin/python
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: install demo up test bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

up: install
	bash deploy/up.sh

demo: install
	CWA_SEED_DEMO=1 bash deploy/up.sh

test: install
	$(PY) -m pytest -q

bench: install
	$(PY) tests/bench/run_all.py

clean:
	rm -rf $(VENV) data test-output .pytest_cache
