"""Lo que ejecutan las celdas de comprobación de los ejercicios, dentro del cuaderno del alumno.

Estas funciones sólo **exportan** lo que el alumno produjo (sus respuestas y las matrices que
dibujó, a la carpeta ``artefactos/``; el modelo se queda en la carpeta donde lo guardó) y
avisan de los errores de formato. No deciden ninguna nota: los puntos los calcula el
calificador en su propio proceso con :mod:`cursonlp.comprobaciones`, que recalcula la verdad
por su cuenta. Así, cambiar estas funciones desde el cuaderno no cambia nada.
"""

from __future__ import annotations

import json
from pathlib import Path

CARPETA_ARTEFACTOS = Path("artefactos")
LETRAS = "abcdefgh"


def _carpeta() -> Path:
    CARPETA_ARTEFACTOS.mkdir(exist_ok=True)
    return CARPETA_ARTEFACTOS


def normalizar_respuesta(valor) -> list[str] | None:
    """``"b"``, ``"B"``, ``["a", "c"]`` o ``"a, c"`` → lista ordenada de letras; ``None`` si
    el formato no vale (un número, una letra fuera de a–h, una lista vacía...)."""
    if isinstance(valor, str):
        valor = [v for v in valor.replace(",", " ").split()]
    if not isinstance(valor, (list, tuple, set)) or not valor:
        return None
    letras = set()
    for v in valor:
        if not isinstance(v, str) or v.strip().lower() not in LETRAS or len(v.strip()) != 1:
            return None
        letras.add(v.strip().lower())
    return sorted(letras)


def exportar_respuestas(respuestas, n_preguntas: int) -> Path:
    """Guarda las respuestas del cuestionario en ``artefactos/respuestas.json``."""
    if not isinstance(respuestas, dict):
        raise TypeError(
            "`respuestas` debe ser un diccionario {número de pregunta: letra o lista de letras}, "
            f"por ejemplo {{1: 'b', 2: ['a', 'c']}}; es un {type(respuestas).__name__}."
        )
    limpias, avisos = {}, []
    for clave, valor in respuestas.items():
        try:
            n = int(clave)
        except (TypeError, ValueError):
            avisos.append(f"la clave {clave!r} no es un número de pregunta")
            continue
        if not 1 <= n <= n_preguntas:
            avisos.append(f"no hay pregunta {n} (son de la 1 a la {n_preguntas})")
            continue
        letras = normalizar_respuesta(valor)
        if letras is None:
            avisos.append(f"la respuesta a la pregunta {n} ({valor!r}) no es una letra ni una "
                          "lista de letras")
        limpias[str(n)] = valor if letras is None else letras
    ruta = _carpeta() / "respuestas.json"
    ruta.write_text(json.dumps(limpias, ensure_ascii=False, indent=1), encoding="utf-8")
    sin = [n for n in range(1, n_preguntas + 1) if str(n) not in limpias]
    print(f"Respuestas guardadas: {n_preguntas - len(sin)} de {n_preguntas} preguntas.")
    if sin:
        print("Sin responder: " + ", ".join(map(str, sin)) + ".")
    for aviso in avisos:
        print(f"Atención: {aviso}.")
    print("La nota la calcula el calificador, no esta celda.")
    return ruta


def _texto(etiquetas) -> list[str]:
    return [e.get_text() for e in etiquetas]


def exportar_figura(figura, nombre: str) -> Path:
    """Guarda lo que se ve en ``figura``: la matriz de cada imagen, sus etiquetas, el título
    y su posición en la rejilla de subgráficos (``artefactos/<nombre>.npz`` y ``.json``)."""
    import numpy as np

    figura = getattr(figura, "figure", figura)  # admite también un Axes
    if not hasattr(figura, "axes"):
        raise TypeError(f"Se esperaba una figura de matplotlib y llegó un "
                        f"{type(figura).__name__}. Guarda la figura en la variable que pide "
                        "el enunciado (por ejemplo `fig, ax = plt.subplots()`).")
    figura.canvas.draw()  # para que las etiquetas de los ejes existan de verdad
    matrices, ejes = {}, []
    for ax in figura.axes:
        if not ax.images:
            continue  # barras de color y ejes sin imagen
        clave = f"m{len(ejes)}"
        matrices[clave] = np.ma.filled(np.ma.asarray(ax.images[0].get_array(), dtype=float),
                                       np.nan)
        spec = ax.get_subplotspec()
        ejes.append({
            "matriz": clave,
            "fila": None if spec is None else spec.rowspan.start,
            "columna": None if spec is None else spec.colspan.start,
            "titulo": ax.get_title(),
            "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
            "xticks": _texto(ax.get_xticklabels()), "yticks": _texto(ax.get_yticklabels()),
        })
    if not ejes:
        raise ValueError("La figura no tiene ningún mapa de calor (imshow/matshow): no hay "
                         "nada que comprobar.")
    carpeta = _carpeta()
    np.savez_compressed(carpeta / f"{nombre}.npz", **matrices)
    meta = {"suptitulo": getattr(figura, "_suptitle", None) and figura._suptitle.get_text(),
            "ejes": ejes}
    ruta = carpeta / f"{nombre}.json"
    ruta.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    print(f"Figura «{nombre}» guardada: {len(ejes)} mapa(s) de calor.")
    return ruta


def exportar_modelo(carpeta) -> Path:
    """Comprueba que ``carpeta`` tiene un modelo y su tokenizer guardados con
    ``save_pretrained`` (el calificador los evalúa allí mismo, en su propio proceso)."""
    carpeta = Path(carpeta)
    faltan = [n for n in ("config.json", "tokenizer_config.json") if not (carpeta / n).exists()]
    if not list(carpeta.glob("*.safetensors")):
        faltan.append("model.safetensors")
    if faltan:
        raise FileNotFoundError(
            f"En «{carpeta}» faltan: {', '.join(faltan)}. Guarda el modelo con "
            "`trainer.save_model(carpeta_modelo)` (o `modelo.save_pretrained`) y el tokenizer "
            "con `tokenizer.save_pretrained(carpeta_modelo)`."
        )
    print(f"Modelo guardado en «{carpeta}». El calificador medirá su exactitud con reseñas "
          "que no has visto.")
    return carpeta
