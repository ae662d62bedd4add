//! Print the illustrative 2020 approval log ([`fupin::audit::AuditLog::sample_2020`]), its
//! registry of actors, or the library of 建平县 it draws on: this is how the files in
//! `examples/` are made, so their hashes and signatures are right.
//!
//! The log is signed with **example keys** derived from the actors' ids by a fixed, published
//! rule ([`fupin::audit::example_key`]): anyone can compute them, so they prove nothing and
//! must never sign a real log. Ed25519 signing is deterministic, so the output is the same on
//! every machine.
//!
//! ```text
//! cargo run -q -p fupin --example approvals_2020 > examples/approvals_2020.jsonl
//! cargo run -q -p fupin --example approvals_2020 registry > examples/registry_2020.toml
//! cargo run -q -p fupin --example approvals_2020 library > examples/library_jianping_2020.json
//! ```

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("registry") => print!(
            "# The registry of the fictional officials of examples/approvals_2020.jsonl, registered for 2020.\n\
             # Their keys are EXAMPLE keys that anyone can derive (fupin::audit::example_key): never use them for real.\n\n{}",
            fupin::audit::sample_2020_registry().to_toml()
        ),
        Some("library") => {
            let libs = fupin::audit::sample_2020_libraries();
            if let Some(lib) = libs.first()
                && let Ok(text) = serde_json::to_string_pretty(lib)
            {
                println!("{text}");
            }
        }
        _ => print!("{}", fupin::audit::AuditLog::sample_2020().to_jsonl()),
    }
}
