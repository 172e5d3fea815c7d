"""Prepara los datasets locales del curso a partir de los textos fuente de ``datos_fuente/``.

Lee los JSON Lines que escribió el equipo del curso, valida cada ejemplo, los reparte en
particiones con una semilla fija y escribe ``cursonlp/datos/<dataset>/<partición>.jsonl``
con el mismo esquema que el dataset real del hub. Es determinista: ejecutarlo dos veces
produce los mismos archivos.

    python scripts/preparar_datos.py
"""

from __future__ import annotations

import json
import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
FUENTE = RAIZ / "datos_fuente"
# Textos escritos después de fijar las particiones de evaluación: sólo entran en «train», para
# que las cifras de prueba y validación sigan midiéndose con los mismos ejemplos.
SOLO_ENTRENAMIENTO = "solo_entrenamiento/"
DESTINO = RAIZ / "cursonlp" / "datos"
SEMILLA = 0
TIPOS_NER = ("PER", "ORG", "LOC", "MISC")

sys.path.insert(0, str(RAIZ))
from cursonlp.evaluacion import TEMAS  # noqa: E402


def leer(nombre: str) -> list[dict]:
    filas = []
    for ruta in sorted(FUENTE.glob(nombre)):
        with open(ruta, encoding="utf-8") as f:
            for n, linea in enumerate(f, 1):
                if linea.strip():
                    try:
                        filas.append(json.loads(linea))
                    except json.JSONDecodeError as e:
                        raise SystemExit(f"{ruta}:{n}: JSON no válido ({e})")
    return filas


def limpiar(texto: str) -> str:
    return " ".join(unicodedata.normalize("NFC", texto).split())


def sin_duplicados(filas: list[dict], clave) -> list[dict]:
    vistos, salida = set(), []
    for fila in filas:
        k = clave(fila).lower()
        if k not in vistos:
            vistos.add(k)
            salida.append(fila)
    return salida


def palabras(texto: str) -> set[str]:
    return set(re.findall(r"\w{4,}", texto.lower()))


def parecido(a: set[str], b: set[str]) -> float:
    """Índice de Jaccard entre dos conjuntos de palabras."""
    return len(a & b) / len(a | b) if a or b else 1.0


EXTRAS: dict[str, int] = {}  # dataset → ejemplos añadidos sólo a «train» (para su ficha)


def con_extras(dataset: str, partes: dict[str, list], extras: list, clave) -> dict[str, list]:
    """Añade ``extras`` a «train», barajados, sin repetir nada de ninguna partición y sin
    casi duplicados de la evaluación (más de la mitad de las palabras en común)."""
    vistos = {clave(f).lower() for filas in partes.values() for f in filas}
    evaluacion = [palabras(clave(f)) for nombre, filas in partes.items() if nombre != "train" for f in filas]

    def casi_repetido(fila) -> bool:
        propias = palabras(clave(fila))
        return any(parecido(propias, otra) > 0.5 for otra in evaluacion)

    nuevos = [f for f in sin_duplicados(extras, clave)
              if clave(f).lower() not in vistos and not casi_repetido(f)]
    random.Random(SEMILLA).shuffle(nuevos)
    partes["train"] = partes["train"] + nuevos
    EXTRAS[dataset] = len(nuevos)
    return partes


def repartir(filas: list, fracciones: dict[str, float], estratos=None) -> dict[str, list]:
    """Baraja con semilla fija y reparte; con ``estratos`` conserva la proporción de cada clase."""
    rng = random.Random(SEMILLA)
    grupos: dict = {}
    for fila in filas:
        grupos.setdefault(estratos(fila) if estratos else None, []).append(fila)
    salida = {nombre: [] for nombre in fracciones}
    for clave in sorted(grupos, key=str):
        grupo = grupos[clave]
        rng.shuffle(grupo)
        inicio = 0
        nombres = list(fracciones)
        for i, nombre in enumerate(nombres):
            fin = len(grupo) if i == len(nombres) - 1 else inicio + round(fracciones[nombre] * len(grupo))
            salida[nombre].extend(grupo[inicio:fin])
            inicio = fin
    for nombre in salida:
        rng.shuffle(salida[nombre])
    return salida


FICHAS = {
    "resenas": ("Reseñas en español (sentimiento binario)", "stanfordnlp/imdb",
                "Reseñas breves de restaurantes, hoteles, viajes, tiendas, cine, libros, música, "
                "videojuegos, productos, servicios y aplicaciones, escritas a mano para el curso en "
                "variedades de España y América, con casos difíciles (negaciones, reseñas mixtas, ironía). "
                "Etiquetas: 0 = neg, 1 = pos; equilibradas en cada partición.",
                "datos_fuente/resenas_*.jsonl"),
    "parafrasis": ("Pares de frases en español (paráfrasis, esquema MRPC)", "nyu-mll/glue (mrpc)",
                   "Pares de frases de estilo periodístico; 1 = equivalentes (reformulación real), "
                   "0 = no equivalentes (mucho vocabulario común pero otro significado: cifras, fechas, "
                   "negación, quién hizo qué).", "datos_fuente/parafrasis.jsonl"),
    "tatoeba_es_pt": ("Frases paralelas español–portugués (esquema Tatoeba)", "Helsinki-NLP/tatoeba (lang1=es, lang2=pt)",
                      "Frases cotidianas en español con su traducción al portugués (ortografía de Brasil), "
                      "escritas para el curso. Como Tatoeba, sólo hay partición «train»: el curso separa "
                      "un 20 % de prueba con `train_test_split(test_size=0.2, seed=0)`.",
                      "datos_fuente/es_pt*.jsonl y datos_fuente/solo_entrenamiento/es_pt*.jsonl"),
    "ner": ("Entidades nombradas en español (esquema CoNLL-2002)", "eriktks/conll2002 (es)",
            "Frases de estilo periodístico anotadas a mano en línea (`[PER ...]`, `[ORG ...]`, "
            "`[LOC ...]`, `[MISC ...]`) y convertidas a etiquetas BIO. Mezcla entidades reales e "
            "inventadas. No incluye la columna `pos_tags` del CoNLL original.", "datos_fuente/ner.jsonl"),
    "qa": ("Preguntas y respuestas extractivas en español (esquema SQuAD)", "rajpurkar/squad",
           "Párrafos escritos para el curso con cuatro preguntas cada uno; cada respuesta es un "
           "fragmento literal del párrafo y `answer_start` su posición. Las particiones se hacen por "
           "párrafo: ningún contexto de validación aparece en entrenamiento.", "datos_fuente/qa.jsonl"),
    "resumenes": ("Párrafos con resumen y tema (esquema XL-Sum)", "csebuetnlp/xlsum (spanish)",
                  "Párrafos de doce temas con un resumen de una frase escrito aparte. El tema va en "
                  "`url` como `tema:<nombre>` (XL-Sum guarda ahí la URL de la noticia).",
                  "datos_fuente/corpus*.jsonl"),
    "corpus": ("Corpus de texto plano en español (esquema Wikipedia)", "wikimedia/wikipedia (20231101.es)",
               "Unión de los textos de las particiones de ENTRENAMIENTO de los demás datasets (nunca de "
               "validación ni de prueba), para entrenar el tokenizador y los modelos de lenguaje. "
               "`title` dice de qué dataset viene cada texto.", "(derivado de los anteriores)"),
}


def ficha(dataset: str, particiones: dict[str, list[dict]]) -> str:
    titulo, hub, como, fuente = FICHAS[dataset]
    extras = (f" Otros {EXTRAS[dataset]} ejemplos, escritos después de fijar las particiones de "
              f"evaluación, están en `datos_fuente/{SOLO_ENTRENAMIENTO}` y sólo entran en «train»: "
              f"la evaluación sigue usando los mismos ejemplos." if EXTRAS.get(dataset) else "")
    filas = "\n".join(f"| {n} | {len(f)} |" for n, f in particiones.items())
    palabras = sum(len(str(v).split()) for f in particiones.values() for fila in f for v in fila.values())
    return f"""# {titulo}

Sustituto local de `{hub}` para el modo sin red del curso: mismas columnas, tipos y nombres de
etiqueta (ver `cursonlp/datos.py`), textos en español.

## Origen
Texto original escrito para el Curso de NLP con 🤗 Transformers (con ayuda de un asistente de IA
y revisado por el equipo); ningún texto se copió de terceros. Fuente: `{fuente}`.

## Licencia
CC BY-SA 4.0.

## Cómo se generó
{como}
Las particiones las hace `scripts/preparar_datos.py` con la semilla {SEMILLA}, sin duplicados.{extras}

## Tamaño
{sum(len(f) for f in particiones.values())} ejemplos, unas {palabras} palabras.

## Particiones
| partición | ejemplos |
|---|---|
{filas}
"""


def escribir(dataset: str, particiones: dict[str, list[dict]]) -> None:
    carpeta = DESTINO / dataset
    carpeta.mkdir(parents=True, exist_ok=True)
    for viejo in carpeta.glob("*.jsonl"):
        viejo.unlink()
    for nombre, filas in particiones.items():
        with open(carpeta / f"{nombre}.jsonl", "w", encoding="utf-8") as f:
            for fila in filas:
                f.write(json.dumps(fila, ensure_ascii=False) + "\n")
    (carpeta / "README.md").write_text(ficha(dataset, particiones), encoding="utf-8")
    print(f"{dataset}: " + ", ".join(f"{n}={len(f)}" for n, f in particiones.items()))


def resenas() -> dict:
    def convertir(filas):
        ejemplos = []
        for r in sin_duplicados(filas, lambda r: limpiar(r["text"])):
            if r["label"] not in ("positivo", "negativo"):
                raise SystemExit(f"Etiqueta desconocida en reseñas: {r['label']!r}")
            ejemplos.append({"text": limpiar(r["text"]), "label": 1 if r["label"] == "positivo" else 0})
        return ejemplos

    partes = repartir(convertir(leer("resenas_*.jsonl")), {"train": 0.8, "test": 0.2},
                      estratos=lambda r: r["label"])
    return con_extras("resenas", partes, convertir(leer(SOLO_ENTRENAMIENTO + "resenas_*.jsonl")),
                      lambda r: r["text"])


def parafrasis() -> dict:
    filas = sin_duplicados(leer("parafrasis.jsonl"),
                           lambda r: limpiar(r["sentence1"]) + "|" + limpiar(r["sentence2"]))
    ejemplos = [{"sentence1": limpiar(r["sentence1"]), "sentence2": limpiar(r["sentence2"]),
                 "label": int(r["label"])} for r in filas]
    partes = repartir(ejemplos, {"train": 0.7, "validation": 0.1, "test": 0.2},
                      estratos=lambda r: r["label"])
    for filas_parte in partes.values():
        for i, fila in enumerate(filas_parte):
            fila["idx"] = i
    return partes


def tatoeba() -> dict:
    # Aquí la prueba la separa quien usa el dataset (``train_test_split``), así que los pares
    # añadidos más tarde van al mismo archivo que los demás.
    filas = sin_duplicados(leer("es_pt*.jsonl") + leer(SOLO_ENTRENAMIENTO + "es_pt*.jsonl"),
                           lambda r: limpiar(r["es"]))
    ejemplos = [{"id": str(i), "translation": {"es": limpiar(r["es"]), "pt": limpiar(r["pt"])}}
                for i, r in enumerate(filas)]
    return {"train": ejemplos}  # Tatoeba sólo trae «train»: el curso separa la prueba con una semilla.


_ENTIDAD = re.compile(r"\[(PER|ORG|LOC|MISC) ([^\[\]]+?)\]")


def _bio(texto: str) -> tuple[list[str], list[str]]:
    tokens, etiquetas, pos = [], [], 0
    for m in _ENTIDAD.finditer(texto):
        for t in texto[pos:m.start()].split():
            tokens.append(t)
            etiquetas.append("O")
        for k, t in enumerate(m.group(2).split()):
            tokens.append(t)
            etiquetas.append(("B-" if k == 0 else "I-") + m.group(1))
        pos = m.end()
    for t in texto[pos:].split():
        tokens.append(t)
        etiquetas.append("O")
    if any("[" in t or "]" in t for t in tokens):
        raise ValueError(f"Anotación mal formada: {texto}")
    return tokens, etiquetas


def ner() -> dict:
    filas = sin_duplicados(leer("ner.jsonl"), lambda r: limpiar(r["texto"]))
    ejemplos, malas = [], 0
    for r in filas:
        try:
            tokens, etiquetas = _bio(limpiar(r["texto"]))
        except ValueError:
            malas += 1
            continue
        ejemplos.append({"tokens": tokens, "ner_tags": etiquetas})
    if malas:
        print(f"ner: {malas} frases descartadas por anotación mal formada")
    partes = repartir(ejemplos, {"train": 0.7, "validation": 0.1, "test": 0.2})
    for filas_parte in partes.values():
        for i, fila in enumerate(filas_parte):
            fila["id"] = str(i)
    return partes


def qa() -> dict:
    contextos = sin_duplicados(leer("qa.jsonl"), lambda r: limpiar(r["context"]))
    partes = repartir(contextos, {"train": 0.8, "validation": 0.2})  # por contexto: sin fugas
    partes = con_extras("qa", partes, leer(SOLO_ENTRENAMIENTO + "qa*.jsonl"), lambda r: limpiar(r["context"]))
    salida, descartadas = {}, 0
    for nombre, grupo in partes.items():
        filas = []
        for c in grupo:
            contexto = limpiar(c["context"])
            for q in c["qas"]:
                respuesta = limpiar(q["answer"])
                inicio = contexto.find(respuesta)
                if not respuesta or inicio < 0:
                    descartadas += 1
                    continue
                filas.append({"id": f"{nombre}-{len(filas)}", "title": limpiar(c["title"]),
                              "context": contexto, "question": limpiar(q["question"]),
                              "answers": {"text": [respuesta], "answer_start": [inicio]}})
        salida[nombre] = filas
    if descartadas:
        print(f"qa: {descartadas} preguntas descartadas (respuesta que no está en el contexto)")
    return salida


def resumenes() -> dict:
    def convertir(filas):
        return [{"title": limpiar(r["titulo"]), "summary": limpiar(r["resumen"]),
                 "text": limpiar(r["texto"]), "url": "", "tema": r["tema"]}
                for r in sin_duplicados(filas, lambda r: limpiar(r["texto"]))]

    partes = repartir(convertir(leer("corpus*.jsonl")), {"train": 0.8, "validation": 0.1, "test": 0.1},
                      estratos=lambda r: r["tema"])
    partes = con_extras("resumenes", partes, convertir(leer(SOLO_ENTRENAMIENTO + "corpus*.jsonl")),
                        lambda r: r["text"])
    if desconocidos := {r["tema"] for filas in partes.values() for r in filas} - set(TEMAS):
        raise SystemExit(f"Temas desconocidos en los párrafos: {sorted(desconocidos)}")
    for nombre, grupo in partes.items():
        for i, fila in enumerate(grupo):
            fila["id"] = f"{nombre}-{i}"
            fila["url"] = f"tema:{fila.pop('tema')}"  # el tema viaja en la URL (ver ficha)
    return partes


def corpus(todos: dict) -> dict:
    """Texto plano para entrenar el tokenizador y los modelos de lenguaje: SÓLO particiones
    de entrenamiento (ninguna frase de validación o prueba entra en el preentrenamiento).
    Las reseñas quedan fuera: el clasificador de sentimiento las ve sólo al ajustarse."""
    textos = []
    textos += [("paráfrasis", r[k]) for r in todos["parafrasis"]["train"] for k in ("sentence1", "sentence2")]
    textos += [("ner", " ".join(r["tokens"])) for r in todos["ner"]["train"]]
    textos += [("qa", c) for c in dict.fromkeys(r["context"] for r in todos["qa"]["train"])]
    textos += [("resúmenes", r["text"]) for r in todos["resumenes"]["train"]]
    # es–pt: el 80 % que usan los modelos para entrenar (misma semilla que train_test_split).
    pares = todos["tatoeba_es_pt"]["train"]
    textos += [("tatoeba", p["translation"]["es"]) for p in pares_de_entrenamiento(pares)]
    textos = list(dict.fromkeys(textos))
    return {"train": [{"id": str(i), "url": "", "title": fuente, "text": texto}
                      for i, (fuente, texto) in enumerate(textos)]}


def pares_de_entrenamiento(pares: list[dict]) -> list[dict]:
    """El 80 % de entrenamiento de Tatoeba, igual que ``train_test_split(0.2, seed=0)``."""
    from datasets import Dataset

    ds = Dataset.from_list(pares).train_test_split(test_size=0.2, seed=SEMILLA)
    return list(ds["train"])


def main() -> None:
    todos = {"resenas": resenas(), "parafrasis": parafrasis(), "tatoeba_es_pt": tatoeba(),
             "ner": ner(), "qa": qa(), "resumenes": resumenes()}
    todos["corpus"] = corpus(todos)
    for nombre, partes in todos.items():
        escribir(nombre, partes)
    etiquetas = Counter(r["label"] for r in todos["resenas"]["train"] + todos["resenas"]["test"])
    print(f"reseñas por etiqueta: {dict(etiquetas)}")


if __name__ == "__main__":
    main()
