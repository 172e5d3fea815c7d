"""Exact match y F1 de SQuAD (0–100), con normalización para español e inglés."""

import re
import string
import unicodedata
from collections import Counter

import datasets
import evaluate

_ARTICULOS = r"\b(el|la|los|las|lo|un|una|unos|unas|a|an|the)\b"
_PUNTUACION = set(string.punctuation) | set("¿¡«»“”‘’—–")


def normalizar(texto: str) -> str:
    texto = unicodedata.normalize("NFC", texto.lower())
    texto = "".join(c for c in texto if c not in _PUNTUACION)
    texto = re.sub(_ARTICULOS, " ", texto)
    return " ".join(texto.split())


def f1_tokens(prediccion: str, referencia: str) -> float:
    p, r = normalizar(prediccion).split(), normalizar(referencia).split()
    comunes = sum((Counter(p) & Counter(r)).values())
    if not p or not r:
        return float(p == r)
    if comunes == 0:
        return 0.0
    precision, exhaustividad = comunes / len(p), comunes / len(r)
    return 2 * precision * exhaustividad / (precision + exhaustividad)


class Squad(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description="Exact match y F1 por tokens entre la respuesta y la mejor referencia.",
            citation="Rajpurkar et al., 2016. SQuAD.",
            inputs_description="predictions: [{id, prediction_text}]; references: [{id, answers: {text, answer_start}}]",
            features=datasets.Features({
                "predictions": {"id": datasets.Value("string"), "prediction_text": datasets.Value("string")},
                "references": {"id": datasets.Value("string"),
                               "answers": datasets.Sequence({"text": datasets.Value("string"),
                                                             "answer_start": datasets.Value("int32")})},
            }),
        )

    def _compute(self, predictions, references):
        por_id = {p["id"]: p["prediction_text"] for p in predictions}
        em = f1 = 0.0
        for ref in references:
            pred = por_id.get(ref["id"], "")
            textos = ref["answers"]["text"] or [""]
            em += max(float(normalizar(pred) == normalizar(t)) for t in textos)
            f1 += max(f1_tokens(pred, t) for t in textos)
        n = max(1, len(references))
        return {"exact_match": 100.0 * em / n, "f1": 100.0 * f1 / n}
