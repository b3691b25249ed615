//! Suppliers (prestataires, fournisseurs): external companies identified by
//! their SIRET, which invoice HT + TVA.
//!
//! ```
//! use mutualis::{Mutualis, NewSupplier};
//! let mut m = Mutualis::new();
//! m.add_supplier(NewSupplier::new("ARTIFICES", "Loire Artifices SARL", "73282932000074")).unwrap();
//! assert!(m.add_supplier(NewSupplier::new("BAD", "Bad SIRET", "73282932000075")).is_err());
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::identity::{check_code, check_name, Siret};
use crate::ids::SupplierId;
use crate::Mutualis;

pub mod events;
pub use events::SupplierEvent;

/// A supplier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supplier {
    /// Dense id.
    pub id: SupplierId,
    /// Human code, unique.
    pub code: String,
    /// Company name.
    pub name: String,
    /// SIRET of the establishment (validated).
    pub siret: Siret,
    /// Purchase categories (e.g. "location", "pyrotechnie").
    pub categories: Vec<String>,
}

/// What is needed to create a supplier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSupplier {
    /// Human code, unique.
    pub code: String,
    /// Company name.
    pub name: String,
    /// SIRET (14 digits, Luhn; La Poste: digit sum divisible by 5).
    pub siret: String,
    /// Purchase categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
}

impl NewSupplier {
    /// A supplier without categories.
    #[must_use]
    pub fn new(code: &str, name: &str, siret: &str) -> NewSupplier {
        NewSupplier {
            code: code.into(),
            name: name.into(),
            siret: siret.into(),
            categories: Vec::new(),
        }
    }

    /// Adds a purchase category.
    #[must_use]
    pub fn in_category(mut self, category: &str) -> NewSupplier {
        self.categories.push(category.into());
        self
    }
}

/// The suppliers domain's state: the suppliers and their code and SIRET
/// indexes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Suppliers {
    list: Vec<Supplier>,
    by_code: HashMap<String, SupplierId>,
    by_siret: HashMap<Siret, SupplierId>,
}

/// Equality compares the records (the indexes follow from them).
impl PartialEq for Suppliers {
    fn eq(&self, o: &Suppliers) -> bool {
        self.list == o.list
    }
}

impl Suppliers {
    /// The number of suppliers (a checkpoint's length).
    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    /// Drops the suppliers created after the first `len`.
    pub(crate) fn truncate(&mut self, len: usize) {
        for s in self.list.drain(len.min(self.list.len())..) {
            self.by_code.remove(&s.code);
            if self.by_siret.get(&s.siret) == Some(&s.id) {
                self.by_siret.remove(&s.siret);
            }
        }
    }
}

impl Mutualis {
    /// Adds a supplier. Errors: [`Error::InvalidCode`], [`Error::InvalidField`],
    /// [`Error::InvalidSiret`], [`Error::DuplicateSupplier`].
    pub fn add_supplier(&mut self, spec: NewSupplier) -> Result<SupplierId> {
        self.insert_supplier(spec, true)
    }

    /// [`Mutualis::add_supplier`]; `unique_siret: false` when restoring what
    /// was recorded (a dataset, a replayed journal) before SIRETs had to be
    /// unique, so that saved data always reopens.
    pub(crate) fn insert_supplier(
        &mut self,
        spec: NewSupplier,
        unique_siret: bool,
    ) -> Result<SupplierId> {
        check_code("supplier", &spec.code)?;
        check_name("supplier name", &spec.name)?;
        let siret = Siret::parse(&spec.siret)?;
        for c in &spec.categories {
            check_name("supplier category", c)?;
        }
        if self.suppliers.by_code.contains_key(&spec.code) {
            return Err(Error::DuplicateSupplier(spec.code));
        }
        if let Some(other) = self.suppliers.by_siret.get(&siret).filter(|_| unique_siret) {
            return Err(Error::DuplicateSiret {
                siret: spec.siret.clone(),
                supplier: self.suppliers.list[other.index()].code.clone(),
            });
        }
        let id = SupplierId(self.suppliers.list.len() as u32);
        self.suppliers.by_code.insert(spec.code.clone(), id);
        self.suppliers.by_siret.entry(siret.clone()).or_insert(id);
        self.suppliers.list.push(Supplier {
            id,
            code: spec.code.clone(),
            name: spec.name.clone(),
            siret,
            categories: spec.categories.clone(),
        });
        self.log(
            None,
            SupplierEvent::SupplierAdded {
                supplier: spec.into(),
            },
        );
        Ok(id)
    }

    /// The code of a supplier id (unknown ids give [`crate::UNKNOWN_CODE`]).
    #[must_use]
    pub fn supplier_code(&self, id: SupplierId) -> &str {
        self.suppliers
            .list
            .get(id.index())
            .map_or(crate::UNKNOWN_CODE, |s| s.code.as_str())
    }

    /// The dense id of a supplier code; [`Error::UnknownSupplier`] if none.
    pub fn supplier_id(&self, code: &str) -> Result<SupplierId> {
        self.suppliers
            .by_code
            .get(code)
            .copied()
            .ok_or_else(|| Error::UnknownSupplier(code.to_owned()))
    }

    /// The supplier with this code.
    pub fn supplier(&self, code: &str) -> Result<&Supplier> {
        Ok(&self.suppliers.list[self.supplier_id(code)?.index()])
    }

    /// All suppliers, in creation order.
    #[must_use]
    pub fn suppliers(&self) -> &[Supplier] {
        &self.suppliers.list
    }
}
