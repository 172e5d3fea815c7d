"""La orden `python -m autograde` y la restauración de celdas, sin ejecutar núcleos."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from autograde.entrega import EntregaInvalida, leer_cuaderno, restaurar
from entregas import celda, con_codigo, entregar, publicado, solucion
from nbformat.v4 import new_code_cell, new_markdown_cell

RAIZ = Path(__file__).resolve().parents[1]


def _orden(*args):
    return subprocess.run([sys.executable, "-m", "autograde", *args], cwd=RAIZ,
                          capture_output=True, text=True, timeout=120)


def test_ayuda_en_espanol():
    salida = _orden("calificar", "--help")
    assert salida.returncode == 0
    for texto in ("--curso DIR", "límite de segundos", "muestra esta ayuda", "sigue donde lo dejó"):
        assert texto in salida.stdout
    assert "show this help" not in salida.stdout


def test_lista_los_ejercicios():
    salida = _orden("ejercicios")
    assert salida.returncode == 0
    assert {l.split()[0] for l in salida.stdout.splitlines()} == {
        "cuestionario_cap1", "ajuste_fino_sentimiento", "grafico_atencion"}


def test_ejercicio_desconocido(tmp_path):
    salida = _orden("calificar", "no_existe", "--curso", str(tmp_path))
    assert salida.returncode == 2
    assert "No hay ningún ejercicio «no_existe»" in salida.stderr and "cuestionario_cap1" in salida.stderr


def test_curso_sin_entregas(tmp_path):
    salida = _orden("calificar", "cuestionario_cap1", "--curso", str(tmp_path))
    assert salida.returncode == 2 and "submitted" in salida.stderr


def test_parametro_mal_escrito(tmp_path):
    salida = _orden("calificar", "cuestionario_cap1", "--curso", str(tmp_path), "--parametro", "x")
    assert salida.returncode == 2 and "nombre=valor" in salida.stderr


def test_restaurar_respeta_respuestas_y_celdas_nuevas():
    pub = publicado("grafico_atencion")
    alumno = con_codigo("grafico_atencion", {"mapa": "fig_mapa = 1  # mía",
                                              "comprobar_mapa": "print('hecho')",
                                              "preparar": "modelo = None"})
    alumno.cells.insert(5, new_code_cell("ayuda = 42"))  # celda nueva del alumno
    alumno.cells.insert(0, new_markdown_cell("Mis notas"))
    nb, notas = restaurar(alumno, pub)
    fuentes = [c.source for c in nb.cells]
    assert celda(nb, "mapa").source == "fig_mapa = 1  # mía"
    assert celda(nb, "comprobar_mapa").source == celda(pub, "comprobar_mapa").source
    assert celda(nb, "preparar").source == celda(pub, "preparar").source
    assert "ayuda = 42" in fuentes and fuentes[0] == "Mis notas"
    # La celda nueva sigue detrás de la celda que la precedía en la entrega.
    anterior = alumno.cells[alumno.cells.index(next(c for c in alumno.cells if c.source == "ayuda = 42")) - 1]
    assert fuentes[fuentes.index("ayuda = 42") - 1] == celda(pub, anterior.metadata["nbgrader"]["grade_id"]).source
    assert len(notas) == 2 and all("modificada" in n for n in notas)
    assert len({c["id"] for c in nb.cells}) == len(nb.cells)


def test_una_celda_marcada_como_parametros_por_el_alumno_no_cuenta():
    alumno = solucion("cuestionario_cap1")
    falsa = new_code_cell("respuestas = {}")
    falsa.metadata["tags"] = ["parameters"]
    alumno.cells.insert(1, falsa)
    nb, _ = restaurar(alumno, publicado("cuestionario_cap1"))
    assert sum("parameters" in c.metadata.get("tags", []) for c in nb.cells) == 1


def test_solucion_marcada_con_otro_id_no_sustituye_a_la_prueba():
    alumno = solucion("cuestionario_cap1")
    celda(alumno, "respuestas").metadata["nbgrader"]["grade_id"] = "comprobar_respuestas"
    nb, notas = restaurar(alumno, publicado("cuestionario_cap1"))
    assert celda(nb, "comprobar_respuestas").source.startswith("cursonlp.ejercicios")


@pytest.mark.parametrize("contenido, estado", [
    ("", "vacio"), ("{roto", "json_invalido"), ("[1, 2]", "no_es_cuaderno"),
    (b"\xff\xfe\x00binario", "no_es_cuaderno"), ('{"cells": [], "metadata": {}, "nbformat": 4, '
                                                 '"nbformat_minor": 5}', "vacio"),
])
def test_entregas_que_no_valen(tmp_path, contenido, estado):
    carpeta = entregar(tmp_path, "x", "cuestionario_cap1", contenido)
    with pytest.raises(EntregaInvalida) as error:
        leer_cuaderno(carpeta / "cuestionario_cap1.ipynb", "cuestionario_cap1",
                      publicado("cuestionario_cap1"))
    assert error.value.estado == estado and error.value.motivo


def test_sin_lo_publicado_lo_dice_claro(tmp_path, monkeypatch):
    import autograde.ejercicios as ejercicios

    monkeypatch.setattr(ejercicios, "PUBLICADOS", tmp_path)
    with pytest.raises(KeyError) as error:
        ejercicios.buscar("cuestionario_cap1")
    assert "make release" in error.value.args[0]
