"""El gráfico de atención y el ajuste fino, calificados con núcleos de verdad y el presupuesto
de CPU: la solución saca la nota máxima; el cuaderno en blanco, 0; los errores típicos, su
nota parcial."""

from __future__ import annotations

import pytest

from autograde.calificar import Calificador, Opciones
from autograde.ejercicios import EJERCICIOS
from entregas import con_codigo, entregar, publicado, solucion

ATENCION = EJERCICIOS["grafico_atencion"]
AJUSTE = EJERCICIOS["ajuste_fino_sentimiento"]


def _calificar(ejercicio, curso, clase, **opciones):
    for alumno, contenido in clase.items():
        entregar(curso, alumno, ejercicio.nombre, contenido)
    calificador = Calificador(ejercicio, curso, Opciones(progreso=False, **opciones))
    return {r["alumno"]: r for r in calificador.calificar()}


def _puntos(r):
    return {c["nombre"]: c["puntos"] for c in r["comprobaciones"]}


@pytest.fixture(scope="module")
def atencion(tmp_path_factory):
    sol = solucion("grafico_atencion")
    clase = {
        "solucion": sol,
        "en_blanco": publicado("grafico_atencion"),
        # Índices cambiados: dibuja la cabeza «capa» de la capa «cabeza».
        "indices_al_reves": con_codigo("grafico_atencion", {
            "mapa": "ax = cursonlp.mapa_atencion(atenciones[cabeza % 6][0, capa], tokens, "
                    "titulo='mapa')\nfig_mapa = ax.figure"}, base=sol),
        # Sin etiquetas ni título, y la rejilla sólo con la primera capa.
        "sin_etiquetas": con_codigo("grafico_atencion", {
            "mapa": "fig_mapa, ax = plt.subplots()\nax.imshow(atenciones[capa][0, cabeza])",
            "rejilla": "fig_rejilla = cursonlp.rejilla_atencion(atenciones[:1], tokens)"}, base=sol),
        # Parchea la comprobación dentro del núcleo y dibuja ceros: no le sirve de nada.
        "trampa": con_codigo("grafico_atencion", {
            "mapa": "import numpy as np, cursonlp.comprobaciones as c\n"
                    "c.atenciones_reales = lambda *a: (tokens, [[np.zeros((len(tokens),) * 2)] * 12] * 6)\n"
                    "ax = cursonlp.mapa_atencion(np.zeros((len(tokens),) * 2), tokens, titulo='x')\n"
                    "fig_mapa = ax.figure"}, base=sol),
    }
    return _calificar(ATENCION, tmp_path_factory.mktemp("atencion"), clase, trabajos=2)


def test_atencion_solucion_con_otra_frase(atencion):
    r = atencion["solucion"]
    assert (r["estado"], r["puntos"]) == ("calificado", 10), r
    # El calificador inyectó otra frase, otra capa y otra cabeza que las del cuaderno.
    assert ATENCION.parametros["frase"] not in str(publicado("grafico_atencion"))


def test_atencion_en_blanco(atencion):
    assert (atencion["en_blanco"]["estado"], atencion["en_blanco"]["puntos"]) == ("incompleto", 0)


def test_atencion_indices_al_reves(atencion):
    r = atencion["indices_al_reves"]
    assert _puntos(r) == {"pesos": 0, "etiquetas": 2, "título": 1, "rejilla": 4}
    assert "revisa los índices" in r["comprobaciones"][0]["mensaje"]


def test_atencion_sin_etiquetas(atencion):
    assert _puntos(atencion["sin_etiquetas"]) == {"pesos": 3, "etiquetas": 0, "título": 0,
                                                  "rejilla": 0}


def test_atencion_trampa(atencion):
    assert _puntos(atencion["trampa"])["pesos"] == 0
    assert atencion["trampa"]["puntos"] == 7


@pytest.fixture(scope="module")
def ajuste(tmp_path_factory):
    clase = {
        "solucion": solucion("ajuste_fino_sentimiento"),
        # Guarda el modelo sin entrenarlo: la cabeza de clasificación es aleatoria.
        "sin_entrenar": con_codigo("ajuste_fino_sentimiento", {
            "tokenizar": "tokenizer = AutoTokenizer.from_pretrained(checkpoint)\ndatos = particion",
            "entrenar": "modelo = AutoModelForSequenceClassification.from_pretrained(checkpoint, "
                        "num_labels=2)\nmodelo.save_pretrained(carpeta_modelo)\n"
                        "tokenizer.save_pretrained(carpeta_modelo)\nexactitud_validacion = 0.5"}),
        "en_blanco": publicado("ajuste_fino_sentimiento"),
    }
    return _calificar(AJUSTE, tmp_path_factory.mktemp("ajuste"), clase, trabajos=2)


def test_ajuste_fino_solucion_nota_maxima_en_cpu(ajuste):
    r = ajuste["solucion"]
    assert (r["estado"], r["puntos"]) == ("calificado", 10), r["comprobaciones"]


def test_ajuste_fino_sin_entrenar_no_aprueba(ajuste):
    r = ajuste["sin_entrenar"]
    assert r["estado"] == "calificado" and r["puntos"] == 0, r["comprobaciones"]
    assert "Exactitud" in r["comprobaciones"][0]["mensaje"]


def test_ajuste_fino_en_blanco(ajuste):
    assert (ajuste["en_blanco"]["estado"], ajuste["en_blanco"]["puntos"]) == ("incompleto", 0)
