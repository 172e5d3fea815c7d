"""Los ejercicios calificables: cuaderno, parámetros que inyecta el calificador y rúbrica."""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from cursonlp import comprobaciones as comp

RAIZ = Path(__file__).resolve().parents[1]
FUENTES = RAIZ / "solutions"     # cuadernos con solución (fuente de nbgrader)
PUBLICADOS = RAIZ / "exercises"  # lo que reciben los alumnos (publicación de nbgrader)
MINILM = "sentence-transformers/all-MiniLM-L6-v2"


@dataclass(frozen=True)
class Ejercicio:
    nombre: str
    titulo: str
    comprobar: Callable[["Ejercicio", Path, dict, str], list[comp.Comprobacion]]
    parametros: dict = field(default_factory=dict)      # siempre (p. ej. otra frase)
    presupuesto_cpu: dict = field(default_factory=dict)  # sólo cuando se ejecuta en CPU
    usa_gpu: bool = False
    tiempo: int = 120                                     # segundos por entrega
    por_nucleo: int = 1   # entregas a la vez por núcleo de CPU (2 si el cuaderno apenas calcula)

    @property
    def cuaderno(self) -> str:
        return f"{self.nombre}.ipynb"

    @property
    def ruta_publicada(self) -> Path:
        return PUBLICADOS / self.nombre / self.cuaderno

    @property
    def ruta_fuente(self) -> Path:
        return FUENTES / self.nombre / self.cuaderno

    def celdas_nota(self) -> dict[str, float]:
        """``grade_id → puntos`` de las celdas calificadas del cuaderno publicado."""
        nb = json.loads(self.ruta_publicada.read_text(encoding="utf-8"))
        return {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"]["points"]
                for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")}

    def parametros_para(self, dispositivo: str, semilla: int = 0) -> dict:
        extra = self.presupuesto_cpu if dispositivo == "cpu" else {}
        return {"dispositivo": dispositivo, "semilla": semilla, **self.parametros, **extra}


@lru_cache(maxsize=8)
def clave_cuestionario(ruta_fuente: Path, grade_id: str = "respuestas") -> dict[int, object]:
    """La clave sale de la celda de solución del cuaderno fuente: una sola fuente de verdad,
    que nbgrader borra al publicar (la clave nunca llega al alumno)."""
    nb = json.loads(Path(ruta_fuente).read_text(encoding="utf-8"))
    celda = next(c for c in nb["cells"]
                 if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)
    codigo = "".join(celda["source"])
    for nodo in ast.parse(codigo).body:
        if isinstance(nodo, ast.Assign) and any(getattr(t, "id", None) == "respuestas"
                                                for t in nodo.targets):
            return {int(k): v for k, v in ast.literal_eval(nodo.value).items()}
    raise ValueError(f"{ruta_fuente}: la celda «{grade_id}» no asigna `respuestas`.")


def _cuestionario(ej, trabajo, parametros, dispositivo):
    clave = clave_cuestionario(ej.ruta_fuente)
    return comp.comprobar_cuestionario(trabajo / "artefactos", clave, "comprobar_respuestas")


UMBRALES_SENTIMIENTO = {0.60: 4.0, 0.66: 7.0, 0.70: 10.0}


def _ajuste_fino(ej, trabajo, parametros, dispositivo):
    carpeta = (trabajo / str(parametros["carpeta_modelo"])).resolve()
    if trabajo.resolve() not in carpeta.parents:
        return [comp.Comprobacion("comprobar_modelo", "modelo guardado", 0, 10,
                                  "La carpeta del modelo debe estar dentro del directorio de trabajo.")]
    return comp.comprobar_ajuste_fino(carpeta, UMBRALES_SENTIMIENTO, "comprobar_modelo",
                                      dispositivo)


def _atencion(ej, trabajo, parametros, dispositivo):
    p, artefactos = parametros, trabajo / "artefactos"
    return (comp.comprobar_mapa(artefactos, MINILM, p["frase"], p["capa"], p["cabeza"],
                                "comprobar_mapa")
            + comp.comprobar_rejilla(artefactos, MINILM, p["frase"], "comprobar_rejilla"))


EJERCICIOS = {e.nombre: e for e in [
    Ejercicio("cuestionario_cap1", "Cuestionario del capítulo 1", _cuestionario, tiempo=60,
              por_nucleo=2),
    Ejercicio("ajuste_fino_sentimiento", "Ajuste fino de un clasificador de sentimiento",
              _ajuste_fino, parametros={"epocas": 3, "max_ejemplos": None,
                                        "carpeta_modelo": "modelo_sentimiento"},
              presupuesto_cpu={"epocas": 1, "max_ejemplos": 4000}, usa_gpu=True, tiempo=900),
    Ejercicio("grafico_atencion", "Gráfico de atención", _atencion,
              parametros={"frase": "El perro que ladraba toda la noche despertó a los vecinos.",
                          "capa": 4, "cabeza": 9}, tiempo=180),
]}


def buscar(nombre: str) -> Ejercicio:
    if nombre not in EJERCICIOS:
        raise KeyError(f"No hay ningún ejercicio «{nombre}». Los ejercicios son: "
                       f"{', '.join(EJERCICIOS)}.")
    ejercicio = EJERCICIOS[nombre]
    for ruta in (ejercicio.ruta_publicada, ejercicio.ruta_fuente):
        if not ruta.is_file():
            raise KeyError(f"Falta «{ruta}». El calificador necesita una copia completa del "
                           "repositorio del curso (exercises/ y solutions/); si falta lo "
                           "publicado, ejecuta `make release`.")
    return ejercicio
