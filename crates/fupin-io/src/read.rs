//! Reading a file or standard input, no further than a size cap.

use std::ffi::OsStr;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::IoError;

/// The environment variable that overrides the default size cap: bytes, or with a unit
/// (`64K`, `100M`, `2G`; powers of 1,024).
pub const MAX_BYTES_ENV: &str = "FUPIN_MAX_INPUT_BYTES";

/// How much input may be read.
///
/// # Example
/// ```
/// use fupin_io::Limits;
/// assert_eq!(Limits::default().max_bytes, 256 * 1024 * 1024);
/// assert_eq!(Limits::from_env_value(Some("100M")).unwrap().max_bytes, 100 * 1024 * 1024);
/// assert!(Limits::from_env_value(Some("lots")).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes one input may have.
    pub max_bytes: u64,
}

impl Limits {
    /// The default cap: 256 MiB, about six times a million-line ledger.
    pub const DEFAULT_MAX_BYTES: u64 = 256 * 1024 * 1024;

    /// The cap from the value of [`MAX_BYTES_ENV`] (`None`: unset, the default).
    ///
    /// # Errors
    /// [`IoError::BadSize`] for a value that is not a size.
    pub fn from_env_value(value: Option<&str>) -> Result<Self, IoError> {
        match value {
            None => Ok(Self::default()),
            Some(v) => Ok(Self {
                max_bytes: parse_size(v).ok_or_else(|| IoError::BadSize {
                    what: MAX_BYTES_ENV.to_owned(),
                    value: v.to_owned(),
                })?,
            }),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: Self::DEFAULT_MAX_BYTES,
        }
    }
}

/// A size: bytes (`1000000`) or with a unit `K`, `M`, `G` (powers of 1,024; `KB`, `MiB`, …
/// also read). `None` for anything else, or a size beyond `u64`.
///
/// # Example
/// ```
/// use fupin_io::parse_size;
/// assert_eq!(parse_size("64K"), Some(65_536));
/// assert_eq!(parse_size("1 GiB"), Some(1 << 30));
/// assert_eq!(parse_size("-1"), None);
/// ```
#[must_use]
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = t.split_at(digits);
    let n: u64 = number.parse().ok()?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => return None,
    };
    n.checked_mul(1_u64 << shift)
}

/// Where an input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input, named `-` on the command line.
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Source {
    /// `-` is standard input; anything else a file.
    #[must_use]
    pub fn from_arg(arg: &OsStr) -> Self {
        if arg == "-" {
            Self::Stdin
        } else {
            Self::File(PathBuf::from(arg))
        }
    }

    /// The file's path, if it is one.
    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        match self {
            Self::Stdin => None,
            Self::File(p) => Some(p),
        }
    }

    /// The file's extension in lower case (`"csv"`), if any.
    #[must_use]
    pub fn extension(&self) -> Option<String> {
        self.path()
            .and_then(Path::extension)
            .and_then(OsStr::to_str)
            .map(str::to_ascii_lowercase)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Stdin => f.write_str("<stdin>"),
            Self::File(p) => p.display().fmt(f),
        }
    }
}

/// Read every byte of a source, refusing more than `limits.max_bytes`. Reading stops one byte
/// past the cap, so an endless source (`/dev/zero`, a pipe that never closes after sending
/// too much) ends with an error instead of exhausting memory.
///
/// # Errors
/// [`IoError::Read`] when the file cannot be opened or read; [`IoError::TooLarge`].
pub fn read_bytes(source: &Source, limits: Limits) -> Result<Vec<u8>, IoError> {
    let name = source.to_string();
    let read_error = |error| IoError::Read {
        name: name.clone(),
        error,
    };
    let too_large = || IoError::TooLarge {
        name: name.clone(),
        limit: limits.max_bytes,
    };
    let mut buf = Vec::new();
    match source {
        Source::Stdin => {
            std::io::stdin()
                .lock()
                .take(limits.max_bytes.saturating_add(1))
                .read_to_end(&mut buf)
                .map_err(read_error)?;
        }
        Source::File(path) => {
            let file = std::fs::File::open(path).map_err(read_error)?;
            let meta = file.metadata().map_err(read_error)?;
            if meta.is_dir() {
                return Err(read_error(std::io::Error::other("it is a directory")));
            }
            if meta.len() > limits.max_bytes {
                return Err(too_large());
            }
            // The length of a regular file sizes the buffer; devices and pipes report 0.
            buf.reserve(usize::try_from(meta.len()).unwrap_or(0));
            file.take(limits.max_bytes.saturating_add(1))
                .read_to_end(&mut buf)
                .map_err(read_error)?;
        }
    }
    if u64::try_from(buf.len()).unwrap_or(u64::MAX) > limits.max_bytes {
        return Err(too_large());
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn an_endless_source_stops_at_the_cap() {
        let limits = Limits { max_bytes: 1_000 };
        let e = read_bytes(&Source::File("/dev/zero".into()), limits).unwrap_err();
        assert!(matches!(e, IoError::TooLarge { limit: 1_000, .. }), "{e}");
        assert!(e.to_string().contains("FUPIN_MAX_INPUT_BYTES"), "{e}");
    }

    #[test]
    fn a_file_at_the_cap_is_read_and_one_byte_more_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        std::fs::write(&path, vec![b'a'; 100]).unwrap();
        let source = Source::File(path);
        assert_eq!(
            read_bytes(&source, Limits { max_bytes: 100 })
                .unwrap()
                .len(),
            100
        );
        assert!(matches!(
            read_bytes(&source, Limits { max_bytes: 99 }),
            Err(IoError::TooLarge { .. })
        ));
    }

    #[test]
    fn missing_files_and_directories_are_named() {
        let e =
            read_bytes(&Source::File("/no/such/file.csv".into()), Limits::default()).unwrap_err();
        assert!(
            e.to_string().starts_with("/no/such/file.csv: cannot read"),
            "{e}"
        );
        let dir = tempfile::tempdir().unwrap();
        let e = read_bytes(&Source::File(dir.path().into()), Limits::default()).unwrap_err();
        assert!(e.to_string().contains("directory"), "{e}");
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("0"), Some(0));
        assert_eq!(parse_size("100M"), Some(100 << 20));
        assert_eq!(parse_size("100 mb"), Some(100 << 20));
        assert_eq!(parse_size("2G"), Some(2 << 30));
        for bad in [
            "",
            "M",
            "1.5M",
            "1T",
            "99999999999999999999",
            "20000000000G",
            "1 2",
        ] {
            assert_eq!(parse_size(bad), None, "{bad}");
        }
        assert_eq!(Source::from_arg(OsStr::new("-")), Source::Stdin);
        assert_eq!(Source::Stdin.to_string(), "<stdin>");
        assert_eq!(
            Source::from_arg(OsStr::new("a/B.CSV"))
                .extension()
                .as_deref(),
            Some("csv")
        );
    }
}
