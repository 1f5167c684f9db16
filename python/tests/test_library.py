"""The library the shim loads: its version, the ABI check that refuses a
library whose structs differ from the shim's, and the form results take
(numpy arrays, or lists when numpy cannot be imported)."""
import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import grl
from grl import _abi, _lib
from shimtest import NUMPY, karate

PACKAGE = os.path.dirname(grl.__file__)
SOURCE = os.path.join(PACKAGE, "..", "..")
LIB = os.path.abspath(_lib.path)


def cmake_version():
    with open(os.path.join(SOURCE, "CMakeLists.txt")) as f:
        return re.search(r"project\(grl VERSION (\d+\.\d+\.\d+)", f.read()).group(1)


class VersionTest(unittest.TestCase):
    def test_version_is_cmakes(self):
        self.assertEqual(grl.__version__, cmake_version())


def import_copy(patch=None, libpath=None, env=None):
    """Run `import grl` on a copy of the package (patch(text of _types.py)
    applied, _libpath.py written if given) in a subprocess: (status, stderr)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "grl")
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
        if patch:
            types = os.path.join(copy, "_types.py")
            with open(types) as f:
                text = f.read()
            patched = patch(text)
            assert patched != text, "the patch no longer applies to _types.py"
            with open(types, "w") as f:
                f.write(patched)
        if libpath:
            with open(os.path.join(copy, "_libpath.py"), "w") as f:
                f.write(libpath)
        run_env = dict(os.environ, PYTHONPATH=tmp, GRL_LIBRARY=LIB)
        run_env.update(env or {})
        run_env = {k: v for k, v in run_env.items() if v is not None}
        p = subprocess.run([sys.executable, "-c", "import grl"], cwd=tmp, env=run_env,
                           capture_output=True, text=True)
        return p.returncode, p.stderr


class AbiTest(unittest.TestCase):
    def assertRefused(self, result, *fragments):
        status, stderr = result
        self.assertNotEqual(status, 0)
        for fragment in fragments:
            self.assertIn(fragment, stderr)

    def test_unchanged_copy_imports(self):
        self.assertEqual(import_copy(), (0, ""))

    def test_a_field_of_another_size_is_refused(self):
        old = '_fields_ = [("seed", _u64), ("imbalance", _f64)]'
        self.assertRefused(
            import_copy(lambda t: t.replace(old, old.replace("_u64", "ctypes.c_uint32"))),
            f"grl.GrlError: the grl library at {LIB} has a different ABI: "
            "grl_partition_options.seed is at byte 0 (8 bytes) there, 0 (4 bytes) here; "
            "reinstall the library and this Python package together (make install)")

    def test_a_missing_field_is_refused(self):
        # the shim's grl_ppr_index_options without its last field
        fields = grl._types.grl_ppr_index_options._fields_[:-1]
        short = type("grl_ppr_index_options", (ctypes.Structure,), {"_fields_": fields})
        there, here = ctypes.sizeof(grl._types.grl_ppr_index_options), ctypes.sizeof(short)
        drop = ('\nSTRUCTS = [type(s.__name__, (ctypes.Structure,), {"_fields_": '
                's._fields_[:-1]}) if s is grl_ppr_index_options else s for s in STRUCTS]\n')
        self.assertRefused(
            import_copy(lambda t: t + drop),
            f"has a different ABI: grl_ppr_index_options is {there} bytes there, {here} here")

    def test_a_constant_is_checked(self):
        self.assertRefused(import_copy(lambda t: t.replace('"GRL_IN": 1', '"GRL_IN": 2')),
                           "GRL_IN is 1 there, 2 here")

    def test_in_process_messages(self):
        class grl_dense(ctypes.Structure):
            _fields_ = [("cols", ctypes.c_int64), ("rows", ctypes.c_int64),
                        ("data", ctypes.c_void_p), ("extra", ctypes.c_int)]

        class grl_nonesuch(ctypes.Structure):
            _fields_ = [("x", ctypes.c_int)]
        with self.assertRaises(grl.GrlError) as err:
            _abi.check(_lib.lib, "LIB", [grl_dense, grl_nonesuch], {"GRL_NOPE": 1})
        text = str(err.exception)
        self.assertIn("the grl library at LIB has a different ABI: grl_dense is 24 bytes "
                      "there, 32 here; grl_dense.cols is at byte 8 (8 bytes) there, 0 "
                      "(8 bytes) here; grl_dense.rows is at byte 0 (8 bytes) there, 8 (8 "
                      "bytes) here (and 3 more)", text)
        self.assertEqual(err.exception.code, -1005)

    def test_a_library_without_the_check(self):
        libm = ctypes.util.find_library("m")
        self.assertRefused(import_copy(env={"GRL_LIBRARY": libm}),
                           f"the grl library at {libm} has a different ABI: it has no "
                           "grl_abi_layout")
        self.assertRefused(import_copy(env={"GRL_LIBRARY": "/no/such/libgrl.so"}),
                           "ImportError: GRL_LIBRARY=/no/such/libgrl.so does not load")

    def test_installed_version_must_match(self):
        lib = LIB
        ok = f"LIBRARY = {lib!r}\nVERSION = {grl.__version__!r}\n"
        self.assertEqual(import_copy(libpath=ok, env={"GRL_LIBRARY": None}), (0, ""))
        other = f"LIBRARY = {lib!r}\nVERSION = '0.0.9'\n"
        self.assertRefused(import_copy(libpath=other, env={"GRL_LIBRARY": None}),
                           f"the grl library at {lib} is version {grl.__version__}, this "
                           "Python package 0.0.9")


class FormTest(unittest.TestCase):
    """Results are numpy arrays when numpy is importable, lists otherwise;
    ctest runs the suite both ways (GRL_TEST_EXPECT_NUMPY says which)."""

    def test_the_expected_form(self):
        expected = os.environ.get("GRL_TEST_EXPECT_NUMPY")
        if expected is not None:
            self.assertEqual(NUMPY, expected == "yes")
        g = karate()
        results = [grl.walks(g, length=3, walks_per_node=1), g.out_degree(), g.components(),
                   grl.fastrp(g, dim=4), grl.ppr(g, 0, top=3)[0],
                   grl.linkpred_topk(g, 2)[0], grl.linkpred_negatives(g, 2)]
        if NUMPY:
            import numpy as np
            for r in results:
                self.assertIsInstance(r, np.ndarray)
        else:
            for r in results:
                self.assertIsInstance(r, list)
            self.assertIsInstance(results[0][0], list)
            self.assertIsInstance(results[0][0][0], int)
            self.assertIsInstance(results[3][0][0], float)


if __name__ == "__main__":
    unittest.main()
