"""Publicación con nbgrader: `exercises/` es exactamente lo que genera nbgrader a partir de
`solutions/`, sin soluciones ni clave, con sus parámetros de papermill y su enlace a Colab."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograde.ejercicios import EJERCICIOS

RAIZ = Path(__file__).resolve().parents[1]
NOMBRES = sorted(EJERCICIOS)


def _celdas(ruta):
    return json.loads(Path(ruta).read_text(encoding="utf-8"))["cells"]


def test_los_ejercicios_son_los_de_solutions():
    assert sorted(p.name for p in (RAIZ / "solutions").iterdir() if p.is_dir()) == NOMBRES
    assert sorted(p.name for p in (RAIZ / "exercises").iterdir() if p.is_dir()) == NOMBRES


def test_make_release_reproduce_exercises(tmp_path):
    """Lo mismo que hace `make release`, en una copia: el resultado es idéntico byte a byte."""
    shutil.copytree(RAIZ / "solutions", tmp_path / "solutions")
    shutil.copy(RAIZ / "nbgrader_config.py", tmp_path)
    for nombre in NOMBRES:
        subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", nombre, "--force"],
                       cwd=tmp_path, check=True, capture_output=True)
    generados = sorted(p.relative_to(tmp_path / "exercises")
                       for p in (tmp_path / "exercises").rglob("*") if p.is_file())
    publicados = sorted(p.relative_to(RAIZ / "exercises")
                        for p in (RAIZ / "exercises").rglob("*") if p.is_file())
    assert generados == publicados
    for relativa in generados:
        assert (tmp_path / "exercises" / relativa).read_bytes() == \
            (RAIZ / "exercises" / relativa).read_bytes(), f"{relativa}: ejecuta `make release`"


@pytest.mark.parametrize("nombre", NOMBRES)
def test_sin_soluciones_en_lo_publicado(nombre):
    publicado = "".join("".join(c["source"]) for c in _celdas(EJERCICIOS[nombre].ruta_publicada))
    assert "BEGIN SOLUTION" not in publicado
    lineas = {linea.strip() for linea in publicado.splitlines()}
    for celda in _celdas(EJERCICIOS[nombre].ruta_fuente):
        fuente = "".join(celda["source"])
        for region in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", fuente, re.S):
            for linea in region.strip().splitlines():
                if len(linea.strip()) > 3:  # «)», «}» y similares pueden repetirse
                    assert linea.strip() not in lineas, f"{nombre}: «{linea.strip()}»"


def test_la_clave_del_cuestionario_no_llega_al_alumno():
    celda = next(c for c in _celdas(EJERCICIOS["cuestionario_cap1"].ruta_publicada)
                 if c["metadata"]["nbgrader"].get("grade_id") == "respuestas")
    assert "".join(celda["source"]) == "# ESCRIBE AQUÍ TU CÓDIGO\nraise NotImplementedError()"


@pytest.mark.parametrize("nombre", NOMBRES)
def test_parametros_de_papermill(nombre):
    parametros = [c for c in _celdas(EJERCICIOS[nombre].ruta_publicada)
                  if "parameters" in c["metadata"].get("tags", [])]
    assert len(parametros) == 1 and parametros[0]["metadata"]["nbgrader"]["locked"]
    codigo = "".join(parametros[0]["source"])
    nombres = set(re.findall(r"^(\w+) =", codigo, re.M))
    assert {"dispositivo", "semilla"} <= nombres
    inyectados = set(EJERCICIOS[nombre].parametros_para("cpu"))
    assert inyectados <= nombres, "el calificador inyecta parámetros que el cuaderno no declara"


def test_el_ajuste_fino_tiene_presupuesto_que_el_calificador_reduce_en_cpu():
    ej = EJERCICIOS["ajuste_fino_sentimiento"]
    cpu, gpu = ej.parametros_para("cpu"), ej.parametros_para("cuda")
    assert cpu["epocas"] < gpu["epocas"] and cpu["dispositivo"] == "cpu"


@pytest.mark.parametrize("nombre", NOMBRES)
def test_rubrica_de_diez_puntos_en_celdas_de_solo_lectura(nombre):
    ej = EJERCICIOS[nombre]
    assert sum(ej.celdas_nota().values()) == 10
    for celda in _celdas(ej.ruta_publicada):
        meta = celda["metadata"].get("nbgrader", {})
        if meta.get("grade"):
            assert meta["locked"] and not meta["solution"]


@pytest.mark.parametrize("nombre", NOMBRES)
def test_se_abre_en_colab_desde_el_libro_y_el_readme(nombre):
    enlace = (f"https://colab.research.google.com/github/curso-nlp-es/curso-nlp-transformers/"
              f"blob/main/exercises/{nombre}/{nombre}.ipynb")
    assert enlace in (RAIZ / "book" / "ejercicios.md").read_text(encoding="utf-8")
    assert enlace in (RAIZ / "README.md").read_text(encoding="utf-8")
