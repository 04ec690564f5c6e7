"""tools/benchmark_training.py: its numpy floors compute what the library computes (a floor of
other arithmetic would time something else); the timings themselves are never asserted."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("benchmark_training", ROOT / "tools" / "benchmark_training.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def short_text(bench):
    """The shipped text's first 1,600 windows: two epochs of 50 batches make 100 steps."""
    chars = bench.characters(np.float64)
    return {**chars, "ids": chars["ids"][:1600], "one_hot": chars["one_hot"][:1600], "y": chars["y"][:1600]}


@pytest.mark.parametrize("way", ["ids", "one-hot"])
def test_the_rnn_floor_trains_to_the_librarys_loss(bench, short_text, way):
    _, ours = bench.run_rnn_nnbook(short_text, 100, np.float64, way)
    _, floor = bench.run_rnn_numpy(short_text, 100, np.float64, way)
    assert floor == pytest.approx(ours, rel=1e-12)


def test_the_rnn_floor_is_not_blind_to_a_changed_rate(bench, short_text, monkeypatch):
    _, ours = bench.run_rnn_nnbook(short_text, 100, np.float64, "ids")
    monkeypatch.setattr(bench, "RNN_RATE", bench.RNN_RATE * 1.01)
    _, floor = bench.run_rnn_numpy(short_text, 100, np.float64, "ids")
    assert floor != pytest.approx(ours, rel=1e-6)
