"""BLEU de sacreBLEU (0–100), con la misma entrada que la métrica del hub."""

import datasets
import evaluate
import sacrebleu as scb


class Sacrebleu(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description="BLEU calculado por sacreBLEU, comparable entre artículos.",
            citation="Post, 2018. A Call for Clarity in Reporting BLEU Scores.",
            inputs_description="predictions: lista de cadenas; references: lista de listas de cadenas",
            features=datasets.Features({"predictions": datasets.Value("string"),
                                        "references": datasets.Sequence(datasets.Value("string"))}),
        )

    def _compute(self, predictions, references, tokenize="13a", lowercase=False):
        n = len(references[0])
        if any(len(r) != n for r in references):
            raise ValueError("Todas las predicciones deben tener el mismo número de referencias.")
        transpuestas = [[r[i] for r in references] for i in range(n)]
        bleu = scb.corpus_bleu(predictions, transpuestas, tokenize=tokenize, lowercase=lowercase)
        return {"score": bleu.score, "counts": bleu.counts, "totals": bleu.totals,
                "precisions": bleu.precisions, "bp": bleu.bp,
                "sys_len": bleu.sys_len, "ref_len": bleu.ref_len}
