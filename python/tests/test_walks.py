"""Tests of grl.walks (walks, ppr, PprIndex) against facts checkable in Python."""
import os
import tempfile
import unittest

import grl
from grl.walks import PprIndex, ppr, walks

DATA = os.environ.get("GRL_DATA_DIR",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))


def data(rel):
    return os.path.join(DATA, rel)


def karate_edges():
    edges = set()
    with open(data("karate/edges.txt")) as f:
        for line in f:
            if line.strip() and not line.startswith(("#", "%")):
                u, v = line.split()[:2]
                edges.add((u, v))
                edges.add((v, u))
    return edges


class WalksTest(unittest.TestCase):
    def test_walks_follow_edges_in_file_ids(self):
        g = grl.Graph.load(data("karate/edges.txt"))
        ws = walks(g, length=10, walks_per_node=2, seed=3)
        self.assertEqual(len(ws), 68)
        edges = karate_edges()
        for w in ws:
            self.assertEqual(len(w), 10)
            for a, b in zip(w, w[1:]):
                self.assertIn((a, b), edges)
        self.assertEqual([w[0] for w in ws[:34]], [g.node_id(i) for i in range(34)])
        self.assertEqual(ws, walks(g, length=10, walks_per_node=2, seed=3))
        self.assertNotEqual(ws, walks(g, length=10, walks_per_node=2, seed=4))

    def test_starts_and_errors(self):
        g = grl.Graph.load(data("ca-grqc/CA-GrQc.txt"))
        ws = walks(g, length=5, walks_per_node=3, starts=[3466, "13"], p=0.5, q=2)
        self.assertEqual([w[0] for w in ws], ["3466", "13"] * 3)
        with self.assertRaises(grl.GrlError) as err:
            walks(g, p=0)
        self.assertIn("p and q must be positive", str(err.exception))
        d = grl.Graph.load(data("email-eu-core/email-Eu-core.txt"), directed=True)
        with self.assertRaises(grl.GrlError) as err:
            walks(d, srrw_alpha=1.0)
        self.assertIn("undirected", str(err.exception))


class PprTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.g = grl.Graph.load(data("email-eu-core/email-Eu-core.txt"), directed=True)

    def test_exact_is_a_distribution_sorted(self):
        res = ppr(self.g, [0, 2], top=2000)
        self.assertEqual(set(res), {"0", "2"})
        for src, pairs in res.items():
            scores = [s for _, s in pairs]
            self.assertEqual(scores, sorted(scores, reverse=True))
            self.assertAlmostEqual(sum(scores), 1.0, places=8)  # dangling -> source
            self.assertEqual(pairs[0][0], src)  # alpha = 0.15 keeps the most at home
        u = ppr(self.g, 0, top=2000, dangling="uniform")["0"]
        self.assertAlmostEqual(sum(s for _, s in u), 1.0, places=8)

    def test_methods_agree_with_exact(self):
        exact = ppr(self.g, 0, top=10)["0"]
        truth = {v for v, _ in exact}
        idx = PprIndex.build(self.g, walks=100, seed=1)
        for method, extra in [("push", {}), ("fora", {}), ("mc", {"mc_walks": 200000}),
                              ("powerwalk", {"index": idx})]:
            got = ppr(self.g, 0, method=method, top=10, **extra)["0"]
            self.assertGreaterEqual(len(truth & {v for v, _ in got}), 8, method)
            self.assertAlmostEqual(got[0][1], exact[0][1], delta=0.01)

    def test_powerwalk_stopping_options(self):
        idx = PprIndex.build(self.g, walks=20, seed=3)
        rule = ppr(self.g, [0, 5], method="powerwalk", index=idx, top=50)
        three = ppr(self.g, [0, 5], method="powerwalk", index=idx, top=50, residual=0.0,
                    rounds=3)
        self.assertNotEqual(rule, three)
        with self.assertRaises(grl.GrlError) as err:
            ppr(self.g, 0, method="powerwalk", index=idx, residual=-1.0)
        self.assertIn("residual", str(err.exception))

    def test_index_save_load_and_errors(self):
        idx = PprIndex.build(self.g, walks=20, seed=2)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "e.idx")
            idx.save(path)
            again = PprIndex.load(path)
            a = ppr(self.g, [5], method="powerwalk", index=idx, top=20)
            b = ppr(self.g, [5], method="powerwalk", index=again, top=20)
            self.assertEqual(a, b)
            with open(path, "r+b") as f:
                f.truncate(100)
            with self.assertRaises(grl.GrlError) as err:
                PprIndex.load(path)
            self.assertIn("truncated PPR index", str(err.exception))
        with self.assertRaises(grl.GrlError) as err:
            ppr(self.g, 0, method="powerwalk")
        self.assertIn("index", str(err.exception))
        with self.assertRaises(grl.GrlError):
            ppr(self.g, 123456789)
        with self.assertRaises(ValueError):
            ppr(self.g, 0, method="magic")


if __name__ == "__main__":
    unittest.main()
