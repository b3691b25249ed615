//! Column-oriented results (`dict[str, list]`) for pandas / polars:
//! `pandas.DataFrame(m.cost_lines())` or `polars.DataFrame(...)`.
//!
//! Every column is a list of the same length; amounts are `Decimal`, dates
//! `datetime.date`, codes `str`, missing values `None`.

use mutualis::{BreakdownRow, CostLine};
use pyo3::prelude::*;
use rust_decimal::Decimal;

use crate::records::{work_order_code, ProviderParts};

/// The core registry.
type Registry = mutualis::Mutualis;

/// Cost lines as columns: line, work_order, date, nature, provider,
/// provider_tenant, item, unit, description, quantity, unit_cost, ht,
/// vat_rate, vat, ttc.
pub fn cost_lines(m: &Registry, lines: &[CostLine]) -> PyResult<crate::table::PyTable> {
    let n = lines.len();
    let mut id = Vec::with_capacity(n);
    let mut work_order = Vec::with_capacity(n);
    let mut date = Vec::with_capacity(n);
    let mut nature = Vec::with_capacity(n);
    let mut provider = Vec::with_capacity(n);
    let mut provider_tenant = Vec::with_capacity(n);
    let mut item = Vec::with_capacity(n);
    let mut unit = Vec::with_capacity(n);
    let mut description = Vec::with_capacity(n);
    let mut quantity = Vec::with_capacity(n);
    let mut unit_cost = Vec::with_capacity(n);
    let mut ht = Vec::with_capacity(n);
    let mut vat_rate: Vec<Option<Decimal>> = Vec::with_capacity(n);
    let mut vat = Vec::with_capacity(n);
    let mut ttc = Vec::with_capacity(n);
    for l in lines {
        let p = ProviderParts::new(m, &l.provider);
        id.push(u32::try_from(l.id.index()).unwrap_or(u32::MAX)); // u32, as the ledger's line column
        work_order.push(work_order_code(m, l.work_order));
        date.push(l.date);
        nature.push(l.nature.as_str());
        provider.push(p.provider);
        provider_tenant.push(p.tenant);
        item.push(p.item);
        unit.push(p.unit);
        description.push(l.description.as_str());
        quantity.push(l.quantity);
        unit_cost.push(l.unit_cost);
        ht.push(l.ht);
        vat_rate.push(l.vat_rate.map(|r| r.percent()));
        vat.push(l.vat);
        ttc.push(l.ttc);
    }
    let mut out = crate::table::Columns::new();
    // the core's schema: names and order
    let [c_line, c_work_order, c_date, c_nature, c_provider, c_provider_tenant, c_item, c_unit, c_description, c_quantity, c_unit_cost, c_ht, c_vat_rate, c_vat, c_ttc] =
        mutualis::lines::COST_LINE_COLUMNS;
    out.set_item(c_line, id)?;
    out.set_item(c_work_order, work_order)?;
    out.set_item(c_date, date)?;
    out.set_item(c_nature, nature)?;
    out.set_item(c_provider, provider)?;
    out.set_item(c_provider_tenant, provider_tenant)?;
    out.set_item(c_item, item)?;
    out.set_item(c_unit, unit)?;
    out.set_item(c_description, description)?;
    out.set_item(c_quantity, quantity)?;
    out.set_item(c_unit_cost, unit_cost)?;
    out.set_item(c_ht, ht)?;
    out.set_item(c_vat_rate, vat_rate)?;
    out.set_item(c_vat, vat)?;
    out.set_item(c_ttc, ttc)?;
    out.finish()
}

/// The cost breakdown as columns: payer, service_tenant, service, nature,
/// ht, vat, ttc.
pub fn breakdown(m: &Registry, rows: &[BreakdownRow]) -> PyResult<crate::table::PyTable> {
    let n = rows.len();
    let mut payer = Vec::with_capacity(n);
    let mut service_tenant = Vec::with_capacity(n);
    let mut service = Vec::with_capacity(n);
    let mut nature = Vec::with_capacity(n);
    let mut ht = Vec::with_capacity(n);
    let mut vat = Vec::with_capacity(n);
    let mut ttc = Vec::with_capacity(n);
    for r in rows {
        let s = r.service.and_then(|s| m.services().get(s.index()));
        payer.push(m.tenant_code(r.payer));
        service_tenant.push(s.map(|s| m.tenant_code(s.tenant)));
        service.push(s.map(|s| s.code.as_str()));
        nature.push(r.nature.as_str());
        ht.push(r.amounts.ht);
        vat.push(r.amounts.vat);
        ttc.push(r.amounts.ttc);
    }
    let mut out = crate::table::Columns::new();
    out.set_item("payer", payer)?;
    out.set_item("service_tenant", service_tenant)?;
    out.set_item("service", service)?;
    out.set_item("nature", nature)?;
    out.set_item("ht", ht)?;
    out.set_item("vat", vat)?;
    out.set_item("ttc", ttc)?;
    out.finish()
}
