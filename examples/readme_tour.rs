use chrono::{NaiveDate, TimeZone, Utc};
use mutualis::{AssetKind, CostInput, Mutualis, NewAsset, NewTenant, NewWorkOrder, Period};
use mutualis::{TenantKind, WorkOrderStatus};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let d = |y, m, j| NaiveDate::from_ymd_opt(y, m, j).ok_or("bad date");
    let mut m = Mutualis::new();
    let epci = TenantKind::CommunauteDAgglomeration;
    m.add_tenant(NewTenant::new("AGGLO", "Roannais Agglo", epci, "200035731"))?;
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))?;
    m.join("ROANNE", "AGGLO")?;
    let built = d(1975, 9, 1)?;
    let gym = NewAsset::new("GYM", "Gymnase", AssetKind::Building, "ROANNE", built);
    m.add_asset(gym)?;
    // mise à disposition: from 2019 the agglomeration holds the gymnasium
    m.grant_custody("GYM", "AGGLO", Period::starting(d(2019, 1, 1)?))?;
    let payers = m.payers("GYM", d(2026, 3, 12)?)?; // the holder pays, not the owner
    println!("{}", m.show(&payers)); // AGGLO (custody of GYM)

    // Roanne's régie paints it: 6.5 h at 38.50 €/h, charged to the holder
    m.add_team("ROANNE-SPORTS", "ROANNE", "Régie sports", None)?;
    m.set_labour_rate("ROANNE", 2026, None, None, "38.50".parse()?)?;
    let order = NewWorkOrder::by_team("BT-1", "Peinture", "GYM", "ROANNE-SPORTS");
    m.create_work_order(order)?;
    let at = Utc.with_ymd_and_hms(2026, 3, 12, 8, 0, 0).unwrap();
    m.set_work_order_status("BT-1", WorkOrderStatus::InProgress, at)?;
    let hours = CostInput::labour(d(2026, 3, 12)?, "6.5".parse()?, 1);
    m.record_cost("BT-1", hours)?;
    let cost = m.work_order_cost("BT-1")?;
    println!("{}", cost.total); // 250.25 TTC (HT 250.25, VAT 0.00)
    let charges = m.work_order_charges("BT-1")?;
    println!("{}", m.show(&charges)); // AGGLO pays 250.25 € TTC (HT 250.25, VAT 0.00)

    // the whole registry as a versioned dataset, and back
    let json = m.to_json();
    assert_eq!(Mutualis::from_json(&json)?, m);
    Ok(())
}
