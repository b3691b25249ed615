"""Money (DOMAIN.md §3): split, cent rounding, VAT lines, and the strict
Decimal / int conversions of every amount argument."""

import datetime
from decimal import Decimal, DecimalTuple
from typing import List, Union

import pytest

import mutualis
from mutualis import (
    AmountOutOfRangeError,
    ArgumentTypeError,
    InvalidAmountError,
    InvalidFieldError,
    Mutualis,
    MutualisError,
    SubCentAmountError,
    UnknownVatRateError,
    ValidationError,
    WeightsSumToZeroError,
    round_cents,
    split,
    vat_line,
)


def exact(values: List[Decimal]) -> List[DecimalTuple]:
    """Value *and* scale: Decimal("0.00") != Decimal("0") here."""
    return [v.as_tuple() for v in values]


def decimals(*texts: str) -> List[Decimal]:
    return [Decimal(t) for t in texts]


# --- split: DOMAIN §3 examples --------------------------------------------------


def test_split_60_40() -> None:
    parts = split(Decimal("1000.01"), [6000, 4000])
    assert parts == decimals("600.01", "400.00")
    assert exact(parts) == exact(decimals("600.01", "400.00"))
    assert all(type(p) is Decimal for p in parts)


def test_split_thirds() -> None:
    assert split(Decimal("0.10"), [3334, 3333, 3333]) == decimals("0.04", "0.03", "0.03")


def test_split_one_cent_tie_goes_to_the_first() -> None:
    assert exact(split(Decimal("0.01"), [5000, 5000])) == exact(decimals("0.01", "0.00"))


def test_split_one_cent_tie_through_a_key_goes_to_agglo() -> None:
    # Same tie through the registry: payers come in tenant-code order, so
    # AGGLO (before ROANNE) gets the cent, whatever the order given.
    m = Mutualis()
    m.add_tenant("ROANNE", "Ville de Roanne", "commune", "214218703", "42187")
    m.add_tenant("AGGLO", "Roannais Agglomération", "communaute_d_agglomeration", "200035731")
    m.add_asset("HQ", "Siège", "building", "ROANNE", datetime.date(2000, 1, 1))
    m.set_sharing_key("HQ", "agreed", {"ROANNE": 5000, "AGGLO": 5000}, datetime.date(2020, 1, 1))
    parts = m.split_cost("HQ", datetime.date(2026, 1, 1), Decimal("0.01"))
    assert [(p.tenant, p.amount) for p in parts] == [("AGGLO", Decimal("0.01")), ("ROANNE", Decimal("0.00"))]


def test_split_credit_note_reverses_the_invoice() -> None:
    invoice = split(Decimal("0.10"), [3334, 3333, 3333])
    credit = split(Decimal("-0.10"), [3334, 3333, 3333])
    assert credit == [-p for p in invoice] == decimals("-0.04", "-0.03", "-0.03")
    assert split(Decimal("-1000.01"), [6000, 4000]) == decimals("-600.01", "-400.00")


@pytest.mark.parametrize(
    ("amount", "weights"),
    [
        (Decimal("1000.01"), [6000, 4000]),
        (Decimal("123456.78"), [1, 1, 1, 1, 1, 1, 1]),
        (Decimal("-0.07"), [0, 3, 5]),
        (7, [1080, 720]),
        (Decimal("0.99"), list(range(1, 100))),
    ],
)
def test_split_parts_sum_to_the_amount(amount: Union[Decimal, int], weights: List[int]) -> None:
    parts = split(amount, weights)
    assert len(parts) == len(weights)
    assert sum(parts) == amount
    total = sum(weights)
    for part, w in zip(parts, weights):
        assert abs(part - Decimal(amount) * w / total) < Decimal("0.01")


def test_split_refusals() -> None:
    with pytest.raises(SubCentAmountError, match="not a whole number of cents"):
        split(Decimal("0.005"), [1, 1])
    with pytest.raises(WeightsSumToZeroError):
        split(Decimal("10"), [0, 0])
    with pytest.raises(WeightsSumToZeroError):
        split(Decimal("10"), [])
    with pytest.raises(AmountOutOfRangeError):
        split(Decimal("1E+26"), [1])
    with pytest.raises(InvalidFieldError, match="negative"):
        split(Decimal("10"), [1, -1])
    with pytest.raises(InvalidFieldError, match="too large"):
        split(Decimal("10"), [2**64])
    for bad in (1.5, True, "1", None):
        with pytest.raises(ArgumentTypeError, match="weight"):
            split(Decimal("10"), [1, bad])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        split(Decimal("10"), 3)  # type: ignore[arg-type]


# --- rounding and VAT ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("170.844"), "170.84"),
        (Decimal("0.125"), "0.13"),
        (Decimal("-0.005"), "-0.01"),
        (Decimal("0.005"), "0.01"),
        (Decimal("2"), "2.00"),
        (7, "7.00"),
    ],
)
def test_round_cents(amount: Union[Decimal, int], expected: str) -> None:
    assert round_cents(amount).as_tuple() == Decimal(expected).as_tuple()


def test_vat_lines_of_the_14_juillet() -> None:
    barriers = vat_line(Decimal("480.00"), 20)
    assert [barriers.ht, barriers.rate, barriers.vat, barriers.ttc] == decimals("480.00", "20", "96.00", "576.00")
    assert str(barriers.ttc) == "576.00"
    fireworks = vat_line(3500, Decimal("20"))
    assert fireworks.vat == Decimal("700.00") and str(fireworks.ttc) == "4200.00"
    assert barriers == vat_line(480, Decimal("20.0"))
    assert repr(barriers) == (
        "VatLine(ht=Decimal('480.00'), rate=Decimal('20'), vat=Decimal('96.00'), ttc=Decimal('576.00'))"
    )


@pytest.mark.parametrize(
    ("rate", "vat"),
    [(10, "10.00"), (Decimal("5.5"), "5.50"), (Decimal("2.1"), "2.10")],
)
def test_vat_rates_in_force(rate: Union[Decimal, int], vat: str) -> None:
    line = vat_line(100, rate)
    assert line.rate == Decimal(rate) and str(line.vat) == vat
    assert Decimal(rate) in mutualis.VAT_RATES


def test_vat_rounds_ht_then_vat_half_away_from_zero() -> None:
    line = vat_line(Decimal("0.125"), Decimal("5.5"))
    assert (str(line.ht), str(line.vat), str(line.ttc)) == ("0.13", "0.01", "0.14")


def test_vat_refusals() -> None:
    with pytest.raises(UnknownVatRateError, match="rates in force are 20, 10, 5.5 and 2.1"):
        vat_line(100, 19)
    with pytest.raises(UnknownVatRateError):
        vat_line(100, Decimal("0.20"))  # a fraction, not a percent
    with pytest.raises(ArgumentTypeError):
        vat_line(100, 20.0)  # type: ignore[arg-type]
    # Too large to be exact: an error, never a crash (the core's VatLine uses
    # plain Decimal operators, which overflow near 7.9e28).
    with pytest.raises(AmountOutOfRangeError):
        vat_line(Decimal("79228162514264337593543950335"), 20)


def test_vat_rates_constant() -> None:
    assert mutualis.VAT_RATES == (Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1"))


# --- strict conversions ---------------------------------------------------------------


@pytest.mark.parametrize("bad", [0.1, 1.0, float("nan"), "0.10", True, None, [1]])
def test_non_decimal_money_is_refused(bad: object) -> None:
    with pytest.raises(ArgumentTypeError, match="expected decimal.Decimal or int"):
        round_cents(bad)  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError):
        split(bad, [1])  # type: ignore[arg-type]


def test_float_refusal_is_a_type_error_and_a_validation_error() -> None:
    for cls in (TypeError, ValidationError, MutualisError, ArgumentTypeError):
        with pytest.raises(cls, match="floats are inexact"):
            split(0.1, [1, 1])  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match="floats are inexact"):
        vat_line(480.0, 20)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bad",
    [
        Decimal("NaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
        Decimal("1E+29"),
        Decimal("1E+999999"),
        Decimal("1E-29"),
        Decimal("0." + "0" * 28 + "1"),
        Decimal("79228162514264337593543950336"),
        2**96,
    ],
)
def test_unrepresentable_amounts_are_refused(bad: Union[Decimal, int]) -> None:
    with pytest.raises(InvalidAmountError):
        round_cents(bad)


def test_scale_is_preserved_on_output() -> None:
    assert repr(split(Decimal("1E+3"), [1])[0]) == "Decimal('1000.00')"
    assert split(10, [1, 1]) == decimals("5.00", "5.00")
