"""Train what chapter 9 needs for longer than a page may take, and ship the small results.

    python tools/train_ch09.py memory    # the memory task: every model, k and seed -> ch09_memory.npz
    python tools/train_ch09.py char      # the character LSTM -> ch09_char_lstm.npz (float16 weights)

Both write into src/nnbook/datasets/ (read there by ``nnbook.book.ch09_recurrent``). The
training code is the chapter's own (``train_memory``, ``train_char``), so the page can re-run
any one entry and get the same number. One BLAS thread, as on the page. Measured on a busy
2-core machine (load 5-9): memory 5.3 minutes, char 6.4 minutes (2,160 updates).
"""

import argparse
import time
from pathlib import Path

import numpy as np

from nnbook.book import ch09_recurrent as ch

OUT = Path(__file__).resolve().parents[1] / "src" / "nnbook" / "datasets"
#: The shipped LSTM: its width, epochs and learning rate.
CHAR_LSTM = {"hidden": 64, "epochs": 60, "learning_rate": 0.005, "seed": 0}


def memory():
    models = list(ch.MEMORY_MODELS)
    accuracy = np.zeros((len(models), len(ch.MEMORY_KS), len(ch.MEMORY_SEEDS)))
    start = time.perf_counter()
    for i, model in enumerate(models):
        for j, k in enumerate(ch.MEMORY_KS):
            for s, seed in enumerate(ch.MEMORY_SEEDS):
                accuracy[i, j, s] = ch.train_memory(model, k, seed)[0]
            print(f"{model:22s} k = {k:3d}: {np.round(accuracy[i, j], 3)}  ({time.perf_counter() - start:.0f} s)",
                  flush=True)
    np.savez_compressed(OUT / ch.MEMORY_FILE, ks=np.array(ch.MEMORY_KS), seeds=np.array(ch.MEMORY_SEEDS),
                        models=np.array(models), accuracy=accuracy)
    print(f"wrote {OUT / ch.MEMORY_FILE} ({(OUT / ch.MEMORY_FILE).stat().st_size:,} bytes)")


def char():
    settings = CHAR_LSTM
    network = ch.char_network("LSTM", settings["hidden"], seed=settings["seed"])
    start = time.perf_counter()
    history, _ = ch.train_char(network, settings["epochs"], seed=settings["seed"],
                               learning_rate=settings["learning_rate"])
    seconds = time.perf_counter() - start
    best = int(np.argmin(history.val_loss))
    print(f"{history.steps} updates in {seconds:.0f} s; validation perplexity per epoch:",
          np.round(np.exp(history.val_loss), 2), f"(best: epoch {best + 1})")
    arrays = {f"param:{name}": param.astype(np.float16) for name, param, _ in network.parameters()}
    np.savez_compressed(OUT / ch.CHAR_FILE, chars=np.array(ch.char_data()["vocab"].chars),
                        hidden=settings["hidden"], epochs=settings["epochs"], steps=history.steps,
                        learning_rate=settings["learning_rate"], seconds=round(seconds),
                        loss=np.array(history.loss), val_loss=np.array(history.val_loss), **arrays)
    print(f"wrote {OUT / ch.CHAR_FILE} ({(OUT / ch.CHAR_FILE).stat().st_size:,} bytes)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["memory", "char"])
    {"memory": memory, "char": char}[parser.parse_args().what]()
