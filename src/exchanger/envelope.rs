//! The answer envelope `{"error", "error_text", "error_fields", "data"}` and what a failure
//! means. `error` is `0`/`"0"` on success; 1 not found or unavailable, 2 access, 3 method or
//! validation. Wrong credentials get no envelope at all: an empty or non-JSON body.

use super::method::{Method, Shape};
use super::{shape, wire};
use crate::json::Value;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Why the exchanger refused a call (`ExchangerError.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "snake_case")]
pub enum ExchangerErrorKind {
    /// Error 1: the direction, bid or data asked for does not exist (or is not visible to
    /// this key: bids are visible only to the login that created them).
    NotFound,
    /// Error 1 or 2 `maintenance`: the exchanger is switched to maintenance mode.
    Maintenance,
    /// Error 2 `IP blocked`: this server's IP address is not in the key's list.
    IpBlocked,
    /// Error 2 `action disabled`: the bid's direction does not allow this action by API.
    ActionDisabled,
    /// Error 3 `Method not supported`: the method is not enabled for the key.
    MethodNotSupported,
    /// Error 3 on `create_bid` (or a refused payout): see `fields` for each field's message.
    Validation,
    /// Error 1 `no active partner program` / `no partner id`.
    NoPartnerProgram,
    /// No envelope at all (empty or non-JSON body): wrong login or key, the API or the
    /// key's user switched off, or this server's IP not allowed; see `hint`.
    ApiDisabled,
    /// Anything else: an unknown code or an answer of an unexpected shape.
    Unknown,
}

impl ExchangerErrorKind {
    /// The wire name (`not_found`).
    pub fn as_str(self) -> &'static str {
        match self {
            ExchangerErrorKind::NotFound => "not_found",
            ExchangerErrorKind::Maintenance => "maintenance",
            ExchangerErrorKind::IpBlocked => "ip_blocked",
            ExchangerErrorKind::ActionDisabled => "action_disabled",
            ExchangerErrorKind::MethodNotSupported => "method_not_supported",
            ExchangerErrorKind::Validation => "validation",
            ExchangerErrorKind::NoPartnerProgram => "no_partner_program",
            ExchangerErrorKind::ApiDisabled => "api_disabled",
            ExchangerErrorKind::Unknown => "unknown",
        }
    }

    fn summary(self) -> &'static str {
        match self {
            ExchangerErrorKind::NotFound => "not found",
            ExchangerErrorKind::Maintenance => "the exchanger is in maintenance mode",
            ExchangerErrorKind::IpBlocked => {
                "this server's IP address is not allowed for the API key"
            }
            ExchangerErrorKind::ActionDisabled => {
                "the action is disabled by API for this bid's direction"
            }
            ExchangerErrorKind::MethodNotSupported => "the method is not enabled for the API key",
            ExchangerErrorKind::Validation => "the exchanger refused the request's data",
            ExchangerErrorKind::NoPartnerProgram => {
                "there is no partner programme for the key's user"
            }
            ExchangerErrorKind::ApiDisabled => {
                "the exchanger sent no API answer (an empty or non-JSON body); see `hint`"
            }
            ExchangerErrorKind::Unknown => "unexpected answer",
        }
    }
}

/// How to fix `api_disabled`. For server-side callers only: the proxy never shows it.
pub const API_DISABLED_HINT: &str = "The exchanger's API module printed nothing of its own. \
    Check, in this order: API-LOGIN and API-KEY are a pair issued by this exchanger (API -> keys, \
    or the user's cabinet /user-api/); the API is switched on (API -> Settings) and the key's user \
    has \"Work with REST API\" enabled; this server's IP address is in the key's allowed IPs; \
    baseUrl points at https://<exchanger>/api/userapi/v1/.";

/// The exchanger answered with a non-zero `error`, or with nothing usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct ExchangerError {
    /// The wire method called.
    pub method: &'static str,
    /// The envelope's `error` (1, 2, 3); 0 when there was no envelope.
    pub code: i64,
    pub kind: ExchangerErrorKind,
    /// The server's `error_text` as plain text (HTML removed).
    pub error_text: String,
    /// `error_fields` as plain text, by field name, in the server's order.
    pub fields: Vec<(String, String)>,
    pub hint: Option<&'static str>,
}

impl ExchangerError {
    /// An error the server reported with `code` and `error_text`.
    pub fn reported(
        method: Method,
        code: i64,
        error_text: String,
        fields: Vec<(String, String)>,
    ) -> Self {
        ExchangerError {
            method: method.wire(),
            code,
            kind: kind_of(method, code, &error_text),
            error_text,
            fields,
            hint: None,
        }
    }

    /// An answer the SDK could not read; `why` is in English.
    pub fn unexpected(method: Method, why: impl Into<String>) -> Self {
        ExchangerError {
            method: method.wire(),
            code: 0,
            kind: ExchangerErrorKind::Unknown,
            error_text: why.into(),
            fields: Vec::new(),
            hint: None,
        }
    }

    /// No envelope: an empty or non-JSON body.
    pub fn api_disabled(method: Method) -> Self {
        ExchangerError {
            method: method.wire(),
            code: 0,
            kind: ExchangerErrorKind::ApiDisabled,
            error_text: String::new(),
            fields: Vec::new(),
            hint: Some(API_DISABLED_HINT),
        }
    }

    /// Replaces every occurrence of a secret (login, key) in the server's texts by `***`:
    /// `error_text` and every field's message and name (the names are the server's too).
    pub fn masked(mut self, secrets: &[String]) -> Self {
        self.error_text = crate::http::excerpt(&self.error_text, secrets);
        for (name, message) in self.fields.iter_mut() {
            *name = crate::http::excerpt(name, secrets);
            *message = crate::http::excerpt(message, secrets);
        }
        self
    }

    /// The message for `field`, if the server gave one.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, m)| m.as_str())
    }

    /// True for `create_bid`'s refusal of an `api_id` it has seen before.
    pub fn is_api_id_taken(&self) -> bool {
        const TAKEN: &str = "api id not unique";
        self.kind == ExchangerErrorKind::Validation
            && (self.error_text.to_ascii_lowercase().contains(TAKEN)
                || self
                    .field("api_id")
                    .is_some_and(|m| m.to_ascii_lowercase().contains(TAKEN)))
    }

    fn describe(&self) -> String {
        let mut s = format!("{}: {}", self.method, self.kind.summary());
        if self.code != 0 || !self.error_text.is_empty() {
            s.push_str(&format!(" (error {}: {})", self.code, self.error_text));
        }
        for (i, (field, message)) in self.fields.iter().enumerate() {
            s.push_str(if i == 0 { " — " } else { "; " });
            s.push_str(&format!("{field}: {message}"));
        }
        s
    }
}

/// Which kind a reported error is: by code, then by the server's (English) short texts.
fn kind_of(method: Method, code: i64, text: &str) -> ExchangerErrorKind {
    let text = text.to_ascii_lowercase();
    match code {
        1 if text.contains("maintenance") => ExchangerErrorKind::Maintenance,
        1 if text.contains("partner") => ExchangerErrorKind::NoPartnerProgram,
        // add_partner_payout reports a refused payout (bad account, below minimum) as error 1.
        1 if method == Method::AddPartnerPayout => ExchangerErrorKind::Validation,
        1 => ExchangerErrorKind::NotFound,
        2 if text.contains("ip blocked") => ExchangerErrorKind::IpBlocked,
        2 if text.contains("maintenance") => ExchangerErrorKind::Maintenance,
        2 if text.contains("action disabled") => ExchangerErrorKind::ActionDisabled,
        3 if text.contains("method not supported") => ExchangerErrorKind::MethodNotSupported,
        3 => ExchangerErrorKind::Validation,
        _ => ExchangerErrorKind::Unknown,
    }
}

/// The `data` of a successful answer in its canonical form, as JSON text (what the client
/// returns and what the proxy sends as `data`), or why there is none. Written straight from
/// the answer as read: no tree is built.
pub fn canonical(method: Method, body: &str) -> Result<String, ExchangerError> {
    if body.trim().is_empty() {
        return Err(ExchangerError::api_disabled(method));
    }
    let read = read_envelope(body).ok_or_else(|| ExchangerError::api_disabled(method))?;
    let envelope = &read.value;
    if !matches!(envelope, Value::Object(_)) {
        return Err(ExchangerError::api_disabled(method));
    }
    let field = |name: &str| shape::get(envelope, name);
    // `0` or `"0"`: the server writes both.
    let error = match field("error") {
        Some(Value::Int(i)) => Some(*i),
        Some(Value::Str(s)) => s.trim().parse().ok(),
        _ => None,
    };
    match error {
        None => {
            return Err(ExchangerError::unexpected(
                method,
                "the answer has no `error` field",
            ))
        }
        Some(0) => {}
        Some(code) => {
            // HTML like `error_fields` (several texts are joined with `<br />`).
            let error_text = shape::text_of(field("error_text").map(shape::leaf));
            return Err(ExchangerError::reported(
                method,
                code,
                wire::html_to_text(&error_text.unwrap_or_default()),
                field("error_fields").map(messages).unwrap_or_default(),
            ));
        }
    }
    let data = field("data");
    if shape::is_nothing(data.map(shape::leaf)) && method.shape() != Shape::List {
        // get_direction clears the error before searching, so an unknown direction is a
        // success with `data: []`.
        return Err(if method == Method::GetDirection {
            ExchangerError::reported(method, 1, "direction not found".to_owned(), Vec::new())
        } else {
            ExchangerError::unexpected(method, "the answer has no data")
        });
    }
    let mut out = String::with_capacity(body.len());
    match shape::write(data, shape::of(method), &mut out) {
        Ok(true) => Ok(out),
        Ok(false) => Ok("null".to_owned()),
        Err(misfit) => Err(ExchangerError::unexpected(
            method,
            format!("unexpected answer: {}", misfit.message("data")),
        )),
    }
}

/// Where the envelope starts in a body with a PHP notice (or other text) printed first.
const ENVELOPE_START: &str = "{\"error\"";

/// The envelope in `body`. A PHP notice printed before or after the JSON (a shutdown hook's
/// warning) is skipped: the call did take effect and its answer is there whole.
fn read_envelope(body: &str) -> Option<crate::json::Read<'_>> {
    let whole = |text| match crate::json::read(text) {
        Err(e) if e.reason == crate::json::TRAILING_TEXT => text
            .get(..e.offset)
            .and_then(|value| crate::json::read(value).ok()),
        read => read.ok(),
    };
    whole(body).or_else(|| {
        let start = body.find(ENVELOPE_START).filter(|&i| i > 0)?;
        whole(&body[start..])
    })
}

/// True when `body` is an envelope cut off before its end (the connection closed early on a
/// server whose answer had no length): unlike an empty or HTML body it does not mean the API
/// is switched off, and the call may well have taken effect, so it is a failure to retry.
pub fn cut_short(body: &str) -> bool {
    let Some(start) = body.find(ENVELOPE_START) else {
        return false;
    };
    let text = body[start..].trim_end();
    matches!(crate::json::read(text), Err(e) if e.offset >= text.len())
}

/// `error_fields` (`{field: "<html>"}`, or `[]` when empty) as plain text by field.
fn messages(value: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |key: String, value: &Value| {
        if let Some(text) = shape::text_of(Some(shape::leaf(value))) {
            out.push((key, wire::html_to_text(&text)));
        }
    };
    match value {
        Value::Object(members) => {
            let members =
                crate::json::entries(members.iter().map(|(k, v)| (k.as_ref(), v)).collect());
            members.into_iter().for_each(|(k, v)| add(k.to_owned(), v))
        }
        Value::List(items) => items.iter().enumerate().for_each(|(i, v)| {
            let mut key = String::new();
            crate::php::push_u64(i as u64, &mut key);
            add(key, v)
        }),
        _ => {}
    }
    out
}
