"""Mutualis: shared technical-asset management for French local governments.

Who holds and who pays for every asset of a group of collectivités (an
agglomeration and its member communes), on every date, exactly to the cent::

    m = mutualis.Mutualis.load("roannais.json")
    payers = m.payers("GYM-COUBERTIN", datetime.date(2026, 3, 12))
    parts = m.split_cost("MAISON-SERVICES", datetime.date(2026, 3, 12), Decimal("1000.01"))

The implementation lives in the compiled extension ``mutualis._mutualis``
(the Rust core through PyO3); this package re-exports its public names.

Money is ``decimal.Decimal`` (``int`` is accepted on input; ``float``, ``str``
and ``bool`` are refused with ``ArgumentTypeError``, a ``TypeError``). Dates
are ``datetime.date`` (a ``datetime.datetime`` is refused). Periods are
``start``/``end``, both days inclusive, ``end=None`` meaning open-ended.
Every error is a ``MutualisError``: one class per core error, under
``ValidationError``, ``NotFoundError``, ``ConflictError`` and ``FormatError``;
a command that raises changes nothing.
"""

from ._mutualis import (
    ASSET_KINDS,
    FORMAT_NAME,
    FORMAT_VERSION,
    KEY_BASES,
    TENANT_KINDS,
    VAT_RATES,
    Allocation,
    AmountOutOfRangeError,
    ArgumentTypeError,
    Asset,
    AssetCycleError,
    ConflictError,
    Custody,
    CustodyOverlapError,
    CustodyToOwnerError,
    DatasetFileError,
    DatesOutOfOrderError,
    DuplicateAssetError,
    DuplicateKeyTenantError,
    DuplicateServiceError,
    DuplicateSirenError,
    DuplicateTenantError,
    FormatError,
    Holder,
    InvalidAmountError,
    InvalidCodeError,
    InvalidFieldError,
    InvalidInseeError,
    InvalidJsonError,
    InvalidMembershipError,
    InvalidSirenError,
    InvalidSiretError,
    KeyOverlapError,
    Mutualis,
    MutualisError,
    NotFoundError,
    NothingToEndError,
    OutsideAssetLifeError,
    Payers,
    Service,
    Share,
    SharingKey,
    SubCentAmountError,
    Tenant,
    UnknownAssetError,
    UnknownKindError,
    UnknownServiceError,
    UnknownTenantError,
    UnknownVatRateError,
    UnsupportedFormatError,
    ValidationError,
    VatLine,
    WeightsSumToZeroError,
    __version__,
    parse_insee,
    parse_siren,
    parse_siret,
    round_cents,
    split,
    vat_line,
)

__all__ = [
    # constants
    "__version__",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "VAT_RATES",
    "TENANT_KINDS",
    "ASSET_KINDS",
    "KEY_BASES",
    # functions
    "split",
    "round_cents",
    "vat_line",
    "parse_siren",
    "parse_siret",
    "parse_insee",
    # façade and records
    "Mutualis",
    "Tenant",
    "Service",
    "Asset",
    "Custody",
    "SharingKey",
    "Holder",
    "Payers",
    "Share",
    "Allocation",
    "VatLine",
    # errors
    "MutualisError",
    "ValidationError",
    "NotFoundError",
    "ConflictError",
    "FormatError",
    "ArgumentTypeError",
    "InvalidAmountError",
    "DatasetFileError",
    "InvalidSirenError",
    "InvalidSiretError",
    "InvalidInseeError",
    "InvalidCodeError",
    "InvalidFieldError",
    "UnknownKindError",
    "DatesOutOfOrderError",
    "WeightsSumToZeroError",
    "DuplicateKeyTenantError",
    "SubCentAmountError",
    "AmountOutOfRangeError",
    "UnknownVatRateError",
    "UnknownTenantError",
    "UnknownServiceError",
    "UnknownAssetError",
    "DuplicateTenantError",
    "DuplicateSirenError",
    "DuplicateServiceError",
    "DuplicateAssetError",
    "InvalidMembershipError",
    "AssetCycleError",
    "OutsideAssetLifeError",
    "CustodyOverlapError",
    "CustodyToOwnerError",
    "KeyOverlapError",
    "NothingToEndError",
    "InvalidJsonError",
    "UnsupportedFormatError",
]
