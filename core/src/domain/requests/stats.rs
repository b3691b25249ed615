//! Statistics on requests for elected officials (issue 17, DOMAIN §7).
//!
//! Definitions (all delays in days with decimals, exact to the second, then
//! rounded to 6 decimals):
//! - **received**: requests received in the window `[from, to)` of the group;
//!   **closed**: of those, the ones whose current status is closed; **open**:
//!   the others.
//! - **delay to first response**: from reception to the first status change;
//!   **delay to closure**: from reception to the first closing status.
//!   Requests without one are not counted in its figures.
//! - **mean**: the arithmetic mean; **median**: the middle value of the sorted
//!   delays (the mean of the two middle values for an even count); **90th
//!   percentile**: the nearest-rank value, the ⌈0.9·n⌉-th smallest.
//! - **within target**: among the group's closed requests whose category has
//!   a target delay, the share closed within it (0 to 1).
//! - **provider** (Open311 `agency_responsible`): the team or supplier of the
//!   last work order answering the request, `"(none)"` if none.
//! - **overdue**: open requests whose category's target delay has passed at
//!   the given time.
//!
//! Hand case: delays to closure 1, 2, 3, 4 and 10 days → mean 4, median 3,
//! 90th percentile 10.

use chrono::{DateTime, Datelike, Duration, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::requests::routing::RequestCatalogue;
use crate::requests::Request;
use crate::work::PerformerId;
use crate::Mutualis;

/// The grouping of [`RequestCatalogue::statistics`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatsBy {
    /// Competent service, `"TENANT/SERVICE"` (`"TENANT/(none)"` without one).
    Service,
    /// Category code.
    Category,
    /// Competent tenant code.
    Tenant,
    /// Neighbourhood council whose area contains the location (`"(none)"`).
    Council,
    /// Team or supplier that answered (`"(none)"`).
    Provider,
    /// Month of reception, `"YYYY-MM"`.
    Month,
    /// Everything in one group `"all"`.
    All,
}

/// Mean, median and 90th percentile of a set of delays, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DelayFigures {
    /// How many delays.
    pub count: usize,
    /// Mean, if any.
    pub mean: Option<Decimal>,
    /// Median, if any.
    pub median: Option<Decimal>,
    /// 90th percentile (nearest rank), if any.
    pub p90: Option<Decimal>,
}

/// One group's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestStats {
    /// The group's key.
    pub key: String,
    /// Requests received.
    pub received: usize,
    /// Of those, closed now.
    pub closed: usize,
    /// Of those, open now.
    pub open: usize,
    /// Delays to first response.
    pub to_first_response: DelayFigures,
    /// Delays to closure.
    pub to_closure: DelayFigures,
    /// Closed requests whose category has a target delay.
    pub with_target: usize,
    /// Share of those closed within the target, if any.
    pub within_target: Option<Decimal>,
}

/// An open request past its category's target delay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overdue {
    /// Request code.
    pub code: String,
    /// Category.
    pub category: String,
    /// Competent tenant code.
    pub tenant: String,
    /// When it was due.
    pub due: DateTime<Utc>,
    /// Days late at the given time.
    pub days_late: Decimal,
}

/// A duration in days, rounded to 6 decimals.
#[must_use]
pub fn days(d: Duration) -> Decimal {
    (Decimal::from(d.num_seconds()) / Decimal::from(86_400)).round_dp(6)
}

/// The figures of a list of delays in seconds (sorted in place).
#[must_use]
pub fn delay_figures(secs: &mut [i64]) -> DelayFigures {
    let n = secs.len();
    if n == 0 {
        return DelayFigures::default();
    }
    secs.sort_unstable();
    let day = Decimal::from(86_400);
    let sum: i128 = secs.iter().map(|&s| i128::from(s)).sum();
    let mean = Decimal::from_i128_with_scale(sum, 0) / Decimal::from(n) / day;
    let median = if n % 2 == 1 {
        Decimal::from(secs[n / 2])
    } else {
        (Decimal::from(secs[n / 2 - 1]) + Decimal::from(secs[n / 2])) / Decimal::TWO
    } / day;
    let rank = (9 * n).div_ceil(10).max(1);
    let p90 = Decimal::from(secs[rank - 1]) / day;
    DelayFigures {
        count: n,
        mean: Some(mean.round_dp(6).normalize()),
        median: Some(median.round_dp(6).normalize()),
        p90: Some(p90.round_dp(6).normalize()),
    }
}

#[derive(Default)]
struct Acc {
    received: usize,
    closed: usize,
    first: Vec<i64>,
    closure: Vec<i64>,
    with_target: usize,
    within: usize,
}

fn first_response(r: &Request) -> Option<i64> {
    r.history.first().map(|c| (c.at - r.received).num_seconds())
}

fn closure(r: &Request) -> Option<i64> {
    r.history
        .iter()
        .find(|c| c.status.is_closed())
        .map(|c| (c.at - r.received).num_seconds())
}

impl RequestCatalogue {
    /// The provider (team or supplier code) of each request, by request index.
    pub(crate) fn providers<'a>(&self, m: &'a Mutualis) -> Vec<Option<&'a str>> {
        let mut out = vec![None; m.requests().len()];
        let wo = m.work_orders();
        for w in 0..wo.len() {
            let p = match wo.performer(w) {
                PerformerId::Team(t) => m.team_code(t),
                PerformerId::Supplier(s) => m.supplier_code(s),
            };
            for &r in wo.requests(w) {
                if let Some(x) = out.get_mut(r as usize) {
                    *x = Some(p);
                }
            }
        }
        out
    }

    /// Figures per group of the requests received in `[from, to)` (either
    /// bound optional), sorted by key. See the [module](self) docs.
    #[must_use]
    pub fn statistics(
        &self,
        m: &Mutualis,
        by: StatsBy,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Vec<RequestStats> {
        self.statistics_of(m, by, from, to, |_| true)
    }

    /// [`RequestCatalogue::statistics`] of the requests `keep` accepts.
    pub(crate) fn statistics_of(
        &self,
        m: &Mutualis,
        by: StatsBy,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        keep: impl Fn(&Request) -> bool,
    ) -> Vec<RequestStats> {
        let providers = if by == StatsBy::Provider {
            self.providers(m)
        } else {
            Vec::new()
        };
        let targets: std::collections::HashMap<&str, i64> = self
            .categories()
            .iter()
            .filter_map(|c| {
                c.target_days
                    .map(|d| (c.code.as_str(), i64::from(d) * 86_400))
            })
            .collect();
        let mut groups: std::collections::BTreeMap<String, Acc> = Default::default();
        for (i, r) in m.requests().iter().enumerate() {
            if from.is_some_and(|f| r.received < f)
                || to.is_some_and(|t| r.received >= t)
                || !keep(r)
            {
                continue;
            }
            let key: std::borrow::Cow<'_, str> = match by {
                StatsBy::Service => match r.service {
                    Some(s) => {
                        let (t, s) = m.service_codes(s);
                        format!("{t}/{s}").into()
                    }
                    None => format!("{}/(none)", m.tenant_code(r.tenant)).into(),
                },
                StatsBy::Category => r.category.as_str().into(),
                StatsBy::Tenant => m.tenant_code(r.tenant).into(),
                StatsBy::Council => r
                    .location
                    .and_then(|p| self.council_at(p))
                    .map_or("(none)", |c| c.code.as_str())
                    .into(),
                StatsBy::Provider => providers[i].unwrap_or("(none)").into(),
                StatsBy::Month => {
                    format!("{:04}-{:02}", r.received.year(), r.received.month()).into()
                }
                StatsBy::All => "all".into(),
            };
            let acc = match groups.get_mut(key.as_ref()) {
                Some(a) => a,
                None => groups.entry(key.into_owned()).or_default(),
            };
            acc.received += 1;
            if r.status.is_closed() {
                acc.closed += 1;
            }
            if let Some(s) = first_response(r) {
                acc.first.push(s);
            }
            if let Some(s) = closure(r) {
                acc.closure.push(s);
                if r.status.is_closed() {
                    if let Some(&t) = targets.get(r.category.as_str()) {
                        acc.with_target += 1;
                        if s <= t {
                            acc.within += 1;
                        }
                    }
                }
            }
        }
        groups
            .into_iter()
            .map(|(key, mut a)| RequestStats {
                key,
                received: a.received,
                closed: a.closed,
                open: a.received - a.closed,
                to_first_response: delay_figures(&mut a.first),
                to_closure: delay_figures(&mut a.closure),
                with_target: a.with_target,
                within_target: (a.with_target > 0).then(|| {
                    (Decimal::from(a.within) / Decimal::from(a.with_target))
                        .round_dp(6)
                        .normalize()
                }),
            })
            .collect()
    }

    /// The open requests past their category's target delay at `now`,
    /// most late first.
    #[must_use]
    pub fn overdue(&self, m: &Mutualis, now: DateTime<Utc>) -> Vec<Overdue> {
        self.overdue_of(m, now, |_| true)
    }

    /// [`RequestCatalogue::overdue`] among the requests `keep` accepts.
    pub(crate) fn overdue_of(
        &self,
        m: &Mutualis,
        now: DateTime<Utc>,
        keep: impl Fn(&Request) -> bool,
    ) -> Vec<Overdue> {
        let mut out: Vec<Overdue> = m
            .requests()
            .iter()
            .filter(|r| !r.status.is_closed() && keep(r))
            .filter_map(|r| {
                let d = self.category(&r.category)?.target_days?;
                let due = r.received + Duration::days(i64::from(d));
                (now > due).then(|| Overdue {
                    code: r.code.clone(),
                    category: r.category.clone(),
                    tenant: m.tenant_code(r.tenant).to_owned(),
                    due,
                    days_late: days(now - due),
                })
            })
            .collect();
        out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.code.cmp(&b.code)));
        out
    }
}
