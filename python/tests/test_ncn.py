"""Tests of grl.ncn (NCN / NCNC link prediction) on Cora, kept short (two
epochs, small width): training, scoring against the split, the model file
round trip, top-k against scoring, and errors."""
import os
import tempfile
import unittest

import grl
import grl.ncn

DATA = os.environ.get("GRL_DATA_DIR",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
CORA = os.path.join(DATA, "cora_planetoid")
EDGES, FEATURES = os.path.join(CORA, "edges.txt"), os.path.join(CORA, "features.txt")


class NcnTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.g = grl.Graph.load(EDGES)
        cls.m, cls.split, cls.res = grl.ncn.ncn_train(cls.g, FEATURES, hidden=16, epochs=2,
                                                      seed=3)

    @classmethod
    def tearDownClass(cls):
        cls.m.close()
        cls.split.close()
        cls.g.close()

    def test_trained_model_ranks_test_edges_above_negatives(self):
        self.assertEqual(len(self.split.test), round(0.2 * self.g.num_edges))
        self.assertTrue(0 <= self.res["val_hits"] <= 1)
        pos = self.m.score(self.split.train, FEATURES, self.split.test)
        neg_pairs = grl.linkpred_negatives(self.g, len(self.split.test), seed=9)
        neg = self.m.score(self.split.train, FEATURES, neg_pairs)
        self.assertGreater(grl.linkpred_evaluate(pos, neg)["auc"], 0.7)

    def test_file_round_trip_and_topk(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.grl")
            self.m.save(path)
            with grl.ncn.NcnModel.load(path) as m2:
                self.assertFalse(m2.completion)
                a = self.m.score(self.split.train, FEATURES, self.split.test[:20])
                b = m2.score(self.split.train, FEATURES, self.split.test[:20])
                self.assertEqual(list(a), list(b))
                cand, sc = m2.topk(self.split.train, FEATURES, 3, nodes=[0, 5])
                for i, src in enumerate([0, 5]):
                    for j in range(3):
                        if cand[i][j] >= 0:
                            one = m2.score(self.split.train, FEATURES, [(src, cand[i][j])])
                            self.assertAlmostEqual(one[0], sc[i][j], places=6)

    def test_errors(self):
        with self.assertRaises(grl.GrlError):
            self.m.score(self.split.train, FEATURES, [(0, 10 ** 6)])
        with self.assertRaises(grl.GrlValueError):
            grl.ncn.ncn_train(self.g, FEATURES, model="gat")
        with self.assertRaises(grl.GrlValueError):
            grl.ncn.ncn_train(self.g, FEATURES, encoder="gat")


if __name__ == "__main__":
    unittest.main()
