//! Exact money, ratios and percentage points.
//!
//! The plan states its figures in 万元 (10,000 yuan) and 亿元 (100,000,000 yuan); every amount in
//! this library is held in **yuan** as a [`rust_decimal::Decimal`], so 7,332.5 万元 and 7.5 亿元
//! are stored exactly. Nothing here uses floating point.
//!
//! # Rounding — only for display, and only here
//!
//! Values are never rounded. Display rounds half away from zero (四舍五入) to the places of the
//! unit shown — [`Amount`]: 2 places in any unit (元, 万元, 亿元); [`Ratio`] as a percentage:
//! 2 places; [`PercentagePoints`]: 2 places — and drops trailing zeros of amounts
//! (`7,332.5 万元`). Ratios produced by division ([`Amount::ratio_to`], [`growth`]) are quotients
//! to 28 significant digits; every *check* in this library is made without division, by
//! cross-multiplication, so a threshold comparison is exact even when the quotient is not.
//!
//! # Serialisation
//!
//! All three types serialise as decimal **strings** (`"73325000"`, `"0.2"`), never as floats, so
//! JSON and TOML round-trip exactly. On input, amounts also accept a unit suffix (`"2500万元"`,
//! `"7.5亿元"`, `"1000 yuan"`) and integers; ratios accept `"20%"` and `"0.2"`. A float in the input
//! is refused with a message that says to quote it.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Name under which the decimal types serialise as a newtype struct. Text formats (JSON, TOML)
/// ignore it and see a plain string; the Python binding recognises it and builds a
/// `decimal.Decimal`.
pub const DECIMAL_MARKER: &str = "$fupin::Decimal";

const WAN: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);
const YI: Decimal = Decimal::from_parts(100_000_000, 0, 0, false, 0);
const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// Errors of exact arithmetic and of reading amounts and ratios from text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// A result is too large for a 96-bit decimal (about 7.9 × 10²⁸ yuan).
    #[error("{op} overflows the exact decimal range")]
    Overflow {
        /// The operation that overflowed, e.g. `"add"`.
        op: &'static str,
    },
    /// Text that is not an amount, e.g. `"abc"` or `"12 dollars"`.
    #[error(
        "`{input}` is not an amount: write a decimal number of yuan, optionally with a unit, e.g. \"2500万元\", \"7.5亿元\" or \"1000\""
    )]
    InvalidAmount {
        /// The text as given.
        input: String,
    },
    /// Text that is not a ratio, e.g. `"abc"`.
    #[error(
        "`{input}` is not a ratio: write a percentage such as \"20%\" or a fraction such as \"0.2\""
    )]
    InvalidRatio {
        /// The text as given.
        input: String,
    },
    /// Text that is not a decimal number, e.g. `"abc"`.
    #[error("`{input}` is not a decimal number")]
    InvalidNumber {
        /// The text as given.
        input: String,
    },
    /// An amount beyond [`Amount::MAX_INPUT`] in the input: no budget is that large, so it is a
    /// typing or unit error (and exact sums of such figures could overflow).
    #[error(
        "`{input}` is beyond ±10¹⁶ yuan (1 亿亿元), far more than any budget: check the figure and its unit"
    )]
    TooLarge {
        /// The text as given.
        input: String,
    },
    /// A well-formed number with more digits than an exact decimal holds (28 significant
    /// digits, at most about 7.9 × 10²⁸).
    #[error(
        "`{input}` has more digits than an exact decimal holds (28 significant digits, at most about 7.9 × 10²⁸)"
    )]
    Digits {
        /// The text as given.
        input: String,
    },
    /// A comma that is not a thousands separator (`"7,5"`, `"2,5万元"`): refused rather than
    /// guessed at, since `7,5` may mean 7.5 or 75.
    #[error(
        "`{input}`: a comma may only separate thousands (1,000,000 or 25,500万元); write a decimal point as `.` (7.5), or leave the comma out"
    )]
    Comma {
        /// The text as given.
        input: String,
    },
    /// A binary float in the input; exact decimals must be written as strings.
    #[error(
        "the number {value} is a binary float and may not be exact: write it as a string, e.g. \"{value}\""
    )]
    Float {
        /// The float as read, in its shortest text form.
        value: String,
    },
}

impl MoneyError {
    /// The error as a problem with the field at `path` (empty for none), with its code and the
    /// text as given.
    #[must_use]
    pub fn to_field_error(&self, path: &str) -> crate::FieldError {
        use crate::ErrorCode;
        let (code, value) = match self {
            Self::Overflow { .. } => (ErrorCode::OVERFLOW, None),
            Self::InvalidAmount { input } => (ErrorCode::INVALID_AMOUNT, Some(input)),
            Self::InvalidRatio { input } => (ErrorCode::INVALID_RATIO, Some(input)),
            Self::TooLarge { input } | Self::Digits { input } => {
                (ErrorCode::OUT_OF_RANGE, Some(input))
            }
            Self::InvalidNumber { input } | Self::Comma { input } => {
                (ErrorCode::INVALID_NUMBER, Some(input))
            }
            Self::Float { value } => (ErrorCode::FLOAT, Some(value)),
        };
        crate::FieldError::coded(code, path, value.cloned(), self.to_string())
    }
}

/// The unit an amount is displayed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// 元 — yuan.
    Yuan,
    /// 万元 — 10,000 yuan, the plan's usual unit.
    Wan,
    /// 亿元 — 100,000,000 yuan.
    Yi,
}

impl Unit {
    /// How many yuan one of this unit is.
    #[must_use]
    pub const fn factor(self) -> Decimal {
        match self {
            Self::Yuan => Decimal::ONE,
            Self::Wan => WAN,
            Self::Yi => YI,
        }
    }

    /// The unit's name in a language.
    #[must_use]
    pub const fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Yuan, Lang::Zh) => "元",
            (Self::Wan, Lang::Zh) => "万元",
            (Self::Yi, Lang::Zh) => "亿元",
            (Self::Yuan, Lang::En) => "yuan",
            (Self::Wan, Lang::En) => "×10k yuan",
            (Self::Yi, Lang::En) => "×100M yuan",
        }
    }
}

/// Language of labels and rendered reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// 中文.
    #[default]
    Zh,
    /// English.
    En,
}

/// An exact amount of money in yuan (元).
///
/// # Example
/// ```
/// use fupin::money::{Amount, Unit};
///
/// let city = Amount::wan(25_500);
/// assert_eq!(city, "2.55亿元".parse().unwrap());
/// assert_eq!(city.to_string(), "25,500 万元");
/// assert_eq!(city.display(Unit::Yi).to_string(), "2.55 亿元");
/// let last_year: Amount = "7332.5万元".parse().unwrap();
/// assert_eq!(city.checked_sub(last_year).unwrap(), "18167.5万元".parse().unwrap());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(Decimal);

impl Amount {
    /// Zero yuan.
    pub const ZERO: Self = Self(Decimal::ZERO);

    /// The largest amount read from input, ±10¹⁶ yuan (1 亿亿元, some 400 times China's
    /// national budget) — a limit of the library, not of the plan. Text or integers beyond it
    /// are refused ([`MoneyError::TooLarge`]) as typing or unit errors; below it, sums of
    /// millions of amounts and their products with any ratio of the policy stay exact.
    pub const MAX_INPUT: Self = Self(Decimal::from_parts(1_874_919_424, 2_328_306, 0, false, 0));

    /// `Err(TooLarge)` for an amount read from `input` beyond [`Amount::MAX_INPUT`].
    fn within_input_range(self, input: impl FnOnce() -> String) -> Result<Self, MoneyError> {
        if self.0.abs() > Self::MAX_INPUT.0 {
            Err(MoneyError::TooLarge { input: input() })
        } else {
            Ok(self)
        }
    }

    /// An amount of whole yuan.
    #[must_use]
    pub fn yuan(yuan: i64) -> Self {
        Self(Decimal::from(yuan))
    }

    /// An amount of whole 万元 (10,000 yuan): `Amount::wan(2_500)` is the quota of a county.
    #[must_use]
    pub fn wan(wan: i64) -> Self {
        // |i64| × 10⁴ < 10²³ fits a 96-bit mantissa.
        Self(Decimal::from_i128_with_scale(i128::from(wan) * 10_000, 0))
    }

    /// An amount of whole 亿元 (100,000,000 yuan).
    #[must_use]
    pub fn yi(yi: i64) -> Self {
        // |i64| × 10⁸ < 10²⁷ fits a 96-bit mantissa.
        Self(Decimal::from_i128_with_scale(
            i128::from(yi) * 100_000_000,
            0,
        ))
    }

    /// An exact decimal number of yuan.
    #[must_use]
    pub const fn from_yuan(yuan: Decimal) -> Self {
        Self(yuan)
    }

    /// A decimal number of a unit, e.g. 7.5 亿元.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] if the amount in yuan is out of the decimal range.
    pub fn from_units(value: Decimal, unit: Unit) -> Result<Self, MoneyError> {
        value
            .checked_mul(unit.factor())
            .map(Self)
            .ok_or(MoneyError::Overflow {
                op: "unit conversion",
            })
    }

    /// The amount in yuan.
    #[must_use]
    pub const fn as_yuan(self) -> Decimal {
        self.0
    }

    /// The amount in a unit, exactly (7,332.5 万元 → `7332.5`).
    #[must_use]
    pub fn in_units(self, unit: Unit) -> Decimal {
        // Division by 10⁴ or 10⁸ only moves the decimal point; it is exact whenever the result
        // has at most 28 fractional digits, which a yuan amount with ≤ 20 places always has.
        self.0 / unit.factor()
    }

    /// Whether the amount is negative.
    #[must_use]
    pub const fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// Whether the amount is zero.
    #[must_use]
    pub const fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// `self + other`, or an error on overflow.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`].
    pub fn checked_add(self, other: Self) -> Result<Self, MoneyError> {
        self.0
            .checked_add(other.0)
            .map(Self)
            .ok_or(MoneyError::Overflow { op: "add" })
    }

    /// `self − other`, or an error on overflow.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`].
    pub fn checked_sub(self, other: Self) -> Result<Self, MoneyError> {
        self.0
            .checked_sub(other.0)
            .map(Self)
            .ok_or(MoneyError::Overflow { op: "subtract" })
    }

    /// `self × factor` (exact), e.g. last year's input × (1 + 20 %).
    ///
    /// # Errors
    /// [`MoneyError::Overflow`].
    pub fn checked_mul(self, factor: Decimal) -> Result<Self, MoneyError> {
        self.0
            .checked_mul(factor)
            .map(Self)
            .ok_or(MoneyError::Overflow { op: "multiply" })
    }

    /// `self × ratio` (exact): the share `ratio` of this amount.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`].
    pub fn checked_mul_ratio(self, ratio: Ratio) -> Result<Self, MoneyError> {
        self.checked_mul(ratio.0)
    }

    /// The sum of amounts, or an error on overflow.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`].
    pub fn try_sum<I: IntoIterator<Item = Self>>(amounts: I) -> Result<Self, MoneyError> {
        amounts.into_iter().try_fold(Self::ZERO, Self::checked_add)
    }

    /// `max(self − other, 0)`: what is still missing to reach `other`… from the other side:
    /// how far `self` exceeds `other`, never negative.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`].
    pub fn saturating_excess_over(self, other: Self) -> Result<Self, MoneyError> {
        Ok(self.checked_sub(other)?.max(Self::ZERO))
    }

    /// `self / base` as a ratio, or `None` when `base` is zero. The quotient is exact to 28
    /// significant digits (see the module docs).
    #[must_use]
    pub fn ratio_to(self, base: Self) -> Option<Ratio> {
        self.0.checked_div(base.0).map(Ratio)
    }

    /// The amount shown exactly — never rounded — for error messages: `2,500 万元`, `-1 元`,
    /// `1,234.5678 元`.
    ///
    /// # Example
    /// ```
    /// use fupin::money::Amount;
    /// assert_eq!(Amount::wan(2_500).exact().to_string(), "2,500 万元");
    /// assert_eq!(Amount::yuan(-1).exact().to_string(), "-1 元"); // not "-0 万元"
    /// assert_eq!("1234.5678".parse::<Amount>().unwrap().exact().to_string(), "1,234.5678 元");
    /// ```
    #[must_use]
    pub const fn exact(self) -> ExactAmount {
        ExactAmount(self)
    }

    /// A value to display in a unit (see the module docs for the rounding rule).
    #[must_use]
    pub const fn display(self, unit: Unit) -> AmountDisplay {
        AmountDisplay {
            amount: self,
            unit,
            lang: Lang::Zh,
        }
    }

    /// A value to display in a unit with the unit's label in a language.
    #[must_use]
    pub const fn display_in(self, unit: Unit, lang: Lang) -> AmountDisplay {
        AmountDisplay {
            amount: self,
            unit,
            lang,
        }
    }
}

/// An amount shown exactly, for messages: in 万元 when that needs at most two decimal places,
/// else in 元 with every decimal (see [`Amount::exact`]).
#[derive(Debug, Clone, Copy)]
pub struct ExactAmount(Amount);

impl ExactAmount {
    fn new_wan(wan: Decimal) -> Option<Amount> {
        Amount::from_units(wan, Unit::Wan).ok()
    }
}

impl fmt::Display for ExactAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let wan = self.0.in_units(Unit::Wan).normalize();
        // In 万元 only when that is exact: below 10⁻²⁴ 元 the division by 10,000 loses digits
        // (2 × 10⁻²⁵ 元 would show as "0 万元").
        let exact_in_wan = wan.scale() <= 2 && Self::new_wan(wan) == Some(self.0);
        if exact_in_wan {
            write!(f, "{} 万元", group_thousands(&wan.to_string()))
        } else {
            let yuan = self.0.as_yuan().normalize();
            write!(f, "{} 元", group_thousands(&yuan.to_string()))
        }
    }
}

/// `growth(last, this)` = this / last − 1, or `None` when last year is zero.
///
/// # Example
/// ```
/// use fupin::money::{growth, Amount};
/// let g = growth("6.15亿元".parse().unwrap(), "7.5亿元".parse().unwrap()).unwrap();
/// assert_eq!(g.to_string(), "21.95%");
/// ```
#[must_use]
pub fn growth(last: Amount, this: Amount) -> Option<Ratio> {
    let r = this.ratio_to(last)?;
    r.0.checked_sub(Decimal::ONE).map(Ratio)
}

/// An amount formatted in a unit, with thousands separators; see the module docs for rounding.
#[derive(Debug, Clone, Copy)]
pub struct AmountDisplay {
    amount: Amount,
    unit: Unit,
    lang: Lang,
}

impl fmt::Display for AmountDisplay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self
            .amount
            .in_units(self.unit)
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        write!(
            f,
            "{} {}",
            group_thousands(&v.normalize().to_string()),
            self.unit.label(self.lang)
        )
    }
}

impl fmt::Display for Amount {
    /// Displays in 万元, the plan's unit: `25,500 万元`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.display(Unit::Wan).fmt(f)
    }
}

/// Insert `,` every three digits of the integer part of a plain decimal string.
fn group_thousands(s: &str) -> String {
    let (sign, digits) = s.strip_prefix('-').map_or(("", s), |rest| ("-", rest));
    let (int, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// Why text is not a decimal number.
enum NumberProblem {
    /// Not a number at all.
    Bad,
    /// A well-formed number beyond what an exact decimal holds.
    Digits,
    /// A comma that does not separate thousands (`7,5`, `1,00`).
    Comma,
}

/// Whether the integer part of a number (no sign) is grouped by thousands: `1,000`, `25,500`.
fn grouped_by_thousands(int: &str) -> bool {
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or_default();
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    !first.is_empty()
        && first.len() <= 3
        && digits(first)
        && !first.starts_with('0')
        && groups.all(|g| g.len() == 3 && digits(g))
}

/// A decimal number: digits with an optional `-`, `.` and exponent (`1e4`); commas only as
/// thousands separators of the integer part (`1,000,000.5`), never as a decimal comma (`7,5`).
fn parse_decimal(s: &str) -> Result<Decimal, NumberProblem> {
    let s = s.trim();
    if s.is_empty() || s.starts_with('+') || s.contains('_') {
        return Err(NumberProblem::Bad);
    }
    let owned;
    let s = if s.contains(',') {
        let unsigned = s.strip_prefix('-').unwrap_or(s);
        let int = unsigned.split_once('.').map_or(unsigned, |(int, _)| int);
        let frac_has_comma = unsigned
            .split_once('.')
            .is_some_and(|(_, f)| f.contains(','));
        if frac_has_comma || s.contains(['e', 'E']) || !grouped_by_thousands(int) {
            return Err(NumberProblem::Comma);
        }
        owned = s.replace(',', "");
        owned.as_str()
    } else {
        s
    };
    // Scientific notation is accepted ("1e4"), as `Decimal::from_scientific` reads it exactly.
    let read = if s.contains(['e', 'E']) {
        Decimal::from_scientific(s)
    } else {
        Decimal::from_str_exact(s)
    };
    read.map_err(|_| {
        if well_formed(s) {
            NumberProblem::Digits
        } else {
            NumberProblem::Bad
        }
    })
}

/// Whether a well-formed number is too large (rather than too precise): a positive exponent,
/// or more than 16 digits before the point.
fn large(number: &str) -> bool {
    let t = number.trim().trim_start_matches('-');
    match t.split_once(['e', 'E']) {
        Some((_, e)) => !e.starts_with('-'),
        None => {
            t.split('.')
                .next()
                .unwrap_or(t)
                .trim_start_matches('0')
                .len()
                > 16
        }
    }
}

/// Whether text is a well-formed decimal number (`-12.5`, `1e30`), whatever its size.
fn well_formed(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (mantissa, exponent) = s
        .split_once(['e', 'E'])
        .map_or((s, None), |(m, e)| (m, Some(e)));
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((i, f)) => {
            (digits(i) || i.is_empty())
                && (digits(f) || f.is_empty())
                && !(i.is_empty() && f.is_empty())
        }
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

impl NumberProblem {
    /// The error for `input`, with `bad` for text that is no number at all.
    fn error(self, input: &str, bad: impl FnOnce() -> MoneyError) -> MoneyError {
        match self {
            Self::Bad => bad(),
            Self::Digits => MoneyError::Digits {
                input: input.to_owned(),
            },
            Self::Comma => MoneyError::Comma {
                input: input.to_owned(),
            },
        }
    }
}

impl FromStr for Amount {
    type Err = MoneyError;

    /// Reads `"2500万元"`, `"2,500 万元"`, `"7.5亿元"`, `"1000元"`, `"1000 yuan"`, `"1000"` (yuan),
    /// `"2500 wan"`, `"7.5 yi"`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || MoneyError::InvalidAmount {
            input: s.to_owned(),
        };
        let t = s.trim();
        let (number, unit) = [
            ("万元", Unit::Wan),
            ("亿元", Unit::Yi),
            ("万", Unit::Wan),
            ("亿", Unit::Yi),
            ("元", Unit::Yuan),
            ("wan", Unit::Wan),
            ("yi", Unit::Yi),
            ("yuan", Unit::Yuan),
        ]
        .iter()
        .find_map(|(suffix, unit)| t.strip_suffix(suffix).map(|n| (n, *unit)))
        .unwrap_or((t, Unit::Yuan));
        let value = parse_decimal(number).map_err(|p| match p {
            NumberProblem::Digits if large(number) => MoneyError::TooLarge {
                input: s.to_owned(),
            },
            p => p.error(s, bad),
        })?;
        Self::from_units(value, unit)
            .map_err(|_| MoneyError::TooLarge {
                input: s.to_owned(),
            })?
            .within_input_range(|| s.to_owned())
    }
}

/// An exact ratio, held as a fraction (20 % is `0.2`).
///
/// # Example
/// ```
/// use fupin::money::Ratio;
/// let r: Ratio = "35%".parse().unwrap();
/// assert_eq!(r, Ratio::percent(35));
/// assert_eq!(r.to_string(), "35.00%");
/// assert_eq!(r.as_fraction().to_string(), "0.35");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ratio(Decimal);

impl Ratio {
    /// 0 %.
    pub const ZERO: Self = Self(Decimal::ZERO);
    /// 100 %.
    pub const ONE: Self = Self(Decimal::ONE);

    /// A whole number of percent: `Ratio::percent(20)` is 20 %.
    #[must_use]
    pub fn percent(percent: i64) -> Self {
        Self(Decimal::new(percent, 2))
    }

    /// A ratio from its fraction (`0.2` for 20 %).
    #[must_use]
    pub const fn from_fraction(fraction: Decimal) -> Self {
        Self(fraction)
    }

    /// A ratio from a decimal number of percent (`22.5` for 22.5 %).
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] for values beyond the decimal range.
    pub fn from_percent(percent: Decimal) -> Result<Self, MoneyError> {
        percent
            .checked_div(HUNDRED)
            .map(Self)
            .ok_or(MoneyError::Overflow { op: "percent" })
    }

    /// The fraction (`0.2` for 20 %).
    #[must_use]
    pub const fn as_fraction(self) -> Decimal {
        self.0
    }

    /// The value in percent (`20` for 20 %), exact.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] for ratios beyond ±7.9 × 10²⁶.
    pub fn as_percent(self) -> Result<Decimal, MoneyError> {
        self.0
            .checked_mul(HUNDRED)
            .ok_or(MoneyError::Overflow { op: "percent" })
    }

    /// `self − other` in percentage points (35 % − 30 % = +5 pp).
    ///
    /// # Errors
    /// [`MoneyError::Overflow`] for ratios beyond ±7.9 × 10²⁶.
    pub fn points_over(self, other: Self) -> Result<PercentagePoints, MoneyError> {
        self.0
            .checked_sub(other.0)
            .and_then(|d| d.checked_mul(HUNDRED))
            .map(PercentagePoints)
            .ok_or(MoneyError::Overflow {
                op: "percentage points",
            })
    }

    /// Whether the ratio is negative.
    #[must_use]
    pub const fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// The ratio in percent with every digit — never rounded — for error messages.
    ///
    /// # Example
    /// ```
    /// use fupin::money::Ratio;
    /// assert_eq!("5".parse::<Ratio>().unwrap().exact(), "500%");
    /// assert_eq!("0.123456".parse::<Ratio>().unwrap().exact(), "12.3456%");
    /// ```
    #[must_use]
    pub fn exact(self) -> String {
        match self.0.checked_mul(HUNDRED) {
            Some(p) => format!("{}%", p.normalize()),
            None => format!("{}×100%", self.0.normalize()),
        }
    }
}

impl fmt::Display for Ratio {
    /// Percent to 2 places, half away from zero: `247.77%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.checked_mul(HUNDRED) {
            Some(p) => {
                let p = p.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
                write!(f, "{p:.2}%")
            }
            // Beyond ±7.9 × 10²⁶: show the fraction rather than fail.
            None => write!(f, "{}×100%", self.0),
        }
    }
}

impl FromStr for Ratio {
    type Err = MoneyError;

    /// Reads `"20%"`, `"22.5 %"` or the fraction `"0.2"`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || MoneyError::InvalidRatio {
            input: s.to_owned(),
        };
        let t = s.trim();
        if let Some(p) = t.strip_suffix('%') {
            Self::from_percent(parse_decimal(p).map_err(|p| p.error(s, bad))?)
        } else {
            Ok(Self(parse_decimal(t).map_err(|p| p.error(s, bad))?))
        }
    }
}

/// A difference of two ratios in percentage points (百分点): 35 % − 30 % = 5 pp.
///
/// # Example
/// ```
/// use fupin::money::Ratio;
/// let margin = Ratio::percent(35).points_over(Ratio::percent(30)).unwrap();
/// assert_eq!(margin.to_string(), "+5.00 pp");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PercentagePoints(Decimal);

impl PercentagePoints {
    /// A number of percentage points.
    #[must_use]
    pub const fn new(points: Decimal) -> Self {
        Self(points)
    }

    /// The number of points.
    #[must_use]
    pub const fn value(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for PercentagePoints {
    /// Signed, 2 places, half away from zero: `+5.00 pp`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self
            .0
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        let sign = if p.is_sign_negative() && !p.is_zero() {
            ""
        } else {
            "+"
        };
        write!(f, "{sign}{p:.2} pp")
    }
}

/// Serialise a decimal as a string under [`DECIMAL_MARKER`].
pub(crate) fn serialize_decimal<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_newtype_struct(DECIMAL_MARKER, &d.to_string())
}

/// Reads a decimal-like value from a string or an integer; refuses floats.
pub(crate) struct TextOrInt<T> {
    parse: fn(&str) -> Result<T, MoneyError>,
    from_int: fn(i128) -> Result<T, MoneyError>,
    expecting: &'static str,
}

impl<'de, T> serde::de::Visitor<'de> for TextOrInt<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        (self.parse)(v).map_err(E::custom)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
        self.visit_i128(i128::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
        self.visit_i128(i128::from(v))
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<T, E> {
        (self.from_int)(v).map_err(E::custom)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<T, E> {
        Err(E::custom(MoneyError::Float {
            value: v.to_string(),
        }))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
}

/// Deserialise a bare decimal from a string or an integer; refuses floats.
pub(crate) fn deserialize_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(TextOrInt {
        parse: parse_number,
        from_int: decimal_or_overflow,
        expecting: "a decimal number as a string such as \"0.5\", or an integer",
    })
}

/// Read a plain decimal number from text (`"1,000.5"`, `"1e3"`). A comma is read only as a
/// thousands separator: `"7,5"` is refused, never read as 75 or 7.5.
///
/// # Example
/// ```
/// use fupin::money::{parse_number, MoneyError};
/// assert_eq!(parse_number("1,000,000.5").unwrap().to_string(), "1000000.5");
/// assert!(matches!(parse_number("7,5"), Err(MoneyError::Comma { .. })));
/// assert!(parse_number("1_000").is_err());
/// ```
///
/// # Errors
/// [`MoneyError::InvalidNumber`]; [`MoneyError::Comma`] for a comma that does not separate
/// thousands.
pub fn parse_number(s: &str) -> Result<Decimal, MoneyError> {
    parse_decimal(s).map_err(|p| {
        p.error(s, || MoneyError::InvalidNumber {
            input: s.to_owned(),
        })
    })
}

fn decimal_from_int(v: i128) -> Option<Decimal> {
    Decimal::try_from_i128_with_scale(v, 0).ok()
}

fn decimal_or_overflow(v: i128) -> Result<Decimal, MoneyError> {
    decimal_from_int(v).ok_or(MoneyError::Overflow {
        op: "integer conversion",
    })
}

macro_rules! decimal_serde {
    ($ty:ident, $parse:expr, $from_int:expr, $expecting:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serialize_decimal(&self.0, s)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(TextOrInt {
                    parse: $parse,
                    from_int: $from_int,
                    expecting: $expecting,
                })
            }
        }
    };
}

decimal_serde!(
    Amount,
    |s| s.parse(),
    |v| decimal_or_overflow(v)
        .map(Amount)
        .map_err(|_| MoneyError::TooLarge {
            input: v.to_string()
        })
        .and_then(|a| a.within_input_range(|| v.to_string())),
    "an amount as a string such as \"2500万元\" or \"25000000\", or an integer number of yuan"
);
decimal_serde!(
    Ratio,
    |s| s.parse(),
    |v| decimal_or_overflow(v).map(Ratio),
    "a ratio as a string such as \"20%\" or \"0.2\""
);
decimal_serde!(
    PercentagePoints,
    |s| parse_decimal(s)
        .map(PercentagePoints)
        .map_err(|p| p.error(s, || MoneyError::InvalidRatio {
            input: s.to_owned()
        })),
    |v| decimal_or_overflow(v).map(PercentagePoints),
    "a number of percentage points as a string such as \"5\""
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plan_figures_are_exact() {
        // M1: 5,000 + 9,000 + 11,500 = 25,500 万元, up 18,167.5 on 7,332.5.
        let total =
            Amount::try_sum([Amount::wan(5_000), Amount::wan(9_000), Amount::wan(11_500)]).unwrap();
        assert_eq!(total, Amount::wan(25_500));
        let last: Amount = "7332.5万元".parse().unwrap();
        assert_eq!(
            total.checked_sub(last).unwrap().to_string(),
            "18,167.5 万元"
        );
        assert_eq!(growth(last, total).unwrap().to_string(), "247.77%");
        // M2: 7.5 亿 vs 6.15 亿 → +1.35 亿, 21.95 %.
        let up: Amount = "7.5亿元".parse().unwrap();
        assert_eq!(up, Amount::wan(75_000));
        assert_eq!(
            up.checked_sub("6.15亿".parse().unwrap())
                .unwrap()
                .display(Unit::Yi)
                .to_string(),
            "1.35 亿元"
        );
    }

    #[test]
    fn parsing_accepts_units_and_refuses_junk() {
        assert_eq!("2,500 万元".parse::<Amount>().unwrap(), Amount::wan(2_500));
        assert_eq!("1000 yuan".parse::<Amount>().unwrap(), Amount::yuan(1_000));
        assert_eq!("-3".parse::<Amount>().unwrap(), Amount::yuan(-3));
        assert!(matches!(
            "abc".parse::<Amount>(),
            Err(MoneyError::InvalidAmount { .. })
        ));
        assert!(matches!(
            "12 dollars".parse::<Amount>(),
            Err(MoneyError::InvalidAmount { .. })
        ));
        assert!("".parse::<Amount>().is_err());
        assert_eq!("20%".parse::<Ratio>().unwrap(), Ratio::percent(20));
        assert_eq!("0.2".parse::<Ratio>().unwrap(), Ratio::percent(20));
        assert!("abc".parse::<Ratio>().is_err());
    }

    #[test]
    fn a_comma_is_read_only_as_a_thousands_separator() {
        // Issue #10.3: "7,5" was read as 75, "2,5万元" as 25 万元, "3,5亿元" as 35 亿元.
        for bad in [
            "7,5",
            "1,00",
            "1,0000",
            ",100",
            "100,",
            "1,,000",
            "0,500",
            "1.000,5",
            "1,000.5,0",
            "1,000e3",
            "1_000",
        ] {
            assert!(parse_number(bad).is_err(), "{bad}");
        }
        assert!(matches!(parse_number("7,5"), Err(MoneyError::Comma { .. })));
        for (bad, as_amount) in [("2,5万元", true), ("3,5亿元", true), ("7,5%", false)] {
            let e = if as_amount {
                bad.parse::<Amount>().unwrap_err()
            } else {
                bad.parse::<Ratio>().unwrap_err()
            };
            assert!(
                matches!(&e, MoneyError::Comma { input } if input == bad),
                "{e}"
            );
            assert!(e.to_string().contains("thousands"), "{e}");
        }
        assert_eq!(parse_number("1,000,000").unwrap(), Decimal::from(1_000_000));
        assert_eq!(
            parse_number("-1,000.25").unwrap(),
            Decimal::new(-100_025, 2)
        );
        assert_eq!("25,500万元".parse::<Amount>().unwrap(), Amount::wan(25_500));
        assert_eq!(
            "7,332.5 万元".parse::<Amount>().unwrap(),
            "7332.5万元".parse().unwrap()
        );
    }

    #[test]
    fn amounts_beyond_the_input_range_are_refused() {
        assert_eq!(Amount::MAX_INPUT.as_yuan(), Decimal::from(10_i64.pow(16)));
        assert_eq!("100000000亿".parse::<Amount>().unwrap(), Amount::MAX_INPUT);
        for bad in [
            "100000001亿",
            "10000000000000001",
            "-1e17",
            "99999999999999999999999999亿",
        ] {
            assert!(
                matches!(bad.parse::<Amount>(), Err(MoneyError::TooLarge { .. })),
                "{bad}"
            );
        }
        let e = serde_json::from_str::<Amount>("100000000000000000").unwrap_err();
        assert!(e.to_string().contains("beyond ±10¹⁶ yuan"), "{e}");
    }

    #[test]
    fn numbers_beyond_a_decimal_say_so() {
        assert!(matches!(
            "1e30".parse::<Amount>(),
            Err(MoneyError::TooLarge { .. })
        ));
        assert!(matches!(
            "99999999999999999999999999999".parse::<Amount>(),
            Err(MoneyError::TooLarge { .. })
        ));
        let e = "0.12345678901234567890123456789012"
            .parse::<Amount>()
            .unwrap_err();
        assert!(matches!(e, MoneyError::Digits { .. }), "{e}");
        let e = parse_number("1e99999").unwrap_err();
        assert!(
            e.to_string()
                .contains("more digits than an exact decimal holds"),
            "{e}"
        );
        assert!(matches!(
            parse_number("1e"),
            Err(MoneyError::InvalidNumber { .. })
        ));
        assert!(matches!(
            parse_number("."),
            Err(MoneyError::InvalidNumber { .. })
        ));
        assert!(matches!(
            parse_number("--1"),
            Err(MoneyError::InvalidNumber { .. })
        ));
    }

    #[test]
    fn exact_displays_never_round() {
        assert_eq!(Amount::yuan(-1).exact().to_string(), "-1 元");
        assert_eq!(Amount::yuan(50).exact().to_string(), "50 元");
        assert_eq!(Amount::yuan(100).exact().to_string(), "0.01 万元");
        assert_eq!(Amount::wan(7_332).exact().to_string(), "7,332 万元");
        assert_eq!(Ratio::from_fraction(Decimal::new(5, 0)).exact(), "500%");
        assert_eq!(
            Ratio::from_fraction(Decimal::new(1, 9)).exact(),
            "0.0000001%"
        );
    }

    /// Found by the fuzz target `amount` (fuzz/regressions/amount/exact-tiny-yuan): 2 × 10⁻²⁵
    /// 元 in 万元 is beyond 28 decimal places and was shown as "0 万元".
    #[test]
    fn exact_display_of_a_tiny_amount_is_not_zero() {
        let a: Amount = "2e-25".parse().unwrap();
        assert_eq!(a.exact().to_string(), "0.0000000000000000000000002 元");
        assert_eq!(a.exact().to_string().parse::<Amount>().unwrap(), a);
    }

    #[test]
    fn display_rounds_half_away_from_zero() {
        assert_eq!(Amount::yuan(5).display(Unit::Wan).to_string(), "0 万元"); // 0.0005 → 0.00
        assert_eq!(Amount::yuan(50).display(Unit::Wan).to_string(), "0.01 万元"); // 0.005 → 0.01
        assert_eq!(
            Amount::yuan(-50).display(Unit::Wan).to_string(),
            "-0.01 万元"
        );
        assert_eq!(Amount::wan(1_234_567).to_string(), "1,234,567 万元");
        assert_eq!(
            Ratio::from_fraction(Decimal::new(12345, 6)).to_string(),
            "1.23%"
        );
        assert_eq!(
            Ratio::from_fraction(Decimal::new(12355, 6)).to_string(),
            "1.24%"
        );
        assert_eq!(
            PercentagePoints::new(Decimal::new(-25, 1)).to_string(),
            "-2.50 pp"
        );
    }

    #[test]
    fn json_uses_strings_and_refuses_floats() {
        let a = Amount::wan(7);
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"70000\"");
        assert_eq!(serde_json::from_str::<Amount>("\"7万元\"").unwrap(), a);
        assert_eq!(serde_json::from_str::<Amount>("70000").unwrap(), a);
        let err = serde_json::from_str::<Amount>("0.1")
            .unwrap_err()
            .to_string();
        assert!(err.contains("binary float"), "{err}");
        assert_eq!(
            serde_json::to_string(&Ratio::percent(35)).unwrap(),
            "\"0.35\""
        );
    }

    #[test]
    fn growth_of_zero_base_is_none() {
        assert_eq!(growth(Amount::ZERO, Amount::wan(1)), None);
        assert_eq!(Amount::wan(1).ratio_to(Amount::ZERO), None);
    }

    /// Any amount with up to 4 decimal places of yuan, within ±10¹⁵ yuan.
    pub(crate) fn any_amount() -> impl Strategy<Value = Amount> {
        (
            -10_000_000_000_000_000_i64..=10_000_000_000_000_000,
            0u32..=4,
        )
            .prop_map(|(m, s)| Amount::from_yuan(Decimal::new(m, s)))
    }

    fn any_ratio() -> impl Strategy<Value = Ratio> {
        (-1_000_000_i64..10_000_000, 0u32..=6)
            .prop_map(|(m, s)| Ratio::from_fraction(Decimal::new(m, s)))
    }

    proptest! {
        #[test]
        fn amounts_never_lose_precision_through_wan_and_yi(a in any_amount()) {
            for unit in [Unit::Yuan, Unit::Wan, Unit::Yi] {
                let back = Amount::from_units(a.in_units(unit), unit).unwrap();
                prop_assert_eq!(back, a);
                let text = format!("{}{}", a.in_units(unit), unit.label(Lang::Zh));
                prop_assert_eq!(text.parse::<Amount>().unwrap(), a);
            }
        }

        #[test]
        fn amount_serde_round_trips(a in any_amount()) {
            let json = serde_json::to_string(&a).unwrap();
            prop_assert_eq!(serde_json::from_str::<Amount>(&json).unwrap(), a);
        }

        #[test]
        fn ratio_serde_round_trips(r in any_ratio()) {
            let json = serde_json::to_string(&r).unwrap();
            prop_assert_eq!(serde_json::from_str::<Ratio>(&json).unwrap(), r);
            let pp = r.points_over(Ratio::percent(30)).unwrap();
            prop_assert_eq!(serde_json::from_str::<PercentagePoints>(&serde_json::to_string(&pp).unwrap()).unwrap(), pp);
        }

        #[test]
        fn add_then_sub_conserves(a in any_amount(), b in any_amount()) {
            prop_assert_eq!(a.checked_add(b).unwrap().checked_sub(b).unwrap(), a);
        }
    }
}
