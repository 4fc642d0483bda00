//! What the widget reads from the proxy (BRIEF 3.4): `{"data": ...}` on success,
//! `{"error": {kind, code, message, fields}}` on failure.

use serde::Deserialize;
use std::collections::BTreeMap;

/// A failure as the proxy reports it, or as the widget classifies a transport failure.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProxyError {
    pub kind: String,
    #[serde(default)]
    pub code: i64,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

impl ProxyError {
    pub fn new(kind: &str, message: &str) -> ProxyError {
        ProxyError {
            kind: kind.to_string(),
            code: 0,
            message: message.to_string(),
            fields: BTreeMap::new(),
        }
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    data: Option<T>,
    error: Option<ProxyError>,
}

/// Reads one proxy answer (`status` 0: the request never got an answer).
pub fn read<T: for<'de> Deserialize<'de>>(status: u16, body: &str) -> Result<T, ProxyError> {
    if status == 0 {
        return Err(ProxyError::new("network", "the proxy could not be reached"));
    }
    match serde_json::from_str::<Envelope<T>>(body) {
        Ok(Envelope {
            data: Some(data), ..
        }) if status == 200 => Ok(data),
        Ok(Envelope {
            error: Some(err), ..
        }) => Err(err),
        Ok(_) => Err(ProxyError::new(
            "bad_response",
            &format!("the proxy answered HTTP {status} without data"),
        )),
        Err(e) => Err(ProxyError::new(
            "bad_response",
            &format!("the proxy's answer (HTTP {status}) could not be read: {e}"),
        )),
    }
}

// ---- Exchanger data as the widget reads it: the same names and canonical shapes as
// crate::exchanger's types (the proxy sends those), until they are merged in.

use serde::Deserializer;

/// An id or amount the server sends as a number or a string.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string, integer, boolean or null")
        }
        fn visit_str<E>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_bool<E>(self, v: bool) -> Result<String, E> {
            Ok(if v { "1" } else { "0" }.to_string())
        }
        fn visit_unit<E>(self) -> Result<String, E> {
            Ok(String::new())
        }
    }
    d.deserialize_any(V)
}

fn limit<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Some(text(d)?).filter(|s| !s.is_empty() && s != "no"))
}

fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Some(text(d)?).filter(|s| !s.is_empty()))
}

fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(matches!(text(d)?.as_str(), "1" | "true"))
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct DirectionSummary {
    #[serde(deserialize_with = "text")]
    pub direction_id: String,
    #[serde(deserialize_with = "text")]
    pub currency_give_id: String,
    pub currency_give_title: String,
    pub currency_give_logo: String,
    #[serde(deserialize_with = "text")]
    pub currency_get_id: String,
    pub currency_get_title: String,
    pub currency_get_logo: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct DirectionFieldOption {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct DirectionField {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: String,
    pub label: String,
    #[serde(deserialize_with = "flag")]
    pub req: bool,
    pub tooltip: String,
    pub options: Vec<DirectionFieldOption>,
    #[serde(deserialize_with = "flag")]
    pub cd: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct DirectionTexts {
    pub timeline_text: String,
    pub frozen_text: String,
    pub before_button_text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ExchangeDirection {
    #[serde(deserialize_with = "text")]
    pub id: String,
    pub url: String,
    pub currency_code_give: String,
    pub currency_code_get: String,
    #[serde(deserialize_with = "text")]
    pub reserve: String,
    #[serde(deserialize_with = "text")]
    pub course_give: String,
    #[serde(deserialize_with = "text")]
    pub course_get: String,
    pub com_give: String,
    pub com_get: String,
    #[serde(deserialize_with = "limit")]
    pub min_give: Option<String>,
    #[serde(deserialize_with = "limit")]
    pub max_give: Option<String>,
    #[serde(deserialize_with = "limit")]
    pub min_get: Option<String>,
    #[serde(deserialize_with = "limit")]
    pub max_get: Option<String>,
    pub info: DirectionTexts,
    pub give_fields: Vec<DirectionField>,
    pub get_fields: Vec<DirectionField>,
    pub dir_fields: Vec<DirectionField>,
}

impl ExchangeDirection {
    /// Every field of the direction, give, get and direction fields in that order.
    pub fn all_fields(&self) -> impl Iterator<Item = &DirectionField> {
        self.give_fields
            .iter()
            .chain(&self.get_fields)
            .chain(&self.dir_fields)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct CalcResult {
    #[serde(deserialize_with = "text")]
    pub reserve: String,
    #[serde(deserialize_with = "text")]
    pub course_give: String,
    #[serde(deserialize_with = "text")]
    pub course_get: String,
    #[serde(deserialize_with = "text")]
    pub sum_give: String,
    #[serde(deserialize_with = "text")]
    pub sum_give_com: String,
    #[serde(deserialize_with = "text")]
    pub sum_get: String,
    #[serde(deserialize_with = "text")]
    pub sum_get_com: String,
    pub com_give: String,
    pub com_get: String,
    #[serde(deserialize_with = "limit")]
    pub min_give: Option<String>,
    #[serde(deserialize_with = "limit")]
    pub max_give: Option<String>,
    #[serde(deserialize_with = "limit")]
    pub min_get: Option<String>,
    #[serde(deserialize_with = "limit")]
    pub max_get: Option<String>,
    #[serde(deserialize_with = "flag")]
    pub changed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct ApiActions {
    #[serde(rename = "type")]
    pub action_type: String,
    pub cancel: String,
    pub pay: String,
    #[serde(deserialize_with = "text")]
    pub pay_amount: String,
    pub instruction: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Bid {
    pub url: String,
    #[serde(deserialize_with = "text")]
    pub id: String,
    pub hash: String,
    pub status: String,
    pub status_title: String,
    pub currency_code_give: String,
    pub currency_code_get: String,
    #[serde(deserialize_with = "text")]
    pub amount_give: String,
    #[serde(deserialize_with = "text")]
    pub amount_get: String,
    pub api_actions: ApiActions,
    #[serde(deserialize_with = "opt_text")]
    pub address: Option<String>,
    #[serde(deserialize_with = "opt_text")]
    pub dest_tag: Option<String>,
}
