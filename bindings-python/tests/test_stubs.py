"""The hand-written stub must match the compiled module (mypy.stubtest)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_stubtest_passes() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "mutualis._mutualis"],
        capture_output=True,
        text=True,
        cwd=HERE,  # not the source tree, so the installed package is checked
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_tests_typecheck_against_stub() -> None:
    """The stub is usable: mypy checks the test suite against it."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--allow-any-generics",
            *sorted(str(p) for p in HERE.glob("*.py")),
        ],
        capture_output=True,
        text=True,
        cwd=HERE,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
