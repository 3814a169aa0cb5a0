"""Writes engine test fixtures in the format tests/Facemoji.Engine.Tests/Fixtures/FixtureFile.cs reads.

Layout (little-endian): magic b"FMJFIX1\\0", int32 entry count, then for each entry: int32 name length,
UTF-8 name, int32 rank, int32[rank] shape, float64[prod(shape)] values. Values are stored as float64 so
that what PyTorch computed in float32 (or float64) arrives without rounding.
"""
import struct

MAGIC = b"FMJFIX1\0"


def write_fixture(path, entries):
    """entries: dict name -> torch tensor or numpy array (any float dtype)."""
    with open(path, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<i", len(entries)))
        for name, value in entries.items():
            if hasattr(value, "detach"):
                value = value.detach().cpu().double().numpy()
            import numpy as np
            arr = np.ascontiguousarray(np.asarray(value, dtype="<f8"))
            encoded = name.encode("utf-8")
            f.write(struct.pack("<i", len(encoded)))
            f.write(encoded)
            f.write(struct.pack("<i", arr.ndim))
            f.write(struct.pack("<%di" % arr.ndim, *arr.shape))
            f.write(arr.tobytes())
