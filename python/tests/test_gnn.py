"""Tests of grl.gnn (ADPA, the directed profile) on Chameleon-filtered, kept
short (two drawn splits, few epochs): the result's shape, determinism, and
errors."""
import os
import unittest

import grl
import grl.gnn

DATA = os.environ.get("GRL_DATA_DIR",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
CH = os.path.join(DATA, "chameleon_filtered")


def ch(name):
    return os.path.join(CH, name)


class AdpaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.g = grl.Graph.load(ch("edges.txt"), directed=True)

    def run_adpa(self, **kw):
        # two drawn splits and one weight decay (not the file's 10 splits and
        # ADPA's two decays: a tenth of the training): these cases check that
        # an option reaches the model and that a seed fixes the result
        args = dict(train_per_class=10, val=100, repeats=2, epochs=10, weight_decay=5e-4)
        return grl.gnn.adpa(self.g, ch("features.txt"), ch("labels.txt"), **{**args, **kw})

    def test_result_shape_and_determinism(self):
        on_file = dict(patterns="dir", seed=4, splits=ch("splits.txt"), epochs=3)
        r = self.run_adpa(**on_file)
        self.assertEqual(r["patterns"], "dir")
        self.assertEqual(len(r["test"]), 10)
        self.assertTrue(all(0 <= a <= 1 for a in r["test"]))
        mean = sum(r["test"]) / 10
        self.assertAlmostEqual(r["test_mean"], mean, places=12)
        self.assertEqual(sorted(r["mass"]), ["A", "At", "features"])
        self.assertAlmostEqual(sum(r["mass"].values()), 1.0, places=9)
        again = self.run_adpa(**on_file)
        self.assertEqual(r, again)

    def test_mask_and_damping_reach_the_model(self):
        plain = self.run_adpa(patterns="all", seed=2)
        masked = self.run_adpa(patterns="all", seed=2, mask_empty_hops=True)
        damped = self.run_adpa(patterns="all", seed=2, mask_empty_hops=True, hop_damping=True)
        self.assertEqual(masked, self.run_adpa(patterns="all", seed=2, mask_empty_hops=True))
        self.assertNotEqual(masked["test"], damped["test"])
        # Chameleon-filtered: 3% of the nodes have no in-arc, so no AtAt walk
        self.assertNotEqual(plain["mass"], masked["mass"])

    def test_pattern_attention_reaches_the_model(self):
        scalar = self.run_adpa(patterns="dir", seed=3)
        node = self.run_adpa(patterns="dir", seed=3, pattern_attention="node")
        self.assertEqual(node, self.run_adpa(patterns="dir", seed=3, pattern_attention="node"))
        self.assertNotEqual(scalar["test"], node["test"])
        self.assertAlmostEqual(sum(node["mass"].values()), 1.0, places=9)
        with self.assertRaises(grl.GrlValueError):
            self.run_adpa(pattern_attention="edge")

    def test_ensemble_reaches_the_model(self):
        single = self.run_adpa(patterns="dir", seed=5)
        self.assertEqual(single, self.run_adpa(patterns="dir", seed=5, ensemble=1))
        pair = self.run_adpa(patterns="dir", seed=5, ensemble=2)
        self.assertEqual(pair, self.run_adpa(patterns="dir", seed=5, ensemble=2))
        self.assertNotEqual(single["test"], pair["test"])
        self.assertAlmostEqual(sum(pair["mass"].values()), 1.0, places=9)
        for bad in (0, 257):
            with self.assertRaises(grl.GrlValueError):
                self.run_adpa(ensemble=bad)

    def test_directed_scale_init_and_per_split_validation(self):
        def run(**kw):
            return grl.gnn.adpa(self.g, ch("features.txt"), ch("labels.txt"),
                                train_per_class=10, val=100, repeats=2, epochs=5, seed=6,
                                patterns="all+undirected", **kw)
        default = run()
        self.assertEqual(default, run(directed_scale_init=1))
        self.assertEqual(len(default["val"]), 2)
        self.assertAlmostEqual(default["val_mean"], sum(default["val"]) / 2, places=12)
        zero = run(directed_scale_init=0)
        self.assertEqual(zero, run(directed_scale_init=0))
        self.assertNotEqual(default["mass"], zero["mass"])
        for bad in (1.5, -0.1):
            with self.assertRaises(grl.GrlError) as e:
                run(directed_scale_init=bad)
            self.assertIn("directed_scale_init", str(e.exception))

    def test_all_and_undirected_set(self):
        r = grl.gnn.adpa(self.g, ch("features.txt"), ch("labels.txt"), train_per_class=10,
                         val=100, repeats=1, epochs=3, patterns="all+undirected")
        self.assertEqual(r["patterns"], "all+undirected")
        self.assertEqual(list(r["mass"]),
                         ["features", "A", "At", "AA", "AAt", "AtA", "AtAt", "sym"])

    def test_generated_splits(self):
        r = grl.gnn.adpa(self.g, ch("features.txt"), ch("labels.txt"), train_per_class=10,
                         val=100, repeats=2, epochs=5, patterns="features")
        self.assertEqual(len(r["test"]), 2)
        self.assertEqual(list(r["mass"]), ["features"])

    def test_errors(self):
        with self.assertRaises(grl.GrlValueError):
            self.run_adpa(patterns="diagonal")
        with self.assertRaises(grl.GrlError) as e:
            grl.gnn.adpa(self.g, ch("features.txt"), "/nonexistent/labels.txt")
        self.assertIn("labels.txt", str(e.exception))
        with self.assertRaises(grl.GrlError) as e:
            self.run_adpa(dropout=1.5)
        self.assertIn("dropout", str(e.exception))
        with self.assertRaises(grl.GrlTypeError):
            grl.gnn.adpa("not a graph", ch("features.txt"), ch("labels.txt"))

    def test_profile(self):
        p = grl.gnn.profile(self.g, ch("labels.txt"), splits=ch("splits.txt"),
                            features=ch("features.txt"))
        for name in ("A", "At", "AA", "AAt", "AtA", "AtAt", "sym"):
            weight, h, adj, smooth = p[name]
            self.assertGreater(weight, 0)
            self.assertTrue(0 <= h <= 1)
            self.assertTrue(0 <= smooth < 2)
        self.assertIn(p["recommended"], ("all", "undirected", "dir", "features"))


if __name__ == "__main__":
    unittest.main()
