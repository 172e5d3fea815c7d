"""Métricas del curso como módulos de ``evaluate`` locales, cargables sin red.

``evaluate.load("accuracy")`` necesita el hub. Aquí cada métrica es una carpeta con su
script (``metricas/accuracy/accuracy.py``) que ``evaluate.load`` carga por ruta, igual
en modo local y en modo hub.
"""

from __future__ import annotations

from pathlib import Path

CARPETA = Path(__file__).resolve().parent


def metricas_disponibles() -> list[str]:
    """Nombres de las métricas que trae el curso."""
    return sorted(p.name for p in CARPETA.iterdir() if (p / f"{p.name}.py").exists())


def cargar_metrica(nombre: str, **kwargs):
    """``evaluate.load`` de la métrica local ``nombre`` (accuracy, f1, sacrebleu, chrf,
    seqeval, squad, perplexity)."""
    import evaluate

    if nombre not in metricas_disponibles():
        raise LookupError(f"La métrica «{nombre}» no está en el curso; hay: "
                       f"{', '.join(metricas_disponibles())}.")
    return evaluate.load(str(CARPETA / nombre), **kwargs)
