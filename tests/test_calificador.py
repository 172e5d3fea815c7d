"""El calificador con núcleos de verdad: una clase de entregas buenas, malas y rotas del
cuestionario, calificada de una vez; el lote no se para, las notas llegan al libro de notas de
nbgrader, al CSV, a la retroalimentación y al histograma, y volver a lanzarlo no cambia nada."""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograde.calificar import Calificador, Opciones
from autograde.ejercicios import EJERCICIOS
from entregas import clave, cuestionario, entregar, publicado, respuestas_con_fallos, solucion

EJ = EJERCICIOS["cuestionario_cap1"]
N = len(clave())
RAIZ = Path(__file__).resolve().parents[1]

# Un servidor en el proceso de las pruebas: desde la entrega no debe poder alcanzarse.
SERVIDOR = socket.socket()
SERVIDOR.bind(("127.0.0.1", 0))
SERVIDOR.listen()
PUERTO = SERVIDOR.getsockname()[1]

BIEN = repr(clave())
TRAMPA = f"""
import json, os, cursonlp, cursonlp.comprobaciones as c, cursonlp.ejercicios as e
# Intenta que todo cuente como correcto: parchea las comprobaciones y la normalización...
c.comprobar_cuestionario = lambda *a, **k: [c.Comprobacion("comprobar_respuestas", "x", 99, 1, "")]
e.normalizar_respuesta = lambda valor: ["a"]
respuestas = {{n: "a" for n in range(1, {N} + 1)}}
"""
AISLADO = f"""
import os, socket
respuestas = {BIEN}
try:  # si el núcleo alcanza la red del profesor, o ve sus secretos, pierde las respuestas
    socket.create_connection(("127.0.0.1", {PUERTO}), timeout=2)
    respuestas = {{}}
except OSError:
    pass
if "SECRETO_DEL_PROFESOR" in os.environ or os.environ.get("HOME") == {str(Path.home())!r}:
    respuestas = {{}}
"""

# alumno → (contenido, estado esperado, puntos esperados)
CLASE = {
    "a_solucion": (solucion("cuestionario_cap1"), "calificado", N),
    "b_en_blanco": (publicado("cuestionario_cap1"), "incompleto", 0),
    "c_tres_fallos": (cuestionario(f"respuestas = {respuestas_con_fallos(3)!r}"), "calificado", N - 3),
    "d_bucle_infinito": (cuestionario(f"respuestas = {BIEN}\nwhile True:\n    pass"),
                         "tiempo_agotado", 0),
    "e_os_exit": (cuestionario(f"respuestas = {BIEN}\nimport os\nos._exit(1)"), "nucleo_muerto", 0),
    "f_memoria": (cuestionario(f"respuestas = {BIEN}\nbloques = []\nwhile True:\n"
                               "    bloques.append(b'x' * 50_000_000)"), "memoria", 0),
    "g_trampa": (cuestionario(TRAMPA), "calificado",
                 sum(1 for v in clave().values() if v in ("a", ["a"]))),
    "h_prueba_editada": (cuestionario(
        f"respuestas = {respuestas_con_fallos(4)!r}",
        comprobar_respuestas="import json, os\nos.makedirs('artefactos', exist_ok=True)\n"
                             f"json.dump({{str(n): ['a', 'b', 'c', 'd'] for n in range(1, {N} + 1)}}, "
                             "open('artefactos/respuestas.json', 'w'))\nprint('¡10 de 10!')"),
        "calificado", N - 4),
    "i_salida_enorme": (cuestionario(f"respuestas = {BIEN}\nfor _ in range(300):\n"
                                     "    print('x' * 100_000)"), "calificado", N),
    "j_error": (cuestionario(f"respuestas = {BIEN}\n1 / 0"), "error", 0),
    # Deja un proceso suelto (doble fork + nueva sesión) que sobreviviría al núcleo.
    "j_proceso_suelto": (cuestionario(
        "import os, time\nr, w = os.pipe()\nif os.fork() == 0:\n    os.setsid()\n"
        "    if os.fork() == 0:\n        os.write(w, str(os.getpid()).encode())\n"
        "        time.sleep(600)\n    os._exit(0)\nprint('SUELTO', os.read(r, 20).decode())\n"
        f"respuestas = {BIEN}"), "calificado", N),
    "k_formato": (cuestionario("respuestas = {1: 5, 2: 'zz', 3: " + repr(clave()[3]) + "}"),
                  "calificado", 1),
    "l_aislado": (cuestionario(AISLADO), "calificado", N),
    "m_json_roto": (nbformat.writes(solucion("cuestionario_cap1"))[:-200], "json_invalido", 0),
    "n_no_es_cuaderno": (b"%PDF-1.4\n\x00\x01\x02 binario", "no_es_cuaderno", 0),
    "o_vacio": ("", "vacio", 0),
    "p_sin_cuaderno": (None, "vacio", 0),
    "q_otro_ejercicio": (publicado("grafico_atencion"), "ejercicio_equivocado", 0),
    "r_json_no_cuaderno": ('{"hola": 1}', "no_es_cuaderno", 0),
}


def _borrar_celda(nb, grade_id):
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]
    return nb


CLASE["s_prueba_borrada"] = (_borrar_celda(solucion("cuestionario_cap1"), "comprobar_respuestas"),
                             "calificado", N)


def _escape(curso: Path) -> str:
    """Una entrega que intenta tocar las notas, el calificador y la clave: sólo saca la nota
    máxima si todo le falla."""
    return f"""
import pathlib
respuestas = {BIEN}
intentos = [
    lambda: open({str(curso / 'gradebook.db')!r}, 'ab').write(b'x'),
    lambda: pathlib.Path({str(curso / 'submitted' / 'a_solucion')!r}).iterdir().__next__(),
    lambda: open({str(RAIZ / 'autograde' / 'pirata.py')!r}, 'w').write('x'),
    lambda: open({str(EJ.ruta_fuente)!r}).read(),
]
for intento in intentos:
    try:
        intento()
        respuestas = {{}}
    except (OSError, StopIteration):
        pass
"""


@pytest.fixture(scope="module")
def curso(tmp_path_factory):
    curso = tmp_path_factory.mktemp("curso")
    for alumno, (contenido, _, _) in CLASE.items():
        entregar(curso, alumno, EJ.nombre, contenido)
    entregar(curso, "u_archivos", EJ.nombre, cuestionario(_escape(curso)))
    (curso / "submitted" / "t_falta" / EJ.nombre).mkdir(parents=True)
    (curso / "submitted" / "t_falta" / EJ.nombre / "notas.txt").write_text("olvidé el cuaderno")
    os.environ["SECRETO_DEL_PROFESOR"] = "hf_no_debe_verse"
    try:
        inicio = time.monotonic()
        resultados = Calificador(EJ, curso, Opciones(trabajos=3, tiempo=25, memoria_mb=1000,
                                                     progreso=False)).calificar()
        curso.joinpath("segundos.txt").write_text(f"{time.monotonic() - inicio:.1f}")
    finally:
        os.environ.pop("SECRETO_DEL_PROFESOR")
    return curso, {r["alumno"]: r for r in resultados}


@pytest.mark.parametrize("alumno", list(CLASE))
def test_estado_y_puntos(curso, alumno):
    _, resultados = curso
    _, estado, puntos = CLASE[alumno]
    r = resultados[alumno]
    assert (r["estado"], r["puntos"]) == (estado, puntos), r["motivo"] or r["comprobaciones"]
    assert r["puntos_max"] == N
    if estado not in ("calificado",):
        assert r["motivo"], "un fallo siempre lleva su motivo"


def test_falta_el_cuaderno(curso):
    r = curso[1]["t_falta"]
    assert r["estado"] == "falta_archivo" and "notas.txt" in r["motivo"]


def test_motivos_en_espanol_y_precisos(curso):
    _, r = curso
    assert "respuestas" in r["b_en_blanco"]["motivo"]
    assert "ZeroDivisionError" in r["j_error"]["motivo"]
    assert "25 s" in r["d_bucle_infinito"]["motivo"]
    assert "1000 MB" in r["f_memoria"]["motivo"] or "MemoryError" in r["f_memoria"]["motivo"]
    assert "línea" in r["m_json_roto"]["motivo"]
    assert "grafico_atencion" in r["q_otro_ejercicio"]["motivo"]
    formato = {c["nombre"]: c["mensaje"] for c in r["k_formato"]["comprobaciones"]}
    assert "Formato no válido" in formato["pregunta 1"] and "Sin responder" in formato["pregunta 4"]


def test_celdas_de_nota_restauradas(curso):
    _, r = curso
    assert any("comprobar_respuestas" in n for n in r["h_prueba_editada"]["notas"])
    assert any("faltaba" in n for n in r["s_prueba_borrada"]["notas"])


def test_no_quedan_procesos_sueltos(curso):
    """Un proceso que la entrega deja suelto (doble fork, otra sesión) no sobrevive al lote."""
    import re

    import psutil

    carpeta, _ = curso
    nb = nbformat.read(carpeta / "autograded" / "j_proceso_suelto" / EJ.nombre / EJ.cuaderno,
                       as_version=4)
    texto = "".join(s.get("text", "") for c in nb.cells for s in c.get("outputs", []))
    pid = int(re.search(r"SUELTO (\d+)", texto).group(1))
    try:
        vivo = psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        vivo = False
    assert not vivo, f"el proceso {pid} de la entrega sigue vivo"


def test_salida_enorme_recortada(curso):
    carpeta, r = curso
    guardado = carpeta / "autograded" / "i_salida_enorme" / EJ.nombre / EJ.cuaderno
    assert guardado.stat().st_size < 1_000_000
    assert any("recortaron" in n for n in r["i_salida_enorme"]["notas"])


def test_archivos_protegidos_si_la_plataforma_lo_permite(curso):
    _, r = curso
    assert not (RAIZ / "autograde" / "pirata.py").exists()
    if r["u_archivos"]["archivos"] != "protegidos":
        pytest.skip("esta plataforma no permite espacios de montaje")
    assert (r["u_archivos"]["estado"], r["u_archivos"]["puntos"]) == ("calificado", N)


def test_red_cortada_si_la_plataforma_lo_permite(curso):
    _, r = curso
    assert r["l_aislado"]["red"] in ("cortada", "variables")
    if r["l_aislado"]["red"] == "variables":
        pytest.skip("esta plataforma no permite espacios de nombres de red")


def _csv(ruta):
    with open(ruta, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_csv_retroalimentacion_e_histograma(curso):
    carpeta, resultados = curso
    filas = {f["alumno"]: f for f in _csv(carpeta / "calificaciones" / f"{EJ.nombre}.csv")}
    assert set(filas) == set(resultados)
    for alumno, r in resultados.items():
        assert float(filas[alumno]["puntos"]) == r["puntos"]
        assert filas[alumno]["estado"] == r["estado"] and filas[alumno]["puntos_max"] == str(N)
        pagina = (carpeta / "feedback" / alumno / EJ.nombre / "retroalimentacion.html").read_text()
        assert 'lang="es"' in pagina and f"{r['puntos']:g} de {N}" in pagina
    assert (carpeta / "calificaciones" / f"{EJ.nombre}.png").read_bytes()[:4] == b"\x89PNG"


def test_nbgrader_export_da_las_mismas_notas(curso):
    carpeta, resultados = curso
    subprocess.run([sys.executable, "-m", "nbgrader", "export"], cwd=carpeta, check=True,
                   capture_output=True)
    exportado = {f["student_id"]: float(f["score"]) for f in _csv(carpeta / "grades.csv")
                 if f["assignment"] == EJ.nombre}
    assert exportado == {a: r["puntos"] for a, r in resultados.items()}


def test_volver_a_calificar_no_cambia_nada(curso):
    carpeta, resultados = curso
    antes = {p: p.read_bytes() for p in carpeta.glob("autograded/*/*/resultado.json")}
    csv_antes = (carpeta / "calificaciones" / f"{EJ.nombre}.csv").read_bytes()
    inicio = time.monotonic()
    otra = Calificador(EJ, carpeta, Opciones(trabajos=3, tiempo=25, memoria_mb=1000,
                                             progreso=False)).calificar()
    assert {r["alumno"]: r["puntos"] for r in otra} == {a: r["puntos"] for a, r in resultados.items()}
    assert {p: p.read_bytes() for p in carpeta.glob("autograded/*/*/resultado.json")} == antes
    assert (carpeta / "calificaciones" / f"{EJ.nombre}.csv").read_bytes() == csv_antes
    assert time.monotonic() - inicio < float((carpeta / "segundos.txt").read_text())


def test_una_entrega_nueva_se_califica_sola(curso, tmp_path):
    carpeta, _ = curso
    ruta = carpeta / "submitted" / "b_en_blanco" / EJ.nombre / EJ.cuaderno
    original = ruta.read_bytes()
    try:
        nbformat.write(solucion("cuestionario_cap1"), ruta)
        nuevos = {r["alumno"]: r for r in Calificador(
            EJ, carpeta, Opciones(trabajos=1, progreso=False, alumnos=["b_en_blanco", "a_solucion"])
        ).calificar()}
        assert nuevos["b_en_blanco"]["puntos"] == N
    finally:
        ruta.write_bytes(original)


def test_reanuda_tras_matar_el_proceso(tmp_path):
    """Se mata el calificador (SIGKILL) a mitad de lote: al relanzarlo no recalifica lo hecho
    y termina el resto."""
    for i in range(4):
        entregar(tmp_path, f"alumno{i}", EJ.nombre,
                 cuestionario(f"import time\ntime.sleep({4 if i else 0})\nrespuestas = {BIEN}"))
    orden = [sys.executable, "-m", "autograde", "calificar", EJ.nombre, "--curso", str(tmp_path),
             "--trabajos", "1", "--sin-progreso"]
    proceso = subprocess.Popen(orden, cwd=RAIZ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    primero = tmp_path / "autograded" / "alumno0" / EJ.nombre / "resultado.json"
    limite = time.monotonic() + 120
    while not primero.exists() and time.monotonic() < limite and proceso.poll() is None:
        time.sleep(0.2)
    import psutil

    descendientes = psutil.Process(proceso.pid).children(recursive=True)
    proceso.kill()
    proceso.wait()
    assert primero.exists(), "el primer resultado debía estar guardado antes de matar el proceso"
    # Sin el calificador, sus trabajadores, fábricas de núcleos y núcleos se van solos.
    _, vivos = psutil.wait_procs(descendientes, timeout=15)
    assert not vivos, f"procesos huérfanos: {[p.cmdline()[:3] for p in vivos]}"
    hechos = {p: p.read_bytes() for p in tmp_path.glob("autograded/*/*/resultado.json")}
    assert len(hechos) < 4, "el lote terminó antes de matarlo: la prueba no prueba nada"
    salida = subprocess.run(orden, cwd=RAIZ, capture_output=True, text=True, timeout=300)
    assert salida.returncode == 0, salida.stderr
    for ruta, contenido in hechos.items():
        assert ruta.read_bytes() == contenido, f"{ruta} se recalificó"
    filas = _csv(tmp_path / "calificaciones" / f"{EJ.nombre}.csv")
    assert sorted((f["alumno"], f["puntos"]) for f in filas) == [(f"alumno{i}", str(N)) for i in range(4)]
    subprocess.run([sys.executable, "-m", "nbgrader", "export"], cwd=tmp_path, check=True,
                   capture_output=True)
    assert len([f for f in _csv(tmp_path / "grades.csv") if float(f["score"]) == N]) == 4


def test_una_entrega_por_gpu_a_la_vez(tmp_path, monkeypatch):
    """Con GPU (simulada: dos), cada entrega ve una sola GPU y nunca comparte la suya."""
    import dataclasses
    import re

    import autograde.calificar as cal

    monkeypatch.setattr(cal, "gpus_disponibles", lambda: 2)
    codigo = ("import os, time\ninicio = time.time()\ntime.sleep(1.5)\n"
              "print('GPU', os.environ['CUDA_VISIBLE_DEVICES'], dispositivo, inicio, time.time())\n"
              f"respuestas = {BIEN}")
    for i in range(5):
        entregar(tmp_path, f"g{i}", EJ.nombre, cuestionario(codigo))
    ej = dataclasses.replace(EJ, usa_gpu=True)
    resultados = Calificador(ej, tmp_path, Opciones(trabajos=8, progreso=False)).calificar()
    assert [r["estado"] for r in resultados] == ["calificado"] * 5
    usos = {}
    for i in range(5):
        nb = nbformat.read(tmp_path / "autograded" / f"g{i}" / EJ.nombre / EJ.cuaderno, as_version=4)
        texto = "".join(s.get("text", "") for c in nb.cells for s in c.get("outputs", []))
        gpu, dispositivo, inicio, fin = re.search(r"GPU (\S+) (\S+) (\S+) (\S+)", texto).groups()
        assert dispositivo == "cuda"
        usos.setdefault(gpu, []).append((float(inicio), float(fin)))
    assert set(usos) == {"0", "1"}
    for intervalos in usos.values():
        intervalos.sort()
        assert all(b[0] >= a[1] for a, b in zip(intervalos, intervalos[1:])), "GPU compartida"
