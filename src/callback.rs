//! Verification of the gateway's IPN callbacks, as the seed's PHP receiver does it:
//! decode the raw body, require the version field, drop `sign`, re-sign with the secret,
//! compare. Stricter than the seed where it is fail-open (a missing or non-numeric version).

use crate::json::{self, Read, Value};
use crate::php::{PhpString, PhpValue};
use crate::sign::{self, SIGN_FIELD};
use std::borrow::Cow;

/// The gateway host whose name is the version field of its callbacks.
pub const DEFAULT_VERSION_KEY: &str = "mychanger.icu";
/// The documented receiver ignores callbacks whose version is below 2.
pub const DEFAULT_MIN_VERSION: f64 = 2.0;
/// Callbacks are a few hundred bytes; anything near this is not the gateway.
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024;

/// How a callback is checked.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifyOptions {
    pub version_key: String,
    pub min_version: f64,
    pub max_bytes: usize,
    /// Off unless asked for: the documented receiver does not look at `timeStamp`.
    pub freshness: Option<Freshness>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self {
            version_key: DEFAULT_VERSION_KEY.to_owned(),
            min_version: DEFAULT_MIN_VERSION,
            max_bytes: DEFAULT_MAX_BYTES,
            freshness: None,
        }
    }
}

/// A replay window: the signed `timeStamp` (Unix seconds) must be at most `tolerance`
/// seconds from `now`, either way, so a captured callback cannot be replayed later.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Freshness {
    pub tolerance: f64,
    pub now: f64,
}

/// The field the gateway puts its send time in (Unix seconds).
pub const TIMESTAMP_FIELD: &str = "timeStamp";

/// Whether a time given as Unix seconds is surely milliseconds (`Date.now()`): 10^11 s is
/// the year 5138, while 10^11 ms was 1973. Such a `receivedAt` put every callback outside
/// the window with a message about a replay of 1.7 * 10^12 s.
pub fn in_milliseconds(unix_seconds: f64) -> bool {
    unix_seconds >= 1e11
}

/// Why a callback was rejected. Messages never include a secret or the expected signature.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallbackError {
    #[error("callback body is {size} bytes, over the {max} byte limit")]
    BodyTooLarge { size: usize, max: usize },
    /// A streamed body (no `Content-Length`) is not read past the limit, so its size is unknown.
    #[error("callback body is over the {max} byte limit; reading stopped there")]
    BodyOverLimit { max: usize },
    #[error("callback body is not JSON ({0}); pass the raw body exactly as received")]
    BodyNotJson(String),
    #[error("callback body is JSON but not an object")]
    BodyNotObject,
    #[error("callback has no version field \"{0}\"; is versionKey the gateway's host name?")]
    VersionMissing(String),
    #[error("callback version {found} is below the minimum {}", crate::float::Shortest(*min))]
    VersionTooOld { found: String, min: f64 },
    #[error("callback has no \"sign\" field")]
    SignMissing,
    #[error("callback signature does not match any of the given secrets")]
    SignMismatch,
    #[error("callback has no numeric \"timeStamp\" field, which the tolerance option needs")]
    TimestampMissing,
    #[error(
        "callback was sent {} s {}, outside the tolerance of {} s: a replayed or delayed callback, or this server's clock is off",
        crate::float::Shortest(age.abs()),
        if *age >= 0.0 { "ago" } else { "in the future" },
        crate::float::Shortest(*tolerance)
    )]
    TimestampOutsideTolerance { age: f64, tolerance: f64 },
}

impl CallbackError {
    /// The machine-readable reason, stable across versions.
    pub fn code(&self) -> &'static str {
        match self {
            CallbackError::BodyTooLarge { .. } | CallbackError::BodyOverLimit { .. } => {
                "body_too_large"
            }
            CallbackError::BodyNotJson(_) => "body_not_json",
            CallbackError::BodyNotObject => "body_not_object",
            CallbackError::VersionMissing(_) => "version_missing",
            CallbackError::VersionTooOld { .. } => "version_too_old",
            CallbackError::SignMissing => "sign_missing",
            CallbackError::SignMismatch => "sign_mismatch",
            CallbackError::TimestampMissing => "timestamp_missing",
            CallbackError::TimestampOutsideTolerance { .. } => "timestamp_outside_tolerance",
        }
    }
}

/// Checks a raw callback body against one or more secrets (key rotation) and returns its
/// fields, every one kept as decoded.
pub fn verify(
    raw: &[u8],
    secrets: &[String],
    options: &VerifyOptions,
) -> Result<Vec<(String, PhpValue)>, CallbackError> {
    let members = match check(raw, secrets, options)?.value {
        Value::Object(members) => members,
        // `check` accepts objects only.
        _ => return Err(CallbackError::BodyNotObject),
    };
    Ok(json::entries(members)
        .into_iter()
        .map(|(k, v)| (k.into_owned(), v.into_php()))
        .collect())
}

/// `verify` without building owned fields: the body as read, borrowed from `raw`, once it
/// passed every check.
pub fn check<'a, S: AsRef<str>>(
    raw: &'a [u8],
    secrets: &[S],
    options: &VerifyOptions,
) -> Result<Read<'a>, CallbackError> {
    if raw.len() > options.max_bytes {
        return Err(CallbackError::BodyTooLarge {
            size: raw.len(),
            max: options.max_bytes,
        });
    }
    // PHP's json_decode fails on invalid UTF-8 too.
    let text = std::str::from_utf8(raw)
        .map_err(|_| CallbackError::BodyNotJson("invalid UTF-8".to_owned()))?;
    let read = json::read(text).map_err(|e| CallbackError::BodyNotJson(e.to_string()))?;
    let Value::Object(members) = &read.value else {
        return Err(CallbackError::BodyNotObject);
    };
    check_version(members, options)?;
    let given = match field(members, SIGN_FIELD) {
        None | Some(Value::Null) => return Err(CallbackError::SignMissing),
        Some(Value::Str(s)) if s.is_empty() => return Err(CallbackError::SignMissing),
        Some(Value::Str(s)) => s.as_bytes(),
        // PHP compares with !==, so a non-string sign never matches.
        Some(_) => return Err(CallbackError::SignMismatch),
    };
    // Every secret is tried, so timing does not reveal which one matched.
    let mut matched = false;
    for secret in secrets {
        let expected = sign::sign_members(members, secret.as_ref());
        matched |= sign::constant_time_eq(&expected, given);
    }
    if !matched {
        return Err(CallbackError::SignMismatch);
    }
    // After the signature: the time is then the gateway's, and a forged body learns nothing.
    if let Some(freshness) = options.freshness {
        check_freshness(members, freshness)?;
    }
    Ok(read)
}

fn check_freshness(
    members: &[(Cow<str>, Value)],
    freshness: Freshness,
) -> Result<(), CallbackError> {
    let sent = match field(members, TIMESTAMP_FIELD) {
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Float(f)) => *f,
        Some(Value::Str(s)) => crate::float::parse(s.as_bytes()).unwrap_or(f64::NAN),
        _ => f64::NAN,
    };
    if !sent.is_finite() {
        return Err(CallbackError::TimestampMissing);
    }
    let age = freshness.now - sent;
    if age.abs() > freshness.tolerance {
        return Err(CallbackError::TimestampOutsideTolerance {
            age: age.round(),
            tolerance: freshness.tolerance,
        });
    }
    Ok(())
}

/// A field's value as PHP holds it: a repeated key's last value.
fn field<'v, 'a>(members: &'v [(Cow<'a, str>, Value<'a>)], name: &str) -> Option<&'v Value<'a>> {
    members
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn check_version(
    members: &[(Cow<str>, Value)],
    options: &VerifyOptions,
) -> Result<(), CallbackError> {
    let value = match field(members, &options.version_key) {
        None | Some(Value::Null) => {
            return Err(CallbackError::VersionMissing(options.version_key.clone()))
        }
        Some(v) => v,
    };
    let number = match value {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        // PHP's numeric strings allow only ASCII whitespace around the number.
        Value::Str(s) => crate::float::parse(
            s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0B' | '\x0C'))
                .as_bytes(),
        )
        .filter(|f| f.is_finite()),
        _ => None,
    };
    match number {
        Some(n) if n >= options.min_version => Ok(()),
        _ => {
            let mut shown = crate::php::Bytes::new();
            value.push_php_bytes(&mut shown);
            Err(CallbackError::VersionTooOld {
                found: String::from_utf8_lossy(shown.as_slice())
                    .chars()
                    .take(32)
                    .collect(),
                min: options.min_version,
            })
        }
    }
}

/// The callback types: fields the seed documents, plus whatever else the gateway sends.
#[cfg(feature = "core")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const CALLBACK_TS: &'static str = r#"
/** Fields every verified gateway callback has. Numbers are as the gateway sent them:
 * JSON integers beyond 2^53 arrive as `bigint` (beyond 64 bits as a `number`: PHP decodes
 * those as floats), amounts usually as strings (`"200.00"`). */
export interface CallbackBase {
  /** The signature that was verified. */
  sign: string;
  /** Unix time the gateway sent the callback at. */
  timeStamp?: number;
  /** The merchant's shop id. */
  shopID?: number | string;
  /** Any field the seed does not document is kept as sent. */
  [field: string]: unknown;
}
/** A deposit or payout status change. */
export interface OperationCallback extends CallbackBase {
  /** `payment` for a deposit, `withdraw` for a payout. */
  type: 'payment' | 'withdraw';
  /** The gateway's id of the operation. */
  id: number | string;
  /** The payment direction (see `paymentDirections`). */
  currID: number | string;
  /** The currency code, such as `RUB`. */
  curr: string;
  /** The amount, as the gateway sent it (often a string with two decimals). */
  amount: string | number;
  /** The label the merchant gave when creating the operation. */
  label?: string;
  /** The note the merchant gave when creating the operation. */
  memo?: string;
  /** 0 Pending, below 3 temporary, 3 Approved, 4 Expired, 5 Canceled (see `isFinal`). */
  status: number;
  /** The status in words, such as `Approved`. */
  statusText: string;
  /** The gateway's extra explanation, when it gives one. */
  info?: string;
}
/** A dispute status change. */
export interface DisputeCallback extends CallbackBase {
  /** Always `dispute`. */
  type: 'dispute';
  /** The dispute's id (what `dispute` returned). */
  id: number | string;
  /** The amount in dispute. */
  amount: string | number;
  /** The merchant's comment on the dispute. */
  comment?: string;
  /** The payment direction of the disputed operation. */
  currID: number | string;
  /** The currency code, such as `RUB`. */
  curr: string;
  /** The dispute's status code. */
  status: number;
  /** The dispute's status in words, such as `Waiting` or `Correcting`. */
  statusText: string;
  /** The gateway's id of the disputed operation. */
  operationID: number | string;
  /** The disputed operation's amount. */
  operationAmount: string | number;
  /** The disputed operation's label. */
  operationLabel?: string;
  /** The disputed operation's status code (as in `OperationCallback.status`). */
  operationStatus: number;
}
/** A callback of a type this version does not know, kept whole: what a `default:` branch after
 * the known types holds (`cb as OtherCallback`). */
export interface OtherCallback extends CallbackBase {
  /** The gateway's callback type, when it sent one. */
  type?: string;
}
/** A verified callback, narrowed by `type` (`if (cb.type === 'dispute') cb.operationID`). A
 * type the gateway adds later verifies too and reaches the `default:` branch, where TypeScript
 * sees `never`: read it as `OtherCallback` (a plain-`string` `type` in this union would stop
 * every comparison from narrowing, as in stripe-node's event types). */
export type GatewayCallback = OperationCallback | DisputeCallback;
"#;

#[cfg(feature = "core")]
pub(crate) mod js_api {
    use super::{CallbackError, VerifyOptions};
    use crate::js::{entries_to_js, error, key_arg, raw_bytes, type_error};
    use tsify::{Ts, Tsify};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    /// Options of `verifyCallback` and `verifyCallbackRequest`.
    // Only its TypeScript form is used: `parse_options` reads the JS object field by field.
    #[allow(dead_code)]
    #[derive(Tsify)]
    #[serde(rename_all = "camelCase")]
    pub struct VerifyCallbackOptions {
        /// The version field's name: the gateway's host (default `mychanger.icu`).
        #[tsify(optional)]
        pub version_key: Option<String>,
        /// The lowest accepted version (default 2, as the documented receiver).
        #[tsify(optional)]
        pub min_version: Option<f64>,
        /// The largest accepted body in bytes (default 65536).
        #[tsify(optional)]
        pub max_bytes: Option<u32>,
        /// Seconds the signed `timeStamp` may be from now, either way, against replays (off
        /// unless given; 300 is what Stripe and Standard Webhooks use). With it, a callback
        /// without a numeric `timeStamp` is refused (`timestamp_missing`), and so is one sent
        /// further from now (`timestamp_outside_tolerance`).
        #[tsify(optional)]
        pub tolerance: Option<f64>,
        /// The time `tolerance` is measured from, in Unix seconds (default: now): for a body
        /// stored and verified later, or for tests. Not milliseconds: `Date.now() / 1000`.
        #[tsify(optional)]
        pub received_at: Option<f64>,
    }

    const BODY_USED_HINT: &str = "verifyCallbackRequest: the request's body was already read (request.bodyUsed): \
         call it before anything else reads the body (a body parser, request.json() or request.text()), \
         or pass a request.clone() taken before; with the raw body already in hand, use verifyCallback(rawBody, secret)";

    pub(crate) const RAW_BODY_HINT: &str = "verifyCallback needs the raw request body (a string or Uint8Array) exactly as received, \
         not a parsed object: the signature covers the gateway's own JSON. In Express use \
         express.raw({ type: '*/*' }) for this route instead of express.json(); in a Next.js App Router \
         route, or with any Fetch API Request, use verifyCallbackRequest(request, secret) or await request.text(); \
         in a Next.js Pages Router API route export const config = { api: { bodyParser: false } } and read req's bytes.";

    /// The options as serde_wasm_bindgen read them into `VerifyCallbackOptions`, with its
    /// messages word for word, but without serde's deserializer in the `.wasm` (it brought
    /// core's float formatting, some 15 KB, for one message).
    pub(crate) fn parse_options(
        value: Option<Ts<VerifyCallbackOptions>>,
    ) -> Result<VerifyOptions, JsValue> {
        let mut options = VerifyOptions::default();
        let Some(value) = value.map(|ts| ts.js_value()).filter(|v| !nullish(v)) else {
            return Ok(options);
        };
        let fail = |message: String| {
            type_error(&format!(
                "options: Failed to deserialize JsValue into type \
                 `obmennik::callback::js_api::VerifyCallbackOptions`: Error: {message}"
            ))
        };
        if !value.is_object() {
            return Err(fail(invalid_type(&value, "struct VerifyCallbackOptions")));
        }
        // Fields in declaration order; the first bad one is reported; null means absent.
        let field = |name: &str| js_sys::Reflect::get(&value, &JsValue::from_str(name));
        let version_key = field("versionKey")?;
        if !nullish(&version_key) {
            options.version_key = version_key
                .as_string()
                .ok_or_else(|| fail(invalid_type(&version_key, "a string")))?;
        }
        let min_version = field("minVersion")?;
        if !nullish(&min_version) {
            options.min_version = min_version
                .as_f64()
                .ok_or_else(|| fail(invalid_type(&min_version, "f64")))?;
        }
        let max_bytes = field("maxBytes")?;
        if !nullish(&max_bytes) {
            // A JS safe integer, not negative, within u32.
            let whole = max_bytes
                .as_f64()
                .filter(|n| n.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(n));
            options.max_bytes = match whole {
                Some(n) if n <= u32::MAX as f64 => n as usize,
                Some(n) => {
                    return Err(fail(format!(
                        "invalid value: integer `{}`, expected u32",
                        n as u64
                    )))
                }
                None => return Err(fail(invalid_type(&max_bytes, "u32"))),
            };
        }
        if !options.min_version.is_finite() {
            return Err(type_error(&format!(
                "options.minVersion must be a finite number, got {}",
                crate::float::Shortest(options.min_version)
            )));
        }
        let seconds = |name: &str, at_least_zero: bool| -> Result<Option<f64>, JsValue> {
            let value = field(name)?;
            if nullish(&value) {
                return Ok(None);
            }
            match value.as_f64() {
                Some(n) if n.is_finite() && (n >= 0.0 || !at_least_zero) => Ok(Some(n)),
                // A number as written, anything else by its type.
                got => Err(type_error(&format!(
                    "options.{name} must be a finite number of seconds{}, got {}",
                    if at_least_zero {
                        ", 0 or more"
                    } else {
                        " (Unix time)"
                    },
                    match got {
                        Some(n) if n.is_infinite() =>
                            (if n > 0.0 { "Infinity" } else { "-Infinity" }).to_owned(),
                        Some(n) => crate::float::Shortest(n).to_string(),
                        None => value.js_typeof().as_string().unwrap_or_default(),
                    }
                ))),
            }
        };
        let tolerance = seconds("tolerance", true)?;
        let received_at = seconds("receivedAt", false)?;
        if let Some(at) = received_at.filter(|&at| super::in_milliseconds(at)) {
            return Err(type_error(&format!(
                "options.receivedAt is Unix time in seconds, but {} looks like milliseconds (Date.now()): pass Date.now() / 1000",
                crate::float::Shortest(at)
            )));
        }
        options.freshness = match (tolerance, received_at) {
            (Some(tolerance), now) => Some(super::Freshness {
                tolerance,
                now: now.unwrap_or_else(|| js_sys::Date::now() / 1000.0),
            }),
            (None, Some(_)) => {
                return Err(type_error(
                    "options.receivedAt is the time options.tolerance is measured from: give tolerance too",
                ))
            }
            (None, None) => None,
        };
        Ok(options)
    }

    fn nullish(value: &JsValue) -> bool {
        value.is_undefined() || value.is_null()
    }

    /// serde's "invalid type" message for a JS value, as serde_wasm_bindgen describes it.
    fn invalid_type(value: &JsValue, expected: &str) -> String {
        let unexpected = if let Some(b) = value.as_bool() {
            format!("boolean `{b}`")
        } else if let Some(n) = value.as_f64() {
            // serde prints a finite float with a decimal point: `5.0`, `1.5`.
            let mut shown = crate::float::Shortest(n).to_string();
            if n.is_finite() && !shown.contains('.') {
                shown.push_str(".0");
            }
            format!("floating point `{shown}`")
        } else if let Some(s) = value.as_string() {
            format!("string {s:?}")
        } else if value.is_instance_of::<js_sys::Uint8Array>()
            || value.is_instance_of::<js_sys::ArrayBuffer>()
        {
            "byte array".to_owned()
        } else {
            format!("{value:?}")
        };
        format!("invalid type: {unexpected}, expected {expected}")
    }

    pub(crate) fn secrets(value: &JsValue) -> Result<Vec<String>, JsValue> {
        let list: Vec<String> = if value.is_string() {
            vec![key_arg(value, "secret")?]
        } else if js_sys::Array::is_array(value) {
            let array: &js_sys::Array = value.unchecked_ref();
            array
                .iter()
                .enumerate()
                .map(|(i, s)| key_arg(&s, &format!("secret[{i}]")))
                .collect::<Result<_, _>>()?
        } else {
            return Err(type_error("secret must be a string or an array of strings"));
        };
        if list.is_empty() {
            return Err(type_error("secret must hold at least one secret"));
        }
        Ok(list)
    }

    pub(crate) fn to_js_error(e: &CallbackError) -> JsValue {
        error(
            "CallbackError",
            &e.to_string(),
            &[("code", JsValue::from_str(e.code()))],
        )
    }

    pub(crate) fn verify_bytes(
        raw: &[u8],
        secrets: &[String],
        options: &VerifyOptions,
    ) -> Result<JsValue, JsValue> {
        super::verify(raw, secrets, options)
            .map(|fields| entries_to_js(&fields).into())
            .map_err(|e| to_js_error(&e))
    }

    /// Verifies a gateway IPN callback from its raw body and returns its fields, typed by
    /// `type`. Throws `CallbackError` (`code`: `body_too_large`, `body_not_json`,
    /// `body_not_object`, `version_missing`, `version_too_old`, `sign_missing`,
    /// `sign_mismatch`, and with `tolerance` `timestamp_missing` and
    /// `timestamp_outside_tolerance`) and a `TypeError` when given a parsed object instead of
    /// the raw body.
    /// Several secrets may be given during key rotation; the comparison is constant-time.
    #[wasm_bindgen(js_name = verifyCallback, unchecked_return_type = "GatewayCallback")]
    pub fn verify_callback(
        #[wasm_bindgen(js_name = "rawBody", unchecked_param_type = "string | Uint8Array")] raw_body: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | string[]")] secret: JsValue,
        options: Option<Ts<VerifyCallbackOptions>>,
    ) -> Result<JsValue, JsValue> {
        let options = parse_options(options)?;
        let secrets = secrets(&secret)?;
        let raw = raw_bytes(&raw_body, RAW_BODY_HINT)?;
        verify_bytes(&raw, &secrets, &options)
    }

    #[wasm_bindgen]
    extern "C" {
        /// pkg-template/fast.js: reads the request's body, stopping once it is over
        /// `max_bytes` (a chunked body has no `Content-Length` to refuse it by), then
        /// `verifyCallback(bytes, secret, options)`. A JS async function rather than a Rust
        /// future: the futures executor cost obmennik/core's `.wasm` about 5 KB gzipped for
        /// this one await.
        #[wasm_bindgen(js_name = obmennikVerifyBody)]
        fn verify_body(
            request: &web_sys::Request,
            secret: &JsValue,
            options: &JsValue,
            max_bytes: u32,
        ) -> js_sys::Promise;
    }

    /// The error fast.js throws when a streamed body goes over `max_bytes`.
    #[wasm_bindgen(js_name = __obmennikBodyOverLimit, skip_typescript)]
    pub fn body_over_limit(max_bytes: u32) -> JsValue {
        to_js_error(&CallbackError::BodyOverLimit {
            max: max_bytes as usize,
        })
    }

    /// `verifyCallback` over a Fetch API `Request` (Node 18+, Workers, Deno, Bun): reads the
    /// body once, refusing it early when `Content-Length` is over `maxBytes`, and reading no
    /// further than `maxBytes` when there is none.
    #[wasm_bindgen(js_name = verifyCallbackRequest, unchecked_return_type = "Promise<GatewayCallback>")]
    pub fn verify_callback_request(
        #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | string[]")] secret: JsValue,
        options: Option<Ts<VerifyCallbackOptions>>,
    ) -> js_sys::Promise {
        // Every failure rejects the promise, as from an async function; none throws.
        match check_request(&request, &secret, options.clone()) {
            Ok((request, max_bytes)) => verify_body(
                &request,
                &secret,
                &options.map_or(JsValue::UNDEFINED, JsValue::from),
                max_bytes,
            ),
            Err(error) => js_sys::Promise::reject(&error),
        }
    }

    /// The arguments of `verifyCallbackRequest` checked, and `Content-Length` within
    /// `maxBytes`: the request and `maxBytes`.
    fn check_request(
        request: &JsValue,
        secret: &JsValue,
        options: Option<Ts<VerifyCallbackOptions>>,
    ) -> Result<(web_sys::Request, u32), JsValue> {
        let options = parse_options(options)?;
        secrets(secret)?;
        if !request.is_object()
            || js_sys::Reflect::get(request, &"arrayBuffer".into())?.is_undefined()
        {
            return Err(type_error("request must be a Fetch API Request"));
        }
        // Reading it would throw the runtime's "Body is unusable", which names no cause or fix.
        if js_sys::Reflect::get(request, &"bodyUsed".into())? == JsValue::TRUE {
            return Err(type_error(BODY_USED_HINT));
        }
        let request: web_sys::Request = request.clone().unchecked_into();
        if let Ok(Some(length)) = request.headers().get("content-length") {
            if let Ok(size) = length.trim().parse::<usize>() {
                if size > options.max_bytes {
                    return Err(to_js_error(&CallbackError::BodyTooLarge {
                        size,
                        max: options.max_bytes,
                    }));
                }
            }
        }
        // `parse_options` keeps `maxBytes` within u32.
        let max_bytes = u32::try_from(options.max_bytes).unwrap_or(u32::MAX);
        Ok((request, max_bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "s3cr3t";

    fn signed(body_without_sign: &str, secret: &str) -> String {
        let sig = sign::sign_json(body_without_sign, secret).unwrap();
        format!(
            "{},\"sign\":\"{}\"}}",
            body_without_sign.trim_end_matches('}'),
            sig
        )
    }

    const DISPUTE: &str = r#"{"mychanger.icu":"2.3","timeStamp":1720206230,"shopID":522,"type":"dispute","id":5237,"amount":"200.00","comment":"","currID":6,"curr":"RUB","status":1,"statusText":"Waiting","operationID":14736918,"operationAmount":"100.00","operationLabel":"vasya","operationStatus":4}"#;

    fn secrets(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn accepts_the_seed_dispute_signed_with_any_given_secret() {
        let body = signed(DISPUTE, SECRET);
        let fields = verify(
            body.as_bytes(),
            &secrets(&["old", SECRET]),
            &Default::default(),
        )
        .unwrap();
        let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        assert_eq!(get("amount"), Some(&PhpValue::Str("200.00".into())));
        assert_eq!(get("id"), Some(&PhpValue::Int(5237)));
    }

    #[test]
    fn rejects_each_kind_of_bad_callback() {
        let opts = VerifyOptions::default();
        let s = secrets(&[SECRET]);
        let good = signed(DISPUTE, SECRET);
        let code = |body: &str| verify(body.as_bytes(), &s, &opts).unwrap_err().code();
        assert_eq!(code(&good.replace("200.00", "900.00")), "sign_mismatch");
        assert_eq!(code(DISPUTE), "sign_missing");
        assert_eq!(code(&good.replace("\"2.3\"", "\"1.9\"")), "version_too_old");
        assert_eq!(code(&good.replace("\"2.3\"", "\"abc\"")), "version_too_old");
        assert_eq!(
            code(&good.replace("mychanger.icu", "other.host")),
            "version_missing"
        );
        assert_eq!(code("[1,2]"), "body_not_object");
        assert_eq!(code("{\"a\":"), "body_not_json");
        assert_eq!(
            verify(good.as_bytes(), &secrets(&["wrong"]), &opts)
                .unwrap_err()
                .code(),
            "sign_mismatch"
        );
        let big = format!("{{\"x\":\"{}\"}}", "a".repeat(DEFAULT_MAX_BYTES));
        assert_eq!(code(&big), "body_too_large");
        let streamed = CallbackError::BodyOverLimit { max: 100 };
        assert_eq!(
            (streamed.code(), streamed.to_string().as_str()),
            (
                "body_too_large",
                "callback body is over the 100 byte limit; reading stopped there"
            )
        );
        assert_eq!(
            verify(&[0xff, 0xfe], &s, &opts).unwrap_err().code(),
            "body_not_json"
        );
    }

    #[test]
    fn messages_never_hold_the_secret_or_expected_sign() {
        let good = signed(DISPUTE, SECRET);
        let tampered = good.replace("Waiting", "Approved");
        let err = verify(
            tampered.as_bytes(),
            &secrets(&[SECRET]),
            &Default::default(),
        )
        .unwrap_err();
        let expected = sign::sign_json(&tampered, SECRET).unwrap();
        let text = err.to_string();
        assert!(
            !text.contains(SECRET) && !text.contains(&expected),
            "{text}"
        );
    }

    #[test]
    fn tolerance_refuses_stale_future_and_undated_callbacks_once_the_sign_matches() {
        let s = secrets(&[SECRET]);
        let sent = 1_720_206_230.0;
        let within = |now: f64, tolerance: f64| VerifyOptions {
            freshness: Some(Freshness { tolerance, now }),
            ..Default::default()
        };
        let check = |body: &str, opts: &VerifyOptions| {
            verify(body.as_bytes(), &s, opts).map_err(|e| (e.code(), e.to_string()))
        };
        let good = signed(DISPUTE, SECRET);
        assert!(check(&good, &within(sent + 300.0, 300.0)).is_ok());
        assert!(check(&good, &within(sent - 300.0, 300.0)).is_ok());
        assert_eq!(
            check(&good, &within(sent + 301.0, 300.0)).unwrap_err(),
            (
                "timestamp_outside_tolerance",
                "callback was sent 301 s ago, outside the tolerance of 300 s: a replayed or \
                 delayed callback, or this server's clock is off"
                    .to_owned()
            )
        );
        let (code, text) = check(&good, &within(sent - 3600.0, 300.0)).unwrap_err();
        assert_eq!(code, "timestamp_outside_tolerance");
        assert!(
            text.starts_with("callback was sent 3600 s in the future"),
            "{text}"
        );
        // Signed as a string, as PHP would send it; a forged time fails on the signature first.
        let quoted = signed(&DISPUTE.replace("1720206230", "\"1720206230\""), SECRET);
        assert!(check(&quoted, &within(sent, 0.0)).is_ok());
        let forged = good.replace("1720206230", "1720209999");
        assert_eq!(
            check(&forged, &within(1_720_209_999.0, 300.0))
                .unwrap_err()
                .0,
            "sign_mismatch"
        );
        for undated in [
            DISPUTE.replace("\"timeStamp\":1720206230,", ""),
            DISPUTE.replace("1720206230", "\"soon\""),
            DISPUTE.replace("1720206230", "null"),
        ] {
            let body = signed(&undated, SECRET);
            assert!(check(&body, &VerifyOptions::default()).is_ok());
            assert_eq!(
                check(&body, &within(sent, 300.0)).unwrap_err().0,
                "timestamp_missing"
            );
        }
    }

    #[test]
    fn custom_version_key_and_minimum() {
        let body = signed(&DISPUTE.replace("mychanger.icu", "pay.example"), SECRET);
        let opts = VerifyOptions {
            version_key: "pay.example".into(),
            min_version: 2.3,
            ..Default::default()
        };
        assert!(verify(body.as_bytes(), &secrets(&[SECRET]), &opts).is_ok());
        let opts = VerifyOptions {
            min_version: 3.0,
            ..opts
        };
        assert_eq!(
            verify(body.as_bytes(), &secrets(&[SECRET]), &opts)
                .unwrap_err()
                .code(),
            "version_too_old"
        );
    }
}
