r"""Optimizers: the rules that turn gradients into parameter updates, and learning-rate schedules.

Every optimizer has one interface. It is built with its hyper-parameters, and ``step`` updates
the parameters **in place** from their gradients, keeping its own state (velocities, moment
estimates) per parameter; ``reset`` forgets that state. It knows nothing about layers: it sees
two dicts with the same keys, ``{name: array}``.

    opt = Adam(learning_rate=1e-3)
    params = {name: p for name, p, g in network.parameters()}
    grads = {name: g for name, p, g in network.parameters()}
    for t in range(steps):
        ...forward, backward (fills the arrays in grads)...
        opt.learning_rate = cosine(t, initial=1e-3, total=steps)   # optional schedule
        opt.step(params, grads)

Notation (chapter 6): step $t$, weights $w$, learning rate $\alpha$, gradient
$g_t = \partial \mathcal{L} / \partial w$ at step $t$. Every rule below writes an update
$w \leftarrow w + \Delta w$; the base class applies it.

=============  ==========================================================================
``SGD``        $\Delta w = -\alpha g$
``Momentum``   heavy ball (Polyak 1964): $v \leftarrow \beta v - \alpha g$, $\Delta w = v$
``Nesterov``   Sutskever et al. (2013), in the one-gradient-per-step form libraries use
``AdaGrad``    Duchi et al. (2011): $\Delta w = -\alpha g / (\sqrt{s} + \epsilon)$, $s = \sum g^2$
``RMSprop``    Tieleman & Hinton (2012): a moving average of $g^2$ instead of the sum
``Adam``       Kingma & Ba (2015): momentum plus RMSprop, with bias correction
``AMSGrad``    Reddi et al. (2018): Adam with the running maximum of $s$
=============  ==========================================================================

``OPTIMIZERS`` holds them by name (``get_optimizer("adam", learning_rate=0.01)``).
``trajectory`` runs one on a function's gradient (a 2-D surface, say) and stops calmly if the
run explodes; ``nesterov_sutskever`` runs Nesterov's method in its original form.
Schedules (``SCHEDULES``) are plain functions of the step: ``cosine(t, initial=0.1, total=100)``.

How it is fast: the rule works on one flat vector holding every gradient, with a handful of
whole-vector operations in place, and the change goes back into the parameters. When the
parameters and the gradients already lie end to end in two flat vectors (a ``Sequential``
network packs them so) the optimizer uses those directly; otherwise it copies the gradients
into a vector of its own and adds the change back to each parameter. The state lives in flat
vectors too; ``opt.state[name]`` shows each parameter's slice of it, with the parameter's shape.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np

from nnbook._validate import as_count, as_float_array, as_number
from nnbook.descent import DIVERGENCE_BOUND  # one bound for every run that can explode

#: From this many numbers on, y <- y + a x is one BLAS call (one pass) instead of two numpy ones.
_BLAS_AXPY_FROM = 4096
_daxpy = None  # scipy's BLAS daxpy, imported on first use: ``import nnbook`` stays scipy-free


def _axpy(x, y, a):
    """y <- y + a x, in place; x, y: flat float64 vectors of one size, a: a number."""
    global _daxpy
    if y.size < _BLAS_AXPY_FROM:
        y += a * x
        return
    if _daxpy is None:
        from scipy.linalg.blas import daxpy as _daxpy
    result = _daxpy(x, y, a=a)
    if result is not y:      # BLAS worked on a copy (never for our contiguous vectors): keep it
        y[...] = result


def _run_of(arrays):
    """The flat float64 vector that ``arrays`` tile end to end, in order, or None if they do not."""
    owner = arrays[0]
    while isinstance(owner.base, np.ndarray):
        owner = owner.base
    if not (owner.dtype == np.float64 and owner.flags.c_contiguous):
        return None
    flat = owner.reshape(-1)
    address = flat.__array_interface__["data"][0]
    start = (arrays[0].__array_interface__["data"][0] - address) // flat.itemsize
    end = start
    for array in arrays:
        if not (array.dtype == np.float64 and array.flags.c_contiguous
                and array.__array_interface__["data"][0] == address + end * flat.itemsize):
            return None
        end += array.size
    if start < 0 or end > flat.size:
        return None
    return flat[start:end]


# --- checks ----------------------------------------------------------------------------------

def _positive(value, name, example):
    number = as_number(value, name)
    if number <= 0:
        raise ValueError(f"{name} must be a positive number (e.g. {example}); got {value!r}")
    return number


def _fraction(value, name, example):
    """A decay rate in [0, 1)."""
    number = as_number(value, name)
    if not 0.0 <= number < 1.0:
        raise ValueError(f"{name} must be in [0, 1) (e.g. {example}); got {value!r}")
    return number


def _shape_of(array):
    return getattr(array, "shape", None)


# --- the interface ---------------------------------------------------------------------------

class Optimizer:
    r"""The base of every optimizer: ``step(params, grads)`` applies $w \leftarrow w + \Delta w$.

    learning_rate: $\alpha > 0$. It is a plain attribute: a schedule may set it before each
    step (to 0 as well, at the end of a cosine schedule; never negative).
    A subclass names its state vectors in ``state_names`` and computes $\Delta w$ in
    ``_change(g)`` from the flat gradient vector ``g`` (read only: it may be the network's own
    gradient vector), returned as a number and a vector whose product is $\Delta w$.
    """

    #: The names of the per-parameter state arrays, e.g. ("velocity",).
    state_names = ()
    #: The hyper-parameters shown by repr, in order.
    hyper_parameters = ("learning_rate",)

    def __init__(self, learning_rate):
        self.learning_rate = _positive(learning_rate, "learning_rate", 0.01)
        self.reset()

    @property
    def learning_rate(self):
        """The step size $\\alpha$ used by the next ``step``."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        number = as_number(value, "learning_rate")
        if number < 0:
            raise ValueError(f"learning_rate must not be negative; got {value!r}")
        self._learning_rate = number

    def reset(self):
        """Forget all state (velocities, moments) and the step count."""
        self.t = 0           # the number of steps taken since the last reset
        self.state = {}      # {param name: {state name: array of the parameter's shape}}
        self._keys = None    # the parameter names, in the order of the flat vectors
        self._flat = {}      # {state name: flat vector over all parameters}
        self._views = {}
        self._packed = None  # (flat params, flat grads) when the dicts' arrays tile two vectors

    def step(self, params, grads):
        """Update every array in ``params`` in place from the array with the same key in ``grads``.

        params, grads: dicts {name: ndarray} with the same keys, each gradient of its
        parameter's shape. Raises a ValueError (and changes nothing) if the keys or shapes
        differ or a gradient is NaN or infinite (the run has diverged).
        """
        g, flat_params = self._gather(params, grads)
        self.t += 1
        coefficient, direction = self._change(g)
        if flat_params is not None:
            _axpy(direction, flat_params, coefficient)         # w <- w + Delta w, in one pass
            return
        if coefficient != 1.0:
            direction = np.multiply(direction, coefficient, out=self._delta)
        for key, delta in self._split(direction).items():
            params[key] += delta

    def _change(self, g):
        """Delta w for the flat gradient g, as (a number, a flat vector) (subclasses)."""
        raise NotImplementedError(f"{type(self).__name__} does not define _change(g)")

    # -- bookkeeping: one flat vector for all parameters ------------------------------------

    def _gather(self, params, grads):
        """Check the two dicts; return the flat gradient vector and the flat parameter vector.

        When the arrays are the ones that tiled two flat vectors at the first step, those two
        vectors; otherwise every gradient is copied into ``self._g`` and the second is None.
        """
        if self._keys is None:
            self._build(params, grads)
        elif not (isinstance(params, Mapping) and isinstance(grads, Mapping)
                  and params.keys() == self._shapes.keys() and grads.keys() == self._shapes.keys()):
            self._check_dicts(params, grads)
            raise ValueError(
                f"this {type(self).__name__} has state for the parameters {sorted(self._shapes)}; "
                f"got {sorted(params)}: call reset() before stepping other parameters "
                "(or use a new optimizer)")
        packed = self._packed is not None
        for key, shape, (param_0, grad_0) in zip(self._keys, self._shapes.values(), self._arrays):
            param, grad = params[key], grads[key]
            if param is param_0 and grad is grad_0 and param.shape == grad.shape == shape:
                continue
            packed = False
            if not (isinstance(param, np.ndarray) and param.shape == shape and param.dtype.kind == "f"
                    and _shape_of(grad) == shape):
                self._check_pair(key, param, grad, shape)
        if packed:
            flat_params, g = self._packed
        else:
            flat_params, g = None, self._g
            np.concatenate([grads[key] for key in self._keys], axis=None, out=g)
        # One pass: the sum of squares is finite exactly when every gradient is (vdot, unlike
        # dot, does not warn when it overflows).
        if not math.isfinite(np.vdot(g, g)):
            self._check_finite(grads)
        return g, flat_params

    def _build(self, params, grads):
        """Lay out the flat vectors for these parameters (the first step after a reset)."""
        self._check_dicts(params, grads)
        if not params:
            raise ValueError("params is empty: there is nothing to optimise")
        for key, param in params.items():
            self._check_pair(key, param, grads[key], _shape_of(param))
        self._keys = list(params)
        self._shapes = {key: params[key].shape for key in self._keys}
        sizes = [params[key].size for key in self._keys]
        self._bounds = np.cumsum([0] + sizes)
        total = int(self._bounds[-1])
        self._g = np.empty(total)
        self._scratch = np.empty(total)
        self._delta = np.empty(total)
        self._arrays = [(params[key], grads[key]) for key in self._keys]
        flat_params = _run_of([params[key] for key in self._keys])
        flat_grads = _run_of([grads[key] for key in self._keys])
        if (flat_params is not None and flat_grads is not None
                and not np.shares_memory(flat_params, flat_grads)):
            self._packed = (flat_params, flat_grads)
        self._flat = {name: np.zeros(total) for name in self.state_names}
        self.state = {key: {} for key in self._keys}
        for name, flat in self._flat.items():
            for key, view in self._split(flat).items():
                self.state[key][name] = view

    def _split(self, flat):
        """{key: the parameter's slice of the flat vector, in the parameter's shape} (cached)."""
        views = self._views.get(id(flat))
        if views is None or views[0] is not flat:
            views = (flat, {key: flat[a:b].reshape(self._shapes[key])
                            for key, a, b in zip(self._keys, self._bounds, self._bounds[1:])})
            self._views[id(flat)] = views
        return views[1]

    def _check_dicts(self, params, grads):
        for name, value in (("params", params), ("grads", grads)):
            if not isinstance(value, Mapping):
                raise ValueError(f"{name} must be a dict {{name: array}}; got {type(value).__name__}")
        if params.keys() != grads.keys():
            missing = sorted(set(params) - set(grads))
            extra = sorted(set(grads) - set(params))
            raise ValueError(f"grads must have the same keys as params; missing from grads: "
                             f"{missing}; not in params: {extra}")

    @staticmethod
    def _check_pair(key, param, grad, shape):
        if not (isinstance(param, np.ndarray) and param.dtype.kind == "f"):
            raise ValueError(f"params[{key!r}] must be a float numpy array (it is updated in place); "
                             f"got {type(param).__name__}"
                             + (f" of dtype {param.dtype}" if isinstance(param, np.ndarray) else ""))
        if not isinstance(grad, np.ndarray) or grad.dtype.kind not in "biuf":
            raise ValueError(f"grads[{key!r}] must be a numpy array of numbers; got {type(grad).__name__}")
        if param.shape != shape:
            raise ValueError(f"params[{key!r}] has shape {param.shape} but the state for it has shape "
                             f"{shape}: call reset() before stepping other parameters")
        if grad.shape != param.shape:
            raise ValueError(f"grads[{key!r}] has shape {grad.shape} but params[{key!r}] has shape "
                             f"{param.shape}; each gradient must have its parameter's shape")

    def _check_finite(self, grads):
        for key in self._keys:
            grad = np.asarray(grads[key])
            if not np.all(np.isfinite(grad)):
                raise ValueError(f"grads[{key!r}] is not finite (NaN or infinity): the run has "
                                 "diverged; nothing was updated. Lower the learning rate, or stop "
                                 "the run here")
        largest = max(float(np.max(np.abs(grads[key]))) for key in self._keys)
        raise ValueError(f"the gradients are too large to square (largest |g| = {largest:.3g}): "
                         "the run has diverged; nothing was updated. Lower the learning rate")

    def __repr__(self):
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.hyper_parameters)
        return f"{type(self).__name__}({values})"


class SGD(Optimizer):
    r"""Plain (stochastic) gradient descent: $w \leftarrow w - \alpha g$.

    learning_rate: $\alpha$. No state.
    """

    def __init__(self, learning_rate=0.01):
        super().__init__(learning_rate)

    def _change(self, g):
        return -self.learning_rate, g               # Delta w = -alpha g


class Momentum(Optimizer):
    r"""Gradient descent with momentum, Polyak's heavy ball (1964):

    $$v_{t+1} = \beta v_t - \alpha g_t, \qquad w_{t+1} = w_t + v_{t+1}, \qquad v_0 = 0.$$

    The velocity $v$ is a decaying sum of past steps. This is the form of Sutskever et al.
    (2013) and scikit-learn; the other common form, $v \leftarrow \beta v + g$,
    $w \leftarrow w - \alpha v$ (PyTorch), gives the same path while $\alpha$ is constant
    (its $v$ is ours divided by $-\alpha$); they differ only when a schedule changes $\alpha$.

    learning_rate: $\alpha$; beta: $\beta \in [0, 1)$ (0 gives plain SGD).
    State: ``velocity``.
    """

    state_names = ("velocity",)
    hyper_parameters = ("learning_rate", "beta")

    def __init__(self, learning_rate=0.01, beta=0.9):
        self.beta = _fraction(beta, "beta", 0.9)
        super().__init__(learning_rate)

    def _change(self, g):
        v = self._flat["velocity"]
        v *= self.beta
        _axpy(g, v, -self.learning_rate)            # v <- beta v - alpha g
        return 1.0, v                               # Delta w = v


class Nesterov(Momentum):
    r"""Nesterov's accelerated gradient, in the one-gradient-per-step form libraries use.

    Sutskever et al. (2013) take the gradient at the *look-ahead* point $w_t + \beta v_t$:

    $$v_{t+1} = \beta v_t - \alpha \nabla \mathcal{L}(w_t + \beta v_t), \qquad w_{t+1} = w_t + v_{t+1}.$$

    (``nesterov_sutskever`` runs exactly that.) A training loop only has the gradient at the
    parameters it holds, so here the parameters *are* the look-ahead point,
    $u_t = w_t + \beta v_t$. Substituting gives one gradient per step, at $u_t$:

    $$v_{t+1} = \beta v_t - \alpha \nabla \mathcal{L}(u_t), \qquad
      u_{t+1} = u_t + \beta v_{t+1} - \alpha \nabla \mathcal{L}(u_t),$$

    (scikit-learn's ``nesterovs_momentum``, Bengio et al. 2013). With $v_0 = 0$ both start at
    the same point, and the path of $u$ is the path of look-ahead points of the original form;
    its $w_t$ is $u_t - \beta v_t$.

    learning_rate: $\alpha$; beta: $\beta \in [0, 1)$. State: ``velocity``.
    """

    def _change(self, g):
        v, change = self._flat["velocity"], self._scratch
        v *= self.beta
        _axpy(g, v, -self.learning_rate)            # v <- beta v - alpha g
        np.multiply(v, self.beta, out=change)
        _axpy(g, change, -self.learning_rate)       # Delta u = beta v - alpha g
        return 1.0, change


class AdaGrad(Optimizer):
    r"""AdaGrad (Duchi, Hazan & Singer 2011, diagonal form): a rate per parameter that shrinks
    with the squared gradients it has seen,

    $$s_t = s_{t-1} + g_t^2, \qquad w_{t+1} = w_t - \frac{\alpha}{\sqrt{s_t} + \epsilon}\, g_t,
      \qquad s_0 = 0,$$

    elementwise, with $\epsilon$ added to $\sqrt{G}$ as the paper's $\delta I$. The first step
    is $\alpha\, g/(|g| + \epsilon)$: about $\alpha$ against the sign of the gradient.

    learning_rate: $\alpha$; eps: $\epsilon > 0$. State: ``s`` (the sum $s_t$; the paper writes $G$).
    """

    state_names = ("s",)
    hyper_parameters = ("learning_rate", "eps")

    def __init__(self, learning_rate=0.01, eps=1e-8):
        self.eps = _positive(eps, "eps", 1e-8)
        super().__init__(learning_rate)

    def _change(self, g):
        s, denominator = self._flat["s"], self._scratch
        np.multiply(g, g, out=denominator)
        s += denominator                            # s <- s + g^2
        np.sqrt(s, out=denominator)
        denominator += self.eps
        step = np.divide(g, denominator, out=denominator)
        return -self.learning_rate, step            # Delta w = -alpha g / (sqrt(s) + eps)


class RMSprop(Optimizer):
    r"""RMSprop (Tieleman & Hinton 2012, lecture 6e): divide the gradient by a moving root mean
    square of recent gradients,

    $$s_t = \beta_2 s_{t-1} + (1 - \beta_2)\, g_t^2, \qquad
      w_{t+1} = w_t - \frac{\alpha}{\sqrt{s_t} + \epsilon}\, g_t, \qquad s_0 = 0.$$

    The lecture has no $\epsilon$; it is added outside the root, as in PyTorch and Keras 3.
    No bias correction: the first steps are larger than $\alpha$ ($1/\sqrt{1-\beta_2}$ times).

    learning_rate: $\alpha$; beta: the decay $\beta_2 \in [0, 1)$ of the second moment, as the
    notation page names it (Hinton's 0.9); eps: $\epsilon$.
    State: ``s``.
    """

    state_names = ("s",)
    hyper_parameters = ("learning_rate", "beta", "eps")

    def __init__(self, learning_rate=0.001, beta=0.9, eps=1e-8):
        self.beta = _fraction(beta, "beta", 0.9)
        self.eps = _positive(eps, "eps", 1e-8)
        super().__init__(learning_rate)

    def _change(self, g):
        s, denominator = self._flat["s"], self._scratch
        np.multiply(g, g, out=denominator)
        s *= self.beta
        _axpy(denominator, s, 1.0 - self.beta)      # s <- beta s + (1 - beta) g^2
        np.sqrt(s, out=denominator)
        denominator += self.eps
        step = np.divide(g, denominator, out=denominator)
        return -self.learning_rate, step            # Delta w = -alpha g / (sqrt(s) + eps)


class Adam(Optimizer):
    r"""Adam (Kingma & Ba 2015, Algorithm 1): momentum and RMSprop, with bias correction.

    $$m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad s_t = \beta_2 s_{t-1} + (1-\beta_2) g_t^2,$$
    $$\hat m_t = \frac{m_t}{1-\beta_1^t}, \qquad \hat s_t = \frac{s_t}{1-\beta_2^t}, \qquad
      w_t = w_{t-1} - \alpha\,\frac{\hat m_t}{\sqrt{\hat s_t} + \epsilon},$$

    with $m_0 = s_0 = 0$ and $t = 1, 2, \ldots$ Because $m_0 = s_0 = 0$ the moving averages
    start too small; dividing by $1 - \beta^t$ undoes that (exactly for a constant gradient), so the first step is
    $\alpha\, g/(|g| + \epsilon)$: $\alpha$ against the gradient's sign, whatever its scale.

    $\epsilon$ is added to $\sqrt{\hat s}$, as in Algorithm 1 (the paper writes $v$ for $s$). (scikit-learn, like the
    paper's "more efficient" ordering in section 2, folds the correction into the step size,
    $\alpha_t = \alpha\sqrt{1-\beta_2^t}/(1-\beta_1^t)$, and adds $\epsilon$ to $\sqrt{s}$:
    the same rule with $\epsilon$ replaced by $\epsilon/\sqrt{1-\beta_2^t}$.)

    learning_rate: $\alpha$; beta1, beta2: $\beta_1, \beta_2 \in [0, 1)$; eps: $\epsilon > 0$.
    State: ``m``, ``s``. ``t`` counts the steps since the last reset.
    """

    state_names = ("m", "s")
    hyper_parameters = ("learning_rate", "beta1", "beta2", "eps")

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.beta1 = _fraction(beta1, "beta1", 0.9)
        self.beta2 = _fraction(beta2, "beta2", 0.999)
        self.eps = _positive(eps, "eps", 1e-8)
        super().__init__(learning_rate)

    def _moments(self, g):
        """m <- beta1 m + (1 - beta1) g and s <- beta2 s + (1 - beta2) g^2, in place."""
        m, s, scratch = self._flat["m"], self._flat["s"], self._scratch
        np.multiply(g, g, out=scratch)
        s *= self.beta2
        _axpy(scratch, s, 1.0 - self.beta2)
        m *= self.beta1
        _axpy(g, m, 1.0 - self.beta1)
        return m, s

    def _change(self, g):
        m, s = self._moments(g)
        c1, c2 = 1.0 - self.beta1 ** self.t, 1.0 - self.beta2 ** self.t
        # alpha m_hat / (sqrt(s_hat) + eps) = (alpha sqrt(c2) / c1) m / (sqrt(s) + eps sqrt(c2))
        step = self._scratch
        np.sqrt(s, out=step)
        step += self.eps * math.sqrt(c2)
        np.divide(m, step, out=step)
        return -self.learning_rate * math.sqrt(c2) / c1, step


class AMSGrad(Adam):
    r"""AMSGrad (Reddi, Kale & Kumar 2018, Algorithm 2): Adam with the largest $s$ so far.

    $$s^{\max}_t = \max(s^{\max}_{t-1}, s_t), \qquad w_t = w_{t-1} - \alpha\,\frac{m_t}{\sqrt{s^{\max}_t} + \epsilon},$$

    with $m_t, s_t$ as in ``Adam`` (the paper writes $v_t$ and $\hat v_t$). Adam's per-parameter rate $\alpha/\sqrt{s_t}$ can grow
    when a large gradient is forgotten; Adam's convergence proof (Kingma & Ba, Theorem 4.1)
    assumed it never does, and Reddi et al. give a convex problem on which Adam fails to
    converge. With the maximum the rate never grows.

    As in Algorithm 2 there is no bias correction (bias_correction=False, the default), so
    the first step is $\alpha (1-\beta_1)/\sqrt{1-\beta_2} \approx 3.16\,\alpha$ against the
    gradient's sign. The paper uses constant $\alpha$ and $\beta_1$ in its experiments, as
    here, and no $\epsilon$; $\epsilon$ is added to $\sqrt{s^{\max}}$ so that a parameter whose
    gradient has always been 0 does not divide 0 by 0.
    bias_correction=True gives the PyTorch/Keras variant: the maximum of the raw $s$, then
    $m/(1-\beta_1^t)$ and $s^{\max}/(1-\beta_2^t)$ as in Adam.

    State: ``m``, ``s``, ``s_max`` ($s^{\max}$).
    """

    state_names = ("m", "s", "s_max")
    hyper_parameters = ("learning_rate", "beta1", "beta2", "eps", "bias_correction")

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8, bias_correction=False):
        if not isinstance(bias_correction, bool):
            raise ValueError(f"bias_correction must be True or False; got {bias_correction!r}")
        self.bias_correction = bias_correction
        super().__init__(learning_rate, beta1, beta2, eps)

    def _change(self, g):
        m, s = self._moments(g)
        s_max = self._flat["s_max"]
        np.maximum(s_max, s, out=s_max)
        c1, c2 = ((1.0 - self.beta1 ** self.t, 1.0 - self.beta2 ** self.t)
                  if self.bias_correction else (1.0, 1.0))
        step = self._scratch
        np.sqrt(s_max, out=step)
        step += self.eps * math.sqrt(c2)
        np.divide(m, step, out=step)
        return -self.learning_rate * math.sqrt(c2) / c1, step


#: Every optimizer by the name the book uses.
OPTIMIZERS = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": AdaGrad,
    "rmsprop": RMSprop,
    "adam": Adam,
    "amsgrad": AMSGrad,
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
class Trajectory:
    """The points an optimizer visited on a function.

    points: (n_steps + 1, D), the start then the point after every step (all finite).
    status: "finished" (all steps done) or "diverged" (the next point would pass
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

    @property
    def diverged(self):
        return self.status == "diverged"


def trajectory(optimizer, gradient, start, *, steps=100, schedule=None, bound=DIVERGENCE_BOUND):
    r"""Run ``optimizer`` from ``start`` on ``gradient``; return the ``Trajectory``.

    gradient: a function theta (D,) -> $\nabla\mathcal{L}(\theta)$ (D,) (e.g. a ``Surface``'s ``gradient``).
    start: (D,); steps: at most this many updates; schedule: None, or a function t -> the
    learning rate for step t (t = 0, 1, ...), set on the optimizer before each step.
    The optimizer is reset first.
    A run stops as "diverged", without warnings, before keeping a point with a coordinate
    beyond ``bound`` (or a non-finite gradient): the points are always finite.
    """
    theta = as_float_array(start, "start", ndim=1).copy()
    steps = as_count(steps, "steps")
    bound = _positive(bound, "bound", 1e6)
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
            if not np.all(np.abs(theta) < bound):
                status, reason = "diverged", f"a coordinate passed {bound:g}"
                break
            points.append(theta.copy())
    return Trajectory(np.array(points), status, reason)


def nesterov_sutskever(gradient, start, *, learning_rate=0.01, beta=0.9, steps=100,
                       bound=DIVERGENCE_BOUND):
    r"""Nesterov's method in the form of Sutskever et al. (2013): the gradient at the look-ahead point.

    $$v_{t+1} = \beta v_t - \alpha \nabla \mathcal{L}(w_t + \beta v_t), \qquad w_{t+1} = w_t + v_{t+1},
      \qquad v_0 = 0.$$

    gradient: theta (D,) -> (D,); start: $w_0$ (D,). Returns a ``Trajectory`` whose points are
    the $w_t$ and whose ``lookahead`` holds $w_t + \beta v_t$ for every kept point: the
    points ``trajectory(Nesterov(...), ...)`` visits. It stops like ``trajectory``.
    """
    w = as_float_array(start, "start", ndim=1).copy()
    alpha = _positive(learning_rate, "learning_rate", 0.01)
    beta = _fraction(beta, "beta", 0.9)
    steps = as_count(steps, "steps")
    bound = _positive(bound, "bound", 1e6)
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
            if not (np.all(np.abs(w_next) < bound) and np.all(np.abs(ahead) < bound)):
                status, reason = "diverged", f"a coordinate passed {bound:g}"
                break
            w, v = w_next, v_next
            points.append(w.copy())
            lookahead.append(ahead)
    return Trajectory(np.array(points), status, reason, np.array(lookahead))


# --- learning-rate schedules: plain functions of the step t = 0, 1, 2, ... --------------------

def _step_number(t):
    if isinstance(t, bool) or not isinstance(t, Integral) or t < 0:
        raise ValueError(f"t must be a step number 0, 1, 2, ...; got {t!r}")
    return int(t)


def _decay_factor(value, name, example):
    """A factor in (0, 1]."""
    number = as_number(value, name)
    if not 0.0 < number <= 1.0:
        raise ValueError(f"{name} must be in (0, 1] (e.g. {example}); got {value!r}")
    return number


def _final(final, initial):
    number = as_number(final, "final")
    if not 0.0 <= number <= initial:
        raise ValueError(f"final must be between 0 and initial ({initial:g}); got {final!r}")
    return number


def constant(t, *, initial):
    r"""The same rate at every step: $\alpha_t = \alpha_0$."""
    _step_number(t)
    return _positive(initial, "initial", 0.1)


def step_decay(t, *, initial, drop, every):
    r"""Multiply the rate by ``drop`` every ``every`` steps: $\alpha_t = \alpha_0\,\gamma^{\lfloor t/k \rfloor}$.

    drop: $\gamma \in (0, 1]$ (e.g. 0.5); every: $k$, a positive integer.
    """
    t = _step_number(t)
    initial = _positive(initial, "initial", 0.1)
    drop = _decay_factor(drop, "drop", 0.5)
    every = as_count(every, "every")
    return initial * drop ** (t // every)


def exponential(t, *, initial, decay):
    r"""Shrink the rate by the same factor every step: $\alpha_t = \alpha_0\,\gamma^t$.

    decay: $\gamma \in (0, 1]$ (e.g. 0.99).
    """
    t = _step_number(t)
    initial = _positive(initial, "initial", 0.1)
    decay = _decay_factor(decay, "decay", 0.99)
    return initial * decay ** t


def cosine(t, *, initial, total, final=0.0):
    r"""Half a cosine from ``initial`` down to ``final`` over ``total`` steps (Loshchilov & Hutter 2017):

    $$\alpha_t = \alpha_{\min} + \tfrac12(\alpha_0 - \alpha_{\min})\bigl(1 + \cos(\pi t / T)\bigr)$$

    for $t \le T$, and $\alpha_{\min}$ after. total: $T$, a positive integer;
    final: $\alpha_{\min} \in [0, \alpha_0]$. With t in range(T) the rate stays above final.
    """
    t = _step_number(t)
    initial = _positive(initial, "initial", 0.1)
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
    t = _step_number(t)
    initial = _positive(initial, "initial", 0.1)
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
