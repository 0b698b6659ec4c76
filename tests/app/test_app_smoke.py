from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py")


def test_app_without_a_published_warehouse_explains_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("CADENCE_HOME", str(tmp_path))
    at = AppTest.from_file(APP).run(timeout=30)
    assert not at.exception
    assert "No warehouse is published yet" in at.info[0].value
