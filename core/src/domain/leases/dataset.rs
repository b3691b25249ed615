//! The leases' sections of the JSON dataset (each optional: a dataset
//! written before the leases existed has none).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::events::{ChargesV1, LeaseV1, PartyV1};
use super::Quarter;
use crate::error::Result;
use crate::Mutualis;

/// An index value in the dataset.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IndexValueRec {
    series: String,
    quarter: Quarter,
    value: Decimal,
}

/// A contract's end in the dataset.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LeaseEndRec {
    lease: String,
    last_day: NaiveDate,
}

/// A revision in the dataset (recomputed on loading from the index values).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RevisionRec {
    lease: String,
    date: NaiveDate,
    quarter: Quarter,
}

/// A receipt in the dataset.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReceiptRec {
    lease: String,
    date: NaiveDate,
    amount: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
}

/// The leases' sections of the dataset.
#[derive(Default)]
pub(crate) struct LeaseRecords {
    pub(crate) parties: Vec<PartyV1>,
    pub(crate) index_values: Vec<IndexValueRec>,
    pub(crate) leases: Vec<LeaseV1>,
    pub(crate) rent_revisions: Vec<RevisionRec>,
    pub(crate) lease_ends: Vec<LeaseEndRec>,
    pub(crate) rent_receipts: Vec<ReceiptRec>,
    pub(crate) lease_charges: Vec<ChargesV1>,
}

impl Mutualis {
    /// The leases as dataset records.
    pub(crate) fn lease_records(&self) -> LeaseRecords {
        let mut r = LeaseRecords::default();
        let s = &self.leases;
        for p in &s.parties {
            r.parties.push(PartyV1 {
                code: p.code.clone(),
                name: p.name.clone(),
                kind: p.kind,
                identifier: p.identifier.clone(),
            });
        }
        for (series, q, value) in self.index_series() {
            r.index_values.push(IndexValueRec {
                series: series.to_owned(),
                quarter: q,
                value,
            });
        }
        for (at, l) in s.leases.iter().enumerate() {
            r.leases.push(LeaseV1 {
                code: l.code.clone(),
                asset: self.asset_code(l.asset).to_owned(),
                tenant: self.tenant_code(l.tenant).to_owned(),
                side: l.side,
                party: s.parties[l.party].code.clone(),
                kind: l.kind,
                start: l.start,
                end: l.end,
                notice_months: l.notice_months,
                tacit_renewal: l.tacit_renewal,
                surface: l.surface,
                deposit: l.deposit,
                exclusive: l.exclusive,
                rent: l.rent,
                periodicity: l.periodicity,
                term: l.term,
                charges_provision: l.charges_provision,
                rental_value: l.rental_value,
                index: l.index.clone(),
                reference_quarter: l.reference_quarter,
                first_revision: l.first_revision,
            });
            for v in &s.revisions[at] {
                r.rent_revisions.push(RevisionRec {
                    lease: l.code.clone(),
                    date: v.date,
                    quarter: v.quarter,
                });
            }
            if let Some(t) = l.terminated {
                r.lease_ends.push(LeaseEndRec {
                    lease: l.code.clone(),
                    last_day: t,
                });
            }
            for x in &s.receipts[at] {
                r.rent_receipts.push(ReceiptRec {
                    lease: l.code.clone(),
                    date: x.date,
                    amount: x.amount,
                    reference: x.reference.clone(),
                });
            }
        }
        for c in &s.charges {
            r.lease_charges.push(ChargesV1 {
                building: self.asset_code(c.building).to_owned(),
                year: c.year,
                category: c.category,
                amount: c.amount,
                key: c.key.as_ref().map(|k| {
                    k.iter()
                        .map(|(i, w)| (s.leases[*i].code.clone(), *w))
                        .collect()
                }),
            });
        }
        r
    }

    /// Loads the leases' dataset records with the commands' checks.
    pub(crate) fn restore_leases(&mut self, r: LeaseRecords) -> Result<()> {
        for p in r.parties {
            self.add_party(p.into())?;
        }
        for v in r.index_values {
            self.set_index_value(&v.series, v.quarter, v.value)?;
        }
        // each end right after its contract (a successor may follow it on the asset)
        let mut ends: std::collections::HashMap<String, NaiveDate> = r
            .lease_ends
            .into_iter()
            .map(|e| (e.lease, e.last_day))
            .collect();
        for l in r.leases {
            let code = l.code.clone();
            self.add_lease(l.into())?;
            if let Some(last_day) = ends.remove(&code) {
                self.end_lease(&code, last_day)?;
            }
        }
        if let Some((lease, _)) = ends.into_iter().next() {
            return Err(crate::Error::UnknownLease(lease));
        }
        for v in r.rent_revisions {
            self.revise_rent(&v.lease, v.date, v.quarter)?;
        }
        for x in r.rent_receipts {
            self.record_rent_receipt(&x.lease, x.date, x.amount, x.reference.as_deref())?;
        }
        for c in r.lease_charges {
            self.record_charges(c.into())?;
        }
        Ok(())
    }
}
