"""Disclosure control: no cell counting fewer than K people can be recovered from what a table publishes.

The proofs do not trust the module: the row/column (and layer) equations of the published table are built
here and solved for each suppressed cell, and the hypercube the module names for a cell is checked to
give another non-negative table that agrees with everything published.
"""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from corredor.statistics.disclosure import (
    PRIMARY,
    PUBLISHED,
    SECONDARY,
    add_margins,
    perturb,
    protect,
)


def equations(shape: tuple[int, ...], margin_axes: list[int]) -> np.ndarray:
    """One row per line along a margin axis: the inner cells of the line minus its total equal zero."""
    cells = int(np.prod(shape))
    flat = np.arange(cells).reshape(shape)
    rows = []
    for axis in margin_axes:
        moved = np.moveaxis(flat, axis, -1).reshape(-1, shape[axis])
        for line in moved:
            row = np.zeros(cells)
            row[line[:-1]] = 1.0
            row[line[-1]] = -1.0
            rows.append(row)
    return np.array(rows) if rows else np.zeros((0, cells))


def recoverable(values: np.ndarray, status: np.ndarray, margin_axes: list[int]) -> list[tuple[int, ...]]:
    """Suppressed cells whose value the published cells and the table's equations determine exactly.

    With A the equations restricted to the suppressed cells, a cell is determined when its unit vector
    lies in the row space of A (then some combination of the equations isolates it).
    """
    matrix = equations(values.shape, margin_axes)
    suppressed = np.flatnonzero(status.reshape(-1) != PUBLISHED)
    if not len(suppressed) or not len(matrix):
        return []
    unknowns = matrix[:, suppressed]
    rank = np.linalg.matrix_rank(unknowns)
    found = []
    for position, cell in enumerate(suppressed):
        unit = np.zeros(len(suppressed))
        unit[position] = 1.0
        if np.linalg.matrix_rank(np.vstack([unknowns, unit])) == rank:
            found.append(tuple(int(i) for i in np.unravel_index(cell, values.shape)))
    return found


def consistent(table: np.ndarray, margin_axes: list[int]) -> bool:
    """Every total along every margin axis is the sum of its inner cells."""
    for axis in margin_axes:
        moved = np.moveaxis(table, axis, -1)
        if not np.array_equal(moved[..., :-1].sum(axis=-1), moved[..., -1]):
            return False
    return True


def check(interior: np.ndarray, k: int, margin_axes: list[int]) -> None:
    table = add_margins(interior, margin_axes)
    result = protect(table, margin_axes=margin_axes, k=k)
    status = result.status
    # Every published cell counts 0 or at least K people.
    published = table[status == PUBLISHED]
    assert not ((published > 0) & (published < k)).any()
    # No suppressed cell can be solved for from the published cells and the equations.
    assert recoverable(table, status, margin_axes) == []
    # For every primary cell: another non-negative table agreeing with everything published, in which
    # that cell has another value.
    for cell, corners in result.witnesses.items():
        assert status[cell] == PRIMARY
        assert all(status[c] != PUBLISHED for c, _ in corners)
        for step in (1, -1):
            other = perturb(table, corners, step)
            assert other.min() >= 0
            assert consistent(other, margin_axes)
            assert other[cell] != table[cell]
            assert np.array_equal(other[status == PUBLISHED], table[status == PUBLISHED])


small_counts = st.integers(min_value=0, max_value=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arrays(np.int64, st.tuples(st.integers(1, 6), st.integers(1, 6)), elements=small_counts))
def test_two_way_tables_with_margins(interior: np.ndarray) -> None:
    check(interior, 5, [0, 1])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    arrays(
        np.int64, st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 3)), elements=small_counts
    )
)
def test_three_way_tables_with_all_margins(interior: np.ndarray) -> None:
    check(interior, 5, [0, 1, 2])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    arrays(
        np.int64, st.tuples(st.integers(1, 3), st.integers(1, 5), st.integers(1, 4)), elements=small_counts
    ),
    st.integers(min_value=2, max_value=10),
)
def test_period_slices_are_tables_of_their_own(interior: np.ndarray, k: int) -> None:
    # Axis 0 is the period: no total over it, each month protected with its own margins.
    table = add_margins(interior, [1, 2])
    result = protect(table, margin_axes=[1, 2], k=k)
    for month in range(table.shape[0]):
        assert recoverable(table[month], result.status[month], [0, 1]) == []
    assert not ((table[result.status == PUBLISHED] > 0) & (table[result.status == PUBLISHED] < k)).any()


@settings(max_examples=100, deadline=None)
@given(arrays(np.int64, st.integers(1, 10), elements=small_counts))
def test_one_way_table_with_total(interior: np.ndarray) -> None:
    check(interior, 5, [0])


def test_a_lone_small_cell_in_a_row_takes_a_partner() -> None:
    # Row totals and column totals published: the 3 alone would be its row total minus the rest.
    interior = np.array([[3, 20, 30], [40, 50, 60], [70, 80, 90]])
    table = add_margins(interior, [0, 1])
    status = protect(table, margin_axes=[0, 1], k=5).status
    assert status[0, 0] == PRIMARY
    assert (status == SECONDARY).sum() == 3  # one cube: a partner in the row, the column and the diagonal
    assert status[0, :].tolist().count(PUBLISHED) <= 2
    assert recoverable(table, status, [0, 1]) == []


def test_small_margins_are_suppressed_too() -> None:
    # A nationality with 3 crossings in all: its total is a small cell as well.
    interior = np.array([[2, 1, 0], [50, 60, 70]])
    table = add_margins(interior, [0, 1])
    status = protect(table, margin_axes=[0, 1], k=5).status
    assert status[0, 3] != PUBLISHED
    assert recoverable(table, status, [0, 1]) == []


def test_the_classic_attack_on_rows_and_columns_finds_nothing() -> None:
    rng = np.random.default_rng(7)
    interior = rng.poisson(4, size=(8, 6, 3))
    table = add_margins(interior, [0, 1, 2])
    status = protect(table, margin_axes=[0, 1, 2], k=5).status
    # The analyst's way: any line with exactly one withheld cell gives it away; repeat until stuck.
    known = status == PUBLISHED
    solved = known.copy()
    changed = True
    while changed:
        changed = False
        for axis in range(3):
            moved = np.moveaxis(solved, axis, -1)
            for index in itertools.product(*[range(s) for s in moved.shape[:-1]]):
                if (~moved[index]).sum() == 1:
                    moved[index][~moved[index]] = True
                    changed = True
    assert solved.sum() == known.sum()
    assert recoverable(table, status, [0, 1, 2]) == []


def test_zero_cells_are_published_and_large_tables_untouched() -> None:
    interior = np.array([[0, 10], [12, 0]])
    table = add_margins(interior, [0, 1])
    assert (protect(table, margin_axes=[0, 1], k=5).status == PUBLISHED).all()


def test_bad_tables_are_refused() -> None:
    with pytest.raises(ValueError):
        protect(np.array([[-1, 2], [3, 4]]), margin_axes=[0, 1])


def test_a_breakdown_with_only_its_total_is_protected_along_the_other_axes() -> None:
    # No category in the period (no refusals at all): only the total row, nothing along it to difference.
    protection = protect(np.array([[1, 2, 3]]), margin_axes=[0, 1])
    assert protection.status.shape == (1, 3)
