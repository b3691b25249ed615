//! The catalogue, the allotments, each tenant's policy and the budget lines
//! workwear is charged to.

use super::{AllotFor, AllotRec, Allotment, NewAllotment, NewWorkwearItem, WorkwearEvent};
use super::{WorkwearItem, WorkwearUndo};
use crate::budget::OverrunPolicy;
use crate::error::{Error, Result};
use crate::identity::{check_code, check_name};
use crate::Mutualis;

impl Mutualis {
    /// The position of a catalogue item; [`Error::UnknownWorkwearItem`] if none.
    pub(crate) fn workwear_item_index(&self, code: &str) -> Result<usize> {
        self.workwear
            .item_index
            .get(code)
            .copied()
            .ok_or_else(|| Error::UnknownWorkwearItem(code.to_owned()))
    }

    /// Adds an item to the group's workwear catalogue.
    ///
    /// Errors (nothing changes): [`Error::InvalidCode`],
    /// [`Error::InvalidField`] (empty label, size or standard, a size
    /// offered twice, a lifetime of 0 months), [`Error::UnknownItem`] (the
    /// stock item), [`Error::DuplicateWorkwearItem`].
    pub fn add_workwear_item(&mut self, spec: NewWorkwearItem) -> Result<()> {
        check_code("workwear item", &spec.code)?;
        check_name("label", &spec.label)?;
        let stock_item = self.item_id(&spec.stock_item)?;
        for (i, s) in spec.sizes.iter().enumerate() {
            check_name("size", s)?;
            if spec.sizes[..i].contains(s) {
                return Err(Error::InvalidField {
                    field: "sizes",
                    reason: format!("size {s:?} is offered twice"),
                });
            }
        }
        for s in &spec.standards {
            check_name("standard", s)?;
        }
        if spec.lifetime_months == Some(0) {
            return Err(Error::InvalidField {
                field: "lifetime_months",
                reason: "a lifetime is at least one month".into(),
            });
        }
        if self.workwear.item_index.contains_key(&spec.code) {
            return Err(Error::DuplicateWorkwearItem(spec.code));
        }
        let w = &mut self.workwear;
        w.item_index.insert(spec.code.clone(), w.items.len());
        w.items.push(WorkwearItem {
            code: spec.code.clone(),
            label: spec.label.clone(),
            stock_item,
            sizes: spec.sizes.clone(),
            standards: spec.standards.clone(),
            lifetime_months: spec.lifetime_months,
        });
        self.workwear_undo(WorkwearUndo::ItemAdded);
        self.log(None, WorkwearEvent::WorkwearItemAdded { item: spec.into() });
        Ok(())
    }

    /// The workwear catalogue, in creation order.
    #[must_use]
    pub fn workwear_items(&self) -> &[WorkwearItem] {
        &self.workwear.items
    }

    /// A catalogue item.
    ///
    /// Errors: [`Error::UnknownWorkwearItem`].
    pub fn workwear_item(&self, code: &str) -> Result<&WorkwearItem> {
        Ok(&self.workwear.items[self.workwear_item_index(code)?])
    }

    /// Sets (or replaces) an allotment of a job or of one agent.
    ///
    /// Errors (nothing changes): [`Error::UnknownTenant`],
    /// [`Error::UnknownAgent`], [`Error::UnknownWorkwearItem`],
    /// [`Error::InvalidField`] (neither or both of job and agent, an empty
    /// job, a period of 0 months), [`Error::InvalidQuantity`] (0).
    pub fn set_allotment(&mut self, spec: NewAllotment) -> Result<()> {
        let t = self.tenant_id(&spec.tenant)?;
        let who = match (&spec.job, &spec.agent) {
            (Some(job), None) => {
                check_name("job", job)?;
                AllotFor::Job(job.clone())
            }
            (None, Some(agent)) => AllotFor::Agent(self.agent_index(&spec.tenant, agent)?.1),
            _ => {
                return Err(Error::InvalidField {
                    field: "allotment",
                    reason: "an allotment is for a job or for an agent (one of them)".into(),
                })
            }
        };
        let item = self.workwear_item_index(&spec.item)?;
        if spec.quantity == 0 {
            return Err(Error::InvalidQuantity {
                what: "allotment quantity",
                value: rust_decimal::Decimal::ZERO,
            });
        }
        if spec.period_months == 0 {
            return Err(Error::InvalidField {
                field: "period_months",
                reason: "a renewal period is at least one month".into(),
            });
        }
        let key = (t, who, item);
        let old = self.workwear.allotments.insert(
            key.clone(),
            AllotRec {
                quantity: spec.quantity,
                period_months: spec.period_months,
                initial: spec.initial,
            },
        );
        self.workwear_undo(WorkwearUndo::Allotment { key, old });
        let tenant = spec.tenant.clone();
        self.log(
            Some(tenant),
            WorkwearEvent::AllotmentSet {
                allotment: spec.into(),
            },
        );
        Ok(())
    }

    /// A tenant's allotments (jobs first by name, then agents'), by item.
    ///
    /// Errors: [`Error::UnknownTenant`].
    pub fn allotments(&self, tenant: &str) -> Result<Vec<Allotment>> {
        let t = self.tenant_id(tenant)?;
        let w = &self.workwear;
        Ok(w.allotments
            .iter()
            .filter(|((tt, _, _), _)| *tt == t)
            .map(|((_, who, item), a)| Allotment {
                tenant: tenant.to_owned(),
                job: match who {
                    AllotFor::Job(j) => Some(j.clone()),
                    AllotFor::Agent(_) => None,
                },
                agent: match who {
                    AllotFor::Agent(i) => Some(w.agents[*i].matricule.clone()),
                    AllotFor::Job(_) => None,
                },
                item: w.items[*item].code.clone(),
                quantity: a.quantity,
                period_months: a.period_months,
                initial: a.initial,
            })
            .collect())
    }

    /// The allotment of item `item` that applies to agent `agent`: its own,
    /// else its job's.
    pub(super) fn allotment_of(&self, agent: usize, item: usize) -> Option<&AllotRec> {
        let a = &self.workwear.agents[agent];
        let w = &self.workwear.allotments;
        w.get(&(a.tenant, AllotFor::Agent(agent), item))
            .or_else(|| w.get(&(a.tenant, AllotFor::Job(a.job.clone()), item)))
    }

    /// Sets what happens when an issue exceeds the allotment for a tenant:
    /// refuse it ([`Error::AllotmentExceeded`]) or record it with a warning
    /// ([`Mutualis::allotment_warnings`]). The default is to refuse.
    ///
    /// Errors: [`Error::UnknownTenant`].
    pub fn set_workwear_policy(&mut self, tenant: &str, policy: OverrunPolicy) -> Result<()> {
        let t = self.tenant_id(tenant)?;
        let old = self.workwear.policies.insert(t, policy);
        self.workwear_undo(WorkwearUndo::Policy { tenant: t, old });
        self.log(
            Some(tenant.to_owned()),
            WorkwearEvent::WorkwearPolicySet {
                tenant: tenant.to_owned(),
                policy,
            },
        );
        Ok(())
    }

    /// A tenant's policy on issues beyond the allotment.
    ///
    /// Errors: [`Error::UnknownTenant`].
    pub fn workwear_policy(&self, tenant: &str) -> Result<OverrunPolicy> {
        let t = self.tenant_id(tenant)?;
        Ok(self.workwear_policy_of(t))
    }

    pub(super) fn workwear_policy_of(&self, t: crate::TenantId) -> OverrunPolicy {
        self.workwear
            .policies
            .get(&t)
            .copied()
            .unwrap_or(OverrunPolicy::Refuse)
    }

    /// Charges the workwear issued to a service's agents to a budget line
    /// (by code, in every year's budget of the tenant that has it): each
    /// issue is then committed on the line of its year's budget.
    ///
    /// Errors (nothing changes): [`Error::UnknownTenant`],
    /// [`Error::UnknownService`], [`Error::InvalidCode`],
    /// [`Error::UnknownBudget`] (no budget of the tenant has the line),
    /// [`Error::BudgetLineMismatch`] (only a revenue line has this code).
    pub fn set_workwear_budget_line(
        &mut self,
        tenant: &str,
        service: &str,
        line: &str,
    ) -> Result<()> {
        let t = self.tenant_id(tenant)?;
        let s = self.service_id(tenant, service)?;
        check_code("budget line", line)?;
        self.require_expense_line(t, tenant, line, &format!("workwear of {service}"))?;
        let old = self.workwear.budget_lines.insert(s, line.to_owned());
        self.workwear_undo(WorkwearUndo::BudgetLine { service: s, old });
        self.log(
            Some(tenant.to_owned()),
            WorkwearEvent::WorkwearBudgetLineSet {
                tenant: tenant.to_owned(),
                service: service.to_owned(),
                line: line.to_owned(),
            },
        );
        Ok(())
    }

    /// The budget line a service's workwear is charged to, if one is set.
    ///
    /// Errors: [`Error::UnknownTenant`], [`Error::UnknownService`].
    pub fn workwear_budget_line(&self, tenant: &str, service: &str) -> Result<Option<&str>> {
        let s = self.service_id(tenant, service)?;
        Ok(self.workwear.budget_lines.get(&s).map(String::as_str))
    }
}
