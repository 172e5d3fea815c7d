"""Perplejidad de un modelo causal sobre unos textos: exp(pérdida media por token)."""

import math

import datasets
import evaluate


class Perplexity(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description="exp de la entropía cruzada media por token de un modelo causal.", citation="",
            inputs_description="predictions: textos; model_id: ruta o id de un modelo causal",
            features=datasets.Features({"predictions": datasets.Value("string")}),
        )

    def _compute(self, predictions, model_id, batch_size=8, max_length=256, device=None):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(model_id)
        modelo = AutoModelForCausalLM.from_pretrained(model_id).eval()
        if device:
            modelo.to(device)
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        perplejidades, suma, n_tokens = [], 0.0, 0
        for i in range(0, len(predictions), batch_size):
            lote = tokenizer(predictions[i:i + batch_size], return_tensors="pt", padding=True,
                             truncation=True, max_length=max_length).to(modelo.device)
            with torch.no_grad():
                logits = modelo(**lote).logits[:, :-1].float()
            objetivo = lote["input_ids"][:, 1:]
            mascara = lote["attention_mask"][:, 1:].float()
            perdida = torch.nn.functional.cross_entropy(
                logits.transpose(1, 2), objetivo, reduction="none") * mascara
            for fila, m in zip(perdida, mascara):
                perplejidades.append(math.exp(fila.sum().item() / max(1.0, m.sum().item())))
            suma += perdida.sum().item()
            n_tokens += int(mascara.sum().item())
        return {"perplexities": perplejidades, "mean_perplexity": sum(perplejidades) / len(perplejidades),
                "corpus_perplexity": math.exp(suma / max(1, n_tokens))}
