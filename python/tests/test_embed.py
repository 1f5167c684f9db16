"""FastRP with node features, .npy files, labels and node classification."""
import os
import tempfile
import unittest
from collections import Counter

import grl
from shimtest import EMAIL, NUMPY, data, karate, plain

LABELS = data("email-eu-core/email-Eu-core-department-labels.txt")


class NpyTest(unittest.TestCase):
    def test_round_trip(self):
        emb = grl.fastrp(karate(), dim=6, seed=1)
        if NUMPY:
            self.assertEqual((emb.shape, str(emb.dtype)), ((34, 6), "float32"))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "k.npy")
            grl.save_npy(emb, path)
            self.assertEqual(plain(grl.load_npy(path)), plain(emb))
            grl.save_npy([[1, 2.5], [3, 4]], path)
            self.assertEqual(plain(grl.load_npy(path)), [[1.0, 2.5], [3.0, 4.0]])
            if NUMPY:  # numpy reads grl's files and grl numpy's (float64 converted)
                import numpy as np
                self.assertEqual(np.load(path).tolist(), [[1.0, 2.5], [3.0, 4.0]])
                np.save(path, np.arange(6, dtype=np.float64).reshape(3, 2) / 4)
                self.assertEqual(grl.load_npy(path).tolist(),
                                 [[0, 0.25], [0.5, 0.75], [1.0, 1.25]])
            with open(path, "w") as f:
                f.write("not an npy file\n")
            with self.assertRaises(grl.GrlError) as err:
                grl.load_npy(path)
            self.assertIn(path, str(err.exception))
        with self.assertRaises(ValueError):
            grl.save_npy([[1, 2], [3]], "x.npy")
        with self.assertRaises(ValueError):
            grl.save_npy([[1, float("nan")]], "x.npy")


class FeaturesTest(unittest.TestCase):
    def test_cora_ml_features(self):
        g = grl.Graph.load(data("cora_ml/edges.txt"), directed=True)
        feats = data("cora_ml/features.txt")
        plain_emb = plain(grl.fastrp(g, dim=16, seed=1))
        with_f = plain(grl.fastrp(g, dim=16, seed=1, features=feats, property_ratio=0.5))
        self.assertEqual((len(with_f), len(with_f[0])), (g.num_nodes, 16))
        self.assertNotEqual(with_f, plain_emb)
        self.assertEqual(with_f, plain(grl.fastrp(g, dim=16, seed=1, features=feats,
                                                  property_ratio=0.5)))
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "f.txt")
            with open(bad, "w") as f:
                f.write("0 1 0.5\n999999 2 1.0\n")
            with self.assertRaises(grl.GrlError) as err:
                grl.fastrp(g, dim=8, features=bad, property_ratio=0.5)
            self.assertIn(f"{bad}:2", str(err.exception))


class NodeclfTest(unittest.TestCase):
    def test_labels_of_email(self):
        g = grl.Graph.load(EMAIL, directed=True)
        want = {}
        with open(LABELS) as f:
            for line in filter(str.strip, f):
                node, label = line.split()
                want.setdefault(g.index_of(node), set()).add(int(label))
        with grl.Labels.load(LABELS, g) as lab:
            self.assertEqual((lab.num_nodes, lab.num_labels), (1005, 42))
            self.assertEqual(lab.names, [str(i) for i in range(42)])
            for i in range(1005):
                self.assertEqual(set(lab.of(i)), want[i])
        self.assertTrue(lab.closed)

    def test_string_ids_through_the_graph(self):
        with tempfile.TemporaryDirectory() as tmp:
            edges, labels = os.path.join(tmp, "e.txt"), os.path.join(tmp, "l.txt")
            with open(edges, "w") as f:
                f.write("bob alice\nalice carol\n")
            with open(labels, "w") as f:
                f.write("carol x\nalice y\nbob x\nbob z\n")
            g = grl.Graph.load(edges, ids="string")
            with grl.Labels.load(labels, g) as lab:
                self.assertEqual(lab.names, ["x", "y", "z"])
                self.assertEqual(lab.of(g.index_of("bob")), [0, 2])
                self.assertEqual(lab.of(g.index_of("alice")), [1])
            with open(os.path.join(tmp, "rows.ids"), "w") as f:
                f.write("carol\nbob\nalice\n")
            with grl.Labels.load(labels, 3, ids=os.path.join(tmp, "rows.ids")) as lab:
                self.assertEqual(lab.of(0), [0])
            with self.assertRaises(grl.GrlError) as err:
                grl.Labels.load(labels, 3)  # rows are the integer ids 0..2
            self.assertIn(f"{labels}:1", str(err.exception))
            with self.assertRaises(ValueError):
                grl.Labels.load(labels, g, ids="rows.ids")

    def test_declared_nodes_and_missing_labels(self):
        """Isolated nodes: declared with nodes= or num_nodes= they are rows;
        a labelled node without a row is an error, left out, or a zero row."""
        with tempfile.TemporaryDirectory() as tmp:
            edges, nodes, labels = (os.path.join(tmp, n) for n in ("e.txt", "n.txt", "l.txt"))
            with open(edges, "w") as f:
                f.write("0 1\n1 2\n")
            with open(nodes, "w") as f:
                f.write("# ids\n0\n1\n2\n7\n")
            with open(labels, "w") as f:
                f.write("0 a\n2 b\n7 a\n")
            with grl.Graph.load(edges) as g:
                self.assertEqual(g.num_nodes, 3)
                with self.assertRaises(grl.GrlError) as err:
                    grl.Labels.load(labels, g)
                self.assertIn(f"{labels}:3", str(err.exception))
                with grl.Labels.load(labels, g, missing="skip") as lab:
                    self.assertEqual((lab.num_nodes, lab.missing), (3, 1))
                    self.assertEqual([lab.of(i) for i in range(3)], [[0], [], [1]])
                with grl.Labels.load(labels, g, missing="ZERO") as lab:
                    self.assertEqual((lab.num_nodes, lab.missing), (4, 1))
                    self.assertEqual(lab.of(3), [0])
                with self.assertRaises(ValueError):
                    grl.Labels.load(labels, g, missing="drop")
            with grl.Graph.load(edges, nodes=nodes) as g:
                self.assertEqual((g.num_nodes, g.ids[3], g.out_degree()[3]), (4, "7", 0))
                with grl.Labels.load(labels, g) as lab:
                    self.assertEqual((lab.missing, lab.of(3)), (0, [0]))
            with grl.Graph.load(edges, num_nodes=5) as g:
                self.assertEqual((g.num_nodes, max(g.components()) + 1), (5, 3))

    def test_from_pairs_and_f1(self):
        with grl.Labels.from_pairs(3, 2, [(0, 1), (2, 0), (2, 1), (0, 1)]) as lab:
            self.assertEqual([lab.of(i) for i in range(3)], [[1], [], [0, 1]])
            self.assertIsNone(lab.names)
        with self.assertRaises(grl.GrlError):
            grl.Labels.from_pairs(3, 2, [(3, 0)])
        truth = [[1, 0, 0], [0, 1, 1], [1, 1, 0]]
        pred = [[1, 1, 0], [0, 1, 0], [0, 1, 0]]
        # per label (tp, fp, fn): (1, 0, 1), (2, 1, 0), (0, 0, 1)
        f1 = [2 / 3, 4 / 5, 0.0]
        micro, macro = grl.nodeclf_f1_scores(truth, pred)
        self.assertAlmostEqual(micro, 2 * 3 / (2 * 3 + 1 + 2))
        self.assertAlmostEqual(macro, sum(f1) / 3)
        with self.assertRaises(ValueError):
            grl.nodeclf_f1_scores(truth, pred[:2])

    def test_evaluate_beats_the_majority_class(self):
        g = grl.Graph.load(EMAIL, directed=True)
        emb = grl.fastrp(g, dim=64, propagate="both", seed=1)
        with grl.Labels.load(LABELS, g) as lab:
            res = grl.nodeclf_evaluate(emb, lab, train_fraction=0.5, repeats=2, seed=3)
            self.assertEqual((res["labelled"], res["nlabels"]), (1005, 42))
            self.assertEqual((res["train_size"], res["test_size"]), (503, 502))  # round(502.5) in C
            with open(LABELS) as f:  # the largest department's share
                counts = Counter(line.split()[1] for line in filter(str.strip, f))
            majority = max(counts.values()) / 1005
            self.assertGreater(res["micro_f1"], 4 * majority)
            self.assertLess(res["macro_f1"], res["micro_f1"])
            again = grl.nodeclf_evaluate(plain(emb), lab, train_fraction=0.5, repeats=2,
                                         seed=3)
            self.assertEqual(again, res)
            with self.assertRaises(grl.GrlError):
                grl.nodeclf_evaluate(plain(emb)[:-1], lab)
            with self.assertRaises(grl.GrlError):
                grl.nodeclf_evaluate(emb, lab, train_fraction=1.5)
        with self.assertRaises(TypeError):
            grl.nodeclf_evaluate(emb, LABELS)

    def test_logreg_options_and_the_warning(self):
        g = grl.Graph.load(EMAIL, directed=True)
        emb = grl.fastrp(g, dim=16, propagate="both", seed=1)
        with grl.Labels.load(LABELS, g) as lab:
            base = grl.nodeclf_evaluate(emb, lab, repeats=1)
            self.assertEqual(base["not_converged"], 0)
            free = grl.nodeclf_evaluate(emb, lab, repeats=1, free_intercept=True)
            self.assertNotEqual(free["micro_f1"], base["micro_f1"])
            with self.assertWarns(grl.GrlWarning) as w:
                short = grl.nodeclf_evaluate(emb, lab, repeats=1, max_iter=1)
            self.assertGreater(short["not_converged"], 0)
            self.assertIn("max", str(w.warning))


if __name__ == "__main__":
    unittest.main()
