"""The typed reading of the pyarrow engine gives what the text grammars give, bit for bit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fit_scores as fs
from fit_scores._core.grammars import parse_date_text, parse_int_text, parse_number_text
from fit_scores.io import parse_csv, tokenize_csv
from fit_scores.io.tokenizer import ColumnKind

pytest.importorskip("pyarrow")

number_text = st.one_of(
    st.text(alphabet="0123456789.-", max_size=8),
    st.decimals(min_value=-100, max_value=100, places=2, allow_nan=False).map(str),
    st.sampled_from(["", "-0.0", "-0", ".5", "5.", "-.5", "1e2", "+1", "007.50", "0.1"]),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.text(alphabet="0123456789", min_size=16, max_size=45),
)
whole_text = st.one_of(
    st.text(alphabet="0123456789", max_size=17),
    st.sampled_from(["", "-1", "+1", "1.0", "007"]),
)
date_text = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1)).map(lambda d: d.isoformat()),
    st.sampled_from(["", "0000-01-01", "2025-02-29", "2024-02-29", "2025-13-01", "2025-1-10"]),
    st.text(alphabet="0123456789-", min_size=10, max_size=10),
)


def column_of(texts: list[str], kind: ColumnKind) -> tuple[np.ndarray[Any, Any], str]:
    """The column as the pyarrow engine reads it with ``kind``, and the engine."""
    body = "".join(f'"{t}"\n' if t == "" else f"{t}\n" for t in texts)
    tokens = tokenize_csv("x\n" + body, engine="pyarrow", kinds=lambda header: [kind])
    assert tokens.n_rows == len(texts)
    return tokens.arrays[0], tokens.engine


def same_bits(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> bool:
    return a.dtype == b.dtype and a.tobytes() == b.tobytes()


@given(st.lists(number_text, min_size=1, max_size=12))
@settings(max_examples=300, deadline=None)
def test_typed_numbers_are_the_grammar_numbers(texts: list[str]) -> None:
    column, engine = column_of(texts, "number")
    strings = np.array(texts, dtype=str)
    if column.dtype.kind in "UO":
        assert column.tolist() == texts
        return
    assert engine == "pyarrow" and column.dtype == np.float64
    x, ok = parse_number_text(strings)
    empty = strings == ""
    assert bool((ok | empty).all()), "a field the grammar refuses was read as a number"
    expected = np.where(empty, np.nan, x)
    assert same_bits(column, expected)  # the sign of zero included


@given(st.lists(whole_text, min_size=1, max_size=12))
@settings(max_examples=300, deadline=None)
def test_typed_whole_numbers_are_the_grammar_numbers(texts: list[str]) -> None:
    column, _ = column_of(texts, "whole")
    strings = np.array(texts, dtype=str)
    if column.dtype.kind in "UO":
        assert column.tolist() == texts
        return
    x, ok = parse_int_text(strings)
    empty = strings == ""
    assert bool((ok | empty).all())
    if empty.any():
        assert column.dtype == np.float64
        assert np.array_equal(column, np.where(empty, np.nan, x.astype(np.float64)), equal_nan=True)
        assert bool((np.abs(x) <= 2**53).all())
    else:
        assert same_bits(column, x)


@given(st.lists(date_text, min_size=1, max_size=12))
@settings(max_examples=300, deadline=None)
def test_typed_dates_are_the_grammar_dates(texts: list[str]) -> None:
    column, _ = column_of(texts, "date")
    strings = np.array(texts, dtype=str)
    if column.dtype.kind in "UO":
        assert column.tolist() == texts
        return
    assert column.dtype == np.dtype("datetime64[D]")
    days, ok = parse_date_text(strings)
    empty = strings == ""
    assert bool((ok | empty).all())
    expected = np.where(empty, np.datetime64("NaT"), days.astype("datetime64[D]"))
    assert np.array_equal(column, expected, equal_nan=True)


def test_plain_columns_are_typed_and_others_text() -> None:
    assert column_of(["7.5", "", "-0.0"], "number")[0].dtype == np.float64
    assert column_of(["7", "12"], "whole")[0].dtype == np.int64
    assert column_of(["7", ""], "whole")[0].dtype == np.float64
    assert column_of(["2025-01-10", ""], "date")[0].dtype == np.dtype("datetime64[D]")
    for texts, kind in (
        (["7,5"], "number"),
        (["1e2"], "number"),
        ([" 7"], "number"),
        (["-1"], "whole"),
        (["1" * 16], "whole"),
        (["2025-02-30"], "date"),
        (["0000-01-01"], "date"),
        (["10.01.2025"], "date"),
    ):
        column, _ = column_of(texts, kind)  # type: ignore[arg-type]
        assert column.dtype.kind == "U", texts


def snapshot(table: fs.ScoreTable) -> tuple[object, object, object]:
    return table.to_records(), table.errors.to_records(), table.summarize().to_records()


row = st.fixed_dictionaries(
    {
        "person": st.sampled_from(["a", "b", "c"]),
        "date": date_text,
        "session": whole_text,
        "age": whole_text,
        "item_1": number_text,
        "item_2": number_text,
        "item_3": number_text,
        "item_4": number_text,
        "total": number_text,
    }
)


@given(st.lists(row, min_size=1, max_size=8))
@settings(max_examples=150, deadline=None)
def test_parse_csv_is_the_same_table_on_every_engine(rows: list[dict[str, str]]) -> None:
    names = ["person", "scale", "date", "session", "age", *(f"item_{k}" for k in range(1, 5))]
    names.append("total")
    lines = [",".join(names)]
    for r in rows:
        lines.append(",".join(r.get(n, "ORS") for n in names))
    text = "\n".join(lines) + "\n"
    reference = snapshot(parse_csv(text, engine="python"))
    assert snapshot(parse_csv(text, engine="numpy")) == reference
    assert snapshot(parse_csv(text, engine="pyarrow")) == reference


def test_parse_csv_types_plain_columns_and_gives_the_same_table() -> None:
    rng = np.random.default_rng(7)
    n = 2000
    items = [np.round(rng.uniform(0, 10, n), 1).astype(str) for _ in range(4)]
    items[0][::50] = ""
    items[1][::70] = "-0.0"
    date = (np.datetime64("2024-01-01") + rng.integers(0, 600, n)).astype(str)
    text = "person,scale,date,session,age,item_1,item_2,item_3,item_4\n" + "\n".join(
        f"p{rng.integers(0, 300)},ORS,{date[i]},{i + 1},{30 + i % 7},"
        f"{items[0][i]},{items[1][i]},{items[2][i]},{items[3][i]}"
        for i in range(n)
    )
    reference = snapshot(parse_csv(text, engine="python"))
    assert snapshot(parse_csv(text, engine="pyarrow")) == reference
    assert snapshot(parse_csv(text, engine="numpy")) == reference


#: Label texts beyond ASCII (Norwegian letters, the same name in NFC and NFD, invisible and
#: control characters, blanks, a field over the length limit), and plain ones.
label_text = st.sampled_from(
    [
        "",
        "a",
        "Åse",
        "A\u030ase",
        "Ørjan ",
        "p\u200b1",
        "Kari Nordmann",
        "Løvås, Siv",
        "   ",
        "æ" * 10_001,
        "\u2067x",
    ]
)
label_row = st.fixed_dictionaries(
    {
        "person": label_text,
        "rater": st.sampled_from(["", "self", "caretaker", "forelder", "Ørn"]),
        "rater_id": label_text,
        "episode": label_text,
        "coordinator": label_text,
        "ending_reason": label_text,
        "scale": st.sampled_from(["ORS", "Ørs", "", "SRS"]),
    }
)


def csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if "," in text or not text else text


@given(st.lists(label_row, min_size=1, max_size=8))
@settings(max_examples=120, deadline=None)
def test_label_columns_beyond_ascii_give_the_same_table_on_every_engine(
    rows: list[dict[str, str]],
) -> None:
    names = ["person", "rater", "rater_id", "episode", "coordinator", "ending_reason", "scale"]
    lines = [",".join([*names, "date", "item_1", "item_2", "item_3", "item_4"])]
    for i, r in enumerate(rows):
        cells = [csv_field(r[n]) for n in names]
        lines.append(",".join([*cells, f"2025-01-{i + 1:02d}", "1", "2", "3", "4"]))
    text = "\n".join(lines) + "\n"
    groups = ["coordinator"]
    reference = snapshot(parse_csv(text, engine="python", group_columns=groups))
    assert snapshot(parse_csv(text, engine="numpy", group_columns=groups)) == reference
    assert snapshot(parse_csv(text, engine="pyarrow", group_columns=groups)) == reference


@pytest.mark.parametrize("engine", ["pyarrow", "numpy"])
def test_label_columns_beyond_ascii_are_read_as_codes(engine: Any) -> None:
    """The path the test above compares is taken: distinct texts, codes per row."""
    from fit_scores.io.tokenizer import EncodedText

    text = "person,coordinator,total\nÅse,Kari,1\nÅse,Løvås,2\nOla,,3\n"
    tokens = tokenize_csv(text, engine=engine, kinds=lambda h: ["label", "label", None])
    assert tokens.engine == engine
    person, coordinator, total = tokens.columns
    assert isinstance(person, EncodedText) and isinstance(coordinator, EncodedText)
    assert isinstance(total, np.ndarray)
    assert person.decode().tolist() == ["Åse", "Åse", "Ola"]
    assert coordinator.decode().tolist() == ["Kari", "Løvås", ""]
    assert sorted(person.texts.tolist()) == ["Ola", "Åse"]
    assert not isinstance(total, EncodedText) and total.tolist() == ["1", "2", "3"]
    table = parse_csv(
        "person,scale,date,total,coordinator\nÅse,ORS,2025-01-10,20,Løvås\n"
        "A\u030ase,ORS,2025-02-10,25,Kari\nOla,ORS,2025-01-10,10,\n",
        engine=engine,
        group_columns=["coordinator"],
    )
    assert table.person.tolist() == ["Ola", "Åse", "Åse"]  # NFC and NFD: one person
    assert table.groups["coordinator"].tolist() == [None, "Løvås", "Kari"]
