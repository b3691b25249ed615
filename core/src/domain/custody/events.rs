//! The events of custody: mises à disposition and sharing keys.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::custody::KeyBasis;
use crate::error::Result;
use crate::period::Period;
use crate::Mutualis;

/// An event of custody (wrapped by [`crate::Event::Custody`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CustodyEvent {
    /// A custody period (mise à disposition) was granted.
    CustodyGranted {
        /// Asset code.
        asset: String,
        /// Beneficiary code.
        beneficiary: String,
        /// Validity.
        period: Period,
    },
    /// The open custody of an asset was closed.
    CustodyEnded {
        /// Asset code.
        asset: String,
        /// Last day of custody.
        last_day: NaiveDate,
    },
    /// A sharing key was set.
    SharingKeySet {
        /// Asset code.
        asset: String,
        /// What the weights measure.
        basis: KeyBasis,
        /// Validity.
        period: Period,
        /// Weights per tenant code.
        weights: BTreeMap<String, u64>,
    },
    /// The open sharing key of an asset was closed.
    SharingKeyEnded {
        /// Asset code.
        asset: String,
        /// Last day of the key.
        last_day: NaiveDate,
    },
}

impl CustodyEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] = &[
        "custody_granted",
        "custody_ended",
        "sharing_key_set",
        "sharing_key_ended",
    ];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            CustodyEvent::CustodyGranted { .. }
            | CustodyEvent::CustodyEnded { .. }
            | CustodyEvent::SharingKeySet { .. }
            | CustodyEvent::SharingKeyEnded { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            CustodyEvent::CustodyGranted { asset, .. }
            | CustodyEvent::CustodyEnded { asset, .. }
            | CustodyEvent::SharingKeySet { asset, .. }
            | CustodyEvent::SharingKeyEnded { asset, .. } => vec![("asset", asset)],
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            CustodyEvent::CustodyGranted {
                asset,
                beneficiary,
                period,
            } => m.grant_custody(&asset, &beneficiary, period),
            CustodyEvent::CustodyEnded { asset, last_day } => m.end_custody(&asset, last_day),
            CustodyEvent::SharingKeySet {
                asset,
                basis,
                period,
                weights,
            } => {
                let w: Vec<(&str, u64)> = weights.iter().map(|(k, v)| (k.as_str(), *v)).collect();
                m.set_sharing_key(&asset, basis, period, &w)
            }
            CustodyEvent::SharingKeyEnded { asset, last_day } => {
                m.end_sharing_key(&asset, last_day)
            }
        }
    }
}
