//! Field-level validation errors shared by every builder: one error lists every failed
//! field with its rule, so a caller fixes them all at once and nothing is sent meanwhile.

use serde::Serialize;
use std::fmt;
use tsify::Tsify;

/// One field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct FieldIssue {
    /// The field's wire name, with a path for nested fields (`userInfo.email`, `from.card`).
    pub field: String,
    /// The rule it broke, in plain English.
    pub rule: String,
}

/// Every field that failed, in the order they were checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationError {
    pub issues: Vec<FieldIssue>,
}

impl ValidationError {
    /// An error with a single issue.
    pub fn one(field: impl Into<String>, rule: impl Into<String>) -> Self {
        let mut e = Self::default();
        e.push(field, rule);
        e
    }

    pub fn push(&mut self, field: impl Into<String>, rule: impl Into<String>) {
        self.issues.push(FieldIssue {
            field: field.into(),
            rule: rule.into(),
        });
    }

    /// `Ok(())` when nothing failed, so a builder can check everything, then bail once.
    pub fn into_result(self) -> Result<(), ValidationError> {
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid request: ")?;
        for (i, issue) in self.issues.iter().enumerate() {
            if i > 0 {
                write!(f, "; ")?;
            }
            write!(f, "{}: {}", issue.field, issue.rule)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}
