"""chrF (y chrF++ con word_order=2) de sacreBLEU: F-score de n-gramas de caracteres."""

import datasets
import evaluate
import sacrebleu as scb


class Chrf(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description="chrF: F-score de n-gramas de caracteres (0–100).",
            citation="Popović, 2015. chrF: character n-gram F-score for automatic MT evaluation.",
            inputs_description="predictions: lista de cadenas; references: lista de listas de cadenas",
            features=datasets.Features({"predictions": datasets.Value("string"),
                                        "references": datasets.Sequence(datasets.Value("string"))}),
        )

    def _compute(self, predictions, references, char_order=6, word_order=0, beta=2):
        n = len(references[0])
        transpuestas = [[r[i] for r in references] for i in range(n)]
        chrf = scb.CHRF(char_order=char_order, word_order=word_order, beta=beta)
        res = chrf.corpus_score(predictions, transpuestas)
        return {"score": res.score, "char_order": char_order, "word_order": word_order, "beta": beta}
