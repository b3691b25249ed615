//! The register of parties and the contracts: validation (SIRET, RNA,
//! dates, amounts, exclusive occupation), termination.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{
    nonnegative, Lease, LeaseEvent, LeaseSide, LeaseUndo, NewLease, NewParty, Party, PartyKind,
};
use crate::error::{Error, Result};
use crate::ids::AssetId;
use crate::Mutualis;

/// Validates an association's RNA number (répertoire national des
/// associations): `W` followed by 9 digits; returns it in upper case.
///
/// ```
/// use mutualis::leases::check_rna;
/// assert_eq!(check_rna("w423001234").unwrap(), "W423001234");
/// assert!(check_rna("W42300123").is_err());
/// ```
///
/// Errors: [`Error::InvalidRna`].
pub fn check_rna(value: &str) -> Result<String> {
    let v = value.trim().to_ascii_uppercase();
    let bad = |reason| Error::InvalidRna {
        value: value.to_owned(),
        reason,
    };
    let Some(digits) = v.strip_prefix('W') else {
        return Err(bad("an RNA number starts with W"));
    };
    if digits.len() != 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("an RNA number is W followed by 9 digits"));
    }
    Ok(v)
}

impl Mutualis {
    pub(super) fn party_index(&self, code: &str) -> Result<usize> {
        self.leases
            .party_index
            .get(code)
            .copied()
            .ok_or_else(|| Error::UnknownParty(code.to_owned()))
    }

    pub(crate) fn lease_index(&self, code: &str) -> Result<usize> {
        self.leases
            .lease_index
            .get(code)
            .copied()
            .ok_or_else(|| Error::UnknownLease(code.to_owned()))
    }

    pub(super) fn lease_undo(&mut self, u: LeaseUndo) {
        self.push_undo(crate::undo::Undo::Leases(u));
    }

    /// Journals a lease event for the contract's collectivité (or none).
    pub(super) fn lease_log(&mut self, tenant: Option<crate::TenantId>, e: LeaseEvent) {
        let t = tenant.map(|t| self.tenant_code(t).to_owned());
        self.log(t, e);
    }

    /// Adds a party (lessee or lessor facing a collectivité).
    ///
    /// Errors (nothing changes): [`Error::InvalidCode`], [`Error::InvalidField`]
    /// (empty name, an identifier given for a person or missing for an
    /// association or a collectivité), [`Error::InvalidSiret`],
    /// [`Error::InvalidRna`], [`Error::UnknownTenant`],
    /// [`Error::DuplicateParty`].
    pub fn add_party(&mut self, spec: NewParty) -> Result<()> {
        crate::identity::check_code("party", &spec.code)?;
        crate::identity::check_name("name", &spec.name)?;
        if self.leases.party_index.contains_key(&spec.code) {
            return Err(Error::DuplicateParty(spec.code));
        }
        let missing = |what: &str| Error::InvalidField {
            field: "identifier",
            reason: format!("a party of kind {} needs {what}", spec.kind),
        };
        let identifier = match (spec.kind, spec.identifier.as_deref()) {
            (PartyKind::Company, Some(s)) => {
                Some(crate::identity::Siret::parse(s)?.as_str().to_owned())
            }
            (PartyKind::Company, None) => None,
            (PartyKind::Association, Some(s)) => Some(check_rna(s)?),
            (PartyKind::Association, None) => return Err(missing("its RNA number")),
            (PartyKind::Collectivite, Some(s)) => {
                self.tenant_id(s)?;
                Some(s.to_owned())
            }
            (PartyKind::Collectivite, None) => return Err(missing("its tenant code")),
            (PartyKind::Person, Some(_)) => {
                return Err(Error::InvalidField {
                    field: "identifier",
                    reason: "a person has no identifier here (SIRET, RNA or tenant code)".into(),
                })
            }
            (PartyKind::Person, None) => None,
        };
        let at = self.leases.parties.len();
        self.leases.party_index.insert(spec.code.clone(), at);
        self.leases.parties.push(Party {
            code: spec.code.clone(),
            name: spec.name.clone(),
            kind: spec.kind,
            identifier,
        });
        self.lease_undo(LeaseUndo::PartyAdded);
        let tenant = match spec.kind {
            PartyKind::Collectivite => spec
                .identifier
                .as_deref()
                .and_then(|t| self.tenant_id(t).ok()),
            _ => None,
        };
        self.lease_log(tenant, LeaseEvent::PartyAdded { party: spec.into() });
        Ok(())
    }

    /// The parties, in creation order.
    #[must_use]
    pub fn parties(&self) -> &[Party] {
        &self.leases.parties
    }

    /// A party by code.
    ///
    /// Errors: [`Error::UnknownParty`].
    pub fn party(&self, code: &str) -> Result<&Party> {
        Ok(&self.leases.parties[self.party_index(code)?])
    }

    /// Adds a contract on an existing asset.
    ///
    /// Errors (nothing changes): [`Error::InvalidCode`],
    /// [`Error::DuplicateLease`], [`Error::UnknownAsset`],
    /// [`Error::UnknownTenant`], [`Error::UnknownParty`],
    /// [`Error::DatesOutOfOrder`] (end before start),
    /// [`Error::YearOutOfRange`], [`Error::OutsideAssetLife`] (starts after
    /// the asset's decommissioning), [`Error::NegativeAmount`] (rent,
    /// provision, deposit, rental value), [`Error::SubCentAmount`],
    /// [`Error::InvalidField`] (a surface not positive or finer than
    /// 0.01 m², an index without reference quarter or the reverse, a party
    /// that is the signing collectivité itself, a first revision before the
    /// start), [`Error::LeaseOverlap`] (an exclusive contract overlapping
    /// another of the same side on the asset).
    pub fn add_lease(&mut self, spec: NewLease) -> Result<()> {
        crate::identity::check_code("lease", &spec.code)?;
        if self.leases.lease_index.contains_key(&spec.code) {
            return Err(Error::DuplicateLease(spec.code));
        }
        let asset = self.asset_id(&spec.asset)?;
        let tenant = self.tenant_id(&spec.tenant)?;
        let party = self.party_index(&spec.party)?;
        let period = crate::Period::recorded(spec.start, spec.end)?;
        if let Some(d) = spec.first_revision {
            crate::period::check_date("first_revision", d)?;
            if d <= spec.start {
                return Err(Error::InvalidField {
                    field: "first_revision",
                    reason: format!("{d} is not after the start {}", spec.start),
                });
            }
        }
        let a = &self.assets()[asset.index()];
        if a.decommissioned.is_some_and(|d| d < spec.start) {
            return Err(Error::OutsideAssetLife {
                asset: spec.asset.clone(),
                date: spec.start,
                life: format!(
                    "in service from {} to {}",
                    a.commissioned,
                    a.decommissioned.unwrap_or(a.commissioned)
                ),
            });
        }
        nonnegative("rent", spec.rent)?;
        nonnegative("charges_provision", spec.charges_provision)?;
        nonnegative("deposit", spec.deposit)?;
        if let Some(v) = spec.rental_value {
            nonnegative("rental_value", v)?;
        }
        if let Some(s) = spec.surface {
            if s <= Decimal::ZERO || s.normalize().scale() > 2 {
                return Err(Error::InvalidField {
                    field: "surface",
                    reason: format!("{s} m² is not positive with at most 2 decimals"),
                });
            }
            surface_weight(s, 1).ok_or_else(|| Error::InvalidField {
                field: "surface",
                reason: format!("{s} m² is too large"),
            })?;
        }
        match (&spec.index, spec.reference_quarter) {
            (Some(s), Some(_)) => crate::identity::check_code("index series", s)?,
            (None, None) => {}
            _ => {
                return Err(Error::InvalidField {
                    field: "reference_quarter",
                    reason: "an index series and its reference quarter go together".into(),
                })
            }
        }
        let p = &self.leases.parties[party];
        if p.kind == PartyKind::Collectivite
            && p.identifier.as_deref() == Some(spec.tenant.as_str())
        {
            return Err(Error::InvalidField {
                field: "party",
                reason: format!("{} cannot contract with itself", spec.tenant),
            });
        }
        let new = Lease {
            code: spec.code.clone(),
            asset,
            tenant,
            side: spec.side,
            party,
            kind: spec.kind,
            start: period.from,
            end: period.to,
            notice_months: spec.notice_months,
            tacit_renewal: spec.tacit_renewal,
            surface: spec.surface,
            deposit: spec.deposit,
            exclusive: spec.exclusive,
            rent: spec.rent,
            periodicity: spec.periodicity,
            term: spec.term,
            charges_provision: spec.charges_provision,
            rental_value: spec.rental_value,
            index: spec.index.clone(),
            reference_quarter: spec.reference_quarter,
            first_revision: spec.first_revision,
            terminated: None,
        };
        self.check_exclusive(&new, None)?;
        let at = self.leases.leases.len();
        self.leases.lease_index.insert(new.code.clone(), at);
        self.leases.by_asset.entry(asset).or_default().push(at);
        self.leases.leases.push(new);
        self.leases.revisions.push(Vec::new());
        self.leases.receipts.push(Vec::new());
        self.lease_undo(LeaseUndo::LeaseAdded);
        self.lease_log(Some(tenant), LeaseEvent::LeaseAdded { lease: spec.into() });
        Ok(())
    }

    /// Refuses `l` when it or another contract of the same side overlapping
    /// it on the asset is exclusive (`skip`: its own index).
    fn check_exclusive(&self, l: &Lease, skip: Option<usize>) -> Result<()> {
        let Some(list) = self.leases.by_asset.get(&l.asset) else {
            return Ok(());
        };
        let period = l.period();
        for &i in list {
            if Some(i) == skip {
                continue;
            }
            let o = &self.leases.leases[i];
            if o.side == l.side && (o.exclusive || l.exclusive) && o.period().overlaps(&period) {
                return Err(Error::LeaseOverlap {
                    asset: self.asset_code(l.asset).to_owned(),
                    lease: l.code.clone(),
                    existing: o.code.clone(),
                });
            }
        }
        Ok(())
    }

    /// Ends (résilie) a contract on `last_day`.
    ///
    /// Errors (nothing changes): [`Error::UnknownLease`],
    /// [`Error::YearOutOfRange`], [`Error::DatesOutOfOrder`] (before the
    /// start), [`Error::InvalidField`] (already ended, or before one of its
    /// revisions).
    pub fn end_lease(&mut self, lease: &str, last_day: NaiveDate) -> Result<()> {
        let at = self.lease_index(lease)?;
        crate::period::check_date("last_day", last_day)?;
        let l = &self.leases.leases[at];
        crate::Period::new(l.start, Some(last_day))?;
        if let Some(t) = l.terminated {
            return Err(Error::InvalidField {
                field: "last_day",
                reason: format!("{lease} was already ended on {t}"),
            });
        }
        if let Some(r) = self.leases.revisions[at].last() {
            if r.date > last_day {
                return Err(Error::InvalidField {
                    field: "last_day",
                    reason: format!("{last_day} is before the revision of {}", r.date),
                });
            }
        }
        let tenant = l.tenant;
        if self.undo.is_some() {
            let old = Box::new(l.clone());
            self.lease_undo(LeaseUndo::Lease { at, old });
        }
        self.leases.leases[at].terminated = Some(last_day);
        self.lease_log(
            Some(tenant),
            LeaseEvent::LeaseEnded {
                lease: lease.to_owned(),
                last_day,
            },
        );
        Ok(())
    }

    /// The contracts, in creation order.
    #[must_use]
    pub fn leases(&self) -> &[Lease] {
        &self.leases.leases
    }

    /// A contract by code.
    ///
    /// Errors: [`Error::UnknownLease`].
    pub fn lease(&self, code: &str) -> Result<&Lease> {
        Ok(&self.leases.leases[self.lease_index(code)?])
    }

    /// The contracts on an asset (not its descendants), in creation order.
    ///
    /// Errors: [`Error::UnknownAsset`].
    pub fn leases_of(&self, asset: &str) -> Result<Vec<&Lease>> {
        let a = self.asset_id(asset)?;
        Ok(self
            .leases
            .by_asset
            .get(&a)
            .map(|v| v.iter().map(|&i| &self.leases.leases[i]).collect())
            .unwrap_or_default())
    }

    /// The contract's rent per period in force on `date` (after the
    /// revisions effective by then).
    ///
    /// Errors: [`Error::UnknownLease`].
    pub fn rent_on(&self, lease: &str, date: NaiveDate) -> Result<Decimal> {
        let at = self.lease_index(lease)?;
        Ok(self.rent_at(at, date))
    }

    pub(super) fn rent_at(&self, at: usize, date: NaiveDate) -> Decimal {
        let revs = &self.leases.revisions[at];
        match revs.partition_point(|r| r.date <= date) {
            0 => self.leases.leases[at].rent,
            n => revs[n - 1].new_rent,
        }
    }

    /// The party code of a contract.
    pub(super) fn party_code(&self, l: &Lease) -> &str {
        &self.leases.parties[l.party].code
    }

    /// The contracts on `root` and its descendants.
    pub(super) fn leases_in_subtree(&self, root: AssetId) -> Vec<usize> {
        let mut out = Vec::new();
        for a in self.subtree_ids(root) {
            if let Some(v) = self.leases.by_asset.get(&a) {
                out.extend_from_slice(v);
            }
        }
        out.sort_unstable();
        out
    }

    /// The nearest building at or above `a` (else `a`).
    pub(super) fn building_of(&self, a: AssetId) -> AssetId {
        let mut cur = Some(a);
        while let Some(c) = cur {
            let asset = &self.assets()[c.index()];
            if asset.kind == crate::AssetKind::Building {
                return c;
            }
            cur = asset.parent;
        }
        a
    }

    /// True when `l` is the collectivité's letting (an occupant of its premises).
    pub(super) fn is_letting(l: &Lease) -> bool {
        l.side == LeaseSide::Lessor
    }
}

/// A surface's weight for `days`: m² × 100 × days (none on overflow).
pub(super) fn surface_weight(surface: Decimal, days: u32) -> Option<u64> {
    let cents = crate::money::to_cents(surface).ok()?;
    u64::try_from(cents).ok()?.checked_mul(u64::from(days))
}
