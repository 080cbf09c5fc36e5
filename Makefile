# Two entry points, both usable on a fresh clone:
#   make demo   installs Cadran, builds the demo workspace and shows the KPI overview
#   make test   installs the test tools and runs lint, types, layer contracts and the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
DEMO   ?= demo-workspace

.PHONY: demo test install install-test lint

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==0.13.8

install: $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -c constraints.txt -e .

install-test: $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -c constraints.txt -e '.[test]'

demo: install
	@if [ -f $(DEMO)/cadran.toml ]; then $(BIN)/cadran -w $(DEMO) overview; \
	else $(BIN)/cadran demo $(DEMO); fi

lint:
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: install-test
	$(MAKE) --no-print-directory lint
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)
