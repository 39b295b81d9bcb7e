"""The evaluators' columns cut into one part per block of cases, and parts joined back (issue #16).

The services keep the columns in the store per block (the cases received in the same ten days or so:
`assessment.store.BLOCK`, `Tx.analysis_blocks`, `Store.keep_analysis_blocks`): a change to a case drops only its block, so after a save only that block
is read from the tables again and joined to the blocks kept, instead of 100,000 cases and millions of
ratings. Cases are read in order of receipt, so each block's cases are one run of rows; their inputs and
ratings are gathered by sorting them by case (stable), so that each block's are one run too.

Joined parts hold the same cases, in the same order, with the same inputs, ratings, views and findings as
one read of all the blocks. Two things may differ and mean nothing: the order of a case's inputs and
entries (they are put in case order, each case's in the order read), and values in a column's value list
that no row uses (a list is the union of the parts' lists, in order of first appearance).

Pure: no store, no I/O."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from .facts import CaseColumns, Categorical, Entries, Inputs


def split(cols: CaseColumns, blocks: Sequence[str]) -> dict[str, CaseColumns]:
    """The columns of each block, for `blocks[i]` the block of case row `i` (non-decreasing: cases in
    order of receipt); ValueError when the blocks are not in order or not one per case."""
    if len(blocks) != len(cols):
        raise ValueError(f"{len(blocks)} blocks for {len(cols)} cases")
    if any(a > b for a, b in itertools.pairwise(blocks)):
        raise ValueError("the cases are not in order of receipt")
    starts = [i for i in range(len(blocks)) if i == 0 or blocks[i] != blocks[i - 1]]
    bounds = np.array([*starts, len(blocks)], dtype=np.int64)

    inputs = _inputs_by_case(cols.inputs)
    input_bounds = np.searchsorted(inputs.case, bounds)
    indicator_bounds = np.searchsorted(inputs.indicators.input, input_bounds)
    dimension_bounds = np.searchsorted(inputs.dimensions.input, input_bounds)
    findings = _entries_by_row(cols.findings)
    finding_bounds = np.searchsorted(findings.input, bounds)

    out: dict[str, CaseColumns] = {}
    for j, start in enumerate(starts):
        a, b = int(bounds[j]), int(bounds[j + 1])
        ia, ib = int(input_bounds[j]), int(input_bounds[j + 1])
        out[blocks[start]] = cols.at(
            slice(a, b), cols.keys[a:b],
            Inputs(
                case=inputs.case[ia:ib] - a,
                discipline=inputs.discipline.take(slice(ia, ib)),
                overall=inputs.overall.take(slice(ia, ib)),
                indicators=_entries_slice(inputs.indicators, indicator_bounds[j], indicator_bounds[j + 1], ia),
                dimensions=_entries_slice(inputs.dimensions, dimension_bounds[j], dimension_bounds[j + 1], ia),
            ),
            _entries_slice(findings, finding_bounds[j], finding_bounds[j + 1], a),
        )
    return out


def join(parts: Sequence[CaseColumns]) -> CaseColumns:
    """The parts one after the other, as one set of columns (`split` undone); ValueError when the parts do
    not hold the same columns (they come from different versions of the code)."""
    if not parts:
        raise ValueError("no parts to join")
    first = parts[0]
    for p in parts:
        if (list(p.dates), list(p.categories), list(p.follow_up), list(p.advice_use)) != (
                list(first.dates), list(first.categories), list(first.follow_up), list(first.advice_use)):
            raise ValueError("the parts do not hold the same columns")
    cases = _offsets([len(p) for p in parts])
    inputs = _offsets([len(p.inputs) for p in parts])
    return CaseColumns(
        keys=list(itertools.chain.from_iterable(p.keys for p in parts)),
        received=np.concatenate([p.received for p in parts]),
        dates={k: np.concatenate([p.dates[k] for p in parts]) for k in first.dates},
        categories={k: _joined([p.categories[k] for p in parts]) for k in first.categories},
        rubric=_joined([p.rubric for p in parts]),
        override_reason=np.concatenate([p.override_reason for p in parts]),
        follow_up={k: _joined([p.follow_up[k] for p in parts]) for k in first.follow_up},
        inputs=Inputs(
            case=np.concatenate([p.inputs.case + at for p, at in zip(parts, cases, strict=True)]),
            discipline=_joined([p.inputs.discipline for p in parts]),
            overall=_joined([p.inputs.overall for p in parts]),
            indicators=_entries_joined([p.inputs.indicators for p in parts], inputs),
            dimensions=_entries_joined([p.inputs.dimensions for p in parts], inputs),
        ),
        age=np.concatenate([p.age for p in parts]),
        advice_use={k: _joined([p.advice_use[k] for p in parts]) for k in first.advice_use},
        findings=_entries_joined([p.findings for p in parts], cases),
    )


def _offsets(sizes: list[int]) -> list[int]:
    """Where each part starts in the joined rows."""
    return [0, *itertools.accumulate(sizes)][:-1]


def _inputs_by_case(inputs: Inputs) -> Inputs:
    """The inputs in order of their case (stable), their entries in order of their input."""
    order = np.argsort(inputs.case, kind="stable")
    position = np.empty_like(order)
    position[order] = np.arange(len(order), dtype=order.dtype)
    return Inputs(
        case=inputs.case[order],
        discipline=inputs.discipline.take(order),
        overall=inputs.overall.take(order),
        indicators=_entries_by_row(inputs.indicators, position),
        dimensions=_entries_by_row(inputs.dimensions, position),
    )


def _entries_by_row(entries: Entries, position: np.ndarray | None = None) -> Entries:
    """The entries in order of the row they belong to (stable); `position`: each row's new number."""
    rows = entries.input if position is None else position[entries.input]
    order = np.argsort(rows, kind="stable")
    return Entries(rows[order], entries.key.take(order),
                   entries.value.take(order))


def _entries_slice(entries: Entries, a: np.integer | int, b: np.integer | int, first_row: int) -> Entries:
    a, b = int(a), int(b)
    return Entries(entries.input[a:b] - first_row, entries.key.take(slice(a, b)), entries.value.take(slice(a, b)))


def _joined(cols: Sequence[Categorical]) -> Categorical:
    """The columns one after the other; the value lists merged in order of first appearance. A part whose
    list starts the merged one (the same values, of the same types: True is not 1) keeps its codes: after a
    change, only the blocks read again are recoded, not the millions of ratings kept."""
    index: dict[Any, int] = {}
    for c in cols:
        for v in c.values:
            index.setdefault(v, len(index))
    merged = list(index)
    types = list(map(type, merged))
    codes = []
    for c in cols:
        n = len(c.values)
        if c.values == merged[:n] and list(map(type, c.values)) == types[:n]:
            codes.append(c.codes)
        else:
            codes.append(np.array([index[v] for v in c.values], dtype=np.int64)[c.codes] if n else c.codes)
    return Categorical(np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64), merged)


def _entries_joined(parts: Sequence[Entries], offsets: Sequence[int]) -> Entries:
    return Entries(np.concatenate([e.input + at for e, at in zip(parts, offsets, strict=True)]),
                   _joined([e.key for e in parts]), _joined([e.value for e in parts]))
