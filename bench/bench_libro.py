"""Mide la instalación desde cero, la construcción del libro (en frío y con caché) y el tiempo
de ejecución de cada cuaderno. Imprime las cifras; no falla por tiempos (los objetivos
—libro en frío ≤ 10 min en 2 núcleos, reconstrucción con caché ≤ 30 s— se comparan a ojo).

    make bench            # o: .venv/bin/python bench/bench_libro.py [--sin-instalacion]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ENTORNO = dict(os.environ, HF_HUB_OFFLINE="1", CURSONLP_MODO="local")
# uv desde el PATH o como módulo del Python del sistema (como hace el Makefile).
UV = [shutil.which("uv")] if shutil.which("uv") else ["python3", "-m", "uv"]


def cronometrar(comando: list[str], cwd: Path) -> float:
    inicio = time.perf_counter()
    r = subprocess.run(comando, cwd=cwd, env=ENTORNO, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"Falló {' '.join(comando)}:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return time.perf_counter() - inicio


def copia_limpia(destino: Path) -> Path:
    """Copia los archivos versionados (como un clon nuevo, sin _build ni .venv)."""
    archivos = subprocess.run(["git", "ls-files"], cwd=RAIZ, capture_output=True, text=True).stdout.split()
    for archivo in archivos:
        (destino / archivo).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(RAIZ / archivo, destino / archivo)
    return destino


def instalacion(tmp: Path) -> float:
    enlaces = os.environ.get("PIP_FIND_LINKS", "/opt/wheels")
    venv = tmp / "venv"
    inicio = time.perf_counter()
    subprocess.run(UV + ["venv", "--quiet", "--python", "python3", str(venv)], check=True)
    env = dict(os.environ, UV_CACHE_DIR=str(tmp / "uv-cache"))
    base = UV + ["pip", "install", "--python", str(venv / "bin" / "python"), "--quiet",
                 "--compile-bytecode", "--find-links", enlaces]
    subprocess.run(base + ["torch==2.13.0"], check=True, env=env)
    subprocess.run(base + ["-c", str(RAIZ / "constraints.txt"), "-e", f"{RAIZ}[dev]"], check=True, env=env)
    return time.perf_counter() - inicio


def por_cuaderno(carpeta: Path) -> dict[str, float]:
    import nbformat
    from nbclient import NotebookClient

    tiempos = {}
    for ruta in sorted((carpeta / "book").glob("*.ipynb")):
        nb = nbformat.read(ruta, as_version=4)
        inicio = time.perf_counter()
        NotebookClient(nb, timeout=900, kernel_name="python3",
                       resources={"metadata": {"path": str(ruta.parent)}}).execute()
        tiempos[ruta.name] = time.perf_counter() - inicio
    return tiempos


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sin-instalacion", action="store_true", help="no medir la instalación")
    args = parser.parse_args()
    os.environ.update({k: v for k, v in ENTORNO.items() if k in ("HF_HUB_OFFLINE", "CURSONLP_MODO", "MPLBACKEND")})
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        if not args.sin_instalacion:
            print(f"instalación desde cero (uv, caché vacía): {instalacion(tmp):7.1f} s", flush=True)
        copia = copia_limpia(tmp / "repo")
        jb = [str(BIN / "jupyter-book"), "build", ".", "--builder", "html"]
        print(f"libro en frío:                             {cronometrar(jb, copia):7.1f} s", flush=True)
        print(f"libro con caché (sin cambios):             {cronometrar(jb, copia):7.1f} s", flush=True)
        for nombre, segundos in por_cuaderno(copia).items():
            print(f"  ejecutar {nombre:<34} {segundos:7.1f} s", flush=True)


if __name__ == "__main__":
    main()
