//! The events of transfers of ownership.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::Mutualis;

/// An event of ownership (wrapped by [`crate::Event::Ownership`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum OwnershipEvent {
    /// The ownership of an asset (and of its descendants that had the same
    /// owner) was transferred from a date.
    OwnershipTransferred {
        /// Asset code.
        asset: String,
        /// The new owner's code.
        owner: String,
        /// First day of the new ownership.
        from: NaiveDate,
    },
}

impl OwnershipEvent {
    /// The `type` tags of these events in the stored form.
    pub(crate) const TAGS: &'static [&'static str] = &["ownership_transferred"];

    /// True when a checkpoint can undo the command this event records.
    pub(crate) fn undoable(&self) -> bool {
        // exhaustive: a new event has to say whether it can be undone
        match self {
            OwnershipEvent::OwnershipTransferred { .. } => true,
        }
    }

    /// The codes this event refers to, as `(kind, code)` pairs.
    #[must_use]
    pub fn refs(&self) -> Vec<(&'static str, &str)> {
        match self {
            OwnershipEvent::OwnershipTransferred { asset, .. } => vec![("asset", asset)],
        }
    }

    /// Runs the command this event records (validated; nothing changes on error).
    pub(crate) fn apply(self, m: &mut Mutualis) -> Result<()> {
        match self {
            OwnershipEvent::OwnershipTransferred { asset, owner, from } => {
                m.transfer_ownership(&asset, &owner, from).map(drop)
            }
        }
    }
}
