//! The columnar schema of ingested tables (docs/ingest.md explains each
//! column with examples). Tables are ingested in the order of [`TABLES`],
//! so references always point to rows of earlier tables (or of the
//! registry); within `assets`, parents are placed before their children
//! whatever the row order.

/// What a column holds, and so which Arrow types it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Text: Utf8, LargeUtf8, Utf8View or Dictionary(Int32, Utf8). A null or
    /// empty value is "none".
    Text,
    /// A day: Date32, Date64, or text `YYYY-MM-DD`.
    Date,
    /// An integer: any Arrow integer type, or text digits.
    Integer,
    /// An exact decimal (amounts in euros, quantities, rates, VAT rates in
    /// percent): Decimal32/64/128, an integer type, or text like `"421.09"`.
    /// Floating point is refused ([`crate::Error::FloatColumn`]).
    Decimal,
}

impl ColumnKind {
    /// The accepted Arrow types, for error messages.
    #[must_use]
    pub fn expected(self) -> &'static str {
        match self {
            ColumnKind::Text => "Utf8, LargeUtf8, Utf8View or Dictionary(Int32, Utf8)",
            ColumnKind::Date => "Date32, Date64 or ISO date text (YYYY-MM-DD)",
            ColumnKind::Integer => "an integer type or integer text",
            ColumnKind::Decimal => "Decimal32/64/128, an integer type or exact decimal text",
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnDef {
    /// Column name.
    pub name: &'static str,
    /// What it holds.
    pub kind: ColumnKind,
    /// True when the column must be present and every row must have a value.
    pub required: bool,
}

/// One table of the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableDef {
    /// Table name (and file stem: `<name>.parquet`, `<name>.csv`).
    pub name: &'static str,
    /// Its columns; other columns are ignored.
    pub columns: &'static [ColumnDef],
}

impl TableDef {
    /// The position of a column in [`TableDef::columns`].
    #[cfg_attr(not(feature = "arrow"), allow(dead_code))]
    pub(crate) fn position(&self, column: &str) -> usize {
        self.columns
            .iter()
            .position(|c| c.name == column)
            .unwrap_or(usize::MAX)
    }
}

const fn req(name: &'static str, kind: ColumnKind) -> ColumnDef {
    ColumnDef {
        name,
        kind,
        required: true,
    }
}

const fn opt(name: &'static str, kind: ColumnKind) -> ColumnDef {
    ColumnDef {
        name,
        kind,
        required: false,
    }
}

use ColumnKind::{Date, Decimal, Integer, Text};

/// Every table, in ingestion order.
pub const TABLES: &[TableDef] = &[
    TableDef {
        name: "tenants",
        columns: &[
            req("code", Text),
            req("name", Text),
            req("kind", Text),
            req("siren", Text),
            opt("insee", Text),
        ],
    },
    TableDef {
        name: "services",
        columns: &[req("tenant", Text), req("code", Text), req("name", Text)],
    },
    TableDef {
        name: "assets",
        columns: &[
            req("code", Text),
            req("name", Text),
            req("kind", Text),
            req("owner", Text),
            opt("parent", Text),
            opt("service_tenant", Text),
            opt("service", Text),
            req("commissioned", Date),
            opt("decommissioned", Date),
            opt("floor_area", Decimal),
            opt("address", Text),
        ],
    },
    TableDef {
        name: "custody",
        columns: &[
            req("asset", Text),
            req("beneficiary", Text),
            req("from", Date),
            opt("to", Date),
        ],
    },
    TableDef {
        name: "sharing_keys",
        columns: &[
            req("key", Text),
            req("asset", Text),
            opt("basis", Text),
            req("from", Date),
            opt("to", Date),
        ],
    },
    TableDef {
        name: "key_shares",
        columns: &[
            req("key", Text),
            req("tenant", Text),
            req("weight", Integer),
        ],
    },
    TableDef {
        name: "suppliers",
        columns: &[
            req("code", Text),
            req("name", Text),
            req("siret", Text),
            opt("categories", Text),
        ],
    },
    TableDef {
        name: "teams",
        columns: &[
            req("code", Text),
            req("tenant", Text),
            req("name", Text),
            opt("service", Text),
        ],
    },
    TableDef {
        name: "labour_rates",
        columns: &[
            req("tenant", Text),
            req("year", Integer),
            opt("team", Text),
            opt("grade", Text),
            req("rate", Decimal),
        ],
    },
    TableDef {
        name: "vehicle_rates",
        columns: &[
            opt("vehicle", Text),
            opt("tenant", Text),
            opt("category", Text),
            req("year", Integer),
            req("unit", Text),
            req("rate", Decimal),
        ],
    },
    TableDef {
        name: "stores",
        columns: &[req("code", Text), req("tenant", Text), req("name", Text)],
    },
    TableDef {
        name: "items",
        columns: &[req("code", Text), req("name", Text), req("unit", Text)],
    },
    TableDef {
        name: "work_orders",
        columns: &[
            req("code", Text),
            req("title", Text),
            req("asset", Text),
            opt("team", Text),
            opt("supplier", Text),
            opt("service_tenant", Text),
            opt("service", Text),
            opt("tags", Text),
            opt("association", Text),
            opt("planned_on", Date),
            opt("status", Text),
        ],
    },
    TableDef {
        name: "cost_lines",
        columns: &[
            req("work_order", Text),
            req("date", Date),
            req("nature", Text),
            opt("team", Text),
            opt("store", Text),
            opt("item", Text),
            opt("vehicle", Text),
            opt("unit", Text),
            opt("supplier", Text),
            opt("description", Text),
            opt("quantity", Decimal),
            opt("unit_cost", Decimal),
            req("ht", Decimal),
            opt("vat_rate", Decimal),
            opt("vat", Decimal),
            req("ttc", Decimal),
        ],
    },
];

/// The table names, in ingestion order.
pub const TABLE_NAMES: &[&str] = &[
    "tenants",
    "services",
    "assets",
    "custody",
    "sharing_keys",
    "key_shares",
    "suppliers",
    "teams",
    "labour_rates",
    "vehicle_rates",
    "stores",
    "items",
    "work_orders",
    "cost_lines",
];

/// The index of a table in [`TABLES`].
#[cfg_attr(not(feature = "arrow"), allow(dead_code))]
pub(crate) fn table_index(name: &str) -> Option<usize> {
    TABLES.iter().position(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_tables() {
        let names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        assert_eq!(names, TABLE_NAMES);
    }
}
