"""Statistical disclosure control for published tables: primary and secondary cell suppression.

Pure (numpy only). A table is an n-dimensional array of counts. Along each *margin axis* the last index
holds the total of the others (the published margins and totals); *slice axes* (such as the period) have
no total, so each slice is a separate table.

- **Primary suppression**: every cell, margins included, counting 1 to K-1 people is withheld.
- **Secondary suppression** (the hypercube method of τ-ARGUS, Repsilber 1994): for each primary cell we
  withhold the other corners of a hypercube that has the cell as one corner and one more index in every
  margin axis (a total index is allowed). Adding +1 and -1 alternately on the corners of such a cube keeps
  every row, column and total of the table unchanged (on a line through a total the two corners move
  together, on a line between two inner cells they move apart). Every corner is chosen to hold at least 1,
  so the table with the cube added or subtracted is another non-negative integer table that agrees with
  everything published: the suppressed cell's value cannot be worked out from the margins, by solving the
  row and column equations or otherwise. Among the possible cubes the one that withholds the least new
  information (the smallest sum of newly suppressed values) is chosen.

Zero cells are published: a zero reveals no one. Each published table is protected on its own; tables
requested separately over overlapping groups are not linked (see docs/statistics.md).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

PUBLISHED = 0
PRIMARY = 1
SECONDARY = 2

DEFAULT_MIN_CELL = 5

Index = tuple[int, ...]


@dataclass
class Protection:
    """The outcome of disclosure control: per cell PUBLISHED, PRIMARY or SECONDARY, and for each primary
    cell the hypercube (corner, sign) that shows it cannot be recovered."""

    status: np.ndarray
    k: int
    witnesses: dict[Index, tuple[tuple[Index, int], ...]] = field(default_factory=dict)

    @property
    def suppressed(self) -> np.ndarray:
        return np.asarray(self.status != PUBLISHED, dtype=bool)

    def counts(self) -> dict[str, int]:
        return {
            "cells": int(self.status.size),
            "primary": int((self.status == PRIMARY).sum()),
            "secondary": int((self.status == SECONDARY).sum()),
        }


def add_margins(interior: np.ndarray, axes: Sequence[int]) -> np.ndarray:
    """The table with a total appended at the end of each axis in `axes` (sums, so margins of margins are
    grand totals)."""
    table = np.asarray(interior)
    for axis in axes:
        table = np.concatenate([table, table.sum(axis=axis, keepdims=True)], axis=axis)
    return table


def primary_cells(values: np.ndarray, k: int) -> np.ndarray:
    """Cells that count fewer than `k` people, but some."""
    return np.asarray((values > 0) & (values < k), dtype=bool)


def protect(
    values: np.ndarray,
    *,
    margin_axes: Sequence[int],
    k: int = DEFAULT_MIN_CELL,
    sensitive: np.ndarray | None = None,
) -> Protection:
    """Primary and secondary suppression of a table of counts whose margin axes end with their totals.

    `sensitive` overrides which cells are primary (default: 0 < value < k). Raises ValueError for a
    table that has negative counts or a margin axis without a total.
    """
    if k < 1:
        raise ValueError("The minimum cell size must be at least 1.")
    values = np.asarray(values)
    if values.size and values.min() < 0:
        raise ValueError("Disclosure control works on counts; this table has negative cells.")
    margin_axes = sorted({a % values.ndim for a in margin_axes}) if values.ndim else []
    # An axis holding only its total (a breakdown with no category in the period, e.g. no refusals) has
    # no complementary cell to hide: nothing along it can be differenced.
    margin_axes = [axis for axis in margin_axes if values.shape[axis] >= 2]
    primary = primary_cells(values, k) if sensitive is None else np.asarray(sensitive, dtype=bool)
    status = np.where(primary, PRIMARY, PUBLISHED).astype(np.int8)
    protection = Protection(status=status, k=k)
    if not margin_axes or not primary.any():
        return protection
    # Protect the smallest cells first: their cubes are the ones most worth choosing freely.
    cells = [tuple(int(i) for i in cell) for cell in np.argwhere(primary)]
    cells.sort(key=lambda cell: (values[cell], cell))
    for cell in cells:
        corners = _best_cube(values, status, cell, margin_axes)
        for corner, _sign in corners:
            if status[corner] == PUBLISHED:
                status[corner] = SECONDARY
        protection.witnesses[cell] = corners
    return protection


MAX_ALTERNATIVES = 8


def _alternatives(values: np.ndarray, status: np.ndarray, cell: Index, axis: int) -> np.ndarray:
    """The other indices along `axis` worth trying as the cube's second corner: on big tables, the
    total (always feasible), the cells of the line already withheld, then the smallest positive ones."""
    others = np.delete(np.arange(values.shape[axis]), cell[axis])
    if len(others) <= MAX_ALTERNATIVES:
        return others
    index: list[Any] = list(cell)
    index[axis] = others
    line_values = values[tuple(index)]
    line_status = status[tuple(index)]
    total = values.shape[axis] - 1
    # Order: withheld and positive first, then positive by size; zeros cannot be corners.
    rank = np.where(line_values >= 1, np.where(line_status != PUBLISHED, 0, 1), 2)
    order = np.lexsort((line_values, rank))
    chosen = [int(others[i]) for i in order[: MAX_ALTERNATIVES - 1] if rank[i] < 2]
    if total != cell[axis] and total not in chosen:
        chosen.append(total)
    return np.array(sorted(set(chosen)) or [int(others[-1])])


def _best_cube(
    values: np.ndarray, status: np.ndarray, cell: Index, margin_axes: Sequence[int]
) -> tuple[tuple[Index, int], ...]:
    m = len(margin_axes)
    alternatives = [_alternatives(values, status, cell, a) for a in margin_axes]
    grid = tuple(len(alt) for alt in alternatives)
    feasible = np.ones(grid, dtype=bool)
    cost = np.zeros(grid, dtype=float)
    for choice in itertools.product((False, True), repeat=m):
        index: list[Any] = list(cell)
        for j, axis in enumerate(margin_axes):
            if choice[j]:
                shape = [1] * m
                shape[j] = -1
                index[axis] = alternatives[j].reshape(shape)
        corner_values = np.broadcast_to(values[tuple(index)], grid)
        corner_status = np.broadcast_to(status[tuple(index)], grid)
        feasible &= corner_values >= 1
        cost += np.where(corner_status == PUBLISHED, corner_values.astype(float), 0.0)
    # The cube of the cell's own margins (every alternative the total) always qualifies: each of them
    # counts at least the cell itself.
    cost = np.where(feasible, cost, np.inf)
    best = np.unravel_index(int(np.argmin(cost)), grid)
    chosen = [int(alternatives[j][best[j]]) for j in range(m)]
    corners = []
    for choice in itertools.product((False, True), repeat=m):
        corner = list(cell)
        sign = 1
        for j, axis in enumerate(margin_axes):
            if choice[j]:
                corner[axis] = chosen[j]
                total = values.shape[axis] - 1
                # Two inner cells of a line move apart; an inner cell and its total move together.
                if cell[axis] != total and chosen[j] != total:
                    sign = -sign
        corners.append((tuple(corner), sign))
    return tuple(corners)


def perturb(values: np.ndarray, corners: Sequence[tuple[Index, int]], step: int) -> np.ndarray:
    """The table with `step` times the cube's signs added at its corners: another table that agrees with
    every published cell and margin (used to show a suppressed cell is not recoverable)."""
    other = np.array(values, dtype=np.int64, copy=True)
    for corner, sign in corners:
        other[corner] += sign * step
    return other
