use chrono::{NaiveDate, TimeZone, Utc};
use mutualis::{AssetKind, CostInput, Mutualis, NewAsset, NewTenant, NewWorkOrder, Period, TenantKind, WorkOrderStatus};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).ok_or("bad date");
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::new("AGGLO", "Roannais Agglomération", TenantKind::CommunauteDAgglomeration, "200035731"))?;
    m.add_tenant(NewTenant::commune("ROANNE", "Ville de Roanne", "214218703", "42187"))?;
    m.join("ROANNE", "AGGLO")?;
    m.add_asset(NewAsset::new("GYM", "Gymnase Coubertin", AssetKind::Building, "ROANNE", d(1975, 9, 1)?))?;
    m.grant_custody("GYM", "AGGLO", Period::starting(d(2019, 1, 1)?))?;    // mise à disposition
    let payers = m.payers("GYM", d(2026, 3, 12)?)?;         // the holder pays, not the owner
    println!("{}", m.show(&payers));                        // AGGLO (custody of GYM)
    m.add_team("ROANNE-SPORTS", "ROANNE", "Régie sports", None)?;
    m.set_labour_rate("ROANNE", 2026, None, None, "38.50".parse()?)?;
    m.create_work_order(NewWorkOrder::by_team("BT-1", "Peinture", "GYM", "ROANNE-SPORTS"))?;
    m.set_work_order_status("BT-1", WorkOrderStatus::InProgress, Utc.with_ymd_and_hms(2026, 3, 12, 8, 0, 0).single().ok_or("bad instant")?)?;
    m.record_cost("BT-1", CostInput::labour(d(2026, 3, 12)?, "6.5".parse()?, 1))?;
    println!("{}", m.work_order_cost("BT-1")?.total);       // 250.25 TTC (HT 250.25, VAT 0.00)
    println!("{}", m.show(&m.work_order_charges("BT-1")?)); // AGGLO pays 250.25 € TTC (HT 250.25, VAT 0.00)
    let json = m.to_json();                                  // versioned dataset
    assert_eq!(Mutualis::from_json(&json)?, m);
    Ok(())
}
