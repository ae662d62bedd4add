//! 序时进度 — the required spending progress by date (G4), supplied by the user.
//!
//! G4 二(四) requires spending progress to reach "the ratio set by the state and the province"
//! and M4 三(四) the ratio "set by the Ministry of Finance and the provincial finance department";
//! **neither gives a number**, and this library invents none. A [`Schedule`] is a list of
//! points — by this date, at least this share of the allocated funds spent — that the user
//! supplies, in the policy's `[spending.schedule]` or in a file of its own (see
//! `examples/schedule_example.toml`, an example and not the plan's requirement).
//!
//! The requirement on a date is that of the latest point on or before it (a step function, so
//! every requirement is a number the user wrote, and no interpolation rounds anything); before
//! the first point nothing is required. A user who wants a straight-line 序时进度 lists one point
//! per month.
//!
//! Comparing a unit with the schedule ([`compare`]) is exact: ahead or behind is decided by
//! `spent ≥ allocated × required`; the gap in percentage points is shown from the quotient; the
//! amount still to spend to catch up is `max(0, allocated × required − spent)`, exact.
//!
//! # Example
//! ```
//! use fupin::money::{Amount, Ratio};
//! use fupin::spending::{schedule, Progress, Schedule, Standing};
//!
//! let s = Schedule::from_toml(r#"
//!     name = "example"
//!     [[points]]
//!     by = "2020-06-30"
//!     required = "50%"
//! "#)?;
//! assert_eq!(s.required_on("2020-06-29".parse().unwrap()), None);
//! let req = s.required_for("2020-06".parse()?).unwrap();
//! let c = schedule::compare(&Progress::of(Amount::wan(100), Amount::wan(45)), req)?;
//! assert_eq!(c.standing, Standing::Behind);
//! assert_eq!(c.gap.unwrap().to_string(), "-5.00 pp");
//! assert_eq!(c.to_catch_up, Amount::wan(5));
//! # Ok::<(), fupin::spending::SpendingError>(())
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ledger::{Progress, field};
use super::{SpendingError, YearMonth};
use crate::load::{self, FieldError};
use crate::money::{Amount, MoneyError, PercentagePoints, Ratio};
use crate::validate::ratio_in;
use crate::vocab::{ErrorCode, FieldErrors, Problems};

/// A user-supplied schedule of required spending progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// What this schedule is and where its numbers come from (e.g. "财政部 2020 年 … 通知", or
    /// "example, not the plan's"). Shown on every bulletin that uses it.
    pub name: String,
    /// The points, in date order: by `by`, at least `required` of the allocation spent.
    pub points: Vec<SchedulePoint>,
}

/// One point of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SchedulePoint {
    /// The date (inclusive) by which the progress is required, e.g. `2020-06-30` (a string,
    /// or a TOML date).
    #[serde(deserialize_with = "crate::load::date")]
    pub by: NaiveDate,
    /// The required cumulative progress, a share of the allocated funds (0 %–100 %).
    pub required: Ratio,
}

impl Schedule {
    /// Load and validate a schedule from TOML (`name = …` and `[[points]]`).
    ///
    /// # Errors
    /// [`SpendingError::Field`] naming the field path and value.
    pub fn from_toml(text: &str) -> Result<Self, SpendingError> {
        let s: Self = load::from_toml(text).map_err(|e| field("schedule", e))?;
        s.validate_at("").map_err(|e| field("schedule", e))?;
        Ok(s)
    }

    /// Load and validate a schedule from JSON.
    ///
    /// # Errors
    /// As [`Schedule::from_toml`].
    pub fn from_json(text: &str) -> Result<Self, SpendingError> {
        let s: Self = load::from_json(text).map_err(|e| field("schedule", e))?;
        s.validate_at("").map_err(|e| field("schedule", e))?;
        Ok(s)
    }

    /// Check that there is a point, that points are in strictly increasing date order, and that
    /// each requirement is within 0 %–100 % and not below the one before (progress is
    /// cumulative). `prefix` is the path of the schedule in its file (`spending.schedule`).
    ///
    /// # Errors
    /// [`FieldErrors`] with every bad field.
    pub fn validate_at(&self, prefix: &str) -> Result<(), FieldErrors> {
        let path = |f: &str| {
            if prefix.is_empty() {
                f.to_owned()
            } else {
                format!("{prefix}.{f}")
            }
        };
        let mut problems = Problems::new();
        // The schedule's title is text, not a name: it may be empty or spaced.
        problems.check(crate::check_text(&path("name"), &self.name));
        if self.points.is_empty() {
            problems.push(FieldError::coded(
                ErrorCode::EMPTY,
                path("points"),
                None,
                "a schedule needs at least one point",
            ));
        }
        let mut before: Option<&SchedulePoint> = None;
        for (i, p) in self.points.iter().enumerate() {
            problems.check(ratio_in(
                &path(&format!("points[{i}].required")),
                p.required,
                Ratio::ZERO,
                Ratio::ONE,
            ));
            if let Some(b) = before {
                if p.by <= b.by {
                    problems.push(FieldError::coded(
                        ErrorCode::OUT_OF_RANGE,
                        path(&format!("points[{i}].by")),
                        Some(p.by.to_string()),
                        format!("date {} is not after the previous point's {}", p.by, b.by),
                    ));
                }
                if p.required < b.required {
                    problems.push(FieldError::coded(
                        ErrorCode::OUT_OF_RANGE,
                        path(&format!("points[{i}].required")),
                        Some(p.required.as_fraction().to_string()),
                        format!(
                            "value {} is below the previous point's {}: progress is cumulative",
                            p.required.exact(),
                            b.required.exact()
                        ),
                    ));
                }
            }
            before = Some(p);
        }
        problems.finish()
    }

    /// The progress required on `date`: that of the latest point on or before it; `None`
    /// before the first point.
    #[must_use]
    pub fn required_on(&self, date: NaiveDate) -> Option<Ratio> {
        self.points
            .iter()
            .filter(|p| p.by <= date)
            .max_by_key(|p| p.by)
            .map(|p| p.required)
    }

    /// The progress required at the end of `month`.
    #[must_use]
    pub fn required_for(&self, month: YearMonth) -> Option<Ratio> {
        self.required_on(month.last_day())
    }
}

/// Where a unit stands against the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// 超序时进度 — more than required spent.
    Ahead,
    /// 达到序时进度 — exactly the required share spent.
    OnSchedule,
    /// 落后序时进度 — less than required spent.
    Behind,
    /// Nothing allocated yet: there is nothing to compare.
    NoAllocation,
}

impl Standing {
    /// Whether the unit is behind schedule.
    #[must_use]
    pub const fn is_behind(self) -> bool {
        matches!(self, Self::Behind)
    }

    /// The standing's name in a language.
    #[must_use]
    pub const fn label(self, lang: crate::money::Lang) -> &'static str {
        use crate::money::Lang::{En, Zh};
        match (self, lang) {
            (Self::Ahead, Zh) => "超序时进度",
            (Self::OnSchedule, Zh) => "达到序时进度",
            (Self::Behind, Zh) => "落后序时进度",
            (Self::NoAllocation, Zh) => "未下达资金",
            (Self::Ahead, En) => "ahead",
            (Self::OnSchedule, En) => "on schedule",
            (Self::Behind, En) => "behind",
            (Self::NoAllocation, En) => "nothing allocated",
        }
    }
}

/// A unit's progress compared with the required progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScheduleComparison {
    /// The required progress.
    pub required: Ratio,
    /// `allocated × required`: what should have been spent by now.
    pub required_amount: Amount,
    /// Ahead, on schedule, behind, or nothing allocated (decided exactly).
    pub standing: Standing,
    /// `progress − required` in percentage points; `None` when nothing is allocated.
    pub gap: Option<PercentagePoints>,
    /// 需追加支出 — `max(0, allocated × required − spent)`: what is still to spend to catch up.
    pub to_catch_up: Amount,
}

/// Compare a progress with a required ratio.
///
/// # Errors
/// [`MoneyError::Overflow`].
pub fn compare(progress: &Progress, required: Ratio) -> Result<ScheduleComparison, MoneyError> {
    let required_amount = progress.allocated.checked_mul_ratio(required)?;
    let standing = if progress.no_allocation() {
        Standing::NoAllocation
    } else {
        match progress.spent.cmp(&required_amount) {
            std::cmp::Ordering::Greater => Standing::Ahead,
            std::cmp::Ordering::Equal => Standing::OnSchedule,
            std::cmp::Ordering::Less => Standing::Behind,
        }
    };
    Ok(ScheduleComparison {
        required,
        required_amount,
        standing,
        gap: progress
            .progress
            .map(|p| p.points_over(required))
            .transpose()?,
        to_catch_up: required_amount.saturating_excess_over(progress.spent)?,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::spending::ledger::tests::any_non_negative_amount;

    pub(crate) const QUARTERLY: &str = r#"
name = "test schedule"
[[points]]
by = "2020-01-31"
required = "10%"
[[points]]
by = "2020-03-31"
required = "35%"
"#;

    #[test]
    fn requirement_is_a_step_function_of_the_date() {
        let s = Schedule::from_toml(QUARTERLY).unwrap();
        let on = |d: &str| s.required_on(d.parse().unwrap());
        assert_eq!(on("2020-01-30"), None);
        assert_eq!(on("2020-01-31"), Some(Ratio::percent(10)));
        assert_eq!(on("2020-03-30"), Some(Ratio::percent(10)));
        assert_eq!(on("2020-12-31"), Some(Ratio::percent(35)));
        assert_eq!(
            s.required_for("2020-02".parse().unwrap()),
            Some(Ratio::percent(10))
        );
    }

    #[test]
    fn gaps_and_catch_up_amounts_are_exact() {
        // 乙市 at the end of March in the hand-made ledger: 60 of 200 万 = 30 % against 35 %.
        let c = compare(
            &Progress::of(Amount::wan(200), Amount::wan(60)),
            Ratio::percent(35),
        )
        .unwrap();
        assert_eq!(c.standing, Standing::Behind);
        assert_eq!(c.required_amount, Amount::wan(70));
        assert_eq!(c.to_catch_up, Amount::wan(10));
        assert_eq!(c.gap, Some(PercentagePoints::new((-5).into())));
        // 甲县: 40 of 100 万 = 40 %: 5 points ahead, nothing to catch up.
        let c = compare(
            &Progress::of(Amount::wan(100), Amount::wan(40)),
            Ratio::percent(35),
        )
        .unwrap();
        assert_eq!((c.standing, c.to_catch_up), (Standing::Ahead, Amount::ZERO));
        assert_eq!(c.gap.unwrap().to_string(), "+5.00 pp");
        // Exactly on schedule: half of 3 yuan.
        let half = Ratio::from_fraction("0.5".parse().unwrap());
        let c = compare(&Progress::of(Amount::yuan(3), "1.5".parse().unwrap()), half).unwrap();
        assert_eq!(c.standing, Standing::OnSchedule);
        // Nothing allocated: no gap, nothing to catch up, and no division.
        let c = compare(
            &Progress::of(Amount::ZERO, Amount::ZERO),
            Ratio::percent(35),
        )
        .unwrap();
        assert_eq!(
            (c.standing, c.gap, c.to_catch_up),
            (Standing::NoAllocation, None, Amount::ZERO)
        );
    }

    #[test]
    fn bad_schedules_are_named() {
        let e = Schedule::from_toml(&QUARTERLY.replace("35%", "5%")).unwrap_err();
        assert!(e.to_string().contains("points[1].required"), "{e}");
        let e = Schedule::from_toml(&QUARTERLY.replace("2020-03-31", "2020-01-01")).unwrap_err();
        assert!(e.to_string().contains("points[1].by"), "{e}");
        let e = Schedule::from_toml(&QUARTERLY.replace("10%", "110%")).unwrap_err();
        assert!(e.to_string().contains("points[0].required"), "{e}");
        let e = Schedule::from_toml("name = \"x\"\npoints = []\n").unwrap_err();
        assert!(e.to_string().contains("at least one point"), "{e}");
        let e = Schedule::from_toml(&QUARTERLY.replace("2020-01-31", "2020-02-30")).unwrap_err();
        assert!(e.to_string().contains("points[0].by"), "{e}");
    }

    #[test]
    fn schedule_round_trips() {
        let s = Schedule::from_toml(QUARTERLY).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(Schedule::from_json(&json).unwrap(), s);
    }

    fn any_required() -> impl Strategy<Value = Ratio> {
        (0_i64..=10_000).prop_map(|bp| Ratio::from_fraction(rust_decimal::Decimal::new(bp, 4)))
    }

    proptest! {
        #[test]
        fn catching_up_puts_a_unit_on_or_ahead_of_schedule(
            a in any_non_negative_amount(), s in any_non_negative_amount(), r in any_required(),
        ) {
            let c = compare(&Progress::of(a, s), r).unwrap();
            prop_assert_eq!(c.standing.is_behind(), !c.to_catch_up.is_zero());
            let caught_up = Progress::of(a, s.checked_add(c.to_catch_up).unwrap());
            prop_assert!(!compare(&caught_up, r).unwrap().standing.is_behind());
        }
    }
}
