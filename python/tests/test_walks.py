"""Tests of grl.walks, grl.ppr and grl.PprIndex against facts checkable in
Python (node indices in, node indices out)."""
import os
import tempfile
import unittest

import grl
from shimtest import EMAIL, KARATE, NUMPY, data, edges, plain


class WalksTest(unittest.TestCase):
    def test_walks_follow_edges(self):
        g = grl.Graph.load(KARATE)
        ws = grl.walks(g, length=10, walks_per_node=2, seed=3)
        if NUMPY:
            self.assertEqual((ws.shape, str(ws.dtype)), ((68, 10), "int64"))
        arcs, ids = edges(KARATE), g.ids
        rows = plain(ws)
        self.assertEqual(len(rows), 68)
        for w in rows:
            self.assertEqual(len(w), 10)  # karate has no dead ends
            for a, b in zip(w, w[1:]):
                self.assertIn((ids[a], ids[b]), arcs)
        self.assertEqual([w[0] for w in rows], list(range(34)) * 2)
        self.assertEqual(rows, plain(grl.walks(g, length=10, walks_per_node=2, seed=3)))
        self.assertNotEqual(rows, plain(grl.walks(g, length=10, walks_per_node=2, seed=4)))

    def test_dead_ends_pad_with_minus_one(self):
        g = grl.Graph.from_edges([0, 1], [1, 2], directed=True)  # 0 -> 1 -> 2, 2 a sink
        self.assertEqual(plain(grl.walks(g, length=4, walks_per_node=1)),
                         [[0, 1, 2, -1], [1, 2, -1, -1], [2, -1, -1, -1]])

    def test_starts_and_errors(self):
        g = grl.Graph.load(data("ca-grqc/CA-GrQc.txt"))
        a, b = g.index_of(3466), g.index_of("13")
        ws = grl.walks(g, length=5, walks_per_node=3, starts=[a, b], p=0.5, q=2)
        self.assertEqual([w[0] for w in plain(ws)], [a, b] * 3)
        with self.assertRaises(grl.GrlError) as err:
            grl.walks(g, p=0)
        self.assertIn("p and q must be positive", str(err.exception))
        with self.assertRaises(grl.GrlError):
            grl.walks(g, starts=[g.num_nodes])
        d = grl.Graph.load(EMAIL, directed=True)
        with self.assertRaises(grl.GrlError) as err:
            grl.walks(d, srrw_alpha=1.0)
        self.assertIn("undirected", str(err.exception))


class WalkerTest(unittest.TestCase):
    def test_batches_are_the_whole_corpus(self):
        g = grl.Graph.load(KARATE)
        whole = plain(grl.walks(g, length=6, walks_per_node=3, p=0.5, q=2.0, seed=9))
        with grl.Walker(g, length=6, walks_per_node=3, p=0.5, q=2.0, seed=9) as w:
            with self.assertRaises(grl.GrlError) as err:  # g's arcs are the walker's
                g.out_degree()
            self.assertIn("lent to a grl.Walker", str(err.exception))
            batches = [plain(w.run(first, min(25, 102 - first)))
                       for first in range(0, 102, 25)]
            self.assertEqual(sum(batches, []), whole)
            five = plain(w.run(0, 2, starts=[5]))
            self.assertEqual([five[0][0], five[1][0]], [5, 5])
            with self.assertRaises(grl.GrlError):
                w.run(0, 1, starts=[34])
        self.assertEqual(g.num_nodes, 34)  # given back
        with self.assertRaises(grl.GrlError) as err:
            w.run(0, 1)
        self.assertIn("this walker is closed", str(err.exception))
        w2 = grl.Walker(g, length=3)
        g.close()  # closes the walker first
        self.assertTrue(w2.closed)


class PprTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.g = grl.Graph.load(EMAIL, directed=True)

    def test_exact_is_a_distribution_sorted(self):
        res = grl.ppr(self.g, [0, 2], top=None)
        self.assertEqual(len(res), 2)
        for src, (nodes, scores) in zip([0, 2], res):
            if NUMPY:
                self.assertEqual((str(nodes.dtype), str(scores.dtype)), ("int64", "float64"))
            scores = plain(scores)
            self.assertEqual(scores, sorted(scores, reverse=True))
            self.assertAlmostEqual(sum(scores), 1.0, places=8)  # dangling -> source
            self.assertEqual(plain(nodes)[0], src)  # alpha = 0.15 keeps the most at home
            self.assertEqual(len(set(plain(nodes))), len(scores))
        _, u = grl.ppr(self.g, 0, top=None, dangling="uniform")
        self.assertAlmostEqual(sum(plain(u)), 1.0, places=8)
        nodes, scores = grl.ppr(self.g, 0, top=5)  # one source: one pair
        self.assertEqual(plain(nodes), plain(res[0][0])[:5])

    def test_methods_agree_with_exact(self):
        nodes, exact = grl.ppr(self.g, 0, top=10)
        truth = set(plain(nodes))
        with grl.PprIndex.build(self.g, walks=100, seed=1) as idx:
            for method, extra in [("push", {}), ("fora", {}), ("mc", {"mc_walks": 200000}),
                                  ("powerwalk", {"index": idx}), ("PUSH", {}),
                                  ("powerpush", {}), ("speedppr", {})]:
                got, scores = grl.ppr(self.g, 0, method=method, top=10, **extra)
                self.assertGreaterEqual(len(truth & set(plain(got))), 8, method)
                self.assertAlmostEqual(scores[0], exact[0], delta=0.01)

    def test_powerpush_is_exact_to_tol(self):
        exact = grl.ppr(self.g, [0, 7], top=None, tol=1e-13)
        pp = grl.ppr(self.g, [0, 7], method="powerpush", top=None, tol=1e-11)
        for (en, es), (pn, ps) in zip(exact, pp):
            want = dict(zip(plain(en), plain(es)))
            got = dict(zip(plain(pn), plain(ps)))
            l1 = sum(abs(want.get(v, 0) - got.get(v, 0)) for v in set(want) | set(got))
            self.assertLess(l1, 2 * 1e-11 / 0.15)  # walks.h's bound with dangling nodes

    def test_powerwalk_stopping_options(self):
        idx = grl.PprIndex.build(self.g, walks=20, seed=3)
        rule = grl.ppr(self.g, [0, 5], method="powerwalk", index=idx, top=50)
        three = grl.ppr(self.g, [0, 5], method="powerwalk", index=idx, top=50, residual=0.0,
                        rounds=3)
        self.assertNotEqual(plain(rule), plain(three))
        with self.assertRaises(grl.GrlError) as err:
            grl.ppr(self.g, 0, method="powerwalk", index=idx, residual=-1.0)
        self.assertIn("residual", str(err.exception))

    def test_index_save_load_info_and_errors(self):
        idx = grl.PprIndex.build(self.g, walks=20, seed=2, alpha=0.2)
        info = idx.info()
        self.assertEqual((info["nodes"], info["walks"], info["alpha"]), (1005, 20, 0.2))
        self.assertGreater(info["entries"], 1005)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "e.idx")
            idx.save(path)
            with grl.PprIndex.load(path) as again:
                self.assertEqual(again.info(), info)
                a = grl.ppr(self.g, [5], method="powerwalk", index=idx, top=20, alpha=0.2)
                b = grl.ppr(self.g, [5], method="powerwalk", index=again, top=20, alpha=0.2)
                self.assertEqual(plain(a), plain(b))
            with open(path, "r+b") as f:
                f.truncate(100)
            with self.assertRaises(grl.GrlError) as err:
                grl.PprIndex.load(path)
            self.assertIn("truncated PPR index", str(err.exception))
        with self.assertRaises(grl.GrlError) as err:
            grl.ppr(self.g, 0, method="powerwalk")
        self.assertIn("index", str(err.exception))
        with self.assertRaises(grl.GrlError):
            grl.ppr(self.g, 123456789)
        with self.assertRaises(ValueError) as err:
            grl.ppr(self.g, 0, method="magic")
        self.assertIn("unknown PPR method 'magic' (expected exact, push, mc, powerwalk, "
                      "fora, powerpush or speedppr)", str(err.exception))
        self.assertEqual(grl.PPR_METHODS, ("exact", "push", "mc", "powerwalk", "fora",
                                           "powerpush", "speedppr"))


if __name__ == "__main__":
    unittest.main()
