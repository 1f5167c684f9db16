"""Tests of the Python shim against facts about the shared real datasets."""
import os
import tempfile
import unittest

import grl

DATA = os.environ.get("GRL_DATA_DIR",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))


def data(rel):
    return os.path.join(DATA, rel)


class GraphTest(unittest.TestCase):
    def test_karate(self):
        g = grl.Graph.load(data("karate/edges.txt"))
        self.assertEqual(g.num_nodes, 34)
        self.assertEqual(g.num_edges, 78)
        self.assertFalse(g.directed)
        deg = g.out_degree()
        self.assertEqual(len(deg), 34)
        self.assertEqual(sum(deg), 156)
        self.assertEqual(max(deg), 17)  # node 33, the club's administrator
        self.assertEqual(deg[g.index_of(33)], 17)

    def test_email_directed_and_ids(self):
        g = grl.Graph.load(data("email-eu-core/email-Eu-core.txt"), directed=True)
        self.assertEqual((g.num_nodes, g.num_arcs), (1005, 25571))
        self.assertEqual(sum(g.out_degree()), 25571)
        self.assertEqual(sum(g.in_degree()), 25571)
        ca = grl.Graph.load(data("ca-grqc/CA-GrQc.txt"))
        self.assertEqual((ca.num_nodes, ca.num_edges), (5242, 14496))
        self.assertEqual(ca.id_of(ca.index_of(3466)), "3466")

    def test_partition_is_deterministic(self):
        g = grl.Graph.load(data("email-eu-core/email-Eu-core.txt"), directed=True)
        a, info = g.partition(4, seed=3, info=True)
        b = g.partition(4, seed=3)
        self.assertEqual(list(a), list(b))
        self.assertEqual(len(a), 1005)
        self.assertEqual(set(a), {0, 1, 2, 3})
        self.assertLessEqual(info["balance"], 1.1)
        self.assertGreater(info["edge_cut"], 0)

    def test_errors_carry_the_message(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("1 2\n3 x7\n")
        try:
            with self.assertRaises(grl.GrlError) as err:
                grl.Graph.load(f.name)
            self.assertIn(f"{f.name}:2: expected an integer target node id, got 'x7'",
                          str(err.exception))
            self.assertEqual(err.exception.code, -1003)
        finally:
            os.remove(f.name)
        with self.assertRaises(grl.GrlError) as err:
            grl.Graph.load("/no/such/graph.txt")
        self.assertIn("No such file", str(err.exception))
        g = grl.Graph.load(data("karate/edges.txt"))
        with self.assertRaises(grl.GrlError):
            g.partition(0)
        with self.assertRaises(grl.GrlError):
            g.index_of(99)

    def test_save_round_trip(self):
        g = grl.Graph.load(data("karate/edges.txt"))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "k.grl")
            g.save(path)
            h = grl.Graph.load(path)
            self.assertEqual((h.num_nodes, h.num_edges), (34, 78))
            self.assertEqual(list(h.out_degree()), list(g.out_degree()))


class FastrpTest(unittest.TestCase):
    def test_shape_determinism_and_standardisation(self):
        g = grl.Graph.load(data("karate/edges.txt"))
        a = grl.fastrp(g, dim=16, weights=[0, 1, 1], beta=-0.5, seed=3)
        b = grl.fastrp(g, dim=16, weights=[0, 1, 1], beta=-0.5, seed=3)
        c = grl.fastrp(g, dim=16, weights=[0, 1, 1], beta=-0.5, seed=4)
        self.assertEqual(len(a), 34)
        self.assertEqual(len(a[0]), 16)
        rows = lambda e: [list(r) for r in e]
        self.assertEqual(rows(a), rows(b))
        self.assertNotEqual(rows(a), rows(c))
        for col in range(16):  # standardised columns: mean 0, variance 1
            values = [r[col] for r in rows(a)]
            mean = sum(values) / 34
            var = sum((v - mean) ** 2 for v in values) / 34
            self.assertAlmostEqual(mean, 0.0, places=5)
            self.assertTrue(abs(var - 1.0) < 1e-4 or var == 0.0)

    def test_errors(self):
        g = grl.Graph.load(data("karate/edges.txt"))
        with self.assertRaises(grl.GrlError) as err:
            grl.fastrp(g, dim=0)
        self.assertIn("dim must be an integer >= 1", str(err.exception))


if __name__ == "__main__":
    unittest.main()
