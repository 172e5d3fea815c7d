"""Aislar la ejecución de una entrega: red cortada, archivos en solo lectura (salvo la carpeta
de trabajo) con el curso y las soluciones tapados, entorno sin secretos y vigilancia de tiempo
y memoria del núcleo. Lo que la plataforma no permita (espacios de nombres de Linux) queda
anotado en el resultado («red», «archivos»)."""

from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
import socket
import struct
import threading
import time
from pathlib import Path

import psutil

CLONE_NEWNET, CLONE_NEWUSER, CLONE_NEWNS = 0x40000000, 0x10000000, 0x00020000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
BANDERAS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC}
VIRTUALES = ("/proc", "/sys", "/dev")  # se quedan como están
# Variables que pasan al núcleo del alumno; el resto (tokens, claves, credenciales) no.
HEREDADAS = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT")


def cortar_red() -> str:
    """Mete este proceso (y sus hijos) en un espacio de nombres de red nuevo, sólo con
    ``lo``. Devuelve cómo quedó la red: ``"cortada"`` o ``"variables"`` si la plataforma no lo
    permite (entonces sólo quedan las variables de entorno sin hub ni proxy)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        uid, gid = os.getuid(), os.getgid()
        if libc.unshare(CLONE_NEWNET if uid == 0 else CLONE_NEWNET | CLONE_NEWUSER) != 0:
            return "variables"
        if uid != 0:
            Path("/proc/self/setgroups").write_text("deny")
            Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
            Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
        # El núcleo habla con papermill por 127.0.0.1: hay que levantar «lo».
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            peticion = struct.pack("16sH14s", b"lo", 0, bytes(14))
            banderas = struct.unpack("16sH14s", fcntl.ioctl(s, 0x8913, peticion))[1]
            fcntl.ioctl(s, 0x8914, struct.pack("16sH14s", b"lo", banderas | 1, bytes(14)))
        return "cortada"
    except (OSError, AttributeError):
        return "variables"


def adoptar_huerfanos() -> bool:
    """Hace de este proceso el «subreaper» de sus descendientes: un proceso que la entrega
    deje suelto (doble ``fork``, ``setsid``) pasa a ser hijo suyo y se puede matar."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def _montar(libc, origen, destino, tipo, banderas, datos=None) -> bool:
    return libc.mount(origen, str(destino).encode(), tipo, banderas, datos) == 0


def proteger_archivos(escribibles: list[Path], ocultas: list[Path]) -> str:
    """En un espacio de montajes propio: todo el sistema de archivos en solo lectura salvo
    ``escribibles`` (las carpetas de trabajo), y ``ocultas`` (la carpeta del curso, con las
    entregas de los demás y el libro de notas, y las soluciones) tapadas por una carpeta vacía.
    Devuelve ``"protegidos"`` o ``"sin proteger"`` si la plataforma no lo permite."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(CLONE_NEWNS) != 0:
            return "sin proteger"
        if not _montar(libc, None, "/", None, MS_REC | MS_PRIVATE):
            return "sin proteger"
        for carpeta in ocultas:
            if Path(carpeta).is_dir():
                _montar(libc, b"tmpfs", carpeta, b"tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV,
                        b"size=4k")
        for carpeta in escribibles:
            _montar(libc, str(carpeta).encode(), carpeta, None, MS_BIND | MS_REC)
        libres = {str(Path(c).resolve()) for c in escribibles}
        puntos = []
        for linea in Path("/proc/self/mountinfo").read_text().splitlines():
            campos = linea.split()
            punto, opciones = campos[4].replace("\\040", " "), campos[5].split(",")
            if punto in libres or punto.startswith(VIRTUALES) or "ro" in opciones:
                continue
            puntos.append((punto, sum(b for o, b in BANDERAS.items() if o in opciones)))
        for punto, extra in puntos:
            _montar(libc, None, punto, None, MS_BIND | MS_REMOUNT | MS_RDONLY | extra)
        # Comprobación: fuera de las carpetas de trabajo ya no se puede escribir.
        return "protegidos" if _solo_lectura(Path(escribibles[0]).parent) else "sin proteger"
    except (OSError, AttributeError):
        return "sin proteger"


def _solo_lectura(carpeta: Path) -> bool:
    try:
        (carpeta / f".prueba-{os.getpid()}").touch()
    except OSError:
        return True
    (carpeta / f".prueba-{os.getpid()}").unlink()
    return False


def entorno_aislado(trabajo: Path, gpu: int | None, hilos: int) -> dict[str, str]:
    """Variables de entorno del núcleo: nada del entorno del profesor salvo lo imprescindible."""
    entorno = {k: os.environ[k] for k in HEREDADAS if k in os.environ}
    for sub in ("tmp", ".config/matplotlib", ".cache/huggingface"):
        (trabajo / sub).mkdir(parents=True, exist_ok=True)
    entorno.update(
        HOME=str(trabajo), TMPDIR=str(trabajo / "tmp"),
        JUPYTER_RUNTIME_DIR=str(trabajo / "tmp"), IPYTHONDIR=str(trabajo / ".ipython"),
        MPLBACKEND="Agg", MPLCONFIGDIR=str(trabajo / ".config/matplotlib"),
        HF_HOME=str(trabajo / ".cache/huggingface"),
        HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
        CURSONLP_MODO="local", HF_HUB_DISABLE_TELEMETRY="1", PIP_NO_INDEX="1",
        http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9",
        HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9",
        no_proxy="127.0.0.1,localhost", NO_PROXY="127.0.0.1,localhost",
        PYTHONHASHSEED="0", TOKENIZERS_PARALLELISM="false",
        OMP_NUM_THREADS=str(hilos), MKL_NUM_THREADS=str(hilos),
        CUDA_VISIBLE_DEVICES="" if gpu is None else str(gpu),
    )
    _copiar_cache_de_fuentes(trabajo / ".config/matplotlib")
    return entorno


def _copiar_cache_de_fuentes(destino: Path) -> None:
    """Copia la caché de fuentes de matplotlib del calificador (si no, cada entrega tarda
    segundos en reconstruirla). Se copia, no se comparte: un alumno no puede tocar la de otro."""
    try:
        import matplotlib

        for archivo in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
            shutil.copy2(archivo, destino / archivo.name)
    except Exception:  # sin caché sólo es más lento
        pass


class Vigilante(threading.Thread):
    """Mata los procesos hijos (el núcleo y lo que lance) si se pasan de tiempo o de memoria.
    ``motivo`` queda en ``"tiempo"`` o ``"memoria"`` si tuvo que actuar."""

    def __init__(self, segundos: float, memoria_mb: float, intervalo: float = 0.1,
                 excepto: int | None = None):
        super().__init__(daemon=True)
        self.excepto = excepto  # la fábrica de núcleos: no es de la entrega
        self.limite = time.monotonic() + segundos
        self.memoria = memoria_mb * 2**20
        self.intervalo, self.motivo, self.pico_mb = intervalo, None, 0.0
        self._parar = threading.Event()

    def run(self) -> None:
        yo = psutil.Process()
        while not self._parar.wait(self.intervalo):
            hijos = [p for p in yo.children(recursive=True) if p.pid != self.excepto]
            rss = 0
            for p in hijos:
                try:
                    rss += p.memory_info().rss
                except psutil.Error:
                    pass
            self.pico_mb = max(self.pico_mb, rss / 2**20)
            if rss > self.memoria:
                self.motivo = "memoria"
            elif time.monotonic() > self.limite:
                self.motivo = "tiempo"
            if self.motivo:
                matar(hijos)
                return

    def parar(self) -> None:
        self._parar.set()


def matar(procesos, esperar: bool = True) -> None:
    for p in procesos:
        try:
            p.kill()
        except psutil.Error:
            pass
    if esperar:
        psutil.wait_procs(procesos, timeout=5)


def matar_hijos(excepto: int | None = None) -> None:
    """Mata a todos los descendientes de este proceso salvo ``excepto`` (la fábrica)."""
    matar([p for p in psutil.Process().children(recursive=True) if p.pid != excepto])
