# Faultline: `make run` opens the dashboard on the demo corpus, `make test` runs the whole test suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8501

.PHONY: run test demo bench lint chromium clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

# Debian's Chromium renders static images (kaleido) and drives the browser tests. Installed from
# the distribution's packages; nothing downloads a browser at run time.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q chromium; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -q && sudo apt-get install -y -q chromium; \
	  else echo "chromium is missing: install Debian's 'chromium' package for image export and browser tests" >&2; exit 1; fi; }

demo: $(STAMP)
	$(BIN)/python -m analysis demo

run: $(STAMP) demo
	-@$(MAKE) -s chromium || echo "note: image export needs Debian's chromium; the dashboard runs without it"
	$(BIN)/python -m streamlit run app.py --server.address $(HOST) --server.port $(PORT)

test: $(STAMP) chromium
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) data/faultline.duckdb* .pytest_cache
