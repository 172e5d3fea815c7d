"""Lo que ve el profesor y el alumno: CSV de notas, página de retroalimentación e histograma."""

from __future__ import annotations

import csv
import html
from pathlib import Path

COLUMNAS = ["alumno", "ejercicio", "puntos", "puntos_max", "estado", "motivo"]
ESTADOS = {
    "calificado": "calificado",
    "incompleto": "sin completar",
    "error": "error al ejecutar",
    "tiempo_agotado": "tiempo agotado",
    "memoria": "sin memoria",
    "nucleo_muerto": "el núcleo murió",
    "vacio": "entrega vacía",
    "falta_archivo": "falta el cuaderno",
    "json_invalido": "JSON no válido",
    "no_es_cuaderno": "no es un cuaderno",
    "ejercicio_equivocado": "ejercicio equivocado",
    "error_interno": "error del calificador",
}


def escribir_atomico(ruta: Path, contenido: str | bytes) -> None:
    """Escribe en un temporal y lo renombra: una interrupción nunca deja un archivo a medias."""
    ruta.parent.mkdir(parents=True, exist_ok=True)
    temporal = ruta.with_name(f".{ruta.name}.tmp")
    if isinstance(contenido, bytes):
        temporal.write_bytes(contenido)
    else:
        temporal.write_text(contenido, encoding="utf-8")
    temporal.replace(ruta)


def escribir_csv(ruta: Path, resultados: list[dict]) -> None:
    import io

    salida = io.StringIO()
    escritor = csv.DictWriter(salida, fieldnames=COLUMNAS, extrasaction="ignore")
    escritor.writeheader()
    for r in sorted(resultados, key=lambda r: r["alumno"]):
        escritor.writerow({**r, "puntos": f"{r['puntos']:g}", "puntos_max": f"{r['puntos_max']:g}"})
    escribir_atomico(ruta, salida.getvalue())


def histograma(ruta: Path, resultados: list[dict], titulo: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    maximo = max((r["puntos_max"] for r in resultados), default=10) or 10
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist([r["puntos"] for r in resultados], bins=min(20, int(maximo) + 1),
            range=(0, maximo), color="#4c72b0", edgecolor="white")
    ax.set_xlabel(f"puntos (de {maximo:g})")
    ax.set_ylabel("alumnos")
    ax.set_title(f"{titulo}: {len(resultados)} entregas")
    fig.tight_layout()
    ruta.parent.mkdir(parents=True, exist_ok=True)
    temporal = ruta.with_name(f".{ruta.stem}.tmp.png")
    fig.savefig(temporal, dpi=100)
    plt.close(fig)
    temporal.replace(ruta)


def retroalimentacion(resultado: dict, titulo: str) -> str:
    """Página HTML en español con la nota, el estado y cada comprobación."""
    e = html.escape
    filas = "".join(
        f"<tr><td>{e(c['nombre'])}</td><td>{c['puntos']:g} / {c['maximo']:g}</td>"
        f"<td>{e(c['mensaje'])}</td></tr>" for c in resultado.get("comprobaciones", []))
    notas = "".join(f"<li>{e(n)}</li>" for n in resultado.get("notas", []))
    motivo = f"<p><strong>Motivo:</strong> {e(resultado['motivo'])}</p>" if resultado["motivo"] else ""
    return f"""<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8"><title>{e(titulo)}: {e(resultado['alumno'])}</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto}}td,th{{border:1px solid #ccc;padding:.3em .6em}}table{{border-collapse:collapse}}</style>
</head><body>
<h1>{e(titulo)}</h1>
<p>Alumno: <strong>{e(resultado['alumno'])}</strong></p>
<p>Nota: <strong>{resultado['puntos']:g} de {resultado['puntos_max']:g}</strong>
({e(ESTADOS.get(resultado['estado'], resultado['estado']))})</p>
{motivo}
{"<table><tr><th>Comprobación</th><th>Puntos</th><th>Detalle</th></tr>" + filas + "</table>" if filas else ""}
{"<h2>Avisos</h2><ul>" + notas + "</ul>" if notas else ""}
<p><small>Calificado automáticamente ({"sin red" if resultado.get("red") == "cortada" else "sin acceso al hub"}), con {resultado.get('segundos', 0):g} s de ejecución.</small></p>
</body></html>
"""


def _texto(valor) -> str:
    return "".join(valor) if isinstance(valor, list) else valor  # en disco, listas de líneas


def recortar_salidas(nb: dict, max_caracteres: int = 20_000) -> bool:
    """Recorta las salidas enormes del cuaderno ejecutado (el JSON tal cual); dice si recortó."""
    recortado = False
    for celda in nb.get("cells", []):
        for salida in celda.get("outputs", []):
            texto = _texto(salida.get("text", ""))
            if salida.get("output_type") == "stream" and len(texto) > max_caracteres:
                salida["text"] = (texto[:max_caracteres]
                                  + f"\n[… salida recortada: {len(texto):,} caracteres en total …]\n")
                recortado = True
            for tipo, valor in list(salida.get("data", {}).items()):
                valor = _texto(valor)
                if isinstance(valor, str) and len(valor) > 50 * max_caracteres:
                    salida["data"][tipo] = f"[salida de {len(valor):,} caracteres omitida]"
                    recortado = True
    return recortado
