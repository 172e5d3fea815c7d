"""Mide el calificador: 50 entregas del cuestionario con el nuestro y con `nbgrader autograde`,
en la misma ejecución, y el ajuste fino en CPU (y en GPU si la hay).

Imprime: tiempo de cada uno, la razón de rendimiento, y la sobrecarga por entrega más allá de
ejecutar el cuaderno (calificando de uno en uno). Objetivos: ≥ 5× nbgrader, ≤ 3 s de
sobrecarga. Uso: ``python bench/bench_calificador.py [--entregas N] [--sin-ajuste]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(RAIZ), str(RAIZ / "tests")]
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("CURSONLP_MODO", "local")

from autograde.calificar import Calificador, Opciones, gpus_disponibles  # noqa: E402
from autograde.ejercicios import EJERCICIOS  # noqa: E402
from autograde.libro_notas import LibroNotas  # noqa: E402
from entregas import cuestionario, entregar, respuestas_con_fallos, solucion  # noqa: E402

CUESTIONARIO = EJERCICIOS["cuestionario_cap1"]
AJUSTE = EJERCICIOS["ajuste_fino_sentimiento"]


def clase(curso: Path, n: int) -> None:
    for i in range(n):
        entregar(curso, f"alumno{i:03d}", CUESTIONARIO.nombre,
                 cuestionario(f"respuestas = {respuestas_con_fallos(i % 5)!r}"))


def con_nbgrader(curso: Path) -> float:
    shutil.copytree(RAIZ / "solutions", curso / "solutions")
    shutil.copy(RAIZ / "nbgrader_config.py", curso)
    nbgrader = [sys.executable, "-m", "nbgrader"]
    subprocess.run(nbgrader + ["generate_assignment", CUESTIONARIO.nombre, "--force"], cwd=curso,
                   check=True, capture_output=True)
    inicio = time.perf_counter()
    subprocess.run(nbgrader + ["autograde", CUESTIONARIO.nombre], cwd=curso, check=True,
                   capture_output=True)
    return time.perf_counter() - inicio


def con_el_nuestro(curso: Path, trabajos: int | None) -> tuple[float, list[dict]]:
    # Como para nbgrader (su generate_assignment lo crea antes), el libro de notas ya existe.
    LibroNotas(curso).gb.close()
    inicio = time.perf_counter()
    resultados = Calificador(CUESTIONARIO, curso, Opciones(trabajos=trabajos, progreso=False)).calificar()
    return time.perf_counter() - inicio, resultados


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entregas", type=int, default=50)
    parser.add_argument("--trabajos", type=int, default=None,
                        help="entregas a la vez con nuestro calificador (por defecto, lo que elige él)")
    parser.add_argument("--sin-ajuste", action="store_true", help="no mide el ajuste fino")
    args = parser.parse_args()
    n = args.entregas
    nucleos = args.trabajos or (os.cpu_count() or 1) * CUESTIONARIO.por_nucleo
    print(f"Máquina: {os.cpu_count()} núcleos, {gpus_disponibles()} GPU. Entregas del "
          f"cuestionario: {n}.")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for nombre in ("nbgrader", "nuestro", "uno_a_uno"):
            clase(tmp / nombre, n)
        t_nbgrader = con_nbgrader(tmp / "nbgrader")
        t_nuestro, resultados = con_el_nuestro(tmp / "nuestro", nucleos)
        t_uno, uno = con_el_nuestro(tmp / "uno_a_uno", 1)
        assert all(r["estado"] == "calificado" for r in resultados + uno)
        ejecutar = statistics.mean(r["segundos"] for r in uno)
        print(f"nbgrader autograde:          {t_nbgrader:7.1f} s  ({t_nbgrader / n:.2f} s/entrega)")
        print(f"autograde, {nucleos} trabajos:       {t_nuestro:7.1f} s  ({t_nuestro / n:.2f} s/entrega)")
        print(f"autograde, 1 trabajo:        {t_uno:7.1f} s  ({t_uno / n:.2f} s/entrega)")
        print(f"Rendimiento frente a nbgrader: {t_nbgrader / t_nuestro:.1f}× (objetivo ≥ 5×); "
              f"con 1 trabajo: {t_nbgrader / t_uno:.1f}×")
        print(f"Ejecutar el cuaderno (papermill, núcleo nuevo): {ejecutar:.2f} s/entrega; "
              f"sobrecarga del calificador: {t_uno / n - ejecutar:.2f} s/entrega (objetivo ≤ 3 s)")

        if not args.sin_ajuste:
            curso = tmp / "ajuste"
            entregar(curso, "solucion", AJUSTE.nombre, solucion(AJUSTE.nombre))
            inicio = time.perf_counter()
            calificador = Calificador(AJUSTE, curso, Opciones(trabajos=1, progreso=False))
            r = calificador.calificar()[0]
            total = time.perf_counter() - inicio
            print(f"Ajuste fino ({calificador.dispositivo}, {calificador.parametros['epocas']} "
                  f"época(s)): {total:.1f} s en total, {r['segundos']:.1f} s ejecutando; "
                  f"{r['puntos']:g}/{r['puntos_max']:g} puntos; "
                  f"{r['comprobaciones'][0]['mensaje'] if r['comprobaciones'] else r['motivo']}")


if __name__ == "__main__":
    main()
