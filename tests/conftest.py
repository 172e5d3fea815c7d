"""Configuración común: las pruebas corren en modo local, sin red y sin pantalla."""

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ["HF_HUB_OFFLINE"] = "1"


@pytest.fixture(autouse=True)
def modo_local(monkeypatch):
    """Modo local salvo que la prueba lo cambie."""
    monkeypatch.setenv("CURSONLP_MODO", "local")
    yield
