"""Tests of grl.linkpred_score / grl.linkpred_topk against facts about the
shared datasets and a pure-Python computation of the formulas."""
import math
import os
import unittest

import grl
from grl.linkpred import linkpred_score, linkpred_topk

DATA = os.environ.get("GRL_DATA_DIR",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))


def karate():
    return grl.Graph.load(os.path.join(DATA, "karate", "edges.txt"))


def neighbours(path):
    nb = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            a, b = map(int, line.split()[:2])
            if a != b:
                nb.setdefault(a, set()).add(b)
                nb.setdefault(b, set()).add(a)
    return nb


class LinkpredTest(unittest.TestCase):
    def test_scores_match_python_formulas(self):
        g = karate()
        nb = neighbours(os.path.join(DATA, "karate", "edges.txt"))
        pairs = [(u, v) for u in range(34) for v in range(34) if u != v]
        ids = [int(g.id_of(i)) for i in range(34)]
        formulas = {
            "cn": lambda a, b: len(nb[a] & nb[b]),
            "jaccard": lambda a, b: len(nb[a] & nb[b]) / len(nb[a] | nb[b]),
            "pa": lambda a, b: len(nb[a]) * len(nb[b]),
            "aa": lambda a, b: sum(1 / math.log(len(nb[z])) for z in nb[a] & nb[b]),
            "ra": lambda a, b: sum(1 / len(nb[z]) for z in nb[a] & nb[b]),
        }
        for method, f in formulas.items():
            scores = linkpred_score(g, pairs, method=method)
            self.assertEqual(len(scores), len(pairs))
            for (u, v), s in zip(pairs, scores):
                self.assertAlmostEqual(s, f(ids[u], ids[v]), places=12, msg=method)

    def test_numpy_pairs(self):
        try:
            import numpy as np
        except ImportError:
            self.skipTest("numpy is not installed")
        g = karate()
        pairs = np.array([[0, 1], [0, 33], [5, 6]], dtype=np.int32)
        self.assertEqual(list(linkpred_score(g, pairs, method="cn")),
                         list(linkpred_score(g, pairs.tolist(), method="cn")))
        self.assertEqual(linkpred_score(g, pairs, method="cn")[0], 7)
        with self.assertRaises(ValueError):
            linkpred_score(g, np.zeros((3, 3)))

    def test_topk(self):
        g = karate()
        nb = neighbours(os.path.join(DATA, "karate", "edges.txt"))
        cand, scores = linkpred_topk(g, 3, method="cn")
        self.assertEqual(len(cand), 34)
        self.assertEqual(len(cand[0]), 3)
        for u in range(34):
            row = [int(c) for c in cand[u] if c >= 0]
            for v in row:
                self.assertNotIn(int(g.id_of(v)), nb[int(g.id_of(u))])
                self.assertNotEqual(u, v)
            self.assertEqual(list(scores[u][:len(row)]),
                             sorted(scores[u][:len(row)], reverse=True))
            direct = linkpred_score(g, [(u, v) for v in row], method="cn")
            self.assertEqual(list(direct), list(scores[u][:len(row)]))
        sub, sub_scores = linkpred_topk(g, 3, method="cn", nodes=[33, 0])
        self.assertEqual(list(sub[0]), list(cand[33]))
        self.assertEqual(list(sub_scores[1]), list(scores[0]))

    def test_katz_on_a_path(self):
        g = grl.Graph.load(os.path.join(DATA, "karate", "edges.txt"))
        # beta A + beta^2 A^2 + beta^3 A^3 at (0, 1): A=1, A^2 = 7 common
        # neighbours; compare against the local path index's A^2 term
        k = linkpred_score(g, [(0, 1)], method="katz", beta=0.5, katz_length=2)
        self.assertAlmostEqual(k[0], 0.5 + 0.25 * 7)
        lp = linkpred_score(g, [(0, 1)], method="lp", epsilon=0.0)
        self.assertAlmostEqual(lp[0], 7)

    def test_errors(self):
        g = karate()
        with self.assertRaises(ValueError):
            linkpred_score(g, [(0, 1)], method="cosine")
        with self.assertRaises(grl.GrlError) as err:
            linkpred_score(g, [(0, 99)])
        self.assertIn("names a node outside 0..33", str(err.exception))
        with self.assertRaises(grl.GrlError) as err:
            linkpred_score(g, [(0, 1)], method="jaccard", weighted=True)
        self.assertIn("no weighted variant", str(err.exception))
        self.assertEqual(len(linkpred_score(g, [])), 0)


if __name__ == "__main__":
    unittest.main()
