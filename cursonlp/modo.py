"""Modo de trabajo: ``"local"`` (sin red) u ``"hub"`` (Hugging Face Hub).

Reglas, en este orden:

1. ``CURSONLP_MODO=local`` o ``CURSONLP_MODO=hub`` lo fija explícitamente.
2. ``HF_HUB_OFFLINE=1`` (o ``TRANSFORMERS_OFFLINE=1``) significa modo local.
3. Si no, se sondea el hub una sola vez (conexión TCP con un tiempo de espera corto):
   modo hub si responde, modo local si no.
"""

from __future__ import annotations

import functools
import os
import socket

VARIABLE_MODO = "CURSONLP_MODO"
MODOS = ("local", "hub")
HOST_HUB = "huggingface.co"
_VERDADERO = {"1", "true", "yes", "on", "si", "sí"}


def _activada(nombre: str) -> bool:
    return os.environ.get(nombre, "").strip().lower() in _VERDADERO


def hub_accesible(host: str = HOST_HUB, puerto: int = 443, espera: float = 1.5) -> bool:
    """¿Se puede abrir una conexión con el hub en ``espera`` segundos?"""
    try:
        with socket.create_connection((host, puerto), timeout=espera):
            return True
    except OSError:
        return False


@functools.lru_cache(maxsize=1)
def _sondeo() -> bool:
    return hub_accesible()


def modo() -> str:
    """Devuelve ``"local"`` o ``"hub"`` según las reglas del módulo."""
    pedido = os.environ.get(VARIABLE_MODO, "").strip().lower()
    if pedido:
        if pedido not in MODOS:
            raise ValueError(
                f"{VARIABLE_MODO}={pedido!r} no es válido: usa 'local' o 'hub' "
                f"(o no la definas para detectarlo solo)."
            )
        return pedido
    if _activada("HF_HUB_OFFLINE") or _activada("TRANSFORMERS_OFFLINE"):
        return "local"
    return "hub" if _sondeo() else "local"


def describir_modo() -> str:
    """Una frase en español que explica el modo activo y por qué."""
    m = modo()
    if os.environ.get(VARIABLE_MODO):
        motivo = f"lo fija {VARIABLE_MODO}"
    elif m == "local" and (_activada("HF_HUB_OFFLINE") or _activada("TRANSFORMERS_OFFLINE")):
        motivo = "HF_HUB_OFFLINE=1"
    elif m == "local":
        motivo = "el Hugging Face Hub no responde desde esta máquina"
    else:
        motivo = "el Hugging Face Hub es accesible"
    if m == "local":
        return (f"Modo local ({motivo}): se usan los modelos pequeños y los datos que trae el "
                f"curso; los resultados enseñan lo mismo, pero son más modestos que los del hub.")
    return (f"Modo hub ({motivo}): se descargan los checkpoints y datasets reales del "
            f"Hugging Face Hub.")
