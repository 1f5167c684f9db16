"""Tests of grl.dag (learn, simulate, metrics): recovery of a simulated DAG
and its weights, list and numpy input giving the same bits on Sachs, NOTEARS
through the shim, and hostile arguments."""
import os
import unittest

import grl
from grl import dag

try:
    import numpy as np
except ImportError:
    np = None

DATA = os.environ.get("GRL_DATA_DIR",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))


def read_csv(path):
    with open(path) as f:
        names = f.readline().strip().split(",")
        rows = [[float(v) for v in line.split(",")] for line in f if line.strip()]
    return names, rows


class DagTest(unittest.TestCase):
    def test_simulate_learn_recovers_er2(self):
        W, X = dag.simulate(20, 40, n=1000, seed=3)
        est, info = dag.learn(X, seed=3, return_info=True)
        m = dag.metrics(est, W)
        self.assertEqual(m["shd"], 0)
        self.assertEqual(m["tpr"], 1.0)
        self.assertEqual(m["nnz"], 40)
        self.assertTrue(m["est_is_dag"])
        self.assertEqual(sorted(info["order"]), list(range(20)))
        # every estimated edge goes forward in the returned order
        pos = {v: k for k, v in enumerate(info["order"])}
        for i in range(20):
            for j in range(20):
                if est[i][j] != 0:
                    self.assertLess(pos[i], pos[j])
        # the refitted weights are near the true ones (|w| >= 0.5; n = 1000)
        for i in range(20):
            for j in range(20):
                self.assertLess(abs(est[i][j] - W[i][j]), 0.2)
        self.assertTrue(info["converged"])

    def test_list_and_numpy_input_agree_on_sachs(self):
        names, rows = read_csv(os.path.join(DATA, "sachs", "1_cd3cd28_n854.csv"))
        self.assertEqual(len(rows), 853)
        a = dag.learn(rows, restarts=3)
        b = dag.learn(np.array(rows) if np is not None else rows, restarts=3)
        self.assertEqual([list(r) for r in a], [list(r) for r in b])
        _, truth = read_csv(os.path.join(DATA, "sachs", "sachs.csv"))
        m = dag.metrics(a, truth)
        self.assertEqual(sum(map(sum, truth)), 17)
        self.assertGreater(m["true_positive"] + m["reversed"], 0)

    @unittest.skipIf(np is None, "numpy not installed")
    def test_numpy_shapes_and_notears(self):
        W, X = dag.simulate(8, 8, n=300, seed=2)
        self.assertEqual(W.shape, (8, 8))
        self.assertEqual(X.shape, (300, 8))
        est = dag.learn(X, method="notears", lambda1=0.05)
        self.assertEqual(est.shape, (8, 8))
        self.assertLessEqual(dag.metrics(est, W)["shd"], 2)

    def test_hostile_arguments(self):
        with self.assertRaises(grl.GrlValueError):
            dag.learn([[1.0, 2.0], [3.0]])
        with self.assertRaises(grl.GrlValueError):
            dag.learn([[1.0, 2.0], [3.0, 4.0]], method="bogus")
        with self.assertRaises(grl.GrlValueError):
            dag.learn([[1.0, float("nan")], [3.0, 4.0]])
        with self.assertRaises(grl.GrlTypeError):
            dag.learn([[1.0, 2.0], [3.0, 4.0]], restarts=1.5)
        with self.assertRaises(grl.GrlValueError):
            dag.learn([[1.0, 2.0], [3.0, 4.0]], restarts=0)
        with self.assertRaises(grl.GrlError) as cm:
            dag.learn([[1.0, 2.0], [1.0, 4.0], [1.0, 5.0]])
        self.assertIn("constant", str(cm.exception))
        with self.assertRaises(grl.GrlError) as cm:
            dag.learn([[1.0, 2.0], [3.0, 4.0]], loss="logistic")
        self.assertIn("0/1 data", str(cm.exception))
        with self.assertRaises(grl.GrlValueError):
            dag.metrics([[0, 1], [0, 0]], [[0, 1, 0], [0, 0, 0], [0, 0, 0]])
        with self.assertRaises(grl.GrlError):
            dag.metrics([[0, 1], [0, 0]], [[0, 1], [1, 0]])  # cyclic truth
        with self.assertRaises(grl.GrlError) as cm:
            dag.simulate(4, 7)
        self.assertIn("0..6 edges", str(cm.exception))
        if np is not None:
            with self.assertRaises(grl.GrlError) as cm:
                dag.learn(np.array([[1.0, np.nan], [3.0, 4.0], [5.0, 1.0]]))
            self.assertIn("row 0, column 1", str(cm.exception))
            with self.assertRaises(grl.GrlValueError):
                dag.learn(np.zeros(3))


if __name__ == "__main__":
    unittest.main()
