"""`pip install --no-build-isolation .` into a virtual environment, without network."""

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not os.environ.get("MERCATO_BUILD_DIR"),
                    reason="needs MERCATO_BUILD_DIR (a built tree to reuse; CTest sets it)")
def test_pip_install_into_a_venv(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True)
    python = venv / "bin" / "python"
    # Reuse the tree under test rather than building everything again.
    env = dict(os.environ, MERCATO_CMAKE_BUILD_DIR=os.environ["MERCATO_BUILD_DIR"],
               PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PYTHONPATH", None)
    done = subprocess.run([str(python), "-m", "pip", "install", "--no-build-isolation",
                           "--no-index", str(ROOT)], env=env, capture_output=True, text=True,
                          timeout=1800)
    assert done.returncode == 0, done.stdout + done.stderr
    check = subprocess.run(
        [str(python), "-c", "import mercato, sys; print(mercato.__file__); "
         f"r = mercato.run({str(ROOT / 'scenarios' / 'tiny.yaml')!r}, months=2); "
         "print(len(r.regions))"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stderr
    location, rows = check.stdout.split()
    assert location.startswith(str(venv))
    assert int(rows) == 2 * 2 * 3  # months x regions x tiers
