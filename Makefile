# symbreak: `make demo` runs the main job on the bundled sample data; `make test` runs the tests.
# Both create .venv on first use (CPU torch 2.13.0, then the package with its test extras).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test test-fast lint bench clean sample-data

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/symbreak detect sample_data/
	$(BIN)/symbreak detect sample_data/BaTiO3_P4mm.cif --json > demo_out.json
	$(BIN)/symbreak report demo_out.json --format html --out demo_report.html --force
	$(BIN)/symbreak train-relaxed sample_data/cube_to_prism.h5 --baseline --out demo_run --force
	@echo "open demo_report.html in a browser; the training run is in demo_run/"

test: setup lint
	$(BIN)/python -m pytest -n 2 -m "slow or not slow" -q

# one-way layers (import-linter contracts in pyproject.toml) and ruff (numpy docstrings)
lint: setup
	$(BIN)/lint-imports
	$(BIN)/ruff check symbreak_cli tests benchmarks

test-fast: setup
	$(BIN)/python -m pytest -n 2 -m "not slow" -q

bench: setup
	$(BIN)/python benchmarks/detect.py

sample-data: setup
	$(BIN)/symbreak sample-data sample_data --force

clean:
	rm -rf $(VENV) .pytest_cache demo_out.json demo_report.html demo_run
