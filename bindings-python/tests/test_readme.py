"""The README's Python snippets run as written: each ```python block of
README.md is executed, in order, in one namespace and a fresh directory; a
comment line right after a ``print(...)`` is the output it must print."""

import contextlib
import io
import os
import pathlib
import re
from typing import Any, Dict, List

import pytest

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def blocks() -> List[str]:
    return re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), re.S | re.M)


def expected_outputs(code: str) -> List[str]:
    lines = code.splitlines()
    out = []
    for prev, line in zip(lines, lines[1:]):
        if prev.strip().startswith("print(") and line.strip().startswith("# "):
            out.append(line.strip()[2:])
    return out


def test_the_readme_has_python_snippets() -> None:
    assert len(blocks()) >= 2


def test_the_readme_python_snippets_run_as_written(tmp_path: pathlib.Path) -> None:
    namespace: Dict[str, Any] = {"__name__": "readme"}
    printed = io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(printed):
            for code in blocks():
                exec(compile(code, str(README), "exec"), namespace)
    finally:
        os.chdir(cwd)
    lines = printed.getvalue().splitlines()
    expected = [e for code in blocks() for e in expected_outputs(code)]
    assert len(expected) >= 3
    # every documented output is printed, in order
    it = iter(lines)
    for e in expected:
        assert any(line == e for line in it), f"{e!r} not printed; got {lines!r}"
    # the float refusal printed its message
    assert any("floats are inexact" in line for line in lines)
    assert (tmp_path / "patrimoine.db").exists()


def test_a_float_amount_is_refused_as_the_readme_says() -> None:
    import mutualis

    with pytest.raises(mutualis.ArgumentTypeError, match="floats are inexact"):
        mutualis.split(0.1, [1, 1])  # type: ignore[arg-type]
