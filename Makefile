# The two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export LADDERS_DATA_DIR ?= $(CURDIR)/data

.PHONY: run test lint format install clean browser

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@mkdir -p $(LADDERS_DATA_DIR)
	@test -s $(LADDERS_DATA_DIR)/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $(LADDERS_DATA_DIR)/secret_key
	SECRET_KEY_FILE=$(LADDERS_DATA_DIR)/secret_key SECURE_COOKIES=0 $(BIN)/ladders manage migrate --noinput
	SECRET_KEY_FILE=$(LADDERS_DATA_DIR)/secret_key SECURE_COOKIES=0 $(BIN)/ladders manage collectstatic --noinput --verbosity 0
	SECRET_KEY_FILE=$(LADDERS_DATA_DIR)/secret_key SECURE_COOKIES=0 $(BIN)/ladders manage demo_load
	@echo ""
	@echo "  Ladders is running at http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password ladders-demo): admin, editor, manager, member"
	@echo ""
	SECRET_KEY_FILE=$(LADDERS_DATA_DIR)/secret_key SECURE_COOKIES=0 ALLOWED_HOSTS=$(HOST),localhost \
		$(BIN)/gunicorn ladders.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

test: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 --dist loadfile

# Browser tests drive Debian's Chromium; install it when it is missing and we may.
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || { echo "The browser tests need Chromium: apt-get install chromium"; exit 2; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
