"""What the shim's tests share: the data directory, and results as plain
lists whichever form (numpy or lists) the shim returned them in."""
import os

import grl
from grl import _results

DATA = os.environ.get("GRL_DATA_DIR",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
KARATE = os.path.join(DATA, "karate", "edges.txt")
EMAIL = os.path.join(DATA, "email-eu-core", "email-Eu-core.txt")
NUMPY = _results.np is not None  # the form results come in


def data(rel):
    return os.path.join(DATA, rel)


def karate():
    return grl.Graph.load(KARATE)


def plain(x):
    """x (a numpy array or the shim's lists, nested or not) as lists."""
    if hasattr(x, "tolist"):
        return x.tolist()
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    return x


def edges(path, directed=False):
    """The arcs of an edge-list file as a set of (u, v) file ids (str),
    both directions unless directed, self-loops kept."""
    arcs = set()
    with open(path) as f:
        for line in f:
            if line.strip() and not line.startswith(("#", "%")):
                u, v = line.split()[:2]
                arcs.add((u, v))
                if not directed:
                    arcs.add((v, u))
    return arcs
