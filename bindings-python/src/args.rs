//! Integer arguments.
//!
//! A Python `int` has no size limit; the core takes `i32` years, `u32`
//! priorities and `i64` sequence numbers. Left to PyO3, an `int` that does
//! not fit raises a bare `OverflowError` that names no argument. Every
//! integer parameter of the module is converted here instead (through
//! `#[pyo3(from_py_with = …)]` for plain parameters, through [`Year`] for
//! years inside mappings), so that a caller gets a `MutualisError`:
//! `YearOutOfRangeError` for a year, `ArgumentOutOfRangeError` for any other
//! integer, each naming the argument. The year range itself (1900..=2200) is
//! the core's rule: a year that fits an `i32` is handed over and checked
//! there.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt};

use mutualis::Error;

use crate::{argument_type_error, to_py_err, type_name};

/// The integer value of `obj` (any size), or an `ArgumentTypeError` naming
/// `argument` if `obj` is not an `int` (a `bool` is refused too).
fn integer(obj: &Bound<'_, PyAny>, argument: &str) -> PyResult<Result<i128, String>> {
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return Err(argument_type_error(
            obj.py(),
            format!("expected int for {argument}, got {}", type_name(obj)),
        ));
    }
    match obj.extract::<i128>() {
        Ok(v) => Ok(Ok(v)),
        // beyond 128 bits: keep the digits for the message
        Err(_) => Ok(Err(obj.str()?.to_string())),
    }
}

/// A year argument named `argument`: any `int`, refused with
/// `YearOutOfRangeError` unless it fits an `i32` (the core then checks
/// 1900..=2200).
fn year_arg(obj: &Bound<'_, PyAny>, argument: &'static str) -> PyResult<i32> {
    match integer(obj, argument)? {
        Ok(v) => i32::try_from(v).map_err(|_| {
            to_py_err(Error::YearOutOfRange {
                field: argument,
                year: i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX }),
                min: *mutualis::YEARS.start(),
                max: *mutualis::YEARS.end(),
            })
        }),
        Err(digits) => Err(to_py_err(Error::YearOutOfRange {
            field: argument,
            year: if digits.starts_with('-') {
                i64::MIN
            } else {
                i64::MAX
            },
            min: *mutualis::YEARS.start(),
            max: *mutualis::YEARS.end(),
        })),
    }
}

/// An integer argument of type `T` named `argument`, or
/// `ArgumentOutOfRangeError` with the accepted range.
fn int_arg<T>(obj: &Bound<'_, PyAny>, argument: &'static str) -> PyResult<T>
where
    T: TryFrom<i128> + Bounded,
{
    let out_of_range = |value: String| {
        to_py_err(Error::ArgumentOutOfRange {
            argument,
            value,
            range: format!("{}..={}", T::MIN, T::MAX),
        })
    };
    match integer(obj, argument)? {
        Ok(v) => T::try_from(v).map_err(|_| out_of_range(v.to_string())),
        Err(digits) => Err(out_of_range(digits)),
    }
}

/// The bounds of an integer type, for the error message.
pub(crate) trait Bounded {
    /// Smallest value.
    const MIN: i128;
    /// Largest value.
    const MAX: i128;
}

macro_rules! bounded {
    ($($t:ty),+) => {$(
        impl Bounded for $t {
            const MIN: i128 = <$t>::MIN as i128;
            const MAX: i128 = <$t>::MAX as i128;
        }
    )+};
}
bounded!(u32, i64);

/// Declares one `from_py_with` converter per year parameter name.
macro_rules! year_params {
    ($($name:ident),+ $(,)?) => {$(
        #[doc = concat!("Converts the `", stringify!($name), "` argument (see the module docs).")]
        pub(crate) fn $name(obj: &Bound<'_, PyAny>) -> PyResult<i32> {
            year_arg(obj, stringify!($name))
        }
    )+};
}
year_params!(year, earliest_year, first_year, last_year);

/// Converts the `priority` argument: 0..=4294967295 (the core refuses 0).
/// Converts the `notice_months` argument (see the module docs).
pub(crate) fn notice_months(obj: &Bound<'_, PyAny>) -> PyResult<u32> {
    int_arg(obj, "notice_months")
}

/// Converts the `months` argument (see the module docs).
pub(crate) fn months(obj: &Bound<'_, PyAny>) -> PyResult<u32> {
    int_arg(obj, "months")
}

pub(crate) fn priority(obj: &Bound<'_, PyAny>) -> PyResult<u32> {
    int_arg(obj, "priority")
}

/// Converts the `seq` argument of the store: an `i64` event number.
pub(crate) fn seq(obj: &Bound<'_, PyAny>) -> PyResult<i64> {
    int_arg(obj, "seq")
}

/// Converts the optional `lapse_after_years` argument (`None` or a `u32`;
/// the core accepts 1 to 100).
pub(crate) fn lapse_after_years(obj: &Bound<'_, PyAny>) -> PyResult<Option<u32>> {
    if obj.is_none() {
        Ok(None)
    } else {
        int_arg(obj, "lapse_after_years").map(Some)
    }
}

/// A year inside a mapping (a CP schedule's keys, caps' and an index's
/// years): converted like a `year` argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Year(pub i32);

impl<'py> FromPyObject<'_, 'py> for Year {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> Result<Self, Self::Error> {
        year_arg(&obj, "year").map(Year)
    }
}

/// Converts the `quantity` argument of an allotment (pieces per period).
pub(crate) fn allotment_quantity(obj: &Bound<'_, PyAny>) -> PyResult<u32> {
    int_arg(obj, "quantity")
}

/// Converts the `period_months` argument (see the module docs).
pub(crate) fn period_months(obj: &Bound<'_, PyAny>) -> PyResult<u32> {
    int_arg(obj, "period_months")
}

/// Converts the optional `lifetime_months` argument (`None` or a `u32`).
pub(crate) fn lifetime_months(obj: &Bound<'_, PyAny>) -> PyResult<Option<u32>> {
    if obj.is_none() {
        Ok(None)
    } else {
        int_arg(obj, "lifetime_months").map(Some)
    }
}
