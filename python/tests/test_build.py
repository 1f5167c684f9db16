"""Graphs made in Python: from edge arrays and by the generators."""
import unittest

import grl
from shimtest import NUMPY, plain


class FromEdgesTest(unittest.TestCase):
    def test_lists(self):
        g = grl.Graph.from_edges([0, 1, 2], [1, 2, 0])
        self.assertEqual((g.num_nodes, g.num_edges, g.num_arcs), (3, 3, 6))
        self.assertFalse(g.directed or g.weighted)
        self.assertEqual(g.ids, ("0", "1", "2"))
        d = grl.Graph.from_edges([0, 0], [1, 2], n=5, directed=True)
        self.assertEqual((d.num_nodes, d.num_arcs), (5, 2))  # nodes 3, 4 isolated
        self.assertEqual(plain(d.out_degree()), [2, 0, 0, 0, 0])
        self.assertEqual(plain(d.in_degree()), [0, 1, 1, 0, 0])

    def test_weights_and_policies(self):
        g = grl.Graph.from_edges([0, 0, 1], [1, 1, 1], weights=[2.0, 3.5, 1.0])
        self.assertTrue(g.weighted)
        self.assertEqual(plain(g.out_degree(weighted=True)), [3.5, 4.5])  # merge: largest
        s = grl.Graph.from_edges([0, 0, 1], [1, 1, 1], weights=[2.0, 3.5, 1.0],
                                 duplicates="sum", self_loops="drop")
        self.assertEqual(plain(s.out_degree(weighted=True)), [5.5, 5.5])
        with self.assertRaises(grl.GrlError):
            grl.Graph.from_edges([0], [1], weights=[-1.0])
        neg = grl.Graph.from_edges([0], [1], weights=[-1.0], allow_nonpositive_weights=True)
        self.assertEqual(plain(neg.out_degree(weighted=True)), [-1.0, -1.0])

    @unittest.skipUnless(NUMPY, "numpy is blocked")
    def test_numpy_arrays(self):
        import numpy as np
        src = np.array([0, 1, 2, 3], dtype=np.int32)
        dst = np.array([1, 2, 3, 0], dtype=np.uint16)
        g = grl.Graph.from_edges(src, dst, weights=np.array([1, 2, 3, 4], dtype=np.float32),
                                 directed=True)
        self.assertEqual((g.num_nodes, g.num_arcs), (4, 4))
        self.assertEqual(g.out_degree(weighted=True).tolist(), [1, 2, 3, 4])
        with self.assertRaises(TypeError):
            grl.Graph.from_edges(src, dst, weights=np.array(["a"] * 4))
        with self.assertRaises(ValueError):
            grl.Graph.from_edges(src, dst, weights=np.array([1, 2, np.nan, 4]))

    def test_refused(self):
        for call, fragment in [
                (lambda: grl.Graph.from_edges([0, 1], [1]), "same length, got 2 and 1"),
                (lambda: grl.Graph.from_edges([0], [1], weights=[1, 2]), "one value per edge"),
                (lambda: grl.Graph.from_edges([0], [5], n=3), "outside"),
                (lambda: grl.Graph.from_edges([-1], [0]), ""),
                (lambda: grl.Graph.from_edges([0], [1], weights=[float("inf")]), "finite")]:
            with self.subTest(fragment):
                with self.assertRaises(grl.GrlError) as err:
                    call()
                self.assertIn(fragment, str(err.exception))
        with self.assertRaises(TypeError):
            grl.Graph.from_edges([0.5], [1])
        self.assertEqual(grl.Graph.from_edges([], []).num_nodes, 0)


class GeneratorTest(unittest.TestCase):
    def test_erdos_renyi(self):
        g = grl.Graph.erdos_renyi(50, 100, seed=3)
        self.assertEqual((g.num_nodes, g.num_edges, g.summary()["self_loops"]), (50, 100, 0))
        self.assertEqual(plain(g.out_degree()),
                         plain(grl.Graph.erdos_renyi(50, 100, seed=3).out_degree()))
        d = grl.Graph.erdos_renyi(20, 30, directed=True, seed=1)
        self.assertTrue(d.directed)
        self.assertEqual(d.num_arcs, 30)

    def test_barabasi_albert(self):
        g = grl.Graph.barabasi_albert(100, 3, seed=2)
        self.assertEqual(g.num_nodes, 100)
        self.assertEqual(g.summary()["components"], 1)  # every new node attaches
        self.assertGreaterEqual(min(plain(g.out_degree())), 1)

    def test_sbm_blocks(self):
        # probability 1 inside blocks, 0 across: two cliques
        g = grl.Graph.sbm([4, 6], [[1, 0], [0, 1]], seed=5)
        self.assertEqual(g.num_edges, 6 + 15)
        self.assertEqual(plain(g.components()), [0] * 4 + [1] * 6)
        with self.assertRaises(ValueError):
            grl.Graph.sbm([4, 6], [[1, 0]])
        with self.assertRaises(ValueError):
            grl.Graph.sbm([4, 6], [[1, 0], [0]])


if __name__ == "__main__":
    unittest.main()
