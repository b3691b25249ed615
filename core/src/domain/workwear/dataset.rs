//! The workwear's sections of the JSON dataset (each optional: a dataset
//! written before the workwear existed has none). Issues are restored as
//! recorded (their CMUP, value, budget line and warning kept: the stock
//! levels, the stock's history and the budgets' commitments are restored
//! by their own sections), the rest through the commands.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::events::{AgentV1, AllotmentV1, WorkwearItemV1, WorkwearReturnV1};
use super::{check_pieces, IssueRec, ReturnReason};
use crate::budget::OverrunPolicy;
use crate::error::{Error, Result};
use crate::Mutualis;

/// A tenant's policy in the dataset.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicyRec {
    tenant: String,
    policy: OverrunPolicy,
}

/// A service's workwear budget line in the dataset.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BudgetLineRec {
    tenant: String,
    service: String,
    line: String,
}

/// An issue beyond the allotment, as recorded.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WarningRec {
    allowed: u32,
    already: Decimal,
}

/// An issue as recorded.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IssueRecord {
    tenant: String,
    agent: String,
    item: String,
    store: String,
    date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    size: Option<String>,
    quantity: Decimal,
    cmup: Decimal,
    value: Decimal,
    service: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    budget_line: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    replaces: Option<ReturnReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    warning: Option<WarningRec>,
}

/// The workwear's sections of the dataset.
#[derive(Default)]
pub(crate) struct WorkwearRecords {
    pub(crate) agents: Vec<AgentV1>,
    pub(crate) workwear_items: Vec<WorkwearItemV1>,
    pub(crate) allotments: Vec<AllotmentV1>,
    pub(crate) workwear_policies: Vec<PolicyRec>,
    pub(crate) workwear_budget_lines: Vec<BudgetLineRec>,
    pub(crate) workwear_issues: Vec<IssueRecord>,
    pub(crate) workwear_returns: Vec<WorkwearReturnV1>,
}

fn bad(i: usize, reason: impl Into<String>) -> Error {
    Error::InvalidField {
        field: "workwear_issues",
        reason: format!("record {i}: {}", reason.into()),
    }
}

impl Mutualis {
    /// The workwear as dataset records.
    pub(crate) fn workwear_records(&self) -> WorkwearRecords {
        let mut r = WorkwearRecords::default();
        let w = &self.workwear;
        for a in &w.agents {
            let (tenant, service) = self.service_codes(a.service);
            r.agents.push(AgentV1 {
                tenant: tenant.to_owned(),
                matricule: a.matricule.clone(),
                name: a.name.clone(),
                service: service.to_owned(),
                job: a.job.clone(),
                sizes: a.sizes.clone(),
                start: a.start,
                end: a.end,
            });
        }
        for i in &w.items {
            r.workwear_items.push(WorkwearItemV1 {
                code: i.code.clone(),
                label: i.label.clone(),
                stock_item: self.item_code(i.stock_item).to_owned(),
                sizes: i.sizes.clone(),
                standards: i.standards.clone(),
                lifetime_months: i.lifetime_months,
            });
        }
        for ((t, who, item), a) in &w.allotments {
            let (job, agent) = match who {
                super::AllotFor::Job(j) => (Some(j.clone()), None),
                super::AllotFor::Agent(x) => (None, Some(w.agents[*x].matricule.clone())),
            };
            r.allotments.push(AllotmentV1 {
                tenant: self.tenant_code(*t).to_owned(),
                job,
                agent,
                item: w.items[*item].code.clone(),
                quantity: a.quantity,
                period_months: a.period_months,
                initial: a.initial,
            });
        }
        for (t, p) in &w.policies {
            r.workwear_policies.push(PolicyRec {
                tenant: self.tenant_code(*t).to_owned(),
                policy: *p,
            });
        }
        for (s, line) in &w.budget_lines {
            let (tenant, service) = self.service_codes(*s);
            r.workwear_budget_lines.push(BudgetLineRec {
                tenant: tenant.to_owned(),
                service: service.to_owned(),
                line: line.clone(),
            });
        }
        for i in 0..w.issues.len() {
            let x = &w.issues[i];
            let row = self.issue_row(i);
            r.workwear_issues.push(IssueRecord {
                tenant: row.tenant,
                agent: row.agent,
                item: row.item,
                store: row.store,
                date: row.date,
                size: row.size,
                quantity: row.quantity,
                cmup: row.cmup,
                value: row.value,
                service: row.service,
                budget_line: row.budget_line,
                replaces: row.replaces,
                warning: x
                    .warning
                    .map(|(allowed, already)| WarningRec { allowed, already }),
            });
        }
        for x in &w.returns {
            let item = &w.items[x.item];
            let agent = &w.agents[x.agent];
            r.workwear_returns.push(WorkwearReturnV1 {
                tenant: self.tenant_code(agent.tenant).to_owned(),
                agent: agent.matricule.clone(),
                item: item.code.clone(),
                size: x.size.and_then(|s| item.sizes.get(s as usize).cloned()),
                date: x.date,
                quantity: x.quantity,
                reason: x.reason,
            });
        }
        r
    }

    /// Loads the workwear's dataset records with the commands' checks.
    pub(crate) fn restore_workwear(&mut self, r: WorkwearRecords) -> Result<()> {
        // each end after its agent is recorded, by the command
        let mut ends = Vec::new();
        for a in r.agents {
            if let Some(e) = a.end {
                ends.push((a.tenant.clone(), a.matricule.clone(), e));
            }
            self.add_agent(super::NewAgent {
                end: None,
                ..super::NewAgent::from(a)
            })?;
        }
        for (t, m, e) in ends {
            self.end_agent_assignment(&t, &m, e)?;
        }
        for i in r.workwear_items {
            self.add_workwear_item(i.into())?;
        }
        for a in r.allotments {
            self.set_allotment(a.into())?;
        }
        for p in r.workwear_policies {
            self.set_workwear_policy(&p.tenant, p.policy)?;
        }
        for b in r.workwear_budget_lines {
            self.set_workwear_budget_line(&b.tenant, &b.service, &b.line)?;
        }
        for (i, x) in r.workwear_issues.into_iter().enumerate() {
            let (_, agent) = self.agent_index(&x.tenant, &x.agent)?;
            let item = self.workwear_item_index(&x.item)?;
            let store = self.store_id(&x.store)?;
            let service = self.service_id(&x.tenant, &x.service)?;
            crate::period::check_date("date", x.date)?;
            check_pieces("quantity issued", x.quantity)?;
            let it = &self.workwear.items[item];
            let size = match &x.size {
                None => None,
                Some(s) => Some(it.sizes.iter().position(|y| y == s).ok_or_else(|| {
                    Error::SizeNotOffered {
                        item: it.code.clone(),
                        size: s.clone(),
                    }
                })? as u32),
            };
            if x.cmup < Decimal::ZERO
                || x.cmup.scale() > crate::stock::CMUP_DECIMALS
                || x.quantity
                    .checked_mul(x.cmup)
                    .map(crate::money::round_cents)
                    != Some(x.value)
            {
                return Err(bad(
                    i,
                    "the value must be quantity × CMUP (4 decimals) to the cent",
                ));
            }
            self.push_issue_rec(IssueRec {
                agent,
                item,
                store,
                date: x.date,
                size,
                quantity: x.quantity,
                cmup: x.cmup,
                value: x.value,
                service,
                budget_line: x.budget_line,
                replaces: x.replaces,
                warning: x.warning.map(|w| (w.allowed, w.already)),
            });
        }
        for x in r.workwear_returns {
            self.return_workwear(x.into())?;
        }
        Ok(())
    }
}
