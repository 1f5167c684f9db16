"""Run the shim's tests as if numpy were not installed (ctest's
python_shim_plain): `import numpy` fails, so every result is a list."""
import os
import sys
import unittest

sys.modules["numpy"] = None  # makes `import numpy` raise ImportError
os.environ["GRL_TEST_EXPECT_NUMPY"] = "no"
here = os.path.dirname(os.path.abspath(__file__))
suite = unittest.defaultTestLoader.discover(here)
sys.exit(not unittest.TextTestRunner(verbosity=2).run(suite).wasSuccessful())
