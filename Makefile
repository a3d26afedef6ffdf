# One place for the commands of the README and of .ci/run.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLES := $(sort $(wildcard samples/*.jsonl))

.PHONY: venv run report-demo test test-fast samples lint

$(BIN)/ngoaivu: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(BIN)/ngoaivu

venv: $(BIN)/ngoaivu
	sh scripts/system-deps.sh

samples: venv
	for f in $(SAMPLES); do $(BIN)/ngoaivu import --backfill --quiet --actor samples $$f; done

# Sets up, loads the seed samples into ./var (SQLite), creates the first administrator (password
# from NGOAIVU_ADMIN_PASSWORD, else generated and printed once) and serves the web application.
ADMIN_ORGS := --org ha-tinh --org gia-lai
run: samples
	@if $(BIN)/ngoaivu user list | grep -q '^admin[ :]'; then \
	  echo "Tài khoản admin đã có (đặt lại mật khẩu: $(BIN)/ngoaivu user passwd admin)"; \
	elif [ -n "$$NGOAIVU_ADMIN_PASSWORD" ]; then \
	  printf '%s\n' "$$NGOAIVU_ADMIN_PASSWORD" | $(BIN)/ngoaivu user add admin $(ADMIN_ORGS) --role admin --password-stdin; \
	else \
	  $(BIN)/ngoaivu user add admin $(ADMIN_ORGS) --role admin --generate-password; \
	fi
	@echo "Mở http://127.0.0.1:8000/login và đăng nhập: tên admin, mật khẩu như trên (Ctrl+C để dừng)."
	$(BIN)/ngoaivu serve --host 127.0.0.1 --port 8000

# The key-task report of seed 000 as JSON (what `make run` printed before the web application).
report-demo: samples
	$(BIN)/ngoaivu report key-tasks --org ha-tinh --period 2020 --as-of 2020-12-11 | $(BIN)/python -m json.tool --no-ensure-ascii

# pytest's exit code 5 (no tests collected) is a broken setup, not a pass.
test: venv
	sh scripts/browser-deps.sh
	$(BIN)/python -m pytest -q; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected: setup is broken" >&2; exit 1; fi; exit $$rc

# The unit layer alone (domain, documents, the handlers on an in-memory workspace): seconds, no
# database, no browser.
test-fast: venv
	$(BIN)/python -m pytest -q tests/unit; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected: setup is broken" >&2; exit 1; fi; exit $$rc

# ruff's rules and format, then mypy over the packages (its settings in pyproject.toml).
lint: venv
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy
