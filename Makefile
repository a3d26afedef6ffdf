# One place for the commands of the README and of .ci/run.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLES := $(sort $(wildcard samples/*.jsonl))

.PHONY: venv run test samples lint

$(BIN)/ngoaivu: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(BIN)/ngoaivu

venv: $(BIN)/ngoaivu

samples: venv
	for f in $(SAMPLES); do $(BIN)/ngoaivu import --backfill --quiet --actor samples $$f; done

# Sets up, loads the seed samples into ./var (SQLite) and shows the key-task report of seed 000.
run: samples
	$(BIN)/ngoaivu report key-tasks --org ha-tinh --period 2020 --as-of 2020-12-11 | $(BIN)/python -m json.tool --no-ensure-ascii

# pytest's exit code 5 (no tests collected) is a broken setup, not a pass.
test: venv
	$(BIN)/python -m pytest -q; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected: setup is broken" >&2; exit 1; fi; exit $$rc

lint: venv
	$(BIN)/ruff check . && $(BIN)/ruff format --check .
