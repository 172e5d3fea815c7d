"""cursonlp: el módulo de apoyo del Curso de NLP con 🤗 Transformers.

Todo lo que el libro, los ejercicios y el calificador usan más de una vez vive aquí
(como el paquete ``d2l`` de *Dive into Deep Learning*):

- :func:`modo` dice si trabajamos en modo ``"local"`` (sin red, modelos y datos del curso)
  o ``"hub"`` (los checkpoints y datasets reales del Hugging Face Hub).
- :func:`checkpoint` traduce un identificador del hub al modelo que toca en cada modo.
- :func:`cargar_dataset` y :func:`cargar_metrica` hacen lo mismo con datasets y métricas.
- :mod:`cursonlp.entorno`, :mod:`cursonlp.graficos` y :mod:`cursonlp.tareas`: dispositivo,
  semillas, gráficos y las tareas que ``pipeline`` ya no ofrece en transformers 5.
"""

from .modo import modo, describir_modo
from .registro import checkpoint, checkpoints_conocidos, info_checkpoint
from .datos import cargar_dataset, datasets_conocidos
from .metricas import cargar_metrica, metricas_disponibles
from .entorno import dispositivo, fijar_semilla
from .graficos import mapa_atencion, rejilla_atencion, curvas_entrenamiento
from .tareas import responder_pregunta, generar_texto_seq2seq

__version__ = "0.1.0"

__all__ = [
    "modo", "describir_modo",
    "checkpoint", "checkpoints_conocidos", "info_checkpoint",
    "cargar_dataset", "datasets_conocidos",
    "cargar_metrica", "metricas_disponibles",
    "dispositivo", "fijar_semilla",
    "mapa_atencion", "rejilla_atencion", "curvas_entrenamiento",
    "responder_pregunta", "generar_texto_seq2seq",
]

from . import ejercicios  # noqa: E402  (ligero: lo usan las celdas de comprobación)
