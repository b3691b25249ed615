//! The request portal's queries on a [`Reader`] (issue 17): the catalogue
//! (categories, competences, territories: the group's register) is readable
//! by anyone; the statistics, the overdue list and the GeoReport request
//! list count only the requests the principal may read (`requests:read` on
//! the tenant each is for, as [`Reader::requests`]).

use chrono::{DateTime, Utc};

use super::super::{Area, Target};
use super::Reader;
use crate::error::Result;
use crate::requests::georeport::{RequestQuery, ServiceRequest};
use crate::requests::routing::RequestCatalogue;
use crate::requests::stats::{Overdue, RequestStats, StatsBy};
use crate::requests::Request;

impl<'a> Reader<'a> {
    /// Per tenant (by index): may the principal read its requests today.
    /// Computed once per query (not per request).
    fn request_tenants(&self) -> Vec<bool> {
        let today = self.today();
        self.m
            .tenants()
            .iter()
            .map(|t| self.sees(Area::Requests, Target::Tenant(t.id), today))
            .collect()
    }

    /// [`crate::Mutualis::request_catalogue`] (the group's register).
    #[must_use]
    pub fn request_catalogue(&self) -> &'a RequestCatalogue {
        self.m.request_catalogue()
    }

    /// [`RequestCatalogue::statistics`] of the requests the principal may
    /// read.
    #[must_use]
    pub fn request_statistics(
        &self,
        by: StatsBy,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Vec<RequestStats> {
        let seen = self.request_tenants();
        let keep = |r: &Request| seen.get(r.tenant.index()).copied().unwrap_or(false);
        self.m
            .request_catalogue()
            .statistics_of(self.m, by, from, to, keep)
    }

    /// [`RequestCatalogue::overdue`] among the requests the principal may
    /// read.
    #[must_use]
    pub fn overdue_requests(&self, now: DateTime<Utc>) -> Vec<Overdue> {
        let seen = self.request_tenants();
        let keep = |r: &Request| seen.get(r.tenant.index()).copied().unwrap_or(false);
        self.m.request_catalogue().overdue_of(self.m, now, keep)
    }

    /// [`RequestCatalogue::service_requests`] among the requests the
    /// principal may read.
    ///
    /// Errors: as [`RequestCatalogue::service_requests`].
    pub fn service_requests(&self, q: &RequestQuery) -> Result<Vec<ServiceRequest>> {
        let seen = self.request_tenants();
        let keep = |r: &Request| seen.get(r.tenant.index()).copied().unwrap_or(false);
        self.m
            .request_catalogue()
            .service_requests_of(self.m, q, keep)
    }
}
