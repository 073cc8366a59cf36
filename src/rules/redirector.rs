//! Wrappers whose real destination is in a query parameter: [`Redirector`].

use serde::{Deserialize, Serialize};

/// A wrapper whose real destination is in a query parameter.
#[derive(Clone, Debug, Deserialize, Eq, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Redirector {
    /// The wrapper's domain (covers subdomains).
    pub domain: String,
    /// The parameters that may hold the destination, tried in order.
    pub params: Vec<String>,
    /// A prefix the URL's path must start with, such as `/url` (default: any path).
    #[serde(default)]
    pub path: Option<String>,
}

impl Redirector {
    /// A redirector on a domain with its parameters.
    pub fn new<I, S>(domain: impl Into<String>, params: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            domain: domain.into(),
            params: params.into_iter().map(Into::into).collect(),
            path: None,
        }
    }

    /// Limits the redirector to paths starting with `prefix`.
    #[must_use]
    pub fn path(mut self, prefix: impl Into<String>) -> Self {
        self.path = Some(prefix.into());
        self
    }
}
