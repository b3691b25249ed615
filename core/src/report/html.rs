//! The self-contained HTML rendering of a report: inline CSS and SVG, no
//! script, no network; prints on A4 (`@page`), tables break across pages
//! with their header repeated, charts and rows are not cut.

use std::fmt::Write as _;

use super::escape;
use super::format::{self, Locale};
use super::model::{Cell, ColumnKind, Report, Section, Table};
use super::svg;

const CSS: &str = "\
@page{size:A4;margin:14mm 12mm}\
*{box-sizing:border-box}\
body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;font-size:10.5pt;color:#111;margin:24px auto;max-width:980px;padding:0 16px;background:#fff}\
header{border-bottom:3px solid #1f5f99;margin-bottom:12px}\
h1{font-size:20pt;margin:0 0 4px;color:#1f5f99}\
h2{font-size:14pt;margin:22px 0 8px;color:#1f5f99;break-after:avoid}\
p.meta{margin:0 0 8px;color:#444}\
table{border-collapse:collapse;width:100%;margin:8px 0 14px;page-break-inside:auto}\
caption{text-align:left;font-weight:bold;padding:4px 0}\
thead{display:table-header-group}\
tfoot{display:table-row-group}\
tr{break-inside:avoid;page-break-inside:avoid}\
th,td{border:1px solid #bbb;padding:3px 6px;vertical-align:top}\
th{background:#e8eef5;text-align:left}\
td.amount,td.count,td.percent,td.number,th.amount,th.count,th.percent,th.number{text-align:right;white-space:nowrap}\
td.date{white-space:nowrap}\
td.code{font-family:'DejaVu Sans Mono',monospace;font-size:9.5pt;white-space:nowrap}\
table.wide{font-size:8.5pt}table.wide td.code{font-size:8pt}\
tr.total td{font-weight:bold;background:#f3f3f3;border-top:2px solid #555}\
tbody tr:nth-child(even){background:#fafafa}\
figure{margin:8px 0 14px;break-inside:avoid;page-break-inside:avoid}\
figcaption{font-weight:bold;margin-bottom:4px}\
svg{max-width:100%;height:auto;font-family:'DejaVu Sans',Arial,sans-serif;font-size:11px}\
svg .grid{stroke:#ddd;stroke-width:1}\
svg .axis{stroke:#333;stroke-width:1}\
svg .tick,svg .category{fill:#333}\
svg .value{font-size:10px}\
p.empty{color:#666;font-style:italic}\
ul.notes{color:#333;font-size:9.5pt}\
footer{margin-top:24px;border-top:1px solid #bbb}\
@media print{body{margin:0;max-width:none;padding:0}h2{page-break-after:avoid}}";

impl Report {
    /// The report as one self-contained HTML page in `locale`.
    #[must_use]
    pub fn to_html(&self, locale: Locale) -> String {
        let mut out = String::with_capacity(16 * 1024);
        let title = self.title.get(locale);
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"generator\" content=\"mutualis\">\
             <title>{t} — {tenant}</title><style>{CSS}</style></head>\n<body data-report=\"{kind}\">\
             <header><h1>{t}</h1><p class=\"meta\">{who} <span class=\"tenant\">{tenant}</span> \
             (<span class=\"code\">{code}</span>) — {period} {from} {to_word} {to}</p></header>\n",
            lang = locale.as_str(),
            t = escape(title),
            kind = self.kind.as_str(),
            who = if locale == Locale::Fr { "Collectivité :" } else { "Collectivité:" },
            tenant = escape(&self.tenant_name),
            code = escape(&self.tenant),
            period = if locale == Locale::Fr { "période du" } else { "period from" },
            from = format::date(self.from, locale),
            to_word = if locale == Locale::Fr { "au" } else { "to" },
            to = format::date(self.to, locale),
        );
        for s in &self.sections {
            section(&mut out, s, locale);
        }
        if !self.notes.is_empty() {
            let _ = write!(
                out,
                "<footer><h2>{}</h2><ul class=\"notes\">",
                if locale == Locale::Fr {
                    "Sources et règles appliquées"
                } else {
                    "Sources and rules applied"
                }
            );
            for n in &self.notes {
                let _ = write!(out, "<li>{}</li>", escape(n.get(locale)));
            }
            out.push_str("</ul></footer>");
        }
        out.push_str("\n</body></html>\n");
        out
    }
}

fn section(out: &mut String, s: &Section, locale: Locale) {
    let _ = writeln!(out, "<section><h2>{}</h2>", escape(s.title.get(locale)));
    for c in &s.charts {
        let _ = writeln!(
            out,
            "<figure><figcaption>{}</figcaption>{}</figure>",
            escape(c.title.get(locale)),
            svg::chart(c, locale)
        );
    }
    for t in &s.tables {
        table(out, t, locale);
    }
    for n in &s.notes {
        let _ = write!(out, "<p class=\"note\">{}</p>", escape(n.get(locale)));
    }
    out.push_str("</section>\n");
}

fn table(out: &mut String, t: &Table, locale: Locale) {
    let _ = write!(
        out,
        "<table data-table=\"{}\"{}><caption>{}</caption><thead><tr>",
        escape(&t.key),
        if t.columns.len() > 7 {
            " class=\"wide\""
        } else {
            ""
        },
        escape(t.title.get(locale))
    );
    for c in &t.columns {
        let _ = write!(
            out,
            "<th class=\"{}\" data-column=\"{}\" scope=\"col\">{}</th>",
            c.kind.as_str(),
            escape(&c.key),
            escape(c.label.get(locale))
        );
    }
    out.push_str("</tr></thead><tbody>");
    if t.rows.is_empty() {
        let _ = write!(
            out,
            "<tr><td colspan=\"{}\"><p class=\"empty\">{}</p></td></tr>",
            t.columns.len().max(1),
            if locale == Locale::Fr {
                "Aucune ligne pour cette période."
            } else {
                "No row for this period."
            }
        );
    }
    for r in &t.rows {
        row(out, t, r, "", locale);
    }
    out.push_str("</tbody>");
    if let Some(total) = &t.total {
        out.push_str("<tfoot>");
        row(out, t, total, " class=\"total\"", locale);
        out.push_str("</tfoot>");
    }
    out.push_str("</table>\n");
}

fn row(out: &mut String, t: &Table, cells: &[Cell], class: &str, locale: Locale) {
    let _ = write!(out, "<tr{class}>");
    for (c, cell) in t.columns.iter().zip(cells) {
        let kind = if matches!(cell, Cell::Text(_) | Cell::Label(_)) {
            ColumnKind::Text
        } else {
            c.kind
        };
        let _ = write!(
            out,
            "<td class=\"{}\">{}</td>",
            kind.as_str(),
            escape(&cell.display(locale))
        );
    }
    out.push_str("</tr>");
}
