"""Los datasets locales: esquema igual al del hub, tamaños pedidos, etiquetas coherentes."""

import re
from collections import Counter

import pytest

import cursonlp
from cursonlp.datos import CARPETA_DATOS, DATASETS, ETIQUETAS_NER

ESPERADO = {  # dataset del hub → (particiones, columnas)
    ("stanfordnlp/imdb", None): ({"train", "test"}, ["text", "label"]),
    ("nyu-mll/glue", "mrpc"): ({"train", "validation", "test"}, ["sentence1", "sentence2", "label", "idx"]),
    ("Helsinki-NLP/tatoeba", None): ({"train"}, ["id", "translation"]),
    ("eriktks/conll2002", "es"): ({"train", "validation", "test"}, ["id", "tokens", "ner_tags"]),
    ("rajpurkar/squad", None): ({"train", "validation"}, ["id", "title", "context", "question", "answers"]),
    ("csebuetnlp/xlsum", "spanish"): ({"train", "validation", "test"}, ["id", "url", "title", "summary", "text"]),
    ("wikimedia/wikipedia", "20231101.es"): ({"train"}, ["id", "url", "title", "text"]),
}


@pytest.mark.parametrize("nombre,config", list(ESPERADO))
def test_particiones_y_columnas(nombre, config):
    ds = cursonlp.cargar_dataset(nombre, config)
    particiones, columnas = ESPERADO[(nombre, config)]
    assert set(ds) == particiones
    for parte in ds.values():
        assert parte.column_names == columnas
        assert len(parte) > 0


def test_todos_los_datasets_locales_estan_probados_y_tienen_ficha():
    carpetas = {v for v in DATASETS.values()}
    probadas = {DATASETS[k] for k in ESPERADO}
    assert carpetas == probadas
    for carpeta in carpetas:
        ficha = (CARPETA_DATOS / carpeta / "README.md").read_text(encoding="utf-8")
        for seccion in ("Origen", "Licencia", "Cómo se generó", "Tamaño", "Particiones"):
            assert seccion in ficha, f"La ficha de {carpeta} no tiene la sección {seccion}"


def test_resenas_equilibradas_y_suficientes():
    ds = cursonlp.cargar_dataset("stanfordnlp/imdb")
    assert ds["train"].features["label"].names == ["neg", "pos"]
    etiquetas = list(ds["train"]["label"]) + list(ds["test"]["label"])
    assert len(etiquetas) >= 2000
    cuenta = Counter(etiquetas)
    assert abs(cuenta[0] - cuenta[1]) <= 0.02 * len(etiquetas)


def test_resenas_sin_fugas_entre_entrenamiento_y_prueba():
    ds = cursonlp.cargar_dataset("imdb")
    normal = lambda t: re.sub(r"\W+", " ", t.lower()).strip()  # noqa: E731
    assert not {normal(t) for t in ds["train"]["text"]} & {normal(t) for t in ds["test"]["text"]}


def test_parafrasis_con_etiquetas_de_mrpc():
    ds = cursonlp.cargar_dataset("glue", "mrpc")
    assert ds["train"].features["label"].names == ["not_equivalent", "equivalent"]
    assert set(ds["train"]["label"]) == {0, 1}
    assert list(ds["validation"]["idx"]) == list(range(len(ds["validation"])))


def test_tatoeba_es_pt():
    ds = cursonlp.cargar_dataset("Helsinki-NLP/tatoeba", lang1="es", lang2="pt", split="train")
    assert len(ds) >= 1000
    assert ds.features["translation"].languages == ["es", "pt"]
    par = ds[0]["translation"]
    assert par["es"] and par["pt"] and par["es"] != par["pt"]


def test_ner_bio_valido():
    ds = cursonlp.cargar_dataset("conll2002", "es")
    assert ds["train"].features["ner_tags"].feature.names == ETIQUETAS_NER
    tipos = Counter()
    for parte in ds.values():
        for fila in parte:
            assert len(fila["tokens"]) == len(fila["ner_tags"])
            etiquetas = [ETIQUETAS_NER[i] for i in fila["ner_tags"]]
            for previa, actual in zip(["O"] + etiquetas, etiquetas):
                if actual.startswith("I-"):  # una I- sigue a su B- o I- del mismo tipo
                    assert previa[2:] == actual[2:], fila
                if actual.startswith("B-"):
                    tipos[actual[2:]] += 1
    assert set(tipos) == {"PER", "ORG", "LOC", "MISC"}


def test_qa_respuestas_en_su_posicion():
    ds = cursonlp.cargar_dataset("rajpurkar/squad")
    for parte in ds.values():
        for fila in parte:
            texto, inicio = fila["answers"]["text"][0], fila["answers"]["answer_start"][0]
            assert fila["context"][inicio:inicio + len(texto)] == texto
    contextos_entreno = set(ds["train"]["context"])
    assert not contextos_entreno & set(ds["validation"]["context"])


def test_corpus_solo_con_textos_de_entrenamiento():
    corpus = set(cursonlp.cargar_dataset("wikimedia/wikipedia", "20231101.es", split="train")["text"])
    prueba = list(cursonlp.cargar_dataset("imdb", split="test")["text"])
    prueba += list(cursonlp.cargar_dataset("csebuetnlp/xlsum", "spanish", split="test")["text"])
    assert not corpus & set(prueba)
    assert sum(len(t.split()) for t in corpus) > 100_000


def test_particion_inexistente_da_error_claro():
    with pytest.raises(ValueError, match="no existe; hay: test, train"):
        cursonlp.cargar_dataset("imdb", split="validation")
