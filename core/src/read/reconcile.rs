//! The settlement report of two tenants for a year: every agreement
//! statement, vehicle loan and pooled-service balance between them, which
//! add up to their cells of the settlement matrix, and the régie work one
//! did for the other without an agreement (costed, flagged, not settled).
//! [`Mutualis::settlement_report_text`] renders it in French, line by line,
//! for the elected officials and the finance departments.
//!
//! ```
//! # use mutualis::{Mutualis, NewTenant, TenantKind};
//! let mut m = Mutualis::new();
//! m.add_tenant(NewTenant::new("AGGLO", "Agglo", TenantKind::CommunauteDAgglomeration, "200035731")).unwrap();
//! m.add_tenant(NewTenant::commune("ROANNE", "Roanne", "214218703", "42187")).unwrap();
//! let report = m.settlement_report("AGGLO", "ROANNE", 2026).unwrap();
//! assert!(report.items.is_empty() && report.reconciles());
//! ```

use rust_decimal::Decimal;

use crate::error::Result;
use crate::ids::TenantId;
use crate::settlement::{Debt, DebtLine, SettledBy};
use crate::work::CostNature;
use crate::Mutualis;

/// What settles an amount between two tenants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettlementSource {
    /// A service agreement's annual statement (code).
    Agreement(String),
    /// A pooled service's true-up against advances (code).
    PooledService(String),
    /// A vehicle loan's annual statement (code).
    Loan(String),
}

/// One amount of a [`PairSettlement`], from debtor to creditor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlementItem {
    /// Where it comes from.
    pub source: SettlementSource,
    /// Who is owed.
    pub creditor: TenantId,
    /// Who owes.
    pub debtor: TenantId,
    /// Amount due (VAT included where the agreement applies one), ≥ 0.
    pub amount: Decimal,
    /// The detail of an agreement's statement (empty otherwise).
    pub lines: Vec<DebtLine>,
}

/// The settlement of two tenants for a year ([`Mutualis::settlement_report`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairSettlement {
    /// Year covered.
    pub year: i32,
    /// The first tenant asked.
    pub first: TenantId,
    /// The second tenant asked.
    pub second: TenantId,
    /// Every statement between them, agreements first, then pooled
    /// services, then loans, each in recording order.
    pub items: Vec<SettlementItem>,
    /// Their cells of [`Mutualis::settlement_matrix`] (none, one or two).
    pub matrix: Vec<Debt>,
    /// Régie parts one did for the other without an agreement.
    pub unsettled: Vec<DebtLine>,
}

impl PairSettlement {
    /// The items' total from `debtor` to `creditor` (the other direction
    /// is not subtracted).
    #[must_use]
    pub fn owed(&self, debtor: TenantId, creditor: TenantId) -> Decimal {
        self.items
            .iter()
            .filter(|i| i.debtor == debtor && i.creditor == creditor)
            .map(|i| i.amount)
            .sum::<Decimal>()
            + Decimal::new(0, 2)
    }

    /// True when the items add up to the matrix cells in both directions.
    #[must_use]
    pub fn reconciles(&self) -> bool {
        let cell = |debtor: TenantId, creditor: TenantId| {
            self.matrix
                .iter()
                .filter(|d| d.debtor == debtor && d.creditor == creditor)
                .map(|d| d.amount)
                .sum::<Decimal>()
        };
        [(self.first, self.second), (self.second, self.first)]
            .into_iter()
            .all(|(d, c)| self.owed(d, c) == cell(d, c))
    }

    /// Σ of the unsettled parts.
    #[must_use]
    pub fn unsettled_total(&self) -> Decimal {
        self.unsettled.iter().map(|l| l.part).sum::<Decimal>() + Decimal::new(0, 2)
    }
}

impl Mutualis {
    /// The settlement of `first` and `second` for `year`: every agreement
    /// statement, pooled-service balance and vehicle loan between them, their
    /// matrix cells (which the items add up to: [`PairSettlement::reconciles`])
    /// and the régie work without an agreement.
    ///
    /// Errors: [`crate::Error::UnknownTenant`], [`crate::Error::YearOutOfRange`],
    /// plus those of [`Mutualis::payers`].
    pub fn settlement_report(
        &self,
        first: &str,
        second: &str,
        year: i32,
    ) -> Result<PairSettlement> {
        crate::period::check_year("year", year)?;
        let (a, b) = (self.tenant_id(first)?, self.tenant_id(second)?);
        let pair = |x: TenantId, y: TenantId| (x == a && y == b) || (x == b && y == a);
        let debts = self.debt_lines(year)?;
        let mut items = Vec::new();
        for ag in self
            .agreements()
            .iter()
            .filter(|g| pair(g.provider, g.beneficiary))
        {
            let s = Self::statement_of(ag, year, &debts);
            if s.lines.is_empty() && s.total.is_zero() {
                continue;
            }
            items.push(SettlementItem {
                source: SettlementSource::Agreement(s.agreement),
                creditor: s.creditor,
                debtor: s.debtor,
                amount: s.total,
                lines: s.lines,
            });
        }
        for p in self.pooled_services() {
            let s = self.pooled_statement(&p.code, year)?;
            for sh in s.shares.iter().filter(|sh| pair(s.provider, sh.tenant)) {
                if sh.balance.is_zero() {
                    continue;
                }
                let (creditor, debtor) = if sh.balance.is_sign_negative() {
                    (sh.tenant, s.provider)
                } else {
                    (s.provider, sh.tenant)
                };
                items.push(SettlementItem {
                    source: SettlementSource::PooledService(p.code.clone()),
                    creditor,
                    debtor,
                    amount: sh.balance.abs(),
                    lines: Vec::new(),
                });
            }
        }
        for l in self.loans().iter().filter(|l| pair(l.lender, l.borrower)) {
            let s = self.loan_statement(&l.code, year)?;
            if s.total.is_zero() {
                continue;
            }
            items.push(SettlementItem {
                source: SettlementSource::Loan(s.loan),
                creditor: s.lender,
                debtor: s.borrower,
                amount: s.total,
                lines: Vec::new(),
            });
        }
        let matrix = self
            .settlement_matrix_with(year, &debts)?
            .into_iter()
            .filter(|d| pair(d.creditor, d.debtor))
            .collect();
        let unsettled = debts
            .into_iter()
            .filter(|d| d.settled_by == SettledBy::NoAgreement && pair(d.provider, d.payer))
            .collect();
        Ok(PairSettlement {
            year,
            first: a,
            second: b,
            items,
            matrix,
            unsettled,
        })
    }

    /// [`Mutualis::settlement_report`] as French text, one line per amount
    /// and per cost line, ending with the balance and whether it matches the
    /// settlement matrix.
    ///
    /// Errors: those of [`Mutualis::settlement_report`].
    pub fn settlement_report_text(&self, first: &str, second: &str, year: i32) -> Result<String> {
        let r = self.settlement_report(first, second, year)?;
        let code = |t: TenantId| self.tenant_code(t);
        let mut out = format!("Règlement {year} entre {first} et {second}\n");
        if r.items.is_empty() {
            out.push_str(
                "  Aucune convention, aucun service commun ni prêt de véhicule à régler.\n",
            );
        }
        for item in &r.items {
            let what = match &item.source {
                SettlementSource::Agreement(c) => format!("Convention {c}"),
                SettlementSource::PooledService(c) => {
                    format!("Service commun {c} (solde après avances)")
                }
                SettlementSource::Loan(c) => format!("Prêt de véhicule {c}"),
            };
            out.push_str(&format!(
                "  {what} : {} doit {} à {}\n",
                code(item.debtor),
                euros(item.amount),
                code(item.creditor)
            ));
            for l in &item.lines {
                out.push_str(&format!(
                    "      {}  {:<16} {:<13} {:>14}\n",
                    l.date,
                    l.work_order,
                    nature_label(l.nature),
                    euros(l.amount)
                ));
            }
        }
        let (ab, ba) = (r.owed(r.first, r.second), r.owed(r.second, r.first));
        let (debtor, creditor, net) = if ab >= ba {
            (r.first, r.second, ab - ba)
        } else {
            (r.second, r.first, ba - ab)
        };
        if net.is_zero() {
            out.push_str("  Solde : rien à régler entre eux");
        } else {
            out.push_str(&format!(
                "  Solde : {} doit {} à {}",
                code(debtor),
                euros(net),
                code(creditor)
            ));
        }
        out.push_str(if r.reconciles() {
            " (conforme à la matrice des règlements)\n"
        } else {
            " (ÉCART avec la matrice des règlements)\n"
        });
        if !r.unsettled.is_empty() {
            out.push_str(&format!(
                "  Sans convention (chiffré, non réglé) : {} ligne(s), {}\n",
                r.unsettled.len(),
                euros(r.unsettled_total())
            ));
            for l in &r.unsettled {
                out.push_str(&format!(
                    "      {}  {:<16} {:<13} {} pour {} {:>14}\n",
                    l.date,
                    l.work_order,
                    nature_label(l.nature),
                    code(l.provider),
                    code(l.payer),
                    euros(l.part)
                ));
            }
        }
        Ok(out)
    }
}

/// The French label of a nature of cost.
fn nature_label(n: CostNature) -> &'static str {
    match n {
        CostNature::Labour => "main d'œuvre",
        CostNature::Material => "fournitures",
        CostNature::Vehicle => "véhicule",
        CostNature::External => "prestation",
        CostNature::Energy => "énergie",
    }
}

/// An amount the French way: `1 234,56 €` (narrow no-break space between
/// thousands, decimal comma, no-break space before the sign).
#[must_use]
pub fn euros(amount: Decimal) -> String {
    let text = crate::money::round_cents(amount).to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, cents) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{cents}\u{a0}€")
}

#[cfg(test)]
mod tests {
    use super::euros;
    use rust_decimal_macros::dec;

    #[test]
    fn euros_are_written_the_french_way() {
        assert_eq!(euros(dec!(600.55)), "600,55\u{a0}€");
        assert_eq!(euros(dec!(1234567.8)), "1\u{202f}234\u{202f}567,80\u{a0}€");
        assert_eq!(euros(dec!(-1000)), "-1\u{202f}000,00\u{a0}€");
        assert_eq!(euros(dec!(0.005)), "0,01\u{a0}€");
    }
}
