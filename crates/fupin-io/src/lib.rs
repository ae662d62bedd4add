//! # fupin-io — from bytes to the text the rules read
//!
//! The rules (`fupin`) take text and never touch a file. This crate does the part before:
//! read a file or standard input under a size cap, turn its bytes into text, and tell which
//! format the text is in. The command line uses it for every input, and so can a service or
//! an Excel reader that holds the bytes already.
//!
//! - [`Source`]: a file, or standard input (`-`), read through [`read_bytes`] no further than
//!   [`Limits::max_bytes`] — so `/dev/zero` ends with [`IoError::TooLarge`] instead of filling
//!   memory. The cap defaults to [`Limits::DEFAULT_MAX_BYTES`] (256 MiB) and is overridden by
//!   the environment variable [`MAX_BYTES_ENV`] (`FUPIN_MAX_INPUT_BYTES`) or a caller's option.
//! - [`decode`]: UTF-8 (a byte-order mark is dropped), UTF-16 with a byte-order mark, and —
//!   where the caller allows it, as the CLI does for CSV — GBK/GB18030, the encoding of
//!   Excel's "CSV (逗号分隔)" on Chinese Windows; the [`Text`] then carries a note saying so.
//!   Anything else is refused with a how-to ([`IoError::NotUtf8`]), never read as garbage.
//! - [`detect_format`]: JSON, JSON Lines, TOML or CSV chosen by the content (a JSON file named
//!   `.txt` is read as JSON), with the file's extension only to settle a first line that could
//!   be either, and an explicit choice always winning.
//!
//! # Example
//! ```
//! use fupin_io::{decode, detect_format, DecodeOptions, Encoding, Format};
//!
//! // "月份,县(市)区,下达,支出" as Excel writes it on Chinese Windows (GBK).
//! let (gbk, _, _) = encoding_rs::GBK.encode("月份,县(市)区,下达,支出\n");
//! let text = decode("ledger.csv", gbk.to_vec(), DecodeOptions { gbk: true })?;
//! assert_eq!(text.encoding, Encoding::Gb18030);
//! assert!(text.text.starts_with("月份"));
//! assert!(text.note().unwrap().contains("GB18030"));
//! assert_eq!(detect_format(&text.text, &[Format::Csv, Format::Json], Some("csv")), Format::Csv);
//!
//! // The same bytes where only UTF-8 is allowed: refused, saying how to convert.
//! let err = decode("policy.toml", gbk.to_vec(), DecodeOptions { gbk: false }).unwrap_err();
//! assert!(err.to_string().contains("UTF-8"));
//! # Ok::<(), fupin_io::IoError>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod decode;
mod format;
mod read;

pub use decode::{DecodeOptions, Encoding, Text, decode};
pub use format::{Format, detect_bytes, detect_format, is_workbook};
pub use read::{Limits, MAX_BYTES_ENV, Source, parse_size, read_bytes};

/// Read a source under the cap and decode it: [`read_bytes`] then [`decode`].
///
/// # Errors
/// As [`read_bytes`] and [`decode`].
pub fn read_text(source: &Source, limits: Limits, options: DecodeOptions) -> Result<Text, IoError> {
    let bytes = read_bytes(source, limits)?;
    decode(&source.to_string(), bytes, options)
}

/// Why an input could not be read as text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IoError {
    /// The file (or standard input) cannot be read.
    #[error("{name}: cannot read: {error}")]
    Read {
        /// The file's name as given, or `<stdin>`.
        name: String,
        /// What the system said.
        error: std::io::Error,
    },
    /// The input is larger than the cap.
    #[error(
        "{name}: the input is larger than the size cap of {}; if it really is this large, raise the cap (--max-input-size, or the environment variable FUPIN_MAX_INPUT_BYTES)",
        human_size(*limit)
    )]
    TooLarge {
        /// The file's name as given, or `<stdin>`.
        name: String,
        /// The cap, in bytes.
        limit: u64,
    },
    /// The bytes are not UTF-8 (nor an encoding the caller allowed).
    #[error("{name}: {}", not_utf8_message(*offset, *looks_gbk, *gbk_allowed))]
    NotUtf8 {
        /// The file's name as given, or `<stdin>`.
        name: String,
        /// The offset of the first byte that is not UTF-8.
        offset: usize,
        /// Whether the bytes read as GBK/GB18030 Chinese text.
        looks_gbk: bool,
        /// Whether GBK was allowed for this input (then the bytes are not GBK text either).
        gbk_allowed: bool,
    },
    /// A size given for the cap cannot be read.
    #[error(
        "{what}: `{value}` is not a size: write bytes (1000000) or with a unit (64K, 100M, 2G)"
    )]
    BadSize {
        /// Where the size came from (`--max-input-size`, `FUPIN_MAX_INPUT_BYTES`).
        what: String,
        /// The text as given.
        value: String,
    },
}

fn not_utf8_message(offset: usize, looks_gbk: bool, gbk_allowed: bool) -> String {
    let convert = "or convert it: `iconv -f GB18030 -t UTF-8 FILE > NEW`";
    if looks_gbk && !gbk_allowed {
        format!(
            "the text is not UTF-8 (byte {offset}) but looks like GBK/GB18030, the \"ANSI\" encoding of Chinese Windows; this kind of file must be UTF-8: save it as UTF-8 (Notepad: 另存为 → 编码 UTF-8) {convert}"
        )
    } else if gbk_allowed {
        format!(
            "the bytes are neither UTF-8 (byte {offset}) nor GBK/GB18030 text; is this the right file? If it is a spreadsheet, save it from Excel as \"CSV UTF-8 (逗号分隔)\" {convert}"
        )
    } else {
        format!(
            "the text is not UTF-8 (byte {offset}); is this the right file? If it is text, save it as UTF-8 {convert}"
        )
    }
}

/// A byte count for people: `256 MiB (268,435,456 bytes)`.
fn human_size(bytes: u64) -> String {
    let grouped = {
        let digits = bytes.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    let unit = [(30, "GiB"), (20, "MiB"), (10, "KiB")]
        .into_iter()
        .find(|(shift, _)| bytes >= 1 << shift && bytes.is_multiple_of(1 << shift));
    match unit {
        Some((shift, name)) => format!("{} {name} ({grouped} bytes)", bytes >> shift),
        None => format!("{grouped} bytes"),
    }
}

impl IoError {
    /// The error as a problem of the library's shape: code `too_large`, `encoding` or
    /// `invalid`, path `(file)`.
    #[must_use]
    pub fn to_field_error(&self) -> fupin::FieldError {
        use fupin::ErrorCode;
        let (code, value) = match self {
            Self::TooLarge { limit, .. } => (ErrorCode::TOO_LARGE, Some(limit.to_string())),
            Self::NotUtf8 { offset, .. } => (ErrorCode::ENCODING, Some(offset.to_string())),
            Self::BadSize { value, .. } => (ErrorCode::INVALID, Some(value.clone())),
            Self::Read { .. } => (ErrorCode::INVALID, None),
        };
        fupin::FieldError::coded(code, "(file)", value, self.to_string())
    }
}
