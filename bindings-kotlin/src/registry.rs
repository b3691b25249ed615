//! The `Mutualis` registry object: a thin, thread-safe façade over
//! `mutualis::Mutualis`. Every rule is the core's; this file only converts
//! arguments and results and maps errors.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use mutualis as mx;
use rust_decimal::Decimal;

use crate::error::MutualisError;
use crate::types::{
    Allocation, Asset, Custody, Holder, KeyBasis, NewAsset, PayerSourceKind, Payers, Service,
    Share, SharingKey, Tenant, TenantKind, Transfer,
};

/// The registry of a group of collectivités: tenants (collectivités), their
/// services, the patrimoine tree, custody periods (mises à disposition) and
/// sharing keys; it answers who holds and who pays for every asset on every
/// date, exactly to the cent. It also records the field work: suppliers,
/// régie teams and their rates, stores at CMUP, citizen requests, work
/// orders and their cost lines, and a journal of every change (who, when,
/// for which tenant) that can be replayed on another device.
///
/// Commands validate everything before changing anything: a call that throws
/// a `MutualisException` leaves the registry exactly as it was. The object is
/// safe to share between threads (calls are serialised). It owns native
/// memory: call `close()` (or `use { }`) when done, or let the cleaner free it.
///
/// A `Mutualis` returned by `Store.checkout()` or `Store.registry()` is a
/// view of the store's own registry, not a copy (see `Store`).
#[derive(Debug, uniffi::Object)]
pub struct Mutualis {
    pub(crate) inner: crate::store::Registry,
    /// The principal this object acts for (`asPrincipal`); `None` for the
    /// unchecked façade.
    pub(crate) principal: Option<String>,
}

impl Mutualis {
    pub(crate) fn wrap(m: mx::Mutualis) -> Arc<Self> {
        Arc::new(Self {
            inner: crate::store::Registry::Own(Arc::new(Mutex::new(m))),
            principal: None,
        })
    }

    pub(crate) fn lock(&self) -> Result<crate::store::RegistryGuard<'_>, MutualisError> {
        self.inner.lock()
    }

    /// Runs a query principals may not run: an object bound to a principal
    /// (`asPrincipal`) gets `Forbidden` (the queries open to principals go
    /// through the core's filtering reader).
    pub(crate) fn read<T>(
        &self,
        f: impl FnOnce(&mx::Mutualis) -> Result<T, MutualisError>,
    ) -> Result<T, MutualisError> {
        if let Some(p) = &self.principal {
            return Err(mx::Error::Forbidden {
                principal: p.clone(),
                action: "read (this query is for the unchecked façade only)".into(),
                target: "the group".into(),
            }
            .into());
        }
        let guard = self.lock()?;
        f(&guard)
    }

    /// Runs a command: as is on the unchecked façade, authorised event by
    /// event through the core's session for an object bound to a principal
    /// (a refused command changes nothing and throws `Forbidden`).
    pub(crate) fn write<T>(
        &self,
        f: impl FnOnce(&mut mx::Mutualis) -> mx::Result<T>,
    ) -> Result<T, MutualisError> {
        let mut guard = self.lock()?;
        Ok(match &self.principal {
            None => f(&mut guard)?,
            Some(p) => guard.as_principal_mut(p)?.execute(f)?,
        })
    }

    /// Runs a query through the core's reader: unchecked for the façade,
    /// restricted to what the principal may read for an object bound to
    /// one (`m` only turns ids into codes).
    pub(crate) fn view<T>(
        &self,
        f: impl FnOnce(&mx::Mutualis, mx::access::Reader<'_>) -> Result<T, MutualisError>,
    ) -> Result<T, MutualisError> {
        let guard = self.lock()?;
        let reader = match &self.principal {
            None => guard.unchecked_reader(),
            Some(p) => guard.as_principal(p)?,
        };
        f(&guard, reader)
    }

    /// The registry to change outside any command (the actor, the clock):
    /// refused to an object bound to a principal, whose actor is the
    /// principal.
    pub(crate) fn unbound(
        &self,
        what: &str,
    ) -> Result<crate::store::RegistryGuard<'_>, MutualisError> {
        if let Some(p) = &self.principal {
            return Err(mx::Error::Forbidden {
                principal: p.clone(),
                action: format!("access:write ({what})"),
                target: "the group".into(),
            }
            .into());
        }
        self.lock()
    }

    /// The registry as is, for what every object may see (its own
    /// principal's code, the actor).
    pub(crate) fn peek<T>(&self, f: impl FnOnce(&mx::Mutualis) -> T) -> Result<T, MutualisError> {
        let guard = self.lock()?;
        Ok(f(&guard))
    }
}

impl Default for Mutualis {
    fn default() -> Self {
        Self {
            inner: crate::store::Registry::Own(Arc::new(Mutex::new(mx::Mutualis::new()))),
            principal: None,
        }
    }
}

#[uniffi::export]
impl Mutualis {
    /// An empty registry.
    #[uniffi::constructor]
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads a registry from the dataset JSON format (version 4, with
    /// agreements, pooled services, loans, budgets and investment plans; see
    /// docs/json-format.md; versions 1 to 3 are still read), replaying the
    /// validated commands. Its journal starts with one `dataset_imported`
    /// entry carrying the document.
    ///
    /// Throws `InvalidJson` (syntax, missing or unknown field; line and column
    /// in the message), `UnsupportedFormat` (another format or a newer
    /// version), or the error of the first invalid record (`InvalidSiren`,
    /// `AssetCycle`…). No partial registry is ever returned.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<Self>, MutualisError> {
        Ok(Self::wrap(mx::Mutualis::from_json(&json)?))
    }

    /// Loads a registry from a dataset JSON file (e.g. in the Android app's
    /// files directory). Throws `Io` when the file cannot be read, then as
    /// `fromJson`.
    #[uniffi::constructor]
    pub fn load(path: String) -> Result<Arc<Self>, MutualisError> {
        let json = std::fs::read_to_string(&path)
            .map_err(|e| MutualisError::io(format!("cannot read {path:?}: {e}")))?;
        Self::from_json(json)
    }

    /// The whole registry in the dataset JSON format, deterministic:
    /// `toJson()` → `fromJson()` → `toJson()` gives the same text.
    pub fn to_json(&self) -> Result<String, MutualisError> {
        self.read(|m| Ok(m.to_json()))
    }

    /// Writes `toJson()` to a file, replacing it atomically (a
    /// sibling temporary file is written, then renamed), so a crash never
    /// leaves a truncated dataset. Throws `Io`.
    pub fn save(&self, path: String) -> Result<(), MutualisError> {
        let json = self.to_json()?;
        let tmp = format!("{path}.tmp");
        let failed = |e: std::io::Error| MutualisError::io(format!("cannot write {path:?}: {e}"));
        std::fs::write(&tmp, json).map_err(failed)?;
        if let Err(e) = std::fs::rename(&tmp, &path) {
            // Best effort: the previous file, if any, is untouched either way.
            let _ = std::fs::remove_file(&tmp);
            return Err(failed(e));
        }
        Ok(())
    }

    // -- Tenants and services ------------------------------------------------

    /// Adds a collectivité. `insee` is required for a commune and refused
    /// otherwise; spaces in `siren` are ignored.
    ///
    /// Throws `InvalidCode`, `InvalidField`, `InvalidSiren`, `InvalidInsee`,
    /// `DuplicateTenant`, `DuplicateSiren`.
    #[uniffi::method(default(insee = None))]
    pub fn add_tenant(
        &self,
        code: String,
        name: String,
        kind: TenantKind,
        siren: String,
        insee: Option<String>,
    ) -> Result<(), MutualisError> {
        let spec = mx::NewTenant {
            code,
            name,
            kind: kind.into(),
            siren,
            insee,
        };
        self.write(|m| m.add_tenant(spec)).map(drop)
    }

    /// Records that `member` belongs to the grouping `group` (EPCI or
    /// syndicat). Throws `UnknownTenant`, `InvalidMembership` (a commune in a
    /// commune, a commune in a second EPCI à fiscalité propre, itself…).
    pub fn join(&self, member: String, group: String) -> Result<(), MutualisError> {
        self.write(|m| m.join(&member, &group))
    }

    /// Adds a service (cost centre) to a tenant. Throws `UnknownTenant`,
    /// `InvalidCode`, `InvalidField`, `DuplicateService`.
    pub fn add_service(
        &self,
        tenant: String,
        code: String,
        name: String,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.add_service(&tenant, &code, &name))
            .map(drop)
    }

    /// The tenant with this code. Throws `UnknownTenant`.
    pub fn tenant(&self, code: String) -> Result<Tenant, MutualisError> {
        self.read(|m| tenant_rec(m, m.tenant(&code)?))
    }

    /// All tenants, in creation order.
    pub fn tenants(&self) -> Result<Vec<Tenant>, MutualisError> {
        self.read(|m| m.tenants().iter().map(|t| tenant_rec(m, t)).collect())
    }

    /// The direct members of a grouping, in creation order. Throws `UnknownTenant`.
    pub fn members(&self, group: String) -> Result<Vec<Tenant>, MutualisError> {
        self.read(|m| {
            m.members(&group)?
                .into_iter()
                .map(|t| tenant_rec(m, t))
                .collect()
        })
    }

    /// The services of one tenant, or of all tenants when `tenant` is null,
    /// in creation order. Throws `UnknownTenant`.
    #[uniffi::method(default(tenant = None))]
    pub fn services(&self, tenant: Option<String>) -> Result<Vec<Service>, MutualisError> {
        self.read(|m| {
            let list: Vec<&mx::Service> = match &tenant {
                Some(t) => m.services_of(t)?,
                None => m.services().iter().collect(),
            };
            Ok(list.into_iter().map(|s| service_rec(m, s)).collect())
        })
    }

    // -- Assets ----------------------------------------------------------------

    /// Adds an asset. Throws `InvalidCode`, `InvalidField` (blank name,
    /// negative area, `serviceTenant` without `service` or the reverse),
    /// `DuplicateAsset`, `UnknownTenant`, `UnknownService`, `UnknownAsset`
    /// (parent), `DatesOutOfOrder`.
    pub fn add_asset(&self, asset: NewAsset) -> Result<(), MutualisError> {
        let spec = mx::NewAsset::try_from(asset)?;
        self.write(|m| m.add_asset(spec)).map(drop)
    }

    /// Moves an asset under another one, or to the top when `parent` is null.
    /// Throws `UnknownAsset`, `AssetCycle`.
    pub fn set_parent(&self, asset: String, parent: Option<String>) -> Result<(), MutualisError> {
        self.write(|m| m.set_parent(&asset, parent.as_deref()))
    }

    /// Records the last day in service of an asset. Throws `UnknownAsset`,
    /// `DatesOutOfOrder` (before its commissioning).
    pub fn decommission(&self, asset: String, last_day: NaiveDate) -> Result<(), MutualisError> {
        self.write(|m| m.decommission(&asset, last_day))
    }

    /// Sets a free attribute of an asset, or removes it when `value` is null.
    /// Throws `UnknownAsset`, `InvalidField` (blank name).
    pub fn set_attribute(
        &self,
        asset: String,
        name: String,
        value: Option<String>,
    ) -> Result<(), MutualisError> {
        self.write(|m| m.set_attribute(&asset, &name, value.as_deref()))
    }

    /// The asset with this code. Throws `UnknownAsset`.
    pub fn asset(&self, code: String) -> Result<Asset, MutualisError> {
        self.view(|m, r| asset_rec(m, r.asset(&code)?))
    }

    /// All assets, in creation order.
    pub fn assets(&self) -> Result<Vec<Asset>, MutualisError> {
        self.view(|m, r| r.assets().into_iter().map(|a| asset_rec(m, a)).collect())
    }

    /// The direct children of an asset, in creation order. Throws `UnknownAsset`.
    pub fn children(&self, code: String) -> Result<Vec<Asset>, MutualisError> {
        self.view(|m, r| {
            r.children(&code)?
                .into_iter()
                .map(|a| asset_rec(m, a))
                .collect()
        })
    }

    /// The asset and all its descendants, depth-first, children in creation
    /// order. Throws `UnknownAsset`.
    pub fn subtree(&self, code: String) -> Result<Vec<Asset>, MutualisError> {
        self.view(|m, r| {
            r.subtree(&code)?
                .into_iter()
                .map(|a| asset_rec(m, a))
                .collect()
        })
    }

    // -- Custody and sharing keys ----------------------------------------------

    /// Puts `asset` at the disposal of `beneficiary` (CGCT L1321-1) from
    /// `from` to `to` inclusive, open-ended when `to` is null. Throws
    /// `UnknownAsset`, `UnknownTenant`, `DatesOutOfOrder`, `CustodyToOwner`,
    /// `CustodyOverlap`.
    #[uniffi::method(default(to = None))]
    pub fn grant_custody(
        &self,
        asset: String,
        beneficiary: String,
        from: NaiveDate,
        to: Option<NaiveDate>,
    ) -> Result<(), MutualisError> {
        self.write(|m| {
            let period = mx::Period::new(from, to)?;
            m.grant_custody(&asset, &beneficiary, period)
        })
    }

    /// Transfers the ownership of `asset` to `owner` from `from` (inclusive),
    /// with its descendants that had the same owner on that date; returns the
    /// codes of the assets transferred, the asset first. Lines already
    /// recorded from that date are re-allocated. Throws `UnknownAsset`,
    /// `UnknownTenant`, `YearOutOfRange`, `OutsideAssetLife`,
    /// `TransferRefused`, `CustodyToOwner`.
    pub fn transfer_ownership(
        &self,
        asset: String,
        owner: String,
        from: NaiveDate,
    ) -> Result<Vec<String>, MutualisError> {
        self.write(|m| {
            let moved = m.transfer_ownership(&asset, &owner, from)?;
            Ok(moved.iter().map(|&a| m.asset_code(a).to_owned()).collect())
        })
    }

    /// The owner's code of `asset` on `date` (after any transfer). Throws
    /// `UnknownAsset`.
    pub fn owner_on(&self, asset: String, date: NaiveDate) -> Result<String, MutualisError> {
        self.view(|m, r| Ok(m.tenant_code(r.owner_on(&asset, date)?).to_owned()))
    }

    /// The transfers of ownership of `asset`, oldest first. Throws
    /// `UnknownAsset`.
    pub fn ownership_history(&self, asset: String) -> Result<Vec<Transfer>, MutualisError> {
        self.view(|m, r| {
            Ok(r.ownership_history(&asset)?
                .iter()
                .map(|t| Transfer {
                    asset: asset.clone(),
                    owner: m.tenant_code(t.owner).to_owned(),
                    from: t.from,
                })
                .collect())
        })
    }

    /// Closes the open-ended custody of `asset` on `lastDay` (inclusive).
    /// Throws `UnknownAsset`, `NothingToEnd`, `DatesOutOfOrder`.
    pub fn end_custody(&self, asset: String, last_day: NaiveDate) -> Result<(), MutualisError> {
        self.write(|m| m.end_custody(&asset, last_day))
    }

    /// The custody periods recorded on an asset, oldest first. Throws `UnknownAsset`.
    pub fn custody_history(&self, asset: String) -> Result<Vec<Custody>, MutualisError> {
        self.view(|m, r| {
            Ok(r.custody_history(&asset)?
                .iter()
                .map(|c| Custody {
                    asset: asset.clone(),
                    beneficiary: m.tenant_code(c.beneficiary).to_owned(),
                    from: c.period.from,
                    to: c.period.to,
                })
                .collect())
        })
    }

    /// Records a sharing key on `asset` from `from` to `to` inclusive
    /// (open-ended when `to` is null), with integer weights per tenant code;
    /// the core keeps them sorted by tenant code. Throws `UnknownAsset`,
    /// `UnknownTenant`, `DatesOutOfOrder`, `WeightsSumToZero`, `KeyOverlap`.
    pub fn set_sharing_key(
        &self,
        asset: String,
        basis: KeyBasis,
        from: NaiveDate,
        to: Option<NaiveDate>,
        weights: HashMap<String, u64>,
    ) -> Result<(), MutualisError> {
        let weights: Vec<(&str, u64)> = weights.iter().map(|(t, w)| (t.as_str(), *w)).collect();
        self.write(|m| {
            let period = mx::Period::new(from, to)?;
            m.set_sharing_key(&asset, basis.into(), period, &weights)
        })
    }

    /// Closes the open-ended sharing key of `asset` on `lastDay` (inclusive).
    /// Throws `UnknownAsset`, `NothingToEnd`, `DatesOutOfOrder`.
    pub fn end_sharing_key(&self, asset: String, last_day: NaiveDate) -> Result<(), MutualisError> {
        self.write(|m| m.end_sharing_key(&asset, last_day))
    }

    /// The sharing keys recorded on the asset itself (not inherited), oldest
    /// first. Throws `UnknownAsset`.
    pub fn sharing_keys(&self, asset: String) -> Result<Vec<SharingKey>, MutualisError> {
        self.read(|m| {
            m.sharing_keys(&asset)?
                .iter()
                .map(|k| {
                    Ok(SharingKey {
                        asset: asset.clone(),
                        basis: k.basis.try_into()?,
                        from: k.period.from,
                        to: k.period.to,
                        weights: shares(m, &k.shares),
                    })
                })
                .collect()
        })
    }

    /// The holder of an asset on a date: the beneficiary of the custody
    /// covering it (on the asset or an ancestor with the same owner), else the
    /// owner. Throws `UnknownAsset`, `OutsideAssetLife`.
    pub fn holder(&self, asset: String, on: NaiveDate) -> Result<Holder, MutualisError> {
        self.view(|m, r| {
            let h = r.holder(&asset, on)?;
            let (source, source_asset) = source(m, h.source);
            Ok(Holder {
                tenant: m.tenant_code(h.tenant).to_owned(),
                source,
                source_asset,
            })
        })
    }

    /// Who pays for a cost on an asset on a date (DOMAIN §4): the sharing key
    /// of the asset or of its nearest ancestor with a key valid that day, else
    /// the holder. Throws `UnknownAsset`, `OutsideAssetLife`.
    pub fn payers(&self, asset: String, on: NaiveDate) -> Result<Payers, MutualisError> {
        self.view(|m, r| {
            let p = r.payers(&asset, on)?;
            let (source, source_asset) = source(m, p.source);
            Ok(Payers {
                source,
                source_asset,
                shares: shares(m, &p.shares),
            })
        })
    }

    /// Splits a cost of `amount` euros (whole cents; negative for a credit
    /// note) on an asset on a date between its payers, by the library's split
    /// rule (largest remainders, ties to the lowest tenant code). The parts
    /// always sum to `amount`. Throws `UnknownAsset`, `OutsideAssetLife`,
    /// `SubCentAmount`, `AmountOutOfRange`.
    pub fn split_cost(
        &self,
        asset: String,
        on: NaiveDate,
        amount: Decimal,
    ) -> Result<Vec<Allocation>, MutualisError> {
        self.read(|m| {
            Ok(m.split_cost(&asset, on, amount)?
                .into_iter()
                .map(|(t, amount)| Allocation {
                    tenant: m.tenant_code(t).to_owned(),
                    amount,
                })
                .collect())
        })
    }
}

fn tenant_rec(m: &mx::Mutualis, t: &mx::Tenant) -> Result<Tenant, MutualisError> {
    Ok(Tenant {
        code: t.code.clone(),
        name: t.name.clone(),
        kind: t.kind.try_into()?,
        siren: t.siren.to_string(),
        insee: t.insee.as_ref().map(ToString::to_string),
        member_of: t
            .member_of
            .iter()
            .map(|g| m.tenant_code(*g).to_owned())
            .collect(),
    })
}

fn service_rec(m: &mx::Mutualis, s: &mx::Service) -> Service {
    Service {
        tenant: m.tenant_code(s.tenant).to_owned(),
        code: s.code.clone(),
        name: s.name.clone(),
    }
}

fn asset_rec(m: &mx::Mutualis, a: &mx::Asset) -> Result<Asset, MutualisError> {
    let (service_tenant, service) = match a.service {
        Some(id) => {
            let s = m.services().get(id.index()).ok_or_else(|| {
                MutualisError::internal(format!("asset {:?} refers to a missing service", a.code))
            })?;
            (
                Some(m.tenant_code(s.tenant).to_owned()),
                Some(s.code.clone()),
            )
        }
        None => (None, None),
    };
    Ok(Asset {
        code: a.code.clone(),
        name: a.name.clone(),
        kind: a.kind.try_into()?,
        owner: m.tenant_code(a.owner).to_owned(),
        commissioned: a.commissioned,
        parent: a.parent.map(|p| m.asset_code(p).to_owned()),
        service_tenant,
        service,
        decommissioned: a.decommissioned,
        floor_area: a.floor_area,
        address: a.address.clone(),
        attributes: a
            .attributes
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    })
}

fn shares(m: &mx::Mutualis, shares: &[mx::PayerShare]) -> Vec<Share> {
    shares
        .iter()
        .map(|s| Share {
            tenant: m.tenant_code(s.tenant).to_owned(),
            weight: s.weight,
        })
        .collect()
}

fn source(m: &mx::Mutualis, s: mx::PayerSource) -> (PayerSourceKind, Option<String>) {
    match s {
        mx::PayerSource::SharingKey { asset } => (
            PayerSourceKind::SharingKey,
            Some(m.asset_code(asset).to_owned()),
        ),
        mx::PayerSource::Custody { asset } => (
            PayerSourceKind::Custody,
            Some(m.asset_code(asset).to_owned()),
        ),
        mx::PayerSource::Owner => (PayerSourceKind::Owner, None),
    }
}
