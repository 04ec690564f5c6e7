r"""Gradient checking: compare a gradient from backpropagation with finite differences.

The central difference $D(h) = \frac{f(x + h) - f(x - h)}{2h}$ approximates a partial
derivative $g = f'(x)$; doing it for every entry of an array gives the numerical gradient.
It costs two evaluations of ``f`` per number, so it is a check, never a way to train.
Two gradients are compared by their relative error, $\max|a - b| / \max(|a| + |b|)$
(``rel_error``): 0 when equal, about 1 when unrelated, whatever the gradient's size.

A right gradient does not give 0: the central difference itself is off by two terms,

$$
D(h) - g \approx \underbrace{\frac{h^2}{6} f'''(x)}_{\text{truncation}}
\;\pm\; \underbrace{\frac{\varepsilon\,|f|}{h}}_{\text{round-off}},
$$

the first from the Taylor series (it shrinks with $h$), the second from subtracting two
nearly equal values of $f$, each known only to about $\varepsilon |f|$ (machine epsilon:
2.2e-16 in float64, 1.2e-7 in float32; it grows as $h$ shrinks). What counts is each term
relative to $|g|$. The round-off, $\varepsilon |f| / (h |g|)$, is small for a gradient of
the loss's own size and large for a gradient much smaller than the loss: in the first layer
of a 10-layer sigmoid network $|g|$ is below 1e-7 of $|f|$, and $h = 10^{-6}$ leaves a
relative error near 1e-3 on a right gradient. No one step and threshold fit every scale, so
``check_gradient``

1. takes the step that balances the two terms for this gradient's size,
   $h = \sqrt[3]{3 \varepsilon |f| / \max|g|}$ (``balanced_step``: 2e-5 for a gradient a
   tenth of the loss in float64, 2e-3 in that first layer, 1.5e-2 in float32);
2. measures the error a right gradient has at that step instead of assuming one: a second
   difference with step $2h$ has four times the truncation, so $|D(2h) - D(h)| / 3$ is the
   truncation at $h$ (Richardson); plus the round-off $\varepsilon |f| / h$. That sum over
   the gradient's size is ``expected``;
3. leaves out the entries whose nudges cross a kink (a ReLU switching on or off), where
   $f$ is not smooth and no step helps: there $f$ does not bend like a parabola between
   $x \pm h$ and $x \pm 2h$ (its second difference does not grow four-fold), or its
   estimated error is ten times the other entries'. If more than ``KINKS`` = a quarter of
   the entries are such, $f$ is not smooth at this step and their errors count in
   ``expected``.

The verdict (``GradientError.status``, ``verdict``): "ok" when the relative error is below
the tolerance, ``SAFETY`` = 10 times ``expected`` (never less than ``TOLERANCES``: 1e-6 in
float64, 1e-3 in float32); "WRONG" above it, since a right gradient cannot be that far off;
"unsure" below a tolerance above ``UNSURE`` = 4e-3, too coarse for a slip of 1% to show (in
float32: the first layers of a deep sigmoid network, a ReLU network on many examples; check
those in float64). On deep sigmoid, tanh and ReLU networks in float64 and float32, a right
gradient's error stayed below a tenth of its tolerance (half where kinks are near), and
a gradient 1% off was never "ok". ``check_layer`` and ``check_network`` return one
``GradientError`` per array: a float, the relative error, that also carries its step,
``expected``, ``tolerance`` and ``status``.
"""

import math

import numpy as np

from nnbook._validate import as_array, as_count, as_positive_number, as_rng

#: The step of the plain central difference (``numerical_gradient``) in float64.
STEP = 1e-6

#: The plain central difference's step for each dtype: float32 resolves about 1e-7 of a
#: value, so its step must be larger (about the cube root of epsilon).
STEPS = {np.dtype(np.float64): STEP, np.dtype(np.float32): 1e-2}

#: The gradient-check threshold in float64: a relative error below it means "the gradient
#: is right" (for a gradient whose size is unknown, as in ``verdict`` of a plain number).
TOLERANCE = 1e-6

#: The smallest threshold a check uses, per dtype (``check_gradient`` may use a larger one
#: where round-off or truncation is larger, never a smaller one).
TOLERANCES = {np.dtype(np.float64): TOLERANCE, np.dtype(np.float32): 1e-3}

#: How many times the error a right gradient shows at this step (``expected``) still counts
#: as right: on smooth networks the error measured stays below ``expected`` itself.
SAFETY = 10.0

#: Above this threshold a check cannot see a gradient 1% off (a relative error of about
#: 0.005): its verdict is then "unsure", unless the error is above the threshold too.
UNSURE = 4e-3

#: The largest share of entries whose nudges may cross a kink (a ReLU switching on or off)
#: for those entries to be left out and the rest judged; with more, f is not smooth at this
#: step, and the kinks' error counts in what a right gradient may show.
KINKS = 0.25

#: The largest step ``check_gradient`` takes: beyond it the Taylor series is no guide.
MAX_STEP = 0.1


def _dtype(dtype):
    """float64 or float32 as a numpy dtype, or a ValueError."""
    try:
        result = np.dtype(dtype)
    except TypeError:
        result = None
    if result not in STEPS:
        raise ValueError(f"dtype must be float64 or float32 (np.float64, np.float32); got {dtype!r}")
    return result


def _float_array(x, name, function):
    if not isinstance(x, np.ndarray) or x.dtype not in STEPS:
        raise ValueError(f"{function} expects {name} as a float64 or float32 numpy array that f "
                         f"reads; got {type(x).__name__}"
                         + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else ""))
    return x


def _nudge(x, index, original, delta):
    """Set x[index] = original + delta; return the step actually taken (after rounding to
    x's dtype: in float32, 0.3 + 0.01 is not exactly 0.31)."""
    x[index] = original + delta
    return float(x[index]) - float(original)


def numerical_gradient(f, x, h=None):
    """The gradient of the scalar ``f()`` with respect to the array ``x``, by central differences.

    f: a function of no arguments that reads ``x`` (so it sees each nudge); x: a float64 or
    float32 array of any shape, changed in place one entry at a time and restored.
    h: the step (default ``STEPS[x.dtype]``: 1e-6 in float64, 1e-2 in float32); the
    difference divides by the step actually taken once x + h is rounded to x's dtype.
    Returns an array shaped like x, of x's dtype.
    """
    _float_array(x, "x", "numerical_gradient")
    h = STEPS[x.dtype] if h is None else as_positive_number(h, "h")
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index].copy()
        up = _nudge(x, index, original, h)
        plus = float(f())
        down = _nudge(x, index, original, -h)
        minus = float(f())
        x[index] = original
        grad[index] = (plus - minus) / (up - down)
    return grad


def rel_error(a, b):
    """max |a - b| / max(|a| + |b|): 0 for equal arrays, about 1 for unrelated ones."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error expects arrays of the same shape; got {a.shape} and {b.shape}")
    scale = np.max(np.abs(a) + np.abs(b)) if a.size else 0.0
    return 0.0 if scale == 0 else float(np.max(np.abs(a - b)) / scale)


def balanced_step(f_size, gradient_size, dtype=np.float64):
    r"""The step $h$ that balances the central difference's two errors for a gradient of this size.

    Truncation $h^2 |f'''| / 6$ and round-off $\varepsilon |f| / h$ add up to the least when
    $h = \sqrt[3]{3 \varepsilon |f| / |f'''|}$; with $|f'''|$ about $|g|$ (a weight whose
    effect bends over a change of about 1) that is $\sqrt[3]{3 \varepsilon |f| / |g|}$.
    Kept between ``STEPS[dtype]`` / 10 and ``MAX_STEP``.

    f_size: |f| at the point, the size of the values subtracted; gradient_size: max |g|.
    """
    eps = float(np.finfo(_dtype(dtype)).eps)
    lowest = STEPS[np.dtype(dtype)] / 10
    if gradient_size <= 0 or not np.isfinite(gradient_size):
        return MAX_STEP
    step = np.cbrt(3 * eps * max(float(f_size), eps) / float(gradient_size))
    return float(min(max(step, lowest), MAX_STEP))


class GradientError(float):
    """A gradient check's result: the relative error (this float's value) between a
    backward pass's gradient and central differences, with what judging it takes.

    step: the h used; expected: the relative error a right gradient shows at this step
    (truncation, measured with a second step 2h, plus round-off ε|f|/h, over the gradient's
    size); tolerance: the threshold, max(TOLERANCES[dtype], SAFETY * expected);
    status: "ok" (below the tolerance, and the tolerance is at most ``UNSURE``), "WRONG"
    (above it: a right gradient cannot be that far off) or "unsure" (below a tolerance too
    large to see a slip of 1%). ``verdict`` says it in words. dtype: the precision checked;
    checked: the number of entries nudged; kinks: how many of them were left out as not
    smooth at this step (a kink crossed).
    """

    def __new__(cls, error, *, step, expected, tolerance, dtype=np.float64, kinks=0, checked=0):
        self = super().__new__(cls, error)
        self.step, self.expected, self.tolerance = float(step), float(expected), float(tolerance)
        self.dtype, self.kinks, self.checked = np.dtype(dtype), int(kinks), int(checked)
        return self

    @property
    def status(self):
        """ "ok", "WRONG" or "unsure": what this error says about the gradient."""
        if float(self) >= self.tolerance:
            return "WRONG"
        return "ok" if self.tolerance <= UNSURE else "unsure"

    @property
    def ok(self):
        """True when the check shows the gradient right."""
        return self.status == "ok"

    def __reduce__(self):   # copies and pickles keep the attributes
        return (_gradient_error, (float(self), vars(self)))


def _gradient_error(error, details):
    return GradientError(error, **details)


def _bound(value):
    """The power of ten at or above ``value`` (1e-06 for 3e-7): a bound that does not vary
    with round-off."""
    return 10.0 ** math.ceil(math.log10(value)) if value > 0 else 0.0


def verdict(error):
    """A relative error in words.

    A ``GradientError`` (from ``check_gradient``, ``check_layer``, ``check_network``) is
    judged by its own tolerance: "ok (< 1e-06)", "WRONG (0.6; a right gradient < 1e-06)" or
    "unsure (...)". A plain number is judged by ``TOLERANCE``: "ok (< 1e-06)" below it,
    else "WRONG (error)".
    """
    value = float(error)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"verdict expects a relative error, a number >= 0; got {value}")
    if not isinstance(error, GradientError):
        return f"ok (< {TOLERANCE:g})" if value < TOLERANCE else f"WRONG ({value:.2g})"
    bound = _bound(min(error.tolerance, 1.0))
    if error.status == "ok":
        return f"ok (< {bound:.0e})"
    if error.status == "WRONG":
        if value < bound:  # the power of ten would read as a contradiction: show the tolerance itself
            step = 10.0 ** (math.floor(math.log10(error.tolerance)) - 1)
            return f"WRONG ({value:.2g}; a right gradient < {math.ceil(error.tolerance / step) * step:.2g})"
        return f"WRONG ({value:.2g}; a right gradient < {bound:.0e})"
    if error.kinks > KINKS * error.checked:
        why = "most nudges cross a kink, such as a ReLU switching"
    elif error.dtype != np.float64:
        why = f"round-off in {error.dtype}; check in float64"
    else:
        why = "round-off: the function hardly depends on it"
    return f"unsure ({value:.1g}; a right gradient can be off by up to {bound:.0e} here: {why})"


def _entries(shape, entries, rng):
    """Every index of an array of ``shape``, or ``entries`` of them drawn at random."""
    everything = list(np.ndindex(shape))
    if entries is None or entries >= len(everything):
        return everything
    chosen = rng.choice(len(everything), size=entries, replace=False)
    return [everything[k] for k in sorted(chosen)]


def check_gradient(f, x, analytic, *, step=None, dtype=None, scale=None, entries=None, seed=None):
    r"""Check ``analytic``, a gradient of the scalar ``f()`` with respect to the array ``x``.

    f: a function of no arguments that reads ``x``; x: a float64 or float32 array of any
    shape, nudged in place one entry at a time and restored; analytic: the gradient to check,
    x's shape. step: h (default: ``balanced_step`` for |f| and max|analytic|);
    dtype: the precision f computes in (default x's); scale: the size of the values f adds up
    (default |f()|), which sets its round-off; entries: check at most this many entries,
    drawn at random with ``seed`` (default: every entry).

    Four evaluations per entry: $D(h)$ and $D(2h)$. Returns a ``GradientError``: the
    relative error between ``analytic`` and $D(h)$, with the step, ``expected`` (the
    relative error of a right gradient at this step: $|D(2h) - D(h)| / 3$ plus
    $\varepsilon \cdot \text{scale} / h$, over the gradient's size), the tolerance and the status.
    """
    _float_array(x, "x", "check_gradient")
    analytic = as_array(analytic, "analytic (the gradient to check)", allow_empty=True)
    if analytic.shape != x.shape:
        raise ValueError(f"check_gradient expects analytic of x's shape {x.shape}; got {analytic.shape}")
    dtype = _dtype(x.dtype if dtype is None else dtype)
    eps = float(np.finfo(dtype).eps)
    if entries is not None:
        entries = as_count(entries, "entries")
    indices = _entries(x.shape, entries, as_rng(seed))
    centre = float(f())
    scale = abs(centre) if scale is None else float(scale)
    a = np.array([analytic[index] for index in indices], dtype=np.float64)
    if not a.size:   # an empty array: nothing to check
        return GradientError(0.0, step=STEPS[dtype], expected=0.0, tolerance=TOLERANCES[dtype], dtype=dtype)
    size = float(np.max(np.abs(a)))
    h = balanced_step(scale, size, dtype) if step is None else as_positive_number(step, "step")
    near, far, bend = np.zeros(len(indices)), np.zeros(len(indices)), np.zeros(len(indices))
    for k, index in enumerate(indices):
        original = x[index].copy()
        value, taken = {}, {}
        for m in (1, -1, 2, -2):
            taken[m] = _nudge(x, index, original, m * h)
            value[m] = float(f()) - centre
        x[index] = original
        near[k] = (value[1] - value[-1]) / (taken[1] - taken[-1])
        far[k] = (value[2] - value[-2]) / (taken[2] - taken[-2])
        # Second differences S(h) = f(x+h) - 2f(x) + f(x-h) (less the slope times any
        # asymmetry of the steps taken): h^2 f'' where f is smooth, so S(2h) = 4 S(h); where a
        # nudge crosses a kink (ReLU switching), S grows like h and S(2h) - 4 S(h) stays large.
        second = [value[m] + value[-m] - near[k] * (taken[m] + taken[-m]) for m in (1, 2)]
        bend[k] = second[1] - 4 * second[0]
    roundoff = eps * scale / h
    smooth = np.abs(far - near) / 3 + roundoff        # truncation (Richardson) + round-off
    kink = np.maximum(np.abs(bend) - 16 * eps * scale, 0.0) / (2 * h)   # less the round-off of 16 f's
    # A kink shows as a second difference that does not grow four-fold (kink > smooth); one
    # can also pass for a sharp bend (an estimate ten times the others'). A few such entries
    # are left out and the others judged; many mean f is not smooth at this step.
    crossed = (kink > smooth) | (smooth > 10 * np.median(smooth))
    rest = ~crossed
    if crossed.any() and np.mean(crossed) <= KINKS and np.max(np.abs(a[rest]) + np.abs(near[rest])) > 0:
        a, near, smooth = a[rest], near[rest], smooth[rest]
    else:   # none, kinks everywhere or only there: a right gradient can be off by as much as they make
        smooth = smooth + kink
    details = {"step": h, "dtype": dtype, "kinks": int(np.sum(crossed)), "checked": len(indices)}
    denominator = float(np.max(np.abs(a) + np.abs(near)))
    if denominator == 0:   # a zero gradient where f does not change
        return GradientError(0.0, expected=0.0, tolerance=TOLERANCES[dtype], **details)
    error = float(np.max(np.abs(a - near))) / denominator
    expected = float(np.max(smooth)) / denominator
    return GradientError(error, expected=expected, tolerance=max(TOLERANCES[dtype], SAFETY * expected),
                         **details)


def _working_dtype(*dtypes):
    """float32 if any of ``dtypes`` is float32 (the computation is only that precise), else float64."""
    return np.dtype(np.float32) if any(d is not None and np.dtype(d) == np.float32 for d in dtypes) \
        else np.dtype(np.float64)


def check_layer(layer, x, seed=None, *, entries=None):
    """Gradient-check a layer's backward at input ``x`` with a random upstream gradient.

    layer: any layer with ``forward``, ``backward``, ``params`` and ``grads`` (same keys);
    x: a batch of any shape (N, ...), checked in the layer's dtype (a layer without a dtype
    keeps float32 input in float32; other input becomes float64).
    seed: the upstream gradient's randomness and the entries drawn (None: fresh, an int:
    reproducible); entries: check at most this many entries of each array (default all).
    Returns {"x": error, name: error for each parameter}, each a ``GradientError`` from
    ``check_gradient`` of sum(layer(x) * g) for a random g (random, not ones: with all
    ones some bugs cancel out).
    """
    x = as_array(x, "x")
    dtype = getattr(layer, "dtype", None)
    dtype = np.dtype(x.dtype if dtype is None else dtype)   # what the layer computes in
    x = np.array(x, dtype=dtype)   # a copy the nudges may change
    rng = as_rng(seed)
    out = np.asarray(layer.forward(x))
    upstream = rng.normal(size=out.shape).astype(out.dtype)
    scale = float(np.sum(np.abs(out * upstream), dtype=np.float64))   # the terms the loss adds up

    def loss():
        return np.sum(layer.forward(x) * upstream)

    layer.forward(x)
    dx = np.array(layer.backward(upstream))
    analytic = {name: np.array(layer.grads[name]) for name in layer.params}
    errors = {"x": check_gradient(loss, x, dx, dtype=dtype, scale=scale, entries=entries, seed=rng)}
    for name, param in layer.params.items():
        errors[name] = check_gradient(loss, param, analytic[name], dtype=_working_dtype(dtype, param.dtype),
                                      scale=scale, entries=entries, seed=rng)
    return errors


def check_network(network, x, y, loss, loss_gradient, *, entries=None, seed=None):
    """Gradient-check every parameter of a network on the cost loss(y, network(x)).

    network: a ``Sequential`` (or anything with ``forward``, ``backward`` and
    ``parameters()`` giving (name, param, grad)); loss and loss_gradient: functions of
    (y_true, y_pred). entries: check at most this many entries of each array, drawn with
    ``seed`` (default all).
    Returns {"0.W": error, "0.b": error, ...}, named as in ``network.parameters()``, each a
    ``GradientError`` (a float: the relative error; ``verdict`` judges it).
    """
    if np.asarray(x).dtype.kind in "iu" and hasattr(network, "check_input"):
        x = network.check_input(x)        # a network reading ids keeps them integers
    else:
        x = as_array(x, "x")
    rng = as_rng(seed)

    def cost():
        return loss(y, network.forward(x))

    network.backward(loss_gradient(y, network.forward(x)))
    analytic = {name: np.array(grad) for name, _, grad in network.parameters()}
    dtype = getattr(network, "dtype", None)
    return {name: check_gradient(cost, param, analytic[name], dtype=_working_dtype(dtype, param.dtype),
                                 entries=entries, seed=rng)
            for name, param, _ in network.parameters()}


def forward_passes(n_params, method):
    """What one full gradient costs, counted in forward passes: 2 per parameter by central
    differences; by backpropagation 1 forward pass and 1 backward pass, which costs about 2
    forward passes (a dense layer's backward makes two matrix products, dW and dX, for its
    forward's one): 3 in all, whatever the number of parameters."""
    n_params = as_count(n_params, "n_params")
    if method == "finite differences":
        return 2 * n_params
    if method == "backpropagation":
        return 3
    raise ValueError(f'method must be "finite differences" or "backpropagation"; got {method!r}')
