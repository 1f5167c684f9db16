"""Tests of grl.graph_tasks: CGS and the MPNN trained on generated files
through the shim, predictions against the loaded targets, determinism for
a seed, and errors."""
import os
import tempfile
import unittest

import grl
import grl.graph_set as gs
import grl.graph_tasks as gt


class GraphTasksTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        gs.pore_generate(24, seed=1, min_pores=30, max_pores=40, output_dir=cls.dir)
        gs.gvi_generate(6, seed=2, output_dir=cls.dir, name="mdp")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def _train(self, model="cgs", **kw):
        return gt.train(self.dir, "pore", model=model, hidden=8, layers=2, heads=4,
                        batch_graphs=8, epochs=3, seed=5, **kw)

    def test_cgs_train_predict_evaluate(self):
        with self._train() as m:
            r = m.result
            self.assertTrue(1 <= r["best_epoch"] <= r["epochs_run"] <= 3)
            # 21 training graphs in batches of 8: 3 steps an epoch
            self.assertEqual(r["solves"], 3 * r["epochs_run"])
            self.assertEqual(r["capped"], 0)
            self.assertTrue(1 <= r["forward_iterations"] <= 50)
            pred = m.predict(self.dir, "pore")
            s = gs.load(self.dir, "pore")
            self.assertEqual(len(pred), s["nodes"])
            mse = sum((float(p[0]) - float(y[0])) ** 2
                      for p, y in zip(pred, s["node_y"])) / s["nodes"]
            self.assertAlmostEqual(m.evaluate(self.dir, "pore")["mse"], mse, places=9)
            again = self._train().predict(self.dir, "pore")
            self.assertEqual([list(map(float, p)) for p in pred],
                             [list(map(float, p)) for p in again])

    def test_gvi_metrics_and_mpnn(self):
        m = gt.train(self.dir, "mdp", model="mpnn", hidden=4, layers=1, epochs=1)
        e = m.evaluate(self.dir, "mdp", gvi=True)
        self.assertTrue(e["mse"] > 0 and e["mape"] > 0 and 0 <= e["policy_accuracy"] <= 1)
        self.assertEqual(m.result["solves"], 0)
        with self.assertRaises(grl.GrlError) as c:
            m.predict(self.dir, "pore")  # 6 node features, trained with 1
        self.assertIn("trained with 1 and 1", str(c.exception))
        m.close()
        with self.assertRaises(grl.GrlError):
            m.predict(self.dir, "mdp")

    def test_errors(self):
        with self.assertRaises(grl.GrlValueError):
            self._train(model="gcn")
        with self.assertRaises(grl.GrlError) as c:
            self._train(gamma=1.0)
        self.assertIn("gamma", str(c.exception))
        with self.assertRaises(grl.GrlError) as c:
            gt.train(self.dir, "nothing")
        self.assertIn("nothing_graph_indicator.txt", str(c.exception))
        with self.assertWarns(grl.GrlWarning):
            self._train(max_iter=1)
        with self.assertRaises(grl.GrlTypeError):
            grl.graph_tasks.GraphSetModel()


if __name__ == "__main__":
    unittest.main()
