"""Measure the optimizer's share of a training step, for every optimizer in nnbook.optim.

    python tools/benchmark_optim.py [--steps 2000] [--batch 64]

The network is the digits MLP of the book: 64-128-64-10, ReLU hidden layers, softmax
cross-entropy on the logits, batches of 64 from scikit-learn's bundled digits (no download).
For each optimizer, train a fresh network and time, every step, (a) forward + loss + backward
and (b) optimizer.step; print the medians and the share (b) / (a + b). The target is a share
below 15% for every optimizer. Prints; asserts nothing.

numpy's BLAS runs on one thread unless OPENBLAS_NUM_THREADS says otherwise: these matrices are
small, and on a shared 2-core machine two BLAS threads waiting for each other make the
forward/backward time (and so the share) swing by 30x from run to run.
"""

import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads its BLAS

import numpy as np
from sklearn.datasets import load_digits

from nnbook import optim
from nnbook.layers import Dense, ReLU, Sequential
from nnbook.losses import softmax_cross_entropy, softmax_cross_entropy_gradient

#: Learning rates that train this network well in a few epochs (what is timed does not depend on them).
SETTINGS = {
    "sgd": dict(learning_rate=0.1),
    "momentum": dict(learning_rate=0.05),
    "nesterov": dict(learning_rate=0.05),
    "adagrad": dict(learning_rate=0.05),
    "rmsprop": dict(learning_rate=1e-3),
    "adam": dict(learning_rate=1e-3),
    "amsgrad": dict(learning_rate=1e-3),
}


def digits_network(seed=0):
    rng = np.random.default_rng(seed)
    return Sequential([Dense(64, 128, init="he", seed=rng), ReLU(),
                       Dense(128, 64, init="he", seed=rng), ReLU(),
                       Dense(64, 10, seed=rng)])


def measure(name, x, y, steps, batch, warmup=50):
    network = digits_network()
    params = {key: p for key, p, g in network.parameters()}
    grads = {key: g for key, p, g in network.parameters()}
    optimizer = optim.get_optimizer(name, **SETTINGS[name])
    rng = np.random.default_rng(1)
    order = rng.permutation(len(x))
    backprop, update, losses = [], [], []
    start = 0
    for k in range(warmup + steps):
        if start + batch > len(x):
            order, start = rng.permutation(len(x)), 0
        index = order[start:start + batch]
        start += batch
        xb, yb = x[index], y[index]
        t0 = time.perf_counter()
        logits = network.forward(xb)
        loss = softmax_cross_entropy(yb, logits)
        network.backward(softmax_cross_entropy_gradient(yb, logits))
        t1 = time.perf_counter()
        optimizer.step(params, grads)
        t2 = time.perf_counter()
        if k >= warmup:
            backprop.append(t1 - t0)
            update.append(t2 - t1)
        losses.append(loss)
    accuracy = np.mean(np.argmax(network.forward(x), axis=1) == np.argmax(y, axis=1))
    return backprop, update, float(np.mean(losses[-100:])), accuracy


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    digits = load_digits()
    x = digits.data / 16.0
    y = np.eye(10)[digits.target]
    n_params = digits_network().n_params
    print(f"digits MLP 64-128-64-10 ({n_params:,} parameters), batch {args.batch}, "
          f"median over {args.steps} steps, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    print("share = step / (forward + loss + backward + step), from the medians; the 10th "
          "percentiles, less disturbed by other processes, in brackets")
    print(f"{'optimizer':10s} {'fwd+loss+bwd':>13s} {'step':>9s} {'share':>7s} {'(p10)':>7s} "
          f"{'loss (last 100)':>16s} {'train acc':>10s}")
    worst = 0.0
    for name in optim.OPTIMIZERS:
        backprop, update, loss, accuracy = measure(name, x, y, args.steps, args.batch)
        b50, u50 = np.median(backprop), np.median(update)
        b10, u10 = np.percentile(backprop, 10), np.percentile(update, 10)
        share = u50 / (b50 + u50)
        worst = max(worst, share)
        print(f"{name:10s} {b50 * 1e6:10.0f} us {u50 * 1e6:6.0f} us {share:7.1%} "
              f"{u10 / (b10 + u10):7.1%} {loss:16.3f} {accuracy:10.1%}")
    print(f"largest share: {worst:.1%} (target: below 15%)")


if __name__ == "__main__":
    main()
