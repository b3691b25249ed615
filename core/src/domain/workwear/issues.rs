//! Issues to agents at CMUP, returns and replacements, what each agent
//! holds, what is due for renewal and what is past expiry.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{
    check_pieces, plus_months, AllotFor, AllotRec, AllotmentWarning, Holding, IssueRec,
    NewWorkwearIssue, NewWorkwearReturn, RenewalDue, ReturnRec, WorkwearEvent, WorkwearIssue,
    WorkwearReturn, WorkwearUndo,
};
use crate::budget::OverrunPolicy;
use crate::error::{Error, Result};
use crate::stock::{IssueReason, StockIssue};
use crate::Mutualis;

/// One issue lot of an agent and what is left of it after the returns.
pub(super) struct Lot {
    pub(super) issue: usize,
    pub(super) item: usize,
    pub(super) size: Option<u32>,
    pub(super) date: NaiveDate,
    pub(super) left: Decimal,
}

/// An agent, an item of its allotment, the allotment, the day the renewal
/// falls due (none: never issued, not in the initial kit) and the latest
/// issue counted.
pub(super) type RenewalBase<'a> = (
    usize,
    usize,
    &'a AllotRec,
    Option<NaiveDate>,
    Option<NaiveDate>,
);

impl Mutualis {
    /// The position of `size` among the sizes `item` offers (none for a
    /// one-size item).
    fn size_index(&self, item: usize, size: Option<&str>, required: bool) -> Result<Option<u32>> {
        let it = &self.workwear.items[item];
        match size {
            None if it.sizes.is_empty() || !required => Ok(None),
            None => Err(Error::SizeNotOffered {
                item: it.code.clone(),
                size: String::new(),
            }),
            Some(s) => it
                .sizes
                .iter()
                .position(|x| x == s)
                .map(|i| Some(i as u32))
                .ok_or_else(|| Error::SizeNotOffered {
                    item: it.code.clone(),
                    size: s.to_owned(),
                }),
        }
    }

    /// The lots of agent `a`, in date order, returns taken from the oldest
    /// lots of their item (and size, when the return names one) on or
    /// before their day first, then from later ones.
    pub(super) fn lots_of(&self, a: usize) -> Vec<Lot> {
        let w = &self.workwear;
        let mut lots: Vec<Lot> = w.issues_of[a]
            .iter()
            .map(|&i| {
                let x = &w.issues[i as usize];
                Lot {
                    issue: i as usize,
                    item: x.item,
                    size: x.size,
                    date: x.date,
                    left: x.quantity,
                }
            })
            .collect();
        lots.sort_by_key(|l| (l.date, l.issue));
        let mut returns: Vec<&ReturnRec> = w.returns_of[a]
            .iter()
            .map(|&r| &w.returns[r as usize])
            .collect();
        returns.sort_by_key(|r| r.date);
        for r in returns {
            let mut want = r.quantity;
            let fits = |l: &Lot| l.item == r.item && r.size.is_none_or(|s| l.size == Some(s));
            for pass in [true, false] {
                for l in lots.iter_mut().filter(|l| fits(l)) {
                    if want.is_zero() {
                        break;
                    }
                    if pass && l.date > r.date {
                        continue;
                    }
                    let take = want.min(l.left);
                    l.left -= take;
                    want -= take;
                }
            }
        }
        lots
    }

    /// What agent `a` holds of `item` (of `size`, or of any size).
    fn held(&self, a: usize, item: usize, size: Option<u32>) -> Decimal {
        self.lots_of(a)
            .iter()
            .filter(|l| l.item == item && size.is_none_or(|s| l.size == Some(s)))
            .map(|l| l.left)
            .sum()
    }

    /// Quantity of `item` issued to `a` (replacements aside) in the
    /// `months` ending on `date`: after `date` − `months`, up to `date`.
    fn issued_in_period(&self, a: usize, item: usize, date: NaiveDate, months: u32) -> Decimal {
        let from = date
            .checked_sub_months(chrono::Months::new(months))
            .unwrap_or(NaiveDate::MIN);
        let w = &self.workwear;
        w.issues_of[a]
            .iter()
            .map(|&i| &w.issues[i as usize])
            .filter(|x| x.item == item && x.replaces.is_none() && x.date > from && x.date <= date)
            .map(|x| x.quantity)
            .sum()
    }

    /// Issues workwear to an agent from a store of its tenant, at the
    /// store's current CMUP (the stock's own computation), charged to the
    /// agent's service (and committed on the service's workwear budget line
    /// of the year, when one is set and the year's budget has it). An issue
    /// beyond the allotment is refused or recorded with a warning, as the
    /// tenant's policy says; a replacement ([`NewWorkwearIssue::replacing`])
    /// returns as many units of the item held and is outside the allotment.
    ///
    /// Errors (nothing changes): [`Error::UnknownTenant`],
    /// [`Error::UnknownAgent`], [`Error::UnknownWorkwearItem`],
    /// [`Error::UnknownStore`], [`Error::InvalidField`] (a store of another
    /// tenant, a date before the first receipt), [`Error::YearOutOfRange`],
    /// [`Error::AgentNotAssigned`], [`Error::InvalidQuantity`] (not a
    /// positive whole number; a replacement of more than is held),
    /// [`Error::SizeNotOffered`], [`Error::AllotmentExceeded`] (policy
    /// refuse), [`Error::InsufficientStock`].
    pub fn issue_workwear(&mut self, spec: NewWorkwearIssue) -> Result<WorkwearIssue> {
        let (t, a) = self.agent_index(&spec.tenant, &spec.agent)?;
        let item = self.workwear_item_index(&spec.item)?;
        let store = self.store_id(&spec.store)?;
        if self.stores()[store.index()].tenant != t {
            return Err(Error::InvalidField {
                field: "store",
                reason: format!(
                    "store {} is not a store of {} (the agent's tenant)",
                    spec.store, spec.tenant
                ),
            });
        }
        crate::period::check_date("date", spec.date)?;
        let agent = &self.workwear.agents[a];
        if !agent.assigned_on(spec.date) {
            return Err(Error::AgentNotAssigned {
                tenant: spec.tenant.clone(),
                matricule: spec.agent.clone(),
                date: spec.date,
            });
        }
        check_pieces("quantity issued", spec.quantity)?;
        let size = self.size_index(item, spec.size.as_deref(), true)?;
        if spec.replaces.is_some() && self.held(a, item, None) < spec.quantity {
            return Err(Error::InvalidQuantity {
                what: "quantity replaced (more than the agent holds)",
                value: spec.quantity,
            });
        }
        let mut warning = None;
        if spec.replaces.is_none() {
            let (allowed, months) = self
                .allotment_of(a, item)
                .map_or((0, 12), |x| (x.quantity, x.period_months));
            let already = self.issued_in_period(a, item, spec.date, months);
            if already + spec.quantity > Decimal::from(allowed) {
                match self.workwear_policy_of(t) {
                    OverrunPolicy::Refuse => {
                        return Err(Error::AllotmentExceeded {
                            tenant: spec.tenant.clone(),
                            matricule: spec.agent.clone(),
                            item: spec.item.clone(),
                            allowed,
                            already,
                            requested: spec.quantity,
                        })
                    }
                    OverrunPolicy::Warn => warning = Some((allowed, already)),
                }
            }
        }
        let stock_item = self.workwear.items[item].stock_item;
        let (cmup, value) = self.check_issue(store, stock_item, spec.quantity, spec.date)?;
        let service = self.workwear.agents[a].service;
        let number = self.workwear.issues.len() + 1;
        let line = self.workwear.budget_lines.get(&service).cloned();
        let commit = line.as_deref().and_then(|l| {
            use chrono::Datelike;
            self.budget_line_at(t, spec.date.year(), l)
        });
        // change
        self.take_stock(StockIssue {
            store,
            item: stock_item,
            date: spec.date,
            quantity: spec.quantity,
            cmup,
            value,
            reason: IssueReason::Agent,
            agent: Some(spec.agent.clone()),
            service: Some(service),
            note: Some(format!("EPI {}", spec.item)),
        });
        if let (Some((b, l)), false) = (commit, value.is_zero()) {
            self.push_commitment(
                b,
                l,
                crate::budget::Commitment {
                    code: format!("EPI-{number}"),
                    amount: value,
                    work_order: None,
                },
            );
        }
        let rec = IssueRec {
            agent: a,
            item,
            store,
            date: spec.date,
            size,
            quantity: spec.quantity,
            cmup,
            value,
            service,
            budget_line: commit.and(line),
            replaces: spec.replaces,
            warning,
        };
        self.push_issue_rec(rec);
        if let Some(reason) = spec.replaces {
            self.push_return_rec(ReturnRec {
                agent: a,
                item,
                size: None,
                date: spec.date,
                quantity: spec.quantity,
                reason,
            });
        }
        let out = self.issue_row(number - 1);
        let tenant = spec.tenant.clone();
        self.log(
            Some(tenant),
            WorkwearEvent::WorkwearIssued { issue: spec.into() },
        );
        Ok(out)
    }

    pub(super) fn push_issue_rec(&mut self, rec: IssueRec) {
        let w = &mut self.workwear;
        w.issues_of[rec.agent].push(w.issues.len() as u32);
        w.issues.push(rec);
        self.workwear_undo(WorkwearUndo::Issued);
    }

    pub(super) fn push_return_rec(&mut self, rec: ReturnRec) {
        let w = &mut self.workwear;
        w.returns_of[rec.agent].push(w.returns.len() as u32);
        w.returns.push(rec);
        self.workwear_undo(WorkwearUndo::Returned);
    }

    /// Records workwear returned by an agent (worn, lost, damaged, end of
    /// assignment): it no longer holds it.
    ///
    /// Errors (nothing changes): [`Error::UnknownTenant`],
    /// [`Error::UnknownAgent`], [`Error::UnknownWorkwearItem`],
    /// [`Error::SizeNotOffered`], [`Error::YearOutOfRange`],
    /// [`Error::InvalidQuantity`] (not a positive whole number, or more
    /// than the agent holds).
    pub fn return_workwear(&mut self, spec: NewWorkwearReturn) -> Result<()> {
        let (_, a) = self.agent_index(&spec.tenant, &spec.agent)?;
        let item = self.workwear_item_index(&spec.item)?;
        let size = self.size_index(item, spec.size.as_deref(), false)?;
        crate::period::check_date("date", spec.date)?;
        check_pieces("quantity returned", spec.quantity)?;
        if self.held(a, item, size) < spec.quantity {
            return Err(Error::InvalidQuantity {
                what: "quantity returned (more than the agent holds)",
                value: spec.quantity,
            });
        }
        self.push_return_rec(ReturnRec {
            agent: a,
            item,
            size,
            date: spec.date,
            quantity: spec.quantity,
            reason: spec.reason,
        });
        let tenant = spec.tenant.clone();
        self.log(
            Some(tenant),
            WorkwearEvent::WorkwearReturned {
                returned: spec.into(),
            },
        );
        Ok(())
    }

    /// Issue `i` with codes.
    pub(super) fn issue_row(&self, i: usize) -> WorkwearIssue {
        let w = &self.workwear;
        let x = &w.issues[i];
        let agent = &w.agents[x.agent];
        let item = &w.items[x.item];
        WorkwearIssue {
            number: i + 1,
            tenant: self.tenant_code(agent.tenant).to_owned(),
            agent: agent.matricule.clone(),
            item: item.code.clone(),
            store: self.store_code(x.store).to_owned(),
            date: x.date,
            size: x.size.and_then(|s| item.sizes.get(s as usize).cloned()),
            quantity: x.quantity,
            cmup: x.cmup,
            value: x.value,
            service: self.service_codes(x.service).1.to_owned(),
            budget_line: x.budget_line.clone(),
            replaces: x.replaces,
            warning: x.warning.is_some(),
            expires: item.lifetime_months.map(|m| plus_months(x.date, m)),
        }
    }

    /// The issues to a tenant's agents, in the order recorded.
    ///
    /// Errors: [`Error::UnknownTenant`].
    pub fn workwear_issues(&self, tenant: &str) -> Result<Vec<WorkwearIssue>> {
        let t = self.tenant_id(tenant)?;
        let w = &self.workwear;
        Ok((0..w.issues.len())
            .filter(|&i| w.agents[w.issues[i].agent].tenant == t)
            .map(|i| self.issue_row(i))
            .collect())
    }

    /// The returns of a tenant's agents (replacements included), in the order recorded.
    ///
    /// Errors: [`Error::UnknownTenant`].
    pub fn workwear_returns(&self, tenant: &str) -> Result<Vec<WorkwearReturn>> {
        let t = self.tenant_id(tenant)?;
        let w = &self.workwear;
        Ok(w.returns
            .iter()
            .filter(|r| w.agents[r.agent].tenant == t)
            .map(|r| {
                let item = &w.items[r.item];
                WorkwearReturn {
                    tenant: tenant.to_owned(),
                    agent: w.agents[r.agent].matricule.clone(),
                    item: item.code.clone(),
                    size: r.size.and_then(|s| item.sizes.get(s as usize).cloned()),
                    date: r.date,
                    quantity: r.quantity,
                    reason: r.reason,
                }
            })
            .collect())
    }

    /// The issues beyond the allotment recorded under the warn policy.
    ///
    /// Errors: [`Error::UnknownTenant`].
    pub fn allotment_warnings(&self, tenant: &str) -> Result<Vec<AllotmentWarning>> {
        let t = self.tenant_id(tenant)?;
        let w = &self.workwear;
        Ok(w.issues
            .iter()
            .enumerate()
            .filter(|(_, x)| w.agents[x.agent].tenant == t)
            .filter_map(|(i, x)| {
                let (allowed, already) = x.warning?;
                Some(AllotmentWarning {
                    issue: i + 1,
                    tenant: tenant.to_owned(),
                    agent: w.agents[x.agent].matricule.clone(),
                    item: w.items[x.item].code.clone(),
                    date: x.date,
                    allowed,
                    already,
                    requested: x.quantity,
                })
            })
            .collect())
    }

    fn holding(&self, a: usize, l: &Lot) -> Holding {
        let w = &self.workwear;
        let item = &w.items[l.item];
        Holding {
            agent: w.agents[a].matricule.clone(),
            item: item.code.clone(),
            size: l.size.and_then(|s| item.sizes.get(s as usize).cloned()),
            issued: l.date,
            quantity: l.left,
            expires: item.lifetime_months.map(|m| plus_months(l.date, m)),
        }
    }

    /// What an agent holds, per issue lot (date order).
    ///
    /// Errors: [`Error::UnknownTenant`], [`Error::UnknownAgent`].
    pub fn agent_holdings(&self, tenant: &str, matricule: &str) -> Result<Vec<Holding>> {
        let (_, a) = self.agent_index(tenant, matricule)?;
        Ok(self
            .lots_of(a)
            .iter()
            .filter(|l| l.left > Decimal::ZERO)
            .map(|l| self.holding(a, l))
            .collect())
    }

    /// The units a tenant's agents hold whose expiry is on or before `on`
    /// (to withdraw), by agent then date.
    ///
    /// Errors: [`Error::UnknownTenant`], [`Error::YearOutOfRange`].
    pub fn expired_workwear(&self, tenant: &str, on: NaiveDate) -> Result<Vec<Holding>> {
        let t = self.tenant_id(tenant)?;
        crate::period::check_date("on", on)?;
        let w = &self.workwear;
        let mut out = Vec::new();
        for (a, agent) in w.agents.iter().enumerate() {
            if agent.tenant != t || w.issues_of[a].is_empty() {
                continue;
            }
            for l in self.lots_of(a) {
                let Some(m) = w.items[l.item].lifetime_months else {
                    continue;
                };
                if l.left > Decimal::ZERO && plus_months(l.date, m) <= on {
                    out.push(self.holding(a, &l));
                }
            }
        }
        Ok(out)
    }

    /// Each (agent, item, allotment) of a tenant with the first day the
    /// renewal falls due (see [`Mutualis::renewals_due`]); `None` for an
    /// item never issued outside the initial kit. Allotments are read once.
    pub(super) fn renewal_bases(&self, t: crate::TenantId) -> Vec<RenewalBase<'_>> {
        let w = &self.workwear;
        let mut by_job: HashMap<&str, Vec<(usize, &AllotRec)>> = HashMap::new();
        let mut by_agent: HashMap<usize, Vec<(usize, &AllotRec)>> = HashMap::new();
        for ((tt, who, item), rec) in &w.allotments {
            if *tt != t {
                continue;
            }
            match who {
                AllotFor::Job(j) => by_job.entry(j.as_str()).or_default().push((*item, rec)),
                AllotFor::Agent(a) => by_agent.entry(*a).or_default().push((*item, rec)),
            }
        }
        let mut out = Vec::new();
        let mut last: HashMap<usize, NaiveDate> = HashMap::new();
        for (a, agent) in w.agents.iter().enumerate() {
            if agent.tenant != t {
                continue;
            }
            let own = by_agent.get(&a).map_or(&[][..], Vec::as_slice);
            let job = by_job
                .get(agent.job.as_str())
                .map_or(&[][..], Vec::as_slice);
            if own.is_empty() && job.is_empty() {
                continue;
            }
            last.clear();
            for &i in &w.issues_of[a] {
                let x = &w.issues[i as usize];
                if x.replaces.is_none() {
                    let e = last.entry(x.item).or_insert(x.date);
                    *e = (*e).max(x.date);
                }
            }
            let due_of = |item: usize, rec: &AllotRec| {
                let latest = last.get(&item).copied();
                let due = match latest {
                    Some(d) => Some(plus_months(d, rec.period_months)),
                    None if rec.initial => Some(agent.start),
                    None => None,
                };
                (due, latest)
            };
            for &(item, rec) in own {
                let (due, latest) = due_of(item, rec);
                out.push((a, item, rec, due, latest));
            }
            for &(item, rec) in job {
                if own.iter().any(|(i, _)| *i == item) {
                    continue;
                }
                let (due, latest) = due_of(item, rec);
                out.push((a, item, rec, due, latest));
            }
        }
        out
    }

    /// The renewals of a tenant's allotments falling due from `from` (none:
    /// overdue ones included) to `to`, first and last days included: for
    /// each agent and item of its allotment (its own, else its job's), due
    /// on the latest issue (replacements aside) + the period, or, never
    /// issued, on the start of assignment for an item of the initial kit;
    /// the agent assigned on that day. By due day, then matricule and item.
    ///
    /// Errors: [`Error::UnknownTenant`], [`Error::YearOutOfRange`],
    /// [`Error::DatesOutOfOrder`].
    pub fn renewals_due(
        &self,
        tenant: &str,
        from: Option<NaiveDate>,
        to: NaiveDate,
    ) -> Result<Vec<RenewalDue>> {
        let t = self.tenant_id(tenant)?;
        crate::period::check_date("to", to)?;
        if let Some(f) = from {
            crate::period::Period::new(f, Some(to))?;
        }
        let w = &self.workwear;
        let mut out = Vec::new();
        for (a, item, rec, due, latest) in self.renewal_bases(t) {
            let Some(due) = due else { continue };
            let agent = &w.agents[a];
            if due > to || from.is_some_and(|f| due < f) || !agent.assigned_on(due) {
                continue;
            }
            out.push(RenewalDue {
                agent: agent.matricule.clone(),
                name: agent.name.clone(),
                service: self.service_codes(agent.service).1.to_owned(),
                item: w.items[item].code.clone(),
                quantity: rec.quantity,
                due,
                last_issue: latest,
                initial: rec.initial,
            });
        }
        out.sort_by(|x, y| (x.due, &x.agent, &x.item).cmp(&(y.due, &y.agent, &y.item)));
        Ok(out)
    }
}
