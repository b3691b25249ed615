//! Opus Patrimoine: the public, read-only view of the patrimoine for
//! citizens and partners (issue 17) — facilities with their address, kind,
//! opening status, accessibility attributes and location, never a cost and
//! never an asset that is not marked public.
//!
//! What is public about an asset is kept in its free attributes, under the
//! names below, so it is journalled (`attribute_set` events), undone by a
//! checkpoint, checked by access rights and saved in datasets and stores
//! like any attribute, with no new format. An asset is **not public by
//! default**; [`Mutualis::set_asset_public_info`] publishes or withdraws it
//! (validated first, nothing changes on error).
//!
//! | attribute | value |
//! |---|---|
//! | `public` | `true`: listed (absent or anything else: not listed) |
//! | `public.opening` | an [`OpeningStatus`] name |
//! | `public.opening_hours` | free text (e.g. `Mo-Fr 08:00-22:00`) |
//! | `public.accessibility.NAME` | a value (`wheelchair` = `yes`…) |
//! | `public.lat`, `public.lon` | the WGS 84 location |
//!
//! ```
//! use chrono::NaiveDate;
//! use mutualis::assets::public::{public_facilities, OpeningStatus, PublicInfo};
//! use mutualis::{AssetKind, Mutualis, NewAsset, NewTenant};
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("MABLY", "Mably", "214212706", "42127")).unwrap();
//! let d = NaiveDate::from_ymd_opt(2001, 5, 1).unwrap();
//! m.add_asset(NewAsset::new("PISCINE", "Piscine", AssetKind::Building, "MABLY", d)).unwrap();
//! m.add_asset(NewAsset::new("ATELIER", "Atelier", AssetKind::Building, "MABLY", d)).unwrap();
//! let info = PublicInfo::new(OpeningStatus::Open).with_accessibility("wheelchair", "yes");
//! m.set_asset_public_info("PISCINE", Some(&info)).unwrap();
//! let list = public_facilities(&m, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
//! assert_eq!(list.len(), 1); // the workshop is not public
//! assert_eq!(list[0].code, "PISCINE");
//! ```

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::identity::{check_code, check_name};
use crate::kinds::named_enum;
use crate::requests::GeoPoint;
use crate::{Asset, Mutualis};

/// The attribute that makes an asset public (value `true`).
pub const PUBLIC: &str = "public";
/// The attribute holding the [`OpeningStatus`].
pub const OPENING: &str = "public.opening";
/// The attribute holding the opening hours (free text).
pub const OPENING_HOURS: &str = "public.opening_hours";
/// The prefix of the accessibility attributes (`public.accessibility.NAME`).
pub const ACCESSIBILITY: &str = "public.accessibility.";
/// The attribute holding the latitude.
pub const LAT: &str = "public.lat";
/// The attribute holding the longitude.
pub const LON: &str = "public.lon";

named_enum! {
    /// Whether a facility is open to the public.
    pub enum OpeningStatus as "opening status" {
        /// Open at its usual hours.
        Open = "open",
        /// Closed for good or until further notice.
        Closed = "closed",
        /// Closed for a while (works, incident).
        TemporarilyClosed = "temporarily_closed",
        /// Open part of the year only.
        Seasonal = "seasonal",
    }
}

/// What is published about a facility.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicInfo {
    /// Opening status.
    pub opening: OpeningStatus,
    /// Opening hours, free text.
    #[serde(default)]
    pub opening_hours: Option<String>,
    /// Accessibility attributes (name → value), sorted by name.
    #[serde(default)]
    pub accessibility: BTreeMap<String, String>,
    /// Location, if known.
    #[serde(default)]
    pub location: Option<GeoPoint>,
}

impl PublicInfo {
    /// Public information with an opening status and nothing else.
    #[must_use]
    pub fn new(opening: OpeningStatus) -> PublicInfo {
        PublicInfo {
            opening,
            opening_hours: None,
            accessibility: BTreeMap::new(),
            location: None,
        }
    }

    /// Adds an accessibility attribute.
    #[must_use]
    pub fn with_accessibility(mut self, name: &str, value: &str) -> PublicInfo {
        self.accessibility.insert(name.into(), value.into());
        self
    }

    /// Sets the opening hours.
    #[must_use]
    pub fn with_hours(mut self, hours: &str) -> PublicInfo {
        self.opening_hours = Some(hours.into());
        self
    }

    /// Sets the location.
    #[must_use]
    pub fn at_point(mut self, p: GeoPoint) -> PublicInfo {
        self.location = Some(p);
        self
    }

    /// The public information of an asset: `None` unless it is marked public.
    /// Values set by hand that do not read (an unknown opening status, a
    /// coordinate that is not a number) are left out rather than guessed.
    #[must_use]
    pub fn of(asset: &Asset) -> Option<PublicInfo> {
        let a = &asset.attributes;
        if a.get(PUBLIC).map(String::as_str) != Some("true") {
            return None;
        }
        let opening = a
            .get(OPENING)
            .and_then(|s| s.parse().ok())
            .unwrap_or(OpeningStatus::Open);
        let location = match (a.get(LAT), a.get(LON)) {
            (Some(lat), Some(lon)) => match (lat.parse::<f64>(), lon.parse::<f64>()) {
                (Ok(lat), Ok(lon)) => {
                    let p = GeoPoint { lat, lon };
                    crate::requests::check_location(p).ok().map(|()| p)
                }
                _ => None,
            },
            _ => None,
        };
        Some(PublicInfo {
            opening,
            opening_hours: a.get(OPENING_HOURS).cloned(),
            accessibility: a
                .range(ACCESSIBILITY.to_owned()..)
                .take_while(|(k, _)| k.starts_with(ACCESSIBILITY))
                .map(|(k, v)| (k[ACCESSIBILITY.len()..].to_owned(), v.clone()))
                .collect(),
            location,
        })
    }

    /// The attributes this information is stored as.
    fn attributes(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        out.insert(PUBLIC.to_owned(), "true".to_owned());
        out.insert(OPENING.to_owned(), self.opening.as_str().to_owned());
        if let Some(h) = &self.opening_hours {
            out.insert(OPENING_HOURS.to_owned(), h.clone());
        }
        for (k, v) in &self.accessibility {
            out.insert(format!("{ACCESSIBILITY}{k}"), v.clone());
        }
        if let Some(p) = self.location {
            out.insert(LAT.to_owned(), p.lat.to_string());
            out.insert(LON.to_owned(), p.lon.to_string());
        }
        out
    }

    fn check(&self) -> Result<()> {
        if let Some(h) = &self.opening_hours {
            check_name("opening_hours", h)?;
        }
        for (k, v) in &self.accessibility {
            check_code("accessibility attribute", k)?;
            check_name("accessibility value", v)?;
        }
        if let Some(p) = self.location {
            crate::requests::check_location(p)?;
        }
        Ok(())
    }
}

/// True for the attribute names that hold public information.
fn is_public_attribute(name: &str) -> bool {
    name == PUBLIC || name.starts_with("public.")
}

/// A facility as published: nothing else about the asset (no cost, no
/// owner's internal data).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicFacility {
    /// Asset code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind (`building`, `green_space`…).
    pub kind: &'static str,
    /// Postal address, if any.
    pub address: Option<String>,
    /// Opening status.
    pub opening_status: OpeningStatus,
    /// Opening hours, if given.
    pub opening_hours: Option<String>,
    /// Accessibility attributes.
    pub accessibility: BTreeMap<String, String>,
    /// Latitude, if known.
    pub lat: Option<f64>,
    /// Longitude, if known.
    pub long: Option<f64>,
}

/// The public facilities in service on `date`, in creation order.
#[must_use]
pub fn public_facilities(m: &Mutualis, date: NaiveDate) -> Vec<PublicFacility> {
    m.assets()
        .iter()
        .filter(|a| a.in_service(date))
        .filter_map(|a| {
            let info = PublicInfo::of(a)?;
            Some(PublicFacility {
                code: a.code.clone(),
                name: a.name.clone(),
                kind: a.kind.as_str(),
                address: a.address.clone(),
                opening_status: info.opening,
                opening_hours: info.opening_hours,
                accessibility: info.accessibility,
                lat: info.location.map(|p| p.lat),
                long: info.location.map(|p| p.lon),
            })
        })
        .collect()
}

/// The facilities as a JSON list.
#[must_use]
pub fn render_json(list: &[PublicFacility]) -> String {
    serde_json::to_string(list).unwrap_or_default()
}

/// The facilities as a GeoJSON `FeatureCollection`: one `Feature` each, a
/// `Point` geometry (`[long, lat]`) when the location is known, else a null
/// geometry, the other fields as properties.
#[must_use]
pub fn render_geojson(list: &[PublicFacility]) -> String {
    #[derive(Serialize)]
    struct Point {
        #[serde(rename = "type")]
        kind: &'static str,
        coordinates: [f64; 2],
    }
    #[derive(Serialize)]
    struct Properties<'a> {
        code: &'a str,
        name: &'a str,
        kind: &'static str,
        address: Option<&'a str>,
        opening_status: OpeningStatus,
        opening_hours: Option<&'a str>,
        accessibility: &'a BTreeMap<String, String>,
    }
    #[derive(Serialize)]
    struct Feature<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        id: &'a str,
        geometry: Option<Point>,
        properties: Properties<'a>,
    }
    #[derive(Serialize)]
    struct Collection<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        features: Vec<Feature<'a>>,
    }
    let features = list
        .iter()
        .map(|f| Feature {
            kind: "Feature",
            id: &f.code,
            geometry: f.lat.zip(f.long).map(|(lat, lon)| Point {
                kind: "Point",
                coordinates: [lon, lat],
            }),
            properties: Properties {
                code: &f.code,
                name: &f.name,
                kind: f.kind,
                address: f.address.as_deref(),
                opening_status: f.opening_status,
                opening_hours: f.opening_hours.as_deref(),
                accessibility: &f.accessibility,
            },
        })
        .collect();
    serde_json::to_string(&Collection {
        kind: "FeatureCollection",
        features,
    })
    .unwrap_or_default()
}

impl Mutualis {
    /// Publishes an asset in the public view with this information
    /// (`Some`), replacing what was published, or withdraws it (`None`).
    /// Recorded as `attribute_set` events (one per attribute that changes),
    /// all checked first.
    ///
    /// Errors (nothing changes): [`Error::UnknownAsset`](crate::Error::UnknownAsset), [`Error::InvalidCode`](crate::Error::InvalidCode)
    /// (an accessibility name), [`Error::InvalidField`](crate::Error::InvalidField) (blank hours or value,
    /// a location that is not WGS 84).
    pub fn set_asset_public_info(&mut self, asset: &str, info: Option<&PublicInfo>) -> Result<()> {
        let a = self.asset(asset)?;
        if let Some(i) = info {
            i.check()?;
        }
        let wanted = info.map(PublicInfo::attributes).unwrap_or_default();
        let mut changes: Vec<(String, Option<String>)> = a
            .attributes
            .keys()
            .filter(|k| is_public_attribute(k) && !wanted.contains_key(*k))
            .map(|k| (k.clone(), None))
            .collect();
        changes.extend(
            wanted
                .into_iter()
                .filter(|(k, v)| a.attributes.get(k) != Some(v))
                .map(|(k, v)| (k, Some(v))),
        );
        for (name, value) in changes {
            // cannot fail: the asset exists and no name is blank
            self.set_attribute(asset, &name, value.as_deref())?;
        }
        Ok(())
    }

    /// The public information of an asset (`None` when not public).
    ///
    /// Errors: [`Error::UnknownAsset`](crate::Error::UnknownAsset).
    pub fn asset_public_info(&self, asset: &str) -> Result<Option<PublicInfo>> {
        Ok(PublicInfo::of(self.asset(asset)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::{AssetKind, NewAsset, NewTenant};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn seed() -> Mutualis {
        let mut m = Mutualis::new();
        m.add_tenant(NewTenant::commune("MABLY", "Mably", "214212706", "42127"))
            .unwrap();
        m.add_asset(
            NewAsset::new(
                "PISCINE",
                "Piscine",
                AssetKind::Building,
                "MABLY",
                d(2001, 5, 1),
            )
            .at("1 rue de l'Eau, 42300 Mably")
            .with_attribute("puissance_kw", "120"),
        )
        .unwrap();
        m
    }

    #[test]
    fn publish_read_replace_and_withdraw() {
        let mut m = seed();
        assert_eq!(m.asset_public_info("PISCINE").unwrap(), None);
        let info = PublicInfo::new(OpeningStatus::Seasonal)
            .with_hours("Jun-Sep 10:00-19:00")
            .with_accessibility("wheelchair", "yes")
            .with_accessibility("hearing_loop", "no")
            .at_point(GeoPoint {
                lat: 46.05,
                lon: 4.06,
            });
        m.set_asset_public_info("PISCINE", Some(&info)).unwrap();
        assert_eq!(m.asset_public_info("PISCINE").unwrap(), Some(info.clone()));
        // replacing drops what is no longer given, keeps the other attributes
        let less = PublicInfo::new(OpeningStatus::Closed);
        let n = m.journal().len();
        m.set_asset_public_info("PISCINE", Some(&less)).unwrap();
        // opening changed; hours, two accessibility, lat, lon removed
        assert_eq!(m.journal().len(), n + 6);
        assert_eq!(m.asset_public_info("PISCINE").unwrap(), Some(less));
        assert_eq!(
            m.asset("PISCINE").unwrap().attributes["puissance_kw"],
            "120"
        );
        // the same again records nothing
        let n = m.journal().len();
        m.set_asset_public_info("PISCINE", Some(&PublicInfo::new(OpeningStatus::Closed)))
            .unwrap();
        assert_eq!(m.journal().len(), n);
        m.set_asset_public_info("PISCINE", None).unwrap();
        assert_eq!(m.asset_public_info("PISCINE").unwrap(), None);
        assert_eq!(m.asset("PISCINE").unwrap().attributes.len(), 1);
        // replay rebuilds the same registry
        let r = Mutualis::replay(m.journal()).unwrap();
        assert_eq!(r.asset("PISCINE").unwrap(), m.asset("PISCINE").unwrap());
    }

    #[test]
    fn bad_input_changes_nothing() {
        let mut m = seed();
        let n = m.journal().len();
        let bad_point = PublicInfo::new(OpeningStatus::Open).at_point(GeoPoint {
            lat: 91.0,
            lon: 4.0,
        });
        assert!(matches!(
            m.set_asset_public_info("PISCINE", Some(&bad_point)),
            Err(Error::InvalidField {
                field: "location",
                ..
            })
        ));
        let bad_name = PublicInfo::new(OpeningStatus::Open).with_accessibility("a b", "yes");
        assert!(matches!(
            m.set_asset_public_info("PISCINE", Some(&bad_name)),
            Err(Error::InvalidCode { .. })
        ));
        let blank = PublicInfo::new(OpeningStatus::Open).with_accessibility("wheelchair", " ");
        assert!(m.set_asset_public_info("PISCINE", Some(&blank)).is_err());
        assert!(matches!(
            m.set_asset_public_info("NOPE", None),
            Err(Error::UnknownAsset(_))
        ));
        assert_eq!(m.journal().len(), n);
        assert_eq!(m.asset_public_info("PISCINE").unwrap(), None);
    }

    #[test]
    fn a_checkpoint_undoes_a_publication() {
        let mut m = seed();
        let before = m.asset("PISCINE").unwrap().clone();
        let cp = m.checkpoint();
        m.set_asset_public_info(
            "PISCINE",
            Some(&PublicInfo::new(OpeningStatus::Open).with_accessibility("wheelchair", "yes")),
        )
        .unwrap();
        m.rollback(cp).unwrap();
        assert_eq!(m.asset("PISCINE").unwrap(), &before);
    }

    #[test]
    fn the_view_lists_public_assets_in_service_and_no_cost() {
        let mut m = seed();
        m.add_asset(NewAsset::new(
            "DEPOT",
            "Dépôt",
            AssetKind::Building,
            "MABLY",
            d(2001, 5, 1),
        ))
        .unwrap();
        m.add_asset(NewAsset::new(
            "OLD",
            "Ancien stade",
            AssetKind::Site,
            "MABLY",
            d(1960, 1, 1),
        ))
        .unwrap();
        let open = PublicInfo::new(OpeningStatus::Open);
        m.set_asset_public_info(
            "PISCINE",
            Some(&open.clone().at_point(GeoPoint {
                lat: 46.0,
                lon: 4.0,
            })),
        )
        .unwrap();
        m.set_asset_public_info("OLD", Some(&open)).unwrap();
        m.decommission("OLD", d(2020, 12, 31)).unwrap();
        // set by hand to something else than true: not public
        m.set_attribute("DEPOT", PUBLIC, Some("yes")).unwrap();
        let list = public_facilities(&m, d(2026, 1, 1));
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].code, "PISCINE");
        let j = render_json(&list);
        assert!(!j.contains("puissance_kw"), "{j}");
        let g: serde_json::Value = serde_json::from_str(&render_geojson(&list)).unwrap();
        assert_eq!(g["type"], "FeatureCollection");
        assert_eq!(g["features"][0]["geometry"]["coordinates"][0], 4.0);
        assert_eq!(g["features"][0]["properties"]["opening_status"], "open");
        assert_eq!(
            g["features"][0]["properties"]["address"],
            "1 rue de l'Eau, 42300 Mably"
        );
        // on a date when the old stadium was in service, it is listed
        assert_eq!(public_facilities(&m, d(2000, 1, 1)).len(), 1);
        assert_eq!(public_facilities(&m, d(2000, 1, 1))[0].code, "OLD");
    }
}
