"""Fabricar entregas de alumnos (buenas, malas y rotas) a partir de los cuadernos reales."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from autograde.ejercicios import EJERCICIOS, clave_cuestionario


def publicado(ejercicio: str):
    return nbformat.read(EJERCICIOS[ejercicio].ruta_publicada, as_version=4)


def solucion(ejercicio: str):
    return nbformat.read(EJERCICIOS[ejercicio].ruta_fuente, as_version=4)


def celda(nb, grade_id: str):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def con_codigo(ejercicio: str, cambios: dict[str, str], base=None):
    """El cuaderno publicado (o ``base``) con el código de algunas celdas cambiado."""
    nb = copy.deepcopy(base if base is not None else publicado(ejercicio))
    for grade_id, codigo in cambios.items():
        celda(nb, grade_id).source = codigo
    return nb


def clave() -> dict:
    return clave_cuestionario(EJERCICIOS["cuestionario_cap1"].ruta_fuente)


def respuestas_con_fallos(n_fallos: int) -> dict:
    """La clave con las ``n_fallos`` primeras preguntas mal contestadas."""
    respuestas = {}
    for n, correcta in clave().items():
        letras = [correcta] if isinstance(correcta, str) else list(correcta)
        mala = next(l for l in "abcd" if [l] != letras)
        respuestas[n] = mala if n <= n_fallos else correcta
    return respuestas


def cuestionario(respuestas_codigo: str, **otros):
    """Entrega del cuestionario con ``respuestas_codigo`` en la celda de respuestas."""
    return con_codigo("cuestionario_cap1", {"respuestas": respuestas_codigo, **otros})


def entregar(curso: Path, alumno: str, ejercicio: str, contenido, nombre: str | None = None):
    """Deja ``contenido`` (cuaderno, texto o bytes) en ``curso/submitted/alumno/ejercicio``."""
    carpeta = curso / "submitted" / alumno / ejercicio
    carpeta.mkdir(parents=True, exist_ok=True)
    (carpeta / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
    if contenido is None:
        return carpeta
    ruta = carpeta / (nombre or f"{ejercicio}.ipynb")
    if isinstance(contenido, bytes):
        ruta.write_bytes(contenido)
    elif isinstance(contenido, str):
        ruta.write_text(contenido, encoding="utf-8")
    else:
        nbformat.write(contenido, ruta)
    return carpeta
