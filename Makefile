# Two set-up commands (see README.md):  `make release`  and  `make test`.
# Both create the virtual environment first when it is missing.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: release test lint clean

$(BIN)/dataset-builder: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

release: $(BIN)/dataset-builder
	$(BIN)/dataset-builder build

test: $(BIN)/dataset-builder
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -q

lint: $(BIN)/dataset-builder
	$(BIN)/ruff check dataset_builder tests benchmarks

clean:
	rm -rf dist .pytest_cache
