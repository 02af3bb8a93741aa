"""mercato.run: DataFrames equal to the command line's files, the folder policy, the GIL,
Ctrl-C."""

import _thread
import filecmp
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pandas as pd
import pytest

import mercato
from conftest import MONTHS, SEED, TINY, run_cli


def test_run_returns_dataframes_and_summary(py_run):
    assert isinstance(py_run, mercato.Result)
    for name in mercato.TABLE_NAMES:
        assert isinstance(getattr(py_run, name), pd.DataFrame)
        assert name in py_run.tables
    assert set(py_run.regions["month"]) == set(range(MONTHS))
    assert set(py_run.regions["region"]) == {"North", "South"}
    assert py_run.summary["scenario"] == "tiny"
    assert py_run.summary["seed"] == SEED
    assert py_run.summary["months"] == MONTHS
    assert py_run.manifest["seed"] == SEED
    assert "tiny" in repr(py_run)


def test_files_are_the_command_lines_bytes(cli_run, py_run):
    for name in [f"{t}.csv" for t in mercato.TABLE_NAMES] + ["summary.json"]:
        assert filecmp.cmp(cli_run / name, os.path.join(py_run.folder, name), shallow=False), name


def test_tables_equal_the_command_lines_csv(cli_run, py_run):
    for name in mercato.TABLE_NAMES:
        expected = mercato.read_table(cli_run / f"{name}.csv")
        pd.testing.assert_frame_equal(py_run.tables[name], expected, check_exact=True)
    with open(cli_run / "summary.json", encoding="utf-8") as f:
        assert py_run.summary == json.load(f)


def test_a_run_without_output_keeps_no_folder(cli_run):
    result = mercato.run(TINY, seed=SEED, months=MONTHS, threads=2)
    assert result.folder is None
    # Any thread count gives the same tables.
    pd.testing.assert_frame_equal(result.moves, mercato.read_table(cli_run / "moves.csv"))


def test_scenario_overrides_and_set_are_applied(tiny):
    sc = mercato.Scenario.load(tiny).set("regions.South.tax_rate", 0.25)
    a = mercato.run(sc, seed=SEED, months=3)
    b = mercato.run(tiny, seed=SEED, months=3, set={"regions.South.tax_rate": 0.25})
    c = mercato.run(tiny, seed=SEED, months=3)
    pd.testing.assert_frame_equal(a.regions, b.regions)
    assert not a.regions.equals(c.regions)
    assert "tax_rate: 0.25" in a.manifest["resolved_scenario"]


def test_same_as_cli_with_set_override(tmp_path, tiny):
    run_cli("run", tiny, "--seed", 3, "--months", 4, "--set", "regions.North.tax_rate=0.3",
            "-o", tmp_path / "cli", "--quiet")
    result = mercato.run(tiny, seed=3, months=4, set=["regions.North.tax_rate=0.3"])
    for name in mercato.TABLE_NAMES:
        pd.testing.assert_frame_equal(result.tables[name],
                                      mercato.read_table(tmp_path / "cli" / f"{name}.csv"))


def test_result_load_reads_a_command_line_folder(cli_run):
    result = mercato.Result.load(cli_run)
    assert result.folder == str(cli_run)
    assert result.summary["months"] == MONTHS


def test_a_table_not_written_is_missing(tiny):
    result = mercato.run(tiny, months=2, set={"outputs.tables": ["regions", "market"]})
    assert set(result.tables) == {"regions", "market"}
    with pytest.raises(AttributeError, match="outputs.tables"):
        result.moves


def test_a_region_called_na_stays_a_name(tiny):
    text = open(tiny, encoding="utf-8").read().replace("North", "NA")
    sc = mercato.Scenario.from_yaml(text, name="na.yaml")
    result = mercato.run(sc, months=2)
    assert "NA" in set(result.regions["region"])


def test_a_non_empty_folder_needs_force(tmp_path, tiny):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(mercato.UsageError, match="not empty"):
        mercato.run(tiny, months=2, output=folder)
    mercato.run(tiny, months=2, output=folder, force=True)
    assert (folder / "manifest.json").exists() and (folder / "notes.txt").exists()


def test_bad_threads_raise_usage_error(tiny):
    with pytest.raises(mercato.UsageError):
        mercato.run(tiny, months=1, threads=0)


def test_bad_seed_override_raises_scenario_error(tiny):
    with pytest.raises(mercato.ScenarioError) as caught:
        mercato.run(tiny, months=0)
    assert caught.value.key == "months"


def test_the_gil_is_released_while_simulating(tiny):
    ticks = []
    done = threading.Event()

    def count():
        while not done.is_set():
            ticks.append(1)
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        started = time.monotonic()
        mercato.run(tiny, months=240, set={"outputs.tables": ["market"], "scale": 10})
        seconds = time.monotonic() - started
    finally:
        done.set()
        counter.join()
    # With the GIL held the counter would not run at all during the simulation.
    assert seconds > 0.2, "the run is too short to tell"
    assert len(ticks) > 20


def test_ctrl_c_raises_keyboard_interrupt_and_leaves_no_file(tmp_path, tiny):
    folder = tmp_path / "interrupted"
    timer = threading.Timer(0.5, _thread.interrupt_main)
    timer.start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        mercato.run(tiny, months=1200, set={"scale": 20}, output=folder)
    timer.cancel()
    assert time.monotonic() - started < 30
    assert not folder.exists() or list(folder.iterdir()) == []


def test_sigint_stops_a_run_in_another_process(tmp_path, tiny):
    folder = tmp_path / "killed"
    script = textwrap.dedent(f"""
        import sys, mercato
        print("started", flush=True)
        try:
            mercato.run({tiny!r}, months=1200, set={{"scale": 20}}, output={str(folder)!r})
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(3)
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "started"
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 3
    assert "interrupted" in out
    assert not folder.exists() or list(folder.iterdir()) == []
