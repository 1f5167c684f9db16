"""Hostile arguments: every public function of the shim refuses them with
grl.GrlError, ValueError or TypeError and a message naming the parameter,
never a crash and never a silently wrong answer (ctypes would truncate an
integer to the C type, take any object as a bool and cut a str at a NUL)."""
import math
import os
import pathlib
import tempfile
import unittest

import grl
from grl import PprIndex, linkpred_score, linkpred_topk, ppr, walks
from shimtest import KARATE, NUMPY, karate, plain

if NUMPY:
    import numpy as np


class KarateCase(unittest.TestCase):
    """Tests that share one karate graph, self.g."""

    @classmethod
    def setUpClass(cls):
        cls.g = karate()


class ClosedHandleTest(unittest.TestCase):
    """A closed (or never opened) graph or index raises GrlError everywhere."""

    def assertClosed(self, call, what="graph"):
        with self.assertRaises(grl.GrlError) as err:
            call()
        self.assertIn(f"this {what} is closed", str(err.exception))
        self.assertEqual(err.exception.code, -1000)

    def graph_uses(self, g):
        ix = PprIndex.build(karate(), walks=2)
        return {
            "num_nodes": lambda: g.num_nodes, "num_edges": lambda: g.num_edges,
            "num_arcs": lambda: g.num_arcs, "directed": lambda: g.directed,
            "weighted": lambda: g.weighted, "out_degree": g.out_degree,
            "in_degree": g.in_degree, "partition": lambda: g.partition(2),
            "id_of": lambda: g.id_of(0), "index_of": lambda: g.index_of(1),
            "save": lambda: g.save(os.path.join(tempfile.gettempdir(), "never.grl")),
            "fastrp": lambda: grl.fastrp(g, dim=4), "walks": lambda: walks(g, length=2),
            "ppr": lambda: ppr(g, 1), "powerwalk": lambda: ppr(g, 1, method="powerwalk",
                                                              index=ix),
            "linkpred_score": lambda: linkpred_score(g, [(0, 1)]),
            "linkpred_topk": lambda: linkpred_topk(g, 2),
            "index_build": lambda: PprIndex.build(g, walks=2),
            "with": lambda: g.__enter__(), "ids": lambda: g.ids,
            "summary": g.summary, "components": g.components,
            "partition_evaluate": lambda: g.partition_evaluate([0] * 34, 1),
            "reorder": lambda: g.reorder([0] * 34, 1), "halos": lambda: g.halos([0] * 34, 1),
            "negatives": lambda: grl.linkpred_negatives(g, 2),
            "concentration": lambda: grl.linkpred_concentration(g),
            "edge_split": lambda: grl.edge_split(g),
            "labels": lambda: grl.Labels.load(KARATE, g),
        }

    def test_closed_graph(self):  # the example: g.close(); g.num_nodes
        g = karate()
        self.assertFalse(g.closed)
        g.close()
        self.assertTrue(g.closed)
        g.close()  # idempotent
        for name, use in self.graph_uses(g).items():
            with self.subTest(name):
                self.assertClosed(use)

    def test_never_opened_graph(self):
        with self.assertRaises(TypeError):
            grl.Graph(12345)  # a made-up handle is never wrapped
        g = grl.Graph.__new__(grl.Graph)  # as after a constructor that failed
        self.assertTrue(g.closed)
        for name, use in self.graph_uses(g).items():
            with self.subTest(name):
                self.assertClosed(use)
        g.close()
        del g  # __del__ of a half-made object is quiet

    def test_with_closes(self):
        with karate() as g:
            self.assertEqual(g.num_nodes, 34)
        self.assertClosed(lambda: g.num_nodes)

    def test_closed_index(self):
        g = karate()
        with PprIndex.build(g, walks=2) as ix:
            self.assertFalse(ix.closed)
        self.assertTrue(ix.closed)
        ix.close()
        path = os.path.join(tempfile.gettempdir(), "never.idx")
        self.assertClosed(lambda: ix.save(path), "PPR index")
        self.assertFalse(os.path.exists(path))
        self.assertClosed(lambda: ppr(g, 1, method="powerwalk", index=ix), "PPR index")
        self.assertClosed(lambda: ppr(g, 1, method="mc", index=ix), "PPR index")
        self.assertClosed(ix.info, "PPR index")
        never = PprIndex.__new__(PprIndex)
        self.assertClosed(lambda: never.save(path), "PPR index")
        with self.assertRaises(TypeError):
            PprIndex(12345)


class IntegerTest(KarateCase):
    def assertRefused(self, error, call, *fragments):
        with self.assertRaises(error) as err:
            call()
        self.assertIsInstance(err.exception, grl.GrlError)
        for fragment in fragments:
            self.assertIn(fragment, str(err.exception))

    def test_beyond_the_c_type(self):
        g = self.g
        # the example: ctypes made dim=2**64+8 an 8-column embedding
        self.assertRefused(ValueError, lambda: grl.fastrp(g, dim=2**64 + 8), "dim",
                           str(2**64 + 8))
        self.assertRefused(ValueError, lambda: g.partition(2**64 + 2), "k")
        self.assertRefused(ValueError, lambda: g.id_of(2**64), "node index")
        self.assertRefused(ValueError, lambda: linkpred_score(g, [(2**64, 1)]),
                           "pairs[0][0]")
        self.assertRefused(ValueError, lambda: linkpred_score(g, [(0, -2**63 - 1)]),
                           "pairs[0][1]")
        self.assertRefused(ValueError, lambda: linkpred_topk(g, 2, nodes=[0, 2**63]),
                           "nodes[1]")
        self.assertRefused(ValueError, lambda: linkpred_score(
            g, [(0, 1)], method="katz", katz_length=2**32 + 3), "katz_length", "int32")
        self.assertRefused(ValueError, lambda: ppr(g, 1, method="powerwalk", rounds=2**31),
                           "rounds")
        for seed in (-1, 2**64):
            self.assertRefused(ValueError, lambda: grl.fastrp(g, dim=4, seed=seed), "seed",
                               "uint64")
            self.assertRefused(ValueError, lambda: walks(g, seed=seed), "seed")
        self.assertEqual(len(walks(g, length=2, walks_per_node=1, seed=2**64 - 1)), 34)

    def test_negative_or_zero_counts(self):
        g = self.g
        for call, name in [(lambda: grl.fastrp(g, dim=-1), "dim"),
                           (lambda: walks(g, length=0), "length"),
                           (lambda: walks(g, walks_per_node=-3), "walks_per_node"),
                           (lambda: linkpred_topk(g, 0), "k"),
                           (lambda: ppr(g, 1, top=0), "top"),
                           (lambda: ppr(g, 1, method="mc", mc_walks=-5), "mc_walks"),
                           (lambda: ppr(g, 1, method="powerwalk", rounds=-1), "rounds"),
                           (lambda: PprIndex.build(g, walks=0), "walks"),
                           (lambda: g.partition(0), "k")]:
            with self.subTest(name):
                self.assertRefused(ValueError, call, name)

    def test_not_integers(self):
        g = self.g
        for value in (4.0, True, "8", None, 4 + 0j):
            with self.subTest(value=value):
                self.assertRefused(TypeError, lambda: grl.fastrp(g, dim=value), "dim",
                                   "integer")
        self.assertRefused(TypeError, lambda: g.id_of(True), "node index")
        self.assertRefused(TypeError, lambda: g.partition(2.5), "k")
        self.assertRefused(TypeError, lambda: linkpred_topk(g, 2.0), "k")
        self.assertRefused(TypeError, lambda: linkpred_score(g, [(0.5, 1)]), "pairs[0][0]")
        self.assertRefused(TypeError, lambda: linkpred_score(g, [("0", 1)]), "pairs[0][0]")
        self.assertRefused(TypeError, lambda: walks(g, seed=1.5), "seed")
        self.assertRefused(TypeError, lambda: ppr(g, 1, top=10.0), "top")

    def test_sizes_that_overflow(self):
        g = self.g
        # the issue's `grl walk --length 2305843009213693952` crashed: the
        # product of starts, walks and length wraps a 64-bit size
        self.assertRefused(ValueError, lambda: walks(g, length=2**61, walks_per_node=1),
                           "length", "too large")
        self.assertRefused(ValueError, lambda: walks(g, length=3, walks_per_node=2**62),
                           "too large")
        self.assertRefused(ValueError, lambda: PprIndex.build(g, walks=2**62), "too large")
        self.assertRefused(ValueError, lambda: ppr(g, 1, top=2**62), "too large")
        self.assertRefused(ValueError, lambda: linkpred_topk(g, 2**59), "too large")
        self.assertRefused(ValueError, lambda: grl.fastrp(g, dim=2**62), "too large")
        with self.assertRaises(grl.GrlError) as err:  # representable, not allocatable
            linkpred_topk(g, 2**50)
        self.assertIn("out of memory", str(err.exception))


class RealTest(KarateCase):
    def test_nan_inf_and_huge(self):
        g = self.g
        calls = {
            "beta": lambda x: grl.fastrp(g, dim=4, beta=x),
            "weights[1]": lambda x: grl.fastrp(g, dim=4, weights=[0, x]),
            "sparsity": lambda x: grl.fastrp(g, dim=4, sparsity=x),
            "self_influence": lambda x: grl.fastrp(g, dim=4, self_influence=x),
            "p": lambda x: walks(g, length=2, p=x), "q": lambda x: walks(g, length=2, q=x),
            "restart": lambda x: walks(g, length=2, restart=x),
            "srrw_alpha": lambda x: walks(g, length=2, srrw_alpha=x),
            "alpha": lambda x: ppr(g, 1, alpha=x), "tol": lambda x: ppr(g, 1, tol=x),
            "r_max": lambda x: ppr(g, 1, method="push", r_max=x),
            "drop": lambda x: ppr(g, 1, method="powerwalk", drop=x),
            "epsilon": lambda x: ppr(g, 1, method="fora", epsilon=x),
            "delta": lambda x: ppr(g, 1, method="fora", delta=x),
            "failure": lambda x: ppr(g, 1, method="fora", failure=x),
            "alpha ": lambda x: PprIndex.build(g, walks=2, alpha=x),
            "alpha  ": lambda x: linkpred_score(g, [(0, 1)], weighted=True, alpha=x),
            "epsilon ": lambda x: linkpred_score(g, [(0, 1)], method="lp", epsilon=x),
            "beta ": lambda x: linkpred_score(g, [(0, 1)], method="katz", beta=x),
        }
        for name, call in calls.items():
            for value in (math.nan, math.inf, -math.inf, 10**400):
                with self.subTest(name, value=value):
                    with self.assertRaises(ValueError) as err:
                        call(value)
                    self.assertIn(f"{name.strip()} must be a finite number",
                                  str(err.exception))
            with self.subTest(name, value="0.5"):
                with self.assertRaises(TypeError):
                    call("0.5")
            with self.subTest(name, value=True):
                with self.assertRaises(TypeError):
                    call(True)


class NonFiniteResultTest(KarateCase):
    """No NaN or Inf comes back as a result (the issue's `fastrp --beta 31`)."""

    def test_overflowing_options(self):
        g = self.g
        # beta 31 is now computed in double and finite; 40 overflows float32
        cases = ((lambda: grl.fastrp(g, dim=8, beta=40), "beta"),
                 (lambda: grl.fastrp(g, dim=8, weights=[1e300, 1e300]), "weights"),
                 (lambda: linkpred_score(g, [(0, 1)], method="katz", beta=1e300,
                                         katz_length=8), "beta"),
                 (lambda: linkpred_topk(g, 2, method="katz", beta=1e300,
                                        katz_length=8), "beta"))
        for call, option in cases:
            with self.assertRaises(grl.GrlError) as err:  # the library's or the shim's
                call()
            self.assertIn(option, str(err.exception))

    def test_large_beta_is_finite(self):
        import math
        emb = grl.fastrp(self.g, dim=8, beta=31)
        rows = emb.tolist() if hasattr(emb, "tolist") else [emb[i] for i in range(len(emb))]
        self.assertTrue(all(math.isfinite(x) for row in rows for x in row))


class NameTest(unittest.TestCase):
    """Unknown names raise ValueError with the library's list of names
    (grl_<enum>_parse, the CLI's too); names are case-insensitive; a name
    that is not a str is a TypeError."""

    def test_unknown_names(self):
        g = karate()
        cases = [
            (lambda v: grl.Graph.load(KARATE, format=v),
             "format: unknown graph format 'nonesuch' (expected auto, edgelist, csv, mtx"),
            (lambda v: g.save("x.txt", format=v), "grl, graphml, gml, pajek or snap)"),
            (lambda v: grl.Graph.load(KARATE, ids=v), "(expected integer or string)"),
            (lambda v: grl.Graph.load(KARATE, self_loops=v), "(expected keep or drop)"),
            (lambda v: grl.Graph.load(KARATE, duplicates=v), "(expected merge or sum)"),
            (lambda v: grl.fastrp(g, dim=4, propagate=v), "(expected out, in or both)"),
            (lambda v: linkpred_score(g, [(0, 1)], method=v),
             "method: unknown link predictor 'nonesuch' (expected cn, jaccard,"),
            (lambda v: linkpred_score(g, [(0, 1)], pattern=v),
             "(expected successors, predecessors, path or reverse-path)"),
            (lambda v: ppr(g, 1, method=v), "(expected exact, push, mc, powerwalk, fora, powerpush or speedppr)"),
            (lambda v: ppr(g, 1, dangling=v), "(expected source or uniform)"),
        ]
        for call, listed in cases:
            with self.subTest(listed):
                with self.assertRaises(ValueError) as err:
                    call("nonesuch")
                self.assertIsInstance(err.exception, grl.GrlError)
                self.assertIn(listed, str(err.exception))
            for value in (["out"], 0, True):
                with self.subTest(listed, value=value):
                    with self.assertRaises(TypeError):
                        call(value)

    def test_names_are_case_insensitive(self):
        g = karate()
        self.assertEqual(plain(linkpred_score(g, [(0, 1)], method="RA")),
                         plain(linkpred_score(g, [(0, 1)], method="ra")))
        self.assertEqual(grl.Graph.load(KARATE, format="EdgeList").num_nodes, 34)
        self.assertEqual(grl.LINKPRED_METHODS[:3], ("cn", "jaccard", "salton"))

    def test_flags_must_be_bools(self):
        g = karate()
        for call, name in [(lambda v: grl.Graph.load(KARATE, directed=v), "directed"),
                           (lambda v: grl.Graph.load(KARATE, ignore_weights=v),
                            "ignore_weights"),
                           (lambda v: grl.fastrp(g, dim=4, normalize=v), "normalize"),
                           (lambda v: grl.fastrp(g, dim=4, standardize=v), "standardize"),
                           (lambda v: walks(g, length=2, weighted=v), "weighted"),
                           (lambda v: linkpred_score(g, [(0, 1)], weighted=v), "weighted"),
                           (lambda v: g.out_degree(weighted=v), "weighted"),
                           (lambda v: g.partition(2, info=v), "info")]:
            for value in ("no", 1, None):  # "no" is truthy: silently wrong before
                if value is None and name == "directed":
                    continue  # None: the format's default
                with self.subTest(name, value=value):
                    with self.assertRaises(TypeError) as err:
                        call(value)
                    self.assertIn(f"{name} must be True or False", str(err.exception))


class SequenceTest(KarateCase):
    def test_pairs_of_the_wrong_shape(self):
        g = self.g
        for pairs, error, fragment in [([(0, 1, 2)], ValueError, "pairs[0] must be a pair"),
                                       ([(0,)], ValueError, "pairs[0] must be a pair"),
                                       ([0, 1], TypeError, "pairs[0] must be a sequence"),
                                       ("01", TypeError, "pairs must be a sequence"),
                                       (None, TypeError, "pairs must be a sequence"),
                                       (5, TypeError, "pairs must be a sequence"),
                                       ([(0, 1), "ab"], TypeError, "pairs[1]")]:
            with self.subTest(pairs=pairs):
                with self.assertRaises(error) as err:
                    linkpred_score(g, pairs)
                self.assertIn(fragment, str(err.exception))

    def test_ids_out_of_range_are_the_librarys_errors(self):
        g = self.g
        with self.assertRaises(grl.GrlError) as err:
            linkpred_score(g, [(0, -1)])
        self.assertIn("outside 0..33", str(err.exception))
        with self.assertRaises(grl.GrlError) as err:
            linkpred_topk(g, 2, nodes=[0, 34])
        self.assertIn("outside 0..33", str(err.exception))
        with self.assertRaises(IndexError):  # as it always was, now a ValueError too
            g.id_of(34)
        with self.assertRaises(ValueError):
            g.id_of(-1)

    def test_node_ids(self):
        g = self.g
        for value, error in [(1.0, TypeError), (None, TypeError), (b"1", TypeError),
                             (True, TypeError), ("1\0junk", ValueError)]:
            with self.subTest(value=value):
                with self.assertRaises(error) as err:
                    g.index_of(value)
                self.assertIn("node id", str(err.exception))
        with self.assertRaises(TypeError) as err:
            walks(g, starts=[1, True])
        self.assertIn("starts[1]", str(err.exception))
        with self.assertRaises(TypeError) as err:
            walks(g, starts="1")
        self.assertIn("starts must be a sequence", str(err.exception))
        with self.assertRaises(TypeError):
            ppr(g, 1.5)
        with self.assertRaises(TypeError) as err:
            ppr(g, [1, None])
        self.assertIn("sources[1]", str(err.exception))
        with self.assertRaises(grl.GrlError):
            walks(g, starts=[99])
        with self.assertRaises(TypeError):
            grl.fastrp(g, dim=4, weights="abc")
        with self.assertRaises(ValueError):
            grl.fastrp(g, dim=4, weights=[])
        with self.assertRaises(ValueError):
            grl.fastrp(g, dim=4, weights=[1.0] * 17)

    def test_wrong_objects(self):
        g = self.g
        for call in (lambda: grl.fastrp("karate"), lambda: walks(None),
                     lambda: linkpred_score(KARATE, [(0, 1)]), lambda: ppr(object(), 1),
                     lambda: PprIndex.build(g.num_nodes),
                     lambda: ppr(g, 1, method="powerwalk", index="x.idx")):
            with self.assertRaises(TypeError):
                call()

    def test_empty_inputs(self):
        g = self.g
        self.assertEqual(len(linkpred_score(g, [])), 0)
        cand, scores = linkpred_topk(g, 3, nodes=[])
        self.assertEqual((len(cand), len(scores)), (0, 0))
        self.assertEqual(plain(walks(g, length=2, starts=[])), [])
        self.assertEqual(ppr(g, [], top=3), [])
        self.assertEqual(plain(grl.linkpred_negatives(g, 0)), [])

    def test_long_and_non_utf8_ids_round_trip(self):
        # ids longer than the 256-byte buffer came back cut, two ids the same
        a, b = "n" * 300 + "A", "n" * 300 + "B"
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "ids.txt")
            with open(path, "wb") as f:
                f.write(f"{a} {b}\n{b} x\n".encode() + b"caf\xe9 x\n")
            g = grl.Graph.load(path, ids="string")
        self.assertEqual(g.id_kind, "string")
        ids = [g.id_of(i) for i in range(g.num_nodes)]
        self.assertEqual(sorted(ids), sorted([a, b, "x", "caf\udce9"]))
        self.assertEqual([g.index_of(i) for i in ids], list(range(4)))
        self.assertEqual(list(g.ids), ids)
        ia, ib = g.index_of(a), g.index_of(b)
        self.assertEqual(plain(walks(g, length=2, walks_per_node=1, starts=[ia])), [[ia, ib]])
        self.assertEqual(set(plain(ppr(g, ib, top=4)[0])), set(range(4)))


class PathTest(unittest.TestCase):
    def test_paths(self):
        g = karate()
        for value, error, fragment in [(None, TypeError, "path must be a path"),
                                       (3, TypeError, "path must be a path"),
                                       ("", ValueError, "must not be empty"),
                                       (KARATE + "\0.grl", ValueError, "NUL")]:
            with self.subTest(value=value):
                for call in (grl.Graph.load, g.save, PprIndex.load):
                    with self.assertRaises(error) as err:
                        call(value)
                    self.assertIn(fragment, str(err.exception))
        for call in (grl.Graph.load, PprIndex.load):
            with self.assertRaises(grl.GrlError) as err:
                call("/no/such/file.grl")
            self.assertIn("No such file", str(err.exception))
        with self.assertRaises(grl.GrlError) as err:
            g.save("/no/such/dir/k.grl")
        self.assertIn("/no/such/dir/k.grl", str(err.exception))
        with self.assertRaises(grl.GrlError) as err:
            grl.Graph.load(os.path.dirname(KARATE))
        self.assertIn("directory", str(err.exception))
        self.assertEqual(grl.Graph.load(pathlib.Path(KARATE)).num_nodes, 34)


@unittest.skipUnless(NUMPY, "numpy is blocked")
class NumpyTest(KarateCase):
    def test_dtypes(self):
        g = self.g
        for dtype in (np.float64, np.float32, np.bool_, np.complex64):
            with self.subTest(dtype=dtype):
                with self.assertRaises(TypeError) as err:
                    linkpred_score(g, np.zeros((2, 2), dtype=dtype))
                self.assertIn("pairs must hold integers", str(err.exception))
                with self.assertRaises(TypeError):
                    linkpred_topk(g, 2, nodes=np.zeros(2, dtype=dtype))
        with self.assertRaises(ValueError) as err:
            linkpred_score(g, np.array([[2**64 - 1, 1]], dtype=np.uint64))
        self.assertIn("beyond int64", str(err.exception))
        for shape in ((2,), (2, 3), (1, 2, 2)):
            with self.assertRaises(ValueError):
                linkpred_score(g, np.zeros(shape, dtype=np.int64))
        with self.assertRaises(ValueError):
            linkpred_topk(g, 2, nodes=np.zeros((1, 1), dtype=np.int64))

    def test_layouts_give_the_lists_answer(self):
        g = self.g
        want = list(linkpred_score(g, [(0, 33), (5, 7)]))
        base = np.array([[0, 1, 5], [33, 6, 7]])
        for pairs in (base[:, ::2].T,  # strided, not contiguous
                      np.asfortranarray([[0, 33], [5, 7]]),
                      np.array([[0, 33], [5, 7]], dtype=np.uint8),
                      np.array([[0, 33], [5, 7]], dtype=object)):
            self.assertEqual(list(linkpred_score(g, pairs)), want)
        self.assertEqual(len(linkpred_score(g, np.zeros((0, 2), dtype=np.int32))), 0)
        ro = np.array([33, 0])
        ro.setflags(write=False)
        cand, _ = linkpred_topk(g, 2, nodes=ro)
        self.assertEqual(cand.tolist(), linkpred_topk(g, 2, nodes=[33, 0])[0].tolist())

    def test_numpy_scalars(self):
        g = self.g
        emb = grl.fastrp(g, dim=np.int64(4), weights=np.array([0.0, 1.0]),
                         beta=np.float32(-0.5), normalize=np.True_, seed=np.uint64(3))
        self.assertEqual(emb.shape, (34, 4))
        self.assertEqual(g.index_of(np.int64(1)), g.index_of(1))
        self.assertEqual(ppr(g, np.int64(1), top=2)[0][0], 1)
        with self.assertRaises(ValueError):
            grl.fastrp(g, dim=4, beta=np.float64("nan"))
        with self.assertRaises(TypeError):
            grl.fastrp(g, dim=np.float64(4))


class ErrorClassesTest(unittest.TestCase):
    def test_one_family(self):
        self.assertTrue(issubclass(grl.GrlValueError, grl.GrlError))
        self.assertTrue(issubclass(grl.GrlValueError, ValueError))
        self.assertTrue(issubclass(grl.GrlTypeError, grl.GrlError))
        self.assertTrue(issubclass(grl.GrlTypeError, TypeError))
        with self.assertRaises(grl.GrlError) as err:
            grl.fastrp(karate(), dim=2**64)
        self.assertEqual(err.exception.code, -1000)
        self.assertEqual(type(err.exception).__module__, "grl")


if __name__ == "__main__":
    unittest.main()
