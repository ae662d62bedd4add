//! Print the illustrative 2020 approval log ([`fupin::audit::AuditLog::sample_2020`]) as JSON
//! Lines: this is how `examples/approvals_2020.jsonl` is made, so its hashes are right.
//!
//! ```text
//! cargo run -q -p fupin --example approvals_2020 > examples/approvals_2020.jsonl
//! ```

fn main() {
    print!("{}", fupin::audit::AuditLog::sample_2020().to_jsonl());
}
