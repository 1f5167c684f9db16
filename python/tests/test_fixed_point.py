"""Tests of grl.gnn's fixed-point GNNs (APPNP, IGNN, CGS) on Chameleon-filtered,
kept short (one drawn split, few epochs): the result's shape, the solver's
report (APPNP's bound is 1 - alpha, CGS's at most gamma), determinism, and
errors; graph classification on MUTAG and PROTEINS against the CLI's
output for the same seed."""
import os
import re
import subprocess
import unittest

import grl
import grl.gnn

DATA = os.environ.get("GRL_DATA_DIR",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
CH = os.path.join(DATA, "chameleon_filtered")
TU = os.path.join(DATA, "tu")
# the CLI built with the library (ctest sets GRL_CLI; otherwise the grl
# beside GRL_LIBRARY, where the build puts both)
CLI = os.environ.get("GRL_CLI") or os.path.join(
    os.path.dirname(os.environ.get("GRL_LIBRARY", "")), "grl")


def ch(name):
    return os.path.join(CH, name)


class FixedPointTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.g = grl.Graph.load(ch("edges.txt"))

    def run_model(self, fn, **kw):
        return fn(self.g, ch("features.txt"), ch("labels.txt"), train_per_class=10, val=100,
                  repeats=1, epochs=3, hidden=16, **kw)

    def test_appnp_report_and_determinism(self):
        r = self.run_model(grl.gnn.appnp, alpha=0.2, seed=2)
        self.assertEqual(len(r["test"]), 1)
        self.assertTrue(0 <= r["test_mean"] <= 1)
        rep = r["report"]
        self.assertAlmostEqual(rep["forward"]["bound"], 0.8, places=4)
        self.assertLessEqual(rep["forward"]["residual"], 1e-6)
        self.assertGreater(rep["forward"]["iterations"], 1)
        self.assertEqual(rep["capped"], 0)
        self.assertEqual(r, self.run_model(grl.gnn.appnp, alpha=0.2, seed=2))

    def test_cgs_and_ignn_bounds(self):
        r = self.run_model(grl.gnn.cgs, gamma=0.4, heads=3)
        self.assertLessEqual(r["report"]["forward"]["bound"], 0.4 + 1e-9)
        r = self.run_model(grl.gnn.cgs, gamma=0.4, heads=3, skip=True)
        self.assertLessEqual(r["report"]["forward"]["bound"], 0.4 + 1e-9)
        self.assertEqual(r, self.run_model(grl.gnn.cgs, gamma=0.4, heads=3, skip=True))
        r = self.run_model(grl.gnn.cgs, gamma=0.4, heads=3, mp_layers=2)
        self.assertLessEqual(r["report"]["forward"]["bound"], 0.4 + 1e-9)
        r = self.run_model(grl.gnn.ignn, kappa=0.9)
        self.assertLessEqual(r["report"]["forward"]["bound"], 0.9 + 1e-5)

    def test_cap_is_counted(self):
        r = self.run_model(grl.gnn.ignn, max_iter=2)
        self.assertGreater(r["report"]["capped"], 0)
        self.assertEqual(r["report"]["forward"]["iterations"], 2)

    def test_errors(self):
        with self.assertRaises(grl.GrlError) as e:
            self.run_model(grl.gnn.cgs, gamma=1.0)
        self.assertIn("gamma", str(e.exception))
        with self.assertRaises(grl.GrlError) as e:
            self.run_model(grl.gnn.ignn, kappa=-1)
        self.assertIn("kappa", str(e.exception))
        with self.assertRaises(grl.GrlTypeError):
            self.run_model(grl.gnn.cgs, skip="no")
        with self.assertRaises(grl.GrlValueError):
            self.run_model(grl.gnn.cgs, mp_layers=4)


# a few epochs of small models: the comparison is of bits, not of accuracy
SMALL = {"hidden": 8, "heads": 4, "epochs": 3, "batch_size": 32, "seed": 3}


def cli_graphs(model, name, *options):
    """`grl gnn MODEL --graphs TU/NAME --name NAME ...`'s accuracy lines:
    (mean, std, validation, [fold accuracies]) as printed (4 decimals)."""
    out = subprocess.run([CLI, "gnn", model, "--graphs", os.path.join(TU, name), "--name",
                          name, "--quiet", *options], check=True, capture_output=True,
                         text=True).stdout
    scored = "(?:test|screened)"  # screened: --screen's scored parts
    m = re.search(scored + r" accuracy (\S+) \+- (\S+) over \d+ folds \(validation (\S+)\)", out)
    folds = re.search("fold " + scored + " accuracies (.*)", out).group(1).split()
    return float(m.group(1)), float(m.group(2)), float(m.group(3)), [float(a) for a in folds]


def cli_options(**kw):
    return [a for k, v in kw.items() for a in ("--" + k.replace("_", "-"), str(v))]


class GraphClassificationTest(unittest.TestCase):
    def assert_as_cli(self, r, printed):
        mean, std, val, folds = printed
        self.assertEqual(len(r["test"]), len(folds))
        for got, want in zip([r["test_mean"], r["test_std"], r["val_mean"]] + r["test"],
                             [mean, std, val] + folds):
            self.assertAlmostEqual(got, want, delta=5.001e-5)  # printed to 4 decimals

    def test_cgs_mutag_as_the_cli(self):
        self.assertTrue(os.access(CLI, os.X_OK), f"no grl CLI at {CLI} (set GRL_CLI)")
        kw = dict(SMALL, mp_layers=1, cosine=True, activation="silu")
        r = grl.gnn.classify_graphs(os.path.join(TU, "MUTAG"), "MUTAG", model="cgs", folds=4,
                                    **kw)
        opts = cli_options(folds=4, **{k: v for k, v in kw.items() if k != "cosine"})
        self.assert_as_cli(r, cli_graphs("cgs", "MUTAG", "--cosine", *opts))
        # 188 graphs in 4 stratified parts of 47: a fold's accuracy is j / 47
        for a in r["test"]:
            self.assertAlmostEqual(a * 47, round(a * 47), places=9)
        self.assertAlmostEqual(r["test_mean"], sum(r["test"]) / 4, places=12)
        self.assertLessEqual(r["report"]["forward"]["bound"], 0.5 + 1e-9)
        self.assertEqual(r, grl.gnn.classify_graphs(os.path.join(TU, "MUTAG"), "MUTAG",
                                                    model="cgs", folds=4, **kw))

    def test_readouts_as_the_cli(self):
        kw = dict(SMALL, epochs=1)
        mutag = os.path.join(TU, "MUTAG")
        results = [grl.gnn.classify_graphs(mutag, "MUTAG", folds=3, readout=readout, **kw)
                   for readout in ("sum", "sum-max", "sum-mean")]
        self.assert_as_cli(results[1], cli_graphs("cgs", "MUTAG", *cli_options(
            folds=3, readout="sum-max", **kw)))
        self.assert_as_cli(results[2], cli_graphs("cgs", "MUTAG", *cli_options(
            folds=3, readout="sum-mean", **kw)))
        # the max or mean beside the sum: another decoder input, another
        # model (after one epoch the accuracies may tie; the solves differ)
        reports = [r["report"]["forward"] for r in results]
        self.assertNotEqual(reports[0], reports[1])
        self.assertNotEqual(reports[1], reports[2])

    def test_ignn_appnp_and_labels_only_as_the_cli(self):
        kw = dict(SMALL, epochs=1)
        del kw["heads"]
        for model in ("ignn", "appnp"):
            r = grl.gnn.classify_graphs(os.path.join(TU, "MUTAG"), "MUTAG", model=model,
                                        folds=3, **kw)
            self.assert_as_cli(r, cli_graphs(model, "MUTAG", *cli_options(folds=3, **kw)))
        # PROTEINS: 3 one-hot node labels and a raw attribute, dropped
        r = grl.gnn.classify_graphs(os.path.join(TU, "PROTEINS"), "PROTEINS", folds=3,
                                    labels_only=True, heads=2, **kw)
        self.assert_as_cli(r, cli_graphs("cgs", "PROTEINS", "--labels-only",
                                         *cli_options(folds=3, heads=2, **kw)))

    def test_ensemble_and_select_epoch_as_the_cli(self):
        kw = dict(SMALL, epochs=20, lr=0.05)
        mutag = os.path.join(TU, "MUTAG")
        one, two, loss = [grl.gnn.classify_graphs(mutag, "MUTAG", folds=3, **kw, **extra)
                          for extra in ({}, {"ensemble": 2}, {"select_epoch": "loss"})]
        self.assert_as_cli(two, cli_graphs("cgs", "MUTAG", *cli_options(
            folds=3, ensemble=2, **kw)))
        self.assert_as_cli(loss, cli_graphs("cgs", "MUTAG", *cli_options(
            folds=3, select_epoch="loss", **kw)))
        # every graph tested once: its fold's probabilities, summing to 1;
        # a fold's accuracy is that of their largest class
        with open(os.path.join(mutag, "MUTAG_graph_labels.txt")) as f:
            classes = [max(int(x), 0) for x in f.read().split()]  # -1, 1 -> 0, 1
        for r in (one, two, loss):
            self.assertEqual(len(r["proba"]), 188)
            for p in r["proba"]:
                self.assertAlmostEqual(sum(p), 1.0, places=12)
            hits = sum(p.index(max(p)) == c for p, c in zip(r["proba"], classes))
            folds = zip(r["test"], (63, 63, 62))  # 188 graphs dealt round-robin
            self.assertAlmostEqual(hits, sum(a * n for a, n in folds), places=9)
        self.assertNotEqual(one["proba"], two["proba"])
        screened = grl.gnn.classify_graphs(mutag, "MUTAG", folds=4, screen=True, **kw)
        self.assert_as_cli(screened, cli_graphs("cgs", "MUTAG", "--screen",
                                                *cli_options(folds=4, **kw)))
        refit = grl.gnn.classify_graphs(mutag, "MUTAG", folds=4, screen=True, refit=True,
                                        **kw)
        self.assert_as_cli(refit, cli_graphs("cgs", "MUTAG", "--screen", "--refit",
                                             *cli_options(folds=4, **kw)))
        # the refit scores the screened part; validation is the chosen epoch's
        self.assertNotEqual(refit["proba"], screened["proba"])
        self.assertEqual(refit["val_mean"], screened["val_mean"])
        with self.assertRaises(grl.GrlTypeError):
            grl.gnn.classify_graphs(mutag, "MUTAG", refit="yes")
        with self.assertRaises(grl.GrlValueError):
            grl.gnn.classify_graphs(mutag, "MUTAG", ensemble=0)
        with self.assertRaises(grl.GrlValueError) as e:
            grl.gnn.classify_graphs(mutag, "MUTAG", select_epoch="f1")
        self.assertIn("loss", str(e.exception))

    def test_errors(self):
        mutag = os.path.join(TU, "MUTAG")
        with self.assertRaises(grl.GrlValueError):
            grl.gnn.classify_graphs(mutag, "MUTAG", folds=2)
        with self.assertRaises(grl.GrlValueError):
            grl.gnn.classify_graphs(mutag, "MUTAG", model="gcn")
        with self.assertRaises(grl.GrlError) as e:
            grl.gnn.classify_graphs(mutag, "NOPE")
        self.assertIn("NOPE", str(e.exception))
        with self.assertRaises(grl.GrlError) as e:
            grl.gnn.classify_graphs(mutag, "MUTAG", model="ignn", skip=True)
        self.assertIn("skip", str(e.exception))
        with self.assertRaises(grl.GrlValueError) as e:
            grl.gnn.classify_graphs(mutag, "MUTAG", activation="gelu")
        self.assertIn("gelu", str(e.exception))
        with self.assertRaises(grl.GrlValueError) as e:
            grl.gnn.classify_graphs(mutag, "MUTAG", readout="max")
        self.assertIn("max", str(e.exception))
        with self.assertRaises(grl.GrlError) as e:
            grl.gnn.classify_graphs(mutag, "MUTAG", model="ignn", readout="sum-mean")
        self.assertIn("CGS option", str(e.exception))


if __name__ == "__main__":
    unittest.main()
