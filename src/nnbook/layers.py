r"""Layers and the ``Sequential`` container: a network as a list of layers, batch first.

Every layer maps a batch ``x`` of shape ``(N, D)`` (one row per example) to a batch of
outputs, keeps its trainable arrays in ``params`` and their gradients (same keys, same
shapes) in ``grads``. ``forward`` caches on the layer what ``backward`` will need.

Chapter 3 builds the forward pass; chapter 5 adds ``backward(grad_out)``, which takes
$\partial L / \partial y$ for the layer's output, fills ``grads`` and returns
$\partial L / \partial x$. ``Sequential.backward`` already chains them in reverse.
Every backward checks that ``grad_out`` has the shape of the output of the last forward
(and that there was a forward), so a wrong upstream gradient is never silently broadcast.

    net = Sequential([Dense(4, 5, seed=0), ReLU(), Dense(5, 3, seed=1), Softmax()])
    net.forward(x)          # x: (N, 4) -> (N, 3)
    net.n_params            # 4*5 + 5 + 5*3 + 3 = 43
    print(net.summary())    # layer, output shape, parameters
"""

import numpy as np

from nnbook import activations as _activations
from nnbook._validate import as_array, as_count, as_rng

#: Weight initialisations: name -> standard deviation for a layer with n_in inputs, n_out outputs.
#: Why (chapter 3): a unit's weighted sum of n_in inputs has E[z^2] = n_in Var(w) E[x^2], so
#: Var(w) = 1/n_in keeps the signal's size from layer to layer; ReLU zeroes half of it, hence
#: He's 2/n_in; Glorot's 2/(n_in + n_out) balances the forward and the backward pass.
#: "normal" (std 1) is the too-large baseline the chapter measures against them.
INITIALISATIONS = {
    "glorot": lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)),  # Glorot & Bengio (2010)
    "he": lambda n_in, n_out: np.sqrt(2.0 / n_in),                # He et al. (2015), for ReLU
    "normal": lambda n_in, n_out: 1.0,                             # plain N(0, 1)
}


def dense_param_count(n_in, n_out, bias=True):
    """The number of parameters of a dense layer: n_in * n_out weights (+ n_out biases).

    Counts without allocating, so it works for layers too large to build (VGG16's FC1).
    """
    n_in, n_out = as_count(n_in, "n_in"), as_count(n_out, "n_out")
    return n_in * n_out + (n_out if bias else 0)


def mlp_param_count(layer_sizes, bias=True):
    """Parameters of a fully connected network with these layer sizes, inputs first.

    mlp_param_count([4, 4, 5, 6, 4, 3, 3]) = sum of n_in * n_out + n_out over the layers.
    """
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs the input size and at least one layer; got {sizes}")
    return sum(dense_param_count(m, n, bias) for m, n in zip(sizes, sizes[1:]))


def _as_batch(x, layer, width=None, any_rank=False):
    """x as a float array of shape (N, width), or a ValueError naming ``layer``.

    Numbers only, finite, at least one row (``nnbook._validate.as_array``: float32 stays
    float32, other numbers become float64). any_rank: accept any batch (N, ...) with at
    least two axes (for elementwise layers).
    """
    array = as_array(x, f"x (the input of {layer!r})")
    expected = f"(N, {width})" if width is not None else "(N, D)"
    if any_rank and array.ndim >= 2:
        return array
    if array.ndim != 2 or (width is not None and array.shape[1] != width):
        hint = ""
        if array.ndim == 1:
            hint = " (one sample is a batch of one: pass x.reshape(1, -1))"
        raise ValueError(f"{layer!r} expects x of shape {expected}; got {array.shape}{hint}")
    return array


class Layer:
    """The base of every layer: ``params`` and ``grads`` (empty for layers without weights),
    ``forward`` and ``backward``. Calling a layer calls ``forward``."""

    def __init__(self):
        self.params = {}
        self.grads = {}

    def forward(self, x):
        """x: (N, D) -> the layer's output for the whole batch."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward(x)")

    def backward(self, grad_out):
        """dL/d(output) -> dL/dx, filling ``grads`` on the way (chapter 5)."""
        raise NotImplementedError(
            f"{type(self).__name__}.backward comes in chapter 5 (backpropagation); "
            "chapter 3 only runs networks forward")

    def _upstream(self, grad_out, expected):
        """grad_out as a float array of shape ``expected`` (the last forward's output shape;
        None before any forward), or a ValueError that says what was expected."""
        if expected is None:
            raise ValueError(f"{self!r}.backward was called before forward; run forward(x) "
                             "first (backward uses what forward cached)")
        g = as_array(grad_out, f"grad_out (the upstream gradient of {self!r})")
        if g.shape != tuple(expected):
            raise ValueError(f"{self!r}.backward expects grad_out of shape {tuple(expected)}, the "
                             f"shape of its last output; got {g.shape}")
        return g

    def __call__(self, x):
        return self.forward(x)

    def output_width(self, input_width):
        """The width D' of the output for an input of width D (shape (N, D) -> (N, D'))."""
        return input_width

    @property
    def n_params(self):
        """The number of trainable numbers in this layer."""
        return int(sum(p.size for p in self.params.values()))

    def __repr__(self):
        return f"{type(self).__name__}()"


class Dense(Layer):
    r"""Fully connected layer: y = x @ W + b.

    x: (N, n_in) -> y: (N, n_out); W: (n_in, n_out), b: (n_out,).
    init: "glorot" (default), "he" or "normal": W ~ N(0, s^2) with that rule's s, b = 0.
    seed: None (fresh random weights), an int (the same seed always gives the same weights)
    or a numpy Generator (several layers drawing from one stream in turn).
    """

    _x = None  # the last forward's input (None: no forward yet)

    def __init__(self, n_in, n_out, *, init="glorot", seed=None):
        super().__init__()
        dense_param_count(n_in, n_out)  # validates the sizes
        if init not in INITIALISATIONS:
            raise ValueError(f"init must be one of {sorted(INITIALISATIONS)}; got {init!r}")
        self.n_in, self.n_out, self.init = int(n_in), int(n_out), init
        rng = as_rng(seed)
        scale = INITIALISATIONS[init](self.n_in, self.n_out)
        self.params["W"] = rng.normal(0.0, scale, size=(self.n_in, self.n_out))
        self.params["b"] = np.zeros(self.n_out)
        self.grads = {key: np.zeros_like(value) for key, value in self.params.items()}

    @classmethod
    def from_weights(cls, W, b):
        """A Dense layer with the given weights W: (n_in, n_out) and biases b: (n_out,)."""
        W = np.array(as_array(W, "W", allow_empty=True), dtype=np.float64)
        b = np.array(as_array(b, "b", allow_empty=True), dtype=np.float64)
        if W.ndim != 2 or b.shape != (W.shape[1],):
            raise ValueError(f"Dense.from_weights expects W of shape (n_in, n_out) and b of "
                             f"shape (n_out,); got {W.shape} and {b.shape}")
        layer = cls(W.shape[0], W.shape[1])
        layer.params["W"][...] = W
        layer.params["b"][...] = b
        return layer

    def forward(self, x):
        x = _as_batch(x, self, self.n_in)
        self._x = x                         # backward needs the input, nothing else
        return x @ self.params["W"] + self.params["b"]

    def backward(self, grad_out):           # dL/dy -> dL/dx
        """grad_out: (N, n_out) -> dL/dx: (N, n_in); fills grads."""
        grad_out = self._upstream(grad_out, None if self._x is None else (len(self._x), self.n_out))
        self.grads["W"][...] = self._x.T @ grad_out
        self.grads["b"][...] = grad_out.sum(axis=0)
        return grad_out @ self.params["W"].T

    def output_width(self, input_width):
        return self.n_out

    def __repr__(self):
        return f"Dense({self.n_in}, {self.n_out})"


class Activation(Layer):
    """An elementwise activation from ``nnbook.activations.ACTIVATIONS`` as a layer.

    No parameters; the output has the input's shape. Activation("relu") or ReLU().
    """

    name = None  # ReLU, Sigmoid and Tanh name their function here
    _x = None    # the last forward's input (None: no forward yet)

    def __init__(self, name=None):
        super().__init__()
        name = name or type(self).name
        if name not in _activations.ACTIVATIONS:
            raise ValueError(f"name must be one of {sorted(_activations.ACTIVATIONS)}; got {name!r}")
        self.name = name
        self.activation = _activations.ACTIVATIONS[name]

    def forward(self, x):
        x = _as_batch(x, self, any_rank=True)
        self._x = x                         # backward needs f'(x)
        return self.activation.function(x)

    def backward(self, grad_out):
        """Elementwise chain rule: dL/dx = dL/dy * f'(x)."""
        grad_out = self._upstream(grad_out, None if self._x is None else self._x.shape)
        return grad_out * self.activation.derivative(self._x)

    def __repr__(self):
        if type(self) is Activation:
            return f"Activation({self.name!r})"
        return f"{type(self).__name__}()"


class ReLU(Activation):
    """max(0, x), elementwise."""

    name = "relu"


class Sigmoid(Activation):
    """1 / (1 + exp(-x)), elementwise."""

    name = "sigmoid"


class Tanh(Activation):
    """tanh(x), elementwise."""

    name = "tanh"


class Softmax(Layer):
    """Softmax over the last axis: (N, K) scores -> (N, K) probabilities, rows summing to 1."""

    _y = None  # the last forward's output (None: no forward yet)

    def forward(self, x):
        x = _as_batch(x, self, any_rank=True)
        self._y = _activations.softmax(x, axis=-1)   # backward needs the output
        return self._y

    def backward(self, grad_out):
        r"""Each row's Jacobian $s_i(\delta_{ij} - s_j)$ applied to g: $s \odot (g - (g \cdot s))$."""
        g = self._upstream(grad_out, None if self._y is None else self._y.shape)
        return self._y * (g - np.sum(g * self._y, axis=-1, keepdims=True))


class Sequential(Layer):
    """Layers applied one after the other: forward(x) = layer_k(...layer_1(x)).

    layers: a list of Layer objects. Neighbouring Dense layers must fit (the n_out of one
    is the n_in of the next); a mismatch raises a ValueError naming both layers.
    Building the network moves the layers' parameters into one flat vector and their
    gradients into another (see ``_pack``): fetch a layer's arrays after building it.
    """

    def __init__(self, layers):
        super().__init__()
        self.layers = list(layers)
        if not self.layers:
            raise ValueError("Sequential needs at least one layer")
        for index, layer in enumerate(self.layers):
            if not isinstance(layer, Layer):
                raise ValueError(f"layer {index} must be a Layer (e.g. Dense(4, 3) or ReLU()); "
                                 f"got {layer!r}")
        width, source = None, None
        for index, layer in enumerate(self.layers):
            if isinstance(layer, Dense):
                if width is not None and layer.n_in != width:
                    raise ValueError(f"layer {index}, {layer!r}, expects {layer.n_in} inputs, but "
                                     f"layer {source}, {self.layers[source]!r}, gives {width}")
                width, source = layer.n_out, index
        first_dense = next((layer for layer in self.layers if isinstance(layer, Dense)), None)
        self.n_in = first_dense.n_in if first_dense is not None else None
        self._pack()

    def _pack(self):
        """Move all the parameters into one flat vector, and all the gradients into another.

        Every layer's ``params`` and ``grads`` arrays become views of the two vectors, in the
        order of ``parameters()``, with the same shapes and values. Nothing else changes, but an
        optimizer (``nnbook.optim``) can then update the whole network in one pass instead of
        one array at a time. (So take references to a layer's arrays after building the
        network: an array fetched before it no longer follows training.) Layers with other
        than float64 arrays, or a layer used twice, are left as they are.
        """
        entries = [(layer, key) for layer in self.layers for key in layer.params]
        if not entries or len({id(layer) for layer in self.layers}) < len(self.layers):
            return
        for layer, key in entries:
            param, grad = layer.params[key], layer.grads.get(key)
            if not (isinstance(param, np.ndarray) and isinstance(grad, np.ndarray)
                    and param.dtype == grad.dtype == np.float64 and param.shape == grad.shape):
                return
        total = sum(layer.params[key].size for layer, key in entries)
        self._flat_params, self._flat_grads = np.empty(total), np.empty(total)
        start = 0
        for layer, key in entries:
            size, shape = layer.params[key].size, layer.params[key].shape
            for arrays, flat in ((layer.params, self._flat_params), (layer.grads, self._flat_grads)):
                view = flat[start:start + size].reshape(shape)
                view[...] = arrays[key]
                arrays[key] = view
            start += size

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def trace(self, x):
        """Run forward and return every layer's output: [(layer, output), ...]."""
        steps = []
        for layer in self.layers:
            x = layer.forward(x)
            steps.append((layer, x))
        return steps

    def backward(self, grad_out):
        """Chain every layer's backward in reverse order (the layers' backward: chapter 5)."""
        for layer in reversed(self.layers):
            grad_out = layer.backward(grad_out)
        return grad_out

    def output_width(self, input_width):
        for layer in self.layers:
            input_width = layer.output_width(input_width)
        return input_width

    @property
    def n_params(self):
        return sum(layer.n_params for layer in self.layers)

    def parameters(self):
        """Every trainable array with its gradient: [(name, param, grad), ...], names like "0.W"."""
        return [(f"{index}.{key}", layer.params[key], layer.grads[key])
                for index, layer in enumerate(self.layers) for key in layer.params]

    def summary(self, input_width=None):
        """A table of the layers: name, output shape (batch size N) and parameters, then totals."""
        width = self.n_in if input_width is None else input_width
        rows = [("layer", "output shape", "parameters")]
        for index, layer in enumerate(self.layers):
            width = layer.output_width(width) if width is not None else None
            shape = f"(N, {width})" if width is not None else "(N, ?)"
            rows.append((f"{index}: {layer!r}", shape, f"{layer.n_params:,}"))
        widths = [max(len(row[k]) for row in rows) for k in range(3)]
        lines = [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}" for a, b, c in rows]
        rule = "-" * len(lines[0])
        return "\n".join([lines[0], rule, *lines[1:], rule, f"total parameters: {self.n_params:,}"])

    def __repr__(self):
        return "Sequential([" + ", ".join(repr(layer) for layer in self.layers) + "])"

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, index):
        return self.layers[index]
