"""Gráficos que comparten los capítulos: mapas de atención y curvas de entrenamiento."""

from __future__ import annotations


def _como_array(x):
    try:
        import torch
        if isinstance(x, torch.Tensor):
            return x.detach().float().cpu().numpy()
    except ImportError:
        pass
    import numpy as np
    return np.asarray(x, dtype=float)


def mapa_atencion(pesos, tokens, ax=None, titulo=None, barra=True):
    """Dibuja una matriz de atención (consultas en filas, claves en columnas).

    ``pesos``: matriz ``[n, n]`` (tensor o array); ``tokens``: las ``n`` etiquetas.
    Devuelve el ``Axes`` de matplotlib.
    """
    import matplotlib.pyplot as plt

    matriz = _como_array(pesos)
    if matriz.ndim != 2 or matriz.shape[0] != matriz.shape[1] or matriz.shape[0] != len(tokens):
        raise ValueError(
            f"La matriz de atención debe ser [{len(tokens)}, {len(tokens)}] (una fila y una "
            f"columna por token); llegó con forma {tuple(matriz.shape)}."
        )
    if ax is None:
        lado = max(3.0, 0.45 * len(tokens) + 1.5)
        _, ax = plt.subplots(figsize=(lado, lado))
    imagen = ax.imshow(matriz, cmap="viridis", vmin=0.0, vmax=max(1e-9, float(matriz.max())))
    ax.set_xticks(range(len(tokens)), labels=tokens, rotation=90, fontsize=8)
    ax.set_yticks(range(len(tokens)), labels=tokens, fontsize=8)
    ax.set_xlabel("clave (a qué token se atiende)")
    ax.set_ylabel("consulta (qué token atiende)")
    if titulo:
        ax.set_title(titulo)
    if barra:
        ax.figure.colorbar(imagen, ax=ax, fraction=0.046, pad=0.04)
    return ax


def rejilla_atencion(atenciones, tokens, ejemplo=0, capas=None, cabezas=None, tam=1.8):
    """Rejilla capas × cabezas con las atenciones que devuelve ``output_attentions=True``.

    ``atenciones``: tupla con un tensor ``[lote, cabezas, n, n]`` por capa.
    Devuelve la ``Figure``.
    """
    import matplotlib.pyplot as plt

    if atenciones is None or len(atenciones) == 0 or atenciones[0] is None:
        raise ValueError(
            "No hay atenciones que dibujar. En transformers 5 carga el modelo con "
            "attn_implementation=\"eager\" y llama al modelo con output_attentions=True."
        )
    capas = list(range(len(atenciones))) if capas is None else list(capas)
    n_cabezas = atenciones[0].shape[1]
    cabezas = list(range(n_cabezas)) if cabezas is None else list(cabezas)
    fig, ejes = plt.subplots(len(capas), len(cabezas), squeeze=False,
                             figsize=(tam * len(cabezas) + 1, tam * len(capas) + 1))
    for i, capa in enumerate(capas):
        for j, cabeza in enumerate(cabezas):
            ax = ejes[i][j]
            matriz = _como_array(atenciones[capa][ejemplo, cabeza])
            ax.imshow(matriz, cmap="viridis", vmin=0.0)
            ax.set_xticks([])
            ax.set_yticks([])
            if i == 0:
                ax.set_title(f"cabeza {cabeza}", fontsize=9)
            if j == 0:
                ax.set_ylabel(f"capa {capa}", fontsize=9)
    fig.suptitle(f"Atención por capa y cabeza ({len(tokens)} tokens)")
    fig.tight_layout()
    return fig


def curvas_entrenamiento(historial, ax=None, titulo="Curvas de entrenamiento"):
    """Pérdida de entrenamiento y de validación por paso, a partir de ``trainer.state.log_history``
    (o de una lista de diccionarios con ``step`` y ``loss``/``eval_loss``)."""
    import matplotlib.pyplot as plt

    historial = getattr(getattr(historial, "state", None), "log_history", historial)
    entreno = [(h["step"], h["loss"]) for h in historial if "loss" in h and "step" in h]
    valid = [(h["step"], h["eval_loss"]) for h in historial if "eval_loss" in h and "step" in h]
    if not entreno and not valid:
        raise ValueError("El historial no tiene valores de 'loss' ni de 'eval_loss'.")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    if entreno:
        ax.plot(*zip(*entreno), marker=".", label="entrenamiento")
    if valid:
        ax.plot(*zip(*valid), marker="o", label="validación")
    ax.set_xlabel("paso")
    ax.set_ylabel("pérdida")
    ax.set_title(titulo)
    ax.grid(alpha=0.3)
    ax.legend()
    return ax
