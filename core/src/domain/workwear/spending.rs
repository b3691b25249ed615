//! Spending control: what workwear cost per tenant, service, item and
//! agent in a year against the previous one and the services' budget
//! lines, and the forecast of next year's renewals at current CMUP.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::{plus_months, ForecastRow, SpendingBy, SpendingRow};
use crate::error::Result;
use crate::ids::StoreId;
use crate::Mutualis;

fn zero() -> Decimal {
    Decimal::new(0, 2)
}

impl Mutualis {
    /// Workwear issued by a tenant in `year` (value at CMUP, each issue to
    /// the cent) grouped by tenant, service, item or agent, with the
    /// previous year's figure; per service, the workwear budget line set
    /// for it with its credits and remaining credit in the year's budget
    /// (the issues are commitments on it). Rows by key.
    ///
    /// Errors: [`crate::Error::UnknownTenant`], [`crate::Error::YearOutOfRange`].
    pub fn workwear_spending(
        &self,
        tenant: &str,
        year: i32,
        by: SpendingBy,
    ) -> Result<Vec<SpendingRow>> {
        let t = self.tenant_id(tenant)?;
        crate::period::check_year("year", year)?;
        let w = &self.workwear;
        // key → (quantity, spent, previous)
        let mut acc: BTreeMap<String, (Decimal, Decimal, Decimal)> = BTreeMap::new();
        let mut services: BTreeMap<String, crate::ServiceId> = BTreeMap::new();
        for x in &w.issues {
            let agent = &w.agents[x.agent];
            if agent.tenant != t {
                continue;
            }
            let y = x.date.year();
            if y != year && y != year - 1 {
                continue;
            }
            let key = match by {
                SpendingBy::Tenant => tenant,
                SpendingBy::Service => {
                    let code = self.service_codes(x.service).1;
                    if !services.contains_key(code) {
                        services.insert(code.to_owned(), x.service);
                    }
                    code
                }
                SpendingBy::Item => w.items[x.item].code.as_str(),
                SpendingBy::Agent => agent.matricule.as_str(),
            };
            let e = match acc.get_mut(key) {
                Some(e) => e,
                None => acc
                    .entry(key.to_owned())
                    .or_insert((zero(), zero(), zero())),
            };
            if y == year {
                e.0 += x.quantity;
                e.1 += x.value;
            } else {
                e.2 += x.value;
            }
        }
        let status = if by == SpendingBy::Service {
            self.budget_status(tenant, year).ok()
        } else {
            None
        };
        Ok(acc
            .into_iter()
            .map(|(key, (quantity, spent, previous))| {
                let line = services
                    .get(&key)
                    .and_then(|s| w.budget_lines.get(s))
                    .cloned();
                let row = line.as_ref().and_then(|l| {
                    status
                        .as_ref()
                        .and_then(|st| st.iter().find(|r| &r.code == l))
                });
                SpendingRow {
                    key,
                    quantity,
                    spent,
                    previous,
                    change: spent - previous,
                    budget_line: line.clone(),
                    credits: row.map(|r| r.credits),
                    remaining: row.map(|r| r.remaining),
                }
            })
            .collect())
    }

    /// The renewals a tenant's allotments will bring in `year` (each due
    /// day of [`Mutualis::renewals_due`], then every period after it, while
    /// the agent is assigned), per item and store, valued at the store's
    /// current CMUP: the store of the agent's latest issue of the item, else
    /// the tenant's first store that holds the stock item. Rows by item
    /// then store.
    ///
    /// Errors: [`crate::Error::UnknownTenant`], [`crate::Error::YearOutOfRange`].
    pub fn renewal_forecast(&self, tenant: &str, year: i32) -> Result<Vec<ForecastRow>> {
        let t = self.tenant_id(tenant)?;
        crate::period::check_year("year", year)?;
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Ok(Vec::new());
        };
        let w = &self.workwear;
        let levels = self.stock.levels();
        let tenant_store = |stock_item: crate::ItemId| -> Option<StoreId> {
            self.stores()
                .iter()
                .filter(|s| s.tenant == t)
                .map(|s| s.id)
                .find(|s| levels.contains_key(&(*s, stock_item)))
        };
        let mut acc: BTreeMap<(usize, Option<StoreId>), Decimal> = BTreeMap::new();
        for (a, item, rec, due, _) in self.renewal_bases(t) {
            let Some(base) = due else { continue };
            let agent = &w.agents[a];
            let mut units = 0u32;
            let mut k = 0u32;
            loop {
                let d = if k == 0 {
                    base
                } else {
                    plus_months(base, rec.period_months.saturating_mul(k))
                };
                if d > last || agent.end.is_some_and(|e| d > e) || d == NaiveDate::MAX {
                    break;
                }
                if d >= first && agent.assigned_on(d) {
                    units = units.saturating_add(rec.quantity);
                }
                k += 1;
            }
            if units == 0 {
                continue;
            }
            let store = w.issues_of[a]
                .iter()
                .rev()
                .map(|&i| &w.issues[i as usize])
                .find(|x| x.item == item)
                .map(|x| x.store)
                .or_else(|| tenant_store(w.items[item].stock_item));
            *acc.entry((item, store)).or_insert(Decimal::ZERO) += Decimal::from(units);
        }
        let mut rows: Vec<ForecastRow> = acc
            .into_iter()
            .map(|((item, store), quantity)| {
                let stock_item = w.items[item].stock_item;
                let cmup = store
                    .and_then(|s| levels.get(&(s, stock_item)))
                    .map_or(Decimal::ZERO, |l| l.cmup);
                ForecastRow {
                    item: w.items[item].code.clone(),
                    store: store.map_or(String::new(), |s| self.store_code(s).to_owned()),
                    quantity,
                    cmup,
                    value: crate::money::round_cents(quantity * cmup),
                }
            })
            .collect();
        rows.sort_by(|x, y| (&x.item, &x.store).cmp(&(&y.item, &y.store)));
        Ok(rows)
    }
}
