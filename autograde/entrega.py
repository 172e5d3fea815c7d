"""Leer una entrega, rechazar con un motivo claro la que no vale y restaurar las celdas de solo
lectura (las de nota incluidas) desde el cuaderno publicado."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat

MAX_BYTES = 100 * 2**20
IGNORAR = {"timestamp.txt", ".DS_Store"}


class EntregaInvalida(Exception):
    """Una entrega que no se puede ejecutar: ``estado`` para el CSV, ``motivo`` en español."""

    def __init__(self, estado: str, motivo: str):
        super().__init__(motivo)
        self.estado, self.motivo = estado, motivo


def localizar_cuaderno(carpeta: Path, cuaderno: str) -> Path:
    """El cuaderno de la entrega: el del nombre esperado o, si no, el único ``.ipynb``."""
    if not carpeta.is_dir():
        raise EntregaInvalida("falta_archivo", f"No existe la carpeta de la entrega «{carpeta}».")
    archivos = sorted(p for p in carpeta.rglob("*") if p.is_file() and p.name not in IGNORAR
                      and ".ipynb_checkpoints" not in p.parts)
    if not archivos:
        raise EntregaInvalida("vacio", "La entrega está vacía: la carpeta no tiene archivos.")
    if (carpeta / cuaderno).is_file():
        return carpeta / cuaderno
    cuadernos = [p for p in archivos if p.suffix == ".ipynb"]
    if len(cuadernos) == 1:
        return cuadernos[0]
    nombres = ", ".join(p.relative_to(carpeta).as_posix() for p in archivos[:10])
    raise EntregaInvalida("falta_archivo", f"Falta el cuaderno «{cuaderno}». La entrega tiene: "
                                           f"{nombres}.")


def _ids(nb) -> dict[str, dict]:
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")}


def leer_cuaderno(ruta: Path, nombre_ejercicio: str, publicado) -> nbformat.NotebookNode:
    """Lee la entrega y comprueba que es un cuaderno de este ejercicio."""
    datos = ruta.read_bytes()
    if not datos.strip():
        raise EntregaInvalida("vacio", f"«{ruta.name}» está vacío (0 bytes).")
    if len(datos) > MAX_BYTES:
        raise EntregaInvalida("no_es_cuaderno", f"«{ruta.name}» ocupa {len(datos) / 2**20:.0f} MB: "
                                                "demasiado para un cuaderno.")
    try:
        texto = datos.decode("utf-8")
    except UnicodeDecodeError:
        raise EntregaInvalida("no_es_cuaderno", f"«{ruta.name}» no es texto (¿un PDF, un ZIP o una "
                                                "imagen?): entrega el archivo .ipynb.") from None
    try:
        bruto = json.loads(texto)
    except json.JSONDecodeError as error:
        if texto.lstrip().startswith(("{", "[")):
            raise EntregaInvalida("json_invalido", f"«{ruta.name}» tiene el JSON roto (línea "
                                  f"{error.lineno}, columna {error.colno}: {error.msg}). ¿Se "
                                  "cortó al copiarlo? Vuelve a descargarlo de Jupyter o "
                                  "Colab.") from None
        raise EntregaInvalida("no_es_cuaderno", f"«{ruta.name}» no es un cuaderno de Jupyter "
                                                "(no es JSON).") from None
    if not isinstance(bruto, dict) or not isinstance(bruto.get("cells"), list):
        raise EntregaInvalida("no_es_cuaderno", f"«{ruta.name}» es JSON pero no un cuaderno de "
                                                "Jupyter (no tiene la lista «cells»).")
    try:
        nb = nbformat.reads(texto, as_version=4)
    except Exception as error:  # nbformat lanza varios tipos según la versión
        raise EntregaInvalida("no_es_cuaderno", f"«{ruta.name}» no es un cuaderno válido: "
                                                f"{error}") from None
    if not nb.cells:
        raise EntregaInvalida("vacio", f"«{ruta.name}» no tiene ninguna celda.")
    marca = nb.metadata.get("cursonlp", {}).get("ejercicio")
    if marca and marca != nombre_ejercicio:
        raise EntregaInvalida("ejercicio_equivocado", f"Este cuaderno es del ejercicio «{marca}», "
                                                      f"no de «{nombre_ejercicio}».")
    if not set(_ids(nb)) & set(_ids(publicado)):
        raise EntregaInvalida("ejercicio_equivocado", f"El cuaderno no tiene ninguna celda del "
                                                      f"ejercicio «{nombre_ejercicio}».")
    return nb


def restaurar(alumno, publicado) -> tuple[nbformat.NotebookNode, list[str]]:
    """El cuaderno que se ejecuta: el orden y las celdas de solo lectura del publicado, las
    respuestas del alumno y sus celdas nuevas detrás de la celda que las precedía."""
    propias = _ids(publicado)
    soluciones = {g for g, c in propias.items() if c.metadata["nbgrader"].get("solution")}
    respuestas, extra, ancla, notas = {}, {}, None, []
    for celda in alumno.cells:
        gid = celda.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in soluciones and gid not in respuestas and celda.cell_type == propias[gid].cell_type:
            respuestas[gid] = celda
            ancla = gid
        elif gid in propias:
            ancla = gid
            if gid not in soluciones and celda.source != propias[gid].source:
                notas.append(f"Se restauró la celda de solo lectura «{gid}», que estaba modificada.")
        elif celda.cell_type == "code" or celda.cell_type == "markdown":
            limpia = copy.deepcopy(celda)
            limpia.metadata.pop("nbgrader", None)
            limpia.metadata.pop("tags", None)  # nadie más que el publicado marca «parameters»
            extra.setdefault(ancla, []).append(limpia)
    for gid in propias:
        if not any(c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == gid
                   for c in alumno.cells):
            notas.append(f"Se repuso la celda «{gid}», que faltaba"
                         + (" (sin tu respuesta)." if gid in soluciones else "."))
    celdas = list(extra.get(None, []))
    for celda in publicado.cells:
        gid = celda.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        nueva = copy.deepcopy(respuestas.get(gid, celda))
        if gid in respuestas:  # la respuesta ocupa el sitio de la celda publicada
            nueva.metadata = copy.deepcopy(celda.metadata)
        celdas.append(nueva)
        celdas.extend(extra.get(gid, []))
    nb = copy.deepcopy(publicado)
    nb.cells = celdas
    for i, celda in enumerate(nb.cells):  # ids únicos, por si el alumno duplicó celdas
        celda["id"] = f"celda-{i:03d}"
        if celda.cell_type == "code":
            celda.outputs, celda.execution_count = [], None
    return nb, notas
