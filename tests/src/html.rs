//! Searching a report's HTML in the report tests: the texts between two
//! markers, a table by its key, its cells and total row, a chart's SVG, the
//! headings. Searched rather than parsed: the renderer's output is known.

/// Every text between `open` and `close`, in order.
#[must_use]
pub fn all_between<'a>(s: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        let Some(j) = after.find(close) else { break };
        out.push(&after[..j]);
        rest = &after[j + close.len()..];
    }
    out
}

/// The HTML of the table `key` (panics when there is none: a test helper).
#[must_use]
pub fn table<'a>(html: &'a str, key: &str) -> &'a str {
    all_between(html, &format!("<table data-table=\"{key}\""), "</table>")
        .first()
        .copied()
        .unwrap_or_else(|| panic!("no table {key}"))
}

/// The texts of the `<td>` cells of an HTML fragment.
#[must_use]
pub fn cells(fragment: &str) -> Vec<String> {
    all_between(fragment, "<td class=\"", "</td>")
        .into_iter()
        .map(|c| c.split_once("\">").map_or("", |x| x.1).to_owned())
        .collect()
}

/// The total row's cells of the table `key`.
#[must_use]
pub fn total_cells(html: &str, key: &str) -> Vec<String> {
    cells(all_between(table(html, key), "<tfoot>", "</tfoot>")[0])
}

/// The SVG of the chart `key` (panics when there is none).
#[must_use]
pub fn svg<'a>(html: &'a str, key: &str) -> &'a str {
    let open = format!("data-chart=\"{key}\"");
    let i = html.find(&open).unwrap_or_else(|| panic!("no chart {key}"));
    let start = html[..i].rfind("<svg").unwrap();
    let end = html[i..].find("</svg>").unwrap() + i;
    &html[start..end]
}

/// The `<h1>` and `<h2>` headings, in order.
#[must_use]
pub fn headings(html: &str) -> (Vec<&str>, Vec<&str>) {
    (
        all_between(html, "<h1>", "</h1>"),
        all_between(html, "<h2>", "</h2>"),
    )
}
