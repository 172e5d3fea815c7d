"""Las comprobaciones que ponen nota a los ejercicios, en el proceso del calificador.

Cada función lee lo que exportó el cuaderno del alumno (:mod:`cursonlp.ejercicios`),
**recalcula la verdad por su cuenta** (la clave, la exactitud con datos que el alumno no vio,
las atenciones reales del modelo) y devuelve una lista de :class:`Comprobacion`. Nada de lo que
ocurra dentro del cuaderno del alumno cambia estas funciones.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from .ejercicios import normalizar_respuesta

MAX_ARTEFACTO = 50 * 2**20  # bytes: un artefacto mayor no se lee


@dataclass
class Comprobacion:
    """Un punto de la rúbrica: a qué celda de nota suma, cuánto obtuvo y por qué."""

    celda: str
    nombre: str
    puntos: float
    maximo: float
    mensaje: str

    def como_dict(self) -> dict:
        return asdict(self)


def _leer_json(ruta: Path):
    if not ruta.exists():
        raise FileNotFoundError(f"no se encontró «{ruta.name}»: la celda de comprobación no "
                                "llegó a exportarlo")
    if ruta.stat().st_size > MAX_ARTEFACTO:
        raise ValueError(f"«{ruta.name}» es demasiado grande para ser un artefacto")
    return json.loads(ruta.read_text(encoding="utf-8"))


# --- Cuestionario ---------------------------------------------------------------------------

def comprobar_cuestionario(artefactos: Path, clave: dict, celda: str) -> list[Comprobacion]:
    """Un punto por pregunta si el conjunto de letras coincide exactamente con la clave."""
    try:
        respuestas = _leer_json(Path(artefactos) / "respuestas.json")
        if not isinstance(respuestas, dict):
            raise ValueError("las respuestas no son un diccionario")
    except (OSError, ValueError) as error:
        return [Comprobacion(celda, f"pregunta {n}", 0, 1, f"Sin respuestas: {error}.")
                for n in sorted(clave)]
    resultado = []
    for n in sorted(clave):
        correcta = normalizar_respuesta(clave[n])
        dada = respuestas.get(str(n))
        letras = normalizar_respuesta(dada) if dada is not None else None
        if dada is None:
            puntos, mensaje = 0, "Sin responder."
        elif letras is None:
            puntos, mensaje = 0, f"Formato no válido ({dada!r}): usa una letra o una lista de letras."
        elif letras == correcta:
            puntos, mensaje = 1, "Correcta."
        else:
            puntos, mensaje = 0, "Incorrecta" + (" (esta pregunta admite varias respuestas)."
                                                 if len(correcta) > 1 else ".")
        resultado.append(Comprobacion(celda, f"pregunta {n}", puntos, 1, mensaje))
    return resultado


# --- Ajuste fino ----------------------------------------------------------------------------

def puntos_por_umbral(valor: float, umbrales: dict[float, float]) -> float:
    """Los puntos del umbral más alto que ``valor`` alcanza (0 si no llega a ninguno)."""
    alcanzados = [p for u, p in umbrales.items() if valor >= u]
    return max(alcanzados, default=0.0)


def comprobar_ajuste_fino(carpeta_modelo: Path, umbrales: dict[float, float], celda: str,
                          dispositivo: str = "cpu") -> list[Comprobacion]:
    """Puntos por umbrales de exactitud en la partición de prueba oculta."""
    from .datos import cargar_local, carpeta_local
    from .evaluacion import exactitud_sentimiento

    maximo = max(umbrales.values())
    tabla = ", ".join(f"≥ {u:.0%} → {p:g}" for u, p in sorted(umbrales.items()))
    # Siempre las reseñas locales de prueba, aunque el calificador tenga red.
    prueba = cargar_local(carpeta_local("imdb"), split="test")
    try:
        medida = exactitud_sentimiento(Path(carpeta_modelo), dispositivo=dispositivo, prueba=prueba)
    except Exception as error:  # cualquier fallo del modelo del alumno vale 0, con su motivo
        return [Comprobacion(celda, "modelo guardado", 0, maximo,
                             f"No se pudo evaluar el modelo guardado: {error}")]
    puntos = puntos_por_umbral(medida["accuracy"], umbrales)
    return [Comprobacion(celda, "exactitud en prueba", puntos, maximo,
                         f"Exactitud {medida['accuracy']:.1%} en {medida['n']} reseñas que no "
                         f"viste (umbrales: {tabla}).")]


# --- Atención -------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _modelo_atencion(hub_id: str):
    from transformers import AutoModel, AutoTokenizer

    from .registro import checkpoint

    ruta = checkpoint(hub_id, avisar=False)
    tokenizer = AutoTokenizer.from_pretrained(ruta)
    modelo = AutoModel.from_pretrained(ruta, attn_implementation="eager").eval()
    return tokenizer, modelo


def atenciones_reales(hub_id: str, frase: str):
    """``(tokens, atenciones)`` con ``atenciones[capa][cabeza]`` de forma ``[n, n]``."""
    import torch

    tokenizer, modelo = _modelo_atencion(hub_id)
    entrada = tokenizer(frase, return_tensors="pt")
    with torch.no_grad():
        salida = modelo(**entrada, output_attentions=True)
    tokens = tokenizer.convert_ids_to_tokens(entrada["input_ids"][0])
    return tokens, [capa[0].numpy() for capa in salida.attentions]


def _cargar_figura(artefactos: Path, nombre: str):
    import numpy as np

    meta = _leer_json(Path(artefactos) / f"{nombre}.json")
    ruta = Path(artefactos) / f"{nombre}.npz"
    if not ruta.exists() or ruta.stat().st_size > MAX_ARTEFACTO:
        raise FileNotFoundError(f"no se encontró «{ruta.name}» (o es demasiado grande)")
    with np.load(ruta, allow_pickle=False) as datos:
        return [(dict(eje), np.asarray(datos[eje["matriz"]], dtype=float)) for eje in meta["ejes"]]


def _igual(a, b, tolerancia=2e-3) -> bool:
    import numpy as np

    return a.shape == b.shape and bool(np.allclose(a, b, atol=tolerancia, equal_nan=False))


def comprobar_mapa(artefactos: Path, hub_id: str, frase: str, capa: int, cabeza: int,
                   celda: str) -> list[Comprobacion]:
    """El mapa de una capa y una cabeza: pesos (3), etiquetas de los ejes (2), título (1)."""
    tokens, atenciones = atenciones_reales(hub_id, frase)
    verdad = atenciones[capa][cabeza]
    try:
        ejes = _cargar_figura(artefactos, "mapa")
    except (OSError, ValueError, KeyError) as error:
        return [Comprobacion(celda, "mapa de atención", 0, 6, f"Sin figura: {error}.")]
    eje, matriz = ejes[0]
    coincide = [(e, m) for e, m in ejes if _igual(m, verdad)]
    if coincide:
        eje, matriz = coincide[0]
        pesos = Comprobacion(celda, "pesos", 3, 3, "Los pesos dibujados son los de la capa "
                             f"{capa} y la cabeza {cabeza}.")
    else:
        otra = next(((c, h) for c, capa_ in enumerate(atenciones) for h, m in enumerate(capa_)
                     if _igual(matriz, m)), None)
        pista = (f" Son los de la capa {otra[0]} y la cabeza {otra[1]}: revisa los índices."
                 if otra else f" Se esperaba una matriz {verdad.shape} y llegó {matriz.shape}.")
        pesos = Comprobacion(celda, "pesos", 0, 3, "Los pesos dibujados no son los de la capa "
                             f"{capa} y la cabeza {cabeza}." + pista)
    etiquetas_ok = eje["xticks"] == tokens and eje["yticks"] == tokens
    etiquetas = Comprobacion(
        celda, "etiquetas", 2 if etiquetas_ok else 0, 2,
        "Los ejes llevan los tokens." if etiquetas_ok else
        f"Los ejes deben llevar los {len(tokens)} tokens, en orden: {' '.join(tokens)}.")
    titulo_ok = bool(eje["titulo"].strip())
    titulo = Comprobacion(celda, "título", 1 if titulo_ok else 0, 1,
                          "El mapa tiene título." if titulo_ok else "Falta un título que diga "
                          "qué capa y qué cabeza muestra.")
    return [pesos, etiquetas, titulo]


def comprobar_rejilla(artefactos: Path, hub_id: str, frase: str, celda: str) -> list[Comprobacion]:
    """La rejilla capas × cabezas: 4 puntos si todas las casillas son las correctas, 2 si lo
    es al menos la mitad."""
    _, atenciones = atenciones_reales(hub_id, frase)
    capas, cabezas = len(atenciones), len(atenciones[0])
    try:
        ejes = _cargar_figura(artefactos, "rejilla")
    except (OSError, ValueError, KeyError) as error:
        return [Comprobacion(celda, "rejilla", 0, 4, f"Sin figura: {error}.")]
    bien = sum(
        1 for eje, m in ejes
        if eje["fila"] is not None and eje["fila"] < capas and eje["columna"] < cabezas
        and _igual(m, atenciones[eje["fila"]][eje["columna"]])
    )
    total = capas * cabezas
    puntos = 4 if bien == total and len(ejes) == total else (2 if bien >= total / 2 else 0)
    return [Comprobacion(celda, "rejilla", puntos, 4,
                         f"{bien} de {total} casillas (fila = capa, columna = cabeza) muestran "
                         f"la atención correcta; la figura tiene {len(ejes)} mapas.")]
