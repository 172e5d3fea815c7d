"""Detección del modo y errores del registro."""

import importlib
import socket

import pytest

import cursonlp
modulo_modo = importlib.import_module("cursonlp.modo")


@pytest.fixture
def sin_forzar(monkeypatch):
    monkeypatch.delenv("CURSONLP_MODO", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    modulo_modo._sondeo.cache_clear()
    yield
    modulo_modo._sondeo.cache_clear()


def test_variable_explicita_manda(monkeypatch, sin_forzar):
    monkeypatch.setenv("CURSONLP_MODO", "hub")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert cursonlp.modo() == "hub"
    monkeypatch.setenv("CURSONLP_MODO", "LOCAL")
    assert cursonlp.modo() == "local"


def test_valor_invalido_da_error_claro(monkeypatch, sin_forzar):
    monkeypatch.setenv("CURSONLP_MODO", "nube")
    with pytest.raises(ValueError, match="CURSONLP_MODO.*'local' o 'hub'"):
        cursonlp.modo()


def test_hf_hub_offline_es_local_sin_sondear(monkeypatch, sin_forzar):
    def prohibido(*a, **k):
        raise AssertionError("no debe sondear la red con HF_HUB_OFFLINE=1")
    monkeypatch.setattr(socket, "create_connection", prohibido)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert cursonlp.modo() == "local"
    assert "HF_HUB_OFFLINE" in cursonlp.describir_modo()


def test_sondeo_sin_red_da_local_y_se_hace_una_vez(monkeypatch, sin_forzar):
    llamadas = []

    def sin_red(*a, **k):
        llamadas.append(a)
        raise OSError("red inaccesible")
    monkeypatch.setattr(socket, "create_connection", sin_red)
    assert cursonlp.modo() == "local"
    assert cursonlp.modo() == "local"
    assert len(llamadas) == 1
    assert "no responde" in cursonlp.describir_modo()


def test_sondeo_con_red_da_hub(monkeypatch, sin_forzar):
    class Conexion:
        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: Conexion())
    assert cursonlp.modo() == "hub"


def test_checkpoint_en_modo_hub_devuelve_el_id(monkeypatch):
    monkeypatch.setenv("CURSONLP_MODO", "hub")
    assert cursonlp.checkpoint("gpt2") == "gpt2"
    assert cursonlp.checkpoint("un/modelo-cualquiera") == "un/modelo-cualquiera"


def test_checkpoint_local_devuelve_una_carpeta_con_modelo(capsys):
    ruta = cursonlp.checkpoint("DeepESP/gpt2-spanish")
    assert ruta.endswith("gpt2-es-mini")
    assert "[modo local]" in capsys.readouterr().out


def test_checkpoint_desconocido_lista_los_conocidos():
    with pytest.raises(LookupError) as error:
        cursonlp.checkpoint("nadie/no-existe")
    mensaje = str(error.value)
    assert "nadie/no-existe" in mensaje and "no está en el registro" in mensaje
    for conocido in cursonlp.checkpoints_conocidos():
        assert conocido in mensaje


def test_modelo_local_ausente_dice_como_construirlo(monkeypatch, tmp_path):
    from cursonlp import registro
    monkeypatch.setattr(registro, "CARPETA_MODELOS", tmp_path)
    with pytest.raises(FileNotFoundError, match="make modelos"):
        cursonlp.checkpoint("gpt2")


def test_dataset_desconocido_lista_los_conocidos():
    with pytest.raises(LookupError, match="stanfordnlp/imdb"):
        cursonlp.cargar_dataset("alguien/otro-dataset")


def test_fallo_de_descarga_en_modo_hub_no_se_esconde(monkeypatch):
    import datasets

    def sin_red(*a, **k):
        raise ConnectionError("sin conexión")
    monkeypatch.setenv("CURSONLP_MODO", "hub")
    monkeypatch.setattr(datasets, "load_dataset", sin_red)
    with pytest.raises(RuntimeError, match="No se pudo descargar.*stanfordnlp/imdb"):
        cursonlp.cargar_dataset("stanfordnlp/imdb")


def test_dispositivo_en_cpu(monkeypatch):
    monkeypatch.delenv("CURSONLP_DISPOSITIVO", raising=False)
    import torch
    esperado = "cuda" if torch.cuda.is_available() else "cpu"
    assert cursonlp.dispositivo() in (esperado, "mps")
    assert cursonlp.dispositivo("cpu") == "cpu"
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="no hay GPU"):
            cursonlp.dispositivo("cuda")


def test_semilla_reproduce():
    import torch
    cursonlp.fijar_semilla(3)
    a = torch.rand(4)
    cursonlp.fijar_semilla(3)
    assert torch.equal(a, torch.rand(4))
