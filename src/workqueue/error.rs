//! The one error type of the module: a limiter parameter Go could not express.

use std::fmt;

/// A rate-limiter constructor rejected a parameter.
///
/// The port accepts everything client-go accepts (base > max, burst 0,
/// qps 0) and behaves like Go with it; it rejects only values Go's types
/// cannot hold (NaN or negative qps, a burst beyond Go's `int`), so a typo in
/// the playground's settings shows a message instead of a silent oddity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimiterError {
    /// The constructor parameter at fault, e.g. `"qps"`.
    pub parameter: &'static str,
    /// Why it was rejected, in words fit for the UI.
    pub reason: String,
}

impl fmt::Display for LimiterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.parameter, self.reason)
    }
}

impl std::error::Error for LimiterError {}
