//! Key files: an actor's Ed25519 private key, written once, readable by its owner only.
//!
//! The format is TOML with a comment naming the public key:
//!
//! ```toml
//! # fupin Ed25519 private key of actor `jp-czj-li`. Keep it secret: whoever holds it signs as jp-czj-li.
//! # Public key, for the registry: 3b6a27bc…
//! actor = "jp-czj-li"
//! secret_key = "…64 hex digits…"
//! ```

use std::io::Write as _;
use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;

/// A key file that cannot be made or read. Each names the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The actor id is blank or holds characters a key file cannot carry.
    #[error("actor id \"{}\" must not be blank or hold control characters, quotes or backslashes", .0.escape_debug())]
    BadActor(String),
    /// The file exists: a key file is never overwritten.
    #[error("{}: already exists; a key file is never overwritten", .0.display())]
    Exists(PathBuf),
    /// Others may read the file.
    #[error(
        "{}: permissions {mode:04o} let others read this private key; make it yours only (chmod 600) — and, if others may have read it, make a new key",
        path.display()
    )]
    TooOpen {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The file is not a key file.
    #[error("{}: not a fupin key file: {message}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The operating system refused.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Its error.
        source: std::io::Error,
    },
    /// No randomness to draw a key from.
    #[error("cannot draw a random key: {0}")]
    Random(String),
}

/// Draw a new key for an actor from the operating system's random source and write it to
/// `path` with mode 0600, never over an existing file.
///
/// # Errors
/// [`KeyError`].
pub fn write_new_key(actor: &str, path: &Path) -> Result<SigningKey, KeyError> {
    if actor.trim().is_empty()
        || actor
            .chars()
            .any(|c| c.is_control() || c == '"' || c == '\\')
    {
        return Err(KeyError::BadActor(actor.to_owned()));
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
    let key = SigningKey::from_bytes(&seed);
    let public = hex::encode(key.verifying_key().as_bytes());
    let text = format!(
        "# fupin Ed25519 private key of actor `{actor}`. Keep it secret: whoever holds it signs as {actor}.\n\
         # Public key, for the registry: {public}\n\
         actor = \"{actor}\"\n\
         secret_key = \"{}\"\n",
        hex::encode(key.to_bytes())
    );
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let io = |source| KeyError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            KeyError::Exists(path.to_owned())
        } else {
            io(e)
        }
    })?;
    file.write_all(text.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(key)
}

/// Read a key file: its actor and key. Refuses a file that others can read.
///
/// # Errors
/// [`KeyError`].
pub fn read_key(path: &Path) -> Result<(String, SigningKey), KeyError> {
    let io = |source| KeyError::Io {
        path: path.to_owned(),
        source,
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_err(io)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::TooOpen {
                path: path.to_owned(),
                mode,
            });
        }
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct KeyFile {
        actor: String,
        secret_key: String,
    }
    let malformed = |message: String| KeyError::Malformed {
        path: path.to_owned(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(io)?;
    let f: KeyFile = toml::from_str(&text).map_err(|e| malformed(e.message().to_owned()))?;
    let bytes = hex::decode(f.secret_key.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| malformed("secret_key is not 64 hex digits".to_owned()))?;
    Ok((f.actor, SigningKey::from_bytes(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_key_is_owner_only_never_overwritten_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("li.key");
        let key = write_new_key("jp-czj-li", &path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert!(matches!(
            write_new_key("jp-czj-li", &path),
            Err(KeyError::Exists(_))
        ));
        let (actor, back) = read_key(&path).unwrap();
        assert_eq!(
            (actor.as_str(), back.to_bytes()),
            ("jp-czj-li", key.to_bytes())
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(&hex::encode(key.verifying_key().as_bytes())));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let e = read_key(&path).unwrap_err();
            assert!(e.to_string().contains("0644"), "{e}");
        }
        assert!(matches!(
            write_new_key("a\u{1b}b", &dir.path().join("x")),
            Err(KeyError::BadActor(_))
        ));
    }
}
