//! The embedded 2020 texts (朝财农〔2020〕67号): the policy file and the plan's figures, and one
//! section of the policy read alone — so an area can start from its own embedded section
//! without the whole [`Policy`](crate::Policy) above it. The whole file is checked by the
//! policy's tests (`embedded_policy_is_valid`).

use serde::de::DeserializeOwned;

/// The embedded 2020 Chaoyang policy, with comments.
pub(crate) const POLICY_2020_TOML: &str = include_str!("../data/chaoyang_2020_policy.toml");

/// One section of the embedded 2020 policy (`"projects"`, `"approval"` …), `None` when the file
/// leaves it out.
#[allow(clippy::expect_used)] // fixed text, checked by the policy's tests
pub(crate) fn section_2020<T: DeserializeOwned>(name: &str) -> Option<T> {
    let table: toml::Table = POLICY_2020_TOML
        .parse()
        .expect("the embedded 2020 policy is TOML");
    table.get(name).cloned().map(|v| {
        v.try_into()
            .expect("each section of the embedded 2020 policy is valid")
    })
}
