"""Higiene de los cuadernos y del texto: sin salidas, UTF-8 válido, sin mojibake, Colab."""

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

RAIZ = Path(__file__).resolve().parents[1]
# Secuencias típicas de UTF-8 leído como Latin-1/MacRoman/EUC-KR, escritas con escapes
# para que este archivo no se delate a sí mismo.
MOJIBAKE = re.compile("\u00c3[\u00a1\u00a9\u00ad\u00b3\u00ba\u00f1\u00b1\u2018\u201c]|\u00e2\u20ac|\u00c2\u00bf|\u00c2\u00a1|\u221a\u00b0|\u221a\u00a9|\u221a\u2260|\u221a\u2265|\u221a\u222b|\u221a\u00b1|\u00fc\u00a7\u00f3|[\uce58\uce69\uce64\uce60\uce68\uce70]|\ufffd")


def archivos_versionados(*patrones):
    salida = subprocess.run(["git", "ls-files", *patrones], cwd=RAIZ, capture_output=True, text=True)
    return [RAIZ / p for p in salida.stdout.split()] if salida.returncode == 0 else []


CUADERNOS = sorted(RAIZ.glob("book/*.ipynb")) + sorted(RAIZ.glob("solutions/*/*.ipynb")) \
    + sorted(RAIZ.glob("exercises/*/*.ipynb"))
TEXTOS = [p for p in archivos_versionados("*.md", "*.ipynb", "*.py", "*.yml", "*.json", "*.jsonl")
          if "modelos" not in p.parts]


def test_hay_cuadernos_y_textos():
    assert len(CUADERNOS) >= 2 and len(TEXTOS) > 20


@pytest.mark.parametrize("ruta", CUADERNOS, ids=lambda p: p.relative_to(RAIZ).as_posix())
def test_cuaderno_sin_salidas_y_con_instalacion_en_colab(ruta):
    nb = json.loads(ruta.read_text(encoding="utf-8"))
    codigo = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for celda in codigo:
        assert not celda.get("outputs"), f"{ruta.name}: celda con salidas"
        assert celda.get("execution_count") is None, f"{ruta.name}: celda con número de ejecución"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    primera = "".join(codigo[0]["source"])
    assert "google.colab" in primera and "pip install" in primera and "cursonlp" in primera


def test_textos_en_utf8_sin_mojibake():
    malos = []
    for ruta in TEXTOS:
        try:
            texto = ruta.read_bytes().decode("utf-8")
        except UnicodeDecodeError as e:
            malos.append(f"{ruta}: no es UTF-8 ({e})")
            continue
        if m := MOJIBAKE.search(texto):
            malos.append(f"{ruta.relative_to(RAIZ)}: «{m.group(0)}»")
    assert not malos, "\n".join(malos)


@pytest.mark.parametrize("ruta", CUADERNOS, ids=lambda p: p.relative_to(RAIZ).as_posix())
def test_espanol_con_signos_de_apertura(ruta):
    nb = json.loads(ruta.read_text(encoding="utf-8"))
    prosa = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    prosa = re.sub(r"`[^`]*`|```.*?```", "", prosa, flags=re.S)
    assert re.search(r"[áéíóúñ]", prosa), "sin tildes: ¿está en español?"
    for frase in re.findall(r"[^.\n:;]*\?", prosa):
        assert "¿" in frase, f"pregunta sin «¿»: {frase.strip()}"


def test_toc_apunta_a_archivos_que_existen():
    toc = yaml.safe_load((RAIZ / "_toc.yml").read_text(encoding="utf-8"))
    archivos = [toc["root"]] + [c["file"] for parte in toc["parts"] for c in parte["chapters"]]
    for archivo in archivos:
        assert any((RAIZ / f"{archivo}{ext}").exists() for ext in (".md", ".ipynb")), archivo
    assert "book/00_configuracion" in archivos and "book/01_transformers" in archivos
