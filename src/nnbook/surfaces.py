r"""Loss surfaces to practise gradient descent on: small functions with known gradients.

A ``Surface`` bundles a loss $\mathcal{L}(\theta)$, its analytic gradient $\nabla \mathcal{L}(\theta)$, where
its minimum is, and a box to draw it in. Every loss and gradient works on one point of
shape (D,) or on a grid of points of shape (..., D) (for contour plots):

    bowl = surfaces.bowl()
    bowl.loss([1.0, 3.0])          # 10.0
    bowl.gradient([1.0, 3.0])      # array([2., 6.])
    bowl.minimum                   # array([0., 0.])

The factories: ``bowl`` (any dimension; in 1-D the parabola $\theta^2$), ``elongated_bowl``
(an ill-conditioned quadratic), ``quadratic`` (any $\frac12(\theta-c)^\top H(\theta-c)$),
``least_squares`` (the mean squared error of a linear model on data), ``rosenbrock``,
``saddle`` and ``double_well`` (a local minimum beside the global one). ``SURFACES`` holds
the ones with no data, by name.
"""

from dataclasses import dataclass, field, replace

import numpy as np

from nnbook._validate import as_array, as_number


@dataclass(frozen=True)
class Surface:
    r"""A loss $\mathcal{L}(\theta)$ over $\theta \in \mathbb{R}^D$ with its gradient and its minimum.

    loss: theta (..., D) -> loss (...);  gradient: theta (..., D) -> dloss/dtheta (..., D).
    minimum: the global minimiser, shape (D,); min_loss: $\mathcal{L}$ there.
    limits: ((lo, hi), ...) per coordinate, the box the book draws it in.
    curvature: the largest eigenvalue of the Hessian at the minimum (how sharply the
        bottom bends; gradient descent is stable there for learning rates below 2 / curvature).
    stationary: other points where the gradient is 0, {label: point}, e.g. a saddle.
    formula: the loss as plain text (Unicode, no LaTeX: figure titles draw it fast).
    """

    name: str
    formula: str
    loss: object = field(repr=False)
    gradient: object = field(repr=False)
    minimum: np.ndarray = field(repr=False)
    min_loss: float
    limits: tuple
    curvature: float
    stationary: dict = field(default_factory=dict, repr=False)

    @property
    def dim(self):
        """The number of parameters D."""
        return self.minimum.size

    def check_point(self, theta, name="theta"):
        """Return ``theta`` as a float array of shape (D,), or raise a ValueError naming D."""
        point = np.atleast_1d(as_array(theta, name, ndim=(0, 1)))
        if point.shape != (self.dim,):
            raise ValueError(f"{name} for the {self.name} ({self.dim}-D) must have shape "
                             f"({self.dim},); got shape {point.shape}")
        return point


def _points(theta, dim):
    theta = np.asarray(theta, dtype=np.float64)
    if theta.shape[-1:] != (dim,):
        raise ValueError(f"theta must have shape ({dim},) or (..., {dim}); got shape {theta.shape}")
    return theta


def quadratic(hessian, center=None, *, name="quadratic", limits=None):
    r"""The quadratic $\mathcal{L}(\theta) = \frac12 (\theta - c)^\top H (\theta - c)$, minimum at $c$.

    hessian: (D, D) symmetric positive definite $H$; center: (D,) $c$ (zeros by default).
    Its gradient is $H(\theta - c)$; gradient descent on it is stable exactly when the
    learning rate is below $2 / \lambda_{\max}(H)$.
    """
    H = as_array(hessian, "hessian", ndim=2)
    if H.shape[0] != H.shape[1] or not np.allclose(H, H.T):
        raise ValueError(f"hessian must be a symmetric square matrix; got shape {H.shape}")
    eigenvalues = np.linalg.eigvalsh(H)
    if eigenvalues.min() <= 0:
        raise ValueError(f"hessian must be positive definite (all eigenvalues > 0); got {eigenvalues}")
    dim = H.shape[0]
    c = np.zeros(dim) if center is None else as_array(center, "center", ndim=1)
    if c.shape != (dim,):
        raise ValueError(f"center must have shape ({dim},) to match the hessian; got {c.shape}")

    def loss(theta):
        d = _points(theta, dim) - c
        return 0.5 * np.einsum("...i,ij,...j->...", d, H, d)

    def gradient(theta):
        return (_points(theta, dim) - c) @ H  # H is symmetric

    limits = limits or tuple((ci - 3.2, ci + 3.2) for ci in c)
    return Surface(name, "ℒ = ½ (θ − c)ᵀ H (θ − c)", loss, gradient, c.copy(),
                   0.0, limits, float(eigenvalues.max()))


def bowl(dim=2):
    r"""The round bowl $\mathcal{L}(\theta) = \sum_i \theta_i^2$ (in 1-D the parabola $\theta^2$).

    Gradient $2\theta$; minimum 0 at the origin; curvature 2.
    """
    if dim not in (1, 2):
        raise ValueError(f"dim must be 1 or 2; got {dim!r}")
    surface = quadratic(2.0 * np.eye(dim))
    formula = "ℒ = θ²" if dim == 1 else "ℒ = θ₁² + θ₂²"
    return _renamed(surface, "parabola" if dim == 1 else "bowl", formula)


def elongated_bowl(ratio=10.0):
    r"""The ill-conditioned quadratic $\mathcal{L}(\theta) = \theta_1^2 + r\,\theta_2^2$: a long valley.

    ratio: $r \ge 1$, the ratio of the curvatures (the condition number). Minimum 0 at the
    origin; curvature $2r$.
    """
    r = as_number(ratio, "ratio")
    if r < 1:
        raise ValueError(f"ratio must be at least 1; got {ratio!r}")
    return _renamed(quadratic(np.diag([2.0, 2.0 * r])), "elongated bowl",
                    f"ℒ = θ₁² + {r:g} θ₂²")


def _renamed(surface, name, formula):
    return replace(surface, name=name, formula=formula)


def rosenbrock(a=1.0, b=100.0):
    r"""Rosenbrock's banana $\mathcal{L}(\theta) = (a - \theta_1)^2 + b(\theta_2 - \theta_1^2)^2$.

    A curved, flat-bottomed valley; minimum 0 at $(a, a^2)$.
    """
    a, b = as_number(a, "a"), as_number(b, "b")
    if b <= 0:
        raise ValueError(f"b must be positive; got {b!r}")

    def loss(theta):
        t = _points(theta, 2)
        return (a - t[..., 0]) ** 2 + b * (t[..., 1] - t[..., 0] ** 2) ** 2

    def gradient(theta):
        t = _points(theta, 2)
        x, y = t[..., 0], t[..., 1]
        return np.stack([-2 * (a - x) - 4 * b * x * (y - x ** 2), 2 * b * (y - x ** 2)], axis=-1)

    # Hessian at (a, a^2): [[2 + 8 b a^2, -4 b a], [-4 b a, 2 b]].
    curvature = np.linalg.eigvalsh(np.array([[2 + 8 * b * a * a, -4 * b * a], [-4 * b * a, 2 * b]])).max()
    return Surface("Rosenbrock", f"ℒ = ({a:g} − θ₁)² + {b:g} (θ₂ − θ₁²)²",
                   loss, gradient, np.array([a, a * a]), 0.0, ((-2.2, 2.2), (-1.2, 3.2)),
                   float(curvature))


def saddle():
    r"""A saddle $\mathcal{L}(\theta) = \theta_1^2 - \theta_2^2 + \frac12\theta_2^4$.

    At the origin the gradient is 0 but it is no minimum: uphill along $\theta_1$, downhill
    along $\theta_2$. The two minima, $\mathcal{L} = -\frac12$, are at $(0, \pm 1)$.
    """

    def loss(theta):
        t = _points(theta, 2)
        return t[..., 0] ** 2 - t[..., 1] ** 2 + 0.5 * t[..., 1] ** 4

    def gradient(theta):
        t = _points(theta, 2)
        return np.stack([2 * t[..., 0], -2 * t[..., 1] + 2 * t[..., 1] ** 3], axis=-1)

    # Hessian at (0, ±1): diag(2, -2 + 6) = diag(2, 4).
    return Surface("saddle", "ℒ = θ₁² − θ₂² + θ₂⁴ / 2", loss, gradient,
                   np.array([0.0, 1.0]), -0.5, ((-2.2, 2.2), (-2.2, 2.2)), 4.0,
                   {"saddle point": np.array([0.0, 0.0]), "minimum": np.array([0.0, -1.0])})


#: The tilt of the double well: it makes the left minimum the lower (global) one.
TILT = 0.3


def double_well(dim=2):
    r"""Two valleys, one lower: $\mathcal{L}(\theta) = (\theta_1^2 - 1)^2 + 0.3\,\theta_1\;(+\,\theta_2^2)$.

    The global minimum is near $\theta_1 = -1.04$, a local one near $\theta_1 = +0.96$, with a
    hump between (the three roots of $4\theta_1^3 - 4\theta_1 + 0.3 = 0$). dim: 1 or 2.
    """
    if dim not in (1, 2):
        raise ValueError(f"dim must be 1 or 2; got {dim!r}")

    def loss(theta):
        t = _points(theta, dim)
        value = (t[..., 0] ** 2 - 1) ** 2 + TILT * t[..., 0]
        return value + t[..., 1] ** 2 if dim == 2 else value

    def gradient(theta):
        t = _points(theta, dim)
        d1 = 4 * t[..., 0] * (t[..., 0] ** 2 - 1) + TILT
        return np.stack([d1, 2 * t[..., 1]], axis=-1) if dim == 2 else d1[..., None]

    # The stationary points of the first coordinate: roots of 4x^3 - 4x + tilt.
    left, hump, right = np.sort(np.roots([4.0, 0.0, -4.0, TILT]).real)
    pad = [0.0] if dim == 2 else []
    point = lambda x: np.array([x, *pad])
    curvature = max(12 * left ** 2 - 4, 2.0 if dim == 2 else 0.0)
    limits = ((-2.0, 2.0), (-2.0, 2.0)) if dim == 2 else ((-2.0, 2.0),)
    formula = "ℒ = (θ₁² − 1)² + 0.3 θ₁ + θ₂²" if dim == 2 else "ℒ = (θ² − 1)² + 0.3 θ"
    minimum = point(left)
    return Surface("double well" if dim == 2 else "double well (1-D)", formula, loss, gradient, minimum,
                   float(loss(minimum)), limits, float(curvature),
                   {"local minimum": point(right), "hump" if dim == 1 else "saddle point": point(hump)})


#: Every surface that needs no data, by the name the book's demos use.
SURFACES = {
    "bowl": bowl,
    "parabola (1-D)": lambda: bowl(1),
    "elongated bowl": elongated_bowl,
    "double well (1-D)": lambda: double_well(1),
    "double well": double_well,
    "saddle": saddle,
    "Rosenbrock": rosenbrock,
}


def least_squares(X, y):
    r"""The mean squared error of a linear model, $\mathcal{L}(\theta) = \frac1N \lVert X\theta - y\rVert^2$.

    X: (N, D) inputs (a column of ones gives the model a bias); y: (N,) targets.
    Gradient $\frac2N X^\top (X\theta - y)$; the minimum is the least-squares solution.
    """
    X = as_array(X, "X", ndim=2)
    y = as_array(y, "y", ndim=1)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X and y need one row per example; got {X.shape[0]} rows and {y.shape[0]} targets")
    n, dim = X.shape
    H = 2.0 / n * X.T @ X
    best = np.linalg.lstsq(X, y, rcond=None)[0]

    def loss(theta):
        residual = _points(theta, dim) @ X.T - y
        return np.mean(residual ** 2, axis=-1)

    def gradient(theta):
        residual = _points(theta, dim) @ X.T - y
        return 2.0 / n * residual @ X

    limits = tuple((b - 3.0, b + 3.0) for b in best)
    return Surface("mean squared error", "ℒ = ‖Xθ − y‖² / N", loss, gradient,
                   best, float(loss(best)), limits, float(np.linalg.eigvalsh(H).max()))


def hessian(surface):
    """For a quadratic surface (``quadratic``, ``bowl``, ``least_squares`` ...): its Hessian (D, D).

    Found from the gradient, which is linear for a quadratic: column i is grad(e_i) - grad(0).
    """
    dim = surface.dim
    zero = surface.gradient(np.zeros(dim))
    return np.stack([surface.gradient(e) - zero for e in np.eye(dim)], axis=1)
