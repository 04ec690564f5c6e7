"""Time training with the library against a plain numpy loop, scikit-learn and PyTorch.

    python tools/benchmark_training.py [--rounds 5] [--epochs 20] [--only mlp]

The same network, trained the same way (batch size, learning rate and number of epochs; the
same starting weights too, except for scikit-learn, which draws its own) by:

* **nnbook**: ``nnbook.training.fit``, the one training loop of the book;
* **numpy floor**: a plain numpy loop of the same arithmetic, written for this network
  alone, with nothing else in it: what numpy itself costs, the floor ``fit`` is measured
  against;
* **scikit-learn**: ``MLPClassifier`` with the same architecture, plain SGD, no penalty;
* **PyTorch (CPU)**, when it is installed (never a requirement of the book; skipped with a
  message otherwise).

The contestants run interleaved, round after round, in one process, so a slower moment of a
shared machine falls on all of them; the script prints each one's median time, the ratios of
the medians and the test accuracy, for float64 and float32, with one and with two BLAS threads
(on these 2-core machines OpenBLAS threads slow small products: see PITFALLS). Prints; asserts
nothing. The targets (issue 17): nnbook <= 1.25x the numpy floor, <= 0.3x PyTorch and <= 0.6x
scikit-learn, at equal accuracy.

The digits CNN (chapter 8; ``--only cnn``): conv 3x3 with 16 filters and padding 1, ReLU,
max-pool 2, dense 10, Adam, against PyTorch; the loops version (for reading) timed on a few
batches. The character RNN (chapter 9; ``--only rnn``): hidden 64, windows of 25 characters of
the shipped text, batches of 32, Adam, gradients clipped to norm 5, about 1,000 steps,
against its numpy floor (``run_rnn_numpy``: the same losses, tested) and PyTorch's ``nn.RNN``,
with the characters read three ways (``RNN_INPUTS``).

The MLP: the digits MLP, 64-64-10, ReLU, softmax cross-entropy on the logits, batches of
32, SGD with learning rate 0.1, on 75% of scikit-learn's bundled digits (no download),
scaled to [0, 1]; accuracy on the other 25%.
"""

import argparse
import statistics
import time
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

from nnbook import training

try:
    import torch
except ImportError:  # PyTorch is never a requirement
    torch = None

HIDDEN, BATCH, RATE = 64, 32, 0.1


def digits(dtype):
    """The digits split 75/25 (stratified, seed 0), pixels scaled to [0, 1]."""
    data = load_digits()
    x = (data.data / 16.0).astype(dtype)
    return train_test_split(x, data.target, test_size=0.25, stratify=data.target, random_state=0)


def start_weights(dtype, seed=0):
    """The starting weights every contestant uses: those of ``training.mlp(..., seed=seed)``."""
    net = training.mlp([64, HIDDEN, 10], activation="relu", seed=seed, dtype=dtype)
    return [p.copy() for _, p, _ in net.parameters()]


def run_nnbook(data, weights, epochs, dtype):
    x, x_test, y, y_test = data
    net = training.mlp([64, HIDDEN, 10], activation="relu", seed=0, dtype=dtype)
    for (_, p, _), w in zip(net.parameters(), weights):
        p[...] = w
    start = time.perf_counter()
    training.fit(net, x, y, loss="softmax_cross_entropy", learning_rate=RATE, epochs=epochs,
                 batch_size=BATCH, seed=0)
    seconds = time.perf_counter() - start
    return seconds, float(np.mean(net.forward(x_test).argmax(axis=1) == y_test))


def run_numpy(data, weights, epochs, dtype):
    """The floor: the same arithmetic as fit, written out for this one network."""
    x, x_test, y, y_test = data
    W1, b1, W2, b2 = (w.copy() for w in weights)
    n = len(x)
    rng = np.random.default_rng(0)
    rows = np.arange(BATCH)
    losses = []
    start = time.perf_counter()
    for _ in range(epochs):
        order = rng.permutation(n)
        xs, ys = x[order], y[order]
        for first in range(0, n, BATCH):
            xb, yb = xs[first:first + BATCH], ys[first:first + BATCH]
            m = len(xb)
            z1 = xb @ W1 + b1
            h = np.maximum(z1, 0)
            z2 = h @ W2 + b2
            z2 -= z2.max(axis=1, keepdims=True)
            p = np.exp(z2)
            total = p.sum(axis=1, keepdims=True)
            p /= total
            losses.append(float((np.log(total[:, 0]) - z2[rows[:m], yb]).sum()) / m)  # the cost, as fit records it
            p[rows[:m], yb] -= 1.0
            p /= m                                      # dL/dz2
            dh = p @ W2.T
            dh *= z1 > 0                                # dL/dz1
            W2 -= RATE * (h.T @ p)
            b2 -= RATE * p.sum(axis=0)
            W1 -= RATE * (xb.T @ dh)
            b1 -= RATE * dh.sum(axis=0)
    seconds = time.perf_counter() - start
    scores = np.maximum(x_test @ W1 + b1, 0) @ W2 + b2
    return seconds, float(np.mean(scores.argmax(axis=1) == y_test))


def run_sklearn(data, weights, epochs, dtype):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    x, x_test, y, y_test = data
    model = MLPClassifier(hidden_layer_sizes=(HIDDEN,), activation="relu", solver="sgd",
                          learning_rate_init=RATE, momentum=0.0, nesterovs_momentum=False,
                          batch_size=BATCH, max_iter=epochs, alpha=0.0, tol=0.0,
                          n_iter_no_change=epochs + 1, random_state=0)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x, y)
    seconds = time.perf_counter() - start
    return seconds, float(model.score(x_test, y_test))


def run_torch(data, weights, epochs, dtype):
    x, x_test, y, y_test = data
    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    model = torch.nn.Sequential(torch.nn.Linear(64, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, 10))
    model = model.to(tdtype)
    with torch.no_grad():
        for layer, (W, b) in zip((model[0], model[2]), (weights[:2], weights[2:])):
            layer.weight.copy_(torch.from_numpy(W.T.copy()))
            layer.bias.copy_(torch.from_numpy(b.copy()))
    opt = torch.optim.SGD(model.parameters(), lr=RATE)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
    n = len(x)
    generator = torch.Generator().manual_seed(0)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        xs, ys = xt[order], yt[order]
        for first in range(0, n, BATCH):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xs[first:first + BATCH]), ys[first:first + BATCH])
            loss.backward()
            opt.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        accuracy = float((model(torch.from_numpy(x_test)).argmax(dim=1).numpy() == y_test).mean())
    return seconds, accuracy


# --- the digits CNN (chapter 8) ---------------------------------------------------------------

CNN_RATE = 0.01   # Adam's learning rate for the CNN (the same optimizer and epochs for all)


def cnn(dtype, seed=0):
    """conv 3x3, 16 filters, pad 1 -> ReLU -> max-pool 2 -> flatten -> dense 10."""
    from nnbook.conv import Conv2D, Flatten, MaxPool2D
    from nnbook.layers import Dense, ReLU, Sequential

    return Sequential([Conv2D(1, 16, 3, padding=1, seed=seed, dtype=dtype), ReLU(), MaxPool2D(2),
                       Flatten(), Dense(16 * 4 * 4, 10, seed=seed + 1, dtype=dtype)])


def images(data):
    x, x_test, y, y_test = data
    return x.reshape(-1, 1, 8, 8), x_test.reshape(-1, 1, 8, 8), y, y_test


def batch_orders(n, epochs, seed):
    """The order of the examples in each epoch, as ``training.fit(..., seed=seed)`` shuffles
    them: both libraries are fed the same batches, so with the same starting weights and
    the same Adam they compute the same numbers (to round-off in float64: tests/unit/test_conv.py
    checks the weights after 1, 10 and 100 updates) and their accuracies can be compared seed
    by seed."""
    rng = np.random.default_rng(seed)
    return [rng.permutation(n) for _ in range(epochs)]


def run_cnn_nnbook(data, epochs, dtype, seed=0):
    from nnbook.optim import Adam

    x, x_test, y, y_test = images(data)
    net = cnn(dtype, seed=2 * seed)
    start = time.perf_counter()
    training.fit(net, x, y, loss="softmax_cross_entropy", optimizer=Adam(CNN_RATE), epochs=epochs,
                 batch_size=BATCH, seed=seed)
    seconds = time.perf_counter() - start
    return seconds, float(np.mean(net.forward(x_test).argmax(axis=1) == y_test))


def run_cnn_torch(data, epochs, dtype, seed=0):
    x, x_test, y, y_test = images(data)
    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    ours = cnn(dtype, seed=2 * seed)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                torch.nn.Flatten(), torch.nn.Linear(256, 10)).to(tdtype)
    with torch.no_grad():   # the same starting weights (our Dense is x @ W, torch's is x @ W.T)
        model[0].weight.copy_(torch.from_numpy(ours[0].params["W"].copy()))
        model[0].bias.copy_(torch.from_numpy(ours[0].params["b"].copy()))
        model[4].weight.copy_(torch.from_numpy(ours[4].params["W"].T.copy()))
        model[4].bias.copy_(torch.from_numpy(ours[4].params["b"].copy()))
    opt = torch.optim.Adam(model.parameters(), lr=CNN_RATE)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(y.astype(np.int64))
    start = time.perf_counter()
    for order in batch_orders(len(x), epochs, seed):      # fit's batches
        order = torch.from_numpy(order)
        xs, ys = xt[order], yt[order]
        for first in range(0, len(x), BATCH):
            opt.zero_grad(set_to_none=True)
            loss_fn(model(xs[first:first + BATCH]), ys[first:first + BATCH]).backward()
            opt.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        accuracy = float((model(torch.from_numpy(x_test)).argmax(dim=1).numpy() == y_test).mean())
    return seconds, accuracy


def loops_seconds_per_epoch(data, dtype, batches=3):
    """The loops version (conv2d_forward_naive / backward, to read) timed on a few batches,
    scaled to an epoch: forward and backward of the convolution and the pooling."""
    from nnbook import conv

    x = images(data)[0][:BATCH * batches]
    net = cnn(dtype)
    W, b = net[0].params["W"], net[0].params["b"]
    start = time.perf_counter()
    for first in range(0, len(x), BATCH):
        xb = x[first:first + BATCH]
        out = np.maximum(conv.conv2d_forward_naive(xb, W, b, 1, 1), 0)
        pooled = conv.max_pool_forward_naive(out, 2, 2)
        g = conv.max_pool_backward_naive(np.ones_like(pooled), out, 2, 2) * (out > 0)
        conv.conv2d_backward_naive(g, xb, W, 1, 1)
    per_batch = (time.perf_counter() - start) / batches
    return per_batch * -(-len(images(data)[0]) // BATCH)


def benchmark_cnn(rounds, epochs):
    """Round r trains from the starting weights ``cnn(dtype, seed=2 r)`` on the batches of
    ``batch_orders(..., seed=r)``, in both libraries: the accuracies are reported over the
    rounds' seeds, and the largest difference between the two libraries on one seed."""
    for threads in (1, 2):
        for dtype in (np.float64, np.float32):
            data = digits(dtype)
            runs = {"nnbook im2col": run_cnn_nnbook}
            if torch is not None:
                runs["PyTorch CPU"] = run_cnn_torch
            times, accuracy = {name: [] for name in runs}, {name: [] for name in runs}
            with threadpool_limits(limits=threads):
                if torch is not None:
                    torch.set_num_threads(threads)
                for seed in range(rounds):
                    for name, run in runs.items():
                        seconds, score = run(data, epochs, dtype, seed)
                        times[name].append(seconds / epochs)
                        accuracy[name].append(score)
                loops = loops_seconds_per_epoch(data, dtype)
            median = {name: statistics.median(ts) for name, ts in times.items()}
            print(f"\ndigits CNN (conv 3x3 x16, pad 1, ReLU, max-pool 2, dense 10; Adam {CNN_RATE}, "
                  f"batch {BATCH}), {np.dtype(dtype).name}, {threads} BLAS thread"
                  f"{'s' if threads > 1 else ''}, {epochs} epochs, median of {rounds} (seeds 0-{rounds - 1}):")
            for name in runs:
                ratio = (f"  {median[name] / median['PyTorch CPU']:.2f}x PyTorch CPU"
                         if name != "PyTorch CPU" and "PyTorch CPU" in median else "")
                scores = accuracy[name]
                print(f"  {name:<14} {1e3 * median[name]:7.1f} ms/epoch  test accuracy mean "
                      f"{np.mean(scores):.3f} (seeds: {min(scores):.3f} to {max(scores):.3f}){ratio}")
            if "PyTorch CPU" in median:
                gap = max(abs(a - b) for a, b in zip(accuracy["nnbook im2col"], accuracy["PyTorch CPU"]))
                print(f"  {'':<14} same seed, same batches: accuracies differ by at most {gap:.3f}")
                ratio = f"  {loops / median['PyTorch CPU']:.1f}x PyTorch CPU"
            else:
                ratio = ""
            print(f"  {'nnbook loops':<14} {1e3 * loops:7.1f} ms/epoch  (timed on 3 batches, scaled){ratio}")


# --- the character RNN (chapter 9) -------------------------------------------------------------

RNN_HIDDEN, RNN_LENGTH, RNN_STEPS, RNN_RATE, RNN_CLIP = 64, 25, 1000, 0.005, 5.0

#: How the characters enter the network: "one-hot" codes (N, 25, V) into RNN(V, 64) in both
#: libraries (nn.RNN(V, 64)); "ids": the same model, but our RNN(V, 64) reads the ids (N, 25)
#: themselves (a one-hot code times W_xh is a row of W_xh: a gather, no product), while
#: nn.RNN, which reads float vectors only, still gets the one-hot codes; or "embedding": ids
#: into Embedding(V, 64) and RNN(64, 64) in both (nn.Embedding, nn.RNN(64, 64)): a row
#: lookup, but one more 64 x 64 product.
RNN_INPUTS = ("ids", "one-hot", "embedding")


def characters(dtype):
    """The shipped text as training windows of 25 characters: {"ids": (N, 25) input ids,
    "one_hot": their one-hot codes (N, 25, V) in dtype, "y": next-character ids, "size": V}."""
    from nnbook.text import Vocabulary, load_text, one_hot, windows

    text = load_text()
    vocab = Vocabulary(text)
    inputs, targets = windows(vocab.encode(text), RNN_LENGTH)
    return {"ids": inputs, "one_hot": one_hot(inputs, vocab.size, dtype=dtype), "y": targets, "size": vocab.size}


def run_rnn_nnbook(chars, steps, dtype, inputs="one-hot"):
    from nnbook import rnn
    from nnbook.layers import Sequential
    from nnbook.optim import Adam

    y, size = chars["y"], chars["size"]
    if inputs in ("one-hot", "ids"):
        x = chars["ids"] if inputs == "ids" else chars["one_hot"]
        first = [rnn.RNN(size, RNN_HIDDEN, seed=0, dtype=dtype)]
    else:
        x = chars["ids"]
        first = [rnn.Embedding(size, RNN_HIDDEN, seed=2, dtype=dtype),
                 rnn.RNN(RNN_HIDDEN, RNN_HIDDEN, seed=0, dtype=dtype)]
    net = Sequential([*first, rnn.TimeDense(RNN_HIDDEN, size, seed=1, dtype=dtype)])
    epochs = -(-steps * BATCH // len(x))
    start = time.perf_counter()
    loss = (rnn.sequence_softmax_cross_entropy, rnn.sequence_softmax_cross_entropy_gradient)
    history = training.fit(net, x, y, loss=loss,
                           optimizer=Adam(RNN_RATE), epochs=epochs, batch_size=BATCH, clip_norm=RNN_CLIP, seed=0)
    return (time.perf_counter() - start) / history.steps, float(np.mean(history.loss[-2:]))


def run_rnn_numpy(chars, steps, dtype, inputs="one-hot"):
    """The floor: the same arithmetic as fit on RNN(V, 64) and TimeDense(64, V), written out for
    this one network, with every array made once per batch size and rewritten each step (the
    starting weights are the library's; the batches, the loss, clipping and Adam are fit's, so
    the losses agree to the last digit). Ids are read as a row gather of W_xh + b and summed
    back by id with one sparse matrix whose row numbers change each step; one-hot codes by
    products. The scores are kept class by class, (V, steps), as TimeDense keeps them."""
    from scipy import sparse

    from nnbook import rnn

    y, V, H, T = chars["y"], chars["size"], RNN_HIDDEN, RNN_LENGTH
    x = chars["one_hot"] if inputs == "one-hot" else chars["ids"]
    start_rnn, start_dense = rnn.RNN(V, H, seed=0, dtype=dtype), rnn.TimeDense(H, V, seed=1, dtype=dtype)
    shapes = [(V, H), (H, H), (H,), (H, V), (V,)]
    flat = np.concatenate([start_rnn.params[k].ravel() for k in ("W_xh", "W_hh", "b")]
                          + [start_dense.params[k].ravel() for k in ("W", "b")])
    grads, m, v = np.zeros_like(flat), np.zeros_like(flat), np.zeros_like(flat)
    ends = np.cumsum([int(np.prod(shape)) for shape in shapes])
    W_xh, W_hh, b_h, W_o, b_o = (flat[e - int(np.prod(sh)):e].reshape(sh) for e, sh in zip(ends, shapes))
    dW_xh, dW_hh, db_h, dW_o, db_o = (grads[e - int(np.prod(sh)):e].reshape(sh) for e, sh in zip(ends, shapes))
    arrays = {}

    def made_once(N):
        """Every array a step of batch size N needs (the last batch of an epoch may be smaller)."""
        if N not in arrays:
            M = T * N
            hs = np.empty((T + 1, N, H), dtype)
            hs[0] = 0.0
            arrays[N] = {"hs": hs, "states": list(hs), "product": np.empty((N, H), dtype),
                         "scores": np.empty((V, M), dtype), "upstream": np.empty((M, H), dtype),
                         "dz": np.empty((T, N, H), dtype), "dh": np.empty((N, H), dtype),
                         "steps": np.arange(M), "ones": np.ones(M, dtype), "ones_V": np.ones(V, dtype),
                         "onehot_T": sparse.csc_array((np.ones(M, dtype), np.zeros(M, np.intp), np.arange(M + 1)),
                                                      shape=(V, M))}
        return arrays[N]

    n = len(x)
    rng = np.random.default_rng(0)
    epochs = -(-steps * BATCH // n)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    count, losses = 0, []
    start = time.perf_counter()
    for _ in range(epochs):
        order, total_cost = rng.permutation(n), 0.0
        for first in range(0, n, BATCH):
            rows = order[first:first + BATCH]
            xb, yb = x[rows], y[rows]
            N = len(xb)
            M, a = T * N, made_once(N)
            hs, dz, dh, scores, product = a["hs"], a["dz"], a["dh"], a["scores"], a["product"]
            h2, dz2 = hs[1:].reshape(M, H), dz.reshape(M, H)
            if inputs == "one-hot":
                xs = np.ascontiguousarray(xb.transpose(1, 0, 2)).reshape(M, V)
                np.matmul(xs, W_xh, out=h2)
                h2 += b_h
            else:
                ids = np.ascontiguousarray(xb.T).reshape(-1)
                np.take(W_xh + b_h, ids, axis=0, out=h2)
            for h_prev, h in zip(a["states"], a["states"][1:]):
                np.dot(h_prev, W_hh, out=product)
                h += product
                np.tanh(h, out=h)
            np.matmul(W_o.T, h2.T, out=scores)               # (V, M): each class's scores together
            scores += b_o[:, None]
            scores -= scores.max(axis=0)                     # the softmax cross-entropy, as fit's
            targets, steps_m = np.ascontiguousarray(yb.T).reshape(-1), a["steps"]
            picked = scores[targets, steps_m]
            np.exp(scores, out=scores)
            sums = scores.sum(axis=0)
            scores /= sums
            cost = float((np.log(sums) - picked).sum()) / M
            scores[targets, steps_m] -= 1.0
            scores /= M                                      # dL/dscores, (V, M)
            np.matmul(h2.T, scores.T, out=dW_o)
            np.matmul(scores, a["ones"], out=db_o)
            upstream = np.matmul(scores.T, W_o.T, out=a["upstream"]).reshape(T, N, H)
            np.multiply(hs[1:], hs[1:], out=dz)
            np.subtract(1.0, dz, out=dz)
            W_hh_T = np.ascontiguousarray(W_hh.T)
            dh[...] = 0.0
            for u, d in zip(upstream[::-1], dz[::-1]):
                dh += u
                d *= dh
                np.dot(d, W_hh_T, out=dh)
            np.matmul(hs[:-1].reshape(M, H).T, dz2, out=dW_hh)
            if inputs == "one-hot":
                np.matmul(xs.T, dz2, out=dW_xh)
                np.matmul(a["ones"], dz2, out=db_h)
            else:
                a["onehot_T"].indices[...] = ids
                dW_xh[...] = a["onehot_T"] @ dz2
                np.matmul(a["ones_V"], dW_xh, out=db_h)
            squared = float(np.vdot(grads, grads))
            if squared > RNN_CLIP * RNN_CLIP:
                grads *= RNN_CLIP / np.sqrt(squared)
            count += 1                                       # Adam, as Kingma & Ba write it
            m *= beta1
            m += (1 - beta1) * grads
            v *= beta2
            v += (1 - beta2) * grads * grads
            flat -= RNN_RATE * (m * (1 / (1 - beta1 ** count))) / (np.sqrt(v * (1 / (1 - beta2 ** count))) + eps)
            total_cost += cost * N
        losses.append(total_cost / n)
    return (time.perf_counter() - start) / count, float(np.mean(losses[-2:]))


def run_rnn_torch(chars, steps, dtype, inputs="one-hot"):
    y, size = chars["y"], chars["size"]
    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    torch.manual_seed(0)
    if inputs in ("one-hot", "ids"):     # nn.RNN reads float vectors only: one-hot codes
        x, layers = chars["one_hot"], [torch.nn.RNN(size, RNN_HIDDEN, batch_first=True)]
    else:
        x, layers = chars["ids"].astype(np.int64), [torch.nn.Embedding(size, RNN_HIDDEN),
                                                    torch.nn.RNN(RNN_HIDDEN, RNN_HIDDEN, batch_first=True)]
    model = torch.nn.Sequential(*layers).to(tdtype)
    head = torch.nn.Linear(RNN_HIDDEN, size).to(tdtype)
    parameters = list(model.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(parameters, lr=RNN_RATE)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
    epochs = -(-steps * BATCH // len(x))
    generator = torch.Generator().manual_seed(0)
    count, losses = 0, []
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=generator)
        total = 0.0
        for first in range(0, len(x), BATCH):
            xb, yb = xt[order[first:first + BATCH]], yt[order[first:first + BATCH]]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(head(model(xb)[0]).reshape(-1, size), yb.reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(parameters, RNN_CLIP)
            opt.step()
            total += loss.item() * len(xb)
            count += 1
        losses.append(total / len(x))
    return (time.perf_counter() - start) / count, float(np.mean(losses[-2:]))


def benchmark_rnn(rounds, steps, inputs=RNN_INPUTS):
    """Both ways in (``RNN_INPUTS``), each the same model in both libraries; one-hot is the
    model of chapter 9 (and of d2l and min-char-rnn), the embedding the usual PyTorch one."""
    for way in inputs:
        for threads in (1, 2):
            for dtype in (np.float64, np.float32):
                chars = characters(dtype)
                runs = {"nnbook": run_rnn_nnbook}
                if way != "embedding":
                    runs["numpy floor"] = run_rnn_numpy
                if torch is not None:
                    runs["PyTorch CPU"] = run_rnn_torch
                times, loss = {name: [] for name in runs}, {}
                with threadpool_limits(limits=threads):
                    if torch is not None:
                        torch.set_num_threads(threads)
                    for _ in range(rounds):
                        for name, run in runs.items():
                            seconds, loss[name] = run(chars, steps, dtype, way)
                            times[name].append(seconds)
                median = {name: statistics.median(ts) for name, ts in times.items()}
                print(f"\ncharacter RNN, {way} input (hidden {RNN_HIDDEN}, length {RNN_LENGTH}, batch {BATCH}, "
                      f"Adam {RNN_RATE}, clip {RNN_CLIP:g}), about {steps} steps, {np.dtype(dtype).name}, {threads} "
                      f"BLAS thread{'s' if threads > 1 else ''}, median of {rounds}:")
                for name in runs:
                    ratios = [f"{median[name] / median[other]:.2f}x {other}" for other in ("numpy floor", "PyTorch CPU")
                              if other in median and other != name and name != "PyTorch CPU"]
                    print(f"  {name:<12} {1e3 * median[name]:6.2f} ms/step  final training loss "
                          f"{loss[name]:.3f}  {'  '.join(ratios)}")

def contestants():
    runs = {"nnbook": run_nnbook, "numpy floor": run_numpy, "scikit-learn": run_sklearn}
    if torch is not None:
        runs["PyTorch CPU"] = run_torch
    return runs


def benchmark_mlp(rounds, epochs):
    for threads in (1, 2):
        for dtype in (np.float64, np.float32):
            data, weights = digits(dtype), start_weights(dtype)
            times = {name: [] for name in contestants()}
            accuracy = {}
            with threadpool_limits(limits=threads):
                if torch is not None:
                    torch.set_num_threads(threads)
                for _ in range(rounds):
                    for name, run in contestants().items():
                        seconds, accuracy[name] = run(data, weights, epochs, dtype)
                        times[name].append(seconds)
            median = {name: statistics.median(ts) for name, ts in times.items()}
            steps = epochs * -(-len(data[0]) // BATCH)
            print(f"\ndigits MLP 64-{HIDDEN}-10, {np.dtype(dtype).name}, {threads} BLAS thread"
                  f"{'s' if threads > 1 else ''}, {epochs} epochs ({steps} steps), median of {rounds}:")
            for name in times:
                ratio = "  ".join(f"{median[name] / median[other]:.2f}x {other}"
                                  for other in times if other != name and name == "nnbook")
                print(f"  {name:<13} {1e6 * median[name] / steps:7.1f} µs/step  "
                      f"test accuracy {accuracy[name]:.3f}  {ratio}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--only", choices=["mlp", "cnn", "rnn"], default=None,
                        help="run one benchmark (default: all)")
    args = parser.parse_args()
    if torch is None:
        print("PyTorch is not installed: its columns are skipped (pip install torch to add them).")
    if args.only in (None, "mlp"):
        benchmark_mlp(args.rounds, args.epochs)
    if args.only in (None, "cnn"):
        benchmark_cnn(args.rounds, max(1, args.epochs // 2))
    if args.only in (None, "rnn"):
        benchmark_rnn(max(1, args.rounds // 2), RNN_STEPS)


if __name__ == "__main__":
    main()
