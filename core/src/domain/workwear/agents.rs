//! The agents of each tenant: identity, service, job, sizes, assignment.

use chrono::NaiveDate;

use super::{Agent, NewAgent, WorkwearEvent, WorkwearUndo};
use crate::error::{Error, Result};
use crate::identity::{check_code, check_name};
use crate::ids::TenantId;
use crate::Mutualis;

impl Mutualis {
    pub(super) fn workwear_undo(&mut self, u: WorkwearUndo) {
        self.push_undo(crate::undo::Undo::Workwear(u));
    }

    /// The position of agent `matricule` of `tenant`.
    ///
    /// Errors: [`Error::UnknownTenant`], [`Error::UnknownAgent`].
    pub(crate) fn agent_index(&self, tenant: &str, matricule: &str) -> Result<(TenantId, usize)> {
        let t = self.tenant_id(tenant)?;
        self.workwear
            .agent_index
            .get(&(t, matricule.to_owned()))
            .map(|&i| (t, i))
            .ok_or_else(|| Error::UnknownAgent {
                tenant: tenant.to_owned(),
                matricule: matricule.to_owned(),
            })
    }

    /// Registers an agent of a tenant.
    ///
    /// Errors (nothing changes): [`Error::UnknownTenant`],
    /// [`Error::InvalidCode`] (matricule), [`Error::InvalidField`] (empty
    /// name, job, size system or size), [`Error::UnknownService`],
    /// [`Error::YearOutOfRange`], [`Error::DatesOutOfOrder`],
    /// [`Error::DuplicateAgent`].
    pub fn add_agent(&mut self, spec: NewAgent) -> Result<()> {
        let t = self.tenant_id(&spec.tenant)?;
        check_code("matricule", &spec.matricule)?;
        check_name("agent name", &spec.name)?;
        check_name("job", &spec.job)?;
        for (system, size) in &spec.sizes {
            check_name("size system", system)?;
            check_name("size", size)?;
        }
        let service = self.service_id(&spec.tenant, &spec.service)?;
        crate::period::check_date("start", spec.start)?;
        if let Some(e) = spec.end {
            crate::period::Period::new(spec.start, Some(e))?;
        }
        let key = (t, spec.matricule.clone());
        if self.workwear.agent_index.contains_key(&key) {
            return Err(Error::DuplicateAgent {
                tenant: spec.tenant,
                matricule: spec.matricule,
            });
        }
        let w = &mut self.workwear;
        w.agent_index.insert(key, w.agents.len());
        w.agents.push(Agent {
            tenant: t,
            matricule: spec.matricule.clone(),
            name: spec.name.clone(),
            service,
            job: spec.job.clone(),
            sizes: spec.sizes.clone(),
            start: spec.start,
            end: spec.end,
        });
        w.issues_of.push(Vec::new());
        w.returns_of.push(Vec::new());
        self.workwear_undo(WorkwearUndo::AgentAdded);
        let tenant = spec.tenant.clone();
        self.log(
            Some(tenant),
            WorkwearEvent::AgentAdded { agent: spec.into() },
        );
        Ok(())
    }

    /// Ends an agent's assignment on `last_day` (or changes its end).
    ///
    /// Errors (nothing changes): [`Error::UnknownTenant`],
    /// [`Error::UnknownAgent`], [`Error::YearOutOfRange`],
    /// [`Error::DatesOutOfOrder`] (before the start).
    pub fn end_agent_assignment(
        &mut self,
        tenant: &str,
        matricule: &str,
        last_day: NaiveDate,
    ) -> Result<()> {
        let (_, at) = self.agent_index(tenant, matricule)?;
        crate::period::check_date("last_day", last_day)?;
        crate::period::Period::new(self.workwear.agents[at].start, Some(last_day))?;
        let old = self.workwear.agents[at].end.replace(last_day);
        self.workwear_undo(WorkwearUndo::AgentEnd { at, old });
        self.log(
            Some(tenant.to_owned()),
            WorkwearEvent::AgentAssignmentEnded {
                tenant: tenant.to_owned(),
                agent: matricule.to_owned(),
                last_day,
            },
        );
        Ok(())
    }

    /// An agent of a tenant.
    ///
    /// Errors: [`Error::UnknownTenant`], [`Error::UnknownAgent`].
    pub fn agent(&self, tenant: &str, matricule: &str) -> Result<&Agent> {
        let (_, at) = self.agent_index(tenant, matricule)?;
        Ok(&self.workwear.agents[at])
    }

    /// The agents of a tenant, in registration order.
    ///
    /// Errors: [`Error::UnknownTenant`].
    pub fn agents(&self, tenant: &str) -> Result<Vec<&Agent>> {
        let t = self.tenant_id(tenant)?;
        Ok(self
            .workwear
            .agents
            .iter()
            .filter(|a| a.tenant == t)
            .collect())
    }
}
