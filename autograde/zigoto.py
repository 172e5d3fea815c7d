"""Fábrica de núcleos por ``fork``: un proceso con ipykernel ya importado que, por cada entrega,
se bifurca en un núcleo nuevo (con su entorno, su carpeta y su propio grupo de procesos).

Arrancar un núcleo desde cero cuesta ~0,5 s de CPU, casi todo en importar ipykernel e
IPython; bifurcar uno ya importado, unos milisegundos. Cada núcleo sigue siendo un proceso
nuevo: no comparte nada con el de otra entrega salvo los módulos ya cargados (que no se
ejecutan de nuevo). Se conecta a jupyter_client como un *provisioner* local.

Protocolo (una línea JSON por petición): ``{"cmd", "env", "cwd"}`` → ``{"pid"}``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from jupyter_client.provisioning import LocalProvisioner



def _hijo(peticion: dict) -> None:
    """En el proceso bifurcado: se convierte en el núcleo pedido."""
    os.setsid()
    nulo = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(nulo, fd)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.chdir(peticion["cwd"])
    os.environ.clear()
    os.environ.update(peticion["env"])
    import tempfile

    tempfile.tempdir = None
    cmd = peticion["cmd"]
    # Que ipykernel vigile a su padre (el zigoto): si muere, el núcleo sale solo. (Va como
    # argumento: ipykernel lee JPY_PARENT_PID al importarse, y aquí ya estaba importado.)
    sys.argv = (["ipykernel_launcher"] + cmd[cmd.index("ipykernel_launcher") + 1:]
                + [f"--IPKernelApp.parent_handle={os.getppid()}"])
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
    os._exit(0)


def importar() -> None:
    """Lo caro de arrancar un núcleo, importado una sola vez (antes de bifurcar)."""
    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.kernelapp  # noqa: F401
    import IPython.core.interactiveshell  # noqa: F401

    import cursonlp  # noqa: F401  (ligero; lo importan todos los ejercicios)


def servir(entrada, salida) -> None:
    """Bucle del zigoto: lee peticiones por ``entrada`` y responde por ``salida``."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # los núcleos terminados no quedan zombis
    for linea in entrada:
        peticion = json.loads(linea)
        pid = os.fork()
        if pid == 0:
            try:
                entrada.close()
                salida.close()
                _hijo(peticion)
            finally:
                os._exit(1)
        salida.write(json.dumps({"pid": pid}).encode() + b"\n")
        salida.flush()


def _cerrar_descriptores(conservar: set[int]) -> None:
    """El zigoto no hereda las tuberías del trabajador (ni sus núcleos)."""
    for nombre in os.listdir("/proc/self/fd"):
        fd = int(nombre)
        if fd > 2 and fd not in conservar:
            try:
                os.close(fd)
            except OSError:
                pass


class ProcesoBifurcado:
    """Lo que jupyter_client espera de un ``Popen``, para un núcleo hijo del zigoto."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid, self.returncode = pid, None

    def poll(self):
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
        return self.returncode

    def wait(self, timeout=None):
        limite = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if limite is not None and time.monotonic() > limite:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, senal):
        os.kill(self.pid, senal)

    def kill(self):
        self.send_signal(signal.SIGKILL)

    def terminate(self):
        self.send_signal(signal.SIGTERM)


class Zigoto:
    """El proceso fábrica, visto desde el trabajador: un hijo bifurcado del trabajador cuando
    éste aún no tiene hilos, que habla con él por dos tuberías."""

    def __init__(self):
        self.pid = None
        self.escritura = self.lectura = None

    def arrancar(self) -> None:
        importar()
        r_pet, w_pet = os.pipe()
        r_resp, w_resp = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(w_pet)
                os.close(r_resp)
                _cerrar_descriptores({r_pet, w_resp})
                servir(os.fdopen(r_pet, "rb"), os.fdopen(w_resp, "wb"))
            finally:
                os._exit(0)
        os.close(r_pet)
        os.close(w_resp)
        self.pid = pid
        self.escritura, self.lectura = os.fdopen(w_pet, "wb"), os.fdopen(r_resp, "rb")

    def vivo(self) -> bool:
        if self.pid is None:
            return False
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    def bifurcar(self, cmd: list[str], env: dict, cwd: str) -> ProcesoBifurcado:
        if not self.vivo():
            raise RuntimeError("La fábrica de núcleos (zigoto) no está en marcha.")
        peticion = json.dumps({"cmd": cmd, "env": env, "cwd": str(cwd)}).encode() + b"\n"
        self.escritura.write(peticion)
        self.escritura.flush()
        respuesta = self.lectura.readline()
        if not respuesta:
            raise RuntimeError("La fábrica de núcleos (zigoto) murió.")
        return ProcesoBifurcado(json.loads(respuesta)["pid"])


ZIGOTO = Zigoto()


class ProvisionerZigoto(LocalProvisioner):
    """Como el *provisioner* local de jupyter_client, pero el núcleo sale del zigoto."""

    async def launch_kernel(self, cmd, **kwargs):
        env = kwargs.get("env") or dict(os.environ)
        cwd = kwargs.get("cwd") or os.getcwd()
        self.process = ZIGOTO.bifurcar(cmd, env, cwd)
        self.pid = self.pgid = self.process.pid
        self.cwd = cwd
        return self.connection_info


def gestor_de_nucleo(nombre: str = "python3"):
    """Un ``AsyncKernelManager`` cuyo núcleo sale del zigoto (para ``papermill(km=...)``)."""
    import uuid

    from jupyter_client.manager import AsyncKernelManager

    # Puertos nuevos para cada núcleo: reutilizar los del anterior (la caché de jupyter_client)
    # puede mezclar sus mensajes con los de un socket del núcleo anterior aún sin cerrar.
    km = AsyncKernelManager(kernel_name=nombre, cache_ports=False)
    km.kernel_id = str(uuid.uuid4())
    km.provisioner = ProvisionerZigoto(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)
    return km

