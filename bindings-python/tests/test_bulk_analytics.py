"""The bulk path: a generated columnar dataset and the four questions."""

from pathlib import Path

import pytest

import mutualis
from mutualis import BulkDataset


def test_generated_answers_conserve_every_cent(tmp_path: Path) -> None:
    data = BulkDataset.generate(2_000, seed=7)
    assert data.interventions == 2_000
    assert data.lines > 4_000
    answers = data.answers()
    q1 = answers["q1"]
    assert set(q1) == {"year", "payer", "service", "nature", "cents"}
    assert len({len(col) for col in q1.values()}) == 1
    # the same dataset written and read back gives the same answers
    path = tmp_path / "dataset.mtb"
    data.write(path)
    again = BulkDataset.load(path)
    assert again.answers() == answers
    assert again.lines == data.lines
    # deterministic
    assert BulkDataset.generate(2_000, seed=7).answers() == answers
    assert BulkDataset.generate(2_000, seed=8).answers() != answers
    # settlement rows never have the creditor as debtor
    q2 = answers["q2"]
    assert all(c != d for c, d in zip(q2["creditor"], q2["debtor"]))
    assert "BulkDataset(2000 interventions" in repr(data)


def test_bad_files_raise_typed_errors(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mtb"
    junk.write_bytes(b"not a dataset")
    with pytest.raises(mutualis.InvalidFieldError, match="MTB1|truncated"):
        BulkDataset.load(junk)
    data = BulkDataset.generate(100)
    path = tmp_path / "cut.mtb"
    data.write(path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(mutualis.InvalidFieldError, match="truncated"):
        BulkDataset.load(path)
    with pytest.raises(mutualis.StorageError):
        BulkDataset.load(tmp_path / "missing.mtb")
