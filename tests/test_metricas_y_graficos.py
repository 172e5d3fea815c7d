"""Métricas locales frente a cálculos independientes; gráficos y tareas del módulo."""

import matplotlib
import numpy as np
import pytest
import sacrebleu
import torch
from sklearn.metrics import accuracy_score, f1_score

import cursonlp

matplotlib.use("Agg")
rng = np.random.default_rng(0)
PRED, REF = rng.integers(0, 3, 200).tolist(), rng.integers(0, 3, 200).tolist()


def test_metricas_disponibles():
    assert {"accuracy", "f1", "sacrebleu", "chrf", "seqeval", "squad", "perplexity"} <= set(
        cursonlp.metricas_disponibles())
    with pytest.raises(LookupError, match="no está en el curso"):
        cursonlp.cargar_metrica("rouge-inventada")


def test_accuracy_y_f1_como_scikit_learn():
    assert cursonlp.cargar_metrica("accuracy").compute(predictions=PRED, references=REF)["accuracy"] == \
        pytest.approx(accuracy_score(REF, PRED))
    f1 = cursonlp.cargar_metrica("f1")
    for media in ("macro", "micro", "weighted"):
        assert f1.compute(predictions=PRED, references=REF, average=media)["f1"] == \
            pytest.approx(f1_score(REF, PRED, average=media))
    binarios = [p % 2 for p in PRED], [r % 2 for r in REF]
    assert f1.compute(predictions=binarios[0], references=binarios[1])["f1"] == \
        pytest.approx(f1_score(binarios[1], binarios[0]))


def test_sacrebleu_y_chrf_como_sacrebleu():
    hip = ["o gato está no tapete", "eu gosto de café pela manhã"]
    ref = [["o gato estava no tapete"], ["gosto de café de manhã"]]
    bleu = cursonlp.cargar_metrica("sacrebleu").compute(predictions=hip, references=ref)
    assert bleu["score"] == pytest.approx(sacrebleu.corpus_bleu(hip, [[r[0] for r in ref]]).score)
    chrf = cursonlp.cargar_metrica("chrf").compute(predictions=hip, references=ref)
    assert chrf["score"] == pytest.approx(sacrebleu.corpus_chrf(hip, [[r[0] for r in ref]]).score)


def test_seqeval_cuenta_entidades_completas():
    ref = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O"]]
    pred = [["B-PER", "O", "O", "B-LOC"], ["B-ORG", "O"]]  # «PER» cortada: no cuenta
    r = cursonlp.cargar_metrica("seqeval").compute(predictions=pred, references=ref)
    assert r["overall_precision"] == pytest.approx(2 / 3)
    assert r["overall_recall"] == pytest.approx(2 / 3)
    assert r["PER"]["f1"] == 0 and r["LOC"]["f1"] == 1
    assert r["overall_accuracy"] == pytest.approx(5 / 6)


def test_squad_normaliza_articulos_y_puntuacion():
    refs = [{"id": "1", "answers": {"text": ["el Río de la Plata"], "answer_start": [0]}},
            {"id": "2", "answers": {"text": ["1985"], "answer_start": [0]}}]
    preds = [{"id": "1", "prediction_text": "Río de la Plata."}, {"id": "2", "prediction_text": "en 1985"}]
    r = cursonlp.cargar_metrica("squad").compute(predictions=preds, references=refs)
    assert r["exact_match"] == 50.0
    assert r["f1"] == pytest.approx(100 * (1 + 2 / 3) / 2)


def test_mapa_atencion_etiqueta_los_tokens():
    tokens = ["[CLS]", "hola", "mundo", "[SEP]"]
    pesos = torch.softmax(torch.randn(4, 4), -1)
    ax = cursonlp.mapa_atencion(pesos, tokens, titulo="capa 0, cabeza 0")
    assert [t.get_text() for t in ax.get_xticklabels()] == tokens
    assert [t.get_text() for t in ax.get_yticklabels()] == tokens
    assert np.allclose(ax.images[0].get_array(), pesos.numpy())
    with pytest.raises(ValueError, match="una fila y una columna por token"):
        cursonlp.mapa_atencion(torch.ones(3, 3), tokens)


def test_rejilla_atencion_capas_por_cabezas():
    atenciones = tuple(torch.softmax(torch.randn(1, 3, 5, 5), -1) for _ in range(2))
    fig = cursonlp.rejilla_atencion(atenciones, list("abcde"))
    assert len(fig.axes) == 6
    with pytest.raises(ValueError, match="eager"):
        cursonlp.rejilla_atencion((None,), list("abcde"))


def test_curvas_de_entrenamiento():
    historial = [{"step": 10, "loss": 0.9}, {"step": 20, "loss": 0.7}, {"step": 20, "eval_loss": 0.8}]
    ax = cursonlp.curvas_entrenamiento(historial)
    assert [list(l.get_ydata()) for l in ax.get_lines()] == [[0.9, 0.7], [0.8]]
    with pytest.raises(ValueError):
        cursonlp.curvas_entrenamiento([{"epoch": 1}])
