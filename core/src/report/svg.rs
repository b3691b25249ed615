//! Charts drawn as small hand-written SVG: grouped bars with an axis and
//! labels, stacked bars, a matrix chart, a histogram. Numbers in the text
//! are formatted in the report's locale; every text is escaped. Geometry
//! uses floating point (pixels), never the amounts shown, which are the
//! exact decimals formatted.

use std::fmt::Write as _;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::escape;
use super::format::{self, Locale};
use super::model::{Chart, ChartKind, Unit};

/// Series colours (colour-blind friendly, print well in grey).
const PALETTE: [&str; 6] = [
    "#1f5f99", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00",
];

const WIDTH: f64 = 720.0;
const LEFT: f64 = 96.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const PLOT_H: f64 = 220.0;

fn px(x: Decimal) -> f64 {
    x.to_f64().unwrap_or(0.0)
}

/// A value as the chart shows it: an amount to the euro on the axis, to
/// the cent in titles; a count; kWh to the kWh on the axis, to the
/// hundredth in titles.
fn value(x: Decimal, unit: Unit, exact: bool, locale: Locale) -> String {
    match unit {
        Unit::Euros if exact => format::amount(x, locale),
        Unit::Euros => {
            let n = format::number(x, 0, locale);
            match locale {
                Locale::Fr => format!("{n}\u{a0}€"),
                Locale::En => match n.strip_prefix('-') {
                    Some(r) => format!("-€{r}"),
                    None => format!("€{n}"),
                },
            }
        }
        Unit::Count => format::number(x, 0, locale),
        Unit::Kwh => format!(
            "{}\u{a0}kWh",
            format::number(x, if exact { 2 } else { 0 }, locale)
        ),
    }
}

/// A "nice" upper bound for an axis: 1, 2, 2.5 or 5 × 10^k ≥ `max`.
fn nice(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(max.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= max {
            return m * p;
        }
    }
    10.0 * p
}

/// The chart as an `<svg>` element (inline in the HTML).
#[must_use]
pub fn chart(c: &Chart, locale: Locale) -> String {
    match c.kind {
        ChartKind::Bars | ChartKind::Histogram => bars(c, locale, false),
        ChartKind::Stacked => bars(c, locale, true),
        ChartKind::Matrix => matrix(c, locale),
    }
}

fn open(out: &mut String, c: &Chart, h: f64, locale: Locale) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {kind}\" data-chart=\"{key}\" \
         viewBox=\"0 0 {WIDTH} {h}\" width=\"100%\" role=\"img\" aria-label=\"{title}\">\
         <title>{title}</title>",
        kind = c.kind.as_str(),
        key = escape(&c.key),
        title = escape(c.title.get(locale)),
    );
}

fn legend(out: &mut String, c: &Chart, y: f64, locale: Locale) {
    if c.series.len() < 2 {
        return;
    }
    let mut x = LEFT;
    for (j, s) in c.series.iter().enumerate() {
        let label = s.label.get(locale);
        let _ = write!(
            out,
            "<g class=\"legend\"><rect x=\"{x}\" y=\"{y0}\" width=\"12\" height=\"12\" fill=\"{col}\"/>\
             <text x=\"{tx}\" y=\"{ty}\">{label}</text></g>",
            y0 = y - 10.0,
            col = PALETTE[j % PALETTE.len()],
            tx = x + 16.0,
            ty = y,
            label = escape(label),
        );
        x += 28.0 + 7.0 * label.chars().count() as f64;
    }
}

/// Grouped bars, stacked bars and histograms.
fn bars(c: &Chart, locale: Locale, stacked: bool) -> String {
    let n = c.categories.len().max(1);
    let k = c.series.len().max(1);
    let val = |j: usize, i: usize| -> Decimal {
        c.series
            .get(j)
            .and_then(|s| s.values.get(i))
            .copied()
            .unwrap_or_default()
    };
    // the axis range: from the lowest (≤ 0) to the highest (≥ 0) bar end
    let (mut lo, mut hi) = (0f64, 0f64);
    for i in 0..c.categories.len() {
        if stacked {
            let (mut pos, mut neg) = (0.0, 0.0);
            for j in 0..k {
                let v = px(val(j, i));
                if v >= 0.0 {
                    pos += v;
                } else {
                    neg += v;
                }
            }
            hi = hi.max(pos);
            lo = lo.min(neg);
        } else {
            for j in 0..k {
                let v = px(val(j, i));
                hi = hi.max(v);
                lo = lo.min(v);
            }
        }
    }
    let hi = if hi > 0.0 { nice(hi) } else { 0.0 };
    // a count axis ticks whole numbers: its top a multiple of the 4 intervals
    let hi = match c.unit {
        Unit::Count => (hi / 4.0).ceil() * 4.0,
        Unit::Euros | Unit::Kwh => hi,
    };
    let lo = if lo < 0.0 { -nice(-lo) } else { 0.0 };
    let span = if hi - lo > 0.0 { hi - lo } else { 1.0 };
    let y_of = |v: f64| TOP + (hi - v) / span * PLOT_H;
    let height = TOP + PLOT_H + 70.0 + if k > 1 { 24.0 } else { 0.0 };
    let mut out = String::with_capacity(2048 + 400 * n * k);
    open(&mut out, c, height, locale);
    // grid and axis labels
    for t in 0..=4 {
        let v = lo + span * f64::from(t) / 4.0;
        let y = y_of(v);
        let d = Decimal::from_f64_retain(v).unwrap_or_default();
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{x2}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"tick\" x=\"{tx}\" y=\"{ty:.1}\" text-anchor=\"end\">{label}</text>",
            x2 = WIDTH - RIGHT,
            tx = LEFT - 6.0,
            ty = y + 4.0,
            label = escape(&value(d, c.unit, false, locale)),
        );
    }
    let zero = y_of(0.0);
    let _ = write!(
        out,
        "<line class=\"axis\" x1=\"{LEFT}\" x2=\"{x2}\" y1=\"{zero:.1}\" y2=\"{zero:.1}\"/>\
         <line class=\"axis\" x1=\"{LEFT}\" x2=\"{LEFT}\" y1=\"{TOP}\" y2=\"{b:.1}\"/>",
        x2 = WIDTH - RIGHT,
        b = TOP + PLOT_H,
    );
    let slot = (WIDTH - LEFT - RIGHT) / n as f64;
    let gap = if c.kind == ChartKind::Histogram {
        1.0
    } else {
        slot * 0.18
    };
    let bar_w = if stacked || c.kind == ChartKind::Histogram {
        slot - 2.0 * gap
    } else {
        (slot - 2.0 * gap) / k as f64
    };
    for (i, cat) in c.categories.iter().enumerate() {
        let x0 = LEFT + slot * i as f64 + gap;
        let (mut pos, mut neg) = (0.0, 0.0);
        let mut total = Decimal::ZERO;
        for (j, s) in c.series.iter().enumerate() {
            let v = val(j, i);
            total += v;
            let f = px(v);
            let (x, top, bottom) = if stacked {
                let (a, b) = if f >= 0.0 {
                    pos += f;
                    (pos, pos - f)
                } else {
                    neg += f;
                    (neg - f, neg)
                };
                (x0, y_of(a), y_of(b))
            } else {
                let x = x0 + bar_w * j as f64;
                (x, y_of(f.max(0.0)), y_of(f.min(0.0)))
            };
            let title = if c.series.len() > 1 {
                format!(
                    "{cat} — {} : {}",
                    s.label.get(locale),
                    value(v, c.unit, true, locale)
                )
            } else {
                format!("{cat} : {}", value(v, c.unit, true, locale))
            };
            let _ = write!(
                out,
                "<rect class=\"bar\" data-category=\"{cat_e}\" data-series=\"{j}\" data-value=\"{v}\" \
                 x=\"{x:.1}\" y=\"{top:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{col}\">\
                 <title>{title}</title></rect>",
                cat_e = escape(cat),
                w = (bar_w - 1.0).max(1.0),
                h = (bottom - top).max(0.0),
                col = PALETTE[j % PALETTE.len()],
                title = escape(&title),
            );
            if !stacked && n * k <= 16 && !v.is_zero() {
                let _ = write!(
                    out,
                    "<text class=\"value\" x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\">{label}</text>",
                    tx = x + bar_w / 2.0,
                    ty = top - 4.0,
                    label = escape(&value(v, c.unit, false, locale)),
                );
            }
        }
        if stacked && n <= 16 {
            let _ = write!(
                out,
                "<text class=\"value total\" x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\">{label}</text>",
                tx = x0 + bar_w / 2.0,
                ty = y_of(pos) - 4.0,
                label = escape(&value(total, c.unit, false, locale)),
            );
        }
        // category label, turned when the slots are narrow
        let cx = x0 + (slot - 2.0 * gap) / 2.0;
        let ly = TOP + PLOT_H + 16.0;
        if slot < 70.0 {
            let _ = write!(
                out,
                "<text class=\"category\" x=\"{cx:.1}\" y=\"{ly:.1}\" text-anchor=\"end\" \
                 transform=\"rotate(-40 {cx:.1} {ly:.1})\">{}</text>",
                escape(cat)
            );
        } else {
            let _ = write!(
                out,
                "<text class=\"category\" x=\"{cx:.1}\" y=\"{ly:.1}\" text-anchor=\"middle\">{}</text>",
                escape(cat)
            );
        }
    }
    legend(&mut out, c, height - 8.0, locale);
    out.push_str("</svg>");
    out
}

/// The matrix chart: rows are the series (creditors), columns the
/// categories (debtors); each cell shaded by its value, with the amount.
fn matrix(c: &Chart, locale: Locale) -> String {
    let n = c.categories.len();
    let cell_w = ((WIDTH - LEFT - RIGHT) / n.max(1) as f64).min(140.0);
    let cell_h = 34.0;
    let head = 40.0;
    let height = TOP + head + cell_h * c.series.len() as f64 + 24.0;
    let max = c
        .series
        .iter()
        .flat_map(|s| s.values.iter())
        .map(|v| px(*v).abs())
        .fold(0.0, f64::max);
    let mut out = String::with_capacity(1024 + 300 * n * n);
    open(&mut out, c, height, locale);
    for (i, cat) in c.categories.iter().enumerate() {
        let _ = write!(
            out,
            "<text class=\"category column\" x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"middle\">{}</text>",
            escape(cat),
            x = LEFT + cell_w * (i as f64 + 0.5),
            y = TOP + head - 10.0,
        );
    }
    for (r, s) in c.series.iter().enumerate() {
        let y = TOP + head + cell_h * r as f64;
        let _ = write!(
            out,
            "<text class=\"category row\" x=\"{x}\" y=\"{ty:.1}\" text-anchor=\"end\">{}</text>",
            escape(s.label.get(locale)),
            x = LEFT - 8.0,
            ty = y + cell_h / 2.0 + 4.0,
        );
        for (i, cat) in c.categories.iter().enumerate() {
            let v = s.values.get(i).copied().unwrap_or_default();
            let shade = if max > 0.0 { px(v).abs() / max } else { 0.0 };
            let x = LEFT + cell_w * i as f64;
            let title = format!(
                "{} → {cat} : {}",
                s.label.get(locale),
                value(v, c.unit, true, locale)
            );
            let _ = write!(
                out,
                "<rect class=\"cell\" data-row=\"{row}\" data-column=\"{col}\" data-value=\"{v}\" \
                 x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"#1f5f99\" \
                 fill-opacity=\"{o:.2}\" stroke=\"#999\"><title>{title}</title></rect>",
                row = escape(s.label.get(locale)),
                col = escape(cat),
                w = cell_w,
                h = cell_h,
                o = 0.06 + 0.84 * shade,
                title = escape(&title),
            );
            if !v.is_zero() {
                let _ = write!(
                    out,
                    "<text class=\"value\" x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\" fill=\"{fg}\">{label}</text>",
                    tx = x + cell_w / 2.0,
                    ty = y + cell_h / 2.0 + 4.0,
                    fg = if shade > 0.5 { "#fff" } else { "#000" },
                    label = escape(&value(v, c.unit, true, locale)),
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::super::model::{Label, Series};
    use super::*;
    use rust_decimal_macros::dec;

    fn c(kind: ChartKind) -> Chart {
        Chart {
            key: "k".into(),
            kind,
            title: Label::same("<Titre & co>"),
            unit: Unit::Euros,
            categories: vec!["A<&>".into(), "B".into()],
            series: vec![
                Series {
                    label: Label::new("2025", "2025"),
                    values: vec![dec!(1300000), dec!(-1234.5)],
                },
                Series {
                    label: Label::new("2026", "2026"),
                    values: vec![dec!(0), dec!(421.09)],
                },
            ],
        }
    }

    #[test]
    fn every_kind_draws_escaped_french_text() {
        for kind in [
            ChartKind::Bars,
            ChartKind::Stacked,
            ChartKind::Matrix,
            ChartKind::Histogram,
        ] {
            let s = chart(&c(kind), Locale::Fr);
            assert!(s.starts_with("<svg") && s.ends_with("</svg>"), "{kind:?}");
            assert!(s.contains("&lt;Titre &amp; co&gt;"));
            assert!(s.contains("A&lt;&amp;&gt;"));
            assert!(!s.contains("A<&>"));
            assert!(s.contains("1\u{202f}300\u{202f}000,00\u{a0}€"), "{kind:?}");
            assert!(s.contains("421,09\u{a0}€"), "{kind:?}");
            assert!(!s.contains("NaN") && !s.contains("inf"), "{kind:?}");
        }
    }

    #[test]
    fn nice_bounds() {
        assert_eq!(nice(0.0), 1.0);
        assert_eq!(nice(7.0), 10.0);
        assert_eq!(nice(1300000.0), 2000000.0);
        assert_eq!(nice(240.0), 250.0);
    }
}
