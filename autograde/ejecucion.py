"""Ejecutar un cuaderno con papermill dentro de un proceso trabajador aislado.

Cada trabajador es un proceso de larga vida (ya con papermill importado) que corta su propia
red al nacer y arranca su fábrica de núcleos (:mod:`autograde.zigoto`); por cada entrega
obtiene un núcleo nuevo, con un entorno limpio, en una carpeta de trabajo nueva, vigilado por
:class:`~autograde.aislamiento.Vigilante`.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

from . import aislamiento, zigoto

RED = ARCHIVOS = "sin preparar"


def preparar_trabajador(calificador: int, trabajo: str, ocultas: list[str]) -> None:
    """Inicializador del proceso trabajador: corta la red y protege los archivos (sólo
    ``trabajo`` se puede escribir; ``ocultas`` no se ven) antes de lanzar ningún núcleo, arranca
    la fábrica de núcleos y se despide solo si muere el calificador (``calificador`` es su pid)."""
    global RED, ARCHIVOS
    RED = aislamiento.cortar_red()
    ARCHIVOS = aislamiento.proteger_archivos([Path(trabajo)], [Path(o) for o in ocultas])
    aislamiento.adoptar_huerfanos()
    # Lo que el núcleo escriba en su stderr (avisos de ipykernel) no ensucia la terminal del
    # profesor: las salidas de las celdas llegan por el protocolo de Jupyter, no por aquí.
    nulo = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nulo, 1)
    os.dup2(nulo, 2)
    import papermill  # noqa: F401  (se importa una vez por trabajador, no por entrega)

    zigoto.ZIGOTO.arrancar()  # dentro del espacio de red ya cortado: sus núcleos lo heredan
    threading.Thread(target=_vigilar_calificador, args=(calificador,), daemon=True).start()


def _vigilar_calificador(pid: int) -> None:
    """Si matan al calificador (``kill -9``), el trabajador no se queda huérfano: sale, su
    zigoto ve cerrada su tubería y sale, y los núcleos de éste, sin padre, también."""
    while True:
        time.sleep(1)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(0)


def _celda(nb_path: str) -> str:
    """El ``grade_id`` (o el número) de la celda que falló, para el motivo."""
    try:
        import nbformat

        for i, celda in enumerate(nbformat.read(nb_path, as_version=4).cells):
            if any(s.get("output_type") == "error" for s in celda.get("outputs", [])):
                return celda.metadata.get("nbgrader", {}).get("grade_id") or f"n.º {i + 1}"
    except Exception:
        pass
    return "?"


def ejecutar(tarea: dict) -> dict:
    """Ejecuta ``tarea["cuaderno"]`` y devuelve ``{"estado", "motivo", "segundos", "red",
    "pico_mb"}``. Nunca lanza: cualquier fallo es un estado con su motivo."""
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    os.environ.clear()
    os.environ.update(tarea["entorno"])
    tempfile.tempdir = None  # que vuelva a leer TMPDIR: el de la entrega anterior ya no existe
    vigilante = aislamiento.Vigilante(tarea["tiempo"], tarea["memoria_mb"],
                                      excepto=zigoto.ZIGOTO.pid)
    vigilante.start()
    inicio = time.monotonic()
    estado, motivo = "ejecutado", ""
    try:
        papermill.execute_notebook(
            tarea["cuaderno"], tarea["salida"], parameters=tarea["parametros"],
            cwd=tarea["trabajo"], kernel_name="python3", km=zigoto.gestor_de_nucleo(),
            progress_bar=False, log_output=False,
            start_timeout=120, execution_timeout=tarea["tiempo"] + 5,
            # Sin esperar a que el núcleo se despida (ipykernel tarda a veces 2-3 s en cerrar)
            # y guardando el cuaderno al final, no tras cada celda.
            shutdown_kernel="immediate", request_save_on_cell_execute=False,
        )
    except PapermillExecutionError as error:
        celda = _celda(tarea["salida"])
        if error.ename == "NotImplementedError":
            estado = "incompleto"
            motivo = f"La celda «{celda}» no está completada (lanza NotImplementedError)."
        elif error.ename == "MemoryError":
            estado, motivo = "memoria", f"La celda «{celda}» se quedó sin memoria (MemoryError)."
        else:
            estado = "error"
            motivo = f"La celda «{celda}» falló: {error.ename}: {str(error.evalue)[:500]}"
    except (DeadKernelError, CellTimeoutError, RuntimeError) as error:
        estado, motivo = "nucleo_muerto", ("El núcleo de Python murió durante la ejecución "
                                           f"({type(error).__name__}: {str(error)[:200]}).")
        if isinstance(error, CellTimeoutError):
            estado, motivo = "tiempo_agotado", f"Se superó el límite de {tarea['tiempo']} s."
    except Exception as error:  # fallos del arranque del núcleo o de papermill
        estado, motivo = "error_interno", f"{type(error).__name__}: {str(error)[:500]}"
    finally:
        vigilante.parar()
        aislamiento.matar_hijos(excepto=zigoto.ZIGOTO.pid)
    if vigilante.motivo == "tiempo":
        estado, motivo = "tiempo_agotado", (f"Se superó el límite de {tarea['tiempo']} s por "
                                            "entrega (¿un bucle infinito?).")
    elif vigilante.motivo == "memoria":
        estado, motivo = "memoria", (f"Se superó el límite de {tarea['memoria_mb']:.0f} MB de "
                                     "memoria.")
    return {"estado": estado, "motivo": motivo, "segundos": round(time.monotonic() - inicio, 2),
            "red": RED, "archivos": ARCHIVOS, "pico_mb": round(vigilante.pico_mb)}
