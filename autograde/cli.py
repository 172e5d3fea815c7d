"""La orden ``python -m autograde``, con ayuda en español."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from .ejercicios import EJERCICIOS, buscar


def _valor(texto: str):
    try:
        return json.loads(texto)
    except ValueError:
        return texto


def _parametro(texto: str) -> tuple[str, object]:
    nombre, igual, valor = texto.partition("=")
    if not igual or not nombre.isidentifier():
        raise argparse.ArgumentTypeError(f"«{texto}» no tiene la forma nombre=valor")
    return nombre, _valor(valor)


def construir_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m autograde", add_help=False,
        description="Calificador automático del Curso de NLP con 🤗 Transformers. Ejecuta cada "
                    "entrega con papermill, aislada y sin red, y pone la nota en su propio proceso.",
    )
    parser._positionals.title = "órdenes"
    parser._optionals.title = "opciones"
    parser.add_argument("-h", "--help", action="help", help="muestra esta ayuda y termina")
    sub = parser.add_subparsers(dest="orden", required=True, metavar="ORDEN")
    sub.add_parser("ejercicios", help="lista los ejercicios calificables")
    c = sub.add_parser(
        "calificar", help="califica todas las entregas de un ejercicio", add_help=False,
        description="Califica DIR/submitted/<alumno>/<ejercicio>/*.ipynb (la disposición de "
                    "nbgrader). Escribe DIR/autograded, DIR/feedback, DIR/gradebook.db y "
                    "DIR/calificaciones/<ejercicio>.csv y .png. Si se interrumpe, al volver a "
                    "lanzarlo sigue donde lo dejó.")
    c._positionals.title = "argumentos"
    c._optionals.title = "opciones"
    c.add_argument("-h", "--help", action="help", help="muestra esta ayuda y termina")
    c.add_argument("ejercicio", help="nombre del ejercicio (ver «ejercicios»)")
    c.add_argument("--curso", type=Path, default=Path("."), metavar="DIR",
                   help="carpeta del curso de nbgrader (por defecto, la actual)")
    c.add_argument("--trabajos", type=int, default=None, metavar="N",
                   help="entregas a la vez en CPU (por defecto, una por núcleo, o dos en los "
                        "ejercicios ligeros); con GPU, una por GPU")
    c.add_argument("--tiempo", type=int, default=None, metavar="S",
                   help="límite de segundos por entrega (por defecto, el del ejercicio)")
    c.add_argument("--memoria", type=int, default=6000, metavar="MB",
                   help="límite de memoria por entrega, en MB (por defecto, 6000)")
    c.add_argument("--alumno", action="append", metavar="ID",
                   help="califica sólo este alumno (se puede repetir)")
    c.add_argument("--rehacer", action="store_true",
                   help="vuelve a calificar también lo que ya estaba calificado")
    c.add_argument("--parametro", action="append", type=_parametro, default=[],
                   metavar="NOMBRE=VALOR", help="cambia un parámetro del cuaderno (p. ej. epocas=1)")
    c.add_argument("--sin-progreso", action="store_true", help="no muestra la barra de progreso")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = construir_parser().parse_args(argv)
    if args.orden == "ejercicios":
        for nombre, ej in EJERCICIOS.items():
            print(f"{nombre:28} {ej.titulo}")
        return 0
    from .calificar import Calificador, Opciones

    try:
        ejercicio = buscar(args.ejercicio)
    except KeyError as error:
        print(f"Error: {error.args[0]}", file=sys.stderr)
        return 2
    if not (args.curso / "submitted").is_dir():
        print(f"Error: no existe «{args.curso / 'submitted'}». La carpeta del curso debe tener "
              "submitted/<alumno>/<ejercicio>/ (la disposición de nbgrader).", file=sys.stderr)
        return 2
    opciones = Opciones(tiempo=args.tiempo, memoria_mb=args.memoria, rehacer=args.rehacer,
                        alumnos=args.alumno, parametros=dict(args.parametro),
                        progreso=not args.sin_progreso)
    if args.trabajos:
        opciones.trabajos = args.trabajos
    calificador = Calificador(ejercicio, args.curso, opciones)
    try:
        resultados = calificador.calificar()
    except KeyboardInterrupt:
        print("\nInterrumpido. Lo calificado está guardado; vuelve a lanzar la orden para seguir.",
              file=sys.stderr)
        return 130
    estados = Counter(r["estado"] for r in resultados)
    print(f"{len(resultados)} entregas de «{ejercicio.nombre}»: "
          + ", ".join(f"{n} {e}" for e, n in estados.most_common()))
    print(f"Notas: {args.curso / 'calificaciones' / (ejercicio.nombre + '.csv')}")
    return 0
