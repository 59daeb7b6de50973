"""``RelaxedModelTests``: the checks every :class:`~symbreak_cli.nn.protocol.RelaxedModel`
must pass (after nequip's ``nequip/utils/unittests/model_tests_basic.py``).

Subclass it in a test module and provide ``make_model(self)`` (a model at its
initialisation) and ``make_batch(self)`` (a :class:`~symbreak_cli.nn.protocol.Batch`);
both are called with torch's default dtype set to float64, so the model is built, not
just cast, in float64 and the equivariance checks hold to ``FLOAT_TOLERANCE["float64"]``::

    class TestMyModel(RelaxedModelTests):
        test_group = "Oh"
        def make_model(self): return MyModel(...)
        def make_batch(self): return my_batch()
"""

from __future__ import annotations

import abc
import contextlib

import numpy as np

from symbreak_cli.testing.equivariance import FLOAT_TOLERANCE, assert_equivariant

NON_TRIVIAL_OUTPUT = 1e-3  # max |f(x)| at init must exceed this, or equivariance is vacuous
BROKEN_BLOCK = (0.3, -0.5, 0.7)  # a generic l = 1 relaxed weight (θ units): fixes no element of Oh but E


@contextlib.contextmanager
def float64_default():
    """Torch's default dtype float64 inside the block (restored after)."""
    import torch

    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        yield
    finally:
        torch.set_default_dtype(old)


class RelaxedModelTests(abc.ABC):
    """Protocol conformance, exact equivariance at initialisation, penalty, readout, and a
    negative control (non-scalar θ ≠ 0 must break equivariance).

    A test class inherits it and supplies :meth:`make_model` and :meth:`make_batch`
    (abstract: a class that forgets one cannot be instantiated, so pytest reports it).
    """

    test_group = "Oh"  # a finite group name for symbreak_cli.groups.named_group

    @abc.abstractmethod
    def make_model(self):
        """A fresh model satisfying :class:`symbreak_cli.nn.protocol.RelaxedModel`."""

    @abc.abstractmethod
    def make_batch(self):
        """A small batch (:class:`symbreak_cli.nn.protocol.Batch`) the model accepts."""

    def built(self):
        import torch

        with float64_default():
            torch.manual_seed(0)
            return self.make_model(), self.make_batch()

    @staticmethod
    def check(model, batch, group, **kw) -> float:
        return assert_equivariant(lambda b: model(b), group, batch, lambda R, b: b.act(R),
                                  lambda R, y: batch.act_on_output(R, y), dtype="float64", **kw)

    def test_conforms_to_protocol(self):
        from symbreak_cli.nn.protocol import Batch, RelaxedModel

        model, batch = self.built()
        assert isinstance(model, RelaxedModel) and isinstance(batch, Batch)
        weights = model.relaxed_weights()
        assert weights, "a relaxed model has at least one relaxed weight"
        state = model.state_dict()
        for w in weights:
            assert w.name in state and tuple(w.param.shape) == (w.layout.dim,)
        out = model(batch)
        assert out.shape == batch.target.shape
        assert float(out.detach().abs().max()) > NON_TRIVIAL_OUTPUT

    def test_equivariant_at_initialisation(self):
        from symbreak_cli.groups import named_group

        model, batch = self.built()
        self.check(model, batch, named_group(self.test_group))
        self.check(model, batch, "O(3)")

    def test_penalty_zero_at_initialisation_and_its_gradient(self):
        import torch

        model, _ = self.built()
        assert abs(float(model.penalty().detach())) <= FLOAT_TOLERANCE["float64"]
        with torch.no_grad():
            for w in model.relaxed_weights():
                w.param.copy_(torch.randn_like(w.param))
        assert float(model.penalty().detach()) > 0
        (0.3 * model.penalty()).backward()
        expected = [w.param.grad.clone() for w in model.relaxed_weights()]
        model.zero_grad(set_to_none=True)
        model.add_penalty_grad(0.3)
        for w, e in zip(model.relaxed_weights(), expected):
            torch.testing.assert_close(w.param.grad, e, atol=1e-9, rtol=1e-7)

    def test_readout_shapes_and_labels(self):
        model, _ = self.built()
        readout = model.relaxed_readout()
        assert [r.name for r in readout] == [w.name for w in model.relaxed_weights()]
        for r in readout:
            assert r.theta.dtype == np.float64 and r.theta.shape == (r.layout.dim,)
            assert len(set(r.layout.labels)) == len(r.layout.labels)
            for (l, _), block in r.blocks.items():
                assert block.shape == (2 * l + 1,)
            nonscalar = [v for k, v in r.coeffs.items() if k != "0e"]
            assert all(np.all(v == 0) for v in nonscalar), "θ starts at its scalar (equivariant) value"

    def _break(self, model, vector):
        """Set the first l = 1 block of every layer's θ to ``vector``; return its label."""
        import torch

        label = None
        with torch.no_grad():
            for w in model.relaxed_weights():
                label = next(lab for lab, (l, _) in zip(w.layout.labels, w.layout.irreps) if l == 1)
                w.blocks()[label].copy_(torch.as_tensor(vector, dtype=w.param.dtype))
        return label

    def test_negative_control_broken_theta_is_not_equivariant(self):
        import pytest

        from symbreak_cli.groups import named_group

        model, batch = self.built()
        self._break(model, BROKEN_BLOCK)
        with pytest.raises(AssertionError, match="not equivariant"):
            self.check(model, batch, named_group(self.test_group))
        with pytest.raises(AssertionError, match="not equivariant"):
            self.check(model, batch, "O(3)")

    def test_equivariant_under_the_stabiliser_of_its_readout(self):
        """The readout is in e3nn's basis: the stabiliser of the read θ is what the model keeps."""
        from symbreak_cli.groups import stabilizer_of_signal

        model, batch = self.built()
        self._break(model, (0.0, 0.0, 0.6))
        coeffs = {k: v for k, v in model.relaxed_readout()[0].coeffs.items() if k != "0e"}
        H = stabilizer_of_signal(coeffs).group
        assert H is not None and H.order > 1
        self.check(model, batch, H)
