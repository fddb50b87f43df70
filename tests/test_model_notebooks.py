"""The two notebooks run end to end (nbmake), as the suite's own check of them.

They read ../shared/data when present and skip their data cells gracefully when it is absent.
"""

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

NOTEBOOKS = ["explore_flags.ipynb", "evaluation.ipynb"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs(name, tmp_path):
    pytest.importorskip("nbmake")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), os.environ.get("PYTHONPATH", "")]), "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbmake",
         "--nbmake-timeout=300", str(ROOT / "notebooks" / name)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
