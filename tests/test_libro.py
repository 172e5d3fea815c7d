"""El libro se construye ejecutado en modo local, en español, con figuras y botón de Colab;
y una celda que falla rompe la construcción."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

RAIZ = Path(__file__).resolve().parents[1]
JB = str(Path(sys.executable).parent / "jupyter-book")
CAPITULOS = ["00_configuracion", "01_transformers"]


def construir(carpeta: Path) -> subprocess.CompletedProcess:
    entorno = dict(os.environ, HF_HUB_OFFLINE="1", CURSONLP_MODO="local")
    return subprocess.run([JB, "build", str(carpeta), "--builder", "html"], cwd=carpeta,
                          capture_output=True, text=True, env=entorno, timeout=1500)


@pytest.fixture(scope="module")
def libro():
    """Construye el libro (reutiliza la caché de ejecución de `make book`)."""
    resultado = construir(RAIZ)
    assert resultado.returncode == 0, resultado.stdout[-3000:] + resultado.stderr[-3000:]
    return RAIZ / "_build" / "html"


@pytest.mark.parametrize("capitulo", CAPITULOS)
def test_capitulo_ejecutado_en_espanol_con_colab(libro, capitulo):
    html = (libro / "book" / f"{capitulo}.html").read_text(encoding="utf-8")
    assert re.search(r'<html[^>]*lang="es"', html)
    assert ("colab.research.google.com/github/curso-nlp-es/curso-nlp-transformers/blob/main/"
            f"book/{capitulo}.ipynb") in html
    assert "cell_output" in html, "el capítulo no tiene salidas: ¿se ejecutó?"
    assert "Modo local" in html
    assert "Traceback" not in html
    assert re.search(r'<img[^>]+src="[^"]+\.png"', html), "sin figuras"


def test_indice_enlaza_todos_los_capitulos(libro):
    indice = (libro / "book" / "intro.html").read_text(encoding="utf-8")
    for capitulo in CAPITULOS + ["07_traduccion_t5"]:
        assert f"{capitulo}.html" in indice


def test_celda_con_error_rompe_la_construccion(tmp_path):
    shutil.copy(RAIZ / "_config.yml", tmp_path / "_config.yml")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: roto\n", encoding="utf-8")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Roto"),
                                         nbformat.v4.new_code_cell("1 / 0")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "roto.ipynb")
    resultado = construir(tmp_path)
    assert resultado.returncode != 0
    assert "ZeroDivisionError" in resultado.stdout + resultado.stderr
