//! The record protocol of every frozen record class: `__match_args__` (so
//! `match r: case Tenant(code, name, ...)` works), `to_dict()` (field name →
//! value in declaration order, values as the getters give them) and pickling
//! (`__reduce__` → `_rebuild(cls, fields)` → the class's private
//! `_from_dict`, which rebuilds an equal record), so `copy.copy`,
//! `copy.deepcopy` and `multiprocessing` work too.
//!
//! pyo3 does not keep the order of getters, so each class states its field
//! list once, to the [`record_class!`] macro (or to `py_record!`, which
//! declares the struct and calls it): the rebuild is a struct literal over
//! that list, so a field left out of it does not compile.
//!
//! A rebuild converts each value back with [`FromField`]: the getters'
//! Python types (`str`, `int`, `bool`, `Decimal`, `datetime.date`, aware
//! `datetime.datetime`, `datetime.timedelta`, lists, dicts, nested records)
//! to the field's Rust type (a dict given for a list of pairs gives its
//! items). A mapping with missing or unknown fields, or a
//! value of the wrong type, is refused with `ArgumentTypeError` naming the
//! field.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple, PyType};
use rust_decimal::Decimal;

use crate::{argument_type_error, type_name};

/// A name the core gives as `&'static str` (borrowed, no allocation), owned
/// when rebuilt by unpickling.
pub(crate) type Label = Cow<'static, str>;

/// A field value rebuilt from what its getter gives.
pub(crate) trait FromField: Sized {
    /// Converts the getter's Python value back to the field.
    fn from_field(obj: &Bound<'_, PyAny>) -> PyResult<Self>;
}

/// `FromField` through the type's own `FromPyObject`.
macro_rules! extracted {
    ($($t:ty),+ $(,)?) => {$(
        impl FromField for $t {
            fn from_field(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
                obj.extract().map_err(Into::into)
            }
        }
    )+};
}
extracted!(
    String,
    bool,
    i32,
    u32,
    i64,
    u64,
    usize,
    f64,
    Decimal,
    NaiveDate,
    DateTime<Utc>,
    TimeDelta,
);

/// Names the core gives as `&'static str` come back owned.
impl FromField for Cow<'static, str> {
    fn from_field(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        String::from_field(obj).map(Cow::Owned)
    }
}

/// The exceptions of a report (`CsvReport.errors`…) stay exceptions.
impl FromField for Py<pyo3::exceptions::PyBaseException> {
    fn from_field(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(obj
            .cast::<pyo3::exceptions::PyBaseException>()?
            .clone()
            .unbind())
    }
}

impl<T: FromField> FromField for Option<T> {
    fn from_field(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        if obj.is_none() {
            Ok(None)
        } else {
            T::from_field(obj).map(Some)
        }
    }
}

impl<T: FromField> FromField for Vec<T> {
    fn from_field(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyString>() {
            return Err(argument_type_error(
                obj.py(),
                "expected a list, got str".to_owned(),
            ));
        }
        // a dict getter (weights per tenant…) holds a list of pairs
        if let Ok(dict) = obj.cast::<PyDict>() {
            return dict
                .items()
                .iter()
                .map(|pair| T::from_field(&pair))
                .collect();
        }
        obj.try_iter()?.map(|item| T::from_field(&item?)).collect()
    }
}

impl<A: FromField, B: FromField> FromField for (A, B) {
    fn from_field(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        let (a, b): (Bound<'_, PyAny>, Bound<'_, PyAny>) = obj.extract()?;
        Ok((A::from_field(&a)?, B::from_field(&b)?))
    }
}

impl<A: FromField, B: FromField, C: FromField> FromField for (A, B, C) {
    fn from_field(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        let (a, b, c): (Bound<'_, PyAny>, Bound<'_, PyAny>, Bound<'_, PyAny>) = obj.extract()?;
        Ok((A::from_field(&a)?, B::from_field(&b)?, C::from_field(&c)?))
    }
}

impl<K: FromField + Ord, V: FromField> FromField for BTreeMap<K, V> {
    fn from_field(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        let dict = obj.cast::<PyDict>()?;
        dict.iter()
            .map(|(k, v)| Ok((K::from_field(&k)?, V::from_field(&v)?)))
            .collect()
    }
}

/// The value of `name` in a rebuild's mapping, converted to the field's type.
pub(crate) fn field<T: FromField>(fields: &Bound<'_, PyDict>, name: &str) -> PyResult<T> {
    let py = fields.py();
    let value = fields
        .get_item(name)?
        .ok_or_else(|| argument_type_error(py, format!("missing field {name:?}")))?;
    T::from_field(&value).map_err(|e| {
        argument_type_error(
            py,
            format!("field {name:?}: {} ({})", e.value(py), type_name(&value)),
        )
    })
}

/// Refuses a rebuild mapping whose keys are not exactly `names`.
pub(crate) fn check_fields(fields: &Bound<'_, PyDict>, names: &[&str]) -> PyResult<()> {
    for key in fields.keys() {
        let known = key
            .cast::<PyString>()
            .ok()
            .map(|k| k.to_cow().map(|k| names.contains(&k.as_ref())))
            .transpose()?
            .unwrap_or(false);
        if !known {
            return Err(argument_type_error(
                fields.py(),
                format!("unknown field {}", key.repr()?),
            ));
        }
    }
    // every key is known and keys are distinct: same count, same set
    if fields.len() != names.len() {
        let missing: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !fields.contains(*n).unwrap_or(false))
            .collect();
        return Err(argument_type_error(
            fields.py(),
            format!("missing fields {missing:?}"),
        ));
    }
    Ok(())
}

/// `__match_args__`: the field names.
pub(crate) fn match_args(py: Python<'_>, names: &[&str]) -> PyResult<Py<PyTuple>> {
    PyTuple::new(py, names).map(Bound::unbind)
}

/// `to_dict()`: field name → the getter's value, in declaration order.
pub(crate) fn to_dict<'py>(
    record: &Bound<'py, PyAny>,
    names: &[&str],
) -> PyResult<Bound<'py, PyDict>> {
    let py = record.py();
    let dict = PyDict::new(py);
    for name in names {
        let key = PyString::intern(py, name);
        dict.set_item(&key, record.getattr(&key)?)?;
    }
    Ok(dict)
}

/// What `__reduce__` gives: `(_rebuild, (type(record), record.to_dict()))`.
pub(crate) type Reduced<'py> = (Bound<'py, PyAny>, (Bound<'py, PyType>, Bound<'py, PyDict>));

/// `__reduce__()`: `(_rebuild, (type(record), record.to_dict()))`.
pub(crate) fn reduce<'py>(record: &Bound<'py, PyAny>, names: &[&str]) -> PyResult<Reduced<'py>> {
    static REBUILD: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let py = record.py();
    let rebuild = REBUILD.get_or_try_init(py, || {
        py.import("mutualis._mutualis")?
            .getattr("_rebuild")
            .map(Bound::unbind)
    })?;
    Ok((
        rebuild.bind(py).clone(),
        (record.get_type(), to_dict(record, names)?),
    ))
}

/// Rebuilds a pickled record: `cls` is a record class of this module,
/// `fields` its `to_dict()`.
#[pyfunction]
pub(crate) fn _rebuild<'py>(
    cls: &Bound<'py, PyType>,
    fields: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = cls.py();
    let Ok(from_dict) = cls.getattr("_from_dict") else {
        return Err(argument_type_error(
            py,
            format!("{} is not a mutualis record class", cls.qualname()?),
        ));
    };
    from_dict.call1((fields,))
}

/// Declares the record protocol of a frozen record class in its
/// `#[pymethods]` block: `record_class! { PyX { field, other as "py_name" }
/// <other methods> }`. The list names every field of the struct in
/// declaration order (`as` gives the Python name when it differs); the
/// rebuild is a struct literal over it, and the record can be nested in
/// another one. A class whose Python fields are not its struct's, or that
/// is not `Clone`, gives the names and the rebuild itself:
/// `record_class! { PyX ["a", "b"] |fields| <expression> ; <methods> }`.
macro_rules! record_class {
    (
        $rust:ident { $( $field:ident $(as $py:literal)? ),+ $(,)? }
        $($methods:tt)*
    ) => {
        record_class! {
            $rust [$(record_class!(@name $field $($py)?)),+] |fields| $rust {
                $( $field: crate::protocol::field(fields, record_class!(@name $field $($py)?))?, )+
            };
            $($methods)*
        }

        // a record nested in another one (`Payers.shares`…) rebuilds as a copy
        impl crate::protocol::FromField for $rust {
            fn from_field(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
                Ok(obj.cast::<$rust>()?.get().clone())
            }
        }
    };
    (
        $rust:ident [$($name:expr),+] |$fields:ident| $build:expr;
        $($methods:tt)*
    ) => {
        #[pymethods]
        impl $rust {
            /// Field names in declaration order (positional `match` patterns).
            #[classattr]
            fn __match_args__(py: Python<'_>) -> PyResult<Py<pyo3::types::PyTuple>> {
                crate::protocol::match_args(py, &[$($name),+])
            }

            /// Field name → value, in declaration order.
            fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
                crate::protocol::to_dict(slf.as_any(), &[$($name),+])
            }

            /// Pickling: rebuilt by `_rebuild(type(self), self.to_dict())`.
            fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<crate::protocol::Reduced<'py>> {
                crate::protocol::reduce(slf.as_any(), &[$($name),+])
            }

            /// The record whose `to_dict()` is `fields` (see `_rebuild`).
            #[staticmethod]
            fn _from_dict($fields: &Bound<'_, pyo3::types::PyDict>) -> PyResult<Self> {
                crate::protocol::check_fields($fields, &[$($name),+])?;
                Ok($build)
            }

            $($methods)*
        }
    };
    (@name $field:ident $py:literal) => { $py };
    (@name $field:ident) => { stringify!($field) };
}

/// Declares a frozen record class with every field readable, the record
/// protocol over all its fields and a repr listing the named fields.
macro_rules! py_record {
    (
        $(#[$meta:meta])*
        $rust:ident as $name:literal {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty, )+
        }
        repr($($shown:ident),+)
    ) => {
        $(#[$meta])*
        #[pyclass(frozen, eq, hash, get_all, name = $name, module = "mutualis._mutualis")]
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $rust {
            $( $(#[$fmeta])* pub(crate) $field: $ty, )+
        }

        record_class! {
            $rust { $($field),+ }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                record_repr!(py, $name, $($shown = self.$shown.clone()),+)
            }
        }
    };
}
