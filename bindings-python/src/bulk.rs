//! Columns → cost inputs for `Mutualis.record_costs` (bulk recording by
//! analysts, e.g. `m.record_costs(df.to_dict("list"))`).
//!
//! The input is a mapping of column name to an equal-length sequence. Every
//! row has `work_order`, `nature` and `date`; the other columns it needs
//! depend on its nature (see [`COLUMNS`]). A missing value is `None` — or a
//! float NaN, pandas' marker for missing values in numeric columns — and a
//! missing column counts as all missing. A value in a column its nature
//! does not use is refused (it is probably in the wrong row), as is an
//! unknown column name (a typo must not silently drop data).
//!
//! Conversions are those of the single-line methods (money as `Decimal` or
//! `int`, dates as `datetime.date`), with one allowance for pandas: `agents`
//! may be an integral float (`2.0`), since pandas turns an integer column
//! with missing values into floats. Every error names its 0-based row.

use mutualis::{CostInput, CostNature, Error, UsageUnit, VatRate};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyMapping, PyString};
use rust_decimal::Decimal;

use crate::{argument_type_error, core, iterate, to_py_err, type_name, with_row, Day, Money};

/// Accepted columns, in documentation order.
pub const COLUMNS: &[&str] = &[
    "work_order",
    "nature",
    "date",
    "hours",
    "agents",
    "team",
    "grade",
    "store",
    "item",
    "quantity",
    "vehicle",
    "unit",
    "supplier",
    "description",
    "ht",
    "vat_rate",
];

/// Columns used by each nature (besides work_order, nature and date).
fn used_by(nature: CostNature) -> &'static [&'static str] {
    match nature {
        CostNature::Labour => &["hours", "agents", "team", "grade"],
        CostNature::Material => &["store", "item", "quantity"],
        CostNature::Vehicle => &["vehicle", "unit", "quantity"],
        _ => &["supplier", "description", "ht", "vat_rate"],
    }
}

/// A number of agents: a Python `int` (not `bool`), at least 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Agents(pub u32);

impl Agents {
    /// One agent (the default).
    pub const ONE: Agents = Agents(1);

    /// From a Python int: at least 1 (`InvalidQuantityError`), at most `u32::MAX`.
    fn from_int(obj: &Bound<'_, PyAny>) -> PyResult<Agents> {
        let n: i128 = obj.extract()?;
        if n <= 0 {
            return Err(to_py_err(Error::InvalidQuantity {
                what: "agents",
                value: Decimal::from_i128_with_scale(n.clamp(-(1 << 95), 0), 0),
            }));
        }
        u32::try_from(n).map(Agents).map_err(|_| {
            to_py_err(Error::InvalidField {
                field: "agents",
                reason: format!("{n} agents is too many"),
            })
        })
    }
}

impl<'py> FromPyObject<'_, 'py> for Agents {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> Result<Self, Self::Error> {
        let obj: &Bound<'py, PyAny> = &obj;
        if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
            return Err(argument_type_error(
                obj.py(),
                format!("expected int for agents, got {}", type_name(obj)),
            ));
        }
        Agents::from_int(obj)
    }
}

/// The columns, as equal-length vectors of Python objects.
struct Columns<'py> {
    /// (name, values) for each column given.
    columns: Vec<(&'static str, Vec<Bound<'py, PyAny>>)>,
    /// Number of rows (0 when no column has any).
    rows: usize,
}

impl<'py> Columns<'py> {
    /// The value of a column in a row, `None` when missing (no column, `None` or NaN).
    fn get(&self, name: &str, row: usize) -> Option<&Bound<'py, PyAny>> {
        self.columns
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.get(row))
            .filter(|v| !is_missing(v))
    }
}

/// `None`, or a float NaN (pandas' missing value in numeric columns).
fn is_missing(v: &Bound<'_, PyAny>) -> bool {
    v.is_none() || v.cast::<PyFloat>().is_ok_and(|f| f.value().is_nan())
}

/// `InvalidFieldError` for a value a nature needs.
fn missing(name: &'static str, nature: CostNature) -> PyErr {
    to_py_err(Error::InvalidField {
        field: name,
        reason: format!("missing (a {nature} line needs it)"),
    })
}

/// A `str` value (`ArgumentTypeError` otherwise).
fn text(v: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    match v.cast::<PyString>() {
        Ok(s) => Ok(s.to_cow()?.into_owned()),
        Err(_) => Err(argument_type_error(
            v.py(),
            format!("expected str for {name}, got {}", type_name(v)),
        )),
    }
}

/// Reads the columns mapping.
fn read_columns<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Columns<'py>> {
    let py = obj.py();
    let mapping = obj.cast::<PyMapping>().map_err(|_| {
        argument_type_error(
            py,
            format!(
                "expected a mapping of column name to sequence (e.g. df.to_dict(\"list\")), got {}",
                type_name(obj)
            ),
        )
    })?;
    let mut columns: Vec<(&'static str, Vec<Bound<'py, PyAny>>)> = Vec::new();
    let mut rows: Option<(usize, &'static str)> = None;
    for item in mapping.items()?.iter() {
        let (key, values): (Bound<'py, PyAny>, Bound<'py, PyAny>) = item.extract()?;
        let key = text(&key, "a column name")?;
        let name = COLUMNS.iter().copied().find(|c| *c == key).ok_or_else(|| {
            to_py_err(Error::InvalidField {
                field: "record_costs columns",
                reason: format!("unknown column {key:?}; accepted: {}", COLUMNS.join(", ")),
            })
        })?;
        let values: Vec<Bound<'py, PyAny>> = iterate(&values, name)?.collect::<PyResult<_>>()?;
        match rows {
            Some((n, first)) if n != values.len() => {
                return Err(to_py_err(Error::InvalidField {
                    field: "record_costs columns",
                    reason: format!(
                    "columns must have the same length ({first:?} has {n} rows, {name:?} has {})",
                    values.len()
                ),
                }))
            }
            Some(_) => {}
            None => rows = Some((values.len(), name)),
        }
        columns.push((name, values));
    }
    for required in ["work_order", "nature", "date"] {
        if !columns.iter().any(|(n, _)| *n == required) {
            return Err(to_py_err(Error::InvalidField {
                field: "record_costs columns",
                reason: format!("missing column {required:?}"),
            }));
        }
    }
    Ok(Columns {
        columns,
        rows: rows.map_or(0, |(n, _)| n),
    })
}

/// One row as a core cost input.
fn row_input(c: &Columns<'_>, row: usize) -> PyResult<(String, CostInput)> {
    let need = |name: &'static str, nature: CostNature| {
        c.get(name, row).ok_or_else(|| missing(name, nature))
    };
    let always = |name: &'static str| {
        c.get(name, row).ok_or_else(|| {
            to_py_err(Error::InvalidField {
                field: name,
                reason: "missing".into(),
            })
        })
    };
    let work_order = text(always("work_order")?, "work_order")?;
    let nature_text = text(always("nature")?, "nature")?;
    let nature: CostNature = core(nature_text.parse())?;
    if nature == CostNature::Energy {
        return Err(to_py_err(Error::InvalidField {
            field: "nature",
            reason: "energy costs come from the meters' invoices, not from work orders".into(),
        }));
    }
    let date = always("date")?.extract::<Day>()?.0;
    let used = used_by(nature);
    for (name, _) in &c.columns {
        if !["work_order", "nature", "date"].contains(name)
            && !used.contains(name)
            && c.get(name, row).is_some()
        {
            return Err(to_py_err(Error::InvalidField {
                field: name,
                reason: format!("not used by a {nature} line: leave it None"),
            }));
        }
    }
    let opt_text = |name: &str| c.get(name, row).map(|v| text(v, name)).transpose();
    let input = match nature {
        CostNature::Labour => {
            let hours = need("hours", nature)?.extract::<Money>()?.0;
            let agents = match c.get("agents", row) {
                None => 1,
                Some(v) => bulk_agents(v)?.0,
            };
            CostInput::Labour {
                date,
                hours,
                agents,
                team: opt_text("team")?,
                grade: opt_text("grade")?,
            }
        }
        CostNature::Material => CostInput::Material {
            date,
            store: text(need("store", nature)?, "store")?,
            item: text(need("item", nature)?, "item")?,
            quantity: need("quantity", nature)?.extract::<Money>()?.0,
        },
        CostNature::Vehicle => {
            let unit: UsageUnit = core(text(need("unit", nature)?, "unit")?.parse())?;
            CostInput::Vehicle {
                date,
                vehicle: text(need("vehicle", nature)?, "vehicle")?,
                unit,
                quantity: need("quantity", nature)?.extract::<Money>()?.0,
            }
        }
        _ => {
            let rate = need("vat_rate", nature)?.extract::<Money>()?.0;
            CostInput::External {
                date,
                supplier: opt_text("supplier")?,
                description: text(need("description", nature)?, "description")?,
                ht: need("ht", nature)?.extract::<Money>()?.0,
                vat_rate: core(VatRate::from_percent(rate))?,
            }
        }
    };
    Ok((work_order, input))
}

/// `agents` in a column: an int, or an integral float (pandas upcast).
fn bulk_agents(v: &Bound<'_, PyAny>) -> PyResult<Agents> {
    if let Ok(f) = v.cast::<PyFloat>() {
        let x = f.value();
        if x.fract() == 0.0 && x.is_finite() {
            let as_int = v.call_method0("__int__")?;
            return Agents::from_int(&as_int);
        }
        return Err(to_py_err(Error::InvalidField {
            field: "agents",
            reason: format!("{x} is not a whole number of agents"),
        }));
    }
    v.extract::<Agents>()
}

/// Converts the columns to the core's batch; errors are prefixed "row N: ".
pub fn cost_inputs(columns: &Bound<'_, PyAny>) -> PyResult<Vec<(String, CostInput)>> {
    let py = columns.py();
    let c = read_columns(columns)?;
    (0..c.rows)
        .map(|row| row_input(&c, row).map_err(|e| with_row(py, row, e)))
        .collect()
}
