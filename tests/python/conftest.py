"""Fixtures of the Python package's tests: the repository's scenarios, the command line (for
the "same results as `mercato run`" checks) and small runs shared by several tests."""

import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
TINY = ROOT / "scenarios" / "tiny.yaml"
# Short runs of the tiny scenario keep the suite quick; every check holds for any horizon.
SEED = 7
MONTHS = 12


def cli_path():
    """The `mercato` binary: $MERCATO_CLI (set by CTest), else a build tree's."""
    candidates = [os.environ.get("MERCATO_CLI", ""), ROOT / "build" / "release" / "mercato",
                  shutil.which("mercato") or ""]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return str(candidate)
    raise RuntimeError("cannot find the mercato command line: set MERCATO_CLI")


def run_cli(*args, check=True):
    return subprocess.run([cli_path(), *map(str, args)], check=check, capture_output=True,
                          text=True)


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def tiny():
    return str(TINY)


@pytest.fixture(scope="session")
def cli_run(tmp_path_factory):
    """The folder `mercato run scenarios/tiny.yaml --seed 7 --months 12` writes."""
    folder = tmp_path_factory.mktemp("cli") / "run"
    run_cli("run", TINY, "--seed", SEED, "--months", MONTHS, "-o", folder, "--quiet")
    return folder


@pytest.fixture(scope="session")
def py_run(tmp_path_factory):
    """The same run from Python, keeping its folder."""
    import mercato
    folder = tmp_path_factory.mktemp("py") / "run"
    return mercato.run(str(TINY), seed=SEED, months=MONTHS, output=folder)
