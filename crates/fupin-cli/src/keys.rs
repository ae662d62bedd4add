//! `fupin keys`: an actor's Ed25519 key pair for signing approval events.
//!
//! `keys new --actor ID` draws a key from the operating system's random source, writes it to a
//! file only its owner can read (mode 0600, never over an existing file), and prints the public
//! key for the registry. `keys public KEY` prints a key file's public key again.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use ed25519_dalek::SigningKey;
use fupin_store::keys::{self, KeyError};

use crate::common::{CliError, CliResult};

/// Make or show an actor's signing key.
#[derive(Debug, Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    command: KeysCommand,
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Make a new Ed25519 key for an actor: writes the private key to a file only you can read
    /// and prints the public key for the registry (`public_key = "…"`).
    New {
        /// The actor's id, as in the registry.
        #[arg(long)]
        actor: String,
        /// Where to write the private key (default: `ACTOR.key`); never overwritten.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Print the public key of a private key file.
    Public {
        /// The private key file.
        key: PathBuf,
    },
}

/// Run `fupin keys …`.
pub fn run(args: &KeysArgs) -> CliResult {
    match &args.command {
        KeysCommand::New { actor, out } => {
            let path = out
                .clone()
                .unwrap_or_else(|| PathBuf::from(format!("{actor}.key")));
            let key = keys::write_new_key(actor, &path).map_err(key_error)?;
            eprintln!(
                "wrote the private key of `{actor}` to {} (readable by you only); put the public key in the registry:",
                path.display()
            );
            outln!("[[actors]]");
            outln!("id = \"{actor}\"");
            outln!(
                "public_key = \"{}\"",
                hex::encode(key.verifying_key().as_bytes())
            );
            Ok(ExitCode::SUCCESS)
        }
        KeysCommand::Public { key } => {
            let (actor, key) = load(key)?;
            outln!("{}  {actor}", hex::encode(key.verifying_key().as_bytes()));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn key_error(e: KeyError) -> CliError {
    CliError::input(e.to_string())
}

/// Read a key file: its actor and key. Refuses a file others can read.
pub fn load(path: &Path) -> Result<(String, SigningKey), CliError> {
    keys::read_key(path).map_err(key_error)
}
