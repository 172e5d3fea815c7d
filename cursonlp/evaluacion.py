"""Evaluación de modelos en datos que no vieron al entrenar.

Un único sitio para medir: lo usan el guion que entrena los modelos locales (para escribir el
manifiesto), las pruebas (para reproducir el manifiesto) y el calificador de ejercicios.
Cada función recibe la ruta (o el id) de un modelo y devuelve un diccionario de cifras.
"""

from __future__ import annotations

import math

import torch

TEMAS = ["ciencia", "tecnología", "deportes", "economía", "política", "cultura", "salud",
         "naturaleza", "viajes", "cocina", "historia", "educación"]
PLANTILLA_TEMA = "Este texto trata de {}."
PREFIJO_TRADUCCION = "traducir español a portugués: "
SEMILLA_PARTICION = 0


def _prueba(nombre, config=None, split="test"):
    from .datos import cargar_dataset
    return cargar_dataset(nombre, config, split=split)


def pares_es_pt():
    """Tatoeba es–pt con la partición de prueba del curso: ``train_test_split(0.2, seed=0)``."""
    from .datos import cargar_dataset
    ds = cargar_dataset("Helsinki-NLP/tatoeba", lang1="es", lang2="pt", split="train")
    return ds.train_test_split(test_size=0.2, seed=SEMILLA_PARTICION)


def exactitud_sentimiento(ruta, lote: int = 64, dispositivo: str = "cpu", prueba=None) -> dict:
    """Exactitud de un clasificador de sentimiento en las reseñas de prueba (o en ``prueba``).

    Vale también para el modelo que guarda un alumno: de una carpeta sólo lee safetensors (sin
    código remoto), exige dos etiquetas y, si el modelo las nombró, respeta su orden (si no,
    0 = negativa y 1 = positiva).
    """
    from pathlib import Path

    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from .metricas import cargar_metrica

    prueba = _prueba("stanfordnlp/imdb") if prueba is None else prueba
    tokenizer = AutoTokenizer.from_pretrained(ruta, trust_remote_code=False)
    modelo = AutoModelForSequenceClassification.from_pretrained(
        ruta, trust_remote_code=False, use_safetensors=True if Path(ruta).is_dir() else None,
    ).to(dispositivo).eval()
    if modelo.config.num_labels != 2:
        raise ValueError(f"el modelo tiene {modelo.config.num_labels} etiquetas y se esperaban 2 "
                         "(negativa, positiva)")
    nombres = {int(i): str(n).lower() for i, n in modelo.config.id2label.items()}
    positiva = next((i for i, n in nombres.items() if n in ("pos", "positive", "positivo")), 1)
    textos, predicciones = list(prueba["text"]), []
    for i in range(0, len(textos), lote):
        entrada = tokenizer(textos[i:i + lote], truncation=True, max_length=128, padding=True,
                            return_tensors="pt").to(dispositivo)
        with torch.no_grad():
            predicciones += (modelo(**entrada).logits.argmax(-1) == positiva).long().tolist()
    acc = cargar_metrica("accuracy").compute(predictions=predicciones, references=list(prueba["label"]))
    return {"accuracy": round(acc["accuracy"], 4), "n": len(textos)}


def f1_entidades(ruta) -> dict:
    """F1 de entidades completas (seqeval) en las frases NER de prueba."""
    from transformers import AutoModelForTokenClassification, AutoTokenizer
    from .datos import ETIQUETAS_NER
    from .metricas import cargar_metrica

    prueba = _prueba("eriktks/conll2002", "es")
    tokenizer = AutoTokenizer.from_pretrained(ruta)
    modelo = AutoModelForTokenClassification.from_pretrained(ruta).eval()
    predicciones, referencias = [], []
    for fila in prueba:
        entrada = tokenizer(fila["tokens"], is_split_into_words=True, truncation=True,
                            max_length=128, return_tensors="pt")
        with torch.no_grad():
            ids = modelo(**entrada).logits[0].argmax(-1).tolist()
        por_palabra, previa = {}, None
        for posicion, palabra in enumerate(entrada.word_ids(0)):
            if palabra is not None and palabra != previa:
                por_palabra[palabra] = modelo.config.id2label[ids[posicion]]
            previa = palabra
        predicciones.append([por_palabra.get(i, "O") for i in range(len(fila["tokens"]))])
        referencias.append([ETIQUETAS_NER[t] for t in fila["ner_tags"]])
    r = cargar_metrica("seqeval").compute(predictions=predicciones, references=referencias)
    return {"f1": round(r["overall_f1"], 4), "precision": round(r["overall_precision"], 4),
            "recall": round(r["overall_recall"], 4), "n": len(prueba)}


def f1_preguntas(ruta) -> dict:
    """Exact match y F1 (SQuAD) en las preguntas de validación, y los de una línea base
    que responde con las tres primeras palabras del contexto."""
    from transformers import AutoModelForQuestionAnswering, AutoTokenizer
    from .metricas import cargar_metrica
    from .tareas import responder_pregunta

    prueba = _prueba("rajpurkar/squad", split="validation")
    tokenizer = AutoTokenizer.from_pretrained(ruta)
    modelo = AutoModelForQuestionAnswering.from_pretrained(ruta).eval()
    preds, base, refs = [], [], []
    for fila in prueba:
        r = responder_pregunta(modelo, tokenizer, fila["question"], fila["context"])
        preds.append({"id": fila["id"], "prediction_text": r["answer"]})
        base.append({"id": fila["id"], "prediction_text": " ".join(fila["context"].split()[:3])})
        refs.append({"id": fila["id"], "answers": fila["answers"]})
    squad = cargar_metrica("squad")
    m, b = squad.compute(predictions=preds, references=refs), squad.compute(predictions=base, references=refs)
    return {"f1": round(m["f1"], 2), "exact_match": round(m["exact_match"], 2),
            "f1_linea_base": round(b["f1"], 2), "n": len(prueba)}


def exactitud_zero_shot(ruta) -> dict:
    """Exactitud de la clasificación *zero-shot* del tema de los párrafos de prueba."""
    from transformers import pipeline

    prueba = _prueba("csebuetnlp/xlsum", "spanish")
    clasificador = pipeline("zero-shot-classification", model=ruta, device=-1)
    aciertos = 0
    for fila in prueba:
        r = clasificador(fila["text"], candidate_labels=TEMAS, hypothesis_template=PLANTILLA_TEMA)
        aciertos += r["labels"][0] == fila["url"].removeprefix("tema:")
    return {"accuracy": round(aciertos / len(prueba), 4), "azar": round(1 / len(TEMAS), 4),
            "n": len(prueba)}


def chrf_traduccion(ruta, lote: int = 32) -> dict:
    """chrF y BLEU es→pt en el 20 % de prueba de Tatoeba, y el chrF de copiar la frase."""
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    from .metricas import cargar_metrica
    from .tareas import generar_texto_seq2seq

    prueba = pares_es_pt()["test"]["translation"]
    tokenizer = AutoTokenizer.from_pretrained(ruta)
    modelo = AutoModelForSeq2SeqLM.from_pretrained(ruta).eval()
    fuentes, refs = [p["es"] for p in prueba], [[p["pt"]] for p in prueba]
    hipotesis = []
    for i in range(0, len(fuentes), lote):
        hipotesis += generar_texto_seq2seq(modelo, tokenizer, fuentes[i:i + lote], prefijo=PREFIJO_TRADUCCION)
    chrf = cargar_metrica("chrf")
    return {"chrf": round(chrf.compute(predictions=hipotesis, references=refs)["score"], 2),
            "sacrebleu": round(cargar_metrica("sacrebleu").compute(predictions=hipotesis, references=refs)["score"], 2),
            "chrf_copiar": round(chrf.compute(predictions=fuentes, references=refs)["score"], 2),
            "n": len(fuentes)}


def textos_de_prueba() -> list[str]:
    """Reseñas y párrafos de prueba: texto natural que ningún modelo local vio."""
    return (list(_prueba("stanfordnlp/imdb")["text"])
            + list(_prueba("csebuetnlp/xlsum", "spanish")["text"]))


def perplejidad_causal(ruta) -> dict:
    """Perplejidad de un modelo causal sobre los textos de prueba."""
    from .metricas import cargar_metrica

    r = cargar_metrica("perplexity").compute(predictions=textos_de_prueba(), model_id=str(ruta))
    return {"perplejidad": round(r["corpus_perplexity"], 2)}


def perplejidad_enmascarada(ruta, proporcion: float = 0.15, semilla: int = 1) -> dict:
    """exp(pérdida) de un modelo enmascarado al recuperar un 15 % de tokens tapados al azar
    (con semilla fija) en los textos de prueba."""
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(ruta)
    modelo = AutoModelForMaskedLM.from_pretrained(ruta).eval()
    generador = torch.Generator().manual_seed(semilla)
    suma, n = 0.0, 0
    for texto in textos_de_prueba():
        ids = tokenizer(texto, truncation=True, max_length=128, return_tensors="pt")["input_ids"]
        especiales = torch.tensor(tokenizer.get_special_tokens_mask(ids[0].tolist(),
                                                                    already_has_special_tokens=True)).bool()
        tapar = (torch.rand(ids.shape[1], generator=generador) < proporcion) & ~especiales
        if not tapar.any():
            continue
        etiquetas = torch.full_like(ids, -100)
        etiquetas[0, tapar] = ids[0, tapar]
        entrada = ids.clone()
        entrada[0, tapar] = tokenizer.mask_token_id
        with torch.no_grad():
            perdida = modelo(input_ids=entrada, labels=etiquetas).loss.item()
        suma += perdida * int(tapar.sum())
        n += int(tapar.sum())
    return {"perplejidad": round(math.exp(suma / n), 2), "tokens_tapados": n}


# Cómo se mide cada modelo local: función, cifra que va al manifiesto y datos de la medida.
MEDIDAS = {
    "bert-es-mini": (perplejidad_enmascarada, "perplejidad",
                     "15 % de tokens tapados en reseñas y párrafos de prueba (sin ver)"),
    "bert-es-mini-sentimiento": (exactitud_sentimiento, "accuracy",
                                 "reseñas de prueba (equilibradas, sin ver)"),
    "bert-es-mini-ner": (f1_entidades, "f1",
                         "frases NER de prueba (sin ver); línea base «todo O»: F1 0"),
    "bert-es-mini-qa": (f1_preguntas, "f1", "preguntas de validación (contextos sin ver)"),
    "bert-es-mini-nli": (exactitud_zero_shot, "accuracy",
                         "tema de párrafos de prueba entre 12 candidatos (zero-shot, sin ver)"),
    "gpt2-es-mini": (perplejidad_causal, "perplejidad",
                     "reseñas y párrafos de prueba (sin ver)"),
    "t5-es-mini": (chrf_traduccion, "chrf", "20 % de prueba de Tatoeba es–pt (sin ver)"),
}
