#!/usr/bin/env python3
"""Write a node-feature file as a Bojchevski / PyG .npz (attr_data,
attr_indices, attr_indptr, attr_shape; CSR, float64 data, int32 indices),
with the standard library only: what numpy.savez / savez_compressed write
(zip members with forced zip64 extra fields, .npy version 1.0), so the tests
need no numpy.

usage: npz_write.py FEATURES OUT.npz [stored|deflated] [dense]
FEATURES: `node feature value` lines (sparse) or dense rows, node ids 0..n-1.
dense: write attr_matrix (float32, 2-D) instead of the CSR members.
"""
import struct
import sys
import zipfile


def npy(descr, shape, payload):
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (descr, dims)
    pad = (64 - (10 + len(header) + 1) % 64) % 64
    header = header + " " * pad + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + payload


def read(path):
    rows = [line.split() for line in open(path) if line.strip() and line[0] not in "#%"]
    if all(len(r) == 3 for r in rows):
        entries = [(int(r[0]), int(r[1]), float(r[2])) for r in rows]
    else:
        entries = [(i, j, float(v)) for i, r in enumerate(rows) for j, v in enumerate(r)
                   if float(v) != 0.0]
    n = max(e[0] for e in entries) + 1
    f = max(e[1] for e in entries) + 1
    return n, f, sorted(entries)


def main():
    src, out = sys.argv[1], sys.argv[2]
    method = zipfile.ZIP_DEFLATED if "deflated" in sys.argv[3:] else zipfile.ZIP_STORED
    n, f, entries = read(src)
    members = {}
    if "dense" in sys.argv[3:]:
        cells = [0.0] * (n * f)
        for i, j, v in entries:
            cells[i * f + j] = v
        members["attr_matrix"] = npy("<f4", (n, f), struct.pack("<%df" % len(cells), *cells))
    else:
        indptr = [0] * (n + 1)
        for i, _, _ in entries:
            indptr[i + 1] += 1
        for i in range(n):
            indptr[i + 1] += indptr[i]
        m = len(entries)
        members["attr_data"] = npy("<f8", (m,), struct.pack("<%dd" % m, *(e[2] for e in entries)))
        members["attr_indices"] = npy("<i4", (m,), struct.pack("<%di" % m, *(e[1] for e in entries)))
        members["attr_indptr"] = npy("<i4", (n + 1,), struct.pack("<%di" % (n + 1), *indptr))
        members["attr_shape"] = npy("<i8", (2,), struct.pack("<2q", n, f))
    with zipfile.ZipFile(out, "w", compression=method) as z:
        for name, data in members.items():
            info = zipfile.ZipInfo(name + ".npy")
            info.compress_type = method
            with z.open(info, "w", force_zip64=True) as w:
                w.write(data)


if __name__ == "__main__":
    main()
