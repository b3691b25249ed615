//! The energy invoices in the cost ledger, with their own nature
//! ([`crate::CostNature::Energy`], docs/energy.md).
//!
//! Each supplier invoice of a meter is one cost of nature `energy`, dated
//! at the invoice date, on the meter's asset: HT = subscription +
//! consumption parts, VAT, TTC. It is allocated like any cost line (DOMAIN
//! §4): the sharing key in force on that date on the asset or its nearest
//! ancestor with one, split to the cent by the largest-remainder rule
//! (HT and TTC each, as the ledger splits a line), else the holder
//! (custody beneficiary, else owner) on that date. The service is the
//! managing service of the asset or its nearest ancestor with one.
//!
//! The allocation is derived when read, never stored: the invoices are the
//! record (journal, dataset, store all keep them), so a late custody or key
//! change re-allocates past invoices by construction, and old datasets,
//! journals and stores load unchanged.

use crate::custody::PayerRef;
use crate::ids::{AssetId, TenantId};
use crate::lines::day_of;
use crate::money::split_cents_into;
use crate::Mutualis;

/// One payer's part of a meter's invoice, as the ledger reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EnergyPart {
    /// The invoice (index in the register, recording order).
    pub invoice: usize,
    /// The meter's asset.
    pub asset: AssetId,
    /// The invoice date as a day number.
    pub day: i32,
    /// The paying tenant.
    pub payer: TenantId,
    /// Its part HT, in cents.
    pub ht: i64,
    /// Its part TTC, in cents.
    pub ttc: i64,
    /// Its part of the invoice's kWh, in hundredths.
    pub kwh: i64,
}

impl Mutualis {
    /// Visits the payers' parts of invoice `i` (in key order; a payer of
    /// zero weight is skipped, as in the ledger). The kWh are split only
    /// when `with_kwh` (else 0).
    pub(crate) fn energy_parts_of(
        &self,
        i: usize,
        with_kwh: bool,
        mut visit: impl FnMut(EnergyPart),
    ) {
        let inv = &self.energy.invoices[i];
        let asset = self.energy.meters[inv.meter].asset;
        let (ht, ttc) = (cents(inv.ht()), cents(inv.ttc()));
        let kwh = if with_kwh {
            cents(self.invoice_kwh(inv))
        } else {
            0
        };
        let day = day_of(inv.date);
        let part = |payer, ht, ttc, kwh| EnergyPart {
            invoice: i,
            asset,
            day,
            payer,
            ht,
            ttc,
            kwh,
        };
        match self.payer_ref(asset, inv.date) {
            PayerRef::Single(t) => visit(part(t, ht, ttc, kwh)),
            PayerRef::Key { asset: x, key } => {
                let shares = self.key_shares(x, key);
                // keys rarely have more than 16 tenants: split on the stack then
                let n = shares.len();
                let (mut w16, mut h16, mut t16, mut k16) =
                    ([0u64; 16], [0i64; 16], [0i64; 16], [0i64; 16]);
                let (mut wv, mut hv, mut tv, mut kv) =
                    (Vec::new(), Vec::new(), Vec::new(), Vec::new());
                let (w, h, t, k): (&mut [u64], &mut [i64], &mut [i64], &mut [i64]) = if n <= 16 {
                    (&mut w16[..n], &mut h16[..n], &mut t16[..n], &mut k16[..n])
                } else {
                    wv.resize(n, 0);
                    hv.resize(n, 0);
                    tv.resize(n, 0);
                    kv.resize(n, 0);
                    (&mut wv, &mut hv, &mut tv, &mut kv)
                };
                for (w, s) in w.iter_mut().zip(shares) {
                    *w = s.weight;
                }
                // a recorded key has a positive sum and the invoice's amounts
                // are whole cents: these splits do not fail
                if split_cents_into(ht, w, h).is_err()
                    || split_cents_into(ttc, w, t).is_err()
                    || (with_kwh && split_cents_into(kwh, w, k).is_err())
                {
                    return;
                }
                for (j, s) in shares.iter().enumerate() {
                    if s.weight > 0 {
                        visit(part(s.tenant, h[j], t[j], k[j]));
                    }
                }
            }
        }
    }

    /// Visits every payer's part of every energy invoice, in recording order.
    pub(crate) fn energy_parts(&self, mut visit: impl FnMut(EnergyPart)) {
        for i in 0..self.energy.invoices.len() {
            self.energy_parts_of(i, false, &mut visit);
        }
    }

    /// The first and last invoice days (none without invoices).
    pub(crate) fn energy_day_span(&self) -> Option<(i32, i32)> {
        self.energy.invoices.iter().fold(None, |acc, inv| {
            let d = day_of(inv.date);
            Some(acc.map_or((d, d), |(a, b): (i32, i32)| (a.min(d), b.max(d))))
        })
    }
}

/// Whole cents of an amount checked at recording (kWh: hundredths).
fn cents(v: rust_decimal::Decimal) -> i64 {
    crate::money::to_cents(v).unwrap_or(0)
}

impl Mutualis {
    /// Adds the invoices of the meters on `root` or below, dated within
    /// `period`, to a roll-up: whole, or (masked) the parts of the payers
    /// `mask` reads.
    pub(crate) fn energy_rollup(
        &self,
        acc: &mut crate::read::costing::CentsSummary,
        root: AssetId,
        period: Option<crate::Period>,
        mask: Option<&crate::access::Mask>,
    ) {
        let n = usize::from(crate::lines::nature_index(crate::CostNature::Energy));
        for at in self.meters_in_subtree(root) {
            for &i in &self.energy.by_meter[at] {
                let inv = &self.energy.invoices[i];
                if !period.is_none_or(|p| p.contains(inv.date)) {
                    continue;
                }
                match mask {
                    None => acc.add_part(n, cents(inv.ht()), cents(inv.ttc()), true),
                    Some(k) => {
                        let mut first = true;
                        self.energy_parts_of(i, false, |p| {
                            if k.payer(p.payer) {
                                acc.add_part(n, p.ht, p.ttc, first);
                                first = false;
                            }
                        });
                    }
                }
            }
        }
    }
}
