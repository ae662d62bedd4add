//! 任务完成情况 — task actuals (annex 2, tasks 2–10) from a workbook.
//!
//! One row per task: the task (`任务`/`task`: its id such as `t3.training`, or its name as the
//! policy gives it, `贫困劳动力就业技能培训`) and what was done (`实际完成`/`actual`). A task whose
//! target is money needs its unit — in the cell (`1050万元`) or in the header
//! (`实际完成（万元）`); a bare number for it is refused rather than read as yuan. Counts are plain
//! numbers. `目标`, `单位` and the like may stand beside them for the reader: they are ignored.

use std::collections::BTreeMap;

use fupin::tasks::{Actual, Target, Task};

use crate::book::Workbook;
use crate::error::Error;
use crate::table::{self, Column, Kind, Spec};

const WHAT: &str = "task actuals";

fn lookup(h: &str) -> Option<usize> {
    Some(match h {
        "task" | "id" | "任务" | "任务编号" | "扶贫项目" | "项目名称" | "扶贫项目名称" => {
            0
        }
        "actual" | "done" | "实际完成" | "完成" | "实际" | "完成情况" => 1,
        "target" | "目标" | "目标任务" | "unit" | "计量单位" | "牵头科室" | "lead unit" => {
            2
        }
        _ => return None,
    })
}

/// Read task actuals from a workbook, each row's task named by id or by name (Chinese or
/// English) among `tasks`.
///
/// # Errors
/// [`Error::NoTable`] when no sheet has the columns; [`Error::Cells`] naming every bad cell: an
/// unknown or repeated task, an empty actual, a bare number for a task measured in money.
pub fn read_task_actuals(
    book: &Workbook,
    tasks: &[Task],
) -> Result<BTreeMap<String, Actual>, Error> {
    let spec = Spec {
        columns: vec![
            Column::new("task", true, Kind::Text),
            Column::new("actual", true, Kind::Text),
            Column::new("target", false, Kind::Text),
        ],
        lookup: &lookup,
        example: "任务 | 实际完成（万元）",
    };
    let found = table::find(book, &spec)?;
    let rows = found.rows(&spec, WHAT)?;
    let mut problems = Vec::new();
    let mut out = BTreeMap::new();
    // The header's unit (`实际完成（万元）`) is for the tasks measured in money only.
    let unit = found.unit(1).filter(|u| *u != "%");
    let names = |t: &Task| [t.id.clone(), t.label.zh.to_string(), t.label.en.to_string()];
    for r in &rows {
        let text = |i: usize| r.cells.get(i).cloned().flatten().unwrap_or_default();
        let (name, actual) = (text(0), text(1));
        let task = tasks.iter().find(|t| names(t).contains(&name));
        let problem = match (task, actual.is_empty()) {
            (None, _) => Some((
                0,
                &name,
                "unknown_name",
                format!(
                    "not a task of the policy: give its id or name ({})",
                    tasks
                        .iter()
                        .map(|t| t.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            (Some(_), true) => Some((1, &actual, "empty", "the actual is empty".to_owned())),
            (Some(t), false)
                if matches!(t.target, Target::Amount(_))
                    && fupin::money::parse_number(&actual).is_ok()
                    && unit.is_none() =>
            {
                Some((
                    1,
                    &actual,
                    "missing_unit",
                    format!(
                        "task `{}` is measured in money: give the unit (`{actual}万元`) or put it in the header (`实际完成（万元）`)",
                        t.id
                    ),
                ))
            }
            (Some(t), false) if out.contains_key(&t.id) => Some((
                0,
                &name,
                "duplicate",
                format!("task `{}` is given twice", t.id),
            )),
            (Some(t), false) => {
                let money = matches!(t.target, Target::Amount(_));
                let text = match unit {
                    Some(u) if money && fupin::money::parse_number(&actual).is_ok() => {
                        format!("{actual}{u}")
                    }
                    _ => actual.clone(),
                };
                out.insert(t.id.clone(), Actual::from(text));
                None
            }
        };
        if let Some((i, value, code, message)) = problem {
            problems.push(found.problem(&spec, i, r.row, value, code, message));
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Cells {
            what: WHAT,
            problems,
        })
    }
}
