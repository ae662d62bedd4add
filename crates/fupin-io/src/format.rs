//! Which format a text is in, by its content.

use std::fmt;
use std::str::FromStr;

/// A text format fupin reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// JSON.
    Json,
    /// JSON Lines: one JSON object per line (the approval log).
    Jsonl,
    /// TOML.
    Toml,
    /// Comma-separated values with a header row.
    Csv,
    /// A spreadsheet workbook — xlsx, xlsm, xlsb, xls or ods — told by its first bytes (see
    /// [`is_workbook`]) and read by `fupin-xlsx`, not as text.
    Workbook,
}

impl Format {
    /// The format's name as the command line writes it: `json`, `jsonl`, `toml`, `csv`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Jsonl => "jsonl",
            Self::Toml => "toml",
            Self::Csv => "csv",
            Self::Workbook => "xlsx",
        }
    }

    /// The format a file extension names, if any (`ndjson` is JSON Lines).
    #[must_use]
    pub fn from_extension(ext: &str) -> Option<Self> {
        ext.parse().ok()
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "json" => Ok(Self::Json),
            "jsonl" | "ndjson" => Ok(Self::Jsonl),
            "toml" => Ok(Self::Toml),
            "csv" => Ok(Self::Csv),
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" | "workbook" => Ok(Self::Workbook),
            _ => Err(format!(
                "`{s}` is not a format: json, jsonl, toml, csv or xlsx"
            )),
        }
    }
}

/// Whether a line is a TOML table header (`[meta]`, `[[points]]`, `[spending.schedule]`)
/// rather than the start of a JSON array (`[`, `[{`, `["a", 1]`).
fn toml_header(line: &str) -> bool {
    let line = line.split('#').next().unwrap_or(line).trim();
    let inner = line
        .strip_prefix("[[")
        .and_then(|l| l.strip_suffix("]]"))
        .or_else(|| line.strip_prefix('[').and_then(|l| l.strip_suffix(']')))
        .map(str::trim);
    inner.is_some_and(|k| {
        k.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && k.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '))
    })
}

/// Whether a first line reads as a TOML header and as a JSON array alike: `[true]`, `["a"]`.
fn ambiguous(line: &str) -> bool {
    let inner = line
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim();
    matches!(inner, "true" | "false" | "null") || inner.starts_with(['"', '\''])
}

/// The format of `text`, one of `allowed` (which must not be empty; the first is the fallback).
///
/// The content decides: a first line (after blank and `#` lines) that opens a JSON object or
/// array is JSON (JSON Lines if only that is allowed), a TOML table header or `key = value` is
/// TOML, anything else CSV. The file's `extension` only settles what the content leaves open
/// — a line such as `["a"]` is both a TOML header and a JSON array — so a JSON file named
/// `.txt` is read as JSON and gets JSON's errors.
///
/// # Example
/// ```
/// use fupin_io::{detect_format, Format};
/// let both = [Format::Toml, Format::Json];
/// assert_eq!(detect_format("{\"meta\": {}}", &both, Some("txt")), Format::Json);
/// assert_eq!(detect_format("# policy\n[meta]\nyear = 2020\n", &both, Some("json")), Format::Toml);
/// assert_eq!(detect_format("[\n  {\"unit\": \"x\"}\n]", &both, None), Format::Json);
/// assert_eq!(detect_format("month,county\n", &[Format::Csv, Format::Json], None), Format::Csv);
/// ```
#[must_use]
pub fn detect_format(text: &str, allowed: &[Format], extension: Option<&str>) -> Format {
    let fallback = allowed.first().copied().unwrap_or(Format::Json);
    if allowed.len() <= 1 {
        return fallback;
    }
    let allows = |f| allowed.contains(&f);
    let by_extension = extension
        .and_then(Format::from_extension)
        .filter(|f| allows(*f) && *f != Format::Workbook);
    let json = if allows(Format::Json) {
        Some(Format::Json)
    } else if allows(Format::Jsonl) {
        Some(Format::Jsonl)
    } else {
        None
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(first) = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
    else {
        return by_extension.unwrap_or(fallback);
    };
    let other = [Format::Toml, Format::Csv].into_iter().find(|f| allows(*f));
    if first.starts_with('{') {
        return json.unwrap_or(fallback);
    }
    if first.starts_with('[') {
        return match (json, other) {
            (Some(j), Some(Format::Toml)) => match by_extension {
                Some(f) if ambiguous(first) && (f == j || f == Format::Toml) => f,
                _ if toml_header(first) => Format::Toml,
                _ => j,
            },
            (Some(j), _) => j,
            (None, Some(o)) => o,
            (None, None) => fallback,
        };
    }
    other.or(by_extension).unwrap_or(fallback)
}

/// The first bytes of an OLE compound file (an `.xls` workbook).
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether bytes start like a workbook: a zip archive (xlsx, xlsm, xlsb, ods) or an OLE compound
/// file (xls). No text format fupin reads starts so.
///
/// # Example
/// ```
/// assert!(fupin_io::is_workbook(b"PK\x03\x04\x14\x00"));
/// assert!(!fupin_io::is_workbook(b"month,county\n"));
/// ```
#[must_use]
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&OLE_MAGIC)
}

/// The format of an input from its bytes: [`Format::Workbook`] when it is allowed and the bytes
/// start like one ([`is_workbook`]), otherwise [`detect_format`] on the start of the text.
///
/// # Example
/// ```
/// use fupin_io::{detect_bytes, Format};
/// let ledger = [Format::Csv, Format::Json, Format::Workbook];
/// assert_eq!(detect_bytes(b"PK\x03\x04rest", &ledger, Some("csv")), Format::Workbook);
/// assert_eq!(detect_bytes(b"month,county\n", &ledger, Some("xlsx")), Format::Csv);
/// ```
#[must_use]
pub fn detect_bytes(bytes: &[u8], allowed: &[Format], extension: Option<&str>) -> Format {
    if allowed.contains(&Format::Workbook) && is_workbook(bytes) {
        return Format::Workbook;
    }
    let text_formats: Vec<Format> = allowed
        .iter()
        .copied()
        .filter(|f| *f != Format::Workbook)
        .collect();
    let head = bytes.get(..bytes.len().min(64 * 1024)).unwrap_or_default();
    detect_format(&String::from_utf8_lossy(head), &text_formats, extension)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML_JSON: [Format; 2] = [Format::Toml, Format::Json];

    #[test]
    fn content_decides_and_the_extension_settles_ties() {
        for (text, ext, want) in [
            ("{}", Some("toml"), Format::Json),
            ("\u{feff}{}", None, Format::Json),
            ("[meta]\n", Some("json"), Format::Toml),
            ("[[points]]\nby = 2020-06-30\n", None, Format::Toml),
            ("[spending.schedule] # a comment\n", None, Format::Toml),
            ("name = \"x\"\n", Some("json"), Format::Toml),
            ("[1, 2]", None, Format::Json),
            ("[]", None, Format::Json),
            ("[{\"a\": 1}]", None, Format::Json),
            ("[\"a\"]", Some("json"), Format::Json),
            ("[\"a\"]", Some("toml"), Format::Toml),
            ("[a]", Some("json"), Format::Toml),
            ("[true]", Some("json"), Format::Json),
            ("[true]", None, Format::Toml),
            ("", Some("json"), Format::Json),
            ("", None, Format::Toml),
            ("\n# only a comment\n", None, Format::Toml),
        ] {
            assert_eq!(
                detect_format(text, &TOML_JSON, ext),
                want,
                "{text:?} {ext:?}"
            );
        }
        let csv_json = [Format::Csv, Format::Json];
        assert_eq!(detect_format("[{}]", &csv_json, Some("csv")), Format::Json);
        assert_eq!(
            detect_format("month,county\n", &csv_json, Some("json")),
            Format::Csv
        );
        assert_eq!(
            detect_format("{}", &[Format::Jsonl], Some("csv")),
            Format::Jsonl
        );
        assert_eq!(
            detect_format("{}\n{}\n", &[Format::Csv, Format::Jsonl], None),
            Format::Jsonl
        );
    }

    #[test]
    fn names_round_trip() {
        for f in [
            Format::Json,
            Format::Jsonl,
            Format::Toml,
            Format::Csv,
            Format::Workbook,
        ] {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert_eq!("NDJSON".parse::<Format>(), Ok(Format::Jsonl));
        assert!("xml".parse::<Format>().is_err());
    }
}
