"""Run the shim's tests as if numpy were not installed (ctest's
python_shim_plain): `import numpy` fails, so every result is a list.
grl.gnn's tests are left out: grl.gnn reads its inputs from files and
builds its results as lists with or without numpy (it never calls
grl._results), so the python_shim_gnn and python_shim_fixed_point runs
already cover this path and a second run would only repeat the training."""
import os
import sys
import unittest

NUMPY_FREE = {"test_gnn", "test_fixed_point"}  # modules testing grl.gnn only

sys.modules["numpy"] = None  # makes `import numpy` raise ImportError
os.environ["GRL_TEST_EXPECT_NUMPY"] = "no"
here = os.path.dirname(os.path.abspath(__file__))
suite = unittest.TestSuite(
    unittest.defaultTestLoader.discover(here, pattern=name)
    for name in sorted(os.listdir(here))
    if name.startswith("test_") and name.endswith(".py") and name[:-3] not in NUMPY_FREE)
sys.exit(not unittest.TextTestRunner(verbosity=2).run(suite).wasSuccessful())
