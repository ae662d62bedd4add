//! The bulletin's chart, drawn here as SVG: one bar per unit in rank order, its progress as the
//! command line prints it at the bar's end, the units behind schedule in red, the required
//! progress as a dashed line. No script library: the page shows the SVG as it comes.

use std::fmt::Write;

use fupin::Lang;
use fupin::render::{escape_html, tr};
use fupin::spending::Bulletin;

const WIDTH: f64 = 720.0;
const LEFT: f64 = 96.0;
const RIGHT: f64 = 84.0;
const TOP: f64 = 34.0;
const ROW: f64 = 30.0;
const BAR: f64 = 18.0;
const BLUE: &str = "#0b5cad";
const RED: &str = "#b00020";

/// A ratio as a float, for a bar's length only (the label is the exact text).
fn fraction(r: fupin::Ratio) -> f64 {
    r.as_fraction().to_string().parse().unwrap_or(0.0)
}

/// The chart of a bulletin: bars of progress in rank order, the city total last.
#[must_use]
pub fn bulletin(b: &Bulletin, lang: Lang) -> String {
    let required = b.required.map(fraction);
    // The scale: 0 to 100 %, or further when a unit or the schedule goes beyond.
    let top = b
        .rows
        .iter()
        .filter_map(|r| r.figures.progress.map(fraction))
        .chain(required)
        .fold(1.0_f64, f64::max);
    let plot = WIDTH - LEFT - RIGHT;
    let x = |f: f64| LEFT + plot * (f / top).clamp(0.0, 1.0);
    #[allow(clippy::cast_precision_loss)] // a few dozen units
    let rows = (b.rows.len() + 1) as f64;
    let height = TOP + ROW * rows + 28.0;
    let title = tr(lang, "各县(市)区支出进度", "Spending progress by unit");
    let mut desc = Vec::new();
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="chart-title chart-desc" font-family="Noto Sans CJK SC, Microsoft YaHei, sans-serif" font-size="13">"#
    );
    let _ = write!(
        svg,
        r#"<title id="chart-title">{}</title>"#,
        escape_html(title)
    );
    // Grid lines every 25 %.
    let mut tick = 0.0_f64;
    while tick <= top + 1e-9 {
        let gx = x(tick);
        let _ = write!(
            svg,
            r##"<line x1="{gx:.1}" y1="{TOP}" x2="{gx:.1}" y2="{:.1}" stroke="#d0d7de" stroke-width="1"/><text x="{gx:.1}" y="{:.1}" text-anchor="middle" fill="#57606a" font-size="11">{:.0}%</text>"##,
            height - 22.0,
            height - 8.0,
            tick * 100.0
        );
        tick += 0.25;
    }
    let mut y = TOP;
    let bars = b
        .rows
        .iter()
        .map(|r| (r.county.as_str(), &r.figures, false))
        .chain(std::iter::once((
            tr(lang, "全市合计", "city total"),
            &b.city,
            true,
        )));
    for (name, f, city) in bars {
        let behind = f.is_behind();
        let label = f.progress.map_or_else(|| "—".to_owned(), |p| p.to_string());
        let weight = if city { "700" } else { "400" };
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-weight="{weight}" fill="{}">{}</text>"##,
            LEFT - 8.0,
            y + BAR - 4.0,
            if behind { RED } else { "#1f2328" },
            escape_html(name)
        );
        if let Some(p) = f.progress {
            let end = x(fraction(p));
            let _ = write!(
                svg,
                r#"<rect x="{LEFT}" y="{y:.1}" width="{:.1}" height="{BAR}" fill="{}" opacity="{}"/>"#,
                (end - LEFT).max(0.0),
                if behind { RED } else { BLUE },
                if city { "0.65" } else { "1" }
            );
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" fill="{}" font-weight="{weight}">{}{}</text>"##,
                end + 5.0,
                y + BAR - 4.0,
                if behind { RED } else { "#1f2328" },
                escape_html(&label),
                if behind { " ⚠" } else { "" }
            );
        }
        let standing = f.schedule.map(|s| s.standing.label(lang).to_owned());
        desc.push(match standing {
            Some(s) => format!("{name} {label}（{s}）"),
            None => format!("{name} {label}"),
        });
        y += ROW;
    }
    if let Some(r) = b.required {
        let rx = x(fraction(r));
        let _ = write!(
            svg,
            r##"<line x1="{rx:.1}" y1="{:.1}" x2="{rx:.1}" y2="{:.1}" stroke="#f59f00" stroke-width="2" stroke-dasharray="6 4"/><text x="{rx:.1}" y="{:.1}" text-anchor="middle" fill="#8a5a00" font-weight="700">{} {}</text>"##,
            TOP - 6.0,
            y - ROW + BAR + 4.0,
            TOP - 12.0,
            escape_html(tr(lang, "序时进度", "required")),
            escape_html(&r.to_string())
        );
    }
    let _ = write!(
        svg,
        r#"<desc id="chart-desc">{}</desc></svg>"#,
        escape_html(&desc.join(if lang == Lang::Zh { "；" } else { "; " }))
    );
    svg
}
