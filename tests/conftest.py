from pathlib import Path

import pytest

from detector.datasets import data_dir

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SEED = ROOT / "samples" / "republished-aljazeera-biden-kishida.txt"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    d = data_dir()
    if d is None:
        pytest.skip("../shared/data is absent: set DETECTOR_DATA or place shared/ beside the repo")
    return d
