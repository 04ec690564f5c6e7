r"""Optimizers: the rules that turn gradients into parameter updates, and learning-rate schedules.

Every optimizer has one interface. It is built with its hyper-parameters, and ``step`` updates
the parameters **in place** from their gradients, keeping its own state (velocities, moment
estimates) per parameter; ``reset`` forgets that state. It knows nothing about layers: it sees
two dicts with the same keys, ``{name: array}``, arrays of any shape.

    opt = Adam(learning_rate=1e-3)
    params = {name: p for name, p, g in network.parameters()}
    grads = {name: g for name, p, g in network.parameters()}
    for t in range(steps):
        ...forward, backward (fills the arrays in grads)...
        opt.learning_rate = cosine(t, initial=1e-3, total=steps)   # optional schedule
        opt.step(params, grads)

Notation (chapter 6): step $t$, weights $w$, learning rate $\alpha$, gradient
$g = \partial \mathcal{L} / \partial w$ at step $t$; everything elementwise. Each rule is
written as its paper writes it, in a method ``_update(w, g, *state)`` that changes $w$ and the
state arrays in place.

=============  ==========================================================================
``SGD``        $w \leftarrow w - \alpha g$
``Momentum``   heavy ball (Polyak 1964): $v \leftarrow \beta_1 v - \alpha g$, $w \leftarrow w + v$
``Nesterov``   Sutskever et al. (2013), in the one-gradient-per-step form libraries use
``AdaGrad``    Duchi et al. (2011): $s \leftarrow s + g^2$, $w \leftarrow w - \alpha g / (\sqrt{s} + \epsilon)$
``RMSprop``    Tieleman & Hinton (2012): a moving average of $g^2$ instead of the sum
``Adam``       Kingma & Ba (2015): momentum plus RMSprop, with bias correction
``AMSGrad``    Reddi et al. (2018): Adam with the running maximum of $s$
``AdamW``      Loshchilov & Hutter (2019): Adam with decoupled weight decay ($\lambda = 0.01$)
=============  ==========================================================================

Every optimizer also takes ``weight_decay`` $\lambda \ge 0$ (default 0): see ``Optimizer``.
``OPTIMIZERS`` holds them by name (``get_optimizer("adam", learning_rate=0.01)``).
``trajectory`` runs one on a function's gradient (a 2-D surface, say) and stops calmly if the
run explodes; ``nesterov_sutskever`` runs Nesterov's method in its original form.
Schedules (``SCHEDULES``) are plain functions of the step: ``cosine(t, initial=0.1, total=100)``.

How it is fast: a rule is a handful of whole-array numpy operations, and each numpy call
costs about a microsecond besides its work on the numbers. A ``Sequential`` network allocates
all its parameters as views of one flat vector (``flat_params``), and all its gradients of
another (``flat_grads``). When the arrays of a step lie end to end in two such vectors, the
optimizer runs the rule once, on the two whole vectors, instead of once per array; its state
then lives in flat vectors too, and ``opt.state[name]`` shows each parameter's part of it, in
the parameter's shape. Otherwise it runs the rule once per array, with state of each array's
shape and dtype. ``tools/benchmark_optim.py`` times both.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

try:
    from numpy.lib.array_utils import byte_bounds
except ImportError:              # numpy 1.26
    from numpy import byte_bounds

from nnbook._validate import (
    as_array,
    as_count,
    as_decay_factor,
    as_fraction,
    as_non_negative_number,
    as_number,
    as_positive_number,
)
from nnbook.descent import DIVERGENCE_BOUND, Outcome, divergence  # one bound, test and vocabulary

# --- the interface ---------------------------------------------------------------------------

class Optimizer:
    r"""The base of every optimizer: ``step(params, grads)`` applies the rule ``_update``.

    learning_rate: $\alpha > 0$. It is a plain attribute: a schedule may set it before each
    step (to 0 as well, at the end of a cosine schedule; never negative).
    weight_decay: $\lambda \ge 0$, decoupled weight decay (Loshchilov & Hutter 2019): every
    step first shrinks each array, $w \leftarrow w - \alpha\lambda w$, then applies the rule,
    whose gradient and moments never see the decay. This is PyTorch's form (the learning rate
    times ``weight_decay``); the paper's Algorithm 2 writes $\eta_t \lambda w$ with a schedule
    multiplier $\eta_t$, so its $\lambda$ is $\alpha\lambda$ here. For ``SGD`` it is the same
    as an L2 penalty $\frac{\lambda}{2}\lVert w\rVert^2$ in the loss; for the others it is
    not (the penalty's gradient $\lambda w$ goes into the velocity or is divided by
    $\sqrt{\hat s}$, the decay is not). The optimizer
    knows nothing about layers, so it decays every array it is given, biases too: to leave the
    biases alone, step them with a second optimizer without decay, or use an L2 penalty in the
    loss instead (``fit(..., l2=...)``, ``nnbook.regularization``), which skips them.

    A subclass names its state arrays in ``state_names`` and writes its rule as
    ``_update(w, g, *state)``: it changes ``w`` and the state arrays (passed in the order of
    ``state_names``, each of ``w``'s shape and dtype) in place, and may read ``self.t``, the
    number of this step (1, 2, ...).
    """

    #: The names of the per-parameter state arrays, e.g. ("velocity",).
    state_names = ()
    #: The hyper-parameters shown by repr, in order (weight_decay is added at the end).
    hyper_parameters = ("learning_rate",)

    def __init__(self, learning_rate, *, weight_decay=0.0):
        self.learning_rate = as_positive_number(learning_rate, "learning_rate", 0.01)
        self.weight_decay = as_non_negative_number(weight_decay, "weight_decay")
        self.reset()

    @property
    def learning_rate(self):
        """The step size $\\alpha$ used by the next ``step``."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self._learning_rate = as_non_negative_number(value, "learning_rate")

    def reset(self):
        """Forget all state (velocities, moments) and the step count."""
        self.t = 0           # the number of steps taken since the last reset
        self.state = {}      # {param name: {state name: array of the parameter's shape}}
        self._arrays = None  # the first step's {name: (param, grad, shape)}
        self._packed = None  # (flat params, flat grads, flat states) if those arrays tile two vectors
        self._last_was_packed = False   # whether the last step ran on self._packed

    def step(self, params, grads):
        """Update every array in ``params`` in place from the array with the same key in ``grads``.

        params, grads: dicts {name: ndarray} with the same keys, each gradient of its
        parameter's shape; the parameters float and writeable, the gradients real numbers.
        Either the whole step is taken or, with a ValueError, nothing changes: if the keys,
        shapes or dtypes are wrong, a parameter is read-only, or a gradient is NaN or infinite
        (the run has diverged).
        """
        packed = self._check(params, grads)
        if self._arrays is None:
            self._start(params, grads)
            packed = self._packed is not None
        self._last_was_packed = packed
        if packed:
            runs = [self._packed]               # the whole network at once
        else:
            runs = [(params[key], _real(grads[key]), self.state[key].values()) for key in self._arrays]
        self._run(runs)

    def _run(self, runs):
        """Step t + 1 on checked (w, g, state) triples: the decay, then the rule."""
        self.t += 1
        for w, g, state in runs:
            if self.weight_decay:
                w *= 1.0 - self.learning_rate * self.weight_decay   # w <- w - alpha lambda w
            self._update(w, g, *state)

    def _packed_step(self):
        """The next step on the last step's packed vectors, without ``step``'s checks: for a
        training loop that gave ``step`` those vectors' arrays and has since checked the
        gradient itself (``training.fit`` checks its sum of squares every step). False, and no
        step, when the last step was not on packed vectors."""
        if (not self._last_was_packed or not self._packed[0].flags.writeable
                or type(self).step is not Optimizer.step):    # a subclass's own step: use it
            return False
        self._run([self._packed])
        return True

    def _update(self, w, g, *state):
        """The rule: update ``w`` and the state arrays in place from the gradient ``g`` (subclasses)."""
        raise NotImplementedError(f"{type(self).__name__} does not define _update(w, g, ...)")

    # -- the driver: checks, then the state laid out at the first step --------------------

    def _check(self, params, grads):
        """Check everything a step needs before anything changes; raise a ValueError if wrong.

        Returns True when the arrays are the first step's and tile two flat vectors (then
        the rule runs once, on those vectors).
        """
        for name, value in (("params", params), ("grads", grads)):
            if not isinstance(value, Mapping):
                raise ValueError(f"{name} must be a dict {{name: array}}; got {type(value).__name__}")
        if params.keys() != grads.keys():
            missing, extra = sorted(set(params) - set(grads)), sorted(set(grads) - set(params))
            raise ValueError(f"grads must have the same keys as params; missing from grads: "
                             f"{missing}; not in params: {extra}")
        if not params:
            raise ValueError("params is empty: there is nothing to optimise")
        first = self._arrays
        if first is not None and params.keys() != first.keys():
            raise ValueError(
                f"this {type(self).__name__} has state for the parameters {sorted(first)}; "
                f"got {sorted(params)}: call reset() before stepping other parameters "
                "(or use a new optimizer)")
        packed = self._packed is not None and self._packed[0].flags.writeable
        for key in first or params:
            param, grad = params[key], grads[key]
            _check_pair(key, param, grad, first[key][2] if first else None)
            packed = packed and param is first[key][0] and grad is first[key][1]
        # The sum of squares is finite exactly when every gradient is, and its square too
        # (Adam squares it): one pass. (vdot, unlike dot, does not warn when it overflows.)
        sums = [np.vdot(self._packed[1], self._packed[1])] if packed else [
            np.vdot(grads[key], grads[key]) for key in params]
        if not all(math.isfinite(total) for total in sums):
            _explain_nonfinite(grads)
        return packed

    def _start(self, params, grads):
        """Lay out the state for these parameters (the first step after a reset)."""
        self._arrays = {key: (params[key], grads[key], params[key].shape) for key in params}
        flat_params = _tiled_vector([params[key] for key in params])
        flat_grads = _tiled_vector([grads[key] for key in params])
        if (flat_params is None or flat_grads is None or flat_grads.dtype.kind != "f"
                or np.shares_memory(flat_params, flat_grads)):
            self.state = {key: {name: np.zeros(param.shape, param.dtype) for name in self.state_names}
                          for key, param in params.items()}
            return
        flat_state = [np.zeros_like(flat_params) for _ in self.state_names]
        self._packed = (flat_params, flat_grads, flat_state)
        start = 0
        for key, param in params.items():
            end = start + param.size
            self.state[key] = {name: flat[start:end].reshape(param.shape)
                               for name, flat in zip(self.state_names, flat_state)}
            start = end

    def __repr__(self):
        names = (*self.hyper_parameters, "weight_decay")
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__name__}({values})"


def _check_pair(key, param, grad, shape):
    """A ValueError if ``param`` cannot be updated in place from ``grad`` (shape: the state's, or None)."""
    if not (isinstance(param, np.ndarray) and param.dtype.kind == "f"):
        raise ValueError(f"params[{key!r}] must be a float numpy array (it is updated in place); "
                         f"got {type(param).__name__}"
                         + (f" of dtype {param.dtype}" if isinstance(param, np.ndarray) else ""))
    if not param.flags.writeable:
        raise ValueError(f"params[{key!r}] is read-only, but the optimizer updates it in place; "
                         "nothing was updated. Pass a writeable array (e.g. a copy)")
    if not (isinstance(grad, np.ndarray) and grad.dtype.kind in "biuf"):
        raise ValueError(f"grads[{key!r}] must be a numpy array of real numbers; got "
                         f"{type(grad).__name__}"
                         + (f" of dtype {grad.dtype}" if isinstance(grad, np.ndarray) else ""))
    if shape is not None and param.shape != shape:
        raise ValueError(f"params[{key!r}] has shape {param.shape} but the state for it has shape "
                         f"{shape}: call reset() before stepping other parameters")
    if grad.shape != param.shape:
        raise ValueError(f"grads[{key!r}] has shape {grad.shape} but params[{key!r}] has shape "
                         f"{param.shape}; each gradient must have its parameter's shape")


def _real(grad):
    """A gradient of ints or bools as float64 (so that g * g cannot overflow); floats as they are."""
    return grad if grad.dtype.kind == "f" else grad.astype(np.float64)


def _explain_nonfinite(grads):
    """Raise the ValueError that says which gradient is not finite, or that they are too large."""
    for key, grad in grads.items():
        if not np.all(np.isfinite(grad)):
            raise ValueError(f"grads[{key!r}] is not finite (NaN or infinity): the run has "
                             "diverged; nothing was updated. Lower the learning rate, or stop "
                             "the run here")
    largest = max(float(np.max(np.abs(grad), initial=0)) for grad in grads.values())
    raise ValueError(f"the gradients are too large to square (largest |g| = {largest:.3g}): "
                     "the run has diverged; nothing was updated. Lower the learning rate")


def _tiled_vector(arrays):
    """The part of one 1-D vector that ``arrays`` fill end to end, in this order, or None.

    A ``Sequential`` network allocates its parameters as views of one flat vector: each
    array's ``base`` is that vector, and each starts (``byte_bounds``) where the one before ends.
    """
    base = arrays[0].base
    if not (isinstance(base, np.ndarray) and base.ndim == 1 and base.flags.c_contiguous):
        return None
    bounds = []
    for array in arrays:
        if not (array.base is base and array.dtype == base.dtype and array.flags.c_contiguous):
            return None
        bounds.append(byte_bounds(array))
    if any(end != start for (_, end), (start, _) in zip(bounds, bounds[1:])):
        return None
    first = (bounds[0][0] - byte_bounds(base)[0]) // base.itemsize
    size = sum(array.size for array in arrays)
    return base if (first, size) == (0, base.size) else base[first:first + size]


# --- the rules -------------------------------------------------------------------------------

class SGD(Optimizer):
    r"""Plain (stochastic) gradient descent: $w \leftarrow w - \alpha g$.

    learning_rate: $\alpha$; weight_decay: $\lambda$ (see ``Optimizer``). No state.
    """

    def __init__(self, learning_rate=0.01, *, weight_decay=0.0):
        super().__init__(learning_rate, weight_decay=weight_decay)

    def _update(self, w, g):
        w -= self.learning_rate * g


class Momentum(Optimizer):
    r"""Gradient descent with momentum, Polyak's heavy ball (1964):

    $$v_{t+1} = \beta_1 v_t - \alpha g_t, \qquad w_{t+1} = w_t + v_{t+1}, \qquad v_0 = 0.$$

    The velocity $v$ is a decaying sum of past steps,
    $v_t = -\alpha(g_{t-1} + \beta_1 g_{t-2} + \beta_1^2 g_{t-3} + \cdots)$: it remembers about
    $1/(1-\beta_1)$ steps, and on a steady slope (constant $g$) the steps grow to
    $\alpha/(1-\beta_1)$ times the gradient, the *effective learning rate* (10 $\alpha$ for
    $\beta_1 = 0.9$). Compare it with ``SGD`` at that rate, not at $\alpha$. This is the form of Sutskever et al.
    (2013) and scikit-learn; the other common form, $v \leftarrow \beta_1 v + g$,
    $w \leftarrow w - \alpha v$ (PyTorch), gives the same path while $\alpha$ is constant
    (its $v$ is ours divided by $-\alpha$); they differ only when a schedule changes $\alpha$.

    learning_rate: $\alpha$; beta1: $\beta_1 \in [0, 1)$, the decay of the velocity (0 gives
    plain SGD), named like Adam's first-moment decay; weight_decay: $\lambda$ (see ``Optimizer``).
    State: ``velocity``.
    """

    state_names = ("velocity",)
    hyper_parameters = ("learning_rate", "beta1")

    def __init__(self, learning_rate=0.01, beta1=0.9, *, weight_decay=0.0):
        self.beta1 = as_fraction(beta1, "beta1", 0.9)
        super().__init__(learning_rate, weight_decay=weight_decay)

    def _update(self, w, g, v):                 # Polyak (1964)
        v *= self.beta1; v -= self.learning_rate * g
        w += v


class Nesterov(Momentum):
    r"""Nesterov's accelerated gradient, in the one-gradient-per-step form libraries use.

    Sutskever et al. (2013) take the gradient at the *look-ahead* point $w_t + \beta_1 v_t$:

    $$v_{t+1} = \beta_1 v_t - \alpha \nabla \mathcal{L}(w_t + \beta_1 v_t), \qquad w_{t+1} = w_t + v_{t+1}.$$

    (``nesterov_sutskever`` runs exactly that.) A training loop only has the gradient at the
    parameters it holds, so here the parameters *are* the look-ahead point,
    $u_t = w_t + \beta_1 v_t$. Substituting gives one gradient per step, at $u_t$:

    $$v_{t+1} = \beta_1 v_t - \alpha \nabla \mathcal{L}(u_t), \qquad
      u_{t+1} = u_t + \beta_1 v_{t+1} - \alpha \nabla \mathcal{L}(u_t),$$

    (scikit-learn's ``nesterovs_momentum``, Bengio et al. 2013). With $v_0 = 0$ both start at
    the same point, and the path of $u$ is the path of look-ahead points of the original form;
    its $w_t$ is $u_t - \beta_1 v_t$.

    learning_rate: $\alpha$; beta1: $\beta_1 \in [0, 1)$; weight_decay: $\lambda$.
    State: ``velocity``.
    """

    def _update(self, u, g, v):                 # Sutskever et al. (2013), at the look-ahead point
        v *= self.beta1; v -= self.learning_rate * g
        u += self.beta1 * v - self.learning_rate * g


class AdaGrad(Optimizer):
    r"""AdaGrad (Duchi, Hazan & Singer 2011, diagonal form): a rate per parameter that shrinks
    with the squared gradients it has seen,

    $$s_t = s_{t-1} + g_t^2, \qquad w_{t+1} = w_t - \frac{\alpha}{\sqrt{s_t} + \epsilon}\, g_t,
      \qquad s_0 = 0,$$

    elementwise, with $\epsilon$ added to $\sqrt{G}$ as the paper's $\delta I$ (McMahan &
    Streeter 2010 proposed the same rule). The first step is $\alpha\, g/(|g| + \epsilon)$:
    about $\alpha$ against the sign of the gradient. The rates only shrink; where the gradients
    shrink too (near a minimum) the sum stops growing and the rates level off; under noisy
    gradients the sum grows like $t$ and the rates fall like $1/\sqrt t$.

    learning_rate: $\alpha$; eps: $\epsilon > 0$; weight_decay: $\lambda$.
    State: ``s`` (the sum $s_t$; the paper writes $G$).
    """

    state_names = ("s",)
    hyper_parameters = ("learning_rate", "eps")

    def __init__(self, learning_rate=0.01, eps=1e-8, *, weight_decay=0.0):
        self.eps = as_positive_number(eps, "eps", 1e-8)
        super().__init__(learning_rate, weight_decay=weight_decay)

    def _update(self, w, g, s):                 # Duchi, Hazan & Singer (2011)
        s += g * g
        w -= self.learning_rate * g / (np.sqrt(s) + self.eps)


class RMSprop(Optimizer):
    r"""RMSprop (Tieleman & Hinton 2012, lecture 6e): divide the gradient by a moving root mean
    square of recent gradients,

    $$s_t = \beta_2 s_{t-1} + (1 - \beta_2)\, g_t^2, \qquad
      w_{t+1} = w_t - \frac{\alpha}{\sqrt{s_t} + \epsilon}\, g_t, \qquad s_0 = 0.$$

    The lecture has no $\epsilon$; it is added outside the root, as in PyTorch and Keras 3.
    No bias correction: the first steps are larger than $\alpha$ ($1/\sqrt{1-\beta_2}$ times).

    learning_rate: $\alpha$; beta2: the decay $\beta_2 \in [0, 1)$ of the second moment, named
    like Adam's (Hinton's 0.9); eps: $\epsilon$; weight_decay: $\lambda$. State: ``s``.
    """

    state_names = ("s",)
    hyper_parameters = ("learning_rate", "beta2", "eps")

    def __init__(self, learning_rate=0.001, beta2=0.9, eps=1e-8, *, weight_decay=0.0):
        self.beta2 = as_fraction(beta2, "beta2", 0.9)
        self.eps = as_positive_number(eps, "eps", 1e-8)
        super().__init__(learning_rate, weight_decay=weight_decay)

    def _update(self, w, g, s):                 # Tieleman & Hinton (2012), lecture 6e
        s *= self.beta2; s += (1 - self.beta2) * g * g
        w -= self.learning_rate * g / (np.sqrt(s) + self.eps)


class Adam(Optimizer):
    r"""Adam (Kingma & Ba 2015, Algorithm 1): momentum and RMSprop, with bias correction.

    $$m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad s_t = \beta_2 s_{t-1} + (1-\beta_2) g_t^2,$$
    $$\hat m_t = \frac{m_t}{1-\beta_1^t}, \qquad \hat s_t = \frac{s_t}{1-\beta_2^t}, \qquad
      w_{t+1} = w_t - \alpha\,\frac{\hat m_t}{\sqrt{\hat s_t} + \epsilon},$$

    with $m_0 = s_0 = 0$, $g_t$ the gradient at $w_t$, and $t = 1, 2, \ldots$ (the paper writes
    $\theta_t$ from $\theta_{t-1}$ with $g_t$ taken at $\theta_{t-1}$: the same rule). Unrolled,
    $m_t = (1-\beta_1)\sum_{k=1}^{t} \beta_1^{t-k} g_k$, whose weights sum to $1 - \beta_1^t$
    (the rest is the weight of $m_0 = 0$); dividing by it makes $\hat m_t$ an average whose
    weights sum to 1 (exactly $g$ for a constant gradient), and the same for $s$. So the
    first step is $\alpha\, g/(|g| + \epsilon)$: $\alpha$ against the gradient's sign,
    whatever its scale. A step is about $\alpha$ per coordinate in common cases, and about
    $\alpha(1-\beta_1)/\sqrt{1-\beta_2}$ (3.16 $\alpha$ with the defaults) after a sudden gradient
    (Kingma & Ba, section 2.1); no step exceeds
    $\alpha(1-\beta_1)/\sqrt{(1-\beta_2)(1-\beta_1^2/\beta_2)}$ (about 7.3 $\alpha$ with the
    defaults: the Cauchy-Schwarz inequality on the two averages).

    $\epsilon$ is added to $\sqrt{\hat s}$, as in Algorithm 1 (the paper writes $v$ for $s$).
    (scikit-learn, like the paper's "more efficient" ordering in section 2, folds the
    correction into the step size, $\alpha_t = \alpha\sqrt{1-\beta_2^t}/(1-\beta_1^t)$, and
    adds $\epsilon$ to $\sqrt{s}$: the same rule with $\epsilon$ replaced by
    $\epsilon/\sqrt{1-\beta_2^t}$.)

    learning_rate: $\alpha$; beta1, beta2: $\beta_1, \beta_2 \in [0, 1)$; eps: $\epsilon > 0$;
    weight_decay: $\lambda$ (see ``Optimizer``; ``AdamW`` is Adam with 0.01).
    State: ``m``, ``s``. ``t`` counts the steps since the last reset.
    """

    state_names = ("m", "s")
    hyper_parameters = ("learning_rate", "beta1", "beta2", "eps")

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8, *, weight_decay=0.0):
        self.beta1 = as_fraction(beta1, "beta1", 0.9)
        self.beta2 = as_fraction(beta2, "beta2", 0.999)
        self.eps = as_positive_number(eps, "eps", 1e-8)
        super().__init__(learning_rate, weight_decay=weight_decay)

    def _update(self, w, g, m, s):              # Kingma & Ba (2015), Algorithm 1
        m *= self.beta1; m += (1 - self.beta1) * g
        s *= self.beta2; s += (1 - self.beta2) * g * g
        m_hat = m * (1 / (1 - self.beta1 ** self.t))    # m / (1 - beta1^t): a product by the
        s_hat = s * (1 / (1 - self.beta2 ** self.t))    # reciprocal is 3x faster than a division
        w -= self.learning_rate * m_hat / (np.sqrt(s_hat) + self.eps)


class AdamW(Adam):
    r"""AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay, by default 0.01.

    Each step is $w \leftarrow w - \alpha\lambda w$, then Adam's step: the decay does not pass
    through $\hat m / \sqrt{\hat s}$, so every weight shrinks by the same fraction $\alpha\lambda$
    (an L2 penalty in the loss would shrink weights with small gradients the most). Exactly
    ``Adam(..., weight_decay=0.01)``; see ``Optimizer`` for the form of the decay.
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8, *, weight_decay=0.01):
        super().__init__(learning_rate, beta1, beta2, eps, weight_decay=weight_decay)


class AMSGrad(Adam):
    r"""AMSGrad (Reddi, Kale & Kumar 2018, Algorithm 2): Adam with the largest $s$ so far.

    $$s^{\max}_t = \max(s^{\max}_{t-1}, s_t), \qquad
      w_{t+1} = w_t - \alpha\,\frac{m_t}{\sqrt{s^{\max}_t} + \epsilon},$$

    with $m_t, s_t$ as in ``Adam`` (the paper writes $v_t$ and $\hat v_t$). Adam's
    per-parameter rate $\alpha/\sqrt{s_t}$ can grow when a large gradient is forgotten; the
    proof of Adam's convergence (Kingma & Ba, Theorem 4.1, with $\alpha_t = \alpha/\sqrt t$
    and a decaying $\beta_{1,t} = \beta_1\lambda^{t-1}$) assumed it never does. Reddi et al.'s
    Theorem 1 gives a convex online problem on $[-1, 1]$, with a projection back onto it, on
    which Adam with $\beta_1 = 0$, $\beta_2 = 1/(1 + C^2)$ goes to the worst point; their
    Theorems 2 and 3 find such a problem for any $\beta_1 < \sqrt{\beta_2}$ (with the default
    betas Adam solves the Theorem 1 problem; ``nnbook.book.ch06_optimizers.reddi_run``).

    As in Algorithm 2 there is no bias correction (bias_correction=False, the default): then
    the rate $\alpha/\sqrt{s^{\max}_t}$ never grows, and the first step is
    $\alpha (1-\beta_1)/\sqrt{1-\beta_2} \approx 3.16\,\alpha$ against the gradient's sign; on a
    steady gradient the steps, $\alpha(1-\beta_1^t)/\sqrt{1-\beta_2^t}$, reach about
    $6.6\,\alpha$ at step 12 and come down towards $\alpha$ only over thousands of steps
    ($1.7\,\alpha$ at step 400), so this AMSGrad moves like Adam at a larger rate. The paper
    uses constant $\alpha$ and $\beta_1$ in its experiments, as here, and no $\epsilon$;
    $\epsilon$ is added to $\sqrt{s^{\max}}$ so that a parameter whose gradient has always
    been 0 does not divide 0 by 0.
    bias_correction=True gives the PyTorch/Keras variant: the maximum of the raw $s$, then
    $m/(1-\beta_1^t)$ and $s^{\max}/(1-\beta_2^t)$ as in Adam. Its rate
    $\alpha\sqrt{1-\beta_2^t}/\sqrt{s^{\max}_t}$ grows as $\beta_2^t$ fades (up to
    $1/\sqrt{1-\beta_2} \approx 32$-fold), though not because $s$ forgets.

    State: ``m``, ``s``, ``s_max`` ($s^{\max}$).
    """

    state_names = ("m", "s", "s_max")
    hyper_parameters = ("learning_rate", "beta1", "beta2", "eps", "bias_correction")

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8, bias_correction=False,
                 *, weight_decay=0.0):
        if not isinstance(bias_correction, bool):
            raise ValueError(f"bias_correction must be True or False; got {bias_correction!r}")
        self.bias_correction = bias_correction
        super().__init__(learning_rate, beta1, beta2, eps, weight_decay=weight_decay)

    def _update(self, w, g, m, s, s_max):       # Reddi, Kale & Kumar (2018), Algorithm 2
        m *= self.beta1; m += (1 - self.beta1) * g
        s *= self.beta2; s += (1 - self.beta2) * g * g
        np.maximum(s_max, s, out=s_max)
        m_hat, s_hat = m, s_max
        if self.bias_correction:                # the PyTorch / Keras variant
            m_hat = m * (1 / (1 - self.beta1 ** self.t))
            s_hat = s_max * (1 / (1 - self.beta2 ** self.t))
        w -= self.learning_rate * m_hat / (np.sqrt(s_hat) + self.eps)


#: Every optimizer by the name the book uses.
OPTIMIZERS = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": AdaGrad,
    "rmsprop": RMSprop,
    "adam": Adam,
    "amsgrad": AMSGrad,
    "adamw": AdamW,
}


def get_optimizer(name, **hyper_parameters):
    """A new optimizer called ``name`` (a key of ``OPTIMIZERS``, any case) with these settings.

    An ``Optimizer`` object is returned as it is (then no settings may be given).
    """
    if isinstance(name, Optimizer):
        if hyper_parameters:
            raise ValueError(f"settings {sorted(hyper_parameters)} cannot be applied to the "
                             f"optimizer object {name!r}; build it with them instead")
        return name
    key = str(name).lower().replace("-", "").replace("_", "").replace(" ", "")
    if key not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; known: {', '.join(OPTIMIZERS)}")
    return OPTIMIZERS[key](**hyper_parameters)


# --- running an optimizer on a function ------------------------------------------------------

@dataclass(frozen=True)
class Trajectory(Outcome):
    """The points an optimizer visited on a function.

    points: (n_steps + 1, D), the start then the point after every step (all finite).
    status (``descent.STATUSES``): "finished" (all steps done) or "diverged" (the next point would pass
    ``DIVERGENCE_BOUND``, or the gradient stopped being finite; that point is not kept).
    lookahead: for ``nesterov_sutskever``, the points where each gradient was taken.
    """

    points: np.ndarray = field(repr=False)
    status: str
    reason: str = ""
    lookahead: np.ndarray = field(default=None, repr=False)

    @property
    def steps(self):
        """The number of steps kept."""
        return len(self.points) - 1


def trajectory(optimizer, gradient, start, *, steps=100, schedule=None, bound=DIVERGENCE_BOUND):
    r"""Run ``optimizer`` from ``start`` on ``gradient``; return the ``Trajectory``.

    gradient: a function theta (D,) -> $\nabla\mathcal{L}(\theta)$ (D,) (e.g. a ``Surface``'s ``gradient``).
    start: (D,); steps: at most this many updates; schedule: None, or a function t -> the
    learning rate for step t (t = 0, 1, ...), set on the optimizer before each step.
    The optimizer is reset first.
    A run stops as "diverged", without warnings, before keeping a point with a coordinate
    beyond ``bound`` (or a non-finite gradient): the points are always finite.
    """
    theta = as_array(start, "start", ndim=1).astype(np.float64)
    steps = as_count(steps, "steps")
    bound = as_positive_number(bound, "bound", 1e6)
    optimizer.reset()
    params, points = {"theta": theta}, [theta.copy()]
    status, reason = "finished", f"used all {steps} steps"
    with np.errstate(over="ignore", invalid="ignore"):  # an explosion is detected, not warned about
        for t in range(steps):
            g = np.asarray(gradient(theta), dtype=np.float64)
            if not np.all(np.isfinite(g)) or not math.isfinite(np.vdot(g, g)):
                status, reason = "diverged", "the gradient overflowed"
                break
            if schedule is not None:
                optimizer.learning_rate = schedule(t)
            optimizer.step(params, {"theta": g})
            problem = divergence(theta, bound=bound)
            if problem:
                status, reason = "diverged", problem
                break
            points.append(theta.copy())
    return Trajectory(np.array(points), status, reason)


def nesterov_sutskever(gradient, start, *, learning_rate=0.01, beta1=0.9, steps=100,
                       bound=DIVERGENCE_BOUND):
    r"""Nesterov's method in the form of Sutskever et al. (2013): the gradient at the look-ahead point.

    $$v_{t+1} = \beta_1 v_t - \alpha \nabla \mathcal{L}(w_t + \beta_1 v_t), \qquad
      w_{t+1} = w_t + v_{t+1}, \qquad v_0 = 0.$$

    gradient: theta (D,) -> (D,); start: $w_0$ (D,); beta1: $\beta_1$, as in ``Nesterov``.
    Returns a ``Trajectory`` whose points are the $w_t$ and whose ``lookahead`` holds
    $w_t + \beta_1 v_t$ for every kept point: the points ``trajectory(Nesterov(...), ...)``
    visits. It stops like ``trajectory``.
    """
    w = as_array(start, "start", ndim=1).astype(np.float64)
    alpha = as_positive_number(learning_rate, "learning_rate", 0.01)
    beta = as_fraction(beta1, "beta1", 0.9)
    steps = as_count(steps, "steps")
    bound = as_positive_number(bound, "bound", 1e6)
    v = np.zeros_like(w)
    points, lookahead = [w.copy()], [w.copy()]
    status, reason = "finished", f"used all {steps} steps"
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            g = np.asarray(gradient(w + beta * v), dtype=np.float64)
            if not np.all(np.isfinite(g)):
                status, reason = "diverged", "the gradient overflowed"
                break
            v_next = beta * v - alpha * g
            w_next = w + v_next
            ahead = w_next + beta * v_next
            problem = divergence(w_next, bound=bound) or divergence(ahead, bound=bound)
            if problem:
                status, reason = "diverged", problem
                break
            w, v = w_next, v_next
            points.append(w.copy())
            lookahead.append(ahead)
    return Trajectory(np.array(points), status, reason, np.array(lookahead))


# --- learning-rate schedules: plain functions of the step t = 0, 1, 2, ... --------------------

def _final(final, initial):
    """The final rate of a cosine schedule: in [0, initial]."""
    number = as_number(final, "final")
    if not 0.0 <= number <= initial:
        raise ValueError(f"final must be between 0 and initial ({initial:g}); got {final!r}")
    return number


def constant(t, *, initial):
    r"""The same rate at every step: $\alpha_t = \alpha_0$."""
    as_count(t, "t", 0)
    return as_positive_number(initial, "initial", 0.1)


def step_decay(t, *, initial, drop, every):
    r"""Multiply the rate by ``drop`` every ``every`` steps: $\alpha_t = \alpha_0\,\gamma^{\lfloor t/k \rfloor}$.

    drop: $\gamma \in (0, 1]$ (e.g. 0.5); every: $k$, a positive integer.
    """
    t = as_count(t, "t", 0)
    initial = as_positive_number(initial, "initial", 0.1)
    drop = as_decay_factor(drop, "drop", 0.5)
    every = as_count(every, "every")
    return initial * drop ** (t // every)


def exponential(t, *, initial, decay):
    r"""Shrink the rate by the same factor every step: $\alpha_t = \alpha_0\,\gamma^t$.

    decay: $\gamma \in (0, 1]$ (e.g. 0.99).
    """
    t = as_count(t, "t", 0)
    initial = as_positive_number(initial, "initial", 0.1)
    decay = as_decay_factor(decay, "decay", 0.99)
    return initial * decay ** t


def cosine(t, *, initial, total, final=0.0):
    r"""Half a cosine from ``initial`` down to ``final`` over ``total`` steps (Loshchilov & Hutter 2017):

    $$\alpha_t = \alpha_{\min} + \tfrac12(\alpha_0 - \alpha_{\min})\bigl(1 + \cos(\pi t / T)\bigr)$$

    for $t \le T$, and $\alpha_{\min}$ after. total: $T$, a positive integer;
    final: $\alpha_{\min} \in [0, \alpha_0]$. With t in range(T) the rate stays above final.
    """
    t = as_count(t, "t", 0)
    initial = as_positive_number(initial, "initial", 0.1)
    total = as_count(total, "total")
    final = _final(final, initial)
    if t >= total:
        return final
    return final + 0.5 * (initial - final) * (1.0 + math.cos(math.pi * t / total))


def warmup_cosine(t, *, initial, warmup, total, final=0.0):
    r"""A linear warm-up over ``warmup`` steps, then a cosine decay until step ``total``:

    $\alpha_t = \alpha_0 (t + 1)/W$ for $t < W$ (the first step already moves), then
    ``cosine(t - W, initial, total - W, final)``.
    warmup: $W \ge 0$ (0: no warm-up); total: the whole run, more than warmup.
    """
    t = as_count(t, "t", 0)
    initial = as_positive_number(initial, "initial", 0.1)
    warmup = as_count(warmup, "warmup", 0)
    total = as_count(total, "total")
    if total <= warmup:
        raise ValueError(f"total must be larger than warmup ({warmup}); got {total!r}")
    final = _final(final, initial)
    if t < warmup:
        return initial * (t + 1) / warmup
    return cosine(t - warmup, initial=initial, total=total - warmup, final=final)


#: Every schedule by name: each is called as schedule(t, **settings).
SCHEDULES = {
    "constant": constant,
    "step_decay": step_decay,
    "exponential": exponential,
    "cosine": cosine,
    "warmup_cosine": warmup_cosine,
}
