"""environment.yml, pyproject.toml y constraints.txt describen el mismo entorno."""

import re
import tomllib
from pathlib import Path

import yaml

RAIZ = Path(__file__).resolve().parents[1]


def _nombre(requisito: str) -> str:
    return re.split(r"[<>=!~\[; ]", requisito.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pins(lineas):
    return {_nombre(l): l.split("==")[1].strip() for l in lineas if "==" in l}


def test_environment_lista_lo_mismo_que_pyproject():
    proyecto = tomllib.loads((RAIZ / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    de_pyproject = {_nombre(r) for r in proyecto["dependencies"] + proyecto["optional-dependencies"]["dev"]}
    env = yaml.safe_load((RAIZ / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    de_env = {_nombre(r) for r in pip if not r.startswith("-e")}
    assert de_env == de_pyproject
    assert "-e ." in pip


def test_versiones_de_environment_iguales_a_constraints():
    env = yaml.safe_load((RAIZ / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    restricciones = _pins((RAIZ / "constraints.txt").read_text(encoding="utf-8").splitlines())
    for nombre, version in _pins(pip).items():
        assert restricciones.get(nombre) == version, nombre


def test_dependencias_del_paquete_sin_versiones_exactas():
    """Colab trae su propio torch y numpy: el paquete sólo pide mínimos."""
    proyecto = tomllib.loads((RAIZ / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [r for r in proyecto["dependencies"] if "==" in r]


def test_ci_llama_a_los_comandos_del_readme():
    ci = (RAIZ / ".ci" / "run").read_text(encoding="utf-8")
    readme = (RAIZ / "README.md").read_text(encoding="utf-8")
    for comando in ("make book", "make test"):
        assert comando in ci and comando in readme
