//! The versioned JSON format of a whole dataset, so it can be saved,
//! exchanged and loaded from Rust, Python and Kotlin alike.
//!
//! The format is described in `docs/json-format.md`. In short: one object
//! with `"format": "mutualis"`, `"version": 1` and arrays `tenants`,
//! `services`, `assets`, `custody`, `sharing_keys`, in creation order.
//! Amounts are strings ("1200.50"), dates ISO `YYYY-MM-DD`, references are
//! human codes. Unknown fields are refused; so are newer versions.
//!
//! Loading replays the same validated commands as the API, so a hand-edited
//! file with an error gets the same typed error as a bad call, and
//! exporting again gives the same bytes.
//!
//! ```
//! use mutualis::{Mutualis, NewTenant};
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! let json = m.to_json();
//! assert_eq!(Mutualis::from_json(&json).unwrap().to_json(), json);
//! ```

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::assets::{NewAsset, ServiceRef};
use crate::custody::KeyBasis;
use crate::error::{Error, Result};
use crate::period::Period;
use crate::tenancy::{NewTenant, TenantKind};
use crate::Mutualis;

/// The `format` field of every dataset.
pub const FORMAT_NAME: &str = "mutualis";
/// The dataset version this library writes (and the newest it reads).
pub const FORMAT_VERSION: u32 = 1;

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DatasetV1 {
    format: String,
    version: u32,
    #[serde(default)]
    tenants: Vec<TenantRec>,
    #[serde(default)]
    services: Vec<ServiceRec>,
    #[serde(default)]
    assets: Vec<AssetRec>,
    #[serde(default)]
    custody: Vec<CustodyRec>,
    #[serde(default)]
    sharing_keys: Vec<KeyRec>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantRec {
    code: String,
    name: String,
    kind: TenantKind,
    siren: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    insee: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    member_of: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceRec {
    tenant: String,
    code: String,
    name: String,
}

type AssetRec = NewAsset;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustodyRec {
    asset: String,
    beneficiary: String,
    from: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<NaiveDate>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyRec {
    asset: String,
    basis: KeyBasis,
    from: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<NaiveDate>,
    weights: BTreeMap<String, u64>,
}

fn json_error(e: &serde_json::Error) -> Error {
    Error::InvalidJson {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

impl Mutualis {
    /// Serialises the whole dataset to the versioned JSON format (pretty-printed,
    /// deterministic: the same dataset always gives the same bytes).
    #[must_use]
    pub fn to_json(&self) -> String {
        let tenants = self
            .tenants
            .iter()
            .map(|t| TenantRec {
                code: t.code.clone(),
                name: t.name.clone(),
                kind: t.kind,
                siren: t.siren.to_string(),
                insee: t.insee.as_ref().map(ToString::to_string),
                member_of: t.member_of.iter().map(|g| self.tenant_code(*g).to_owned()).collect(),
            })
            .collect();
        let services = self
            .services
            .iter()
            .map(|s| ServiceRec {
                tenant: self.tenant_code(s.tenant).to_owned(),
                code: s.code.clone(),
                name: s.name.clone(),
            })
            .collect();
        let assets = self
            .assets
            .iter()
            .map(|a| NewAsset {
                code: a.code.clone(),
                name: a.name.clone(),
                kind: a.kind,
                parent: a.parent.map(|p| self.asset_code(p).to_owned()),
                owner: self.tenant_code(a.owner).to_owned(),
                service: a.service.map(|s| {
                    let s = &self.services[s.index()];
                    ServiceRef {
                        tenant: self.tenant_code(s.tenant).to_owned(),
                        service: s.code.clone(),
                    }
                }),
                commissioned: a.commissioned,
                decommissioned: a.decommissioned,
                floor_area: a.floor_area,
                address: a.address.clone(),
                attributes: a.attributes.clone(),
            })
            .collect();
        let mut custody = Vec::new();
        let mut sharing_keys = Vec::new();
        for a in &self.assets {
            for c in &self.custody[a.id.index()] {
                custody.push(CustodyRec {
                    asset: a.code.clone(),
                    beneficiary: self.tenant_code(c.beneficiary).to_owned(),
                    from: c.period.from,
                    to: c.period.to,
                });
            }
            for k in &self.keys[a.id.index()] {
                sharing_keys.push(KeyRec {
                    asset: a.code.clone(),
                    basis: k.basis,
                    from: k.period.from,
                    to: k.period.to,
                    weights: k
                        .shares
                        .iter()
                        .map(|s| (self.tenant_code(s.tenant).to_owned(), s.weight))
                        .collect(),
                });
            }
        }
        let doc = DatasetV1 {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            tenants,
            services,
            assets,
            custody,
            sharing_keys,
        };
        // Serialising plain records with string keys cannot fail.
        let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
        out.push('\n');
        out
    }

    /// Loads a dataset from the versioned JSON format.
    ///
    /// Errors: [`Error::InvalidJson`] (syntax, missing or unknown fields),
    /// [`Error::UnsupportedFormat`] (another format or a newer version), or
    /// the error of the first invalid record (e.g. [`Error::InvalidSiren`]).
    pub fn from_json(json: &str) -> Result<Mutualis> {
        let header: Header = serde_json::from_str(json).map_err(|e| json_error(&e))?;
        let format = header.format.unwrap_or_default();
        let version = header.version.unwrap_or(0);
        if format != FORMAT_NAME || version == 0 || version > FORMAT_VERSION {
            return Err(Error::UnsupportedFormat {
                format,
                version,
                supported: "format \"mutualis\" version 1",
            });
        }
        let doc: DatasetV1 = serde_json::from_str(json).map_err(|e| json_error(&e))?;
        let mut m = Mutualis::new();
        for t in &doc.tenants {
            m.add_tenant(NewTenant {
                code: t.code.clone(),
                name: t.name.clone(),
                kind: t.kind,
                siren: t.siren.clone(),
                insee: t.insee.clone(),
            })?;
        }
        for t in &doc.tenants {
            for g in &t.member_of {
                m.join(&t.code, g)?;
            }
        }
        for s in &doc.services {
            m.add_service(&s.tenant, &s.code, &s.name)?;
        }
        for a in &doc.assets {
            m.add_asset(NewAsset {
                parent: None,
                ..a.clone()
            })?;
        }
        for a in &doc.assets {
            if let Some(p) = &a.parent {
                m.set_parent(&a.code, Some(p))?;
            }
        }
        for c in doc.custody {
            m.grant_custody(&c.asset, &c.beneficiary, Period::new(c.from, c.to)?)?;
        }
        for k in doc.sharing_keys {
            let weights: Vec<(&str, u64)> = k.weights.iter().map(|(t, w)| (t.as_str(), *w)).collect();
            m.set_sharing_key(&k.asset, k.basis, Period::new(k.from, k.to)?, &weights)?;
        }
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_other_formats_and_versions() {
        let newer = r#"{"format":"mutualis","version":2,"tenants":[]}"#;
        assert!(matches!(Mutualis::from_json(newer), Err(Error::UnsupportedFormat { version: 2, .. })));
        let other = r#"{"format":"geojson","version":1}"#;
        assert!(matches!(Mutualis::from_json(other), Err(Error::UnsupportedFormat { .. })));
        let missing = r#"{"tenants":[]}"#;
        assert!(matches!(Mutualis::from_json(missing), Err(Error::UnsupportedFormat { version: 0, .. })));
        let broken = "{\"format\":\"mutualis\",\n\"version\":1,";
        assert!(matches!(Mutualis::from_json(broken), Err(Error::InvalidJson { line: 2, .. })));
        let typo = r#"{"format":"mutualis","version":1,"tenant":[]}"#;
        assert!(matches!(Mutualis::from_json(typo), Err(Error::InvalidJson { message, .. }) if message.contains("unknown field")));
        let bad_siren = r#"{"format":"mutualis","version":1,"tenants":[{"code":"X","name":"X","kind":"syndicat","siren":"123456789"}]}"#;
        assert!(matches!(Mutualis::from_json(bad_siren), Err(Error::InvalidSiren { .. })));
        let bad_kind = r#"{"format":"mutualis","version":1,"tenants":[{"code":"X","name":"X","kind":"village","siren":"200035731"}]}"#;
        assert!(matches!(Mutualis::from_json(bad_kind), Err(Error::InvalidJson { .. })));
    }

    #[test]
    fn parent_declared_after_child_loads() {
        let json = r#"{"format":"mutualis","version":1,
          "tenants":[{"code":"R","name":"R","kind":"commune","siren":"214218703","insee":"42187"}],
          "assets":[{"code":"ROOM","name":"Salle","kind":"room","parent":"B","owner":"R","commissioned":"2000-01-01"},
                    {"code":"B","name":"Bât","kind":"building","owner":"R","commissioned":"2000-01-01"}]}"#;
        let m = Mutualis::from_json(json).unwrap();
        assert_eq!(m.asset("ROOM").unwrap().parent, Some(m.asset_id("B").unwrap()));
        let cyclic = json.replace(r#""owner":"R","commissioned":"2000-01-01"}]"#, r#""parent":"ROOM","owner":"R","commissioned":"2000-01-01"}]"#);
        assert!(matches!(Mutualis::from_json(&cyclic), Err(Error::AssetCycle { .. })));
    }
}
