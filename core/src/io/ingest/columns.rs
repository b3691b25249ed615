//! Typed, borrowing views of the columns of one record batch: values are
//! read as `&str` straight from the Arrow buffers (no per-row allocation),
//! dates as `NaiveDate`, amounts as exact `Decimal`.

// A cell's error carries the crate's (large) Error, as every command does.
#![allow(clippy::result_large_err)]

use std::str::FromStr;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Decimal128Type, Decimal32Type, Decimal64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{
    Array, DictionaryArray, LargeStringArray, PrimitiveArray, RecordBatch, StringArray,
    StringViewArray,
};
use arrow_schema::DataType;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::schema::{ColumnKind, TableDef};
use crate::error::{Error, Result};

/// A text column.
pub(crate) enum Text<'a> {
    Utf8(&'a StringArray),
    Large(&'a LargeStringArray),
    View(&'a StringViewArray),
    Dict(&'a DictionaryArray<Int32Type>, &'a StringArray),
}

impl<'a> Text<'a> {
    #[inline]
    fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            Text::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            Text::Large(a) => a.is_valid(i).then(|| a.value(i)),
            Text::View(a) => a.is_valid(i).then(|| a.value(i)),
            Text::Dict(d, values) => {
                if !d.is_valid(i) {
                    return None;
                }
                let k = d.keys().value(i);
                usize::try_from(k)
                    .ok()
                    .filter(|&k| k < values.len() && values.is_valid(k))
                    .map(|k| values.value(k))
            }
        }
    }
}

/// An integer column of any width.
pub(crate) enum Ints<'a> {
    I8(&'a PrimitiveArray<Int8Type>),
    I16(&'a PrimitiveArray<Int16Type>),
    I32(&'a PrimitiveArray<Int32Type>),
    I64(&'a PrimitiveArray<Int64Type>),
    U8(&'a PrimitiveArray<UInt8Type>),
    U16(&'a PrimitiveArray<UInt16Type>),
    U32(&'a PrimitiveArray<UInt32Type>),
    U64(&'a PrimitiveArray<UInt64Type>),
}

impl Ints<'_> {
    fn get(&self, i: usize) -> Option<i128> {
        macro_rules! v {
            ($a:expr) => {
                $a.is_valid(i).then(|| i128::from($a.value(i)))
            };
        }
        match self {
            Ints::I8(a) => v!(a),
            Ints::I16(a) => v!(a),
            Ints::I32(a) => v!(a),
            Ints::I64(a) => v!(a),
            Ints::U8(a) => v!(a),
            Ints::U16(a) => v!(a),
            Ints::U32(a) => v!(a),
            Ints::U64(a) => v!(a),
        }
    }
}

/// One column of a batch, typed.
pub(crate) enum Col<'a> {
    /// Not given, or all null.
    Absent,
    Text(Text<'a>),
    Date32(&'a PrimitiveArray<arrow_array::types::Date32Type>),
    Date64(&'a PrimitiveArray<arrow_array::types::Date64Type>),
    Int(Ints<'a>),
    Dec128(&'a PrimitiveArray<Decimal128Type>, u32),
    Dec64(&'a PrimitiveArray<Decimal64Type>, u32),
    Dec32(&'a PrimitiveArray<Decimal32Type>, u32),
}

fn ints(a: &dyn Array) -> Option<Ints<'_>> {
    Some(match a.data_type() {
        DataType::Int8 => Ints::I8(a.as_primitive()),
        DataType::Int16 => Ints::I16(a.as_primitive()),
        DataType::Int32 => Ints::I32(a.as_primitive()),
        DataType::Int64 => Ints::I64(a.as_primitive()),
        DataType::UInt8 => Ints::U8(a.as_primitive()),
        DataType::UInt16 => Ints::U16(a.as_primitive()),
        DataType::UInt32 => Ints::U32(a.as_primitive()),
        DataType::UInt64 => Ints::U64(a.as_primitive()),
        _ => return None,
    })
}

fn text(a: &dyn Array) -> Option<Text<'_>> {
    Some(match a.data_type() {
        DataType::Utf8 => Text::Utf8(a.as_string::<i32>()),
        DataType::LargeUtf8 => Text::Large(a.as_string::<i64>()),
        DataType::Utf8View => Text::View(a.as_string_view()),
        DataType::Dictionary(k, v) if **k == DataType::Int32 && **v == DataType::Utf8 => {
            let d = a.as_dictionary::<Int32Type>();
            Text::Dict(d, d.values().as_string::<i32>())
        }
        _ => return None,
    })
}

fn scale(s: i8) -> Option<u32> {
    u32::try_from(s).ok().filter(|&s| s <= 28)
}

/// The typed columns of one batch of a table, in the order of the
/// table's [`TableDef::columns`].
pub(crate) struct Batch<'a> {
    pub def: &'static TableDef,
    pub cols: Vec<Col<'a>>,
    pub rows: usize,
}

impl<'a> Batch<'a> {
    /// Resolves the columns of `batch` against the table's schema: a
    /// missing required column, a column of another type, a floating-point
    /// amount are refused here, before any row is read.
    pub fn resolve(def: &'static TableDef, batch: &'a RecordBatch) -> Result<Batch<'a>> {
        let schema = batch.schema_ref();
        let mut cols = Vec::with_capacity(def.columns.len());
        for c in def.columns {
            let Ok(idx) = schema.index_of(c.name) else {
                if c.required {
                    return Err(Error::MissingColumn {
                        table: def.name,
                        column: c.name,
                    });
                }
                cols.push(Col::Absent);
                continue;
            };
            let a: &'a dyn Array = batch.column(idx).as_ref();
            let dt = a.data_type();
            if *dt == DataType::Null {
                cols.push(Col::Absent);
                continue;
            }
            let wrong = || Error::ColumnType {
                table: def.name,
                column: c.name,
                found: dt.to_string(),
                expected: c.kind.expected(),
            };
            if let Some(t) = text(a) {
                cols.push(Col::Text(t));
                continue;
            }
            let col = match (c.kind, dt) {
                (ColumnKind::Text, _) => return Err(wrong()),
                (ColumnKind::Date, DataType::Date32) => Col::Date32(a.as_primitive()),
                (ColumnKind::Date, DataType::Date64) => Col::Date64(a.as_primitive()),
                (ColumnKind::Date, _) => return Err(wrong()),
                (ColumnKind::Integer | ColumnKind::Decimal, _) if ints(a).is_some() => {
                    Col::Int(ints(a).ok_or_else(wrong)?)
                }
                (
                    ColumnKind::Decimal,
                    DataType::Float16 | DataType::Float32 | DataType::Float64,
                ) => {
                    return Err(Error::FloatColumn {
                        table: def.name,
                        column: c.name,
                    })
                }
                (ColumnKind::Decimal, DataType::Decimal128(_, s)) => {
                    Col::Dec128(a.as_primitive(), scale(*s).ok_or_else(wrong)?)
                }
                (ColumnKind::Decimal, DataType::Decimal64(_, s)) => {
                    Col::Dec64(a.as_primitive(), scale(*s).ok_or_else(wrong)?)
                }
                (ColumnKind::Decimal, DataType::Decimal32(_, s)) => {
                    Col::Dec32(a.as_primitive(), scale(*s).ok_or_else(wrong)?)
                }
                _ => return Err(wrong()),
            };
            cols.push(col);
        }
        Ok(Batch {
            def,
            cols,
            rows: batch.num_rows(),
        })
    }

    /// The column `name` of this batch, resolved once (then read row by row
    /// without looking its name up again).
    pub fn column(&self, name: &'static str) -> Column<'_, 'a> {
        let i = self.def.position(name);
        // the names asked for are the schema's own (a test checks every table)
        Column {
            name,
            col: self.cols.get(i).unwrap_or(&Col::Absent),
        }
    }

    /// An optional text value ("" counts as none).
    #[inline]
    pub fn text(&self, name: &'static str, i: usize) -> Option<&'a str> {
        self.column(name).text(i)
    }

    /// A required text value.
    pub fn req_text(&self, name: &'static str, i: usize) -> Result<&'a str, Cell> {
        self.column(name).req_text(i)
    }

    /// An optional date.
    pub fn date(&self, name: &'static str, i: usize) -> Result<Option<NaiveDate>, Cell> {
        self.column(name).date(i)
    }

    /// A required date.
    pub fn req_date(&self, name: &'static str, i: usize) -> Result<NaiveDate, Cell> {
        self.column(name).req_date(i)
    }

    /// A required integer.
    pub fn req_int(&self, name: &'static str, i: usize) -> Result<i128, Cell> {
        self.column(name).req_int(i)
    }

    /// An optional exact decimal.
    pub fn dec(&self, name: &'static str, i: usize) -> Result<Option<Decimal>, Cell> {
        self.column(name).dec(i)
    }

    /// A required exact decimal.
    pub fn req_dec(&self, name: &'static str, i: usize) -> Result<Decimal, Cell> {
        self.column(name).req_dec(i)
    }

    /// An optional named value (a kind, a status, a unit).
    pub fn named<T: FromStr<Err = Error>>(
        &self,
        name: &'static str,
        i: usize,
    ) -> Result<Option<T>, Cell> {
        self.column(name).named(i)
    }

    /// A required named value.
    pub fn req_named<T: FromStr<Err = Error>>(
        &self,
        name: &'static str,
        i: usize,
    ) -> Result<T, Cell> {
        self.column(name).req_named(i)
    }
}

/// One resolved column of a batch ([`Batch::column`]): its values read by
/// row index.
#[derive(Clone, Copy)]
pub(crate) struct Column<'b, 'a> {
    name: &'static str,
    col: &'b Col<'a>,
}

impl<'a> Column<'_, 'a> {
    /// An optional text value ("" counts as none).
    #[inline]
    pub fn text(&self, i: usize) -> Option<&'a str> {
        match self.col {
            Col::Text(t) => t.get(i).filter(|s| !s.is_empty()),
            _ => None,
        }
    }

    /// A required text value.
    pub fn req_text(&self, i: usize) -> Result<&'a str, Cell> {
        self.text(i).ok_or_else(|| missing(self.name))
    }

    /// An optional date.
    pub fn date(&self, i: usize) -> Result<Option<NaiveDate>, Cell> {
        let name = self.name;
        let bad = |v: String| Cell(Some(name), invalid(name, format!("{v} is not a date")));
        match self.col {
            Col::Date32(a) => a
                .is_valid(i)
                .then(|| {
                    // days from 1970-01-01 (day 719 163 from 0001-01-01)
                    i32::try_from(i64::from(a.value(i)) + 719_163)
                        .ok()
                        .and_then(NaiveDate::from_num_days_from_ce_opt)
                        .ok_or_else(|| bad(a.value(i).to_string()))
                })
                .transpose(),
            Col::Date64(a) => a
                .is_valid(i)
                .then(|| {
                    chrono::DateTime::from_timestamp_millis(a.value(i))
                        .map(|t| t.date_naive())
                        .ok_or_else(|| bad(a.value(i).to_string()))
                })
                .transpose(),
            Col::Text(t) => match t.get(i).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| {
                        Cell(
                            Some(name),
                            invalid(name, format!("{s:?} is not an ISO date (YYYY-MM-DD)")),
                        )
                    }),
            },
            _ => Ok(None),
        }
    }

    /// Row `i`'s day number in a date column of days (Date32), as stored
    /// (`None`: another column or a null).
    #[inline]
    pub fn raw_day(&self, i: usize) -> Option<i32> {
        match self.col {
            Col::Date32(a) if a.is_valid(i) => Some(a.value(i)),
            _ => None,
        }
    }

    /// A required date.
    pub fn req_date(&self, i: usize) -> Result<NaiveDate, Cell> {
        self.date(i)?.ok_or_else(|| missing(self.name))
    }

    /// An optional integer.
    pub fn int(&self, i: usize) -> Result<Option<i128>, Cell> {
        let name = self.name;
        match self.col {
            Col::Int(a) => Ok(a.get(i)),
            Col::Text(t) => match t.get(i).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => s.trim().parse::<i128>().map(Some).map_err(|_| {
                    Cell(
                        Some(name),
                        invalid(name, format!("{s:?} is not an integer")),
                    )
                }),
            },
            _ => Ok(None),
        }
    }

    /// A required integer.
    pub fn req_int(&self, i: usize) -> Result<i128, Cell> {
        self.int(i)?.ok_or_else(|| missing(self.name))
    }

    /// An optional exact decimal.
    pub fn dec(&self, i: usize) -> Result<Option<Decimal>, Cell> {
        let name = self.name;
        let range = |v: i128| {
            Cell(
                Some(name),
                Error::AmountOutOfRange(Decimal::from(
                    v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64,
                )),
            )
        };
        let scaled =
            |v: i128, s: u32| Decimal::try_from_i128_with_scale(v, s).map_err(|_| range(v));
        match self.col {
            Col::Dec128(a, s) => a.is_valid(i).then(|| scaled(a.value(i), *s)).transpose(),
            Col::Dec64(a, s) => a
                .is_valid(i)
                .then(|| scaled(i128::from(a.value(i)), *s))
                .transpose(),
            Col::Dec32(a, s) => a
                .is_valid(i)
                .then(|| scaled(i128::from(a.value(i)), *s))
                .transpose(),
            Col::Int(a) => a.get(i).map(|v| scaled(v, 0)).transpose(),
            Col::Text(t) => match t.get(i).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => Decimal::from_str_exact(s.trim()).map(Some).map_err(|_| {
                    Cell(
                        Some(name),
                        invalid(name, format!("{s:?} is not an exact decimal number")),
                    )
                }),
            },
            _ => Ok(None),
        }
    }

    /// An exact-decimal (or integer) column's value at row `i` as it is
    /// held: mantissa and scale (`Some(None)`: null, or no column). `None`
    /// for a text column, whose values are parsed by [`Column::dec`].
    #[inline]
    pub fn raw_dec(&self, i: usize) -> Option<Option<(i128, u32)>> {
        Some(match self.col {
            Col::Dec128(a, s) => a.is_valid(i).then(|| (a.value(i), *s)),
            Col::Dec64(a, s) => a.is_valid(i).then(|| (i128::from(a.value(i)), *s)),
            Col::Dec32(a, s) => a.is_valid(i).then(|| (i128::from(a.value(i)), *s)),
            Col::Int(a) => a.get(i).map(|v| (v, 0)),
            Col::Text(_) => return None,
            _ => None,
        })
    }

    /// A required exact decimal.
    pub fn req_dec(&self, i: usize) -> Result<Decimal, Cell> {
        self.dec(i)?.ok_or_else(|| missing(self.name))
    }

    /// An optional named value (a kind, a status, a unit).
    pub fn named<T: FromStr<Err = Error>>(&self, i: usize) -> Result<Option<T>, Cell> {
        self.text(i)
            .map(|s| s.parse::<T>().map_err(|e| Cell(Some(self.name), e)))
            .transpose()
    }

    /// A required named value.
    pub fn req_named<T: FromStr<Err = Error>>(&self, i: usize) -> Result<T, Cell> {
        self.named(i)?.ok_or_else(|| missing(self.name))
    }
}

impl<'a> Column<'_, 'a> {
    /// A dictionary column's values (`None` for another column).
    fn dictionary(&self) -> Option<&'a arrow_array::ArrayRef> {
        match self.col {
            Col::Text(Text::Dict(d, _)) => Some(d.values()),
            _ => None,
        }
    }

    /// A dictionary column's key at row `i` (`None` for another column, a
    /// null row or a key out of range).
    fn key(&self, i: usize) -> Option<usize> {
        match self.col {
            Col::Text(Text::Dict(d, values)) if d.is_valid(i) => usize::try_from(d.keys().value(i))
                .ok()
                .filter(|&k| k < values.len()),
            _ => None,
        }
    }
}

impl<'b, 'a> Column<'b, 'a> {
    /// The raw view of an exact decimal column, for reading row after row
    /// ([`RawDecs::get`] reads as [`Column::raw_dec`]).
    pub fn raw_decs(self) -> RawDecs<'b, 'a> {
        match self.col {
            Col::Dec128(a, s) => RawDecs::Dec128(a.values().as_ref(), a, *s),
            _ => RawDecs::Other(self),
        }
    }
}

/// An exact decimal column read row after row: a `Decimal128` column
/// straight from its buffer, another through [`Column::raw_dec`].
#[derive(Clone, Copy)]
pub(crate) enum RawDecs<'b, 'a> {
    /// Values, the column (for its nulls), scale.
    Dec128(&'a [i128], &'a PrimitiveArray<Decimal128Type>, u32),
    /// Any other column.
    Other(Column<'b, 'a>),
}

impl RawDecs<'_, '_> {
    /// Row `i`'s value as [`Column::raw_dec`] gives it.
    #[inline]
    pub fn get(&self, i: usize) -> Option<Option<(i128, u32)>> {
        match *self {
            RawDecs::Dec128(values, a, s) => Some(if a.is_null(i) {
                None
            } else {
                Some((*values.get(i)?, s))
            }),
            RawDecs::Other(c) => c.raw_dec(i),
        }
    }
}

/// The place [`Places::at`] gives a null (or no) value.
pub(crate) const NULL_KEY: u32 = u32::MAX;

/// The dictionary keys of `N` columns of one batch, read straight from
/// their buffers: a row's places in a few instructions per column. Two
/// rows of one batch with the same places hold the same values.
pub(crate) struct Places<'a, const N: usize> {
    /// Per column: its keys (`None`: an absent column).
    cols: [Option<DictKeys<'a>>; N],
}

/// A dictionary column's keys, the column (for its nulls) and the
/// dictionary's length.
type DictKeys<'a> = (&'a [i32], &'a DictionaryArray<Int32Type>, usize);

impl<'a, const N: usize> Places<'a, N> {
    /// The places of `cols`, if each is a dictionary or absent.
    pub fn new(cols: [Column<'_, 'a>; N]) -> Option<Places<'a, N>> {
        let mut out = [None; N];
        for (slot, c) in out.iter_mut().zip(cols) {
            *slot = match c.col {
                Col::Absent => None,
                Col::Text(Text::Dict(d, values)) => {
                    Some((d.keys().values().as_ref(), *d, values.len()))
                }
                _ => return None,
            };
        }
        Some(Places { cols: out })
    }

    /// Row `i`'s places: per column, its dictionary key, or [`NULL_KEY`]
    /// for a null row, an absent column or a key out of range (all read as
    /// no value).
    #[inline]
    pub fn at(&self, i: usize) -> [u32; N] {
        std::array::from_fn(|j| match self.cols[j] {
            None => NULL_KEY,
            Some((keys, d, len)) => {
                if d.is_null(i) {
                    return NULL_KEY;
                }
                match keys.get(i).and_then(|&k| u32::try_from(k).ok()) {
                    Some(k) if (k as usize) < len => k,
                    _ => NULL_KEY,
                }
            }
        })
    }
}

/// What the values of one dictionary column resolved to (a code's id),
/// kept from batch to batch while they share the dictionary (a Parquet
/// column chunk's): each distinct value is resolved once, not once per row.
/// Only successes are kept, so a bad value is reported at each row as
/// before; a column that is not a dictionary is never cached.
pub(crate) struct KeyCache<V> {
    /// The dictionary the ids are of (held, so it cannot be freed and its
    /// address reused by another).
    values: Option<arrow_array::ArrayRef>,
    ids: Vec<Option<V>>,
}

impl<V: Copy> KeyCache<V> {
    /// An empty cache.
    pub fn new() -> KeyCache<V> {
        KeyCache {
            values: None,
            ids: Vec::new(),
        }
    }

    /// Points the cache at `col`'s dictionary (a new one empties it).
    pub fn bind(&mut self, col: &Column<'_, '_>) {
        match col.dictionary() {
            Some(v) if self.values.as_ref().is_some_and(|x| Arc::ptr_eq(x, v)) => {}
            Some(v) => {
                self.values = Some(Arc::clone(v));
                self.ids.clear();
                self.ids.resize(v.len(), None);
            }
            None => {
                self.values = None;
                self.ids.clear();
            }
        }
    }

    /// The id of row `i`'s value of `col` (the column last bound), if known.
    pub fn get(&self, col: &Column<'_, '_>, i: usize) -> Option<V> {
        col.key(i).and_then(|k| self.ids.get(k).copied().flatten())
    }

    /// Keeps the id row `i`'s value of `col` resolved to.
    pub fn set(&mut self, col: &Column<'_, '_>, i: usize, v: V) {
        if let Some(slot) = col.key(i).and_then(|k| self.ids.get_mut(k)) {
            *slot = Some(v);
        }
    }
}

/// An error at a cell: the column at fault (if known) and the error.
#[derive(Debug)]
pub(crate) struct Cell(pub Option<&'static str>, pub Error);

impl Cell {
    /// An error blamed on `column`.
    pub fn at(column: &'static str) -> impl FnOnce(Error) -> Cell {
        move |e| Cell(Some(column), e)
    }
}

impl From<Error> for Cell {
    fn from(e: Error) -> Cell {
        Cell(None, e)
    }
}

fn invalid(field: &'static str, reason: String) -> Error {
    Error::InvalidField { field, reason }
}

fn missing(name: &'static str) -> Cell {
    Cell(Some(name), invalid(name, "missing value".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ColumnDef, TableDef};
    use arrow_array::{ArrayRef, Int32Array};

    /// A table of one optional text column.
    static VEHICLES: TableDef = TableDef {
        name: "cost_lines",
        columns: &[ColumnDef {
            name: "vehicle",
            kind: ColumnKind::Text,
            required: false,
        }],
    };

    fn batch(keys: &[i32], values: &ArrayRef) -> RecordBatch {
        let d =
            DictionaryArray::<Int32Type>::try_new(Int32Array::from(keys.to_vec()), values.clone())
                .unwrap();
        RecordBatch::try_from_iter([("vehicle", Arc::new(d) as ArrayRef)]).unwrap()
    }

    /// Places: a dictionary's keys, [`NULL_KEY`] for a null or an absent
    /// column; no places for a plain text column.
    #[test]
    fn places_are_dictionary_keys_and_nulls() {
        static TWO: TableDef = TableDef {
            name: "cost_lines",
            columns: &[
                ColumnDef {
                    name: "team",
                    kind: ColumnKind::Text,
                    required: false,
                },
                ColumnDef {
                    name: "store",
                    kind: ColumnKind::Text,
                    required: false,
                },
            ],
        };
        let values: ArrayRef = Arc::new(StringArray::from(vec!["R-1", "R-2"]));
        let keys = Int32Array::from(vec![Some(1), None, Some(0), Some(1)]);
        let d = DictionaryArray::<Int32Type>::try_new(keys, values).unwrap();
        let batch = RecordBatch::try_from_iter([("team", Arc::new(d) as ArrayRef)]).unwrap();
        let b = Batch::resolve(&TWO, &batch).unwrap();
        let places = Places::new([b.column("team"), b.column("store")]).unwrap();
        let got: Vec<[u32; 2]> = (0..4).map(|i| places.at(i)).collect();
        assert_eq!(
            got,
            [
                [1, NULL_KEY],
                [NULL_KEY, NULL_KEY],
                [0, NULL_KEY],
                [1, NULL_KEY]
            ]
        );
        let plain = RecordBatch::try_from_iter([(
            "team",
            Arc::new(StringArray::from(vec!["R-1"])) as ArrayRef,
        )])
        .unwrap();
        let b = Batch::resolve(&TWO, &plain).unwrap();
        assert!(Places::new([b.column("team"), b.column("store")]).is_none());
    }

    #[test]
    fn a_key_cache_lasts_while_the_dictionary_does() {
        let def = &VEHICLES;
        let values: ArrayRef = Arc::new(StringArray::from(vec!["VL-1", "VL-2"]));
        let (a, b) = (batch(&[0, 1, 0], &values), batch(&[1, 0], &values));
        let mut cache = KeyCache::<u32>::new();
        let ba = Batch::resolve(def, &a).unwrap();
        let col = ba.column("vehicle");
        cache.bind(&col);
        assert_eq!(cache.get(&col, 0), None);
        cache.set(&col, 0, 7);
        assert_eq!((cache.get(&col, 2), cache.get(&col, 1)), (Some(7), None));
        // the next batch shares the dictionary: its key 0 is known
        let bb = Batch::resolve(def, &b).unwrap();
        let col = bb.column("vehicle");
        cache.bind(&col);
        assert_eq!((cache.get(&col, 1), cache.get(&col, 0)), (Some(7), None));
        // another dictionary (same texts, another array) starts empty
        let other: ArrayRef = Arc::new(StringArray::from(vec!["VL-2", "VL-1"]));
        let c = batch(&[1], &other);
        let bc = Batch::resolve(def, &c).unwrap();
        let col = bc.column("vehicle");
        cache.bind(&col);
        assert_eq!(cache.get(&col, 0), None);
        // a plain text column is never cached
        let plain = RecordBatch::try_from_iter([(
            "vehicle",
            Arc::new(StringArray::from(vec!["VL-1"])) as ArrayRef,
        )])
        .unwrap();
        let bp = Batch::resolve(def, &plain).unwrap();
        let col = bp.column("vehicle");
        cache.bind(&col);
        cache.set(&col, 0, 9);
        assert_eq!(cache.get(&col, 0), None);
    }
}
