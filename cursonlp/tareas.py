"""Tareas que ``pipeline`` ya no ofrece en transformers 5.

transformers 5 retiró las pipelines ``question-answering``, ``summarization`` y
``translation`` (recomienda un modelo de chat con ``text-generation``). Los modelos
extractivos y seq2seq siguen funcionando: estas funciones hacen, con pocas líneas visibles,
lo que hacían aquellas pipelines.
"""

from __future__ import annotations


def responder_pregunta(modelo, tokenizer, pregunta: str, contexto: str,
                       max_tokens_respuesta: int = 30) -> dict:
    """Respuesta extractiva: el tramo del contexto con mejor puntuación inicio + fin.

    Devuelve ``{"answer", "score", "start", "end"}`` con ``start``/``end`` en caracteres.
    """
    import torch

    entrada = tokenizer(pregunta, contexto, return_tensors="pt", truncation="only_second",
                        max_length=getattr(modelo.config, "max_position_embeddings", 512),
                        return_offsets_mapping=True)
    offsets = entrada.pop("offset_mapping")[0].tolist()
    secuencia = entrada.sequence_ids(0)
    entrada = {k: v.to(modelo.device) for k, v in entrada.items()}
    with torch.no_grad():
        salida = modelo(**entrada)
    inicio = salida.start_logits[0].float().cpu()
    fin = salida.end_logits[0].float().cpu()
    es_contexto = torch.tensor([s == 1 for s in secuencia])
    inicio = inicio.masked_fill(~es_contexto, -1e9)
    fin = fin.masked_fill(~es_contexto, -1e9)
    # Puntuación de cada par (i, j) con i <= j < i + max_tokens_respuesta.
    pares = inicio[:, None] + fin[None, :]
    n = pares.shape[0]
    valido = torch.ones(n, n, dtype=torch.bool).triu() & ~torch.ones(n, n, dtype=torch.bool).triu(max_tokens_respuesta)
    pares = pares.masked_fill(~valido, -1e9)
    mejor = int(pares.argmax())
    i, j = divmod(mejor, n)
    probabilidad = (torch.softmax(inicio, 0)[i] * torch.softmax(fin, 0)[j]).item()
    a, b = offsets[i][0], offsets[j][1]
    return {"answer": contexto[a:b], "score": probabilidad, "start": a, "end": b}


def generar_texto_seq2seq(modelo, tokenizer, textos, prefijo: str = "", **generate_kwargs) -> list[str]:
    """Genera con un modelo codificador-decodificador (traducción, resumen).

    ``prefijo`` se antepone a cada texto (los T5 usan uno por tarea, p. ej.
    ``"traducir español a portugués: "``). Devuelve una cadena por texto.
    """
    import torch

    if isinstance(textos, str):
        textos = [textos]
    entradas = tokenizer([prefijo + t for t in textos], return_tensors="pt", padding=True,
                         truncation=True).to(modelo.device)
    generate_kwargs.setdefault("max_new_tokens", 64)
    generate_kwargs.setdefault("num_beams", 4)
    with torch.no_grad():
        salidas = modelo.generate(**entradas, **generate_kwargs)
    return tokenizer.batch_decode(salidas, skip_special_tokens=True)
