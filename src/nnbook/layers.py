r"""Layers and the ``Sequential`` container: a network as a list of layers, batch first.

Every layer maps a batch ``x`` of shape ``(N, ...)`` (one example per row: ``(N, D)`` for
vectors, ``(N, C, H, W)`` for images, ``(N, T, D)`` for sequences) to a batch of outputs,
describes one example's output by ``output_shape(input_shape)`` (tuples without the batch
axis), keeps its trainable arrays in ``params`` and their gradients (same keys, same
shapes) in ``grads``. ``forward`` caches on the layer what ``backward`` will need.

Chapter 3 builds the forward pass; chapter 5 adds ``backward(grad_out)``, which takes
$\partial L / \partial y$ for the layer's output, fills ``grads`` and returns
$\partial L / \partial x$. ``Sequential.backward`` already chains them in reverse.
A layer called on its own checks its input (shape, dtype, NaN) and every backward checks
that ``grad_out`` has the shape of the output of the last forward (and that there was a
forward), so a wrong upstream gradient is never silently broadcast. Inside a network those
checks are made once, where the network is entered (``Sequential.forward``, ``fit``).

    net = Sequential([Dense(4, 5, seed=0), ReLU(), Dense(5, 3, seed=1), Softmax()])
    net.forward(x)          # x: (N, 4) -> (N, 3)
    net.n_params            # 4*5 + 5 + 5*3 + 3 = 43
    print(net.summary())    # layer, output shape, parameters
"""

import numpy as np

from nnbook import activations as _activations
from nnbook._validate import _Edge, as_array, as_count, as_rng
from nnbook._validate import trusted as _trusted

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


def _per_example_shape(shape, name):
    """``shape`` as a tuple of positive ints (None: any size), or a ValueError naming ``name``."""
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        shape = tuple(shape)
    except TypeError:
        raise ValueError(f"{name} must be a shape such as (4,) or (1, 8, 8); got {shape!r}") from None
    for size in shape:
        if size is not None:
            as_count(size, f"each size in {name}")
    return tuple(None if size is None else int(size) for size in shape)


def _fits(shape, expected):
    """True when the per-example ``shape`` matches ``expected`` (None in either: any size)."""
    return len(shape) == len(expected) and all(
        a is None or b is None or a == b for a, b in zip(shape, expected))


def _show_shape(shape):
    """(N, 4) or (N, 1, ?, ?): a batch of examples of this per-example shape."""
    return "(" + ", ".join(["N", *("?" if size is None else str(size) for size in shape)]) + ")"


def _batch_of(array, expected, layer):
    """``array`` if it is a batch (N, *expected), else a ValueError naming ``layer`` that says
    what was expected (and, for one example without its batch axis, how to make it a batch)."""
    if array.ndim >= 2 and (expected is None or _fits(array.shape[1:], expected)):
        return array
    want = _show_shape(expected) if expected is not None else "(N, D) or (N, ...)"
    hint = ""
    if array.ndim == 1 or (expected is not None and _fits(array.shape, expected)):
        how = "x.reshape(1, -1)" if expected is None or len(expected) == 1 else "x[None]"
        hint = f" (one sample is a batch of one: pass {how})"
    raise ValueError(f"{layer!r} expects x of shape {want}; got {array.shape}{hint}")


class Layer:
    """The base of every layer: ``params`` and ``grads`` (empty for layers without weights),
    ``forward`` and ``backward``. Calling a layer calls ``forward``.

    input_shape: the shape of ONE example this layer expects (a tuple, without the batch
    axis; None: any shape, or None for one axis: any size), e.g. (4,) for Dense(4, 3).
    dtype: float64, float32, or None for a layer without parameters (it keeps its input's).
    training: True while training, False for inference (``Dropout`` reads it;
    ``Sequential.train()`` and ``.eval()`` set it on every layer).
    """

    input_shape = None
    dtype = None
    training = True
    #: False: ``backward`` may skip dL/dx and return None. ``fit`` sets it on a network's first
    #: layer while training: nothing uses the gradient of the data (frameworks skip it too).
    input_grad = True

    def __init__(self):
        self.params = {}
        self.grads = {}

    def forward(self, x):
        """x: (N, ...) -> the layer's output for the whole batch."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward(x)")

    def backward(self, grad_out):
        """dL/d(output) -> dL/dx, filling ``grads`` on the way (chapter 5)."""
        raise NotImplementedError(
            f"{type(self).__name__}.backward comes in chapter 5 (backpropagation); "
            "chapter 3 only runs networks forward")

    def _input(self, x):
        """``x`` checked at the edge: a finite float array (N, *input_shape) of the layer's
        dtype, or a ValueError that says what was expected. Inside a network the network
        has checked already, and ``x`` is returned as it is."""
        if not _Edge.checking:
            return x
        array = _batch_of(as_array(x, f"x (the input of {self!r})"), self.input_shape, self)
        if self.dtype is not None and array.dtype != self.dtype:
            array = array.astype(self.dtype)
        return array

    def _upstream(self, grad_out, expected):
        """grad_out as a float array of shape ``expected`` (the last forward's output shape;
        None before any forward), or a ValueError that says what was expected."""
        if expected is None:
            raise ValueError(f"{self!r}.backward was called before forward; run forward(x) "
                             "first (backward uses what forward cached)")
        if not _Edge.checking:
            return grad_out
        g = as_array(grad_out, f"grad_out (the upstream gradient of {self!r})")
        if g.shape != tuple(expected):
            raise ValueError(f"{self!r}.backward expects grad_out of shape {tuple(expected)}, the "
                             f"shape of its last output; got {g.shape}")
        return g

    def __call__(self, x):
        return self.forward(x)

    def output_shape(self, input_shape):
        """The shape of one output example for one input example of ``input_shape``
        (tuples without the batch axis; None for an axis: any size). Raises a ValueError if
        this layer cannot take that input."""
        input_shape = _per_example_shape(input_shape, "input_shape")
        if self.input_shape is not None and not _fits(input_shape, self.input_shape):
            raise ValueError(f"{self!r} expects examples of shape {tuple(self.input_shape)}; "
                             f"got {input_shape}")
        return input_shape

    def output_width(self, input_width):
        """The width D' of the output for an input of width D (shape (N, D) -> (N, D'))."""
        return self.output_shape((input_width,))[-1]

    def parameters(self):
        """Every trainable array with its gradient: [(name, param, grad), ...]."""
        return [(key, self.params[key], self.grads[key]) for key in self.params]

    @property
    def n_params(self):
        """The number of trainable numbers in this layer."""
        return int(sum(p.size for p in self.params.values()))

    def __repr__(self):
        return f"{type(self).__name__}()"


def as_dtype(dtype):
    """float64 or float32 as a numpy dtype, or a ValueError (the dtypes a network can have)."""
    try:
        result = np.dtype(dtype)
    except TypeError:
        result = None
    if result not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise ValueError(f"dtype must be float64 or float32 (np.float64, np.float32); got {dtype!r}")
    return result


class Dense(Layer):
    r"""Fully connected layer: y = x @ W + b.

    x: (N, n_in) -> y: (N, n_out); W: (n_in, n_out), b: (n_out,).
    init: "glorot" (default), "he" or "normal": W ~ N(0, s^2) with that rule's s, b = 0.
    seed: None (fresh random weights), an int (the same seed always gives the same weights)
    or a numpy Generator (several layers drawing from one stream in turn).
    dtype: float64 (default) or float32, for the weights and everything the layer computes.
    """

    _x = None  # the last forward's input (None: no forward yet)

    def __init__(self, n_in, n_out, *, init="glorot", seed=None, dtype=np.float64):
        super().__init__()
        dense_param_count(n_in, n_out)  # validates the sizes
        if init not in INITIALISATIONS:
            raise ValueError(f"init must be one of {sorted(INITIALISATIONS)}; got {init!r}")
        self.n_in, self.n_out, self.init = int(n_in), int(n_out), init
        self.input_shape = (self.n_in,)
        self.dtype = as_dtype(dtype)
        rng = as_rng(seed)
        scale = INITIALISATIONS[init](self.n_in, self.n_out)
        self.params["W"] = rng.normal(0.0, scale, size=(self.n_in, self.n_out)).astype(self.dtype)
        self.params["b"] = np.zeros(self.n_out, self.dtype)
        self.grads = {key: np.zeros_like(value) for key, value in self.params.items()}

    @classmethod
    def from_weights(cls, W, b, *, dtype=np.float64):
        """A Dense layer with the given weights W: (n_in, n_out) and biases b: (n_out,)."""
        W = np.array(as_array(W, "W", allow_empty=True), dtype=as_dtype(dtype))
        b = np.array(as_array(b, "b", allow_empty=True), dtype=W.dtype)
        if W.ndim != 2 or b.shape != (W.shape[1],):
            raise ValueError(f"Dense.from_weights expects W of shape (n_in, n_out) and b of "
                             f"shape (n_out,); got {W.shape} and {b.shape}")
        layer = cls(W.shape[0], W.shape[1], dtype=W.dtype)
        layer.params["W"][...] = W
        layer.params["b"][...] = b
        return layer

    def forward(self, x):
        x = self._input(x)                  # checked here unless a network already did
        self._x = x                         # backward needs the input, nothing else
        return x @ self.params["W"] + self.params["b"]

    def backward(self, grad_out):           # dL/dy -> dL/dx
        """grad_out: (N, n_out) -> dL/dx: (N, n_in); fills grads."""
        grad_out = self._upstream(grad_out, None if self._x is None else (len(self._x), self.n_out))
        np.matmul(self._x.T, grad_out, out=self.grads["W"])     # dL/dW = x^T g
        grad_out.sum(axis=0, out=self.grads["b"])               # dL/db = sum of g over the batch
        if not self.input_grad:                                  # fit: the data's gradient is
            return None                                          # never used, so not computed
        return grad_out @ self.params["W"].T                     # dL/dx = g W^T

    def output_shape(self, input_shape):
        super().output_shape(input_shape)
        return (self.n_out,)

    def __repr__(self):
        return f"Dense({self.n_in}, {self.n_out})"


class Activation(Layer):
    """An elementwise activation from ``nnbook.activations.ACTIVATIONS`` as a layer.

    No parameters; the output has the input's shape (any shape (N, ...)) and dtype.
    Activation("relu") or ReLU().
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
        x = self._input(x)
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
    """Softmax over the last axis: (N, ..., K) scores -> probabilities, summing to 1 over K."""

    _y = None  # the last forward's output (None: no forward yet)

    def forward(self, x):
        x = self._input(x)
        self._y = _activations.softmax(x, axis=-1)   # backward needs the output
        return self._y

    def backward(self, grad_out):
        r"""Each row's Jacobian $s_i(\delta_{ij} - s_j)$ applied to g: $s \odot (g - (g \cdot s))$."""
        g = self._upstream(grad_out, None if self._y is None else self._y.shape)
        return self._y * (g - np.sum(g * self._y, axis=-1, keepdims=True))


class Sequential(Layer):
    """Layers applied one after the other: forward(x) = layer_k(...layer_1(x)).

    layers: a list of Layer objects, each used once. Neighbouring layers must fit: the
    output shape of one (``output_shape``) is what the next expects (``input_shape``); a
    mismatch raises a ValueError naming both layers. The layers with parameters must agree
    on one dtype (float64 or float32), the network's ``dtype``.

    ``forward(x)`` checks x once, here at the edge, and converts it to the network's dtype;
    the layers inside do not check it again (a layer called on its own does).

    Building the network moves the layers' parameters into one flat vector,
    ``flat_params``, and their gradients into another, ``flat_grads`` (see ``_pack``), so an
    optimizer can update them all at once: take references to a layer's arrays *after*
    building the network (an array fetched before it no longer follows training).
    """

    def __init__(self, layers):
        super().__init__()
        self.layers = list(layers)
        if not self.layers:
            raise ValueError("Sequential needs at least one layer")
        seen = {}
        for index, layer in enumerate(self.layers):
            if not isinstance(layer, Layer):
                raise ValueError(f"layer {index} must be a Layer (e.g. Dense(4, 3) or ReLU()); "
                                 f"got {layer!r}")
            if id(layer) in seen:
                raise ValueError(
                    f"layer {index}, {layer!r}, is the same object as layer {seen[id(layer)]}: a "
                    "layer keeps what its last forward cached for backward, so it cannot appear "
                    "twice in a network. Build a second layer (to share weights over time, use a "
                    "recurrent layer, chapter 9)")
            seen[id(layer)] = index
        dtypes = {layer.dtype for layer in self.layers if layer.dtype is not None}
        if len(dtypes) > 1:
            raise ValueError(f"the layers of a network must share one dtype; got "
                             f"{sorted(str(d) for d in dtypes)}: build them all with the same dtype=")
        self.dtype = dtypes.pop() if dtypes else None
        self.input_shape = self._check_shapes()
        self.n_in = self.input_shape[0] if self.input_shape and len(self.input_shape) == 1 else None
        self.flat_params = self.flat_grads = None
        self._pack()

    def _check_shapes(self):
        """Walk the layers' shapes; return the network's input shape (None if not known)."""
        shape, source, first = None, None, None
        for index, layer in enumerate(self.layers):
            expected = layer.input_shape
            if expected is not None and first is None and shape is None:
                first = tuple(expected)
            if shape is not None and expected is not None and not _fits(shape, expected):
                raise ValueError(f"layer {index}, {layer!r}, expects examples of shape "
                                 f"{tuple(expected)}, but layer {source}, "
                                 f"{self.layers[source]!r}, gives {shape}")
            start = shape if shape is not None else expected
            if start is not None:
                try:
                    shape = layer.output_shape(start)
                except ValueError as error:
                    raise ValueError(f"layer {index}, {layer!r}: {error}") from None
                if source is None or expected is not None or shape != start:
                    source = index   # the layer that set the shape (not an activation after it)
        return first

    def _pack(self):
        """Move all the parameters into one flat vector, and all the gradients into another.

        Every layer's ``params`` and ``grads`` arrays become views of the two vectors
        (``flat_params``, ``flat_grads``), in the order of ``parameters()``, with the same
        shapes and values. Nothing else changes, but an optimizer (``nnbook.optim``) can then
        update the whole network in one pass instead of one array at a time.
        """
        entries = [(layer, key) for layer in self.layers for key in layer.params]
        if not entries:
            return
        dtype = self.dtype or np.dtype(np.float64)
        for layer, key in entries:
            param, grad = layer.params[key], layer.grads.get(key)
            if not (isinstance(param, np.ndarray) and isinstance(grad, np.ndarray)
                    and param.dtype == grad.dtype == dtype and param.shape == grad.shape):
                raise ValueError(f"{layer!r}: params[{key!r}] and grads[{key!r}] must be arrays "
                                 f"of one shape and the network's dtype {dtype}")
        total = sum(layer.params[key].size for layer, key in entries)
        self.flat_params, self.flat_grads = np.empty(total, dtype), np.empty(total, dtype)
        start = 0
        for layer, key in entries:
            size, shape = layer.params[key].size, layer.params[key].shape
            for arrays, flat in ((layer.params, self.flat_params), (layer.grads, self.flat_grads)):
                view = flat[start:start + size].reshape(shape)
                view[...] = arrays[key]
                arrays[key] = view
            start += size

    @property
    def _flat_params(self):   # the names of chapter 6 and its tests
        return self.flat_params

    @property
    def _flat_grads(self):
        return self.flat_grads

    def check_input(self, x):
        """x checked once for the whole network: (N, *input_shape), finite, the network's dtype."""
        first = next((layer for layer in self.layers if layer.input_shape is not None), self.layers[0])
        reads_ids = getattr(self.layers[0], "reads_ids", None)
        if reads_ids is not None and reads_ids(x):    # rnn.Embedding, recurrent layers: ids stay integers
            array = self.layers[0].check_ids(x)
        else:
            array = _batch_of(as_array(x, "x (the input of the network)"), self.input_shape, first)
        shape = array.shape[1:]          # the real sizes: a misfit after Flatten shows here
        for index, layer in enumerate(self.layers):
            try:
                shape = layer.output_shape(shape)
            except ValueError as error:
                raise ValueError(f"for x of shape {array.shape}, layer {index}: {error}") from None
        if self.dtype is not None and array.dtype != self.dtype and array.dtype.kind == "f":
            array = array.astype(self.dtype)
        return array

    def forward(self, x):
        if _Edge.checking:
            return _trusted(self._forward, self.check_input(x))
        return self._forward(x)

    def _forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def trace(self, x):
        """Run forward and return every layer's output: [(layer, output), ...]."""
        def run(x):
            steps = []
            for layer in self.layers:
                x = layer.forward(x)
                steps.append((layer, x))
            return steps
        return _trusted(run, self.check_input(x)) if _Edge.checking else run(x)

    def backward(self, grad_out):
        """Chain every layer's backward in reverse order (the layers' backward: chapter 5).

        The last layer checks grad_out (its shape is that of the last output); the layers
        before it receive what the next layer computed, and do not check again."""
        grad_out = self.layers[-1].backward(grad_out)
        if len(self.layers) > 1:
            grad_out = _trusted(self._backward, grad_out)
        return grad_out

    def _backward(self, grad_out):
        for layer in reversed(self.layers[:-1]):
            grad_out = layer.backward(grad_out)
        return grad_out

    def train(self, mode=True):
        """Put every layer in training mode (``training = True``; False: inference). Returns self."""
        if not isinstance(mode, bool):
            raise ValueError(f"mode must be True (training) or False (inference); got {mode!r}")
        self.training = mode
        for layer in self.layers:
            if isinstance(layer, Sequential):
                layer.train(mode)
            else:
                layer.training = mode
        return self

    def eval(self):
        """Put every layer in inference mode (dropout off). Returns self."""
        return self.train(False)

    def output_shape(self, input_shape):
        shape = _per_example_shape(input_shape, "input_shape")
        for layer in self.layers:
            shape = layer.output_shape(shape)
        return shape

    @property
    def n_params(self):
        return sum(layer.n_params for layer in self.layers)

    def parameters(self):
        """Every trainable array with its gradient: [(name, param, grad), ...], names like "0.W"."""
        return [(f"{index}.{key}", layer.params[key], layer.grads[key])
                for index, layer in enumerate(self.layers) for key in layer.params]

    def summary(self, input_shape=None, *, input_width=None):
        """A table of the layers: name, output shape (batch size N) and parameters, then totals.

        input_shape: one example's shape (or a width), for a network whose first layer does
        not fix it (e.g. one that starts with an activation); "?" where a size is unknown.
        """
        shape = input_shape if input_shape is not None else input_width
        shape = self.input_shape if shape is None else _per_example_shape(shape, "input_shape")
        rows = [("layer", "output shape", "parameters")]
        for index, layer in enumerate(self.layers):
            shape = layer.output_shape(shape) if shape is not None else None
            shown = _show_shape(shape) if shape is not None else "(N, ?)"
            rows.append((f"{index}: {layer!r}", shown, f"{layer.n_params:,}"))
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
