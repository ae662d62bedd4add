//! Bytes to text: UTF-8, UTF-16 with a byte-order mark, and GBK/GB18030 where allowed.

use crate::IoError;

/// The encoding an input was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// UTF-16, little-endian, with a byte-order mark (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16, big-endian, with a byte-order mark.
    Utf16Be,
    /// GB18030, the superset of GBK: Excel's "CSV" and Notepad's "ANSI" on Chinese Windows.
    Gb18030,
}

impl Encoding {
    /// The encoding's usual name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf16Le => "UTF-16LE",
            Self::Utf16Be => "UTF-16BE",
            Self::Gb18030 => "GB18030 (GBK)",
        }
    }
}

/// What [`decode`] may accept besides UTF-8 and UTF-16 with a byte-order mark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Read text that is not UTF-8 as GBK/GB18030 when it is plausible Chinese text. The CLI
    /// allows it for CSV (Excel's default on Chinese Windows) and refuses it for JSON, JSON
    /// Lines and TOML, which programs and editors write as UTF-8.
    pub gbk: bool,
}

/// An input read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The input's name (a path as given, or `<stdin>`), for messages.
    pub name: String,
    /// The text, without a byte-order mark.
    pub text: String,
    /// The encoding it was read in.
    pub encoding: Encoding,
    /// Whether the bytes began with a byte-order mark.
    pub bom: bool,
}

impl Text {
    /// A note for the user when the input was not plain UTF-8 and was converted: where a
    /// misread would come from if the guess were wrong, say so.
    #[must_use]
    pub fn note(&self) -> Option<String> {
        match self.encoding {
            Encoding::Utf8 => None,
            Encoding::Gb18030 => Some(format!(
                "{}: not UTF-8; read as GB18030 (GBK), the encoding Excel uses for \"CSV (逗号分隔)\" on Chinese Windows. Check the names below; to be sure, save the file as \"CSV UTF-8 (逗号分隔)\"",
                self.name
            )),
            e => Some(format!("{}: read as {}", self.name, e.name())),
        }
    }
}

/// Whether decoded text is plausibly a Chinese text file: no control characters but tab and
/// line breaks, and at least one Chinese character or full-width sign.
fn plausible_chinese(text: &str) -> bool {
    let no_controls = text
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'));
    let chinese = text.chars().any(|c| {
        matches!(c,
            '\u{3000}'..='\u{303f}'   // CJK symbols and punctuation
            | '\u{3400}'..='\u{4dbf}' // extension A
            | '\u{4e00}'..='\u{9fff}' // unified ideographs
            | '\u{ff00}'..='\u{ffef}' // full-width forms
        )
    });
    no_controls && chinese
}

/// Read bytes as text. UTF-8 is taken as is (a leading byte-order mark is dropped, without
/// copying the text); UTF-16 needs its byte-order mark; GBK/GB18030 is read only when
/// `options.gbk` allows it and the result is plausible Chinese text.
///
/// # Errors
/// [`IoError::NotUtf8`], saying whether the bytes look like GBK and how to convert them.
pub fn decode(name: &str, bytes: Vec<u8>, options: DecodeOptions) -> Result<Text, IoError> {
    let text = |text: String, encoding, bom| Text {
        name: name.to_owned(),
        text,
        encoding,
        bom,
    };
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(&bytes)
        && (enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE)
    {
        let body = bytes.get(bom_len..).unwrap_or_default();
        let decoded = enc
            .decode_without_bom_handling_and_without_replacement(body)
            .ok_or_else(|| IoError::NotUtf8 {
                name: name.to_owned(),
                offset: 0,
                looks_gbk: false,
                gbk_allowed: options.gbk,
            })?;
        let encoding = if enc == encoding_rs::UTF_16LE {
            Encoding::Utf16Le
        } else {
            Encoding::Utf16Be
        };
        return Ok(text(decoded.into_owned(), encoding, true));
    }
    let mut bytes = bytes;
    let bom = bytes.starts_with(b"\xef\xbb\xbf");
    if bom {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(text(s, Encoding::Utf8, bom)),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to() + if bom { 3 } else { 0 };
            let bytes = e.into_bytes();
            let gbk = if bom {
                None
            } else {
                encoding_rs::GB18030
                    .decode_without_bom_handling_and_without_replacement(&bytes)
                    .filter(|t| plausible_chinese(t))
            };
            match gbk {
                Some(t) if options.gbk => Ok(text(t.into_owned(), Encoding::Gb18030, false)),
                _ => Err(IoError::NotUtf8 {
                    name: name.to_owned(),
                    offset,
                    looks_gbk: gbk.is_some(),
                    gbk_allowed: options.gbk,
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const LEDGER: &str = "月份,县(市)区,下达,支出\n2020-01,建平县,100万元,20万元\n";
    const GBK: DecodeOptions = DecodeOptions { gbk: true };

    fn gbk(s: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(s).0.into_owned()
    }

    #[test]
    fn utf8_is_taken_as_is_and_a_bom_is_dropped() {
        let t = decode("a", LEDGER.as_bytes().to_vec(), GBK).unwrap();
        assert_eq!(
            (t.text.as_str(), t.encoding, t.bom),
            (LEDGER, Encoding::Utf8, false)
        );
        assert_eq!(t.note(), None);
        let mut with_bom = b"\xef\xbb\xbf".to_vec();
        with_bom.extend_from_slice(LEDGER.as_bytes());
        let t = decode("a", with_bom, DecodeOptions::default()).unwrap();
        assert_eq!((t.text.as_str(), t.bom), (LEDGER, true));
    }

    #[test]
    fn gbk_is_read_where_allowed_and_said_so() {
        let t = decode("ledger.csv", gbk(LEDGER), GBK).unwrap();
        assert_eq!(t.text, LEDGER);
        assert_eq!(t.encoding, Encoding::Gb18030);
        assert!(
            t.note().unwrap().starts_with("ledger.csv: not UTF-8"),
            "{:?}",
            t.note()
        );
    }

    #[test]
    fn gbk_is_refused_with_a_how_to_where_utf8_is_required() {
        let e = decode(
            "policy.toml",
            gbk("name = \"朝阳\"\n"),
            DecodeOptions::default(),
        )
        .unwrap_err();
        let m = e.to_string();
        assert!(
            m.starts_with("policy.toml: the text is not UTF-8 (byte 8)"),
            "{m}"
        );
        assert!(m.contains("looks like GBK") && m.contains("iconv"), "{m}");
    }

    #[test]
    fn binary_and_latin1_are_not_read_as_gbk() {
        for bytes in [
            vec![0xff, 0xfe, 0xfd, 0x00, 0x01],
            b"caf\xe9,1\n".to_vec(),
            vec![0x80; 10],
            b"\x00\x01\x02\x81\x40".to_vec(), // decodes, but as control characters
        ] {
            let e = decode("x.csv", bytes.clone(), GBK).unwrap_err();
            assert!(
                matches!(
                    e,
                    IoError::NotUtf8 {
                        looks_gbk: false,
                        ..
                    }
                ),
                "{bytes:?}: {e}"
            );
        }
    }

    #[test]
    fn utf16_with_a_bom_is_read() {
        let mut le = vec![0xff, 0xfe];
        le.extend(LEDGER.encode_utf16().flat_map(u16::to_le_bytes));
        let t = decode("u.csv", le, DecodeOptions::default()).unwrap();
        assert_eq!((t.text.as_str(), t.encoding), (LEDGER, Encoding::Utf16Le));
        let mut be = vec![0xfe, 0xff];
        be.extend(LEDGER.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(
            decode("u", be, DecodeOptions::default()).unwrap().text,
            LEDGER
        );
        // An odd number of bytes is not UTF-16.
        assert!(decode("u", vec![0xff, 0xfe, 0x41], DecodeOptions::default()).is_err());
    }
}
