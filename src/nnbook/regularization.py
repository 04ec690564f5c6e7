r"""Regularisation: ways to keep a network from memorising its training set (chapter 7).

- **Penalties** added to the loss: L2 (ridge, "weight decay") $\frac{\lambda}{2}\sum W^2$
  pulls every weight towards 0 in proportion to its size; L1 (LASSO) $\lambda \sum |W|$
  pulls each by the same amount. At its minimum many weights are exactly 0 (LASSO's
  sparsity), but gradient steps with L1's subgradient only bring weights close to 0,
  oscillating around it; exact zeros need a proximal (soft-threshold) step (chapter 7
  counts both). ``add_penalty_gradients`` adds them to a network's gradients after
  ``backward``.
- **Dropout**: while training, each unit is switched off at random, so no unit can rely
  on another being there.
- **Early stopping**: stop when the validation loss has not improved for a while, and go
  back to the weights of the best epoch.

Only weights are penalised, not biases (the parameters named "b", see ``UNPENALISED``): a
weight scales an input, so large weights make the output swing with small changes of the
input (overfitting); a bias only shifts the output, whatever the input, so it adds no such
swing, and pulling it to 0 would only drag the predictions towards 0 (targets that average
100 would be fitted worse). This is the usual practice: scikit-learn's ``MLPClassifier``,
``Ridge`` and ``Lasso`` leave the intercepts alone too.
"""

import numpy as np

from nnbook._validate import as_array, as_count, as_number, as_positive_number, as_rng
from nnbook.layers import Layer

#: Parameter names that are not penalised: the biases ("b" in every layer of the book).
UNPENALISED = ("b",)


# --- L1 and L2 penalties ----------------------------------------------------------------

def _named_arrays(params):
    """[(name, array), ...] from a network or layer (``parameters()``), a list of
    (name, param, grad), a dict {name: array} or one array (named "W")."""
    if isinstance(params, np.ndarray):
        return [("W", params)]
    if callable(getattr(params, "parameters", None)):
        params = params.parameters()
    if isinstance(params, dict):
        items = list(params.items())
    else:
        try:
            items = [(entry[0], entry[1]) for entry in params]
        except (TypeError, IndexError):
            raise ValueError("params must be a network (with parameters()), a list of (name, "
                             "param, grad), a dict {name: array} or an array; got "
                             f"{type(params).__name__}") from None
    for name, array in items:
        if not isinstance(array, np.ndarray) or array.dtype.kind != "f":
            raise ValueError(f"params: {name!r} must be a float numpy array; got "
                             f"{type(array).__name__}")
    return items


def is_penalised(name):
    """True for a weight ("W", "0.W"), False for a bias ("b", "0.b"): see ``UNPENALISED``."""
    return str(name).rsplit(".", 1)[-1] not in UNPENALISED


def _strength(value, name):
    value = as_number(value, name)
    if value < 0:
        raise ValueError(f"{name} must be >= 0 (0: no penalty); got {value:g}")
    return value


def l2_penalty(params, strength):
    r"""The L2 (ridge) penalty $\frac{\lambda}{2}\sum_W \|W\|^2$, summed over the weights.

    params: a network or layer (its ``parameters()``), a list of (name, param, grad), a dict
    {name: array} or one weight array; biases are not penalised. strength: $\lambda \ge 0$.
    Added to the *mean* loss of a batch, as it is here, $\lambda$ is scikit-learn's
    ``MLPClassifier(alpha=a)`` for a batch of n when $\lambda = a / n$.
    """
    strength = _strength(strength, "strength")
    return 0.5 * strength * sum(float(np.vdot(array, array))
                                for name, array in _named_arrays(params) if is_penalised(name))


def l2_penalty_gradient(params, strength):
    r"""The gradient of ``l2_penalty``: $\lambda W$ for each weight, 0 for each bias.

    Returns the gradients in the form of ``params``: an array for an array, else a dict
    {name: array} with every name (zeros for the biases).
    """
    strength = _strength(strength, "strength")
    return _gradients(params, lambda w: strength * w)


def l1_penalty(params, strength):
    r"""The L1 (LASSO) penalty $\lambda \sum_W \sum_{ij} |W_{ij}|$, summed over the weights.

    params and strength as for ``l2_penalty``; biases are not penalised.
    """
    strength = _strength(strength, "strength")
    return strength * sum(float(np.abs(array).sum())
                          for name, array in _named_arrays(params) if is_penalised(name))


def l1_penalty_gradient(params, strength):
    r"""The (sub)gradient of ``l1_penalty``: $\lambda\,\mathrm{sign}(W)$, 0 for each bias.

    |w| has no derivative at w = 0 (a kink); any value in $[-\lambda, \lambda]$ is a
    subgradient there, and we use 0 (``np.sign(0) = 0``), so a weight that is exactly 0 feels
    no pull. Returns the gradients in the form of ``params``, as ``l2_penalty_gradient``.
    """
    strength = _strength(strength, "strength")
    return _gradients(params, lambda w: strength * np.sign(w))


def _gradients(params, rule):
    if isinstance(params, np.ndarray):
        return rule(_named_arrays(params)[0][1])
    return {name: rule(array) if is_penalised(name) else np.zeros_like(array)
            for name, array in _named_arrays(params)}


def add_penalty_gradients(network, *, l1=0.0, l2=0.0):
    r"""Add the L1 and L2 penalty gradients into ``network``'s gradients; return the penalty.

    Call it after ``backward`` (which fills the gradients of the loss): each weight's
    gradient grows by $\lambda_1 \mathrm{sign}(W) + \lambda_2 W$, in place; the biases are
    left alone. network: anything with ``parameters()`` -> [(name, param, grad), ...] (a
    ``Sequential`` or a layer), or that list itself. Returns
    $\lambda_1 \sum |W| + \frac{\lambda_2}{2}\sum W^2$, to add to the loss.
    """
    l1, l2 = _strength(l1, "l1"), _strength(l2, "l2")
    if l1 == 0 and l2 == 0:
        return 0.0
    entries = network.parameters() if callable(getattr(network, "parameters", None)) else network
    penalty = 0.0
    for name, param, grad in entries:
        if not is_penalised(name):
            continue
        if l2:
            grad += l2 * param
            penalty += 0.5 * l2 * float(np.vdot(param, param))
        if l1:
            grad += l1 * np.sign(param)
            penalty += l1 * float(np.abs(param).sum())
    return penalty


# --- Dropout ----------------------------------------------------------------------------

class Dropout(Layer):
    r"""Inverted dropout: while training, zero each input with probability ``rate`` and
    scale the survivors by $1 / (1 - \mathrm{rate})$, so the expected output is the input.

    $y = x \odot m / (1 - p)$ with $m_i \sim \mathrm{Bernoulli}(1 - p)$ drawn anew at each
    forward; backward multiplies by the same $m / (1 - p)$. At inference
    (``training = False``, e.g. after ``network.eval()``) it is the identity, so a
    trained network needs no rescaling. Any input shape (N, ...) (``output_shape`` is the
    input's), float32 or float64 (kept).
    rate: in [0, 1) (0: the identity). seed: None, an int or a Generator (``as_rng``).
    """

    mask = None    # the last training forward's m / (1 - p) (None: identity)
    _shape = None  # the last forward's input shape (None: no forward yet)

    def __init__(self, rate, *, seed=None):
        super().__init__()
        rate = as_number(rate, "rate")
        if not 0 <= rate < 1:
            raise ValueError(f"rate must be in [0, 1): the share of inputs zeroed (0: none); "
                             f"got {rate:g}")
        self.rate = rate
        self.rng = as_rng(seed)

    def forward(self, x):
        x = self._input(x)                  # the layers' one input check
        self._shape = x.shape
        if not self.training or self.rate == 0:
            self.mask = None
            return x
        keep = 1.0 - self.rate
        self.mask = (self.rng.random(x.shape) < keep).astype(x.dtype) / x.dtype.type(keep)
        return x * self.mask

    def backward(self, grad_out):
        """dL/dx = dL/dy * m / (1 - p): a dropped input gets no gradient."""
        grad_out = self._upstream(grad_out, self._shape)
        return grad_out if self.mask is None else grad_out * self.mask

    def __repr__(self):
        return f"Dropout({self.rate:g})"


# --- Early stopping ---------------------------------------------------------------------

class EarlyStopping:
    """Stop training when a monitored value has not improved for ``patience`` epochs, and
    go back to the parameters of the best epoch.

    A ``fit`` callback: ``callback(epoch, network, history) -> bool`` (True: stop), called
    after each epoch (1, 2, ...); ``finish(network)`` at the end of training restores the
    best parameters even if patience never ran out.
    patience: how many epochs in a row without improvement stop training (1: the first).
    monitor: "loss" (training), "val_loss" or a key of ``history.metrics`` ("val_accuracy").
    mode: "min" (a loss: lower is better) or "max" (an accuracy: higher is better).
    min_delta: the least change that counts as an improvement.
    restore_best: put the best epoch's parameters back into the network when training ends.
    After training: ``best_epoch`` (1-based), ``best_value``, ``stopped_epoch`` (None if
    patience never ran out). The state is reset at epoch 1, so one object serves many fits.
    """

    def __init__(self, patience=5, monitor="val_loss", mode="min", min_delta=0.0,
                 restore_best=True):
        self.patience = as_count(patience, "patience")
        if mode not in ("min", "max"):
            raise ValueError(f'mode must be "min" (lower is better, a loss) or "max" (higher is '
                             f'better, an accuracy); got {mode!r}')
        self.min_delta = as_number(min_delta, "min_delta")
        if self.min_delta < 0:
            raise ValueError(f"min_delta must be >= 0; got {self.min_delta:g}")
        if not isinstance(monitor, str):
            raise ValueError(f'monitor must be a name such as "val_loss"; got {monitor!r}')
        self.monitor, self.mode, self.restore_best = monitor, mode, bool(restore_best)
        self.reset()

    def reset(self):
        """Forget the run so far (done at epoch 1)."""
        self.best_epoch = self.best_value = self.stopped_epoch = None
        self.best_parameters = None
        self.wait = 0

    def _series(self, history):
        """The list of monitored values per epoch, or a ValueError naming what there is."""
        metrics = getattr(history, "metrics", None) or {}
        series = {"loss": getattr(history, "loss", None),
                  "val_loss": getattr(history, "val_loss", None), **metrics}
        values = series.get(self.monitor)
        if values is None or len(values) == 0:
            available = [name for name, found in series.items()
                         if found is not None and len(found)]
            hint = (" (pass validation data to fit to record it)"
                    if self.monitor.startswith("val_") else "")
            raise ValueError(f"EarlyStopping: the history has no {self.monitor!r} values{hint}; "
                             f"it has {available}")
        return values

    def _improved(self, value):
        if self.best_value is None:
            return not np.isnan(value)
        if self.mode == "min":
            return value < self.best_value - self.min_delta
        return value > self.best_value + self.min_delta

    def __call__(self, epoch, network, history):
        if epoch == 1:
            self.reset()
        value = float(self._series(history)[-1])
        if self._improved(value):
            self.best_epoch, self.best_value, self.wait = epoch, value, 0
            self.best_parameters = {name: param.copy()
                                    for name, param, grad in network.parameters()}
            return False
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.finish(network)
            return True
        return False

    def finish(self, network):
        """Restore the best epoch's parameters (in place) if ``restore_best``; fit calls it
        when training ends."""
        if not self.restore_best or self.best_parameters is None:
            return
        current = {name: param for name, param, grad in network.parameters()}
        if current.keys() != self.best_parameters.keys():
            raise ValueError("EarlyStopping.finish: the network's parameters are not those it "
                             f"saw in training ({sorted(current)} vs "
                             f"{sorted(self.best_parameters)})")
        for name, param in current.items():
            param[...] = self.best_parameters[name]

    def __repr__(self):
        return (f"EarlyStopping(patience={self.patience}, monitor={self.monitor!r}, "
                f"mode={self.mode!r})")


__all__ = [
    "Dropout", "EarlyStopping", "UNPENALISED", "add_penalty_gradients", "is_penalised",
    "l1_penalty", "l1_penalty_gradient", "l2_penalty", "l2_penalty_gradient",
]


# --- L1 with exact zeros: the proximal step (chapter 7) --------------------------------------

def soft_threshold(w, threshold):
    r"""$\mathrm{sign}(w)\max(|w| - \tau, 0)$: move each entry $\tau$ towards 0, and stop at 0.

    w: an array of any shape; threshold: $\tau \ge 0$. The proximal operator of
    $\tau\lVert w\rVert_1$: the point that best trades staying near w against a small L1 norm.
    """
    threshold = as_number(threshold, "threshold")
    if threshold < 0:
        raise ValueError(f"threshold must not be negative; got {threshold!r}")
    w = as_array(w, "w", allow_empty=True)
    return np.sign(w) * np.maximum(np.abs(w) - threshold, 0.0)


class ProximalL1SGD:
    r"""Gradient descent on the loss, then an L1 step that stops at zero (proximal gradient):

    $$w \leftarrow \mathrm{soft}(w - \alpha g,\ \alpha\lambda), \qquad
      \mathrm{soft}(w, \tau) = \mathrm{sign}(w)\max(|w| - \tau, 0).$$

    The plain subgradient step $w - \alpha(g + \lambda\,\mathrm{sign}\,w)$ jumps over zero and
    back; this step lands on it, so L1 gives exact zeros. Biases are stepped but not shrunk
    (``is_penalised``). An optimizer for ``fit`` (``step(params, grads)``, updating in place);
    give ``fit`` no ``l1`` then: the penalty is here.

    learning_rate: $\alpha > 0$; l1: $\lambda \ge 0$.
    """

    def __init__(self, learning_rate, l1):
        self.learning_rate = as_positive_number(learning_rate, "learning_rate")
        self.l1 = as_number(l1, "l1")
        if self.l1 < 0:
            raise ValueError(f"l1 must not be negative; got {l1!r}")

    def step(self, params, grads):
        """Update every array of ``params`` in place from the same key of ``grads``."""
        if set(params) != set(grads):
            raise ValueError("grads must have the same keys as params")
        for name, w in params.items():
            w -= self.learning_rate * grads[name]
            if is_penalised(name):
                w[...] = soft_threshold(w, self.learning_rate * self.l1)

    def __repr__(self):
        return f"ProximalL1SGD(learning_rate={self.learning_rate:g}, l1={self.l1:g})"
