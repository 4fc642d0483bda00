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

// ---- Exchanger data as the widget reads it (to be replaced by crate::exchanger's types) ----

use serde::Deserializer;

/// An id or flag the server sends as a number or a string.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum V {
        S(String),
        I(i64),
        F(f64),
        B(bool),
        N(()),
    }
    Ok(match V::deserialize(d)? {
        V::S(s) => s,
        V::I(i) => i.to_string(),
        V::F(f) => f.to_string(),
        V::B(b) => if b { "1" } else { "0" }.to_string(),
        V::N(()) => String::new(),
    })
}

fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(matches!(text(d)?.as_str(), "1" | "true"))
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Pair {
    #[serde(deserialize_with = "text")]
    pub direction_id: String,
    #[serde(deserialize_with = "text")]
    pub currency_give_id: String,
    pub currency_give_title: String,
    #[serde(default)]
    pub currency_give_logo: String,
    #[serde(deserialize_with = "text")]
    pub currency_get_id: String,
    pub currency_get_title: String,
    #[serde(default)]
    pub currency_get_logo: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub label: String,
    #[serde(default, deserialize_with = "flag")]
    pub req: bool,
    #[serde(default)]
    pub tooltip: String,
    #[serde(default, deserialize_with = "options")]
    pub options: Vec<(String, String)>,
    #[serde(default, deserialize_with = "flag")]
    pub cd: bool,
    #[serde(default)]
    pub format: String,
}

fn options<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum O {
        L(Vec<String>),
        M(BTreeMap<String, String>),
        N(()),
    }
    Ok(match O::deserialize(d)? {
        O::L(l) => l
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        O::M(m) => {
            let mut v: Vec<_> = m.into_iter().collect();
            v.sort_by_key(|(k, _)| k.parse::<u64>().unwrap_or(u64::MAX));
            v
        }
        O::N(()) => Vec::new(),
    })
}

fn fields<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Field>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum F {
        L(Vec<Field>),
        M(BTreeMap<String, Field>),
    }
    Ok(match F::deserialize(d)? {
        F::L(l) => l,
        F::M(m) => m.into_values().collect(),
    })
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Info {
    #[serde(default)]
    pub timeline_text: String,
    #[serde(default)]
    pub frozen_text: String,
    #[serde(default)]
    pub before_button_text: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Direction {
    #[serde(deserialize_with = "text")]
    pub id: String,
    #[serde(default)]
    pub currency_code_give: String,
    #[serde(default)]
    pub currency_code_get: String,
    #[serde(default, deserialize_with = "text")]
    pub reserve: String,
    #[serde(default, deserialize_with = "text")]
    pub course_give: String,
    #[serde(default, deserialize_with = "text")]
    pub course_get: String,
    #[serde(default)]
    pub com_give: String,
    #[serde(default)]
    pub com_get: String,
    #[serde(default, deserialize_with = "text")]
    pub min_give: String,
    #[serde(default, deserialize_with = "text")]
    pub max_give: String,
    #[serde(default, deserialize_with = "text")]
    pub min_get: String,
    #[serde(default, deserialize_with = "text")]
    pub max_get: String,
    #[serde(default)]
    pub info: Info,
    #[serde(default, deserialize_with = "fields")]
    pub give_fields: Vec<Field>,
    #[serde(default, deserialize_with = "fields")]
    pub get_fields: Vec<Field>,
    #[serde(default, deserialize_with = "fields")]
    pub dir_fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Calc {
    #[serde(default, deserialize_with = "text")]
    pub reserve: String,
    #[serde(default, deserialize_with = "text")]
    pub course_give: String,
    #[serde(default, deserialize_with = "text")]
    pub course_get: String,
    #[serde(default, deserialize_with = "text")]
    pub sum_give: String,
    #[serde(default, deserialize_with = "text")]
    pub sum_give_com: String,
    #[serde(default, deserialize_with = "text")]
    pub sum_get: String,
    #[serde(default, deserialize_with = "text")]
    pub sum_get_com: String,
    #[serde(default)]
    pub com_give: String,
    #[serde(default)]
    pub com_get: String,
    #[serde(default, deserialize_with = "text")]
    pub min_give: String,
    #[serde(default, deserialize_with = "text")]
    pub max_give: String,
    #[serde(default, deserialize_with = "text")]
    pub min_get: String,
    #[serde(default, deserialize_with = "text")]
    pub max_get: String,
    #[serde(default, deserialize_with = "flag")]
    pub changed: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ApiActions {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub cancel: String,
    #[serde(default)]
    pub pay: String,
    #[serde(default, deserialize_with = "text")]
    pub pay_amount: String,
    #[serde(default)]
    pub instruction: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Bid {
    #[serde(default)]
    pub url: String,
    #[serde(deserialize_with = "text")]
    pub id: String,
    pub hash: String,
    pub status: String,
    #[serde(default)]
    pub status_title: String,
    #[serde(default)]
    pub psys_give: String,
    #[serde(default)]
    pub psys_get: String,
    #[serde(default)]
    pub currency_code_give: String,
    #[serde(default)]
    pub currency_code_get: String,
    #[serde(default, deserialize_with = "text")]
    pub amount_give: String,
    #[serde(default, deserialize_with = "text")]
    pub amount_get: String,
    #[serde(default)]
    pub api_actions: ApiActions,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub dest_tag: String,
}
