//! The fleet (issue 13): the hand-worked cases of the acceptance,
//! refusals that change nothing, the dataset round trip and undo.

use chrono::NaiveDate;
use mutualis::fleet::{
    DueWhat, Energy, FuelUnit, InspectionKind, InspectionResult, Meter, NewFuelLine, NewInspection,
    NewMaintenancePlan, NewVehicle, VehicleCategory, VehicleStatus, WeightClass,
};
use mutualis::{
    AssetKind, CostInput, Mutualis, NewAsset, NewTenant, NewWorkOrder, Period, TenantKind, VatRate,
    WorkOrderStatus,
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, j).unwrap()
}

/// ROANNE (with a VOIRIE service) and the agglomeration; a van, a truck
/// over 3.5 t, an aerial platform, a mower; a régie team.
fn seed() -> Mutualis {
    let mut m = Mutualis::new();
    m.add_tenant(NewTenant::new(
        "AGGLO",
        "Roannais Agglomération",
        TenantKind::CommunauteDAgglomeration,
        "200035731",
    ))
    .unwrap();
    m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187"))
        .unwrap();
    m.add_service("ROANNE", "VOIRIE", "Voirie").unwrap();
    m.add_service("ROANNE", "ESPACES-VERTS", "Espaces verts")
        .unwrap();
    let asset = |code: &str, kind, from| NewAsset::new(code, code, kind, "ROANNE", from);
    m.add_asset(asset("VAN", AssetKind::Vehicle, d(2022, 3, 15)))
        .unwrap();
    m.add_asset(asset("TRUCK", AssetKind::Vehicle, d(2025, 5, 1)))
        .unwrap();
    m.add_asset(asset("NACELLE", AssetKind::Equipment, d(2024, 1, 1)))
        .unwrap();
    m.add_asset(asset("MOWER", AssetKind::Equipment, d(2020, 4, 1)))
        .unwrap();
    m.add_asset(asset("GYM", AssetKind::Building, d(1975, 9, 1)))
        .unwrap();
    m.register_vehicle(
        NewVehicle::new("VAN", VehicleCategory::Van, Energy::Diesel)
            .registered("ga-123-bc", d(2022, 3, 15))
            .with_vin("VF1FW0ZBC12345678")
            .assigned_to("ROANNE", "VOIRIE"),
    )
    .unwrap();
    m.register_vehicle(
        NewVehicle::new("TRUCK", VehicleCategory::TruckOver3_5t, Energy::Diesel)
            .registered("1234 AB 42", d(2025, 5, 1))
            .assigned_to("ROANNE", "VOIRIE"),
    )
    .unwrap();
    m.register_vehicle(
        NewVehicle::new(
            "NACELLE",
            VehicleCategory::AerialWorkPlatform,
            Energy::Electric,
        )
        .assigned_to("ROANNE", "ESPACES-VERTS"),
    )
    .unwrap();
    m.register_vehicle(
        NewVehicle::new("MOWER", VehicleCategory::Mower, Energy::Petrol)
            .assigned_to("ROANNE", "ESPACES-VERTS"),
    )
    .unwrap();
    m.add_team("REGIE", "ROANNE", "Garage", None).unwrap();
    m.set_labour_rate("ROANNE", 2026, None, None, dec!(40))
        .unwrap();
    m
}

fn inspection(kind: InspectionKind, date: NaiveDate, result: InspectionResult) -> NewInspection {
    NewInspection {
        kind,
        date,
        result,
        counter_visit_by: None,
    }
}

fn due(m: &Mutualis, vehicle: &str, on: NaiveDate, kind: InspectionKind) -> (NaiveDate, bool) {
    let d = m
        .vehicle_due(vehicle, on)
        .unwrap()
        .into_iter()
        .find(|x| x.what == DueWhat::Inspection(kind))
        .unwrap();
    (d.due, d.overdue)
}

#[test]
fn a_van_is_due_by_its_fourth_anniversary_then_every_two_years() {
    let mut m = seed();
    let ct = InspectionKind::ControleTechnique;
    assert_eq!(due(&m, "VAN", d(2026, 1, 1), ct), (d(2026, 3, 15), false));
    m.record_inspection(
        "VAN",
        inspection(ct, d(2026, 2, 10), InspectionResult::Passed),
    )
    .unwrap();
    assert_eq!(due(&m, "VAN", d(2026, 2, 10), ct), (d(2028, 2, 10), false));
    assert_eq!(due(&m, "VAN", d(2028, 2, 11), ct), (d(2028, 2, 10), true));
    // R323-22 is named
    let row = m.vehicle_due("VAN", d(2026, 2, 10)).unwrap()[0];
    assert!(row.basis.contains("R323-22"));
    assert_eq!(
        m.vehicle("VAN").unwrap().registration.as_deref(),
        Some("GA-123-BC")
    );
}

#[test]
fn a_truck_over_3_5_t_is_due_within_a_year() {
    let m = seed();
    let ct = InspectionKind::ControleTechnique;
    assert_eq!(due(&m, "TRUCK", d(2026, 1, 1), ct), (d(2026, 5, 1), false));
    let row = m.vehicle_due("TRUCK", d(2026, 1, 1)).unwrap()[0];
    assert!(row.basis.contains("R323-25"));
}

#[test]
fn an_aerial_platform_vgp_every_six_months() {
    let mut m = seed();
    let vgp = InspectionKind::Vgp;
    m.record_inspection(
        "NACELLE",
        inspection(vgp, d(2026, 6, 1), InspectionResult::Passed),
    )
    .unwrap();
    assert_eq!(
        due(&m, "NACELLE", d(2026, 12, 1), vgp),
        (d(2026, 12, 1), false)
    );
    assert_eq!(
        due(&m, "NACELLE", d(2026, 12, 2), vgp),
        (d(2026, 12, 1), true)
    );
    // no contrôle technique for an unregistered platform, nothing for the mower
    assert_eq!(m.vehicle_due("NACELLE", d(2026, 12, 2)).unwrap().len(), 1);
    assert!(m.vehicle_due("MOWER", d(2026, 12, 2)).unwrap().is_empty());
    // the due list of the fleet within 60 days of 2026-11-01: the platform only
    let list = m.fleet_due(d(2026, 11, 1), 60);
    let nacelle = m.asset_id("NACELLE").unwrap();
    assert!(list.iter().any(|x| x.vehicle == nacelle));
    let voirie = m.service_id("ROANNE", "ESPACES-VERTS").unwrap();
    assert!(list
        .iter()
        .filter(|x| x.vehicle == nacelle)
        .all(|x| x.service == Some(voirie)));
}

#[test]
fn counter_visits_and_failures() {
    let mut m = seed();
    let ct = InspectionKind::ControleTechnique;
    m.record_inspection(
        "VAN",
        NewInspection {
            counter_visit_by: Some(d(2026, 4, 10)),
            ..inspection(ct, d(2026, 2, 10), InspectionResult::CounterVisit)
        },
    )
    .unwrap();
    assert_eq!(due(&m, "VAN", d(2026, 3, 1), ct), (d(2026, 4, 10), false));
    m.record_inspection(
        "VAN",
        inspection(ct, d(2026, 4, 1), InspectionResult::Failed),
    )
    .unwrap();
    let v = m.vehicle("VAN").unwrap();
    assert_eq!(v.status, VehicleStatus::Immobilised);
    assert_eq!(v.status_since, Some(d(2026, 4, 1)));
    assert_eq!(due(&m, "VAN", d(2026, 4, 2), ct), (d(2026, 4, 1), true));
    m.set_vehicle_status("VAN", VehicleStatus::InService, d(2026, 4, 20))
        .unwrap();
    m.record_inspection(
        "VAN",
        inspection(ct, d(2026, 4, 20), InspectionResult::Passed),
    )
    .unwrap();
    assert_eq!(due(&m, "VAN", d(2026, 4, 20), ct), (d(2028, 4, 20), false));
    // a sold vehicle is off the due list
    m.set_vehicle_status("TRUCK", VehicleStatus::Sold, d(2026, 1, 15))
        .unwrap();
    let truck = m.asset_id("TRUCK").unwrap();
    assert!(m
        .fleet_due(d(2026, 2, 1), 365)
        .iter()
        .all(|x| x.vehicle != truck));
}

#[test]
fn a_maintenance_plan_whichever_first() {
    let mut m = seed();
    m.add_maintenance_plan(NewMaintenancePlan {
        code: "PM-VAN".into(),
        vehicle: "VAN".into(),
        label: "Vidange + filtres".into(),
        every_km: Some(15_000),
        every_hours: None,
        every_months: Some(12),
        last_date: d(2026, 1, 10),
        last_km: Some(42_000),
        last_hours: None,
    })
    .unwrap();
    let pm = |m: &Mutualis, on| {
        m.vehicle_due("VAN", on)
            .unwrap()
            .into_iter()
            .find(|x| matches!(x.what, DueWhat::Maintenance(_)))
            .unwrap()
    };
    let row = pm(&m, d(2026, 1, 10));
    assert_eq!(row.due_km, Some(57_000));
    assert_eq!(row.due, d(2027, 1, 10)); // no meter rate yet: the calendar
                                         // 1 000 km a month from then: 57 000 km projected before 2027-01-10
    m.record_meter_reading("VAN", Meter::Km, d(2026, 1, 10), 42_000)
        .unwrap();
    m.record_meter_reading("VAN", Meter::Km, d(2026, 4, 10), 48_000)
        .unwrap(); // 6 000 km in 90 days
    let row = pm(&m, d(2026, 4, 10));
    // 9 000 km more at 6 000 per 90 days: 135 days after 2026-04-10
    assert_eq!(row.due, d(2026, 8, 23));
    assert_eq!(row.due, d(2026, 4, 10) + chrono::Duration::days(135));
    assert!(pm(&m, d(2026, 8, 24)).overdue);
    assert!(!row.overdue);
    // servicing resets it; the plan generates a costed work order
    let wo = m
        .maintenance_work_order("PM-VAN", "OT-PM-1", "REGIE")
        .unwrap();
    assert_eq!(m.work_order_code(wo), Some("OT-PM-1"));
    let w = m.work_order("OT-PM-1").unwrap();
    assert_eq!(w.asset, m.asset_id("VAN").unwrap());
    assert!(w.title.contains("PM-VAN"));
    m.record_maintenance("PM-VAN", d(2026, 4, 12), None, None)
        .unwrap();
    let p = &m.maintenance_plans()[0];
    assert_eq!((p.last_date, p.last_km), (d(2026, 4, 12), Some(48_000)));
    assert_eq!(pm(&m, d(2026, 4, 12)).due_km, Some(63_000));
}

#[test]
fn fuel_gives_consumption_and_cost_per_km_by_service() {
    let mut m = seed();
    m.record_meter_reading("VAN", Meter::Km, d(2026, 1, 1), 40_000)
        .unwrap();
    m.record_meter_reading("VAN", Meter::Km, d(2026, 1, 31), 41_000)
        .unwrap();
    for (day, litres, ht) in [(5, dec!(35), dec!(52.50)), (20, dec!(35), dec!(53.50))] {
        m.record_fuel(
            "VAN",
            NewFuelLine {
                date: d(2026, 1, day),
                quantity: litres,
                unit: FuelUnit::Litres,
                ht,
                vat: VatRate::Standard,
            },
        )
        .unwrap();
    }
    let jan = Period::new(d(2026, 1, 1), Some(d(2026, 1, 31))).unwrap();
    let u = m.vehicle_use("VAN", &jan).unwrap();
    assert_eq!(u.km, 1_000);
    assert_eq!(u.litres_per_100km, Some(dec!(7)));
    assert_eq!(u.cost_per_km, Some(dec!(0.106)));
    let rows = m.cost_per_km_by_service(&jan);
    let voirie = m.service_id("ROANNE", "VOIRIE").unwrap();
    let row = rows.iter().find(|r| r.service == Some(voirie)).unwrap();
    assert_eq!(
        (row.vehicles, row.km, row.energy_ht),
        (2, 1_000, dec!(106.00))
    );
}

#[test]
fn refusals_change_nothing() {
    let mut m = seed();
    m.record_meter_reading("VAN", Meter::Km, d(2026, 3, 1), 50_000)
        .unwrap();
    let before = m.clone();
    let n = m.journal().len();
    let ct = InspectionKind::ControleTechnique;
    let fuel = |quantity: Decimal, ht| NewFuelLine {
        date: d(2026, 3, 2),
        quantity,
        unit: FuelUnit::Litres,
        ht,
        vat: VatRate::Standard,
    };
    let cases: Vec<(&str, mutualis::Error)> = vec![
        (
            "meter_regression",
            m.clone()
                .record_meter_reading("VAN", Meter::Km, d(2026, 3, 2), 49_999)
                .unwrap_err(),
        ),
        (
            "meter_regression",
            m.clone()
                .record_meter_reading("VAN", Meter::Km, d(2026, 2, 1), 60_000)
                .unwrap_err(),
        ),
        ("invalid_registration", {
            let mut m = m.clone();
            m.add_asset(NewAsset::new(
                "CAR",
                "Clio",
                AssetKind::Vehicle,
                "ROANNE",
                d(2020, 1, 1),
            ))
            .unwrap();
            m.register_vehicle(
                NewVehicle::new("CAR", VehicleCategory::Car, Energy::Diesel)
                    .registered("GI-123-BC", d(2020, 1, 1)),
            )
            .unwrap_err()
        }),
        (
            "not_in_fleet",
            m.clone()
                .register_vehicle(NewVehicle::new("GYM", VehicleCategory::Car, Energy::Diesel))
                .unwrap_err(),
        ),
        (
            "not_in_fleet",
            m.clone()
                .register_vehicle(NewVehicle::new("VAN", VehicleCategory::Van, Energy::Diesel))
                .unwrap_err(),
        ),
        (
            "not_in_fleet",
            m.clone()
                .record_meter_reading("GYM", Meter::Km, d(2026, 3, 2), 1)
                .unwrap_err(),
        ),
        (
            "not_in_fleet",
            m.clone()
                .record_inspection(
                    "MOWER",
                    inspection(ct, d(2026, 3, 2), InspectionResult::Passed),
                )
                .unwrap_err(),
        ),
        (
            "invalid_quantity",
            m.clone()
                .record_fuel("VAN", fuel(dec!(0), dec!(1)))
                .unwrap_err(),
        ),
        (
            "sub_cent_amount",
            m.clone()
                .record_fuel("VAN", fuel(dec!(1), dec!(1.001)))
                .unwrap_err(),
        ),
        (
            "unknown_asset",
            m.clone()
                .record_meter_reading("NOPE", Meter::Km, d(2026, 3, 2), 1)
                .unwrap_err(),
        ),
        (
            "dates_out_of_order",
            m.clone()
                .record_inspection(
                    "VAN",
                    NewInspection {
                        counter_visit_by: Some(d(2026, 3, 1)),
                        ..inspection(ct, d(2026, 3, 2), InspectionResult::CounterVisit)
                    },
                )
                .unwrap_err(),
        ),
        (
            "invalid_field",
            m.clone()
                .add_maintenance_plan(NewMaintenancePlan {
                    code: "PM".into(),
                    vehicle: "VAN".into(),
                    label: "x".into(),
                    every_km: None,
                    every_hours: None,
                    every_months: None,
                    last_date: d(2026, 1, 1),
                    last_km: None,
                    last_hours: None,
                })
                .unwrap_err(),
        ),
        (
            "not_in_fleet",
            m.clone()
                .record_maintenance("NOPE", d(2026, 1, 1), None, None)
                .unwrap_err(),
        ),
    ];
    for (kind, e) in cases {
        assert_eq!(e.kind(), kind, "{e}");
    }
    // the same commands on the registry itself: refused, nothing changed
    assert!(m
        .record_meter_reading("VAN", Meter::Km, d(2026, 3, 2), 49_999)
        .is_err());
    assert!(m.record_fuel("VAN", fuel(dec!(-1), dec!(1))).is_err());
    assert_eq!(m, before);
    assert_eq!(m.journal().len(), n);
    // after a meter replacement the lower value is accepted
    m.replace_meter("VAN", Meter::Km, d(2026, 3, 2), 12)
        .unwrap();
    m.record_meter_reading("VAN", Meter::Km, d(2026, 3, 31), 1_012)
        .unwrap();
    let march = Period::new(d(2026, 3, 1), Some(d(2026, 3, 31))).unwrap();
    assert_eq!(m.vehicle_use("VAN", &march).unwrap().km, 1_000);
}

#[test]
fn registration_numbers_and_vins() {
    use mutualis::fleet::{check_registration, check_vin};
    for ok in [
        "AB-123-CD",
        "ab-123-cd",
        "1234 AB 42",
        "12 A 2A",
        "123 ABC 974",
        "1 A 01",
        "9999 ZZZ 95",
        "45 AB 20",
        "7 XY 976",
    ] {
        assert!(check_registration(ok).is_ok(), "{ok}");
    }
    for bad in [
        "AB-123-CI",
        "AO-123-CD",
        "AB123CD",
        "AB-000-CD",
        "SS-123-CD",
        "12345 AB 42",
        "123 AB 99X",
        // départements out of range (DOMAIN §7)
        "1234 AB 00",
        "1234 AB 96",
        "1234 AB 99",
        "1234 AB 970",
        "1234 AB 977",
        "1234 AB 2C",
        "",
    ] {
        assert_eq!(
            check_registration(bad).unwrap_err().kind(),
            "invalid_registration",
            "{bad}"
        );
    }
    assert!(check_vin("VF1FW0ZBC12345678").is_ok());
    for bad in [
        "VF1FW0ZBC1234567",
        "VF1FW0ZBC1234567I",
        "VF1FW0ZBC1234567O",
        "VF1FW0ZBC-2345678",
    ] {
        assert_eq!(check_vin(bad).unwrap_err().kind(), "invalid_vin", "{bad}");
    }
    // a heavy van class: over 3.5 t by weight
    let mut m = seed();
    m.add_asset(NewAsset::new(
        "BIG",
        "BIG",
        AssetKind::Vehicle,
        "ROANNE",
        d(2025, 5, 1),
    ))
    .unwrap();
    m.register_vehicle(
        NewVehicle::new("BIG", VehicleCategory::Other, Energy::Diesel)
            .registered("AB-123-CD", d(2025, 5, 1))
            .weighing(WeightClass::Over3_5t),
    )
    .unwrap();
    assert_eq!(
        due(&m, "BIG", d(2025, 6, 1), InspectionKind::ControleTechnique).0,
        d(2026, 5, 1)
    );
}

/// A transfer of a vehicle splits a year's costs between the two owners at
/// the transfer date (inclusive), and the due list follows the owner.
#[test]
fn a_transfer_splits_a_vehicles_year_at_its_date() {
    let mut m = seed();
    m.create_work_order(NewWorkOrder::by_team("OT", "Entretien", "VAN", "REGIE"))
        .unwrap();
    m.set_work_order_status(
        "OT",
        WorkOrderStatus::InProgress,
        chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap(),
    )
    .unwrap();
    m.record_cost("OT", CostInput::labour(d(2026, 6, 30), dec!(2), 1))
        .unwrap();
    m.record_cost("OT", CostInput::labour(d(2026, 7, 1), dec!(3), 1))
        .unwrap();
    m.transfer_ownership("VAN", "AGGLO", d(2026, 7, 1)).unwrap();
    let paid = |m: &Mutualis, t: &str| -> Decimal {
        let t = m.tenant_id(t).unwrap();
        m.cost_lines()
            .iter()
            .flat_map(|l| m.line_charges(&l).unwrap())
            .filter(|c| c.tenant == t)
            .map(|c| c.amounts.ttc)
            .sum()
    };
    assert_eq!(paid(&m, "ROANNE"), dec!(80.00));
    assert_eq!(paid(&m, "AGGLO"), dec!(120.00));
    let agglo = m.tenant_id("AGGLO").unwrap();
    let row = m.vehicle_due("VAN", d(2026, 7, 1)).unwrap()[0];
    assert_eq!(row.owner, agglo);
}

fn full() -> Mutualis {
    let mut m = seed();
    m.record_meter_reading("VAN", Meter::Km, d(2026, 1, 10), 42_000)
        .unwrap();
    m.replace_meter("VAN", Meter::Km, d(2026, 2, 1), 5).unwrap();
    m.record_meter_reading("NACELLE", Meter::Hours, d(2026, 2, 1), 310)
        .unwrap();
    m.record_fuel(
        "NACELLE",
        NewFuelLine {
            date: d(2026, 2, 2),
            quantity: dec!(30.5),
            unit: FuelUnit::Kwh,
            ht: dec!(6.10),
            vat: VatRate::Standard,
        },
    )
    .unwrap();
    m.record_inspection(
        "TRUCK",
        inspection(
            InspectionKind::ControleTechnique,
            d(2026, 4, 20),
            InspectionResult::Failed,
        ),
    )
    .unwrap();
    m.add_maintenance_plan(NewMaintenancePlan {
        code: "PM-NAC".into(),
        vehicle: "NACELLE".into(),
        label: "Graissage".into(),
        every_km: None,
        every_hours: Some(250),
        every_months: Some(6),
        last_date: d(2026, 2, 1),
        last_km: None,
        last_hours: Some(300),
    })
    .unwrap();
    m.record_maintenance("PM-NAC", d(2026, 2, 1), None, None)
        .unwrap();
    m.set_vehicle_status("MOWER", VehicleStatus::Reformed, d(2026, 5, 1))
        .unwrap();
    m.set_vehicle_purchase(
        "VAN",
        mutualis::fleet::Purchase {
            amount: dec!(30000.00),
            date: d(2022, 3, 15),
            years: 7,
        },
    )
    .unwrap();
    m.record_vehicle_cost(
        "VAN",
        mutualis::fleet::NewVehicleCost {
            date: d(2026, 1, 5),
            kind: mutualis::fleet::VehicleCostKind::Insurance,
            label: "Assurance flotte 2026".into(),
            amount: dec!(612.40),
        },
    )
    .unwrap();
    m
}

#[test]
fn the_fleet_round_trips_through_json_and_the_journal() {
    let m = full();
    let json = m.to_json();
    assert!(json.contains("\"maintenance_plans\""));
    let back = Mutualis::from_json(&json).unwrap();
    assert_eq!(back, m);
    assert_eq!(back.to_json(), json);
    assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
    // a dataset without the fleet sections still opens
    assert!(Mutualis::from_json(&Mutualis::new().to_json()).is_ok());
}

/// The fleet's state, for comparisons.
fn fleet_view(m: &Mutualis) -> String {
    let mut out = format!("{:?}\n{:?}\n", m.vehicles(), m.maintenance_plans());
    for v in m.vehicles() {
        let code = m.asset_code(v.asset);
        out += &format!(
            "{:?}{:?}{:?}{:?}{:?}{:?}{:?}\n",
            m.meter_readings(code, Meter::Km).unwrap(),
            m.meter_readings(code, Meter::Hours).unwrap(),
            m.fuel_lines(code).unwrap(),
            m.inspections(code).unwrap(),
            m.status_history(code).unwrap(),
            m.vehicle_purchase(code).unwrap(),
            m.vehicle_costs(code).unwrap()
        );
    }
    out
}

/// Each fleet event is undone when the unit of work that ran it fails: a
/// session's command that applies it and then fails leaves the registry as
/// it was.
#[test]
fn each_fleet_event_is_undone_by_a_failing_unit_of_work() {
    use mutualis::access::{NewPrincipal, PrincipalKind, ScopeRef};
    let m = full();
    let kind = |e: &mutualis::Event| {
        serde_json::to_value(e).unwrap()["type"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // from the first registration on
    let start = m
        .journal()
        .iter()
        .position(|e| kind(&e.event) == "vehicle_registered")
        .unwrap();
    let entries = &m.journal()[start..];
    let mut r = Mutualis::replay(&m.journal()[..start]).unwrap();
    let everything: Vec<String> = mutualis::access::Area::ALL
        .iter()
        .map(|a| format!("{a}:write"))
        .collect();
    r.add_role("GARAGE", "Garage", &everything).unwrap();
    r.add_principal(NewPrincipal {
        code: "garage".into(),
        name: "Garage".into(),
        kind: PrincipalKind::Agent,
        tenant: Some("ROANNE".into()),
        supplier: None,
    })
    .unwrap();
    r.grant(
        "garage",
        "GARAGE",
        &ScopeRef::Group,
        Period::starting(d(2000, 1, 1)),
    )
    .unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for e in entries {
        let before = r.clone();
        let n = r.journal().len();
        let res = r.as_principal_mut("garage").unwrap().execute(|m| {
            m.apply(e.event.clone())?;
            Err::<(), _>(mutualis::Error::InvalidField {
                field: "test",
                reason: "the batch fails after the event".into(),
            })
        });
        assert_eq!(res.unwrap_err().kind(), "invalid_field", "{:?}", e.event);
        assert_eq!(r, before, "{:?}", e.event);
        assert_eq!(r.journal().len(), n);
        r.apply(e.event.clone()).unwrap();
        kinds.insert(kind(&e.event));
    }
    assert_eq!(fleet_view(&r), fleet_view(&m));
    for k in [
        "vehicle_registered",
        "vehicle_status_set",
        "meter_read",
        "meter_replaced",
        "fuel_recorded",
        "inspection_recorded",
        "maintenance_plan_added",
        "maintenance_done",
        "vehicle_purchase_set",
        "vehicle_cost_recorded",
    ] {
        assert!(kinds.contains(k), "{k}: {kinds:?}");
    }
}

/// The analyst's flow: a register and a fuel-card export in bulk, with
/// row-numbered errors, all or nothing or a report.
#[cfg(feature = "csv")]
#[test]
fn a_register_and_a_fuel_card_export_import_in_bulk() {
    let mut m = seed();
    let register =
        "asset;name;owner;category;energy;registration;first_registration;service_tenant;service\n\
        VL-10;Berlingo;ROANNE;van;diesel;AB-456-CD;01/06/2023;ROANNE;VOIRIE\n\
        VL-11;Zoé;ROANNE;car;electric;AB-IOU-CD;2023-06-01;;\n\
        TD-1;Tondeuse;ROANNE;mower;petrol;;2021-04-01;;\n";
    // the bad registration is line 3; a first registration date without a number: line 4
    let before = m.clone();
    let e = m.import_vehicles_csv(register, true).unwrap_err();
    assert_eq!(e.kind(), "csv_rows");
    assert_eq!(m, before);
    let report = m.import_vehicles_csv(register, false).unwrap();
    assert_eq!(report.imported, 1);
    let lines: Vec<usize> = report.errors.iter().map(|e| e.0).collect();
    assert_eq!(lines, [3, 4]);
    assert_eq!(report.errors[0].1.kind(), "invalid_registration");
    let fuel = "date;registration;km;quantity;ht;vat_rate\n\
        2026-01-05;AB-456-CD;10 000;40,5;60,75;20\n\
        2026-02-05;AB-456-CD;11 000;41;61,50;20\n\
        2026-03-05;AB-456-CD;10 500;;;\n\
        2026-03-06;ZZ-999-ZZ;11 500;;;\n";
    let report = m.import_fleet_lines_csv(fuel, false).unwrap();
    assert_eq!(report.imported, 2);
    let kinds: Vec<(usize, &str)> = report.errors.iter().map(|(l, e)| (*l, e.kind())).collect();
    assert_eq!(kinds, [(4, "meter_regression"), (5, "not_in_fleet")]);
    assert_eq!(m.fuel_lines("VL-10").unwrap().len(), 2);
    let q1 = Period::new(d(2026, 1, 1), Some(d(2026, 3, 31))).unwrap();
    let u = m.vehicle_use("VL-10", &q1).unwrap();
    assert_eq!(u.km, 1_000);
    // the next 60 days from 2026-03-15: the truck (first CT 2026-05-01) is due
    let due = m.fleet_due(d(2026, 3, 15), 60);
    let truck = m.asset_id("TRUCK").unwrap();
    assert!(due.iter().any(|x| x.vehicle == truck && !x.overdue));
}

/// The fleet's queries through a principal's reader: a service agent sees
/// its service's vehicles, the tenant's fleet manager all of the tenant's, a
/// contractor without fleet grant none (lists empty, lookups and
/// aggregates Forbidden).
#[test]
fn fleet_queries_through_a_principals_reader() {
    use mutualis::access::{NewPrincipal, PrincipalKind, ScopeRef};
    use mutualis::{Clock, Error, NewSupplier};
    let mut m = full();
    m.set_clock(Clock::Fixed(
        d(2026, 6, 1).and_hms_opt(9, 0, 0).unwrap().and_utc(),
    ));
    m.add_supplier(NewSupplier::new("GARAGE-SA", "Garage SA", "73282932000074"))
        .unwrap();
    m.add_role("PARC", "Parc (lecture)", &["fleet:read"])
        .unwrap();
    m.add_role("TRAVAUX", "Travaux", &["work:write", "assets:read"])
        .unwrap();
    let person = |code: &str, kind, tenant: Option<&str>, supplier: Option<&str>| NewPrincipal {
        code: code.into(),
        name: code.into(),
        kind,
        tenant: tenant.map(Into::into),
        supplier: supplier.map(Into::into),
    };
    m.add_principal(person("ev", PrincipalKind::Agent, Some("ROANNE"), None))
        .unwrap();
    m.add_principal(person("parc", PrincipalKind::Agent, Some("ROANNE"), None))
        .unwrap();
    m.add_principal(person("agglo", PrincipalKind::Agent, Some("AGGLO"), None))
        .unwrap();
    m.add_principal(person(
        "presta",
        PrincipalKind::Contractor,
        None,
        Some("GARAGE-SA"),
    ))
    .unwrap();
    let since = Period::starting(d(2020, 1, 1));
    m.grant(
        "ev",
        "PARC",
        &ScopeRef::Service {
            tenant: "ROANNE".into(),
            service: "ESPACES-VERTS".into(),
        },
        since,
    )
    .unwrap();
    m.grant(
        "parc",
        "PARC",
        &ScopeRef::Tenant {
            tenant: "ROANNE".into(),
        },
        since,
    )
    .unwrap();
    m.grant(
        "agglo",
        "PARC",
        &ScopeRef::Tenant {
            tenant: "AGGLO".into(),
        },
        since,
    )
    .unwrap();
    m.grant(
        "presta",
        "TRAVAUX",
        &ScopeRef::Tenant {
            tenant: "ROANNE".into(),
        },
        since,
    )
    .unwrap();
    let codes = |vs: Vec<&mutualis::fleet::Vehicle>| -> Vec<String> {
        vs.iter()
            .map(|v| m.asset_code(v.asset).to_owned())
            .collect()
    };
    let year = Period::new(d(2026, 1, 1), Some(d(2026, 12, 31))).unwrap();
    let on = d(2026, 6, 1);

    // the service agent: the two machines assigned to green spaces
    let ev = m.as_principal("ev").unwrap();
    assert_eq!(codes(ev.vehicles()), ["NACELLE", "MOWER"]);
    assert!(ev.vehicle("NACELLE").is_ok());
    assert!(matches!(ev.vehicle("VAN"), Err(Error::Forbidden { .. })));
    assert!(matches!(
        ev.meter_readings("VAN", Meter::Km),
        Err(Error::Forbidden { .. })
    ));
    assert_eq!(ev.meter_readings("NACELLE", Meter::Hours).unwrap().len(), 1);
    assert_eq!(ev.fuel_lines("NACELLE").unwrap().len(), 1);
    assert!(matches!(
        ev.inspections("TRUCK"),
        Err(Error::Forbidden { .. })
    ));
    assert_eq!(ev.maintenance_plans().len(), 1);
    let all_due = m.fleet_due(on, 365);
    let ev_due = ev.fleet_due(on, 365);
    assert!(!ev_due.is_empty() && ev_due.len() < all_due.len());
    let nacelle = m.asset_id("NACELLE").unwrap();
    assert!(ev_due.iter().all(|r| r.vehicle == nacelle));
    assert_eq!(
        ev.vehicle_due("NACELLE", on).unwrap(),
        m.vehicle_due("NACELLE", on).unwrap()
    );
    assert_eq!(ev.fleet_use(&year).len(), 2);
    let rows = ev.cost_per_km_by_service(&year).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].vehicles, 2);
    assert_eq!(rows[0].energy_ht, dec!(6.10));

    // the tenant's fleet manager: all of ROANNE's, as the façade
    let parc = m.as_principal("parc").unwrap();
    assert_eq!(parc.vehicles().len(), 4);
    assert_eq!(parc.fleet_due(on, 365), all_due);
    assert_eq!(
        parc.cost_per_km_by_service(&year).unwrap(),
        m.cost_per_km_by_service(&year)
    );
    assert_eq!(
        parc.vehicle_use("VAN", &year).unwrap(),
        m.vehicle_use("VAN", &year).unwrap()
    );

    // another tenant's agent: nothing of ROANNE's
    let agglo = m.as_principal("agglo").unwrap();
    assert!(agglo.vehicles().is_empty());
    assert!(agglo.fleet_due(on, 365).is_empty());
    assert!(matches!(agglo.vehicle("VAN"), Err(Error::Forbidden { .. })));
    assert!(agglo.cost_per_km_by_service(&year).unwrap().is_empty());

    // a contractor without any fleet grant: empty lists, Forbidden lookups
    // and aggregates
    let presta = m.as_principal("presta").unwrap();
    assert!(presta.vehicles().is_empty());
    assert!(presta.maintenance_plans().is_empty());
    assert!(presta.fleet_due(on, 365).is_empty());
    assert!(presta.fleet_use(&year).is_empty());
    assert!(matches!(
        presta.vehicle("VAN"),
        Err(Error::Forbidden { .. })
    ));
    assert!(matches!(
        presta.vehicle_use("VAN", &year),
        Err(Error::Forbidden { .. })
    ));
    assert!(matches!(
        presta.cost_per_km_by_service(&year),
        Err(Error::Forbidden { .. })
    ));
    // unknown codes are told as such
    assert!(matches!(
        parc.vehicle("NOPE"),
        Err(Error::UnknownAsset { .. })
    ));
    assert!(matches!(parc.vehicle("GYM"), Err(Error::NotInFleet { .. })));
}

/// The yearly dashboards, worked by hand (docs/fleet.md, "Dashboards").
fn dashboards_seed() -> Mutualis {
    use mutualis::agreements::NewLoan;
    use mutualis::fleet::{NewVehicleCost, Purchase, VehicleCostKind};
    use mutualis::UsageUnit;
    let mut m = seed();
    // the van: 30 000.00 over 7 years from 2022
    m.set_vehicle_purchase(
        "VAN",
        Purchase {
            amount: dec!(30000.00),
            date: d(2022, 3, 15),
            years: 7,
        },
    )
    .unwrap();
    // immobilised 2026-03-01 to 2026-03-10 inclusive
    m.set_vehicle_status("VAN", VehicleStatus::Immobilised, d(2026, 3, 1))
        .unwrap();
    m.set_vehicle_status("VAN", VehicleStatus::InService, d(2026, 3, 11))
        .unwrap();
    m.record_meter_reading("VAN", Meter::Km, d(2026, 1, 1), 40_000)
        .unwrap();
    m.record_meter_reading("VAN", Meter::Km, d(2026, 12, 31), 52_000)
        .unwrap();
    for (date, ht) in [(d(2026, 2, 2), dec!(80.00)), (d(2026, 7, 10), dec!(85.00))] {
        m.record_fuel(
            "VAN",
            NewFuelLine {
                date,
                quantity: dec!(50),
                unit: FuelUnit::Litres,
                ht,
                vat: VatRate::Standard,
            },
        )
        .unwrap();
    }
    // maintenance: 3.5 h of the régie at 40.00
    m.create_work_order(NewWorkOrder::by_team("OT-VAN", "Freins", "VAN", "REGIE"))
        .unwrap();
    let start = chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap();
    m.set_work_order_status("OT-VAN", WorkOrderStatus::InProgress, start)
        .unwrap();
    m.record_cost("OT-VAN", CostInput::labour(d(2026, 4, 2), dec!(3.5), 1))
        .unwrap();
    // insurance and tax
    for (kind, label, amount) in [
        (
            VehicleCostKind::Insurance,
            "Assurance flotte 2026",
            dec!(612.40),
        ),
        (VehicleCostKind::Tax, "Carte grise", dec!(46.00)),
    ] {
        m.record_vehicle_cost(
            "VAN",
            NewVehicleCost {
                date: d(2026, 1, 5),
                kind,
                label: label.into(),
                amount,
            },
        )
        .unwrap();
    }
    // used: lent to AGGLO two days, on a work order on the gymnasium one day
    m.set_vehicle_rate("VAN", 2026, UsageUnit::Day, dec!(45))
        .unwrap();
    m.lend_vehicle(NewLoan {
        code: "PRET-VAN".into(),
        vehicle: "VAN".into(),
        borrower: "AGGLO".into(),
        period: Period::new(d(2026, 5, 1), Some(d(2026, 5, 31))).unwrap(),
        unit: UsageUnit::Day,
    })
    .unwrap();
    m.record_loan_use("PRET-VAN", d(2026, 5, 4), dec!(1))
        .unwrap();
    m.record_loan_use("PRET-VAN", d(2026, 5, 5), dec!(1))
        .unwrap();
    m.create_work_order(NewWorkOrder::by_team("OT-GYM", "Livraison", "GYM", "REGIE"))
        .unwrap();
    m.set_work_order_status("OT-GYM", WorkOrderStatus::InProgress, start)
        .unwrap();
    m.record_cost(
        "OT-GYM",
        CostInput::vehicle(d(2026, 6, 10), "VAN", UsageUnit::Day, dec!(1)),
    )
    .unwrap();
    // the truck fails its CT on 2026-04-20 and passes on 2026-05-04
    m.record_inspection(
        "TRUCK",
        inspection(
            InspectionKind::ControleTechnique,
            d(2026, 4, 20),
            InspectionResult::Failed,
        ),
    )
    .unwrap();
    m.record_inspection(
        "TRUCK",
        inspection(
            InspectionKind::ControleTechnique,
            d(2026, 5, 4),
            InspectionResult::Passed,
        ),
    )
    .unwrap();
    // the mower is reformed on 2026-05-01
    m.set_vehicle_status("MOWER", VehicleStatus::Reformed, d(2026, 5, 1))
        .unwrap();
    m
}

#[test]
fn the_yearly_dashboards_by_hand() {
    let m = dashboards_seed();
    let van = m.vehicle_dashboard("VAN", 2026).unwrap();
    assert_eq!(van.days_in_fleet, 365);
    assert_eq!(van.days_immobilised, 10); // 2026-03-01 to 2026-03-10
    assert_eq!(van.days_available, 355);
    // two loan days, one work order day, two fuel days
    assert_eq!(van.days_used, 5);
    assert_eq!(van.utilisation, Some(dec!(0.0141))); // 5 / 355
    assert_eq!(van.km, 12_000);
    assert_eq!(van.energy_ht, dec!(165.00));
    assert_eq!(van.energy_ttc, dec!(198.00));
    assert_eq!(van.maintenance_ht, dec!(140.00));
    assert_eq!(van.maintenance_ttc, dec!(140.00));
    assert_eq!(van.cost_per_km, Some(dec!(0.0254))); // 305.00 / 12 000
    assert_eq!(van.amortisation, dec!(4285.71));
    assert_eq!(van.other_costs, dec!(658.40));
    assert_eq!(van.tco, dec!(5282.11));
    // the 7th year absorbs the rounding
    let last = m.vehicle_dashboard("VAN", 2028).unwrap();
    assert_eq!(last.amortisation, dec!(4285.74));
    assert_eq!(
        m.vehicle_dashboard("VAN", 2029).unwrap().amortisation,
        dec!(0)
    );
    let total: Decimal = (2022..2029)
        .map(|y| m.vehicle_dashboard("VAN", y).unwrap().amortisation)
        .sum();
    assert_eq!(total, dec!(30000.00));

    // failed on 2026-04-20, passed on 2026-05-04: 14 days, though its
    // status was never set back
    let truck = m.vehicle_dashboard("TRUCK", 2026).unwrap();
    assert_eq!(
        m.vehicle("TRUCK").unwrap().status,
        VehicleStatus::Immobilised
    );
    assert_eq!(truck.days_immobilised, 14);
    assert_eq!(truck.days_available, 351);
    assert_eq!(truck.utilisation, Some(dec!(0)));
    assert_eq!(truck.cost_per_km, None);
    // commissioned 2025-05-01: 245 days in 2025
    assert_eq!(
        m.vehicle_dashboard("TRUCK", 2025).unwrap().days_in_fleet,
        245
    );
    // reformed on 2026-05-01: January to April
    let mower = m.vehicle_dashboard("MOWER", 2026).unwrap();
    assert_eq!(mower.days_in_fleet, 120);
    assert_eq!(m.vehicle_dashboard("MOWER", 2027).unwrap().days_in_fleet, 0);
    // an asset decommissioned (last day 2026-01-31) leaves the fleet too
    let mut gone = m.clone();
    gone.decommission("NACELLE", d(2026, 1, 31)).unwrap();
    assert_eq!(
        gone.vehicle_dashboard("NACELLE", 2026)
            .unwrap()
            .days_in_fleet,
        31
    );

    // by service
    let rows = m.fleet_dashboard_by_service(2026).unwrap();
    let voirie = m.service_id("ROANNE", "VOIRIE").unwrap();
    let ev = m.service_id("ROANNE", "ESPACES-VERTS").unwrap();
    assert_eq!(rows.len(), 2);
    let v = rows.iter().find(|r| r.service == Some(voirie)).unwrap();
    assert_eq!(
        (
            v.vehicles,
            v.days_immobilised,
            v.days_available,
            v.days_used
        ),
        (2, 24, 706, 5)
    );
    assert_eq!(v.utilisation, Some(dec!(0.0071))); // 5 / 706
    assert_eq!(v.tco, dec!(5282.11));
    assert_eq!(v.cost_per_km, Some(dec!(0.0254)));
    let e = rows.iter().find(|r| r.service == Some(ev)).unwrap();
    assert_eq!((e.vehicles, e.days_in_fleet), (2, 485));
    assert_eq!(m.fleet_dashboard(2026).unwrap().len(), 4);
    assert!(matches!(
        m.fleet_dashboard(1200),
        Err(mutualis::Error::YearOutOfRange { .. })
    ));
}

#[test]
fn purchases_and_other_costs_are_checked_journalled_and_saved() {
    use mutualis::fleet::{NewVehicleCost, Purchase, VehicleCostKind};
    let m = dashboards_seed();
    // refusals change nothing
    let mut r = m.clone();
    let p = |amount, years| Purchase {
        amount,
        date: d(2026, 1, 1),
        years,
    };
    for (bad, kind) in [
        (p(dec!(0), 5), "invalid_quantity"),
        (p(dec!(10.001), 5), "sub_cent_amount"),
        (p(dec!(1000), 0), "invalid_field"),
        (p(dec!(1000), 101), "invalid_field"),
    ] {
        assert_eq!(r.set_vehicle_purchase("VAN", bad).unwrap_err().kind(), kind);
    }
    assert_eq!(
        r.set_vehicle_purchase("GYM", p(dec!(1000), 5))
            .unwrap_err()
            .kind(),
        "not_in_fleet"
    );
    let cost = |amount, label: &str| NewVehicleCost {
        date: d(2026, 1, 1),
        kind: VehicleCostKind::Insurance,
        label: label.into(),
        amount,
    };
    assert_eq!(
        r.record_vehicle_cost("VAN", cost(dec!(-1), "x"))
            .unwrap_err()
            .kind(),
        "invalid_quantity"
    );
    assert_eq!(
        r.record_vehicle_cost("VAN", cost(dec!(1), " "))
            .unwrap_err()
            .kind(),
        "invalid_field"
    );
    assert_eq!(r, m);
    // the dataset and the journal keep them, and the status history
    let json = m.to_json();
    assert!(json.contains("\"vehicle_costs\"") && json.contains("\"status_history\""));
    let back = Mutualis::from_json(&json).unwrap();
    assert_eq!(back, m);
    assert_eq!(back.to_json(), json);
    assert_eq!(
        back.status_history("VAN").unwrap(),
        [
            (d(2026, 3, 1), VehicleStatus::Immobilised),
            (d(2026, 3, 11), VehicleStatus::InService)
        ]
    );
    assert_eq!(Mutualis::replay(m.journal()).unwrap(), m);
    assert_eq!(
        back.vehicle_dashboard("VAN", 2026).unwrap(),
        m.vehicle_dashboard("VAN", 2026).unwrap()
    );
}

/// A bus: no contrôle technique may precede its circulation (R323-23: an
/// initial visit, the attestation d'aménagement, comes before it is put
/// into circulation), then one every six months: the first periodic one
/// falls six months after the first registration, and six months after
/// each one passed.
#[test]
fn a_bus_is_due_six_months_after_its_first_registration_then_every_six_months() {
    let mut m = seed();
    m.add_asset(NewAsset::new(
        "BUS",
        "Navette",
        AssetKind::Vehicle,
        "ROANNE",
        d(2026, 1, 15),
    ))
    .unwrap();
    m.register_vehicle(
        NewVehicle::new("BUS", VehicleCategory::Bus, Energy::Electric)
            .registered("GB-456-CD", d(2026, 1, 15)),
    )
    .unwrap();
    let first = due(&m, "BUS", d(2026, 7, 15), InspectionKind::ControleTechnique);
    assert_eq!(first, (d(2026, 7, 15), false));
    let row = m.vehicle_due("BUS", d(2026, 7, 16)).unwrap()[0];
    assert!(row.overdue && row.basis.contains("R323-23"));
    m.record_inspection(
        "BUS",
        inspection(
            InspectionKind::ControleTechnique,
            d(2026, 7, 10),
            InspectionResult::Passed,
        ),
    )
    .unwrap();
    assert_eq!(
        due(&m, "BUS", d(2026, 7, 16), InspectionKind::ControleTechnique).0,
        d(2027, 1, 10)
    );
}
