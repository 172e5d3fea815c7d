"""Las notas en el libro de notas de nbgrader (``gradebook.db``), para que ``nbgrader export``
y formgrader sigan funcionando con lo que califica este calificador."""

from __future__ import annotations

import queue
import threading
import warnings
from datetime import datetime
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

FORMATO_FECHA = "%Y-%m-%d %H:%M:%S.%f %Z"  # el de timestamp.txt de nbgrader


def leer_fecha(carpeta: Path) -> datetime | None:
    """La fecha de ``timestamp.txt`` de la entrega, si la hay y se entiende."""
    try:
        texto = (carpeta / "timestamp.txt").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    for formato in (FORMATO_FECHA, "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(texto.replace(" UTC", "").strip(), formato.replace(" %Z", ""))
        except ValueError:
            continue
    return None


class Anotador(threading.Thread):
    """Escribe en el libro de notas desde su propio hilo (SQLite espera a disco en cada
    ``commit``): el lote no se para a esperarlo. Es el único que toca el libro."""

    def __init__(self, curso: Path, ejercicio):
        super().__init__(daemon=True)
        self.curso, self.ejercicio = curso, ejercicio
        self.cola: queue.Queue = queue.Queue()
        self.error: BaseException | None = None

    def anotar(self, resultado: dict, fecha: datetime | None) -> None:
        self.cola.put((resultado, fecha))

    def run(self) -> None:
        try:
            with LibroNotas(self.curso) as libro:
                libro.preparar(self.ejercicio)
                while (item := self.cola.get()) is not None:
                    libro.registrar(self.ejercicio, *item)
        except BaseException as error:  # se relanza en terminar()
            self.error = error

    def terminar(self) -> None:
        """Espera a que esté todo anotado (y relanza su error, si lo hubo)."""
        self.cola.put(None)
        self.join()
        if self.error is not None:
            raise RuntimeError(f"No se pudo escribir el libro de notas: {self.error}") from self.error


class LibroNotas:
    """Envoltorio mínimo sobre :class:`nbgrader.api.Gradebook` (un solo escritor)."""

    def __init__(self, curso: Path):
        self.gb = Gradebook(f"sqlite:///{Path(curso).resolve() / 'gradebook.db'}")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.gb.close()

    def preparar(self, ejercicio) -> None:
        """Da de alta el ejercicio, su cuaderno y sus celdas de nota (idempotente)."""
        cuaderno = Path(ejercicio.cuaderno).stem
        self.gb.update_or_create_assignment(ejercicio.nombre)
        self.gb.update_or_create_notebook(cuaderno, ejercicio.nombre)
        for gid, puntos in ejercicio.celdas_nota().items():
            self.gb.update_or_create_grade_cell(gid, cuaderno, ejercicio.nombre,
                                                max_score=puntos, cell_type="code")

    def registrar(self, ejercicio, resultado: dict, fecha: datetime | None = None) -> None:
        """Guarda los puntos de cada celda de nota de ``resultado`` (idempotente)."""
        alumno, cuaderno = resultado["alumno"], Path(ejercicio.cuaderno).stem
        self.gb.update_or_create_student(alumno)
        try:
            envio = self.gb.find_submission(ejercicio.nombre, alumno)
            if fecha is not None:
                envio.timestamp = fecha
        except MissingEntry:
            with warnings.catch_warnings():  # avisos internos de SQLAlchemy en nbgrader
                warnings.simplefilter("ignore")
                self.gb.add_submission(ejercicio.nombre, alumno, timestamp=fecha)
        for gid, puntos in resultado["por_celda"].items():
            nota = self.gb.find_grade(gid, cuaderno, ejercicio.nombre, alumno)
            nota.auto_score = puntos
        self.gb.db.commit()
