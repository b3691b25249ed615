//! The bulk path (core module `bulk`): a columnar dataset and the four
//! metropolis-scale questions of docs/bench-spec.md, answered in Rust with
//! the GIL released and returned as columns (`dict[str, list[int]]`) that
//! `pandas.DataFrame(...)` or `polars.DataFrame(...)` take as they are.

use std::path::PathBuf;

use mutualis::bulk::{generate, Answers, BulkData};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::core;

/// A columnar dataset of interventions and cost lines (see docs/bench-spec.md).
#[pyclass(frozen, name = "BulkDataset", module = "mutualis._mutualis")]
pub struct PyBulkDataset {
    inner: BulkData,
}

fn columns<'py, const N: usize>(
    py: Python<'py>,
    names: [&str; N],
    rows: &[[i64; N]],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (i, name) in names.iter().enumerate() {
        let col: Vec<i64> = rows.iter().map(|r| r[i]).collect();
        d.set_item(name, PyList::new(py, col)?)?;
    }
    Ok(d)
}

#[pymethods]
impl PyBulkDataset {
    /// Generates a dataset of `interventions` work orders (about 3 cost lines
    /// each), deterministically from `seed`.
    #[staticmethod]
    #[pyo3(signature = (interventions, seed = 20_260_312))]
    fn generate(py: Python<'_>, interventions: usize, seed: u64) -> Self {
        PyBulkDataset {
            inner: py.detach(|| generate(interventions, seed)),
        }
    }

    /// Loads a dataset in the Mutualis binary format (`dataset.mtb`).
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let inner = core(py.detach(|| BulkData::read(&path)))?;
        Ok(PyBulkDataset { inner })
    }

    /// Writes the dataset in the Mutualis binary format.
    fn write(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        core(py.detach(|| self.inner.write(&path)))
    }

    /// Number of cost lines.
    #[getter]
    fn lines(&self) -> usize {
        self.inner.lines()
    }

    /// Number of work orders (interventions).
    #[getter]
    fn interventions(&self) -> usize {
        self.inner.wo_asset.len()
    }

    /// The four answers as columns: `q1` (year, payer, service, nature,
    /// cents), `q2` (year, creditor, debtor, cents), `q3` (year, supplier,
    /// work_orders, ht_cents), `q4` (tag, cents); ids as in the dataset,
    /// -1 for "no service".
    fn answers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let a: Answers = core(py.detach(|| self.inner.answers()))?;
        let out = PyDict::new(py);
        out.set_item(
            "q1",
            columns(py, ["year", "payer", "service", "nature", "cents"], &a.q1)?,
        )?;
        out.set_item(
            "q2",
            columns(py, ["year", "creditor", "debtor", "cents"], &a.q2)?,
        )?;
        out.set_item(
            "q3",
            columns(py, ["year", "supplier", "work_orders", "ht_cents"], &a.q3)?,
        )?;
        out.set_item("q4", columns(py, ["tag", "cents"], &a.q4)?)?;
        Ok(out)
    }

    fn __repr__(&self) -> String {
        format!(
            "BulkDataset({} interventions, {} cost lines, {} tenants)",
            self.inner.wo_asset.len(),
            self.inner.lines(),
            self.inner.tenants()
        )
    }
}
