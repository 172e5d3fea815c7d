"""F1: media armónica de precisión y exhaustividad (binaria, macro, micro o ponderada)."""

import datasets
import evaluate


def _f1_de_clase(predictions, references, clase):
    vp = sum(1 for p, r in zip(predictions, references) if p == clase and r == clase)
    fp = sum(1 for p, r in zip(predictions, references) if p == clase and r != clase)
    fn = sum(1 for p, r in zip(predictions, references) if p != clase and r == clase)
    return (2 * vp / (2 * vp + fp + fn)) if vp else 0.0, vp, fp, fn


class F1(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description="F1 = 2·P·R / (P + R).", citation="",
            inputs_description="predictions, references: enteros; average: binary|macro|micro|weighted",
            features=datasets.Features({"predictions": datasets.Value("int64"),
                                        "references": datasets.Value("int64")}),
        )

    def _compute(self, predictions, references, average="binary", pos_label=1):
        if average == "binary":
            return {"f1": float(_f1_de_clase(predictions, references, pos_label)[0])}
        clases = sorted(set(references) | set(predictions))
        if average == "micro":
            vp = fp = fn = 0
            for c in clases:
                _, a, b, d = _f1_de_clase(predictions, references, c)
                vp, fp, fn = vp + a, fp + b, fn + d
            return {"f1": float(2 * vp / (2 * vp + fp + fn)) if vp else 0.0}
        f1s = {c: _f1_de_clase(predictions, references, c)[0] for c in clases}
        if average == "macro":
            return {"f1": float(sum(f1s.values()) / len(f1s))}
        if average == "weighted":
            soporte = {c: sum(1 for r in references if r == c) for c in clases}
            return {"f1": float(sum(f1s[c] * soporte[c] for c in clases) / len(references))}
        raise ValueError(f"average={average!r} no válido: binary, macro, micro o weighted.")
