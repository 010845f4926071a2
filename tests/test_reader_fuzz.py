"""Fuzzing the reader with mutated workbooks: it returns a TemplateResponse or raises an OretraceError.

Nothing else may escape (no traceback, no calamine exception, no abort), and no example may take
long: a supplier's broken file must cost a reviewer a message, never a hung portal.
"""

from __future__ import annotations

import io
import time
import zipfile
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oretrace.errors import OretraceError
from oretrace.rmi import TemplateResponse, read_template
from samples import CENTRAL_GLASS
from test_opening import minimal_cmrt, with_part

SECONDS_PER_EXAMPLE = 2.0
FUZZ = settings(
    max_examples=40,
    deadline=None,  # timed below, against a bound that is about outcomes, not a flaky first run
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same examples on every run, so that CI is repeatable
)


@cache
def seeds() -> tuple[bytes, ...]:
    """The synthetic CMRT, and a real supplier file when ../shared is there."""
    found = [minimal_cmrt()]
    if CENTRAL_GLASS.exists():
        found.append(CENTRAL_GLASS.read_bytes())
    return tuple(found)


def outcome(data: bytes) -> TemplateResponse | OretraceError:
    started = time.perf_counter()
    try:
        result: TemplateResponse | OretraceError = read_template(data, name="fuzzed.xlsx")
    except OretraceError as error:
        result = error
    elapsed = time.perf_counter() - started
    assert elapsed < SECONDS_PER_EXAMPLE, f"reading took {elapsed:.1f} s"
    if isinstance(result, OretraceError):
        assert result.code != "error" and result.message.strip()
        assert "Traceback" not in result.message
    else:
        assert isinstance(result, TemplateResponse)
    return result


seed = st.integers(min_value=0, max_value=1).map(lambda i: seeds()[i % len(seeds())])


@FUZZ
@given(seed, st.floats(min_value=0.0, max_value=1.0))
def test_a_truncated_workbook_is_read_or_refused(data, fraction):
    outcome(data[: int(len(data) * fraction)])


@FUZZ
@given(seed, st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 7)), min_size=1, max_size=8))
def test_a_workbook_with_flipped_bits_is_read_or_refused(data, flips):
    mutated = bytearray(data)
    for where, bit in flips:
        mutated[min(int(where * len(mutated)), len(mutated) - 1)] ^= 1 << bit
    outcome(bytes(mutated))


@FUZZ
@given(seed, st.data())
def test_a_workbook_with_swapped_parts_is_read_or_refused(data, draw):
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(archive.namelist())
    first, second = draw.draw(st.sampled_from(names)), draw.draw(st.sampled_from(names))
    swap = {first: second, second: first}
    out = io.BytesIO()
    # Stored, not deflated: re-compressing the real file's 7 MB of XML per example is the slow part.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as swapped:
        for name in names:
            swapped.writestr(name, archive.read(swap.get(name, name)))
    outcome(out.getvalue())


@FUZZ
@given(st.integers(min_value=1, max_value=200_000), st.integers(min_value=1, max_value=200))
def test_a_huge_shared_string_table_is_read_or_refused(count, length):
    strings = b"".join(b"<si><t>" + b"x" * length + b"</t></si>" for _ in range(count))
    table = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'count="%d" uniqueCount="%d">' % (count, count) + strings + b"</sst>"
    )
    outcome(with_part(minimal_cmrt(), "xl/sharedStrings.xml", table))


@FUZZ
@given(st.binary(min_size=0, max_size=4_096))
def test_random_bytes_are_refused(data):
    assert isinstance(outcome(data), OretraceError)


@FUZZ
@given(st.binary(min_size=0, max_size=512))
def test_random_bytes_behind_a_zip_or_ole_signature_are_refused(tail):
    for magic in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        assert isinstance(outcome(magic + tail), OretraceError)


@FUZZ
@given(st.sampled_from(["Declaration", "Smelter List", "Product List", "Checker"]), st.binary(max_size=64))
def test_a_sheet_replaced_by_garbage_is_read_or_refused(sheet, garbage):
    data = minimal_cmrt()
    names = openpyxl_sheet_parts(data)
    outcome(with_part(data, names[sheet], garbage))


def openpyxl_sheet_parts(data: bytes) -> dict[str, str]:
    """openpyxl saves sheets in creation order as sheet1.xml, sheet2.xml, ..."""
    order = ["Declaration", "Smelter List", "Product List", "Checker"]
    assert (
        len([n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("xl/worksheets/")]) == 4
    )
    return {name: f"xl/worksheets/sheet{i}.xml" for i, name in enumerate(order, start=1)}


def test_a_workbook_without_its_declaration_sheet_is_refused_as_no_template():
    renamed = minimal_cmrt(declaration="Summary")
    assert outcome(renamed).code == "not-an-rmi-template"


def test_a_zip_bomb_among_the_parts_is_refused_quickly():
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(minimal_cmrt()))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
        with archive.open("xl/media/padding.bin", "w") as part:
            for _ in range(12):
                part.write(bytes(1_048_576))
    assert outcome(out.getvalue()).code == "archive-too-large-when-unpacked"
