//! The events of the suppliers' register.
//!
//! [`SupplierV1`] is the stored form of a [`NewSupplier`] (see [`crate::journal`]).

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::suppliers::NewSupplier;
use crate::Mutualis;

/// An event of the suppliers' register (wrapped by [`crate::Event::Suppliers`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SupplierEvent {
    /// A supplier was added.
    SupplierAdded {
        /// Its description.
        supplier: SupplierV1,
    },
}

/// The stored form of a [`NewSupplier`] (version 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplierV1 {
    /// Human code, unique.
    pub code: String,
    /// Company name.
    pub name: String,
    /// SIRET.
    pub siret: String,
    /// Purchase categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
}

impl From<NewSupplier> for SupplierV1 {
    fn from(s: NewSupplier) -> SupplierV1 {
        SupplierV1 {
            code: s.code,
            name: s.name,
            siret: s.siret,
            categories: s.categories,
        }
    }
}

impl From<SupplierV1> for NewSupplier {
    fn from(s: SupplierV1) -> NewSupplier {
        NewSupplier {
            code: s.code,
            name: s.name,
            siret: s.siret,
            categories: s.categories,
        }
    }
}

impl SupplierEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] = &["supplier_added"];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            SupplierEvent::SupplierAdded { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            SupplierEvent::SupplierAdded { supplier } => vec![("supplier", &supplier.code)],
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            // recorded before SIRETs had to be unique: replays as it was
            SupplierEvent::SupplierAdded { supplier } => {
                m.insert_supplier(supplier.into(), false).map(drop)
            }
        }
    }
}
