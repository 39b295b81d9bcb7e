"""The evaluators' columns as bytes, kept in the store between reads (issue #16).

Reading 100,000 cases and millions of ratings from SQLite into `CaseColumns` takes seconds; the figures on
them take less than one. The services therefore keep the columns they read, one block of cases at a
time (`evaluation.blocks`, `Store.keep_analysis_blocks`), and reuse each block until a table it was read
from changes for a case of that block (triggers in the store drop the block then).

The format is our own and holds only data: a JSON header (the tree of dataclasses, dicts, lists and value
lists, with each numpy array replaced by its number) followed by the arrays' bytes. No pickle: a database
file someone handed us must never be able to run code. Whole-number arrays are stored in the smallest type
that holds their values and read back as int64, as the figures expect.

Pure: no store, no I/O."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import numpy as np

from .facts import CaseColumns, Categorical, Entries, Inputs

# Change this whenever `CaseColumns`, its parts or `source.columns_of` change what they hold: a snapshot of
# another format is not read (the columns are read from the tables again and kept in this format).
FORMAT = "case-columns-1"

_CLASSES: dict[str, type[Any]] = {c.__name__: c for c in (CaseColumns, Inputs, Entries)}
_WHOLE = (np.int8, np.int16, np.int32, np.int64)
_ALIGN = 8


class SnapshotError(ValueError):
    """The bytes are not a snapshot this code wrote (damaged, or of another format)."""


def encode(cols: CaseColumns, skipped: list[str]) -> bytearray:
    """The columns and the references of the cases left out, as bytes for `decode`. Each array is copied
    once, straight into its place in the result (100,000 cases: some 40 MB), so keeping a snapshot adds
    little to the memory the read itself took."""
    arrays: list[np.ndarray] = []

    def tree(value: Any) -> Any:
        if isinstance(value, np.ndarray):
            arrays.append(value)
            return {"a": len(arrays) - 1}
        if isinstance(value, Categorical):
            return {"c": tree(value.codes), "v": [_plain(v) for v in value.values]}
        if dataclasses.is_dataclass(value) and type(value).__name__ in _CLASSES:
            return {"d": type(value).__name__,
                    "f": {f.name: tree(getattr(value, f.name)) for f in dataclasses.fields(value)}}
        if isinstance(value, dict):
            return {"m": {str(k): tree(v) for k, v in value.items()}}
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return {"s": value}
        raise SnapshotError(f"cannot keep a {type(value).__name__} in a snapshot")

    body = {"format": FORMAT, "columns": tree(cols), "skipped": list(skipped)}
    kinds = [_stored_type(a) for a in arrays]
    places, at = [], 0
    for a, kind in zip(arrays, kinds, strict=True):
        places.append(at)
        at += _padded(len(a) * kind.itemsize)
    offsets = [[kind.str, len(a), place] for a, kind, place in zip(arrays, kinds, places, strict=True)]
    header = json.dumps({**body, "arrays": offsets}, ensure_ascii=False, separators=(",", ":")).encode()
    start = _padded(8 + len(header))
    out = bytearray(start + at)  # zeros: the padding
    out[:8] = len(header).to_bytes(8, "little")
    out[8:8 + len(header)] = header
    for a, kind, place in zip(arrays, kinds, places, strict=True):
        np.copyto(np.frombuffer(out, dtype=kind, count=len(a), offset=start + place), a, casting="unsafe")
    return out


def decode(blob: bytes | bytearray) -> tuple[CaseColumns, list[str]]:
    """The columns and skipped references `encode` wrote; SnapshotError when the bytes are not such a snapshot."""
    try:
        size = int.from_bytes(blob[:8], "little")
        header = json.loads(blob[8:8 + size])
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise SnapshotError("not a snapshot of this format")
        start = _padded(8 + size)
        arrays = []
        for dtype, length, offset in header["arrays"]:
            kind = np.dtype(dtype)
            if kind.kind not in "iub":
                raise SnapshotError(f"unexpected array type {dtype}")
            end = start + offset + length * kind.itemsize
            if end > len(blob):
                raise SnapshotError("the snapshot is cut short")
            a = np.frombuffer(blob, dtype=kind, count=length, offset=start + offset)
            arrays.append(a.astype(np.int64) if kind.kind in "iu" else a.copy())

        def build(node: dict[str, Any]) -> Any:
            if "a" in node:
                return arrays[node["a"]]
            if "c" in node:
                return Categorical(build(node["c"]), [_value(v) for v in node["v"]])
            if "d" in node:
                return _CLASSES[node["d"]](**{k: build(v) for k, v in node["f"].items()})
            if "m" in node:
                return {k: build(v) for k, v in node["m"].items()}
            return list(node["s"])

        cols = build(header["columns"])
        if not isinstance(cols, CaseColumns):
            raise SnapshotError("the snapshot holds no case columns")
        return cols, [str(r) for r in header["skipped"]]
    except SnapshotError:
        raise
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise SnapshotError(f"damaged snapshot: {exc}") from exc


def _padded(n: int) -> int:
    return -(-n // _ALIGN) * _ALIGN


def _stored_type(a: np.ndarray) -> np.dtype[Any]:
    """Whole numbers in the smallest type that holds them all (codes and positions are mostly small)."""
    if a.dtype == bool:
        return a.dtype
    if a.dtype.kind not in "iu":
        raise SnapshotError(f"cannot keep an array of {a.dtype} in a snapshot")
    low, high = (int(a.min()), int(a.max())) if len(a) else (0, 0)
    return np.dtype(next(t for t in _WHOLE if np.iinfo(t).min <= low and high <= np.iinfo(t).max))


# A category value is text, a whole number, True/False, None, or a tuple of these (a rubric's id and version,
# an instrument's status beside the panel's finding, a decision's grounds). JSON has no tuple: a value list
# never holds a list (lists are not hashable), so every list read back is a tuple.
def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    raise SnapshotError(f"cannot keep a category value of type {type(value).__name__}")


def _value(value: Any) -> Any:
    return tuple(_value(v) for v in value) if isinstance(value, list) else value
