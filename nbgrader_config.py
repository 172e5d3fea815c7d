"""Configuración de nbgrader del curso: `solutions/` es la fuente y `exercises/` la publicación.

`make release` (``nbgrader generate_assignment --all --force``) regenera `exercises/` a partir
de `solutions/`. El calificador del curso es `python -m autograde` (ver README).
"""

c = get_config()  # noqa: F821  (nbgrader define get_config al cargar este archivo)

c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# El libro de notas queda en gradebook.db, en la raíz (nbgrader por defecto; no se versiona).

# Lo que ve el alumno en lugar de la solución, en español.
c.ClearSolutions.code_stub = {"python": "# ESCRIBE AQUÍ TU CÓDIGO\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "ESCRIBE AQUÍ TU RESPUESTA"
