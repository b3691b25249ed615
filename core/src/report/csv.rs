//! Tables as CSV: the form a French spreadsheet opens (UTF-8 BOM, `;`
//! separator, decimal comma, dates `12/03/2026`, CRLF) and a plain form
//! (no BOM, `,`, decimal point, ISO dates, LF, column keys as headers) for
//! programs.

use super::format::{self, Locale};
use super::model::{Cell, Table};

/// Which CSV dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CsvStyle {
    /// What a French Excel opens by double-click: UTF-8 BOM, `;`, decimal
    /// comma, `dd/mm/yyyy`, CRLF, headers in the locale; a text starting
    /// with `=`, `+`, `-` or `@` is prefixed with `'` (no formula runs).
    #[default]
    Excel,
    /// For programs: no BOM, `,`, decimal point, ISO dates, LF, the column
    /// keys as headers.
    Plain,
}

fn field(out: &mut String, s: &str, sep: char) {
    if s.contains([sep, '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

fn cell(c: &Cell, style: CsvStyle, locale: Locale) -> String {
    let excel = style == CsvStyle::Excel;
    let comma = |s: String| if excel { s.replace('.', ",") } else { s };
    match c {
        Cell::Empty => String::new(),
        Cell::Text(s) | Cell::Code(s) => {
            if excel && s.starts_with(['=', '+', '-', '@']) {
                format!("'{s}")
            } else {
                s.clone()
            }
        }
        Cell::Label(l) => l.get(locale).to_owned(),
        Cell::Amount(x) => comma(crate::money::round_cents(*x).to_string()),
        Cell::Percent(p) => comma(
            p.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .normalize()
                .to_string(),
        ),
        Cell::Count(n) => n.to_string(),
        Cell::Number(x) => comma(
            x.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .to_string(),
        ),
        Cell::Date(d) => {
            if excel {
                format::date(*d, Locale::Fr)
            } else {
                let _ = locale;
                format::date(*d, Locale::En)
            }
        }
    }
}

impl Table {
    /// The table (its total row last) as CSV in `style`; headers in
    /// `locale` for [`CsvStyle::Excel`].
    ///
    /// ```
    /// use mutualis::report::{Cell, Column, ColumnKind, CsvStyle, Label, Locale, Table};
    /// use rust_decimal::Decimal;
    /// let mut t = Table::new("t", Label::same("T"), vec![
    ///     Column::new("who", "Qui", "Who", ColumnKind::Code),
    ///     Column::new("ttc", "Montant TTC", "Amount incl. VAT", ColumnKind::Amount),
    /// ]);
    /// t.push(vec![Cell::Code("ROANNE".into()), Cell::amount(Decimal::new(130_000_000, 2))]);
    /// assert_eq!(t.to_csv(Locale::Fr, CsvStyle::Excel), "\u{feff}Qui;Montant TTC\r\nROANNE;1300000,00\r\n");
    /// assert_eq!(t.to_csv(Locale::Fr, CsvStyle::Plain), "who,ttc\nROANNE,1300000.00\n");
    /// ```
    #[must_use]
    pub fn to_csv(&self, locale: Locale, style: CsvStyle) -> String {
        let (sep, eol) = match style {
            CsvStyle::Excel => (';', "\r\n"),
            CsvStyle::Plain => (',', "\n"),
        };
        let mut out = String::with_capacity(64 * (self.rows.len() + 2));
        if style == CsvStyle::Excel {
            out.push('\u{feff}');
        }
        for (i, c) in self.columns.iter().enumerate() {
            if i > 0 {
                out.push(sep);
            }
            let h = match style {
                CsvStyle::Excel => c.label.get(locale),
                CsvStyle::Plain => &c.key,
            };
            field(&mut out, h, sep);
        }
        out.push_str(eol);
        for r in self.rows.iter().chain(self.total.iter()) {
            for (i, c) in r.iter().enumerate() {
                if i > 0 {
                    out.push(sep);
                }
                field(&mut out, &cell(c, style, locale), sep);
            }
            out.push_str(eol);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::{Column, ColumnKind, Label};
    use super::*;
    use chrono::NaiveDate;
    use rust_decimal_macros::dec;

    #[test]
    fn both_dialects() {
        let mut t = Table::new(
            "t",
            Label::same("T"),
            vec![
                Column::new("name", "Nom", "Name", ColumnKind::Text),
                Column::new("day", "Date", "Date", ColumnKind::Date),
                Column::new("ht", "HT", "Excl. VAT", ColumnKind::Amount),
                Column::new("pct", "Part", "Share", ColumnKind::Percent),
            ],
        );
        t.push(vec![
            Cell::Text("Dupont; \"fils\"".into()),
            Cell::Date(NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()),
            Cell::amount(dec!(-1234.5)),
            Cell::Percent(dec!(12.5)),
        ]);
        t.push(vec![Cell::Text("=1+1".into())]);
        t.close("Total", &[("ht", dec!(-1234.50))]).unwrap();
        let x = t.to_csv(Locale::Fr, CsvStyle::Excel);
        assert_eq!(
            x,
            "\u{feff}Nom;Date;HT;Part\r\n\"Dupont; \"\"fils\"\"\";29/02/2028;-1234,50;12,5\r\n'=1+1;;;\r\nTotal;;-1234,50;\r\n"
        );
        let p = t.to_csv(Locale::En, CsvStyle::Plain);
        assert_eq!(
            p,
            "name,day,ht,pct\n\"Dupont; \"\"fils\"\"\",2028-02-29,-1234.50,12.5\n=1+1,,,\nTotal,,-1234.50,\n"
        );
    }
}
