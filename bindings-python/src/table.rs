//! Column results as Arrow tables: [`PyTable`] (`mutualis.Table`).
//!
//! Every columnar result (ledger, settlement, budgets, plans, statistics,
//! the modules' tables) is built here as one Arrow `RecordBatch`, straight
//! from the core's values — no Python object per cell on the way:
//!
//! * amounts and other exact numbers: `decimal128(p, s)` from the integer
//!   mantissa (`s` = 2 for money, more only where a column's values need it:
//!   quantities and CMUP keep their 4 decimals);
//! * dates: `date32`;
//! * codes: dictionary-encoded strings (`dictionary<int32, utf8>`, or the
//!   core's dense ids as `uint32` keys for the ledger); free text (names,
//!   descriptions, titles…) plain `utf8`;
//! * integers, floats and booleans as such; missing values are nulls.
//!
//! The table implements the Arrow PyCapsule interface (`__arrow_c_stream__`,
//! `__arrow_c_schema__`), so `polars.DataFrame(t)`, `pyarrow.table(t)` and
//! `duckdb.sql("from t")` read its buffers without a copy. It is also a
//! read-only mapping of column name to `list` (the dict-of-lists form these
//! results had before: `t["ttc"]`, `list(t)`, `t.items()`, `t == {...}`),
//! and `to_pydict()` returns that `dict`. It is deliberately not registered
//! as a `collections.abc.Mapping`: polars and pandas would then take it for
//! a dict of lists and read it cell by cell instead of through the stream.
//!
//! The stream is exported with arrow's safe `FFI_ArrowArrayStream::new` and
//! handed over in a `PyCapsule` that owns it: a consumer moves the stream
//! out (marking the capsule's copy released); the capsule's destructor drops
//! whatever is left. No `unsafe` here.

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Decimal128Builder, Float64Builder, Int64Builder, StringBuilder,
    StringDictionaryBuilder, UInt32Builder, UInt64Builder,
};
use arrow_array::cast::AsArray;
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::types::{
    Date32Type, Decimal128Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type,
    UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{
    Array, ArrayRef, DictionaryArray, RecordBatch, RecordBatchIterator, RecordBatchOptions,
    StringArray, UInt32Array,
};
use arrow_schema::ffi::FFI_ArrowSchema;
use arrow_schema::{ArrowError, DataType, Field, Schema};
use chrono::NaiveDate;
use pyo3::exceptions::{PyImportError, PyKeyError, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict, PyList, PyString, PyTuple};
use rust_decimal::Decimal;

/// Columns whose strings are free text (names, descriptions), kept as plain
/// `utf8`; every other string column holds codes and is dictionary-encoded.
const FREE_TEXT: &[&str] = &[
    "name",
    "title",
    "description",
    "label",
    "note",
    "notes",
    "comment",
    "address",
    "reason",
    "message",
    "detail",
    "text",
];

/// Columns of exact quantities or unit prices: at least 4 decimals (the
/// CMUP's), where money columns have 2.
const FOUR_DECIMALS: &[&str] = &["quantity", "unit_cost", "cmup", "hours", "units"];

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
const EPOCH_FROM_CE: i32 = 719_163;

/// The `date32` value (days since 1970-01-01) of a date.
pub fn date32(d: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&d) - EPOCH_FROM_CE
}

/// The date of a core day number (days from the common era, chrono's
/// numbering) as `date32`.
pub fn date32_of_ce(day: i32) -> i32 {
    day - EPOCH_FROM_CE
}

fn arrow_err(e: ArrowError) -> PyErr {
    PyRuntimeError::new_err(format!("building an Arrow table: {e}"))
}

/// A table under construction: named Arrow columns of equal length.
#[derive(Default)]
pub struct Columns {
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
}

impl Columns {
    /// No columns yet.
    pub fn new() -> Columns {
        Columns::default()
    }

    /// Adds a column from the core's values (see [`IntoColumn`]).
    pub fn set_item<C: IntoColumn>(&mut self, name: &str, column: C) -> PyResult<()> {
        let array = column.into_column(name);
        self.push(name, array);
        Ok(())
    }

    /// Adds a built Arrow column.
    pub fn push(&mut self, name: &str, array: ArrayRef) {
        self.fields
            .push(Field::new(name, array.data_type().clone(), true));
        self.arrays.push(array);
    }

    /// The table (the columns must all have the same length).
    pub fn finish(self) -> PyResult<PyTable> {
        let rows = self.arrays.first().map_or(0, |a| a.len());
        let schema = Arc::new(Schema::new(self.fields));
        let options = RecordBatchOptions::new().with_row_count(Some(rows));
        let batch =
            RecordBatch::try_new_with_options(schema, self.arrays, &options).map_err(arrow_err)?;
        Ok(PyTable { batch })
    }
}

/// A column of codes given as dense ids into `codes`: a dictionary array
/// with the ids as `uint32` keys (no hashing, no string per row). `none`
/// marks a missing value; an id past the end of `codes` reads as the core's
/// `UNKNOWN_CODE`.
pub fn id_codes<S: AsRef<str>>(codes: &[S], ids: &[u32], none: Option<u32>) -> ArrayRef {
    let mut values: Vec<&str> = codes.iter().map(AsRef::as_ref).collect();
    let unknown = u32::try_from(values.len()).unwrap_or(u32::MAX);
    values.push(mutualis::UNKNOWN_CODE);
    let keys: UInt32Array = ids
        .iter()
        .map(|&id| {
            if Some(id) == none {
                None
            } else if id < unknown {
                Some(id)
            } else {
                Some(unknown)
            }
        })
        .collect();
    let values: ArrayRef = Arc::new(StringArray::from(values));
    match DictionaryArray::<UInt32Type>::try_new(keys, values) {
        Ok(d) => Arc::new(d),
        // unreachable: every key is below the number of values
        Err(_) => Arc::new(StringArray::from(Vec::<Option<&str>>::new())),
    }
}

/// A column of tenant codes from tenant ids (dictionary-encoded, the ids as
/// keys).
pub fn tenant_codes(m: &mutualis::Mutualis, ids: &[mutualis::TenantId]) -> ArrayRef {
    let codes: Vec<&str> = m.tenants().iter().map(|t| t.code.as_str()).collect();
    let ids: Vec<u32> = ids
        .iter()
        .map(|t| u32::try_from(t.index()).unwrap_or(u32::MAX))
        .collect();
    id_codes(&codes, &ids, None)
}

/// A money column from integer cents: `decimal128(18, 2)`, the cents as the
/// mantissa (no `Decimal` on the way).
pub fn cents(values: &[i64]) -> ArrayRef {
    let array =
        arrow_array::Decimal128Array::from_iter_values(values.iter().map(|&c| i128::from(c)));
    match array.with_precision_and_scale(18, 2) {
        Ok(a) => Arc::new(a),
        // unreachable: 2 < 18
        Err(_) => Arc::new(arrow_array::Decimal128Array::from(Vec::<i128>::new())),
    }
}

/// The values a column can be built from.
pub trait IntoColumn {
    /// The Arrow array of these values, for the column named `name`.
    fn into_column(self, name: &str) -> ArrayRef;
}

/// One cell type: how a sequence of it becomes an Arrow array.
pub trait Cell {
    /// The array of `cells` for the column `name`.
    fn column<'a, I>(cells: I, len: usize, name: &str) -> ArrayRef
    where
        I: Iterator<Item = &'a Self>,
        Self: 'a;
}

impl<T: Cell> IntoColumn for Vec<T> {
    fn into_column(self, name: &str) -> ArrayRef {
        T::column(self.iter(), self.len(), name)
    }
}

impl<T: Cell> IntoColumn for &Vec<T> {
    fn into_column(self, name: &str) -> ArrayRef {
        T::column(self.iter(), self.len(), name)
    }
}

impl<T: Cell> IntoColumn for &[T] {
    fn into_column(self, name: &str) -> ArrayRef {
        T::column(self.iter(), self.len(), name)
    }
}

macro_rules! int_cells {
    ($builder:ident, $native:ty: $($t:ty),*) => {$(
        impl Cell for $t {
            fn column<'a, I: Iterator<Item = &'a Self>>(cells: I, len: usize, _: &str) -> ArrayRef
            where Self: 'a {
                let mut b = $builder::with_capacity(len);
                for &c in cells {
                    b.append_option(<$native>::try_from(c).ok());
                }
                Arc::new(b.finish())
            }
        }
        impl Cell for Option<$t> {
            fn column<'a, I: Iterator<Item = &'a Self>>(cells: I, len: usize, _: &str) -> ArrayRef
            where Self: 'a {
                let mut b = $builder::with_capacity(len);
                for c in cells {
                    b.append_option(c.and_then(|c| <$native>::try_from(c).ok()));
                }
                Arc::new(b.finish())
            }
        }
    )*};
}

int_cells!(UInt32Builder, u32: u8, u16, u32);
int_cells!(UInt64Builder, u64: u64, usize);
int_cells!(Int64Builder, i64: i8, i16, i32, i64);

impl Cell for bool {
    fn column<'a, I: Iterator<Item = &'a Self>>(cells: I, len: usize, _: &str) -> ArrayRef {
        let mut b = BooleanBuilder::with_capacity(len);
        cells.for_each(|&c| b.append_value(c));
        Arc::new(b.finish())
    }
}

impl Cell for Option<bool> {
    fn column<'a, I: Iterator<Item = &'a Self>>(cells: I, len: usize, _: &str) -> ArrayRef {
        let mut b = BooleanBuilder::with_capacity(len);
        cells.for_each(|&c| b.append_option(c));
        Arc::new(b.finish())
    }
}

impl Cell for f64 {
    fn column<'a, I: Iterator<Item = &'a Self>>(cells: I, len: usize, _: &str) -> ArrayRef {
        let mut b = Float64Builder::with_capacity(len);
        cells.for_each(|&c| b.append_value(c));
        Arc::new(b.finish())
    }
}

impl Cell for Option<f64> {
    fn column<'a, I: Iterator<Item = &'a Self>>(cells: I, len: usize, _: &str) -> ArrayRef {
        let mut b = Float64Builder::with_capacity(len);
        cells.for_each(|&c| b.append_option(c));
        Arc::new(b.finish())
    }
}

impl Cell for NaiveDate {
    fn column<'a, I: Iterator<Item = &'a Self>>(cells: I, len: usize, _: &str) -> ArrayRef {
        let mut b = Date32Builder::with_capacity(len);
        cells.for_each(|&c| b.append_value(date32(c)));
        Arc::new(b.finish())
    }
}

impl Cell for Option<NaiveDate> {
    fn column<'a, I: Iterator<Item = &'a Self>>(cells: I, len: usize, _: &str) -> ArrayRef {
        let mut b = Date32Builder::with_capacity(len);
        cells.for_each(|c| b.append_option(c.map(date32)));
        Arc::new(b.finish())
    }
}

/// A decimal column: the scale is 2 (money), 4 for the quantity and unit
/// price columns, more where a value needs it (never rounded); precision 18
/// when every value fits, else 38.
fn decimal_column<'a, I>(cells: I, len: usize, name: &str) -> ArrayRef
where
    I: Iterator<Item = Option<&'a Decimal>> + Clone,
{
    let base = if FOUR_DECIMALS.contains(&name) { 4 } else { 2 };
    let scale = cells
        .clone()
        .flatten()
        .map(Decimal::scale)
        .fold(base, u32::max);
    let mut b = Decimal128Builder::with_capacity(len);
    let mut wide = false;
    for c in cells {
        let m = c.map(|d| {
            let mut d = *d;
            d.rescale(scale);
            d.mantissa()
        });
        wide |= m.is_some_and(|m| m.unsigned_abs() >= 10u128.pow(18));
        b.append_option(m);
    }
    let precision = if wide { 38 } else { 18 };
    let scale = i8::try_from(scale).unwrap_or(28);
    match b.with_precision_and_scale(precision, scale) {
        Ok(mut b) => Arc::new(b.finish()),
        // unreachable: scale ≤ 28 < precision
        Err(_) => Arc::new(Decimal128Builder::new().finish()),
    }
}

impl Cell for Decimal {
    fn column<'a, I: Iterator<Item = &'a Self>>(cells: I, len: usize, name: &str) -> ArrayRef {
        let cells: Vec<&Decimal> = cells.collect();
        decimal_column(cells.iter().map(|d| Some(*d)), len, name)
    }
}

impl Cell for Option<Decimal> {
    fn column<'a, I: Iterator<Item = &'a Self>>(cells: I, len: usize, name: &str) -> ArrayRef {
        let cells: Vec<&Option<Decimal>> = cells.collect();
        decimal_column(cells.iter().map(|d| d.as_ref()), len, name)
    }
}

/// A string column: codes dictionary-encoded, free text plain.
fn string_column<'a, I>(cells: I, len: usize, name: &str) -> ArrayRef
where
    I: Iterator<Item = Option<&'a str>>,
{
    if FREE_TEXT.contains(&name) {
        let mut b = StringBuilder::with_capacity(len, len * 8);
        cells.for_each(|c| b.append_option(c));
        Arc::new(b.finish())
    } else {
        let mut b = StringDictionaryBuilder::<Int32Type>::with_capacity(len, 64, 1024);
        cells.for_each(|c| b.append_option(c));
        Arc::new(b.finish())
    }
}

impl Cell for &str {
    fn column<'a, I: Iterator<Item = &'a Self>>(cells: I, len: usize, name: &str) -> ArrayRef
    where
        Self: 'a,
    {
        string_column(cells.map(|s| Some(*s)), len, name)
    }
}

impl Cell for Option<&str> {
    fn column<'a, I: Iterator<Item = &'a Self>>(cells: I, len: usize, name: &str) -> ArrayRef
    where
        Self: 'a,
    {
        string_column(cells.copied(), len, name)
    }
}

impl Cell for String {
    fn column<'a, I: Iterator<Item = &'a Self>>(cells: I, len: usize, name: &str) -> ArrayRef {
        string_column(cells.map(|s| Some(s.as_str())), len, name)
    }
}

impl Cell for Option<String> {
    fn column<'a, I: Iterator<Item = &'a Self>>(cells: I, len: usize, name: &str) -> ArrayRef {
        string_column(cells.map(|s| s.as_deref()), len, name)
    }
}

/// A columnar result: an Arrow table (Arrow PyCapsule interface) that is
/// also a read-only mapping of column name to `list`.
#[pyclass(frozen, name = "Table", module = "mutualis._mutualis")]
pub struct PyTable {
    batch: RecordBatch,
}

impl PyTable {
    /// The Python values of column `i`, as a list (the dict-of-lists form).
    fn column_list<'py>(&self, py: Python<'py>, i: usize) -> PyResult<Bound<'py, PyList>> {
        let array = self.batch.column(i);
        column_list(py, array.as_ref())
    }

    fn index(&self, name: &str) -> PyResult<usize> {
        self.batch
            .schema_ref()
            .index_of(name)
            .map_err(|_| PyKeyError::new_err(name.to_owned()))
    }

    fn names(&self) -> Vec<&str> {
        self.batch
            .schema_ref()
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect()
    }
}

/// The Python values of an array (nulls as `None`).
fn column_list<'py>(py: Python<'py>, array: &dyn Array) -> PyResult<Bound<'py, PyList>> {
    let n = array.len();
    macro_rules! prim {
        ($t:ty) => {{
            let a = array.as_primitive::<$t>();
            PyList::new(py, (0..n).map(|i| a.is_valid(i).then(|| a.value(i))))
        }};
    }
    match array.data_type() {
        DataType::Int8 => prim!(Int8Type),
        DataType::Int16 => prim!(Int16Type),
        DataType::Int32 => prim!(Int32Type),
        DataType::Int64 => prim!(Int64Type),
        DataType::UInt8 => prim!(UInt8Type),
        DataType::UInt16 => prim!(UInt16Type),
        DataType::UInt32 => prim!(UInt32Type),
        DataType::UInt64 => prim!(UInt64Type),
        DataType::Float64 => prim!(Float64Type),
        DataType::Boolean => {
            let a = array.as_boolean();
            PyList::new(py, (0..n).map(|i| a.is_valid(i).then(|| a.value(i))))
        }
        DataType::Date32 => {
            let a = array.as_primitive::<Date32Type>();
            PyList::new(
                py,
                (0..n).map(|i| {
                    a.is_valid(i)
                        .then(|| NaiveDate::from_num_days_from_ce_opt(a.value(i) + EPOCH_FROM_CE))
                        .flatten()
                }),
            )
        }
        DataType::Decimal128(_, scale) => {
            let a = array.as_primitive::<Decimal128Type>();
            let scale = u32::try_from(*scale).unwrap_or(0);
            PyList::new(
                py,
                (0..n).map(|i| {
                    a.is_valid(i)
                        .then(|| Decimal::try_from_i128_with_scale(a.value(i), scale).ok())
                        .flatten()
                }),
            )
        }
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            PyList::new(py, (0..n).map(|i| a.is_valid(i).then(|| a.value(i))))
        }
        DataType::Dictionary(key, _) => {
            let (keys, values): (Vec<Option<usize>>, &dyn Array) = match key.as_ref() {
                DataType::Int32 => {
                    let d = array.as_dictionary::<Int32Type>();
                    let k = d.keys();
                    let keys = (0..n)
                        .map(|i| {
                            k.is_valid(i)
                                .then(|| usize::try_from(k.value(i)).ok())
                                .flatten()
                        })
                        .collect();
                    (keys, d.values().as_ref())
                }
                _ => {
                    let d = array.as_dictionary::<UInt32Type>();
                    let k = d.keys();
                    let keys = (0..n)
                        .map(|i| k.is_valid(i).then(|| k.value(i) as usize))
                        .collect();
                    (keys, d.values().as_ref())
                }
            };
            // one Python string per distinct code, shared by its rows
            let words = column_list(py, values)?;
            let none = py.None().into_bound(py);
            PyList::new(
                py,
                keys.into_iter().map(|k| match k {
                    Some(k) => words.get_item(k).unwrap_or_else(|_| none.clone()),
                    None => none.clone(),
                }),
            )
        }
        other => Err(PyRuntimeError::new_err(format!(
            "no Python form for Arrow type {other}"
        ))),
    }
}

fn optional_import<'py>(
    py: Python<'py>,
    module: &str,
    what: &str,
) -> PyResult<Bound<'py, PyModule>> {
    py.import(module).map_err(|_| {
        PyImportError::new_err(format!(
            "{what} needs the optional dependency {module:?} (pip install {module})"
        ))
    })
}

#[pymethods]
impl PyTable {
    /// The Arrow schema, as an `arrow_schema` PyCapsule.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        let schema =
            FFI_ArrowSchema::try_from(self.batch.schema_ref().as_ref()).map_err(arrow_err)?;
        PyCapsule::new_with_value(py, schema, c"arrow_schema")
    }

    /// The table as an Arrow C stream (`arrow_array_stream` PyCapsule); the
    /// requested schema is ignored (the Arrow PyCapsule interface allows
    /// it). Each call gives a new stream over the same buffers.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let reader =
            RecordBatchIterator::new(std::iter::once(Ok(self.batch.clone())), self.batch.schema());
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    /// The number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }

    /// The column names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.names().into_iter().map(str::to_owned).collect()
    }

    /// The columns as a `dict` of equal-length lists (amounts `Decimal`,
    /// dates `datetime.date`, codes `str`, missing values `None`).
    fn to_pydict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for (i, name) in self.names().into_iter().enumerate() {
            out.set_item(name, self.column_list(py, i)?)?;
        }
        Ok(out)
    }

    /// A `pyarrow.Table` over the same buffers (needs pyarrow).
    fn to_arrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        optional_import(slf.py(), "pyarrow", "Table.to_arrow()")?.call_method1("table", (slf,))
    }

    /// A `polars.DataFrame` (needs polars).
    fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        optional_import(slf.py(), "polars", "Table.to_polars()")?.call_method1("DataFrame", (slf,))
    }

    /// A `pandas.DataFrame` (needs pandas; through pyarrow when installed,
    /// with codes as categoricals, else from `to_pydict()`).
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let pandas = optional_import(py, "pandas", "Table.to_pandas()")?;
        match py.import("pyarrow") {
            Ok(pa) => pa.call_method1("table", (slf,))?.call_method0("to_pandas"),
            Err(_) => pandas.call_method1("DataFrame", (slf.get().to_pydict(py)?,)),
        }
    }

    fn __getitem__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyList>> {
        let i = self.index(name)?;
        self.column_list(py, i)
    }

    fn __contains__(&self, name: &Bound<'_, PyAny>) -> bool {
        name.extract::<String>()
            .is_ok_and(|n| self.batch.schema_ref().index_of(&n).is_ok())
    }

    /// The number of columns (as for the `dict` form); rows: `num_rows`.
    fn __len__(&self) -> usize {
        self.batch.num_columns()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyList::new(py, self.names())?.try_iter()?.into_any())
    }

    /// The column names.
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.names())
    }

    /// The columns' values, as lists.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for i in 0..self.batch.num_columns() {
            out.append(self.column_list(py, i)?)?;
        }
        Ok(out)
    }

    /// (name, values) pairs.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for (i, name) in self.names().into_iter().enumerate() {
            out.append(PyTuple::new(
                py,
                [
                    PyString::new(py, name).into_any(),
                    self.column_list(py, i)?.into_any(),
                ],
            )?)?;
        }
        Ok(out)
    }

    /// A column's values, or `default` when there is no such column.
    #[pyo3(signature = (name, default=None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self.batch.schema_ref().index_of(name) {
            Ok(i) => Ok(self.column_list(py, i)?.into_any()),
            Err(_) => Ok(default.unwrap_or_else(|| py.None().into_bound(py))),
        }
    }

    /// Equal to another table or mapping with the same columns and values.
    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        let mine = self.to_pydict(py)?;
        if let Ok(t) = other.cast::<PyTable>() {
            return mine.eq(t.get().to_pydict(py)?);
        }
        match other.cast::<PyDict>() {
            Ok(d) => mine.eq(d),
            Err(_) => Ok(false),
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "Table({} rows: {})",
            self.batch.num_rows(),
            self.names().join(", ")
        )
    }
}
