//! Dense numeric ids. Human codes ("ROANNE", "GYM-COUBERTIN") map to these
//! indices, which address flat vectors in the registry and read models.

use std::fmt;

macro_rules! dense_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub(crate) u32);

        impl $name {
            /// The dense index (0-based, in creation order).
            #[must_use]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}#{}", stringify!($name), self.0)
            }
        }
    };
}

dense_id!(
    /// A collectivité (tenant), in creation order.
    TenantId
);
dense_id!(
    /// A service (cost centre) of a tenant, in creation order.
    ServiceId
);
dense_id!(
    /// An asset of the patrimoine, in creation order.
    AssetId
);
dense_id!(
    /// A supplier, in creation order.
    SupplierId
);
dense_id!(
    /// A régie team, in creation order.
    TeamId
);
dense_id!(
    /// A store (magasin), in creation order.
    StoreId
);
dense_id!(
    /// A stock item of the catalogue, in creation order.
    ItemId
);
dense_id!(
    /// A request (demande d'intervention), in creation order.
    RequestId
);
dense_id!(
    /// A work order (intervention), in creation order.
    WorkOrderId
);
dense_id!(
    /// A cost line, in recording order.
    CostLineId
);
