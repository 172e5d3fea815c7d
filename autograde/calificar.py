"""Calificar un ejercicio para toda la clase: en paralelo, reanudable, sin que una entrega mala
pare el lote.

Disposición de nbgrader en la carpeta del curso ``DIR``:

- entrada: ``DIR/submitted/<alumno>/<ejercicio>/<ejercicio>.ipynb``
- cuaderno ejecutado y resultado: ``DIR/autograded/<alumno>/<ejercicio>/``
- retroalimentación: ``DIR/feedback/<alumno>/<ejercicio>/retroalimentacion.html``
- notas: ``DIR/gradebook.db`` (nbgrader), ``DIR/calificaciones/<ejercicio>.csv`` y ``.png``

Un resultado ya guardado (``resultado.json``) con la misma huella (entrega, cuaderno publicado,
parámetros y versión del calificador) no se vuelve a calcular.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import queue
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat

from . import VERSION, aislamiento, ejecucion, informes
from .ejercicios import Ejercicio
from .entrega import EntregaInvalida, leer_cuaderno, localizar_cuaderno, restaurar
from .libro_notas import Anotador, leer_fecha


@dataclass
class Opciones:
    trabajos: int | None = None      # entregas a la vez; None = núcleos × ejercicio.por_nucleo
    tiempo: int | None = None        # segundos por entrega; None = el del ejercicio
    memoria_mb: int = 6000
    rehacer: bool = False
    alumnos: list[str] | None = None
    parametros: dict | None = None   # cambian los del ejercicio (p. ej. un presupuesto menor)
    progreso: bool = True
    semilla: int = 0


def gpus_disponibles() -> int:
    try:
        import torch

        return torch.cuda.device_count() if torch.cuda.is_available() else 0
    except ImportError:
        return 0


def _contexto():
    """Trabajadores nacidos de un *forkserver* que ya importó papermill: arrancar uno cuesta
    milisegundos en vez de segundos (en Linux; donde no hay forkserver, «spawn»)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    contexto = multiprocessing.get_context("forkserver")
    contexto.set_forkserver_preload(["autograde.ejecucion", "papermill", "nbclient",
                                     "ipykernel.kernelapp", "ipykernel.ipkernel", "cursonlp"])
    return contexto


class Ranura:
    """Un hueco de ejecución: un proceso trabajador propio y, si toca, una GPU propia."""

    def __init__(self, gpu: int | None, trabajo: Path, ocultas: list[Path]):
        self.gpu, self.pool = gpu, None
        self.initargs = (os.getpid(), str(trabajo), [str(o) for o in ocultas])

    def ejecutar(self, tarea: dict) -> dict:
        """Ejecuta la tarea; un fallo del propio calificador (no de la entrega) se reintenta una
        vez con un trabajador nuevo, y si se repite queda anotado como ``error_interno``."""
        resultado = self._ejecutar(tarea)
        if resultado["estado"] == "error_interno":
            self.cerrar()
            resultado = self._ejecutar(tarea)
            resultado["motivo"] += " (segundo intento)" if resultado["motivo"] else ""
        return resultado

    def _ejecutar(self, tarea: dict) -> dict:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(1, mp_context=_contexto(),
                                            initializer=ejecucion.preparar_trabajador,
                                            initargs=self.initargs)
        futuro = self.pool.submit(ejecucion.ejecutar, tarea)
        try:
            return futuro.result(timeout=tarea["tiempo"] + 120)
        except TimeoutError:
            self.cerrar()
            return {"estado": "tiempo_agotado", "motivo": f"Se superó el límite de "
                    f"{tarea['tiempo']} s y hubo que matar el proceso.", "segundos": tarea["tiempo"]}
        except BrokenProcessPool:
            self.cerrar()
            return {"estado": "nucleo_muerto", "motivo": "El proceso que ejecutaba el cuaderno "
                    "murió (¿memoria agotada?).", "segundos": 0}

    def cerrar(self) -> None:
        """Mata el trabajador, su fábrica de núcleos y lo que quede de ellos (al terminar el
        lote están ociosos: no se pierde nada y no hay que esperar a que se despidan)."""
        if self.pool is None:
            return
        import psutil

        procesos = []
        for p in list(getattr(self.pool, "_processes", {}).values()):
            try:
                padre = psutil.Process(p.pid)
                procesos += padre.children(recursive=True) + [padre]
            except psutil.Error:
                pass
        aislamiento.matar(procesos, esperar=False)
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = None


def huella(cuaderno: Path | None, ejercicio: Ejercicio, parametros: dict) -> str:
    h = hashlib.sha256(VERSION.encode())
    h.update(cuaderno.read_bytes() if cuaderno and cuaderno.is_file() else b"")
    h.update(ejercicio.ruta_publicada.read_bytes())
    h.update(json.dumps(parametros, sort_keys=True).encode())
    return h.hexdigest()


class Calificador:
    """El lote de un ejercicio en la carpeta de curso ``curso``."""

    def __init__(self, ejercicio: Ejercicio, curso: Path, opciones: Opciones | None = None):
        self.ej, self.curso, self.op = ejercicio, Path(curso).resolve(), opciones or Opciones()
        self.publicado = nbformat.read(ejercicio.ruta_publicada, as_version=4)
        self.maximos = ejercicio.celdas_nota()
        self.gpus = gpus_disponibles() if ejercicio.usa_gpu else 0
        self.dispositivo = "cuda" if self.gpus else "cpu"
        self.parametros = {**ejercicio.parametros_para(self.dispositivo, self.op.semilla),
                           **(self.op.parametros or {})}
        self.tiempo = self.op.tiempo or ejercicio.tiempo
        self.trabajos = self.op.trabajos or (os.cpu_count() or 1) * ejercicio.por_nucleo

    # --- rutas ---
    def carpeta_entrega(self, alumno): return self.curso / "submitted" / alumno / self.ej.nombre
    def carpeta_calificada(self, alumno): return self.curso / "autograded" / alumno / self.ej.nombre
    def ruta_resultado(self, alumno): return self.carpeta_calificada(alumno) / "resultado.json"

    def alumnos(self) -> list[str]:
        raiz = self.curso / "submitted"
        todos = sorted(p.name for p in raiz.iterdir() if (p / self.ej.nombre).exists()) \
            if raiz.is_dir() else []
        return [a for a in todos if not self.op.alumnos or a in self.op.alumnos]

    def firma(self, alumno: str) -> str:
        """La huella de la entrega de ``alumno`` (la de una entrega sin cuaderno también vale)."""
        try:
            ruta = localizar_cuaderno(self.carpeta_entrega(alumno), self.ej.cuaderno)
        except EntregaInvalida:
            ruta = None
        return huella(ruta, self.ej, self.parametros)

    def previo(self, alumno: str, firma: str) -> dict | None:
        try:
            r = json.loads(self.ruta_resultado(alumno).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return r if r.get("huella") == firma and not self.op.rehacer else None

    # --- una entrega ---
    def preparar(self, alumno: str, firma: str) -> tuple[dict | None, dict]:
        """Lee y restaura la entrega. Devuelve ``(tarea, base)``; ``tarea`` es ``None`` si la
        entrega no se puede ejecutar (``base`` ya lleva el estado y el motivo)."""
        base = {"alumno": alumno, "ejercicio": self.ej.nombre, "notas": [], "motivo": "",
                "huella": firma}
        try:
            ruta = localizar_cuaderno(self.carpeta_entrega(alumno), self.ej.cuaderno)
            if ruta.name != self.ej.cuaderno:
                base["notas"].append(f"Se calificó «{ruta.name}» (se esperaba «{self.ej.cuaderno}»).")
            nb, notas = restaurar(leer_cuaderno(ruta, self.ej.nombre, self.publicado), self.publicado)
            base["notas"] += notas
        except EntregaInvalida as error:
            return None, {**base, "estado": error.estado, "motivo": error.motivo}
        trabajo = Path(tempfile.mkdtemp(prefix=f"{alumno}-", dir=self.base))
        nbformat.write(nb, trabajo / self.ej.cuaderno)
        tarea = {"cuaderno": str(trabajo / self.ej.cuaderno), "salida": str(trabajo / "ejecutado.ipynb"),
                 "trabajo": str(trabajo), "parametros": self.parametros, "tiempo": self.tiempo,
                 "memoria_mb": self.op.memoria_mb}
        return tarea, base

    def terminar(self, tarea: dict | None, base: dict, ejecucion: dict | None) -> dict:
        """Pone la nota en este proceso y guarda todo lo de la entrega."""
        r = {**base, "puntos_max": float(sum(self.maximos.values())),
             "fecha": datetime.now().isoformat(timespec="seconds")}
        comprobaciones = []
        if ejecucion is not None:
            r.update(estado=ejecucion["estado"], motivo=ejecucion["motivo"],
                     segundos=ejecucion.get("segundos", 0), red=ejecucion.get("red"),
                     archivos=ejecucion.get("archivos"))
            trabajo = Path(tarea["trabajo"])
            if r["estado"] == "ejecutado":
                try:
                    comprobaciones = [c.como_dict() for c in self.ej.comprobar(
                        self.ej, trabajo, self.parametros, "cuda" if self.gpus else "cpu")]
                    r["estado"] = "calificado"
                except Exception as error:
                    r.update(estado="error_interno", motivo=f"Falló la comprobación: {error}")
            self._guardar_ejecutado(Path(tarea["salida"]), r)
            self._limpieza.submit(shutil.rmtree, trabajo, True)  # en segundo plano
        por_celda = {gid: 0.0 for gid in self.maximos}
        for c in comprobaciones:
            por_celda[c["celda"]] = por_celda.get(c["celda"], 0.0) + float(c["puntos"])
        r.update(comprobaciones=comprobaciones, por_celda=por_celda,
                 puntos=round(sum(por_celda.values()), 2))
        informes.escribir_atomico(
            self.curso / "feedback" / r["alumno"] / self.ej.nombre / "retroalimentacion.html",
            informes.retroalimentacion(r, self.ej.titulo))
        informes.escribir_atomico(self.ruta_resultado(r["alumno"]),
                                  json.dumps(r, ensure_ascii=False, indent=1))
        return r

    def _guardar_ejecutado(self, salida: Path, r: dict) -> None:
        try:
            nb = json.loads(salida.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if informes.recortar_salidas(nb):
            r["notas"].append("Algunas salidas eran enormes y se recortaron en el cuaderno guardado.")
        informes.escribir_atomico(self.carpeta_calificada(r["alumno"]) / self.ej.cuaderno,
                                  json.dumps(nb, ensure_ascii=False, indent=1))

    # --- el lote ---
    def calificar(self) -> list[dict]:
        _silenciar_transformers()
        alumnos = self.alumnos()
        firmas = {alumno: self.firma(alumno) for alumno in alumnos}
        hechos, pendientes = {}, []
        for alumno in alumnos:
            previo = self.previo(alumno, firmas[alumno])
            if previo:
                hechos[alumno] = previo
            else:
                pendientes.append(alumno)
        # Carpeta de trabajo del lote: lo único que los núcleos pueden escribir. No ven la
        # carpeta del curso ni las soluciones.
        self.base = Path(tempfile.mkdtemp(prefix="calificar-"))
        ocultas = [self.curso, self.ej.ruta_fuente.parent.parent]
        huecos = range(self.gpus) if self.gpus else [None] * max(1, min(self.trabajos,
                                                                         len(pendientes)))
        ranuras = [Ranura(g, self.base, ocultas) for g in huecos]
        libres = queue.Queue()
        for ranura in ranuras:
            libres.put(ranura)
        hilos_kernel = max(1, (os.cpu_count() or 2) // len(ranuras))

        def ejecutar(tarea):
            ranura = libres.get()
            try:
                tarea["entorno"] = aislamiento.entorno_aislado(Path(tarea["trabajo"]), ranura.gpu,
                                                               hilos_kernel)
                return ranura.ejecutar(tarea)
            finally:
                libres.put(ranura)

        barra = _barra(len(alumnos), self.ej.nombre, self.op.progreso)
        barra.update(len(hechos))
        hilos = ThreadPoolExecutor(len(ranuras))
        self._limpieza = ThreadPoolExecutor(1)
        anotador = Anotador(self.curso, self.ej)
        anotador.start()
        try:
            for alumno, r in hechos.items():  # por si se interrumpió antes de anotarlo
                anotador.anotar(r, leer_fecha(self.carpeta_entrega(alumno)))
            futuros = {}
            for alumno in pendientes:
                tarea, base = self.preparar(alumno, firmas[alumno])
                if tarea is None:
                    hechos[alumno] = self._cerrar(anotador, None, base, None, barra)
                else:
                    futuros[hilos.submit(ejecutar, tarea)] = (tarea, base)
            for futuro in as_completed(futuros):
                tarea, base = futuros[futuro]
                hechos[base["alumno"]] = self._cerrar(anotador, tarea, base, futuro.result(), barra)
        finally:  # también con Ctrl-C: no se lanza nada más y se matan los núcleos en marcha
            hilos.shutdown(wait=False, cancel_futures=True)
            for ranura in ranuras:
                ranura.cerrar()
            self._limpieza.shutdown(wait=True)
            shutil.rmtree(self.base, ignore_errors=True)
            barra.close()
            self.escribir_resumen()
            anotador.terminar()
        return [hechos[a] for a in alumnos if a in hechos]

    def _cerrar(self, anotador, tarea, base, ejecucion, barra) -> dict:
        r = self.terminar(tarea, base, ejecucion)
        anotador.anotar(r, leer_fecha(self.carpeta_entrega(r["alumno"])))
        barra.set_postfix_str(f"{r['alumno']}: {r['puntos']:g}/{r['puntos_max']:g} {r['estado']}")
        barra.update(1)
        return r

    def resultados_guardados(self) -> list[dict]:
        resultados = []
        for ruta in sorted((self.curso / "autograded").glob(f"*/{self.ej.nombre}/resultado.json")):
            try:
                resultados.append(json.loads(ruta.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
        return resultados

    def escribir_resumen(self) -> None:
        """CSV e histograma con todo lo calificado hasta ahora (también tras interrumpir)."""
        resultados = self.resultados_guardados()
        if not resultados:
            return
        carpeta = self.curso / "calificaciones"
        informes.escribir_csv(carpeta / f"{self.ej.nombre}.csv", resultados)
        informes.histograma(carpeta / f"{self.ej.nombre}.png", resultados, self.ej.titulo)


def _silenciar_transformers() -> None:
    """Sin barras de «Loading weights» entre las del lote (sin importar transformers aquí)."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def _barra(total: int, nombre: str, activa: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=f"Calificando {nombre}", unit="entrega", disable=not activa)

