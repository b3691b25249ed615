//! The bulk path (core module `bulk`): a columnar dataset and the four
//! metropolis-scale questions of docs/bench-spec.md, for a tablet dashboard
//! or a server job on the JVM.

use std::sync::Arc;

use mutualis as mx;

use crate::MutualisError;

/// Σ TTC allocated to a payer for a service and nature in a year (question 1).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AllocationRow {
    /// Year.
    pub year: i64,
    /// Paying tenant id.
    pub payer: i64,
    /// Service id (-1: none).
    pub service: i64,
    /// Nature (0 labour, 1 material, 2 vehicle, 3 external).
    pub nature: i64,
    /// TTC in cents.
    pub cents: i64,
}

/// What a debtor owes a creditor for a year (question 2).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SettlementRow {
    /// Year.
    pub year: i64,
    /// Creditor tenant id (the régie's tenant).
    pub creditor: i64,
    /// Debtor tenant id (the payer).
    pub debtor: i64,
    /// TTC in cents.
    pub cents: i64,
}

/// A supplier's year (question 3).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SupplierRow {
    /// Year.
    pub year: i64,
    /// Supplier id.
    pub supplier: i64,
    /// Distinct work orders.
    pub work_orders: i64,
    /// HT in cents.
    pub ht_cents: i64,
}

/// The cost of an event tag (question 4).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TagRow {
    /// Tag id.
    pub tag: i64,
    /// TTC in cents.
    pub cents: i64,
}

/// The four answers.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BulkAnswers {
    /// Allocation by year, payer, service and nature.
    pub allocation: Vec<AllocationRow>,
    /// Settlement matrix by year.
    pub settlement: Vec<SettlementRow>,
    /// Suppliers by year.
    pub suppliers: Vec<SupplierRow>,
    /// Event tags.
    pub tags: Vec<TagRow>,
}

/// A columnar dataset of interventions and cost lines.
#[derive(uniffi::Object)]
pub struct BulkDataset {
    inner: mx::bulk::BulkData,
}

#[uniffi::export]
impl BulkDataset {
    /// Generates `interventions` work orders (about 3 cost lines each),
    /// deterministically from `seed`.
    #[uniffi::constructor]
    pub fn generate(interventions: u64, seed: u64) -> Arc<Self> {
        Arc::new(BulkDataset {
            inner: mx::bulk::generate(usize::try_from(interventions).unwrap_or(usize::MAX), seed),
        })
    }

    /// Loads a dataset in the Mutualis binary format. Throws `InvalidField`
    /// (not a dataset, truncated) or `Storage` (unreadable file).
    #[uniffi::constructor]
    pub fn load(path: String) -> Result<Arc<Self>, MutualisError> {
        Ok(Arc::new(BulkDataset {
            inner: mx::bulk::BulkData::read(path)?,
        }))
    }

    /// Writes the dataset in the Mutualis binary format.
    pub fn write(&self, path: String) -> Result<(), MutualisError> {
        Ok(self.inner.write(path)?)
    }

    /// Number of cost lines.
    pub fn lines(&self) -> u64 {
        self.inner.lines() as u64
    }

    /// Number of work orders.
    pub fn interventions(&self) -> u64 {
        self.inner.wo_asset.len() as u64
    }

    /// The four answers of docs/bench-spec.md.
    pub fn answers(&self) -> Result<BulkAnswers, MutualisError> {
        let a = self.inner.answers()?;
        Ok(BulkAnswers {
            allocation: a
                .q1
                .iter()
                .map(|r| AllocationRow {
                    year: r[0],
                    payer: r[1],
                    service: r[2],
                    nature: r[3],
                    cents: r[4],
                })
                .collect(),
            settlement: a
                .q2
                .iter()
                .map(|r| SettlementRow {
                    year: r[0],
                    creditor: r[1],
                    debtor: r[2],
                    cents: r[3],
                })
                .collect(),
            suppliers: a
                .q3
                .iter()
                .map(|r| SupplierRow {
                    year: r[0],
                    supplier: r[1],
                    work_orders: r[2],
                    ht_cents: r[3],
                })
                .collect(),
            tags: a
                .q4
                .iter()
                .map(|r| TagRow {
                    tag: r[0],
                    cents: r[1],
                })
                .collect(),
        })
    }
}
