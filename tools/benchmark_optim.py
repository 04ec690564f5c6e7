"""Measure the optimizer's share of a training step, for every optimizer in nnbook.optim.

    python tools/benchmark_optim.py [--steps 2000] [--batch 64]

The network is the digits MLP of the book: 64-128-64-10, ReLU hidden layers, softmax
cross-entropy on the logits, batches of 64 from scikit-learn's bundled digits (no download).
Every optimizer trains its own fresh network, in turns of 100 steps (so a busy moment of the
machine hits them all alike, and each turn runs with its own arrays in the cache, as training
does). Each step times (a) forward + loss + backward
and (b) optimizer.step on the network's arrays, which lie in two flat vectors (the rule runs
once, on the whole vectors); and, for comparison, (c) a second optimizer stepping separate
copies of the same arrays (the rule runs once per array). Prints the medians, the share
(b) / (a + b), and the 10th percentiles (less disturbed by other processes); the target is a
share below 15% for every optimizer. Asserts nothing.

numpy's BLAS runs on one thread (threadpoolctl): these matrices are small, and on a shared
2-core machine two BLAS threads waiting for each other make the forward/backward time (and so
the share) swing by 30x from run to run.
"""

import argparse
import time

import numpy as np
from sklearn.datasets import load_digits
from threadpoolctl import threadpool_limits

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
    "adamw": dict(learning_rate=1e-3),
}


#: The steps each optimizer takes in one turn.
TURN = 100


def digits_network(seed=0):
    rng = np.random.default_rng(seed)
    return Sequential([Dense(64, 128, init="he", seed=rng), ReLU(),
                       Dense(128, 64, init="he", seed=rng), ReLU(),
                       Dense(64, 10, seed=rng)])


class Run:
    """One optimizer training its own network, with the times of every step."""

    def __init__(self, name):
        self.network = digits_network()
        self.params = {key: p for key, p, g in self.network.parameters()}
        self.grads = {key: g for key, p, g in self.network.parameters()}
        self.copies = {key: p.copy() for key, p in self.params.items()}
        self.optimizer = optim.get_optimizer(name, **SETTINGS[name])
        self.per_array = optim.get_optimizer(name, **SETTINGS[name])
        self.times = {"backprop": [], "step": [], "per array": []}
        self.losses = []

    def step(self, xb, yb, keep):
        t0 = time.perf_counter()
        logits = self.network.forward(xb)
        loss = softmax_cross_entropy(yb, logits)
        self.network.backward(softmax_cross_entropy_gradient(yb, logits))
        t1 = time.perf_counter()
        self.optimizer.step(self.params, self.grads)
        t2 = time.perf_counter()
        grad_copies = {key: g.copy() for key, g in self.grads.items()}
        t3 = time.perf_counter()
        self.per_array.step(self.copies, grad_copies)
        t4 = time.perf_counter()
        if keep:
            for name, seconds in (("backprop", t1 - t0), ("step", t2 - t1), ("per array", t4 - t3)):
                self.times[name].append(seconds)
        self.losses.append(loss)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    digits = load_digits()
    x = digits.data / 16.0
    y = np.eye(10)[digits.target]
    runs = {name: Run(name) for name in optim.OPTIMIZERS}
    assert all(run.optimizer._packed is None for run in runs.values())   # not stepped yet
    rng = np.random.default_rng(1)
    batches = []
    while len(batches) < args.steps + TURN:
        batches += np.array_split(rng.permutation(len(x)), len(x) // args.batch)
    for turn in range(0, args.steps + TURN, TURN):   # the first turn warms up: not kept
        for run in runs.values():
            for index in batches[turn:turn + TURN]:
                run.step(x[index], y[index], keep=turn > 0)
    n_params = digits_network().n_params
    print(f"digits MLP 64-128-64-10 ({n_params:,} parameters), batch {args.batch}, "
          f"median over {args.steps} steps, one BLAS thread")
    print("share = step / (forward + loss + backward + step), from the medians; the 10th "
          "percentiles in brackets. 'per array': the same rule run on each of the 6 arrays")
    print(f"{'optimizer':10s} {'fwd+loss+bwd':>13s} {'step':>13s} {'share':>7s} {'(p10)':>7s} "
          f"{'per array':>14s} {'loss (last 100)':>16s} {'train acc':>10s}")
    worst = 0.0
    for name, run in runs.items():
        assert run.optimizer._packed is not None and run.per_array._packed is None
        b50, u50, a50 = (np.median(run.times[key]) for key in ("backprop", "step", "per array"))
        b10, u10, a10 = (np.percentile(run.times[key], 10) for key in ("backprop", "step", "per array"))
        share = u50 / (b50 + u50)
        worst = max(worst, share)
        accuracy = np.mean(np.argmax(run.network.forward(x), axis=1) == np.argmax(y, axis=1))
        print(f"{name:10s} {b50 * 1e6:10.0f} us {u50 * 1e6:5.0f} ({u10 * 1e6:3.0f}) us {share:7.1%} "
              f"{u10 / (b10 + u10):7.1%} {a50 * 1e6:5.0f} ({a10 * 1e6:3.0f}) us "
              f"{np.mean(run.losses[-100:]):16.3f} {accuracy:10.1%}")
    print(f"largest share: {worst:.1%} (target: below 15%)")


if __name__ == "__main__":
    with threadpool_limits(limits=1, user_api="blas"):
        main()
