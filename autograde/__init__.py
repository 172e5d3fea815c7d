"""Calificador automático del curso: ejecuta cada entrega con papermill, aislada, y decide la
nota en su propio proceso con :mod:`cursonlp.comprobaciones`.

Módulos, uno por tarea:

- :mod:`autograde.ejercicios`: qué ejercicios hay, sus parámetros y su rúbrica.
- :mod:`autograde.entrega`: leer una entrega, rechazar la que no vale y restaurar las celdas
  de solo lectura desde el cuaderno publicado.
- :mod:`autograde.aislamiento`: entorno limpio, red cortada y vigilancia de tiempo y memoria.
- :mod:`autograde.ejecucion`: ejecutar un cuaderno con papermill en un proceso trabajador.
- :mod:`autograde.zigoto`: núcleos nuevos por ``fork`` de un proceso con ipykernel ya importado.
- :mod:`autograde.libro_notas`: registrar las notas en el libro de notas de nbgrader.
- :mod:`autograde.informes`: CSV, páginas de retroalimentación e histograma.
- :mod:`autograde.calificar`: el lote completo (paralelo, reanudable).
- :mod:`autograde.cli`: la orden ``python -m autograde``.
"""

import sys

VERSION = "1"

# jsonschema (que usa nbformat) importa rfc3987_syntax si está instalado, y éste construye una
# gramática al importarse: 1,3 s en cada proceso. Los cuadernos no usan formatos IRI, así que
# el calificador y sus trabajadores prescinden de él (arrancan 1,3 s antes).
sys.modules.setdefault("rfc3987_syntax", None)
