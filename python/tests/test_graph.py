"""Tests of the Python shim against facts about the shared real datasets."""
import os
import tempfile
import unittest

import grl
from shimtest import EMAIL, KARATE, data, edges, plain


def components_oracle(path):
    """Weakly connected components of an edge-list file by union-find."""
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for u, v in edges(path, directed=True):
        parent[find(u)] = find(v)
    return {find(x) for x in list(parent)}


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
        self.assertEqual(ca.ids[ca.index_of("3466")], "3466")
        self.assertEqual(ca.id_kind, "integer")

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

    def test_csv_header(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "g.csv")
            with open(path, "w") as f:
                f.write("7,8\n1,2\n2,3\n")
            self.assertEqual(grl.Graph.load(path, header=True).num_nodes, 3)
            self.assertEqual(grl.Graph.load(path, header=False).num_nodes, 5)
            with open(path, "w") as f:
                f.write("src,dst\n1,2\n")
            self.assertEqual(grl.Graph.load(path).num_nodes, 2)  # guessed
            with self.assertRaises(grl.GrlError) as err:
                grl.Graph.load(path, header=False)
            self.assertIn(f"{path}:1", str(err.exception))

    def test_save_round_trip(self):
        g = grl.Graph.load(data("karate/edges.txt"))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "k.grl")
            g.save(path)
            h = grl.Graph.load(path)
            self.assertEqual((h.num_nodes, h.num_edges), (34, 78))
            self.assertEqual(list(h.out_degree()), list(g.out_degree()))


class SummaryTest(unittest.TestCase):
    def test_email_summary_and_components(self):
        g = grl.Graph.load(EMAIL, directed=True)
        info = g.summary()
        self.assertEqual((info["nodes"], info["arcs"], info["self_loops"]), (1005, 25571, 642))
        self.assertTrue(info["directed"])
        self.assertEqual(info["out_max"], max(plain(g.out_degree())))
        comp = plain(g.components())
        self.assertEqual(len(comp), 1005)
        self.assertEqual(max(comp) + 1, info["components"])
        self.assertEqual(info["components"], len(components_oracle(EMAIL)))  # 20
        first = {}
        for i, c in enumerate(comp):  # numbered by smallest node
            first.setdefault(c, i)
        self.assertEqual(sorted(first, key=first.get), list(range(info["components"])))
        for u, v in edges(EMAIL, directed=True):
            self.assertEqual(comp[g.index_of(u)], comp[g.index_of(v)])


class PartitionTest(unittest.TestCase):
    def setUp(self):
        self.g = grl.Graph.load(EMAIL, directed=True)

    def cut_oracle(self, part):
        """Undirected edges between parts, self-loops and direction ignored."""
        g, pairs = self.g, set()
        for u, v in edges(EMAIL, directed=True):
            a, b = g.index_of(u), g.index_of(v)
            if part[a] != part[b]:
                pairs.add((min(a, b), max(a, b)))
        return len(pairs)

    def test_partition_evaluate_and_imbalance(self):
        g = self.g
        part, info = g.partition(4, seed=2, imbalance=0.01, info=True)
        part = plain(part)
        self.assertEqual(info["edge_cut"], self.cut_oracle(part))
        self.assertEqual(g.partition_evaluate(part, 4), info)
        self.assertAlmostEqual(info["balance"], max(part.count(p) for p in range(4)) / (1005 / 4))
        self.assertLessEqual(info["balance"], 1.011)
        loose = g.partition(4, seed=2, imbalance=0.5, info=True)[1]
        self.assertLessEqual(loose["edge_cut"], info["edge_cut"])
        with self.assertRaises(grl.GrlError) as err:
            g.partition(4, imbalance=20)
        self.assertIn("imbalance", str(err.exception))
        with self.assertRaises(ValueError):
            g.partition_evaluate(part[:-1], 4)

    def test_reorder_and_halos(self):
        g = self.g
        part = plain(g.partition(3, seed=1))
        r, offsets = g.reorder(part, 3)
        offsets = plain(offsets)
        with r:
            self.assertEqual(offsets, [0] + [sum(part.count(q) for q in range(p + 1))
                                             for p in range(3)])
            self.assertEqual(r.num_arcs, g.num_arcs)
            ids = list(r.ids)
            for p in range(3):  # part p's nodes, in their order, are new p's range
                old = [g.id_of(i) for i in range(1005) if part[i] == p]
                self.assertEqual(ids[offsets[p]:offsets[p + 1]], old)
        halos = g.halos(part, 3)
        want = [set() for _ in range(3)]
        for u, v in edges(EMAIL):
            a, b = g.index_of(u), g.index_of(v)
            if part[a] != part[b]:
                want[part[a]].add(b)
        self.assertEqual([set(plain(h)) for h in halos], want)
        self.assertEqual([plain(h) for h in halos], [sorted(w) for w in want])


class ThreadsTest(unittest.TestCase):
    def test_set_get_and_same_results(self):
        g = grl.Graph.load(KARATE)
        before = grl.get_threads()
        try:
            grl.set_threads(1)
            self.assertEqual(grl.get_threads(), 1)
            one = plain(grl.fastrp(g, dim=8))
            grl.set_threads(2)
            self.assertEqual(grl.get_threads(), 2)
            self.assertEqual(plain(grl.fastrp(g, dim=8)), one)
            with self.assertRaises(grl.GrlError):
                grl.set_threads(0)
            with self.assertRaises(grl.GrlError):
                grl.set_threads(10**6)
        finally:
            grl.set_threads(before)


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
