//! The settlement report between tenants: statements of the service
//! agreements, pooled services, vehicle loans, régie work no agreement
//! covers, and the settlement matrix the flows add up to.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::model::{
    Cell, Chart, ChartKind, Column, ColumnKind as K, Label, Section, Series, Table, Unit,
};
use super::{frame, nature_label, ReportKind};
use crate::{AgreementMode, Mutualis, Result, SettledBy, TenantId};

/// The no-agreement lines listed one by one; beyond, the smallest are
/// summed in one row (a report at a metropolis's scale stays a document).
pub(crate) const NO_AGREEMENT_DETAIL: usize = 100;

fn mode_label(m: AgreementMode) -> Label {
    match m {
        AgreementMode::ActualCost => Label::new("coût réel", "actual cost"),
        AgreementMode::UnitCost => Label::new("coût unitaire (D5211-16)", "unit cost (D5211-16)"),
    }
}

impl Mutualis {
    /// The settlement report of `tenant` for `year`: its agreements'
    /// annual statements ([`Mutualis::statements_for`]), its pooled-service
    /// shares ([`Mutualis::pooled_statement`]), its vehicle loans
    /// ([`Mutualis::loan_statement`]), the régie parts no agreement covers
    /// ([`Mutualis::unsettled`]), then every flow it is party to, whose
    /// total equals the cells of [`Mutualis::settlement_matrix`] where it is
    /// creditor or debtor (checked), and the group's whole matrix.
    ///
    /// Errors: [`crate::Error::UnknownTenant`], [`crate::Error::YearOutOfRange`],
    /// [`crate::Error::ReportTotalMismatch`], plus those of the statements.
    pub fn report_settlement(&self, tenant: &str, year: i32) -> Result<crate::report::Report> {
        let mut r = frame(
            self,
            ReportKind::Settlement,
            Label::new(
                format!("Règlements entre collectivités {year}"),
                format!("Settlement between tenants {year}"),
            ),
            tenant,
            year,
        )?;
        let me = self.tenant_id(tenant)?;
        let code = |t: TenantId| Cell::Code(self.tenant_code(t).to_owned());
        let matrix = self.settlement_matrix(year)?;
        // flows: (source, code, creditor, debtor, amount), as the matrix adds them
        let mut flows = Table::new(
            "flows",
            Label::new(
                "Flux où la collectivité est partie",
                "Flows the tenant is party to",
            ),
            vec![
                Column::new("source", "Origine", "Source", K::Text),
                Column::new("code", "Référence", "Reference", K::Code),
                Column::new("creditor", "Créancier", "Creditor", K::Code),
                Column::new("debtor", "Débiteur", "Debtor", K::Code),
                Column::new("amount", "Montant dû", "Amount due", K::Amount),
            ],
        );
        let mut flow = |source: Label,
                        reference: &str,
                        creditor: TenantId,
                        debtor: TenantId,
                        amount: Decimal| {
            if amount.is_zero() || creditor == debtor || (creditor != me && debtor != me) {
                return;
            }
            let (c, d, a) = if amount.is_sign_negative() {
                (debtor, creditor, -amount)
            } else {
                (creditor, debtor, amount)
            };
            flows.push(vec![
                Cell::Label(source),
                Cell::Code(reference.to_owned()),
                code(c),
                code(d),
                Cell::amount(a),
            ]);
        };

        // 1. statements
        let statements = self.statements_for(tenant, year)?;
        let mut t = Table::new(
            "statements",
            Label::new(
                "États annuels des conventions",
                "Annual statements of the agreements",
            ),
            vec![
                Column::new("agreement", "Convention", "Agreement", K::Code),
                Column::new("mode", "Mode", "Mode", K::Text),
                Column::new("creditor", "Créancier", "Creditor", K::Code),
                Column::new("debtor", "Débiteur", "Debtor", K::Code),
                Column::new("lines", "Lignes", "Lines", K::Count),
                Column::new("total_ht", "Montant HT", "Amount excl. VAT", K::Amount),
                Column::new("vat", "TVA", "VAT", K::Amount),
                Column::new("total", "Montant dû", "Amount due", K::Amount),
            ],
        );
        let (mut ht, mut vat, mut total) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for s in &statements {
            t.push(vec![
                Cell::Code(s.agreement.clone()),
                Cell::Label(mode_label(s.mode)),
                code(s.creditor),
                code(s.debtor),
                Cell::Count(s.lines.len() as u64),
                Cell::amount(s.total_ht),
                Cell::amount(s.vat),
                Cell::amount(s.total),
            ]);
            ht += s.total_ht;
            vat += s.vat;
            total += s.total;
            flow(
                Label::new("convention", "agreement"),
                &s.agreement,
                s.creditor,
                s.debtor,
                s.total,
            );
        }
        t.close("Total", &[("total_ht", ht), ("vat", vat), ("total", total)])?;
        let mut s1 = Section::new(
            "Conventions de mise à disposition de services",
            "Service agreements",
        );
        s1.tables.push(t);
        s1.notes.push(Label::new(
            "CGCT L5211-4-1 et D5211-16 : remboursement au coût réel ou au coût unitaire de fonctionnement × unités ; un état au plus par an.",
            "CGCT L5211-4-1 and D5211-16: reimbursed at actual cost or unit operating cost × units; at most one statement a year.",
        ));

        // 2. pooled services
        let mut t = Table::new(
            "pooled",
            Label::new(
                "Services communs : parts et régularisation",
                "Pooled services: shares and true-up",
            ),
            vec![
                Column::new("pooled", "Service commun", "Pooled service", K::Code),
                Column::new("provider", "Porteur", "Provider", K::Code),
                Column::new("member", "Membre", "Member", K::Code),
                Column::new("weight", "Poids", "Weight", K::Count),
                Column::new("share", "Part", "Share", K::Amount),
                Column::new("advances", "Avances", "Advances", K::Amount),
                Column::new("balance", "Solde", "Balance", K::Amount),
            ],
        );
        let (mut share, mut adv, mut bal) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for p in self.pooled_services() {
            let s = self.pooled_statement(&p.code, year)?;
            for sh in &s.shares {
                if s.provider != me && sh.tenant != me {
                    continue;
                }
                t.push(vec![
                    Cell::Code(s.pooled.clone()),
                    code(s.provider),
                    code(sh.tenant),
                    Cell::Count(sh.weight),
                    Cell::amount(sh.share),
                    Cell::amount(sh.advances),
                    Cell::amount(sh.balance),
                ]);
                share += sh.share;
                adv += sh.advances;
                bal += sh.balance;
                flow(
                    Label::new("service commun", "pooled service"),
                    &s.pooled,
                    s.provider,
                    sh.tenant,
                    sh.balance,
                );
            }
        }
        t.close(
            "Total",
            &[("share", share), ("advances", adv), ("balance", bal)],
        )?;
        let mut s2 = Section::new("Services communs", "Pooled services");
        s2.tables.push(t);
        s2.notes.push(Label::new(
            "CGCT L5211-4-2 : coût de l'année réparti selon la clé convenue ; solde = part − avances (négatif : le porteur rembourse le membre).",
            "CGCT L5211-4-2: the year's cost split by the agreed key; balance = share − advances (negative: the provider refunds the member).",
        ));

        // 3. loans
        let mut t = Table::new(
            "loans",
            Label::new("Prêts de véhicules", "Vehicle loans"),
            vec![
                Column::new("loan", "Prêt", "Loan", K::Code),
                Column::new("lender", "Prêteur", "Lender", K::Code),
                Column::new("borrower", "Emprunteur", "Borrower", K::Code),
                Column::new("uses", "Utilisations", "Uses", K::Count),
                Column::new("total", "Montant dû", "Amount due", K::Amount),
            ],
        );
        let mut loans = Decimal::ZERO;
        for l in self.loans() {
            if l.lender != me && l.borrower != me {
                continue;
            }
            let s = self.loan_statement(&l.code, year)?;
            t.push(vec![
                Cell::Code(s.loan.clone()),
                code(s.lender),
                code(s.borrower),
                Cell::Count(s.uses.len() as u64),
                Cell::amount(s.total),
            ]);
            loans += s.total;
            flow(
                Label::new("prêt de véhicule", "vehicle loan"),
                &s.loan,
                s.lender,
                s.borrower,
                s.total,
            );
        }
        t.close("Total", &[("total", loans)])?;
        let mut s3 = Section::new("Prêts de véhicules", "Vehicle loans");
        s3.tables.push(t);

        // 4. no agreement
        let mut t = Table::new(
            "no_agreement",
            Label::new(
                "Travaux en régie sans convention",
                "Régie work without an agreement",
            ),
            vec![
                Column::new("work_order", "Bon de travaux", "Work order", K::Code),
                Column::new("date", "Date", "Date", K::Date),
                Column::new("nature", "Nature", "Nature", K::Text),
                Column::new("provider", "Exécutant", "Provider", K::Code),
                Column::new("payer", "Payeur", "Payer", K::Code),
                Column::new("part", "Part chiffrée", "Costed part", K::Amount),
            ],
        );
        let mut unsettled = Decimal::ZERO;
        let mine: Vec<_> = self
            .unsettled(year)?
            .into_iter()
            .filter(|d| {
                (d.provider == me || d.payer == me)
                    && matches!(d.settled_by, SettledBy::NoAgreement)
            })
            .collect();
        // a page a person reads: the largest lines in full, the rest in one row
        let shown: BTreeSet<usize> = if mine.len() > NO_AGREEMENT_DETAIL {
            let mut by_part: Vec<usize> = (0..mine.len()).collect();
            by_part.sort_by(|&a, &b| mine[b].part.abs().cmp(&mine[a].part.abs()).then(a.cmp(&b)));
            by_part.truncate(NO_AGREEMENT_DETAIL);
            by_part.into_iter().collect()
        } else {
            (0..mine.len()).collect()
        };
        let mut rest = Decimal::ZERO;
        for (i, d) in mine.iter().enumerate() {
            let part = crate::money::round_cents(d.part);
            unsettled += part;
            if !shown.contains(&i) {
                rest += part;
                continue;
            }
            t.push(vec![
                Cell::Code(d.work_order.clone()),
                Cell::Date(d.date),
                Cell::Label(nature_label(d.nature)),
                code(d.provider),
                code(d.payer),
                Cell::amount(d.part),
            ]);
        }
        let others = mine.len() - shown.len();
        if others > 0 {
            t.push(vec![
                Cell::Label(Label::new(
                    format!("{others} autres lignes"),
                    format!("{others} other lines"),
                )),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Amount(rest),
            ]);
        }
        t.close("Total", &[("part", unsettled)])?;
        let mut s4 = Section::new("Sans convention", "No agreement");
        s4.tables.push(t);
        s4.notes.push(Label::new(
            "Ces lignes sont chiffrées et imputées au payeur mais ne sont pas réglées : aucune convention ne couvre le couple (exécutant, payeur, service, date).",
            "These lines are costed and charged to the payer but not settled: no agreement covers (provider, payer, service, date).",
        ));
        if others > 0 {
            s4.notes.push(Label::new(
                format!("Les {NO_AGREEMENT_DETAIL} lignes les plus importantes sont détaillées ; les {others} autres sont sommées en une ligne (liste complète : requête unsettled)."),
                format!("The {NO_AGREEMENT_DETAIL} largest lines are listed; the {others} others are summed in one row (full list: the unsettled query)."),
            ));
        }

        // 5. flows against the matrix
        let mine: Decimal = matrix
            .iter()
            .filter(|d| d.creditor == me || d.debtor == me)
            .map(|d| d.amount)
            .sum();
        flows.close("Total", &[("amount", mine)])?;
        let mut codes = BTreeSet::new();
        for d in &matrix {
            codes.insert(self.tenant_code(d.creditor).to_owned());
            codes.insert(self.tenant_code(d.debtor).to_owned());
        }
        let codes: Vec<String> = codes.into_iter().collect();
        let mut m = Table::new(
            "matrix",
            Label::new(
                "Matrice des règlements du groupe",
                "The group's settlement matrix",
            ),
            vec![
                Column::new("creditor", "Créancier", "Creditor", K::Code),
                Column::new("debtor", "Débiteur", "Debtor", K::Code),
                Column::new("amount", "Montant", "Amount", K::Amount),
            ],
        );
        let mut chart = Chart {
            key: "matrix".into(),
            kind: ChartKind::Matrix,
            title: Label::new(
                "Qui doit à qui (ligne : créancier, colonne : débiteur)",
                "Who owes whom (row: creditor, column: debtor)",
            ),
            unit: Unit::Euros,
            categories: codes.clone(),
            series: codes
                .iter()
                .map(|c| Series {
                    label: Label::same(c.clone()),
                    values: vec![Decimal::ZERO; codes.len()],
                })
                .collect(),
        };
        let mut all = Decimal::ZERO;
        for d in &matrix {
            let (c, dd) = (self.tenant_code(d.creditor), self.tenant_code(d.debtor));
            m.push(vec![
                code(d.creditor),
                code(d.debtor),
                Cell::amount(d.amount),
            ]);
            all += crate::money::round_cents(d.amount);
            if let (Some(i), Some(j)) = (
                codes.iter().position(|x| x == c),
                codes.iter().position(|x| x == dd),
            ) {
                chart.series[i].values[j] = d.amount;
            }
        }
        m.close("Total", &[("amount", all)])?;
        let mut s5 = Section::new("Soldes et matrice", "Balances and matrix");
        s5.tables.push(flows);
        s5.charts.push(chart);
        s5.tables.push(m);
        s5.notes.push(Label::new(
            "Le total des flux est égal à la somme des cases de la matrice où la collectivité est créancière ou débitrice.",
            "The flows' total equals the sum of the matrix cells where the tenant is creditor or debtor.",
        ));
        r.sections.extend([s1, s2, s3, s4, s5]);
        r.notes.push(Label::new(
            "Sources : statements_for, pooled_statement, loan_statement, unsettled et settlement_matrix de l'année. Remboursements entre collectivités sans TVA sauf convention contraire.",
            "Sources: the year's statements_for, pooled_statement, loan_statement, unsettled and settlement_matrix. Reimbursements between tenants carry no VAT unless the agreement says so.",
        ));
        Ok(r)
    }
}
