"""Dispositivo de cálculo y semillas."""

from __future__ import annotations

import os
import random


def dispositivo(preferido: str | None = None) -> str:
    """``"cuda"`` si hay GPU NVIDIA, ``"mps"`` en un Mac con Apple Silicon, si no ``"cpu"``.

    ``preferido`` (o la variable ``CURSONLP_DISPOSITIVO``) lo fija a mano; ``"auto"`` o
    vacío significa elegir solo.
    """
    import torch

    pedido = (preferido or os.environ.get("CURSONLP_DISPOSITIVO") or "auto").lower()
    if pedido != "auto":
        if pedido.startswith("cuda") and not torch.cuda.is_available():
            raise RuntimeError("Se pidió el dispositivo 'cuda', pero no hay GPU CUDA disponible.")
        return pedido
    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def fijar_semilla(semilla: int = 0) -> None:
    """Fija las semillas de ``random``, NumPy y PyTorch (y de transformers)."""
    import numpy as np
    import torch

    random.seed(semilla)
    np.random.seed(semilla)
    torch.manual_seed(semilla)
    try:
        from transformers import set_seed
        set_seed(semilla)
    except ImportError:  # transformers es opcional aquí
        pass
