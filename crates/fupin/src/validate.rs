//! Range validators shared by every area: a ratio within bounds, an amount not negative. Each
//! problem is a [`FieldError`] that shows the value exactly (`500%`, `-1 元`), never rounded.

use crate::money::{Amount, Ratio};
use crate::vocab::{ErrorCode, FieldError};

/// The ratio at `path` must lie in `[min, max]`; the message shows it exactly (`500%`, never
/// rounded).
pub(crate) fn ratio_in(path: &str, value: Ratio, min: Ratio, max: Ratio) -> Result<(), FieldError> {
    if value < min || value > max {
        return Err(FieldError::coded(
            ErrorCode::OUT_OF_RANGE,
            path,
            Some(value.as_fraction().to_string()),
            format!(
                "value {} is out of range: must be between {} and {}",
                value.exact(),
                min.exact(),
                max.exact()
            ),
        ));
    }
    Ok(())
}

/// The amount at `path` must not be negative; the message shows it exactly (`-1 元`, never
/// `-0 万元`), the value is its exact yuan.
pub(crate) fn non_negative(path: &str, value: Amount) -> Result<(), FieldError> {
    if value.is_negative() {
        return Err(FieldError::coded(
            ErrorCode::NEGATIVE,
            path,
            Some(value.as_yuan().normalize().to_string()),
            format!("value {} must not be negative", value.exact()),
        ));
    }
    Ok(())
}
