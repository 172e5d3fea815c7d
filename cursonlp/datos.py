"""Datasets: el real del hub en modo hub, el sustituto del curso en modo local.

Cada sustituto local tiene las mismas particiones, columnas, tipos (``Features``) y nombres
de etiqueta que el dataset real; sus textos están en español y los escribió el equipo del
curso (ver la ficha ``README.md`` de cada carpeta de ``cursonlp/datos/``).
"""

from __future__ import annotations

from pathlib import Path

from .modo import modo

CARPETA_DATOS = Path(__file__).resolve().parent / "datos"

ETIQUETAS_NER = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


def _features(nombre: str):
    from datasets import ClassLabel, Features, Sequence, Translation, Value

    tipos = {
        "resenas": Features({"text": Value("string"), "label": ClassLabel(names=["neg", "pos"])}),
        "parafrasis": Features({
            "sentence1": Value("string"), "sentence2": Value("string"),
            "label": ClassLabel(names=["not_equivalent", "equivalent"]), "idx": Value("int32"),
        }),
        "tatoeba_es_pt": Features({"id": Value("string"),
                                   "translation": Translation(languages=["es", "pt"])}),
        "ner": Features({"id": Value("string"), "tokens": Sequence(Value("string")),
                         "ner_tags": Sequence(ClassLabel(names=ETIQUETAS_NER))}),
        "qa": Features({
            "id": Value("string"), "title": Value("string"), "context": Value("string"),
            "question": Value("string"),
            "answers": Sequence({"text": Value("string"), "answer_start": Value("int32")}),
        }),
        "resumenes": Features({"id": Value("string"), "url": Value("string"),
                               "title": Value("string"), "summary": Value("string"),
                               "text": Value("string")}),
        "corpus": Features({"id": Value("string"), "url": Value("string"),
                            "title": Value("string"), "text": Value("string")}),
    }
    return tipos[nombre]


# (nombre en el hub, configuración) → carpeta local. Los alias cortos también valen.
DATASETS = {
    ("stanfordnlp/imdb", None): "resenas",
    ("imdb", None): "resenas",
    ("nyu-mll/glue", "mrpc"): "parafrasis",
    ("glue", "mrpc"): "parafrasis",
    ("Helsinki-NLP/tatoeba", None): "tatoeba_es_pt",
    ("tatoeba", None): "tatoeba_es_pt",
    ("eriktks/conll2002", "es"): "ner",
    ("conll2002", "es"): "ner",
    ("rajpurkar/squad", None): "qa",
    ("squad", None): "qa",
    ("csebuetnlp/xlsum", "spanish"): "resumenes",
    ("wikimedia/wikipedia", "20231101.es"): "corpus",
}


def datasets_conocidos() -> list[str]:
    """Los datasets (y su configuración) que tienen sustituto local."""
    return sorted(f"{n}" + (f" ({c})" if c else "") for n, c in DATASETS)


def carpeta_local(nombre: str, config: str | None = None) -> Path:
    """La carpeta del sustituto local de ``nombre``/``config`` (error claro si no hay)."""
    clave = (nombre, config)
    if clave not in DATASETS:
        raise LookupError(
            f"El dataset «{nombre}»" + (f" con configuración «{config}»" if config else "")
            + " no tiene sustituto local en el curso. Los disponibles sin red son:\n  - "
            + "\n  - ".join(datasets_conocidos())
        )
    return CARPETA_DATOS / DATASETS[clave]


def cargar_local(carpeta: Path, split: str | None = None):
    """Carga una carpeta de ``cursonlp/datos`` con ``load_dataset("json", ...)``."""
    from datasets import load_dataset

    archivos = {p.stem: str(p) for p in sorted(carpeta.glob("*.jsonl"))}
    if not archivos:
        raise FileNotFoundError(f"No hay archivos .jsonl en {carpeta}.")
    if split is not None and split.split("[")[0] not in archivos:
        raise ValueError(f"La partición «{split}» no existe; hay: {', '.join(archivos)}.")
    return load_dataset("json", data_files=archivos, features=_features(carpeta.name), split=split)


def cargar_dataset(nombre: str, config: str | None = None, *, split: str | None = None, **kwargs):
    """Como ``datasets.load_dataset(nombre, config, split=...)``, en los dos modos.

    En modo local, ``kwargs`` propios del dataset real (por ejemplo ``lang1="es"``) se
    aceptan y se ignoran: el sustituto ya es el par o la configuración que usa el curso.
    """
    if modo() == "hub":
        from datasets import load_dataset

        try:
            return load_dataset(nombre, config, split=split, **kwargs)
        except Exception as error:  # el mensaje original va encadenado
            raise RuntimeError(
                f"No se pudo descargar el dataset «{nombre}» del Hugging Face Hub: {error}\n"
                f"Si estás sin red, fuerza el modo local con CURSONLP_MODO=local."
            ) from error
    return cargar_local(carpeta_local(nombre, config), split=split)
