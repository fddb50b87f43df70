"""Model files are data, not code: a skops file naming an untrusted type or function is refused
by detector.model.load_model with ModelLoadError before anything in it is built or called."""

from __future__ import annotations

import json
import pickle
import zipfile

import pytest
import skops.io as sio
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from typer.testing import CliRunner

from detector.model import ModelLoadError, load_model, save_model

ROWS = [{"page_article_share": a, "page_link_density": d}
        for a, d in ((0.9, 0.05), (0.8, 0.1), (0.2, 0.6), (0.1, 0.7))]
LABELS = [0, 0, 1, 1]
CALLS: list[str] = []  # every side effect of the crafted objects lands here


class Evil:
    """A custom class: building it from a model file would run code of our choosing."""

    def __setstate__(self, state):
        CALLS.append("Evil.__setstate__")
        self.__dict__.update(state)

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X


def record_call(X):
    CALLS.append("record_call")
    return X


def tiny_pipeline(*middle, fit: bool = True) -> Pipeline:
    steps = [("vec", DictVectorizer()), *middle, ("clf", LogisticRegression())]
    pipe = Pipeline(steps)
    return pipe.fit(ROWS, LABELS) if fit else pipe


@pytest.fixture(autouse=True)
def _no_calls():
    CALLS.clear()
    yield
    assert CALLS == [], f"a crafted model file ran code: {CALLS}"


def test_model_safety_trusted_model_loads(tmp_path):
    """The control: a model of trusted types loads and scores."""
    path = save_model(tiny_pipeline(), {"version": "ok"}, tmp_path / "ok.skops")
    qm = load_model(path)
    assert qm.version == "ok"
    assert 0.0 <= qm.p_spam(ROWS[0]) <= 1.0


@pytest.mark.parametrize("step,type_name", [
    (("evil", Evil()), f"{__name__}.Evil"),
    (("f", FunctionTransformer(func=record_call)), f"{__name__}.record_call"),
    (("f", FunctionTransformer(func=print)), "builtins.print"),
])
def test_model_safety_untrusted_type_is_refused(tmp_path, step, type_name):
    path = tmp_path / "crafted.skops"
    sio.dump(tiny_pipeline(step, fit=False), path)
    with pytest.raises(ModelLoadError) as err:
        load_model(path)
    msg = str(err.value)
    assert "refusing to load" in msg and "not trusted" in msg
    assert type_name in msg and str(path) in msg


def _rewrite_schema(path, old: tuple[str, str], new: tuple[str, str], out) -> None:
    """Copy a skops file, pointing every schema node of type ``old`` (module, class) at
    ``new`` instead: what an attacker does to a harmless model file."""
    hits = 0

    def walk(node):
        nonlocal hits
        if isinstance(node, dict):
            if (node.get("__module__"), node.get("__class__")) == old:
                node["__module__"], node["__class__"] = new
                hits += 1
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "schema.json":
                schema = json.loads(data)
                walk(schema)
                data = json.dumps(schema).encode()
            zout.writestr(item, data)
    assert hits, f"no node of type {old} to rewrite"


@pytest.mark.parametrize("module,name", [("builtins", "eval"), ("os", "system"),
                                         ("subprocess", "check_call")])
def test_model_safety_hand_edited_function_reference_is_refused(tmp_path, module, name):
    """An attacker edits schema.json of a harmless file to point at a dangerous callable."""
    src = tmp_path / "src.skops"
    sio.dump(tiny_pipeline(("f", FunctionTransformer(func=record_call)), fit=False), src)
    crafted = tmp_path / "edited.skops"
    _rewrite_schema(src, (__name__, "record_call"), (module, name), crafted)
    assert f"{module}.{name}" in sio.get_untrusted_types(file=crafted)
    with pytest.raises(ModelLoadError, match=rf"not trusted: .*{module}\.{name}"):
        load_model(crafted)


def test_model_safety_hand_edited_class_is_refused(tmp_path):
    """A trusted class name swapped for an arbitrary importable one."""
    src = tmp_path / "src.skops"
    sio.dump(tiny_pipeline(), src)
    crafted = tmp_path / "edited.skops"
    _rewrite_schema(src, ("sklearn.linear_model._logistic", "LogisticRegression"),
                    ("subprocess", "Popen"), crafted)
    with pytest.raises(ModelLoadError, match=r"subprocess\.Popen"):
        load_model(crafted)


@pytest.mark.parametrize("content", [
    b"",
    b"not a zip file at all",
    pickle.dumps(Evil()),  # a pickle named .skops: must never be unpickled
    None,  # a zip without schema.json
])
def test_model_safety_unreadable_files_are_clear_errors(tmp_path, content):
    path = tmp_path / "bad.skops"
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("other.txt", "x")
    else:
        path.write_bytes(content)
    with pytest.raises(ModelLoadError, match="not a readable skops model file"):
        load_model(path)


def test_model_safety_missing_file(tmp_path):
    with pytest.raises(ModelLoadError, match="model file not found"):
        load_model(tmp_path / "absent.skops")


def test_model_safety_cli_refuses_with_exit_2(tmp_path):
    from detector.cli import app

    path = tmp_path / "crafted.skops"
    sio.dump(tiny_pipeline(("evil", Evil()), fit=False), path)
    page = tmp_path / "p.html"
    page.write_text("<html><body><p>hello</p></body></html>")
    args = ["score", str(page), "--model", str(path)]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2
    assert "refusing to load" in res.stderr and f"{__name__}.Evil" in res.stderr


# A module whose attribute look-ups import modules by name, as Cython's `cython.cimports`
# shadow does (scipy loads it whenever Cython is installed). skops.io looks type names up on
# every loaded module when it is imported, so without `detector._skops.guarded` a file named
# like one of those types (`exp2.py`, from numpy.exp2) in the current directory ran.
_LAZY_IMPORTER_SCRIPT = """
import importlib, sys, types

lazy = types.ModuleType("lazy_importer_for_test")
def __getattr__(item):
    if item.startswith("__"):
        raise AttributeError(item)
    try:
        return importlib.import_module(item)
    except ImportError:
        raise AttributeError(item) from None
lazy.__getattr__ = __getattr__
sys.modules[lazy.__name__] = lazy
sys.path.insert(0, "")  # what `python -m detector` and notebooks have

from detector.blocks.model import shipped_model
from detector.model import load_model
load_model()
shipped_model()
print("loaded")
"""


def test_model_safety_loading_runs_no_file_from_the_current_directory(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    marker = tmp_path / "stray-ran"
    for name in ("exp2", "exp", "log", "sqrt", "Pipeline"):
        (tmp_path / f"{name}.py").write_text(f"open({str(marker)!r}, 'a').write('{name} ')\n")
    env = dict(os.environ, PYTHONPATH=str(repo))
    run = subprocess.run([sys.executable, "-c", _LAZY_IMPORTER_SCRIPT], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "loaded" in run.stdout
    assert not marker.exists(), f"a stray file ran while the models loaded: {marker.read_text()}"
