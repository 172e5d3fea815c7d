"""Registro de checkpoints: identificador del hub → modelo que toca en cada modo.

Los datos viven en ``registro.json`` (un único sitio); las características de cada modelo
local (arquitectura, parámetros, métrica en datos de prueba) en ``modelos/MANIFIESTO.json``.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
from pathlib import Path

from .modo import modo

RAIZ = Path(__file__).resolve().parent
# CURSONLP_MODELOS permite usar otra carpeta de modelos locales (p. ej. recién entrenados).
CARPETA_MODELOS = Path(os.environ.get("CURSONLP_MODELOS", RAIZ / "modelos"))


@functools.lru_cache(maxsize=1)
def _registro() -> dict:
    with open(RAIZ / "registro.json", encoding="utf-8") as f:
        return json.load(f)["modelos"]


@functools.lru_cache(maxsize=1)
def manifiesto() -> dict:
    """El manifiesto de los modelos locales (vacío si aún no se han construido)."""
    ruta = CARPETA_MODELOS / "MANIFIESTO.json"
    if not ruta.exists():
        return {}
    with open(ruta, encoding="utf-8") as f:
        return json.load(f)


def checkpoints_conocidos() -> list[str]:
    """Los identificadores del hub que el curso sabe sustituir en modo local."""
    return sorted(_registro())


def _ruta_local(local: str) -> Path:
    if local.startswith("pypi:"):
        paquete, _, sub = local[len("pypi:"):].partition("/")
        spec = importlib.util.find_spec(paquete)
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError(
                f"El modelo local necesita el paquete de PyPI «{paquete}», que no está instalado: "
                f"pip install {paquete.replace('_', '-')}"
            )
        return Path(list(spec.submodule_search_locations)[0]) / sub
    return CARPETA_MODELOS / local


def info_checkpoint(hub_id: str) -> dict:
    """Tarea, modelo local y ruta local de ``hub_id`` (error claro si no está registrado)."""
    registro = _registro()
    if hub_id not in registro:
        conocidos = "\n  - ".join(checkpoints_conocidos())
        raise LookupError(
            f"El checkpoint «{hub_id}» no está en el registro del curso, así que no tiene "
            f"sustituto local. En modo local sólo se pueden usar estos:\n  - {conocidos}\n"
            f"(En modo hub, con red, cualquier checkpoint del hub funciona.)"
        )
    entrada = dict(registro[hub_id])
    entrada["hub_id"] = hub_id
    entrada["ruta_local"] = _ruta_local(entrada["local"])
    entrada["manifiesto"] = manifiesto().get(entrada["local"], {})
    return entrada


def checkpoint(hub_id: str, avisar: bool = True) -> str:
    """Lo que hay que pasar a ``from_pretrained``/``pipeline`` para ``hub_id``.

    En modo hub devuelve ``hub_id`` tal cual. En modo local devuelve la ruta del modelo
    pequeño que lo sustituye (y, con ``avisar``, imprime cuál es).
    """
    if modo() == "hub":
        return hub_id
    info = info_checkpoint(hub_id)
    ruta = info["ruta_local"]
    if not (ruta / "config.json").exists():
        raise FileNotFoundError(
            f"Falta el modelo local «{info['local']}» en {ruta}. Constrúyelo con "
            f"`make modelos` (o reinstala cursonlp desde el repositorio del curso)."
        )
    if avisar:
        desc = info["manifiesto"].get("resumen") or info.get("resumen") or info["local"]
        print(f"[modo local] «{hub_id}» → {desc}")
    return str(ruta)
