# Two commands do all the set-up on a fresh machine:
#   make demo   -- create .venv, install gpuscale, run the end-to-end demo
#   make test   -- create .venv, install gpuscale with test extras, run the test suite
# and one more for CI:
#   make test-cudf -- create .venv-cudf with the pinned real cuDF (no GPU needed) and check the
#                     strict cuDF stand-in and the backend layer against it (tests/cudf_lane)
PYTHON ?= $(shell command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
# console scripts of the environment (tpchgen-cli, cuda-worker) must be found, as in an activated venv
export PATH := $(abspath $(VENV))/bin:$(PATH)
STAMP := $(VENV)/.gpuscale-installed
CUDF_VENV ?= .venv-cudf
CUDF_STAMP := $(CUDF_VENV)/.gpuscale-installed

.PHONY: demo test test-cudf bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -U pip
	$(PY) -m pip install -q -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m gpuscale demo $(ARGS)

test: $(STAMP)
	$(PY) -m pytest $(ARGS)

$(CUDF_STAMP): pyproject.toml
	$(PYTHON) -m venv $(CUDF_VENV)
	$(CUDF_VENV)/bin/python -m pip install -q -U pip
	$(CUDF_VENV)/bin/python -m pip install -q -e ".[cudf-check]"
	touch $(CUDF_STAMP)

test-cudf: $(CUDF_STAMP)
	$(CUDF_VENV)/bin/python -m pytest tests/cudf_lane -p no:cacheprovider $(ARGS)

docs: $(STAMP)
	$(PY) -m sphinx -W --keep-going -b html docs/api build/docs/api

bench: $(STAMP)
	$(PY) -m benchmarks.run $(ARGS)

clean:
	rm -rf $(VENV) $(CUDF_VENV) .pytest_cache .hypothesis
