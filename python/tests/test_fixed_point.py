"""Tests of grl.gnn's fixed-point GNNs (APPNP, IGNN, CGS) on Chameleon-filtered,
kept short (one drawn split, few epochs): the result's shape, the solver's
report (APPNP's bound is 1 - alpha, CGS's at most gamma), determinism, and
errors."""
import os
import unittest

import grl
import grl.gnn

DATA = os.environ.get("GRL_DATA_DIR",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
CH = os.path.join(DATA, "chameleon_filtered")


def ch(name):
    return os.path.join(CH, name)


class FixedPointTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.g = grl.Graph.load(ch("edges.txt"))

    def run_model(self, fn, **kw):
        return fn(self.g, ch("features.txt"), ch("labels.txt"), train_per_class=10, val=100,
                  repeats=1, epochs=3, hidden=16, **kw)

    def test_appnp_report_and_determinism(self):
        r = self.run_model(grl.gnn.appnp, alpha=0.2, seed=2)
        self.assertEqual(len(r["test"]), 1)
        self.assertTrue(0 <= r["test_mean"] <= 1)
        rep = r["report"]
        self.assertAlmostEqual(rep["forward"]["bound"], 0.8, places=4)
        self.assertLessEqual(rep["forward"]["residual"], 1e-6)
        self.assertGreater(rep["forward"]["iterations"], 1)
        self.assertEqual(rep["capped"], 0)
        self.assertEqual(r, self.run_model(grl.gnn.appnp, alpha=0.2, seed=2))

    def test_cgs_and_ignn_bounds(self):
        r = self.run_model(grl.gnn.cgs, gamma=0.4, heads=3)
        self.assertLessEqual(r["report"]["forward"]["bound"], 0.4 + 1e-9)
        r = self.run_model(grl.gnn.cgs, gamma=0.4, heads=3, skip=True)
        self.assertLessEqual(r["report"]["forward"]["bound"], 0.4 + 1e-9)
        self.assertEqual(r, self.run_model(grl.gnn.cgs, gamma=0.4, heads=3, skip=True))
        r = self.run_model(grl.gnn.cgs, gamma=0.4, heads=3, mp_layers=2)
        self.assertLessEqual(r["report"]["forward"]["bound"], 0.4 + 1e-9)
        r = self.run_model(grl.gnn.ignn, kappa=0.9)
        self.assertLessEqual(r["report"]["forward"]["bound"], 0.9 + 1e-5)

    def test_cap_is_counted(self):
        r = self.run_model(grl.gnn.ignn, max_iter=2)
        self.assertGreater(r["report"]["capped"], 0)
        self.assertEqual(r["report"]["forward"]["iterations"], 2)

    def test_errors(self):
        with self.assertRaises(grl.GrlError) as e:
            self.run_model(grl.gnn.cgs, gamma=1.0)
        self.assertIn("gamma", str(e.exception))
        with self.assertRaises(grl.GrlError) as e:
            self.run_model(grl.gnn.ignn, kappa=-1)
        self.assertIn("kappa", str(e.exception))
        with self.assertRaises(grl.GrlTypeError):
            self.run_model(grl.gnn.cgs, skip="no")
        with self.assertRaises(grl.GrlValueError):
            self.run_model(grl.gnn.cgs, mp_layers=4)


if __name__ == "__main__":
    unittest.main()
