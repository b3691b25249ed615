//! Consumption and cost by calendar period, allocation to services and
//! tenants, anomalies, dashboards and the suppliers' CSV import.
//!
//! **Proration.** An invoice's consumption (in final kWh: quantity × its
//! coefficient) and amounts are split between the calendar years (or
//! months) its period meets in proportion to the days of the period in
//! each (both ends included). Each part but the last is rounded half away
//! from zero — kWh to the kWh, money to the cent — and the last part takes
//! the remainder, so the parts add up to the invoice exactly. Readings are
//! prorated the same way between two consecutive readings (the days after
//! the first reading up to the second).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use super::{
    days_incl, round2, year_slices, EnergyInvoice, EnergySource, EnergyUnit, InvoicePart,
    NewEnergyInvoice,
};
use crate::error::{Error, Result};
use crate::ids::AssetId;
use crate::money::{from_cents, split_cents_into, to_cents};
use crate::Mutualis;

/// A meter's consumption and cost over a calendar year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeterYear {
    /// Meter code.
    pub meter: String,
    /// Year.
    pub year: i32,
    /// Consumption measured (kWh, its invoices' parts, or its readings
    /// prorated when it has no invoice).
    pub gross_kwh: Decimal,
    /// Its sub-meters' gross consumption.
    pub sub_meters_kwh: Decimal,
    /// gross − sub-meters: the meter's own remainder.
    pub net_kwh: Decimal,
    /// TTC of its invoices' parts in the year.
    pub cost_ttc: Decimal,
}

/// A share of a building's consumption and cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnergyShare {
    /// Who (a service code of the key, or a tenant code).
    pub key: String,
    /// kWh, to the hundredth.
    pub kwh: Decimal,
    /// TTC, to the cent.
    pub cost_ttc: Decimal,
}

/// A month deviating from the same month of previous years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnergyAnomaly {
    /// Meter code.
    pub meter: String,
    /// Year.
    pub year: i32,
    /// Month (1 to 12).
    pub month: u32,
    /// Consumption of the month (kWh).
    pub kwh: Decimal,
    /// Mean of the same month of the previous years with data (kWh).
    pub baseline: Decimal,
    /// (kWh − baseline) / baseline, to 4 decimals.
    pub deviation: Decimal,
}

/// A dashboard row: one asset and energy in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnergyDashboardRow {
    /// Asset code (where the meters are).
    pub asset: String,
    /// Owner (tenant code).
    pub tenant: String,
    /// Energy.
    pub source: EnergySource,
    /// Year.
    pub year: i32,
    /// Raw consumption, net of sub-meters (kWh).
    pub kwh: Decimal,
    /// Climate-adjusted consumption (kWh; meters without station count raw;
    /// none when a station lacks DJU for the year).
    pub adjusted_kwh: Option<Decimal>,
    /// Cost TTC.
    pub cost_ttc: Decimal,
    /// kWh per m² of the asset's floor area (2 decimals), if known.
    pub kwh_per_m2: Option<Decimal>,
    /// Cost per m² (to the cent), if known.
    pub cost_per_m2: Option<Decimal>,
}

/// A row of the energy breakdown per tenant ([`Mutualis::energy_by_tenant`])
/// or per tenant and service ([`Mutualis::energy_by_service`]) in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnergyBreakdownRow {
    /// The paying tenant (code).
    pub tenant: String,
    /// The service, "TENANT/SERVICE": the managing service of the meter's
    /// asset or of its nearest ancestor with one (none: no service, or a
    /// breakdown per tenant).
    pub service: Option<String>,
    /// Energy.
    pub source: EnergySource,
    /// Year.
    pub year: i32,
    /// Raw consumption net of sub-meters (kWh, to the hundredth).
    pub kwh: Decimal,
    /// Climate-adjusted consumption (kWh; none when a station lacks DJU).
    pub adjusted_kwh: Option<Decimal>,
    /// Cost TTC.
    pub cost_ttc: Decimal,
}

fn round0(v: Decimal) -> Decimal {
    v.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
}

impl Mutualis {
    /// An invoice's final-energy kWh (to the hundredth).
    pub(crate) fn invoice_kwh(&self, inv: &EnergyInvoice) -> Decimal {
        let f = inv
            .factor
            .or_else(|| self.factor_on(inv.meter, inv.to))
            .unwrap_or(Decimal::ONE);
        round2(inv.consumption * f)
    }

    /// Visits an invoice's parts by calendar year (see the module docs).
    fn parts_of(&self, inv: &EnergyInvoice, mut visit: impl FnMut(InvoicePart)) {
        let days = Decimal::from(inv.days().max(1));
        let (kwh, ht, ttc) = (self.invoice_kwh(inv), inv.ht(), inv.ttc());
        let (mut sk, mut sh, mut st) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        let last_year = inv.to.year();
        for (year, from, to) in year_slices(inv.from, inv.to) {
            let d = days_incl(from, to);
            let part = if year == last_year {
                InvoicePart {
                    year,
                    from,
                    to,
                    days: d,
                    kwh: kwh - sk,
                    ht: ht - sh,
                    ttc: ttc - st,
                }
            } else {
                let r = Decimal::from(d) / days;
                InvoicePart {
                    year,
                    from,
                    to,
                    days: d,
                    kwh: round0(kwh * r),
                    ht: crate::money::round_cents(ht * r),
                    ttc: crate::money::round_cents(ttc * r),
                }
            };
            sk += part.kwh;
            sh += part.ht;
            st += part.ttc;
            visit(part);
        }
    }

    /// An invoice split by calendar year (see the module docs).
    ///
    /// Errors: [`Error::UnknownMeter`], [`Error::InvalidField`] (no such invoice).
    pub fn invoice_parts(&self, meter: &str, number: &str) -> Result<Vec<InvoicePart>> {
        let inv = self.invoice_of(meter, number)?;
        let mut out = Vec::new();
        self.parts_of(inv, |p| out.push(p));
        Ok(out)
    }

    fn invoice_of(&self, meter: &str, number: &str) -> Result<&EnergyInvoice> {
        Ok(&self.energy.invoices[self.invoice_index(meter, number)?])
    }

    /// The index of a meter's invoice in the register (a hash lookup).
    fn invoice_index(&self, meter: &str, number: &str) -> Result<usize> {
        let at = self.meter_at(meter)?;
        self.energy
            .invoice_number(at, number)
            .ok_or_else(|| Error::InvalidField {
                field: "number",
                reason: format!("no invoice {number} of {meter}"),
            })
    }

    /// Gross kWh and TTC of meter `at` in `year`.
    pub(super) fn gross_of(&self, at: usize, year: i32) -> (Decimal, Decimal) {
        let e = &self.energy;
        if e.by_meter[at].is_empty() {
            return (self.readings_kwh(at, year), Decimal::ZERO);
        }
        let (mut k, mut c) = (Decimal::ZERO, Decimal::ZERO);
        for &i in &e.by_meter[at] {
            let inv = &e.invoices[i];
            if inv.from.year() > year || inv.to.year() < year {
                continue;
            }
            self.parts_of(inv, |p| {
                if p.year == year {
                    k += p.kwh;
                    c += p.ttc;
                }
            });
        }
        (k, c)
    }

    /// kWh of meter `at` in `year` from its readings prorated by days.
    fn readings_kwh(&self, at: usize, year: i32) -> Decimal {
        let (Some(y0), Some(y1)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Decimal::ZERO;
        };
        let rs = &self.energy.readings[at];
        let mut q = Decimal::ZERO;
        for w in rs.windows(2) {
            let (a, b) = (w[0], w[1]);
            // the days after a up to b
            let Some(first) = a.date.succ_opt() else {
                continue;
            };
            let (f, t) = (first.max(y0), b.date.min(y1));
            if t < f {
                continue;
            }
            let delta = b.index - a.base();
            q += delta * Decimal::from(days_incl(f, t)) / Decimal::from(days_incl(first, b.date));
        }
        let f = self.factor_on(at, y1).unwrap_or(Decimal::ONE);
        round2(q * f)
    }

    /// A meter's consumption and cost in a calendar year, with its
    /// sub-meters deducted (their consumption is the parent's remainder's
    /// complement: net = gross − Σ sub-meters' gross; it may be negative
    /// when a sub-meter reads more than its parent, a fault to look at).
    ///
    /// Errors: [`Error::UnknownMeter`], [`Error::YearOutOfRange`].
    pub fn meter_year(&self, meter: &str, year: i32) -> Result<MeterYear> {
        let at = self.meter_at(meter)?;
        crate::period::check_year("year", year)?;
        Ok(self.meter_year_at(at, year))
    }

    pub(super) fn meter_year_at(&self, at: usize, year: i32) -> MeterYear {
        let (gross, cost) = self.gross_of(at, year);
        let sub: Decimal = self.energy.children[at]
            .iter()
            .map(|&c| self.gross_of(c, year).0)
            .sum();
        MeterYear {
            meter: self.energy.meters[at].code.clone(),
            year,
            gross_kwh: gross,
            sub_meters_kwh: sub,
            net_kwh: gross - sub,
            cost_ttc: cost,
        }
    }

    /// The meters on `root` or below it.
    pub(crate) fn meters_in_subtree(&self, root: AssetId) -> Vec<usize> {
        let ids = self.subtree_ids(root);
        let mut inside = vec![false; self.assets().len()];
        for a in &ids {
            inside[a.index()] = true;
        }
        (0..self.energy.meters.len())
            .filter(|&i| inside[self.energy.meters[i].asset.index()])
            .collect()
    }

    /// A building's consumption (its meters and those below it, sub-meters
    /// counted once, through their parent) and cost in a year.
    pub(crate) fn building_year(&self, root: AssetId, year: i32) -> (Decimal, Decimal) {
        let ms = self.meters_in_subtree(root);
        let (mut k, mut c) = (Decimal::ZERO, Decimal::ZERO);
        for &i in &ms {
            let (g, cost) = self.gross_of(i, year);
            c += cost;
            let counted_by_parent = self.energy.meters[i]
                .parent
                .is_some_and(|p| ms.contains(&p));
            if !counted_by_parent {
                k += g;
            }
        }
        (k, c)
    }

    /// A building's consumption and cost of a year split between the
    /// services occupying it by a key (surface in m² × 100, or any
    /// weights): kWh to the hundredth and TTC to the cent, by the
    /// largest-remainder split of the sharing keys (DOMAIN §3, ties in key
    /// order).
    ///
    /// Errors: [`Error::UnknownAsset`], [`Error::YearOutOfRange`],
    /// [`Error::WeightsSumToZero`], [`Error::InvalidField`] (an empty key).
    pub fn energy_allocation(
        &self,
        building: &str,
        year: i32,
        key: &[(&str, u64)],
    ) -> Result<Vec<EnergyShare>> {
        let root = self.asset_id(building)?;
        crate::period::check_year("year", year)?;
        if key.is_empty() {
            return Err(Error::InvalidField {
                field: "key",
                reason: "no share".into(),
            });
        }
        let (kwh, cost) = self.building_year(root, year);
        let weights: Vec<u64> = key.iter().map(|(_, w)| *w).collect();
        let mut ks = vec![0i64; key.len()];
        let mut cs = vec![0i64; key.len()];
        split_cents_into(to_cents(round2(kwh))?, &weights, &mut ks)?;
        split_cents_into(to_cents(cost)?, &weights, &mut cs)?;
        Ok(key
            .iter()
            .zip(ks.into_iter().zip(cs))
            .map(|((k, _), (kc, cc))| EnergyShare {
                key: (*k).to_owned(),
                kwh: from_cents(kc),
                cost_ttc: from_cents(cc),
            })
            .collect())
    }

    /// An invoice's TTC split between the tenants paying for the meter's
    /// asset on the invoice date (custody, sharing key or owner, as for any
    /// cost line; DOMAIN §3), with the consumption split the same way: the
    /// ledger's `energy` rows of the invoice (a payer of zero weight has
    /// none), in key order.
    ///
    /// Errors: [`Error::UnknownMeter`], [`Error::InvalidField`] (no such
    /// invoice), the payer errors of [`Mutualis::payers`].
    pub fn energy_invoice_tenants(&self, meter: &str, number: &str) -> Result<Vec<EnergyShare>> {
        let i = self.invoice_index(meter, number)?;
        let inv = &self.energy.invoices[i];
        self.payers_of(self.energy.meters[inv.meter].asset, inv.date)?;
        let mut out = Vec::new();
        self.energy_parts_of(i, true, |p| {
            out.push(EnergyShare {
                key: self.tenant_code(p.payer).to_owned(),
                kwh: from_cents(p.kwh),
                cost_ttc: from_cents(p.ttc),
            });
        });
        Ok(out)
    }

    /// A meter's kWh by month from its invoices, prorated by days (each
    /// month to the hundredth).
    fn monthly_kwh(&self, at: usize) -> BTreeMap<(i32, u32), Decimal> {
        let mut out: BTreeMap<(i32, u32), Decimal> = BTreeMap::new();
        for &i in &self.energy.by_meter[at] {
            let inv = &self.energy.invoices[i];
            let total = self.invoice_kwh(inv);
            let days = Decimal::from(inv.days().max(1));
            let mut d = inv.from;
            while d <= inv.to {
                let next = d
                    .checked_add_months(chrono::Months::new(1))
                    .and_then(|n| n.with_day(1))
                    .unwrap_or(NaiveDate::MAX);
                let end = next.pred_opt().unwrap_or(next).min(inv.to);
                *out.entry((d.year(), d.month())).or_default() +=
                    total * Decimal::from(days_incl(d, end)) / days;
                if next == NaiveDate::MAX {
                    break;
                }
                d = next;
            }
        }
        for v in out.values_mut() {
            *v = round2(*v);
        }
        out
    }

    /// The months of a meter whose consumption deviates from the mean of
    /// the same month in the previous years by more than `threshold` (a
    /// fraction: 0.30 for 30 %), above or below.
    ///
    /// Errors: [`Error::UnknownMeter`], [`Error::InvalidField`] (threshold not > 0).
    pub fn energy_anomalies(&self, meter: &str, threshold: Decimal) -> Result<Vec<EnergyAnomaly>> {
        let at = self.meter_at(meter)?;
        if threshold <= Decimal::ZERO {
            return Err(Error::InvalidField {
                field: "threshold",
                reason: format!("{threshold} is not > 0"),
            });
        }
        let months = self.monthly_kwh(at);
        let mut out = Vec::new();
        for (&(y, mo), &kwh) in &months {
            let prev: Vec<Decimal> = months
                .iter()
                .filter(|((py, pm), _)| *pm == mo && *py < y)
                .map(|(_, v)| *v)
                .collect();
            if prev.is_empty() {
                continue;
            }
            let baseline = round2(prev.iter().sum::<Decimal>() / Decimal::from(prev.len()));
            if baseline.is_zero() {
                continue;
            }
            let deviation = ((kwh - baseline) / baseline)
                .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero);
            if deviation.abs() > threshold {
                out.push(EnergyAnomaly {
                    meter: meter.to_owned(),
                    year: y,
                    month: mo,
                    kwh,
                    baseline,
                    deviation,
                });
            }
        }
        Ok(out)
    }

    /// The energy dashboard of a year: per asset carrying meters and per
    /// energy, raw consumption net of sub-meters, climate-adjusted, cost
    /// and per m²; in asset code then energy order.
    ///
    /// Errors: [`Error::YearOutOfRange`].
    pub fn energy_dashboard(&self, year: i32) -> Result<Vec<EnergyDashboardRow>> {
        crate::period::check_year("year", year)?;
        let mut acc: BTreeMap<(AssetId, EnergySource), (Decimal, Option<Decimal>, Decimal)> =
            BTreeMap::new();
        for at in 0..self.energy.meters.len() {
            let mt = &self.energy.meters[at];
            let my = self.meter_year_at(at, year);
            let adj = match &mt.station {
                Some(s) => self.climate_corrected(s, year, my.net_kwh).ok(),
                None => Some(my.net_kwh),
            };
            let e = acc.entry((mt.asset, mt.source)).or_insert((
                Decimal::ZERO,
                Some(Decimal::ZERO),
                Decimal::ZERO,
            ));
            e.0 += my.net_kwh;
            e.1 = match (e.1, adj) {
                (Some(a), Some(b)) => Some(a + b),
                _ => None,
            };
            e.2 += my.cost_ttc;
        }
        let mut rows: Vec<EnergyDashboardRow> = acc
            .into_iter()
            .map(|((a, source), (kwh, adjusted_kwh, cost_ttc))| {
                let area = self.assets()[a.index()].floor_area.filter(|s| !s.is_zero());
                EnergyDashboardRow {
                    asset: self.asset_code(a).to_owned(),
                    tenant: self.owner_code(a).unwrap_or_default(),
                    source,
                    year,
                    kwh,
                    adjusted_kwh,
                    cost_ttc,
                    kwh_per_m2: area.map(|s| round2(kwh / s)),
                    cost_per_m2: area.map(|s| crate::money::round_cents(cost_ttc / s)),
                }
            })
            .collect();
        rows.sort_by(|a, b| (&a.asset, a.source).cmp(&(&b.asset, b.source)));
        Ok(rows)
    }

    /// The consumption and cost of a year per paying tenant and energy
    /// (see [`Mutualis::energy_by_service`] for the rule); rows sorted by
    /// tenant code then energy.
    ///
    /// Errors: [`Error::YearOutOfRange`].
    pub fn energy_by_tenant(&self, year: i32) -> Result<Vec<EnergyBreakdownRow>> {
        crate::period::check_year("year", year)?;
        Ok(self.energy_breakdown_where(year, false, |_| true))
    }

    /// The consumption and cost of a year per paying tenant, service and
    /// energy: each meter's year (kWh net of sub-meters, adjusted kWh,
    /// TTC, as in [`Mutualis::energy_dashboard`]) goes to the managing
    /// service of its asset (or nearest ancestor with one) and to the
    /// tenants paying for the asset on 31 December of the year — the
    /// sharing key then in force split to the hundredth of kWh and the
    /// cent by the largest-remainder rule (DOMAIN §3), else the holder.
    /// Rows sorted by tenant code, service, energy.
    ///
    /// ```
    /// use mutualis::energy::{EnergySource, EnergyUnit, NewEnergyInvoice, NewMeter};
    /// use mutualis::{AssetKind, KeyBasis, Mutualis, NewAsset, NewTenant, Period};
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).unwrap();
    /// let mut m = Mutualis::new();
    /// m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
    /// m.add_tenant(NewTenant::commune("MABLY", "Mably", "214212706", "42127")).unwrap();
    /// m.add_service("ROANNE", "SPORTS", "Sports").unwrap();
    /// m.add_asset(NewAsset::new("HALLE", "Halle", AssetKind::Building, "ROANNE", d(1990, 1, 1))
    ///     .managed_by("ROANNE", "SPORTS")).unwrap();
    /// m.set_sharing_key("HALLE", KeyBasis::Agreed, Period::starting(d(2026, 1, 1)),
    ///     &[("ROANNE", 60), ("MABLY", 40)]).unwrap();
    /// m.add_meter(NewMeter::new("E", "HALLE", EnergySource::Electricity, EnergyUnit::Kwh)).unwrap();
    /// m.record_energy_invoice(NewEnergyInvoice::new("E", "F-1", d(2026, 3, 5), d(2026, 2, 1),
    ///     d(2026, 2, 28), dec!(5000), EnergyUnit::Kwh, dec!(200), dec!(800), dec!(200))).unwrap();
    /// let rows = m.energy_by_service(2026).unwrap();
    /// assert_eq!((rows[0].tenant.as_str(), rows[0].kwh, rows[0].cost_ttc), ("MABLY", dec!(2000), dec!(480)));
    /// assert_eq!(rows[1].service.as_deref(), Some("ROANNE/SPORTS"));
    /// assert_eq!((rows[1].kwh, rows[1].cost_ttc), (dec!(3000), dec!(720)));
    /// ```
    ///
    /// Errors: [`Error::YearOutOfRange`].
    pub fn energy_by_service(&self, year: i32) -> Result<Vec<EnergyBreakdownRow>> {
        crate::period::check_year("year", year)?;
        Ok(self.energy_breakdown_where(year, true, |_| true))
    }

    /// The breakdown of the meters whose asset `keep` accepts.
    pub(crate) fn energy_breakdown_where(
        &self,
        year: i32,
        by_service: bool,
        keep: impl Fn(AssetId) -> bool,
    ) -> Vec<EnergyBreakdownRow> {
        use crate::custody::PayerRef;
        use crate::ids::TenantId;
        const NONE: u32 = u32::MAX;
        let Some(last) = NaiveDate::from_ymd_opt(year, 12, 31) else {
            return Vec::new();
        };
        let managing = if by_service {
            self.managing_services()
        } else {
            Vec::new()
        };
        // (tenant, service, energy) → kWh, adjusted kWh (hundredths), TTC cents
        type Acc = (i64, Option<i64>, i64);
        let mut acc: BTreeMap<(u32, u32, EnergySource), Acc> = BTreeMap::new();
        let mut add = |t: TenantId, service: u32, source, k: i64, a: Option<i64>, c: i64| {
            let e = acc.entry((t.0, service, source)).or_insert((0, Some(0), 0));
            e.0 += k;
            e.1 = e.1.zip(a).map(|(x, y)| x + y);
            e.2 += c;
        };
        for at in 0..self.energy.meters.len() {
            let mt = &self.energy.meters[at];
            if !keep(mt.asset) {
                continue;
            }
            let my = self.meter_year_at(at, year);
            if my.net_kwh.is_zero() && my.cost_ttc.is_zero() {
                continue;
            }
            let adj = match &mt.station {
                Some(s) => self.climate_corrected(s, year, my.net_kwh).ok(),
                None => Some(my.net_kwh),
            };
            let (Ok(k), Ok(c)) = (to_cents(round2(my.net_kwh)), to_cents(my.cost_ttc)) else {
                continue;
            };
            let a = adj.and_then(|v| to_cents(round2(v)).ok());
            let service = managing.get(mt.asset.index()).copied().unwrap_or(NONE);
            match self.payer_ref(mt.asset, last) {
                PayerRef::Single(t) => add(t, service, mt.source, k, a, c),
                PayerRef::Key { asset, key } => {
                    let shares = self.key_shares(asset, key);
                    let w: Vec<u64> = shares.iter().map(|s| s.weight).collect();
                    let (mut ks, mut cs, mut as_) =
                        (vec![0; w.len()], vec![0; w.len()], vec![0; w.len()]);
                    if split_cents_into(k, &w, &mut ks).is_err()
                        || split_cents_into(c, &w, &mut cs).is_err()
                        || split_cents_into(a.unwrap_or(0), &w, &mut as_).is_err()
                    {
                        continue;
                    }
                    for (j, s) in shares.iter().enumerate() {
                        if s.weight > 0 {
                            add(
                                s.tenant,
                                service,
                                mt.source,
                                ks[j],
                                a.map(|_| as_[j]),
                                cs[j],
                            );
                        }
                    }
                }
            }
        }
        let mut rows: Vec<EnergyBreakdownRow> = acc
            .into_iter()
            .map(|((t, s, source), (k, a, c))| EnergyBreakdownRow {
                tenant: self.tenant_code(TenantId(t)).to_owned(),
                service: (s != NONE).then(|| {
                    let sv = &self.services()[s as usize];
                    format!("{}/{}", self.tenant_code(sv.tenant), sv.code)
                }),
                source,
                year,
                kwh: from_cents(k),
                adjusted_kwh: a.map(from_cents),
                cost_ttc: from_cents(c),
            })
            .collect();
        rows.sort_by(|x, y| {
            (&x.tenant, &x.service, x.source).cmp(&(&y.tenant, &y.service, y.source))
        });
        rows
    }

    /// Imports a supplier's CSV export of invoices, all or nothing
    /// (docs/energy.md): `;`-separated, a header naming the columns
    /// `meter;number;date;from;to;consumption;unit;subscription_ht;consumption_ht;vat`
    /// and optionally `factor`; dates `YYYY-MM-DD`, decimals with `.` or `,`.
    /// Gives the number of invoices recorded.
    ///
    /// Errors (nothing changes): [`Error::CsvRows`] (every bad row, with
    /// its line number and the typed error's message), [`Error::MissingColumn`].
    pub fn import_energy_invoices(&mut self, csv: &str) -> Result<usize> {
        const COLS: [&str; 10] = [
            "meter",
            "number",
            "date",
            "from",
            "to",
            "consumption",
            "unit",
            "subscription_ht",
            "consumption_ht",
            "vat",
        ];
        let mut lines = csv
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        let Some((_, header)) = lines.next() else {
            return Ok(0);
        };
        let head: Vec<&str> = header.split(';').map(str::trim).collect();
        let mut pos = [0usize; 10];
        for (k, c) in COLS.iter().enumerate() {
            pos[k] = head
                .iter()
                .position(|h| h == c)
                .ok_or(Error::MissingColumn {
                    table: "energy_invoices",
                    column: c,
                })?;
        }
        let factor_col = head.iter().position(|h| *h == "factor");
        let cp = self.checkpoint();
        let mut errors = Vec::new();
        let mut n = 0;
        for (i, line) in lines {
            let cells: Vec<&str> = line.split(';').map(str::trim).collect();
            let r = parse_row(&cells, &pos, factor_col)
                .and_then(|spec| self.record_energy_invoice(spec));
            match r {
                Ok(()) => n += 1,
                Err(e) => errors.push((i + 1, e.to_string())),
            }
        }
        if errors.is_empty() {
            self.release(cp);
            Ok(n)
        } else {
            self.rollback(cp)?;
            Err(Error::CsvRows { errors })
        }
    }
}

fn parse_row(cells: &[&str], pos: &[usize; 10], factor: Option<usize>) -> Result<NewEnergyInvoice> {
    let cell = |k: usize, name: &'static str| -> Result<&str> {
        cells.get(pos[k]).copied().ok_or(Error::InvalidField {
            field: name,
            reason: "missing cell".into(),
        })
    };
    let date = |k: usize, name: &'static str| -> Result<NaiveDate> {
        let s = cell(k, name)?;
        NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Error::InvalidField {
            field: name,
            reason: format!("{s:?} is not a date YYYY-MM-DD"),
        })
    };
    let dec = |s: &str, name: &'static str| -> Result<Decimal> {
        s.replace(',', ".")
            .parse::<Decimal>()
            .map_err(|_| Error::InvalidField {
                field: name,
                reason: format!("{s:?} is not a number"),
            })
    };
    let f = match factor.and_then(|c| cells.get(c)).filter(|s| !s.is_empty()) {
        Some(s) => Some(dec(s, "factor")?),
        None => None,
    };
    Ok(NewEnergyInvoice {
        meter: cell(0, "meter")?.to_owned(),
        number: cell(1, "number")?.to_owned(),
        date: date(2, "date")?,
        from: date(3, "from")?,
        to: date(4, "to")?,
        consumption: dec(cell(5, "consumption")?, "consumption")?,
        unit: cell(6, "unit")?.parse::<EnergyUnit>()?,
        subscription_ht: dec(cell(7, "subscription_ht")?, "subscription_ht")?,
        consumption_ht: dec(cell(8, "consumption_ht")?, "consumption_ht")?,
        vat: dec(cell(9, "vat")?, "vat")?,
        factor: f,
    })
}
