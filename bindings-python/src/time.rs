//! Instants: timezone-aware `datetime.datetime` in, UTC `datetime.datetime` out.
//!
//! Request and work-order status changes and journal entries are instants in
//! UTC (`chrono::DateTime<Utc>` in the core). From Python we accept any
//! *aware* `datetime.datetime` (any tzinfo whose `utcoffset()` is not `None`)
//! and convert it to UTC; a naive datetime is refused with
//! `ArgumentTypeError` rather than guessing its zone, and so is a plain
//! `datetime.date`. Output is always an aware datetime with
//! `tzinfo=datetime.timezone.utc` (pyo3's chrono conversion).

use chrono::{DateTime, SubsecRound, Utc};
use pyo3::prelude::*;
use pyo3::types::{PyDateTime, PyTzInfo};

use crate::{argument_type_error, type_name};

/// An instant extracted strictly from an aware `datetime.datetime`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instant(pub DateTime<Utc>);

impl<'py> FromPyObject<'_, 'py> for Instant {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> Result<Self, Self::Error> {
        let py = obj.py();
        let obj: &Bound<'py, PyAny> = &obj;
        if !obj.is_instance_of::<PyDateTime>() {
            return Err(argument_type_error(
                py,
                format!(
                    "expected a timezone-aware datetime.datetime, got {}",
                    type_name(obj)
                ),
            ));
        }
        if obj.call_method0("utcoffset")?.is_none() {
            return Err(argument_type_error(
                py,
                "expected a timezone-aware datetime.datetime, got a naive one \
                 (use tzinfo=datetime.timezone.utc)"
                    .to_owned(),
            ));
        }
        let utc = PyTzInfo::utc(py)?;
        let in_utc = obj.call_method1("astimezone", (utc,))?;
        in_utc.extract::<DateTime<Utc>>().map(Instant)
    }
}

/// An instant as a record holds it: to the microsecond, the precision of a
/// `datetime.datetime`, so that a record rebuilt from its getters (pickling)
/// is equal to the original.
pub(crate) fn to_python(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}
