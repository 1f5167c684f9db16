"""Tests of grl.graph_set: MUTAG's TU figures through the shim, the
generators' shapes and determinism, and errors."""
import os
import unittest

import grl
import grl.graph_set as gs
from grl._results import np

DATA = os.environ.get("GRL_DATA_DIR",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))


class GraphSetTest(unittest.TestCase):
    def test_mutag(self):
        s = gs.load(os.path.join(DATA, "tu", "MUTAG"), "MUTAG")
        self.assertEqual((s["ngraphs"], s["nodes"], s["arcs"]), (188, 3371, 7442))
        self.assertEqual(s["nclasses"], 2)
        self.assertEqual(sum(1 for c in s["graph_class"] if c == 1), 125)
        self.assertEqual(len(s["node_x"]), 3371)
        self.assertEqual(len(s["node_x"][0]), 7)
        self.assertEqual(s["in_ptr"][-1], 7442)
        self.assertEqual(s["graph_ptr"][-1], 3371)

    def test_generators(self):
        a = gs.gvi_generate(5, seed=3)
        b = gs.gvi_generate(5, seed=3)
        self.assertEqual(a["ngraphs"], 5)
        self.assertTrue(all(20 <= a["graph_ptr"][g + 1] - a["graph_ptr"][g] < 50
                            for g in range(5)))
        if np is not None:
            self.assertTrue(np.array_equal(a["node_y"], b["node_y"]))
            self.assertEqual(a["arc_x"].shape, (a["arcs"], 1))
        p = gs.pore_generate(2, seed=1, min_pores=30, max_pores=40)
        self.assertEqual(len(p["node_x"][0]), 6)
        self.assertTrue(all(-1e-6 <= row[0] <= 1 + 1e-6 for row in p["node_y"]))

    def test_errors(self):
        with self.assertRaises(grl.GrlError) as e:
            gs.load(os.path.join(DATA, "tu", "MUTAG"), "NOPE")
        self.assertIn("NOPE_graph_indicator.txt", str(e.exception))
        with self.assertRaises(grl.GrlValueError):
            gs.gvi_generate(0)
        with self.assertRaises(grl.GrlError):
            gs.gvi_generate(2, min_states=5, max_states=6)
        with self.assertRaises(grl.GrlTypeError):
            gs.load(3, "MUTAG")


if __name__ == "__main__":
    unittest.main()
