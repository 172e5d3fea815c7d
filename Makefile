# Curso de NLP con 🤗 Transformers — tareas habituales.
#   make book     crea el entorno si falta y construye el libro ejecutado (modo local) en _build/html
#   make test     corre las pruebas
#   make modelos  reconstruye los modelos locales (lento: ~10 min en 2 núcleos)
#   make release  regenera exercises/ a partir de solutions/ con nbgrader
#   make bench    imprime tiempos de instalación, construcción, ejecución y calificación

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Carpeta con la rueda local de torch==2.13.0 (uv no lee la configuración de pip).
FIND_LINKS ?= $(or $(PIP_FIND_LINKS),/opt/wheels)
UV     := $(PYTHON) -m uv
UV_PIP := $(UV) pip install --python $(BIN)/python --quiet --compile-bytecode --find-links $(FIND_LINKS)
STAMP  := $(VENV)/.instalado
# El libro y las pruebas trabajan siempre sin hub.
export HF_HUB_OFFLINE := 1
export CURSONLP_MODO := local

.PHONY: entorno book test release modelos datos bench limpiar

entorno: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	test -x $(BIN)/python || $(UV) venv --quiet --python $(PYTHON) $(VENV)
	$(UV_PIP) torch==2.13.0
	$(UV_PIP) -c constraints.txt -e ".[dev]"
	touch $(STAMP)

book: entorno
	$(BIN)/jupyter-book build . --builder html
	@echo "Libro en _build/html/index.html"

test: entorno
	$(BIN)/python -m pytest

release: entorno
	for e in solutions/*/; do $(BIN)/nbgrader generate_assignment $$(basename $$e) --force || exit 1; done

datos: entorno
	$(BIN)/python scripts/preparar_datos.py

modelos: entorno
	$(BIN)/python scripts/entrenar_modelos.py

bench: entorno
	$(BIN)/python bench/bench_libro.py
	$(BIN)/python bench/bench_calificador.py

limpiar:
	rm -rf _build
