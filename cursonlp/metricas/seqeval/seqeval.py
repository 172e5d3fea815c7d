"""Métricas de entidades (estilo seqeval): precisión, exhaustividad y F1 por entidad completa
en etiquetas BIO, más la exactitud por token."""

import datasets
import evaluate


def entidades(etiquetas):
    """Conjunto de (tipo, inicio, fin) a partir de una secuencia BIO."""
    salida, tipo, inicio = [], None, None
    for i, etiqueta in enumerate(list(etiquetas) + ["O"]):
        prefijo, _, clase = etiqueta.partition("-")
        termina = tipo is not None and (prefijo in ("O", "B") or clase != tipo)
        if termina:
            salida.append((tipo, inicio, i))
            tipo = None
        if prefijo == "B" or (prefijo == "I" and tipo is None):
            tipo, inicio = clase, i
    return set(salida)


def _prf(vp, n_pred, n_ref):
    p = vp / n_pred if n_pred else 0.0
    r = vp / n_ref if n_ref else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


class Seqeval(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description="P/R/F1 de entidades completas (BIO) y exactitud por token.", citation="",
            inputs_description="predictions, references: listas de listas de etiquetas BIO",
            features=datasets.Features({
                "predictions": datasets.Sequence(datasets.Value("string")),
                "references": datasets.Sequence(datasets.Value("string"))}),
        )

    def _compute(self, predictions, references):
        por_tipo, vp_total, pred_total, ref_total = {}, 0, 0, 0
        aciertos = total = 0
        for pred, ref in zip(predictions, references):
            if len(pred) != len(ref):
                raise ValueError("Cada predicción debe tener tantas etiquetas como su referencia.")
            aciertos += sum(p == r for p, r in zip(pred, ref))
            total += len(ref)
            ep, er = entidades(pred), entidades(ref)
            for tipo in {e[0] for e in ep | er}:
                d = por_tipo.setdefault(tipo, [0, 0, 0])
                d[0] += len({e for e in ep if e[0] == tipo} & er)
                d[1] += sum(1 for e in ep if e[0] == tipo)
                d[2] += sum(1 for e in er if e[0] == tipo)
            vp_total += len(ep & er)
            pred_total += len(ep)
            ref_total += len(er)
        resultado = {}
        for tipo, (vp, np_, nr) in sorted(por_tipo.items()):
            p, r, f = _prf(vp, np_, nr)
            resultado[tipo] = {"precision": p, "recall": r, "f1": f, "number": nr}
        p, r, f = _prf(vp_total, pred_total, ref_total)
        resultado.update({"overall_precision": p, "overall_recall": r, "overall_f1": f,
                          "overall_accuracy": aciertos / total if total else 0.0})
        return resultado
