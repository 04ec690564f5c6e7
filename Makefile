# nnbook: two commands do everything on a fresh machine.
#   make book   build the website into _build/html (creates .venv on first use)
#   make test   run every check: library, notebooks (nbval), strict build, browser
#   make lab    open the chapters in JupyterLab (installs only a reader's requirements)
#   make notebooks   re-run every chapter and save its outputs (after editing one)

VENV    := .venv
PYTHON  := $(VENV)/bin/python
# Stamps: requirements.txt (what a reader needs) and requirements-dev.txt (the book, the tests).
READER  := $(VENV)/.installed-requirements
DEV     := $(VENV)/.installed-requirements-dev
VENDOR  := tests/site/node_modules/.installed
# The reader's environment for the tests: requirements.txt alone (what Binder and `make lab`
# install), registered in .venv as the kernel `nnbook-reader` that nbval runs the chapters on,
# so a chapter that imports an author's tool fails `make test`, not a reader.
READER_VENV   := .venv-reader
READER_KERNEL := $(VENV)/share/jupyter/kernels/nnbook-reader/kernel.json
# Use the environment's tools (jupyter-book, pytest, the kernel's python) first.
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: book lab test notebooks vendor clean

# A fresh machine has only Python 3.11 (and make): create an environment once ...
%/bin/python:
	@command -v python3.11 >/dev/null 2>&1 && python3.11 -m venv $* || python3 -m venv $*
	@$@ -c 'import sys; assert sys.version_info[:2] >= (3, 11), "nnbook needs Python 3.11 or newer"'

# ... and install the requirements again only when their files or pyproject.toml change:
# a reader's set for `make lab`, the authors' set (which includes it) for everything else.
$(READER): requirements.txt pyproject.toml | $(PYTHON)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt
	@touch $@

$(DEV): requirements-dev.txt requirements.txt pyproject.toml | $(PYTHON)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(READER)

$(READER_VENV)/.installed-requirements: requirements.txt pyproject.toml | $(READER_VENV)/bin/python
	$(READER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(READER_VENV)/bin/python -m pip install --quiet -r requirements.txt
	@touch $@

$(READER_KERNEL): $(READER_VENV)/.installed-requirements | $(PYTHON)
	@# (quiet: ipykernel warns that .venv-reader's own Jupyter would not look in .venv; .venv's does)
	@out=$$($(READER_VENV)/bin/python -m ipykernel install --prefix $(abspath $(VENV)) --name nnbook-reader \
		--display-name "Python 3 (nnbook reader: requirements.txt only)" 2>&1) || { echo "$$out"; exit 1; }
	@touch $@

# Local copies of the scripts the pages load from CDNs, for the offline browser tests.
$(VENDOR): tests/site/package.json tests/site/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/site --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: browser tests will be skipped (apt-get install npm chromium)"; \
	fi

vendor: $(VENDOR)

book: $(DEV)
	jupyter-book build . --all -W -n --keep-going
	@echo ""
	@echo "The book is built. Open it with:  xdg-open _build/html/index.html"
	@echo "  (or: python -m http.server -d _build/html 8000, then http://127.0.0.1:8000)"

lab: $(READER)
	jupyter lab chapters/ $(if $(filter 0,$(shell id -u)),--allow-root)

test: $(DEV) $(READER_KERNEL) $(VENDOR)
	pytest

notebooks: $(DEV)
	python tools/execute_notebooks.py

clean:
	rm -rf _build .pytest_cache
