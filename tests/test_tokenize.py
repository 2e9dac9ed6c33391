"""The vectorised CSV tokenizers read exactly what the csv module reads."""

from __future__ import annotations

import csv
import importlib.util
import io
import re
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fit_scores.io.tokenizer import CsvSyntaxError, TokenizedCsv, tokenize_csv

FAST = ["numpy", "pyarrow"]

CHARS = [
    "a", "b", "Z", "0", "7", ".", "-", "e", " ", "\t", "Å", "å", "Ø", "ø", "Æ", "æ", "é", "ß",
    "😀", "中", ",", ";", "|", '"', "\n", "\r", "\ufeff", "\x7f", "\x80", "\u2028",
]  # fmt: skip
field = st.text(
    alphabet=st.sampled_from(CHARS)
    | st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    max_size=10,
)
any_field = st.text(alphabet=st.sampled_from([*CHARS, "\x00", "\udcff"]), max_size=6)
plain_field = st.text(alphabet=st.sampled_from(["a", "Ø", "1", " ", "-"]), max_size=6)


def use(engine: str) -> str:
    if engine == "pyarrow":
        pytest.importorskip("pyarrow.csv")
    return engine


def outcome(data: bytes | str, engine: str, delimiter: str = ",") -> Any:
    """Everything a caller sees: header, columns (values and dtypes), field counts; or the error."""
    try:
        t = tokenize_csv(data, delimiter=delimiter, engine=engine)  # type: ignore[arg-type]
    except CsvSyntaxError as exc:
        return ("error", str(exc), exc.line)
    assert len(t.arrays) == len(t.header)
    assert all(c.shape == (t.n_rows,) for c in t.arrays)
    return (
        t.header,
        [(c.dtype.str, c.tolist()) for c in t.arrays],
        t.field_counts.tolist(),
        t.ragged.tolist(),
    )


@st.composite
def csv_texts(draw: st.DrawFn, fields: st.SearchStrategy[str] = field) -> tuple[str, str]:
    """CSV text written by csv.writer (some records ragged, blank lines, BOM) and its delimiter."""
    width = draw(st.integers(1, 5))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    terminator = draw(st.sampled_from(["\n", "\r\n"]))
    quoting: Literal[0, 1] = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    ragged = draw(st.booleans())
    header = draw(st.lists(fields, min_size=width, max_size=width))
    rows = draw(
        st.lists(
            st.lists(
                fields,
                min_size=width if not ragged else 0,
                max_size=width if not ragged else width + 2,
            ),
            max_size=8,
        )
    )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=terminator, quoting=quoting)
    records = []
    for row in [header, *rows]:
        out.seek(0)
        out.truncate()
        writer.writerow(row)
        records.append(out.getvalue())
        records.extend(terminator for _ in range(draw(st.integers(0, 2)) if ragged else 0))
    text = "".join(records)
    if draw(st.booleans()):
        text = text.removesuffix(terminator)
    if draw(st.sampled_from([False, False, True])):
        text = "\ufeff" + text
    return text, delimiter


def assert_same(data: bytes | str, delimiter: str = ",") -> Any:
    expected = outcome(data, "python", delimiter)
    for engine in ["numpy", "pyarrow", "auto"]:
        if engine == "pyarrow" and not _has_pyarrow():
            continue
        assert outcome(data, engine, delimiter) == expected, engine
    return expected


def _has_pyarrow() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


# --- the python engine is the csv module ----------------------------------------------------


@settings(max_examples=200)
@given(csv_texts())
def test_python_engine_is_the_csv_module(case: tuple[str, str]) -> None:
    text, delimiter = case
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = [r for r in reader if r]
    except csv.Error as exc:
        with pytest.raises(CsvSyntaxError, match=re.escape(f"CSV, line {reader.line_num}: {exc}")):
            tokenize_csv(text, delimiter=delimiter, engine="python")
        return
    t = tokenize_csv(text, delimiter=delimiter, engine="python")
    assert t.header == [rows[0][0].removeprefix("\ufeff"), *rows[0][1:]]
    width = len(t.header)
    assert t.field_counts.tolist() == [len(r) for r in rows[1:]]
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    assert [c.tolist() for c in t.arrays] == [list(col) for col in zip(*body, strict=True)] or (
        not body and all(c.shape == (0,) for c in t.arrays)
    )


# --- differential: every engine gives the csv module's result -------------------------------


@settings(max_examples=400)
@given(csv_texts(), st.booleans())
def test_engines_agree(case: tuple[str, str], as_bytes: bool) -> None:
    text, delimiter = case
    assert_same(text.encode("utf-8") if as_bytes else text, delimiter)


@settings(max_examples=100)
@given(csv_texts(any_field), st.booleans())
def test_engines_agree_on_any_characters(case: tuple[str, str], as_bytes: bool) -> None:
    """NUL characters and lone surrogates (not UTF-8) are read by the csv module."""
    text, delimiter = case
    data: bytes | str = text
    if as_bytes:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            data = text.encode("utf-8", "surrogateescape")
    assert_same(data, delimiter)


@settings(max_examples=300)
@given(csv_texts(plain_field), st.data())
def test_engines_agree_on_broken_text(case: tuple[str, str], data: st.DataObject) -> None:
    """Insert quotes, delimiters and line breaks anywhere: same result or the same error."""
    text, delimiter = case
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        text = (
            text[:at]
            + data.draw(st.sampled_from(['"', '"', delimiter, "\n", "\r", "x"]))
            + text[at:]
        )
    assert_same(text, delimiter)


@settings(max_examples=300)
@given(csv_texts(field), st.data())
def test_engines_agree_on_bytes_that_are_not_utf8(
    case: tuple[str, str], data: st.DataObject
) -> None:
    """A stray, cut or overlong byte sequence anywhere (in quotes too): the same error line."""
    text, delimiter = case
    raw = text.encode("utf-8")
    for _ in range(data.draw(st.integers(1, 2))):
        at = data.draw(st.integers(0, len(raw)))
        bad = data.draw(st.sampled_from([b"\xff", b"\xc3", b"\x85", b"\xc0\xaf", b"\xed\xa0\x80"]))
        raw = raw[:at] + bad + raw[at:]
    if _decodes(raw):  # (a cut sequence completed by the next byte)
        return
    expected = outcome(raw, "python", delimiter)
    assert expected[0] == "error" and "not UTF-8" in expected[1]
    for engine in FAST:
        assert outcome(raw, use(engine), delimiter) == expected, engine


@settings(max_examples=100)
@given(st.lists(st.sampled_from(['"', ",", "\n", "\r", "a", "Ø", '""']), max_size=12))
def test_engines_agree_on_token_soup(tokens: list[str]) -> None:
    assert_same("".join(tokens))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\r\n\n",
        "a",
        "a,b",
        "a,b\n",
        '""',
        '""\n""\n',
        "a\n\n\nb\n",
        "a\rb\rc",
        "a,b\r\n1,2\r\n\r\n3,4",
        'a,b\n"x\ny","1,2"\n"say ""hi""",\n',
        'a,b\n"x\r\ny",2\n',
        "\ufeffa,b\n1,2\n",
        '\ufeff"a",b\n1,2\n',
        "\ufeff\na,b\n1,2\n",
        "\ufeff",
        "\ufeff\ufeffa,b\n1,2\n",
        "a,b\n\ufeff1,2\n",
        "a,b,\n1,2,\n,,\n",
        "navn,poeng\nÅse,7.5\nØrjan,8\nÆsa,\n",
        'navn\n"Ørjan ""Ø"" Ås"\n😀\n',
    ],
)
def test_engines_agree_on_examples(text: str) -> None:
    assert_same(text)
    assert_same(text.encode("utf-8"))


# --- results ---------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", [*FAST, "python"])
def test_columns_ragged_records_and_unicode(engine: str) -> None:
    text = 'navn,poeng,dato\nÅse,7.5,2025-01-10\n\nØrjan\n"Bø, Kari",8,2025-02-01,x\n'
    t = tokenize_csv(text, engine=use(engine))  # type: ignore[arg-type]
    assert t.header == ["navn", "poeng", "dato"]
    assert [c.tolist() for c in t.arrays] == [
        ["Åse", "Ørjan", "Bø, Kari"],
        ["7.5", "", "8"],
        ["2025-01-10", "", "2025-02-01"],
    ]
    assert [c.dtype.str for c in t.arrays] == ["<U8", "<U3", "<U10"]
    assert t.field_counts.tolist() == [3, 1, 4]
    assert t.ragged.tolist() == [1, 2]
    assert t.n_rows == 3


@pytest.mark.parametrize("engine", FAST)
def test_fast_engines_do_not_fall_back_on_ordinary_text(engine: str) -> None:
    text = 'a,b\r\n"x, ""y""",Ø\r\n\r\n1,2\r\n'
    expected = "numpy" if engine == "numpy" else "pyarrow"
    assert tokenize_csv(text, engine=use(engine)).engine == expected  # type: ignore[arg-type]
    assert tokenize_csv("a,b\n1\n", engine="numpy").engine == "numpy"


def test_header_only_and_empty_text() -> None:
    for engine in ["python", "numpy"]:
        t = tokenize_csv("\ufeffa,b\n", engine=engine)  # type: ignore[arg-type]
        assert t.header == ["a", "b"]
        assert [c.shape for c in t.arrays] == [(0,), (0,)]
        assert t.n_rows == 0
        empty = tokenize_csv("\n\n", engine=engine)  # type: ignore[arg-type]
        assert empty.header == [] and empty.arrays == [] and empty.n_rows == 0


def test_sparse_long_text_is_an_object_column() -> None:
    text = "note,x\n" + "ok,1\n" * 50 + '"' + "long text, " * 20 + '",2\n'
    for engine in ["python", "numpy"]:
        t = tokenize_csv(text, engine=engine)  # type: ignore[arg-type]
        assert t.arrays[0].dtype == object
        assert t.arrays[1].dtype.str == "<U1"
    assert_same(text)


def test_nul_characters_are_kept() -> None:
    text = "a,b\nx\x00,\x00\n"
    t = tokenize_csv(text, engine="numpy")
    assert t.engine == "python"  # the fixed-width arrays would drop trailing NULs
    assert [c.tolist() for c in t.arrays] == [["x\x00"], ["\x00"]]
    assert all(c.dtype == object for c in t.arrays)
    assert_same(text)


def test_lone_surrogates_are_kept() -> None:
    text = "a,b\n\ud800x,1\n"
    assert tokenize_csv(text, engine="numpy").arrays[0].tolist() == ["\ud800x"]
    assert_same(text)


def test_a_quote_inside_an_unquoted_field_is_text() -> None:
    """As in the csv module (even with strict=True), and not an error."""
    text = 'a,b\n5\'11",x"y\n'
    t = tokenize_csv(text, engine="numpy")
    assert [c.tolist() for c in t.arrays] == [["5'11\""], ['x"y']]
    assert assert_same(text) == outcome(text, "numpy")


@pytest.mark.parametrize("engine", FAST)
def test_the_fast_engines_have_no_field_size_limit(engine: str) -> None:
    """The csv module stops at a field over csv.field_size_limit(); the fast engines read it."""
    use(engine)
    for big in ("x" * (csv.field_size_limit() + 1), "ø" * 200_000):
        text = "a,b\n" + big + ",1\n" + "short,2\n" * 9
        assert outcome(text, "python")[0] == "error"
        t = tokenize_csv(text, engine=engine)  # type: ignore[arg-type]
        assert t.engine == engine
        assert t.arrays[0].tolist() == [big] + ["short"] * 9
        assert t.arrays[1].tolist() == ["1"] + ["2"] * 9
        assert t.arrays[0].dtype == object  # (one long text among short ones)


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", [*FAST, "python"])
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('a,b\n1,"2"x\n', "CSV, line 2: ',' expected after '\"'"),
        ('a,b\n"1" ,2\n', "CSV, line 2: ',' expected after '\"'"),
        ('a,b\r\n1,2\r\n"3\n4\n', "CSV, line 4: unexpected end of data"),
        ('a,b\n1,"2\r3', "CSV, line 3: unexpected end of data"),
        ('a\n"x"\n"y"z\n', "CSV, line 3: ',' expected after '\"'"),
    ],
)
def test_syntax_errors_name_the_line(engine: str, text: str, message: str) -> None:
    with pytest.raises(CsvSyntaxError) as info:
        tokenize_csv(text, engine=use(engine))  # type: ignore[arg-type]
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)
    assert info.value.line == int(message.split()[2].rstrip(":"))


@pytest.mark.parametrize("engine", [*FAST, "python"])
def test_bytes_that_are_not_utf8(engine: str) -> None:
    data = "a,b\nÅse,1\n".encode() + b'\xff,2\n"x'
    with pytest.raises(CsvSyntaxError, match=r"line 3: the text is not UTF-8"):
        tokenize_csv(data, engine=use(engine))  # type: ignore[arg-type]


def _decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


utf8_like = st.lists(
    st.sampled_from([0x41, 0x80, 0xBF, 0xC0, 0xC3, 0xE0, 0xED, 0xA0, 0xF0, 0xF4, 0x90, 0xFF])
    | st.integers(0, 255),
    max_size=12,
).map(bytes)


@pytest.mark.parametrize("arrow", [True, False])
@settings(max_examples=400)
@given(head=utf8_like, tail=utf8_like)
def test_is_utf8_refuses_what_the_decoder_refuses(head: bytes, tail: bytes, arrow: bool) -> None:
    """Overlong forms, surrogates, cut sequences, stray bytes: as ``bytes.decode`` decides."""
    import fit_scores.io.tokenizer as tokenizer

    if arrow:
        pytest.importorskip("pyarrow")
    data = head + "Åse".encode() + tail
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tokenizer, "_pyarrow_available", lambda: arrow)
        assert tokenizer.is_utf8(data) == _decodes(data)
        assert tokenizer.is_utf8(head) == _decodes(head)


def test_is_utf8_takes_any_bytes_and_refuses_text() -> None:
    from fit_scores.io import is_utf8

    good, bad = "Åse,7".encode(), b"\xc5se,7"
    for wrap in (bytes, bytearray, memoryview):
        assert is_utf8(wrap(good)) and not is_utf8(wrap(bad))
    with pytest.raises(TypeError, match="is_utf8 takes bytes, got str"):
        is_utf8("Åse")  # type: ignore[arg-type]


def test_read_csv_names_the_first_byte_that_is_not_utf8(tmp_path: Path) -> None:
    from fit_scores.errors import TextEncodingError
    from fit_scores.io import read_csv

    path = tmp_path / "scores.csv"
    path.write_bytes(
        b"person,scale,date,total\n\xc3\x85se,ORS,2025-01-10,19.5\np,ORS,2025-0\xed\xa0\x80"
    )
    with pytest.raises(TextEncodingError, match=r"scores\.csv: byte 61 is not utf-8"):
        read_csv(path)


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match="1-character"):
        tokenize_csv("a", delimiter=",,")
    with pytest.raises(ValueError, match="engine"):
        tokenize_csv("a", engine="fast")  # type: ignore[arg-type]


def test_unusual_delimiters_use_the_csv_module() -> None:
    t = tokenize_csv("a§b\n1§2\n", delimiter="§", engine="numpy")
    assert t.engine == "python"
    assert t.header == ["a", "b"]
    assert_same("a§b\n1§2\n", "§")


# --- pyarrow-specific ------------------------------------------------------------------------


def test_auto_prefers_pyarrow() -> None:
    pytest.importorskip("pyarrow.csv")
    assert tokenize_csv("a,b\n1,2\n").engine == "pyarrow"


@pytest.mark.parametrize(
    "text",
    [
        "a,b\n1\n",  # ragged: pyarrow raises
        "\ufeff\na,b\n1,2\n",  # pyarrow drops the mark and then the blank line
        '\ufeff"a",b\n1,2\n',  # pyarrow drops the mark and then reads a quoted field
    ],
)
def test_pyarrow_hands_what_it_reads_differently_to_numpy(text: str) -> None:
    pytest.importorskip("pyarrow.csv")
    t = tokenize_csv(text, engine="pyarrow")
    assert t.engine in {"numpy", "python"}
    assert outcome(text, "pyarrow") == outcome(text, "python")


def test_pyarrow_keeps_empty_strings_and_does_not_infer_types() -> None:
    pytest.importorskip("pyarrow.csv")
    t = tokenize_csv('n,x,y\n1,,NA\n2,"",null\n', engine="pyarrow")
    assert t.engine == "pyarrow"
    assert [c.tolist() for c in t.arrays] == [["1", "2"], ["", ""], ["NA", "null"]]


def test_pyarrow_many_blocks() -> None:
    pytest.importorskip("pyarrow.csv")
    rng = np.random.default_rng(0)
    names = np.array(["Åse", "Ørjan", "Kari", 'Ola "O"', "Bø, Per", "x\ny"])
    rows = [f'p{i},{rng.integers(0, 40)},"{names[i % 6]}"' for i in range(60000)]
    text = "person,total,coordinator\n" + "\n".join(rows).replace('""O""', '"O"')
    text = text.replace('"Ola "O""', '"Ola ""O"""')
    result = assert_same(text)
    assert tokenize_csv(text, engine="pyarrow").engine == "pyarrow"
    assert result[1][2][1][:6] == ["Åse", "Ørjan", "Kari", 'Ola "O"', "Bø, Per", "x\ny"]


def test_tokenized_csv_is_a_plain_value() -> None:
    t = tokenize_csv("a\n1\n", engine="numpy")
    assert isinstance(t, TokenizedCsv)
    assert t.arrays[0].tolist() == ["1"]


def test_bench_read_runs(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pandas")
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_read.py"
    spec = importlib.util.spec_from_file_location("bench_read", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--rows", "2000", "--repeats", "1", "--python-repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "numpy engine" in out and "pandas.read_csv" in out
    if importlib.util.find_spec("pyarrow") is not None:  # the two reference lines of each file
        assert out.count("reference: pyarrow.csv.read_csv") == 2
        assert out.count("reference: tokenize only, pyarrow") == 2


@pytest.mark.skipif(importlib.util.find_spec("pyarrow") is None, reason="needs pyarrow")
def test_columns_converted_on_several_threads_are_those_of_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A long text has its columns converted at once; the columns are the same."""
    from fit_scores._core import parallel

    rng = np.random.default_rng(5)
    n = parallel.PARALLEL_ROWS + 10
    names = np.array(["Åse", "Kari, Ola", "p1", ""])
    lines = ["person,coordinator,total,session,date"]
    for i in range(n):
        total = "" if i % 97 == 0 else f"{rng.integers(0, 400) / 10}"
        coordinator = names[i % 4]
        coordinator = f'"{coordinator}"' if "," in coordinator else coordinator
        lines.append(f"p{i % 5000},{coordinator},{total},{i % 30 + 1},2025-01-{i % 28 + 1:02d}")
    text = "\n".join(lines) + "\n"

    def kinds(header: list[str]) -> list[Any]:
        return ["label", "label", "number", "whole", "date"]

    monkeypatch.setattr("os.cpu_count", lambda: 4)
    assert parallel.workers_for(n, 5) == 4
    several = tokenize_csv(text, engine="pyarrow", kinds=kinds)
    monkeypatch.setattr(parallel, "MAX_WORKERS", 1)
    one = tokenize_csv(text, engine="pyarrow", kinds=kinds)
    assert several.engine == one.engine == "pyarrow"
    for a, b in zip(several.arrays, one.arrays, strict=True):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
    assert np.isnan(several.arrays[2][0])
    reference = tokenize_csv(text, engine="numpy")
    assert several.arrays[1].tolist() == reference.arrays[1].tolist()


@pytest.mark.parametrize("engine", [*FAST, "python"])
@pytest.mark.parametrize(
    "body",
    [
        b"p,ORS,2025-01-10,\xff19.5\n",  # unquoted
        b'"p\xc3",ORS,2025-01-10,19.5\n',  # cut, in quotes
        b'p,ORS,2025-01-10,19.5\n"open\xc0\xaf',  # overlong, then an unterminated quote
        b"p\xed\xa0\x80;ORS;2025-01-10;19,5\n",  # a surrogate, another dialect
    ],
)
def test_read_csv_reports_bytes_that_are_not_utf8_on_every_engine(
    tmp_path: Path, engine: str, body: bytes
) -> None:
    from fit_scores.errors import TextEncodingError
    from fit_scores.io import read_csv

    path = tmp_path / "export.csv"
    header = b"person;scale;date;total\n" if b";" in body else b"person,scale,date,total\n"
    path.write_bytes(header + body)
    position = len(header) + next(i for i in range(len(body)) if not _decodes(body[: i + 1] + b"a"))
    with pytest.raises(TextEncodingError, match=rf"export\.csv: byte {position} is not utf-8"):
        read_csv(path, engine=use(engine))  # type: ignore[arg-type]
