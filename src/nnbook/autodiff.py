r"""A tiny scalar reverse-mode automatic differentiation engine (after micrograd).

A ``Value`` holds a number, its gradient and how it was made: the values it came from and a
function that passes its gradient back to them (the chain rule for that one operation,
written next to the operation). ``backward()`` visits the graph from the output back to
the inputs in reverse topological order, so every node's gradient is complete (summed
over every path) before it is passed on.

    a, b = Value(2.0), Value(-3.0)
    c = a * b + a            # c = a b + a
    c.backward()
    a.grad, b.grad           # (b + 1, a) = (-2.0, 2.0)

Frameworks such as PyTorch do the same on arrays instead of single numbers.
"""

import math
import numbers


class Value:
    """A scalar that remembers how it was computed, for backpropagation."""

    def __init__(self, data, parents=(), op="", label=""):
        self.data = float(data)
        self.grad = 0.0
        self._parents = tuple(parents)
        self._backward = lambda: None   # passes self.grad on to the parents
        self.op = op
        self.label = label

    # --- the operations, each with its local derivative ---------------------------------
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():                # d(a + b)/da = 1, d(a + b)/db = 1
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():                # d(a b)/da = b, d(a b)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, exponent):
        # Any real constant: Python's int and float, and numpy's scalars (np.int64, np.float32).
        if isinstance(exponent, bool) or not isinstance(exponent, numbers.Real):
            raise ValueError("Value ** k supports a constant number k (an int or a float) only; "
                             f"got {type(exponent).__name__}")
        exponent = int(exponent) if isinstance(exponent, numbers.Integral) else float(exponent)
        if not math.isfinite(exponent):
            raise ValueError(f"Value ** k needs a finite k; got {exponent}")
        if self.data < 0 and not float(exponent).is_integer():
            raise ValueError(f"Value ** {exponent:g} of a negative number ({self.data:g}) is not a "
                             "real number; only whole powers of negative numbers are")
        if self.data == 0 and exponent < 0:
            raise ValueError(f"Value ** {exponent:g} of 0 is undefined (division by zero)")
        out = Value(self.data ** exponent, (self,), f"**{exponent:g}")

        def _backward():                # d(a^k)/da = k a^(k-1); a^0 = 1 does not depend on a
            if exponent == 0:
                return
            if self.data == 0 and exponent < 1:
                raise ValueError(f"the derivative of a ** {exponent:g} at a = 0 is infinite")
            self.grad += exponent * self.data ** (exponent - 1) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        try:
            data = math.exp(self.data)
        except OverflowError:
            raise ValueError(f"exp({self.data:g}) overflows a float (the largest is about "
                             "e^709.78)") from None
        out = Value(data, (self,), "exp")

        def _backward():                # d(e^a)/da = e^a
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():                # d tanh(a)/da = 1 - tanh(a)^2
            self.grad += (1 - out.data ** 2) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():                # 1 where a > 0, else 0
            self.grad += (self.data > 0) * out.grad
        out._backward = _backward
        return out

    def max(self, other):
        """max(a, b): the gradient goes to the larger input only (to ``self`` on a tie)."""
        other = other if isinstance(other, Value) else Value(other)
        out = Value(max(self.data, other.data), (self, other), "max")

        def _backward():                # routes: 1 for the larger input, 0 for the other
            if self.data >= other.data:
                self.grad += out.grad
            else:
                other.grad += out.grad
        out._backward = _backward
        return out

    def sigmoid(self):
        """1 / (1 + e^-a), built from the operations above (so its graph shows them).

        Like the array version, ``exp`` only ever sees -|a|: for a < 0 the equal form
        e^a / (1 + e^a) is built instead, so a = -800 gives 0 rather than an overflow.
        """
        if self.data >= 0:
            return (1 + (-self).exp()) ** -1
        e = self.exp()
        return e * (1 + e) ** -1

    # --- the rest follows from those ------------------------------------------------------
    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other ** -1

    def __rtruediv__(self, other):
        return other * self ** -1

    # --- backpropagation -------------------------------------------------------------------
    def topological_order(self):
        """Every value this one depends on, each after all of its parents, ending with self.

        A depth-first search with its own stack (not recursion, which Python limits to about
        1,000 levels: a sum of 10,000 terms is a chain 10,000 deep). Each stack entry is a
        node and the iterator over the parents it has yet to visit.
        """
        order, seen = [], {id(self)}
        stack = [(self, iter(self._parents))]
        while stack:
            node, parents = stack[-1]
            for parent in parents:
                if id(parent) not in seen:
                    seen.add(id(parent))
                    stack.append((parent, iter(parent._parents)))
                    break
            else:                       # every parent done: the node comes after them
                stack.pop()
                order.append(node)
        return order

    def backward(self):
        """Fill ``grad`` of every value in the graph with d(self)/d(value)."""
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()

    def __repr__(self):
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"


def graph(output):
    """The computational graph behind ``output``: (nodes, edges) with nodes in topological
    order and edges as (parent index, child index)."""
    nodes = output.topological_order()
    index = {id(node): k for k, node in enumerate(nodes)}
    edges = [(index[id(parent)], index[id(node)]) for node in nodes for parent in node._parents]
    return nodes, edges
