"""factorize: dense codes and sorted labels for every integer type, at the edges of its range.

factorize_keys: codes of uint64 keys and a position of each distinct key, on every path
(few keys counted, some placed by binary search, keys the sample missed, many sorted).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fit_scores._core import segments
from fit_scores._core.segments import factorize, factorize_keys, stable_order


def check(values: np.ndarray[Any, Any]) -> None:
    codes, labels = factorize(values)
    expected_labels, expected_codes = np.unique(values, return_inverse=True)
    assert labels.dtype == values.dtype
    assert labels.tolist() == expected_labels.tolist()
    assert codes.tolist() == expected_codes.reshape(-1).tolist()
    assert labels[codes].tolist() == values.tolist()


@pytest.mark.parametrize(
    "dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
)
def test_the_whole_range_of_every_integer_type(dtype: type) -> None:
    info = np.iinfo(dtype)
    values: np.ndarray[Any, Any] = np.array(
        [info.max, info.min, 0, info.max, 1, info.min + 1], dtype=dtype
    )
    check(values)  # int64 and uint64: a wide range, by sorting


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32])
def test_narrow_signed_ids_spanning_more_than_half_their_range(dtype: type) -> None:
    # the range fits the bitmap, but value - minimum overflows the values' own type
    info = np.iinfo(dtype)
    rng = np.random.default_rng(1)
    values: np.ndarray[Any, Any] = rng.integers(info.min, info.max, 5000, endpoint=True)
    values = values.astype(dtype)
    values[:2] = [info.min, info.max]
    check(values)


def test_int16_ids_across_zero() -> None:
    codes, labels = factorize(np.array([30000, -30000, 5, 30000], dtype=np.int16))
    assert codes.tolist() == [2, 0, 1, 2]
    assert labels.tolist() == [-30000, 5, 30000]


@pytest.mark.parametrize("base", [2**63, 2**64 - 10])
def test_uint64_ids_beyond_the_int64_range(base: int) -> None:
    values = np.array([base + 3, base, base + 9, base + 3], dtype=np.uint64)
    codes, labels = factorize(values)
    assert codes.tolist() == [1, 0, 2, 1]
    assert labels.dtype == np.uint64
    assert labels.tolist() == [base, base + 3, base + 9]
    check(np.array([2**64 - 1, 0, 2**63, 2**63 - 1, 2**64 - 1], dtype=np.uint64))


def test_compact_int64_ids_near_the_edges() -> None:
    top = np.iinfo(np.int64).max
    check(np.array([top, top - 7, top - 3, top], dtype=np.int64))
    bottom = np.iinfo(np.int64).min
    check(np.array([bottom + 5, bottom, bottom + 5], dtype=np.int64))


INT_TYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]


@pytest.mark.parametrize("dtype", INT_TYPES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_stable_order_is_a_stable_argsort(dtype: type, data: st.DataObject) -> None:
    """Packed words where the range and positions fit in 64 bits, else argsort: same order."""
    info = np.iinfo(dtype)
    near = st.integers(int(info.min), int(info.min) + 3) | st.integers(int(info.max) - 3, info.max)
    value = st.integers(int(info.min), int(info.max)) | near | st.integers(0, 5)
    values: np.ndarray[Any, Any] = np.array(data.draw(st.lists(value, max_size=80)), dtype=dtype)
    order = stable_order(values)
    assert order.dtype == np.int64
    assert order.tolist() == np.argsort(values, kind="stable").tolist()


def test_stable_order_of_many_ties_packs_positions() -> None:
    values = np.random.default_rng(3).integers(0, 40, 200_000).astype(np.uint64)
    assert stable_order(values).tolist() == np.argsort(values, kind="stable").tolist()


def check_keys(keys: np.ndarray[Any, Any]) -> None:
    codes, first = factorize_keys(keys)
    distinct, expected = np.unique(keys, return_inverse=True)
    assert keys[first].tolist() == distinct.tolist()
    assert codes.tolist() == expected.reshape(-1).tolist()
    assert codes.dtype == np.int32


@settings(max_examples=80, deadline=None)
@given(
    n_common=st.integers(1, 700),  # few (<= 8), some (<= 512) or many distinct keys
    n_rare=st.integers(0, 40),
    n=st.integers(0, 3 * segments._KEY_SAMPLE),
    seed=st.integers(0, 2**32 - 1),
    extreme=st.booleans(),
)
def test_factorize_keys_is_unique_on_every_path(
    n_common: int, n_rare: int, n: int, seed: int, extreme: bool
) -> None:
    """Common keys everywhere, rare keys (which an even sample misses) in a few places."""
    rng = np.random.default_rng(seed)
    pool = rng.integers(0, 2**64, size=n_common + n_rare, dtype=np.uint64, endpoint=False)
    if extreme:  # the ends of the range, where a sort of packed words cannot pack
        pool[: min(2, pool.size)] = [0, 2**64 - 1][: min(2, pool.size)]
    keys = pool[rng.integers(0, n_common, size=n)]
    if n and n_rare:
        at = rng.integers(0, n, size=min(n, 3 * n_rare))
        keys[at] = pool[n_common + rng.integers(0, n_rare, size=at.size)]
    check_keys(keys)


@pytest.mark.parametrize(
    ("n_distinct", "n_rare_rows"),
    [(1, 0), (3, 0), (3, 5), (8, 0), (9, 0), (100, 0), (100, 30), (100, 5000), (5000, 0)],
)
def test_factorize_keys_on_a_long_column(n_distinct: int, n_rare_rows: int) -> None:
    """Every path on 50,000 keys: counted, searched, rare keys added, sorted."""
    rng = np.random.default_rng(n_distinct * 7 + n_rare_rows)
    keys = rng.integers(0, 2**63, size=n_distinct, dtype=np.uint64)[
        rng.integers(0, n_distinct, size=50_000)
    ]
    keys[rng.choice(50_000, n_rare_rows, replace=False)] = rng.integers(
        0, 2**63, size=n_rare_rows, dtype=np.uint64
    )
    check_keys(keys)
