"""Exactitud (accuracy): proporción de predicciones iguales a la referencia."""

import datasets
import evaluate

_DESCRIPCION = "Proporción de predicciones correctas: aciertos / total."


class Accuracy(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPCION, citation="", inputs_description="predictions, references: enteros",
            features=datasets.Features({"predictions": datasets.Value("int64"),
                                        "references": datasets.Value("int64")}),
        )

    def _compute(self, predictions, references, normalize=True, sample_weight=None):
        if len(predictions) == 0:
            raise ValueError("No hay predicciones que evaluar.")
        pesos = sample_weight or [1.0] * len(predictions)
        aciertos = sum(w for p, r, w in zip(predictions, references, pesos) if p == r)
        return {"accuracy": float(aciertos / sum(pesos) if normalize else aciertos)}
