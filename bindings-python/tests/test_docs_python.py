"""docs/python.md runs as written: its ```python blocks are executed in
order, in one namespace; a block whose first line is ``# needs: <module>``
is skipped (and said so) when that optional library is not installed; a
comment line right after a ``print(...)`` is the output it must print."""

import contextlib
import importlib.util
import io
import pathlib
import re
import sys
from typing import Any, Dict, List

import pytest

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "python.md"


def blocks() -> List[str]:
    return re.findall(r"^```python\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.S | re.M)


def needs(code: str) -> List[str]:
    first = code.splitlines()[0]
    return first.split(":", 1)[1].split() if first.startswith("# needs:") else []


def expected_outputs(code: str) -> List[str]:
    lines = code.splitlines()
    return [
        line.strip()[2:]
        for prev, line in zip(lines, lines[1:])
        if prev.strip().startswith("print(") and line.strip().startswith("# ")
    ]


def test_the_doc_has_the_sections_and_blocks() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "## pandas and polars" in text and "## Records across processes" in text
    assert len(blocks()) >= 5
    assert {"pandas", "polars"} <= {n for code in blocks() for n in needs(code)}


@pytest.mark.skipif(sys.version_info < (3, 10), reason="the doc uses a match statement")
def test_the_doc_python_blocks_run_as_written() -> None:
    namespace: Dict[str, Any] = {"__name__": "python_md"}
    skipped = []
    for code in blocks():
        missing = [n for n in needs(code) if importlib.util.find_spec(n) is None]
        if missing:
            skipped.append(missing)
            continue
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, str(DOC), "exec"), namespace)
        assert printed.getvalue().splitlines() == expected_outputs(code), code
    if skipped:
        pytest.skip(f"optional libraries not installed: {skipped}")
