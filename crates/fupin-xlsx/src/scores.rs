//! 考核评分表 — units' scores on a scorecard (annex 2 assessment method) from a workbook.
//!
//! One row per unit: its name (`单位`/`unit`), one column per item of the card and per bonus
//! input, and an optional veto reason (`一票否决`/`veto`). A column is named by the item's or
//! rule's id or its label in Chinese or English, as the card gives them (`年度目标任务完成情况`,
//! `annual_targets`); a counted bonus has a column per kind, `经验表彰·省级` or
//! `commendations.provincial`. A completion (超额完成) is a ratio: `135%`, a percentage cell, or
//! a bare number under a header ending in `（%）`.

use std::collections::HashMap;

use fupin::assessment::{BonusInput, BonusKind, Points, ScoreInput, Scorecard, Veto};
use fupin::money::Ratio;

use crate::book::Workbook;
use crate::cell::CellRef;
use crate::error::Error;
use crate::table::{self, Column, Kind, Spec, normalize};

const WHAT: &str = "scores";

/// What a column of a score sheet is for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    Unit,
    Item(String),
    Completion(String),
    Points(String),
    Count(String, String),
    Veto,
}

/// Units' scores read from a sheet, with where each came from.
#[derive(Debug, Clone)]
pub struct ScoreSheet {
    /// One input per unit row, in sheet order.
    pub inputs: Vec<ScoreInput>,
    /// The sheet's name.
    pub sheet: String,
    /// The 0-based sheet row of each input.
    pub rows: Vec<u32>,
    /// The column of each item or bonus id (a counted bonus by its rule id: its first kind).
    columns: HashMap<String, u32>,
}

impl ScoreSheet {
    /// Where input `index` is, as Excel writes it: the cell of `item` in its row (`评分!C5`),
    /// or the row (`评分!5:5`) when no item is given or the item has no column.
    #[must_use]
    pub fn place(&self, index: usize, item: Option<&str>) -> String {
        let Some(&row) = self.rows.get(index) else {
            return self.sheet.clone();
        };
        match item.and_then(|i| self.columns.get(i)) {
            Some(&col) => format!("{}!{}", self.sheet, CellRef::new(row, col)),
            None => format!("{}!{}:{}", self.sheet, row + 1, row + 1),
        }
    }
}

fn roles(card: &Scorecard) -> (Vec<(Role, Vec<String>)>, Vec<Column>) {
    let mut roles: Vec<(Role, Vec<String>)> = vec![(
        Role::Unit,
        ["unit", "单位", "被考核单位", "单位名称", "科室", "name"]
            .map(str::to_owned)
            .to_vec(),
    )];
    let mut columns = vec![Column::new("unit", true, Kind::Text)];
    for (_, item) in card.items() {
        roles.push((
            Role::Item(item.id.clone()),
            vec![
                item.id.clone(),
                item.label.zh.to_string(),
                item.label.en.to_string(),
            ],
        ));
        columns.push(Column::new(&item.id, false, Kind::Number));
    }
    for rule in &card.bonus.rules {
        let names = vec![
            rule.id.clone(),
            rule.label.zh.to_string(),
            rule.label.en.to_string(),
        ];
        match &rule.rule {
            BonusKind::PerStep { .. } => {
                roles.push((Role::Completion(rule.id.clone()), names));
                columns.push(Column::new(&rule.id, false, Kind::Ratio));
            }
            BonusKind::Discretionary => {
                roles.push((Role::Points(rule.id.clone()), names));
                columns.push(Column::new(&rule.id, false, Kind::Number));
            }
            BonusKind::PerCount { weights } => {
                for w in weights {
                    let mut aliases = Vec::new();
                    for sep in [".", "·", "-", "_", "/", " "] {
                        aliases.push(format!("{}{sep}{}", rule.id, w.id));
                        aliases.push(format!("{}{sep}{}", rule.label.zh, w.label.zh));
                        aliases.push(format!("{}{sep}{}", rule.label.en, w.label.en));
                    }
                    aliases.push(format!("{}({})", rule.label.zh, w.label.zh));
                    aliases.push(format!("{}({})", rule.label.en, w.label.en));
                    aliases.push(format!("{}{}", w.label.zh, rule.label.zh));
                    roles.push((Role::Count(rule.id.clone(), w.id.clone()), aliases));
                    columns.push(Column::new(
                        format!("{}.{}", rule.id, w.id),
                        false,
                        Kind::Number,
                    ));
                }
            }
        }
    }
    roles.push((
        Role::Veto,
        [
            "veto",
            "veto_reason",
            "veto reason",
            "一票否决",
            "一票否决原因",
            "否决原因",
        ]
        .map(str::to_owned)
        .to_vec(),
    ));
    columns.push(Column::new("veto", false, Kind::Text));
    (roles, columns)
}

/// Read units' scores on a card from the bytes of a workbook (see [`read_scores`]).
///
/// # Errors
/// As [`Workbook::from_bytes`] and [`read_scores`].
pub fn scores_from_bytes(bytes: &[u8], card: &Scorecard) -> Result<ScoreSheet, Error> {
    read_scores(&Workbook::from_bytes(WHAT, bytes)?, card)
}

/// Read units' scores on `card` from a workbook: the first sheet whose header row names the
/// unit column and every item of the card.
///
/// # Errors
/// [`Error::NoTable`] when no sheet names the unit and every item; [`Error::Cells`] naming every
/// bad cell: an empty unit or item, points or a completion that cannot be read, a count that is
/// not a whole number ≥ 0. Scores above an item's maximum and the like are the card's to refuse
/// when the units are scored: [`ScoreSheet::place`] names their cells.
///
/// # Example
/// ```
/// let policy = fupin::Policy::chaoyang_2020();
/// let card = policy.assessment.card("a").unwrap();
/// let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/score_a.xlsx"))?;
/// let sheet = fupin_xlsx::read_scores(&fupin_xlsx::Workbook::from_bytes("scores", &bytes)?, card)?;
/// let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/score_a.json"))?;
/// assert_eq!(sheet.inputs, fupin::assessment::ScoreInput::many_from_json(&json)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_scores(book: &Workbook, card: &Scorecard) -> Result<ScoreSheet, Error> {
    let (roles, mut columns) = roles(card);
    // The header must name every item: mark them required for finding it.
    for (c, (role, _)) in columns.iter_mut().zip(&roles) {
        if matches!(role, Role::Item(_)) {
            c.required = true;
        }
    }
    let mut by_alias: HashMap<String, usize> = HashMap::new();
    for (i, (_, aliases)) in roles.iter().enumerate() {
        for a in aliases {
            let (spaced, compact, _) = normalize(a);
            by_alias.entry(spaced).or_insert(i);
            by_alias.entry(compact).or_insert(i);
        }
    }
    let lookup = |h: &str| by_alias.get(h).copied();
    let spec = Spec {
        columns,
        lookup: &lookup,
        example: "单位 | 年度目标任务完成情况 | 日常工作责任落实情况 | 超额完成行业扶贫任务（%） | 经验表彰·省级 | 一票否决",
    };
    let found = table::find(book, &spec)?;
    let rows = found.rows(&spec, WHAT)?;
    let mut sheet_columns = HashMap::new();
    for (i, (role, _)) in roles.iter().enumerate() {
        let Some(col) = found.cols.get(i).copied().flatten() else {
            continue;
        };
        let key = match role {
            Role::Item(id) | Role::Completion(id) | Role::Points(id) => id.clone(),
            Role::Count(rule, _) => rule.clone(),
            Role::Unit => "unit".to_owned(),
            Role::Veto => "veto".to_owned(),
        };
        sheet_columns.entry(key).or_insert(col);
    }
    let mut problems = Vec::new();
    let mut inputs = Vec::with_capacity(rows.len());
    let mut positions = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut input = ScoreInput::default();
        let mut problem = |i: usize, value: &str, code: &'static str, message: String| {
            problems.push(found.problem(&spec, i, r.row, value, code, message));
        };
        for (i, (role, _)) in roles.iter().enumerate() {
            let cell = r.cells.get(i).cloned().flatten();
            let present = found.cols.get(i).copied().flatten().is_some();
            match (role, cell) {
                (Role::Unit, Some(u)) => input.unit = u,
                (Role::Unit, None) => {
                    problem(i, "", "empty", "the unit's name is empty".to_owned());
                }
                (Role::Item(id), Some(t)) => match t.parse::<Points>() {
                    Ok(p) => {
                        input.items.insert(id.clone(), p);
                    }
                    Err(e) => problem(i, &t, "invalid_number", e.to_string()),
                },
                (Role::Item(_), None) if present => problem(
                    i,
                    "",
                    "empty",
                    "every item must be scored, 0 included".to_owned(),
                ),
                (Role::Completion(id), Some(t)) => match t.parse::<Ratio>() {
                    Ok(c) => {
                        input.bonuses.insert(id.clone(), BonusInput::Completion(c));
                    }
                    Err(e) => problem(i, &t, "invalid_number", e.to_string()),
                },
                (Role::Points(id), Some(t)) => match t.parse::<Points>() {
                    Ok(p) => {
                        input.bonuses.insert(id.clone(), BonusInput::Points(p));
                    }
                    Err(e) => problem(i, &t, "invalid_number", e.to_string()),
                },
                (Role::Count(rule, kind), Some(t)) => match t.parse::<u32>() {
                    Ok(n) => {
                        let entry = input
                            .bonuses
                            .entry(rule.clone())
                            .or_insert_with(|| BonusInput::Counts(Default::default()));
                        if let BonusInput::Counts(counts) = entry {
                            counts.insert(kind.clone(), n);
                        }
                    }
                    Err(_) => problem(
                        i,
                        &t,
                        "invalid_number",
                        "a count is a whole number ≥ 0".to_owned(),
                    ),
                },
                (Role::Veto, Some(reason)) => input.veto = Some(Veto { reason }),
                _ => {}
            }
        }
        inputs.push(input);
        positions.push(r.row);
    }
    if !problems.is_empty() {
        return Err(Error::Cells {
            what: WHAT,
            problems,
        });
    }
    Ok(ScoreSheet {
        inputs,
        sheet: found.sheet.name.clone(),
        rows: positions,
        columns: sheet_columns,
    })
}
