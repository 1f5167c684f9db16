"""Tests of grl.linkpred_score / grl.linkpred_topk against facts about the
shared datasets and a pure-Python computation of the formulas."""
import math
import os
import unittest

import tempfile

import grl
from grl import linkpred_score, linkpred_topk
from shimtest import KARATE, karate, plain


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
        nb = neighbours(KARATE)
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
        nb = neighbours(KARATE)
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
        small = linkpred_topk(g, 3, method="cn", block_entries=1)  # a source per block
        self.assertEqual(plain(small), plain((cand, scores)))
        sub, sub_scores = linkpred_topk(g, 3, method="cn", nodes=[33, 0])
        self.assertEqual(list(sub[0]), list(cand[33]))
        self.assertEqual(list(sub_scores[1]), list(scores[0]))

    def test_katz_on_a_path(self):
        g = grl.Graph.load(KARATE)
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


def graph_pairs(g):
    """The undirected edges of g as a set of (u, v), u < v, node indices,
    read back from the edge list g.save writes (file ids)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "g.txt")
        g.save(path)
        with open(path) as f:
            rows = [line.split()[:2] for line in f if not line.startswith("#")]
    return {tuple(sorted((g.index_of(a), g.index_of(b)))) for a, b in rows}


class EvaluationTest(unittest.TestCase):
    def test_split_partitions_the_edges(self):
        g = karate()
        everything = graph_pairs(g)
        self.assertEqual(len(everything), 78)
        with grl.edge_split(g, test_fraction=0.2, valid_fraction=0.1, seed=4) as s:
            test = {tuple(sorted(p)) for p in plain(s.test)}
            valid = {tuple(sorted(p)) for p in plain(s.valid)}
            train = graph_pairs(s.train)
            self.assertEqual((len(test), len(valid)), (16, 8))  # round(0.2 * 78), ...
            self.assertEqual(s.train.num_nodes, 34)
            self.assertEqual(train | test | valid, everything)
            self.assertEqual(len(train) + len(test) + len(valid), 78)
        self.assertTrue(s.train.closed)
        with grl.edge_split(g, test_fraction=0.5, keep_connected=True, seed=1) as s:
            self.assertEqual(s.train.summary()["components"], 1)
        with self.assertRaises(grl.GrlError):
            grl.edge_split(g, test_fraction=1.5)

    def test_negatives_are_non_edges(self):
        g = karate()
        everything = graph_pairs(g)
        neg = plain(grl.linkpred_negatives(g, 500, seed=2))
        self.assertEqual(len(neg), 500)
        for u, v in neg:
            self.assertNotEqual(u, v)
            self.assertNotIn(tuple(sorted((u, v))), everything)
        self.assertEqual(neg, plain(grl.linkpred_negatives(g, 500, seed=2)))
        self.assertNotEqual(neg, plain(grl.linkpred_negatives(g, 500, seed=3)))

    def test_metrics_against_python(self):
        pos, neg = [0.9, 0.4, 0.7, 0.2], [0.1, 0.4, 0.3, 0.8, 0.05]
        m = grl.linkpred_evaluate(pos, neg)
        wins = sum(1.0 if p > q else 0.5 if p == q else 0.0 for p in pos for q in neg)
        self.assertAlmostEqual(m["auc"], wins / 20)
        self.assertEqual(m["hits20"], 1.0)  # fewer than 20 negatives
        mrr = sum(1 / (1 + sum(q > p for q in neg) + sum(q == p for q in neg) / 2)
                  for p in pos) / 4
        self.assertAlmostEqual(m["mrr"], mrr)
        # AP: sum over distinct thresholds t (decreasing) of the recall gained
        # at t times the precision at t
        ap, recall = 0.0, 0.0
        for t in sorted(set(pos + neg), reverse=True):
            tp = sum(p >= t for p in pos)
            ap += (tp / len(pos) - recall) * tp / (tp + sum(q >= t for q in neg))
            recall = tp / len(pos)
        self.assertAlmostEqual(m["ap"], ap)
        for k in (1, 2, 5, 6):  # above the k-th highest negative; 1 below k negatives
            kth = sorted(neg, reverse=True)[k - 1] if k <= len(neg) else None
            want = 1.0 if kth is None else sum(p > kth for p in pos) / len(pos)
            self.assertEqual(grl.linkpred_hits(pos, neg, k), want)
        with self.assertRaises(grl.GrlError):
            grl.linkpred_evaluate([], neg)
        with self.assertRaises(ValueError):
            grl.linkpred_evaluate([float("nan")], neg)

    def test_concentration_one_hop_is_mean_jaccard(self):
        g = karate()
        nb = neighbours(KARATE)
        tc = plain(grl.linkpred_concentration(g, hops=1))
        for i in range(34):
            u = int(g.id_of(i))
            want = sum(len(nb[u] & nb[v]) / len(nb[u] | nb[v]) for v in nb[u]) / len(nb[u])
            self.assertAlmostEqual(tc[i], want, places=12)
        two = plain(grl.linkpred_concentration(g, hops=2, beta=0.5))
        self.assertNotEqual(two, tc)
        with self.assertRaises(grl.GrlError):
            grl.linkpred_concentration(g, hops=9)


if __name__ == "__main__":
    unittest.main()
