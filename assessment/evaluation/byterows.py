"""Rows of a large table written as bytes by numpy, without a Python step per row or per cell.

Each column is given as a table of its distinct cells' bytes (one row of the table per value, padded with NUL
to the longest) and one code per row of the output. For a slice of rows the cells are gathered side by side
into one byte matrix with the separators between them; dropping every NUL then leaves, in row-major order,
exactly the rows one after another. That is why no cell may hold a NUL (`cell_table` refuses one). The CSV
and XLSX exports write their 400,000 rows this way: joining Python strings per row took about 0.8 s of the
3 s an export may take. `chunks` makes them on two threads while the caller writes (and, for XLSX,
compresses) the chunk before: numpy and zlib let go of Python's lock while they work, so two cores both help."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np


def cell_table(cells: Sequence[bytes]) -> np.ndarray:
    """The cells as the rows of a byte matrix padded with NUL (a cell holding a NUL raises ValueError)."""
    if b"\0" in b"".join(cells):
        raise ValueError("a cell holds a NUL byte")
    width = max(map(len, cells), default=0)
    if width == 0:
        return np.zeros((len(cells), 0), dtype=np.uint8)
    return np.array(cells, dtype=f"S{width}").view(np.uint8).reshape(len(cells), width)


def joined_rows(
    columns: Sequence[tuple[np.ndarray, np.ndarray]], rows: slice, start: bytes, sep: bytes, end: bytes
) -> bytes:
    """The rows `rows` of the columns (each a `cell_table` and the code of every row into it), each row as
    `start`, the cells with `sep` between them, and `end`."""
    picked = [(table, codes[rows]) for table, codes in columns]
    n = len(picked[0][1]) if picked else 0
    pieces: list[np.ndarray | tuple[np.ndarray, np.ndarray]] = []
    for i, column in enumerate(picked):
        pieces += [np.frombuffer(start if i == 0 else sep, dtype=np.uint8), column]
    pieces.append(np.frombuffer(end, dtype=np.uint8))
    widths = [p.shape[0] if isinstance(p, np.ndarray) else p[0].shape[1] for p in pieces]
    matrix = np.empty((n, sum(widths)), dtype=np.uint8)
    offset = 0
    for piece, width in zip(pieces, widths, strict=True):
        if width == 0:
            continue
        if isinstance(piece, np.ndarray):
            matrix[:, offset:offset + width] = piece
        else:
            # Each cell gathered as one opaque value of `width` bytes, not byte by byte (a third faster).
            table, codes = piece
            cells = np.ascontiguousarray(table).view(f"V{width}").reshape(-1)
            matrix[:, offset:offset + width] = cells[codes].view(np.uint8).reshape(n, width)
        offset += width
    out: bytes = matrix[matrix != 0].tobytes()
    return out


def chunks(
    columns: Sequence[tuple[np.ndarray, np.ndarray]], size: int, start: bytes, sep: bytes, end: bytes
) -> Iterator[bytes]:
    """All rows of the columns as `joined_rows` makes them, `size` rows a chunk, in order. Each chunk is made
    on one of two threads while the caller writes the one before; at most three are held at a time."""
    n = len(columns[0][1]) if columns else 0
    with ThreadPoolExecutor(2) as pool:
        ahead: deque[Future[bytes]] = deque()
        for first in range(0, n, size):
            ahead.append(pool.submit(joined_rows, columns, slice(first, first + size), start, sep, end))
            if len(ahead) > 2:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()
