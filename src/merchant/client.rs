//! The api2 gateway in the package: `MerchantClient`, the `build*` request builders,
//! `isFinal`, `paymentDirections`/`paymentDirection`. Everything here reads JS values, hands
//! them to the pure code of `merchant`, and turns what comes back into JS values or branded
//! errors; no input makes it panic.

use super::answer::{empty_lists_as_maps, read_answer, receipt, Answer};
use super::directions::{direction, DIRECTIONS};
use super::errors::GatewayError;
use super::status::{is_final, OperationKind};
use super::{build, Endpoint, MerchantConfig, Retry};
use crate::callback::js_api as callback;
use crate::http::{
    CallOptions, Conversation, Http, HttpRequest, HttpResponse, Step, TransportFailure,
};
use crate::js::{entries_to_js, error, object_entries, opt, php_to_js, type_error};
use crate::php::PhpValue;
use js_sys::{Object, Promise, Reflect, Uint8Array};
use std::rc::Rc;
use tsify::Ts;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const CLIENT_TS: &'static str = r#"
/** Where requests go and as whom: what every `build*` function needs. */
export interface MerchantConfig {
  /** The gateway's api2 base URL, e.g. `https://mychanger.icu/api2/` (a bare origin gets
   * `/api2/`). Its host names the version field of the gateway's callbacks. */
  baseUrl: string;
  /** Your shop's id, sent as `shopID`. */
  shopId: number | string;
  /** The API key requests are signed with. It is never sent, and never part of an error. */
  apiKey: string;
}
/** Options of `new MerchantClient`. */
export interface MerchantClientOptions extends MerchantConfig {
  /** The secret key the gateway signs callbacks with (several during a rotation): `verifyCallback` needs it. */
  secretKey?: string | string[];
  /** A `fetch` to send requests with, called with a `Request` (default: node:http in Node, the
   * runtime's global `fetch` elsewhere). */
  fetch?: (request: Request) => Promise<Response>;
  /** Time for one attempt in milliseconds (default 30000). */
  timeoutMs?: number;
  /** Retries after the first attempt, where retrying is safe (default 2, at most 10). */
  maxRetries?: number;
  /** Called after every attempt with what happened and what comes next (`RequestEvent`: URL,
   * status or failure, time, retry), never with headers or bodies, so it can feed a log or
   * metrics without leaking the keys. What it throws is ignored. */
  onRequest?: (event: RequestEvent) => void;
}
/** A signed request, ready for the HTTP client of your choice: exactly the bytes `MerchantClient` sends. */
export interface MerchantRequest {
  /** The endpoint's absolute URL. */
  url: string;
  /** Always `POST`. */
  method: 'POST';
  /** `content-type: application/json`; nothing secret (the signature is in the body). */
  headers: Record<string, string>;
  /** JSON that the gateway's PHP decodes to exactly the values that were signed. */
  body: string;
}
/** The answer to `payment`: where the payer sends the money. */
export interface PaymentResult {
  /** The gateway's id of the operation. */
  id: number;
  /** The payment direction (see `paymentDirections`). */
  currID: number | string;
  /** The currency code, such as `RUB`. */
  curr: string;
  /** The amount, as the gateway sent it. */
  amount: number | string;
  /** The requisite the payer pays to (card number, phone, account). */
  number: string;
  /** The requisite holder's name. */
  info: string;
  /** A page with the requisites to show the payer. */
  page: string;
  /** The card number to pay to, when the direction pays by card. */
  card?: string;
  /** The card holder's name, when the gateway gives it. */
  fio?: string;
  /** SBP directions only. */
  tel?: string;
  /** SBP directions only. */
  bank?: string;
  /** SBP directions only. */
  bankTitle?: string;
  /** SBP directions only: a link that opens the payer's bank app. */
  paymentLink?: string;
  /** Absent on a fresh answer (see `RecoveredOperation`). */
  recovered?: undefined;
  /** Fields the seed does not document are kept as sent. */
  [field: string]: unknown;
}
/** The answer to `withdraw`. */
export interface WithdrawResult {
  /** The gateway's id of the payout. */
  id: number;
  /** The payment direction (see `paymentDirections`). */
  currID: number | string;
  /** The currency code, such as `RUB`. */
  curr: string;
  /** The amount, as the gateway sent it. */
  amount: number | string;
  /** The requisite the payout goes to, as the gateway recorded it. */
  number: string;
  /** The gateway's note on the payout. */
  info: string;
  /** Absent on a fresh answer (see `RecoveredOperation`). */
  recovered?: undefined;
  /** Fields the seed does not document are kept as sent. */
  [field: string]: unknown;
}
/** The answer to `acquire`. */
export interface AcquireResult {
  /** The gateway's id of the operation. */
  id: number;
  /** The payment direction (see `paymentDirections`). */
  currID: number | string;
  /** The currency code, such as `RUB`. */
  curr: string;
  /** The amount, as the gateway sent it. */
  amount: number | string;
  /** True when the payer must enter a code (send it with `acquireConfirm`). */
  code_required: boolean;
  /** Absent on a fresh answer (see `RecoveredOperation`). */
  recovered?: undefined;
  /** Fields the seed does not document are kept as sent. */
  [field: string]: unknown;
}
/** An operation's state, as `status`, `acquireConfirm` and `acquireResend` answer. */
export interface OperationStatus {
  /** E-com operations report `payment`. */
  type: 'payment' | 'withdraw';
  /** The gateway's id of the operation. */
  id: number;
  /** The payment direction (see `paymentDirections`). */
  currID: number | string;
  /** The currency code, such as `RUB`. */
  curr: string;
  /** The amount, as the gateway sent it (often a string with two decimals). */
  amount: string | number;
  /** The label the merchant gave when creating the operation. */
  label: string;
  /** The note the merchant gave when creating the operation. */
  memo: string;
  /** See `isFinal`: 0 Pending, below 3 temporary, 3 Approved, 4 Expired, 5 Canceled (e-com: 0 to 11). */
  status: number;
  /** The status in words, such as `Approved`. */
  statusText: string;
  /** The gateway's extra explanation, empty when it has none. */
  info: string;
  /** Fields the seed does not document are kept as sent. */
  [field: string]: unknown;
}
/** What a create returns when an earlier attempt of the same call had created the operation
 * but its answer was lost: the gateway refused the retry as a duplicate uniqID, and the client
 * read the operation back with `status`. The create's own fields (a payment's requisites) are
 * not in it: `status` does not return them. */
export interface RecoveredOperation extends OperationStatus {
  /** Always true. */
  recovered: true;
}
/** A payout's receipt (`withdrawCheck`), decoded. */
export interface WithdrawReceipt {
  /** The image format, as the gateway names it. */
  type: 'png' | (string & {});
  /** The file's bytes. */
  bytes: Uint8Array;
}
/** Balances available for payouts by payment direction: `{"6": "1610.00"}`. */
export type Balances = Record<string, string>;
/** Balances available for payouts by currency: `{"RUB": 314021}`. */
export type BalancesByCurrency = Record<string, number | string>;
/** Daily payout limits and what may be paid out now, by payment direction. */
export interface WithdrawLimits {
  /** The daily limit of each direction. */
  daily: Record<string, string>;
  /** What may still be paid out today on each direction. */
  value: Record<string, string>;
}
/** A dispute's state (`disputeStatus`). */
export interface DisputeInfo {
  /** The dispute's id. */
  id: number;
  /** The amount, as the gateway sent it (often a string with two decimals). */
  amount: string | number;
  /** The merchant's comment on the dispute. */
  comment: string;
  /** The payment direction (see `paymentDirections`). */
  currID: number | string;
  /** The currency code, such as `RUB`. */
  curr: string;
  /** 1 Waiting, 6 Correcting, then the outcome. */
  status: number;
  /** The dispute's status in words, such as `Waiting`. */
  statusText: string;
  /** The gateway's id of the disputed operation. */
  operationID: number;
  /** The disputed operation's amount. */
  operationAmount: string | number;
  /** The disputed operation's label. */
  operationLabel: string;
  /** The disputed operation's status code (as in `OperationStatus.status`). */
  operationStatus: number;
  /** Fields the seed does not document are kept as sent. */
  [field: string]: unknown;
}
/** What `echo` answers: the parameters as the gateway received them and, when a `key`
 * parameter was sent, the string it signs (`tosign`) and the signature with that key. */
export interface EchoResult {
  /** The parameters as the gateway's PHP decoded them. */
  payload: { [field: string]: unknown } | unknown[];
  /** The signing string the gateway built (with the key sent as `key`). */
  tosign?: string;
  /** The SHA-1 of `tosign`. */
  sign?: string;
}
"#;

/// The current Unix time in seconds, for `time`.
fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// `{ baseUrl, shopId, apiKey }` of a builder or client.
fn config_from_js(options: &JsValue) -> Result<MerchantConfig, JsValue> {
    if !options.is_object() {
        return Err(type_error(
            "config must be an object: { baseUrl, shopId, apiKey }",
        ));
    }
    let base_url = opt(options, "baseUrl").as_string().unwrap_or_default();
    let shop_id = opt(options, "shopId");
    let shop_id = match (shop_id.as_string(), shop_id.as_f64()) {
        (Some(s), _) => PhpValue::Str(s),
        (_, Some(n)) if n.fract() == 0.0 && n.abs() < 9.0e15 => PhpValue::Int(n as i64),
        _ => PhpValue::Null,
    };
    let api_key = opt(options, "apiKey").as_string().unwrap_or_default();
    Ok(MerchantConfig::new(&base_url, shop_id, &api_key)?)
}

/// The caller's parameters; endpoints without documented ones also take none at all.
fn params_from_js(
    endpoint: Endpoint,
    params: &JsValue,
) -> Result<Vec<(String, PhpValue)>, JsValue> {
    if (params.is_undefined() || params.is_null()) && endpoint.fields().is_empty() {
        return Ok(Vec::new());
    }
    Ok(object_entries(params, "params")?)
}

fn request_to_js(request: &HttpRequest) -> JsValue {
    let object = Object::new();
    let headers = Object::new();
    for (name, value) in &request.headers {
        let _ = Reflect::set(&headers, &name.into(), &value.into());
    }
    let body = request.body.as_deref().unwrap_or_default();
    for (key, value) in [
        ("url", JsValue::from_str(&request.url)),
        ("method", JsValue::from_str(request.method)),
        ("headers", headers.into()),
        ("body", JsValue::from_str(body)),
    ] {
        let _ = Reflect::set(&object, &key.into(), &value);
    }
    object.into()
}

fn build_js(endpoint: Endpoint, config: &JsValue, params: &JsValue) -> Result<JsValue, JsValue> {
    let config = config_from_js(config)?;
    let params = params_from_js(endpoint, params)?;
    Ok(request_to_js(&build(
        endpoint,
        &config,
        params,
        now_secs(),
    )?))
}

fn merchant_error(e: &GatewayError) -> JsValue {
    let mut props = vec![
        ("code", JsValue::from_str(&e.code)),
        ("description", JsValue::from_str(e.description())),
        ("retryable", JsValue::from_bool(e.retryable())),
    ];
    if let Some(info) = &e.info {
        props.push(("info", JsValue::from_str(info)));
    }
    error("MerchantError", &e.message(), &props)
}

/// The `params` argument where a generated function has one, else `undefined`. The name comes
/// from the caller, so it refers to that function's argument (macro hygiene).
macro_rules! params_or_undefined {
    (; $params:ident) => {
        JsValue::UNDEFINED
    };
    ($ts:tt; $params:ident) => {
        $params
    };
}

/// Declares one `build*` export per endpoint; endpoints without parameters take only the
/// config. Docs are plain string literals: wasm-bindgen would print the raw-string form that
/// `///` lines take inside a macro.
macro_rules! builders {
    ($( $($doc:literal)+ $rust:ident, $js:tt, $endpoint:ident $(, $params:tt)?; )+) => {$(
        $(#[doc = $doc])+
        #[wasm_bindgen(js_name = $js, unchecked_return_type = "MerchantRequest")]
        pub fn $rust(
            #[wasm_bindgen(unchecked_param_type = "MerchantConfig")] config: JsValue,
            $(#[wasm_bindgen(unchecked_param_type = $params)] params: JsValue,)?
        ) -> Result<JsValue, JsValue> {
            build_js(Endpoint::$endpoint, &config, &params_or_undefined!($($params)?; params))
        }
    )+};
}

builders! {
    " The signed request of `payment` (a P2P deposit). Throws `ValidationError` listing"
    " every invalid field; nothing is built then."
    build_payment, "buildPayment", Payment, "PaymentParams";
    " The signed request of `withdraw` (a payout); `number` is checked against what the"
    " direction pays to. Throws `ValidationError` listing every invalid field."
    build_withdraw, "buildWithdraw", Withdraw, "WithdrawParams";
    " The signed request of `withdrawCheck` (a payout's receipt)."
    build_withdraw_check, "buildWithdrawCheck", WithdrawCheck, "OperationRef";
    " The signed request of `acquire` (an e-com card deposit). Throws `ValidationError`"
    " listing every invalid field, `from.card` included."
    build_acquire, "buildAcquire", Acquire, "AcquireParams";
    " The signed request of `acquireConfirm`; `time` defaults to now."
    build_acquire_confirm, "buildAcquireConfirm", AcquireConfirm, "AcquireConfirmParams";
    " The signed request of `acquireResend`; `time` defaults to now."
    build_acquire_resend, "buildAcquireResend", AcquireResend, "AcquireResendParams";
    " The signed request of `status`."
    build_status, "buildStatus", Status, "StatusParams";
    " The signed request of `balance`."
    " @deprecated The gateway deprecated `balance` (to be removed after 2024): use `buildBalanceAll`."
    build_balance, "buildBalance", Balance;
    " The signed request of `balanceAll`."
    build_balance_all, "buildBalanceAll", BalanceAll;
    " The signed request of `withdrawLimit`."
    build_withdraw_limit, "buildWithdrawLimit", WithdrawLimit;
    " The signed request of `dispute`."
    build_dispute, "buildDispute", Dispute, "DisputeParams";
    " The signed request of `disputeStatus`."
    build_dispute_status, "buildDisputeStatus", DisputeStatus, "DisputeStatusParams";
    " The signed request of `echo`: the given parameters, sent and signed as they are."
    build_echo, "buildEcho", Echo, "SignParams";
}

/// True when an operation's `status` will not change again, by the seed's rules:
/// deposits (`payment`) end at 3 Approved and 5 Canceled (4 Expired can still be paid late);
/// payouts (`withdraw`) and e-com operations in the general list (`ecom`) also end at
/// 4 Expired; the e-com flow list (`acquire`) ends at 3 requisites error, 10 cancelled and
/// 11 completed. Unknown statuses are not final.
#[wasm_bindgen(js_name = isFinal)]
pub fn is_final_js(
    #[wasm_bindgen(unchecked_param_type = "OperationKind")] kind: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | string")] status: JsValue,
) -> Result<bool, JsValue> {
    let kind = kind
        .as_string()
        .and_then(|k| OperationKind::from_name(&k))
        .ok_or_else(|| type_error("kind must be 'payment', 'withdraw', 'ecom' or 'acquire'"))?;
    let status = match status.as_f64() {
        Some(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(n as i64),
        _ => status.as_string().and_then(|s| s.parse().ok()),
    }
    .ok_or_else(|| type_error("status must be a whole number"))?;
    Ok(is_final(kind, status))
}

fn direction_to_js(d: &super::directions::PaymentDirection) -> JsValue {
    json_to_js(&d.to_php())
}

/// One JSON text across the boundary instead of a crossing per field.
fn json_to_js(value: &PhpValue) -> JsValue {
    js_sys::JSON::parse(&crate::json::encode_to_string(value)).unwrap_or(JsValue::UNDEFINED)
}

/// The seed's table of payment directions: each `currID` with its currency, method, name and
/// the requisite a payout to it needs.
#[wasm_bindgen(js_name = paymentDirections, unchecked_return_type = "PaymentDirection[]")]
pub fn payment_directions() -> JsValue {
    DIRECTIONS
        .iter()
        .map(direction_to_js)
        .collect::<js_sys::Array>()
        .into()
}

/// The seed's row for `currID`, or `undefined` when the table does not list it.
#[wasm_bindgen(js_name = paymentDirection, unchecked_return_type = "PaymentDirection | undefined")]
pub fn payment_direction(#[wasm_bindgen(js_name = "currID")] curr_id: u32) -> JsValue {
    direction(curr_id).map_or(JsValue::UNDEFINED, direction_to_js)
}

struct Inner {
    config: MerchantConfig,
    http: Http,
    /// Callback secrets, when `secretKey` was given.
    secrets: Option<Vec<String>>,
}

/// One call in flight: the create, action or read, then possibly its recovery.
struct Op {
    inner: Rc<Inner>,
    endpoint: Endpoint,
    /// The endpoint the call began with (`endpoint` becomes `Status` for a recovery).
    create: Endpoint,
    uniq_id: Option<PhpValue>,
    /// Set once an attempt of a create ended without a usable answer: it may have committed.
    uncertain: bool,
    /// Reading back, with `status` by uniqID, the operation a lost answer created; the
    /// create's duplicate refusal.
    recovering: Option<GatewayError>,
    /// The signature of the request in flight, masked out of excerpts like the keys.
    sign: String,
}

impl Op {
    /// A failed attempt: retried where the endpoint allows it, else the call's error.
    fn failed(&mut self, f: TransportFailure, retry_after: Option<u32>, can_retry: bool) -> Step {
        let retry = self.endpoint.retry();
        if retry == Retry::Create && self.recovering.is_none() {
            self.uncertain = true;
        }
        if can_retry && retry != Retry::Action && f.retryable() {
            Step::Retry(retry_after)
        } else {
            self.finish(Err(f.to_js()))
        }
    }

    /// The call's answer, or its error.
    fn finish(&self, outcome: Result<PhpValue, JsValue>) -> Step {
        Step::Done(match &self.recovering {
            None => outcome.and_then(|value| self.result(value)),
            Some(duplicate) => match outcome {
                Ok(PhpValue::Array(mut fields)) => {
                    match super::recovered_mismatch(self.create, &fields) {
                        None => {
                            fields.push(("recovered".to_owned(), PhpValue::Bool(true)));
                            Ok(entries_to_js(&fields).into())
                        }
                        Some(found) => Err(lost_answer(
                            duplicate,
                            &format!(
                            "{found}: find it in the merchant cabinet or ask the gateway's support."
                        ),
                        )),
                    }
                }
                other => {
                    let why = match other {
                        Err(e) => Reflect::get(&e, &"message".into())
                            .ok()
                            .and_then(|m| m.as_string())
                            .unwrap_or_default(),
                        Ok(_) => "the answer is not an operation".to_owned(),
                    };
                    Err(lost_answer(duplicate, &format!(
                        "reading it back with status by uniqID failed ({why}). Call status with this uniqID later."
                    )))
                }
            },
        })
    }

    /// A successful answer as the endpoint's JS result.
    fn result(&self, value: PhpValue) -> Result<JsValue, JsValue> {
        Ok(match self.endpoint {
            Endpoint::WithdrawCheck => {
                // A success whose receipt cannot be read: the answer is not what the API documents.
                let (kind, bytes) = receipt(&value).map_err(|why| {
                    error(
                        "TransportError",
                        why,
                        &[
                            ("kind", JsValue::from_str("not_json")),
                            ("retryable", JsValue::FALSE),
                            ("status", JsValue::from(200)),
                        ],
                    )
                })?;
                let object = Object::new();
                let _ = Reflect::set(&object, &"type".into(), &kind.into());
                let _ = Reflect::set(
                    &object,
                    &"bytes".into(),
                    &Uint8Array::from(bytes.as_slice()),
                );
                object.into()
            }
            Endpoint::Balance | Endpoint::BalanceAll | Endpoint::WithdrawLimit => {
                php_to_js(&empty_lists_as_maps(value))
            }
            _ => php_to_js(&value),
        })
    }
}

impl Conversation for Op {
    fn http(&self) -> &Http {
        &self.inner.http
    }

    fn read(&mut self, attempt: Result<HttpResponse, TransportFailure>, can_retry: bool) -> Step {
        let response = match attempt {
            Ok(response) => response,
            Err(f) => return self.failed(f, None, can_retry),
        };
        let mut secrets: Vec<&str> = self.inner.http.secrets.iter().map(String::as_str).collect();
        secrets.push(&self.sign);
        match read_answer(&response, &secrets) {
            Err(f) => self.failed(f, response.retry_after_ms, can_retry),
            Ok(Answer::Value(v)) => self.finish(Ok(v)),
            Ok(Answer::Error(e))
                if e.is_duplicate(self.endpoint) && self.uncertain && self.recovering.is_none() =>
            {
                let lookup = build(
                    Endpoint::Status,
                    &self.inner.config,
                    vec![(
                        "uniqID".to_owned(),
                        self.uniq_id.clone().unwrap_or(PhpValue::Null),
                    )],
                    now_secs(),
                );
                self.recovering = Some(e);
                self.endpoint = Endpoint::Status;
                match lookup {
                    Ok(request) => {
                        self.sign = signed_by(&request);
                        Step::Send(request, self.inner.http.max_retries)
                    }
                    Err(e) => self.finish(Err(e.into())),
                }
            }
            // The gateway refused before doing anything: safe for every endpoint.
            Ok(Answer::Error(e)) if e.is_rate_limit() && can_retry => {
                Step::Retry(response.retry_after_ms)
            }
            Ok(Answer::Error(e)) => self.finish(Err(merchant_error(&e))),
        }
    }
}

/// The create's duplicate refusal, explained: an earlier attempt made the operation, its answer
/// was lost, and `then` says how reading it back went.
fn lost_answer(duplicate: &GatewayError, then: &str) -> JsValue {
    merchant_error(&GatewayError {
        code: duplicate.code.clone(),
        info: Some(format!(
            "An earlier attempt of this call created the operation, but its answer was lost, and {then}"
        )),
    })
}

/// The `sign` of a request [`build`] made.
fn signed_by(request: &HttpRequest) -> String {
    let body = request.body.as_deref().unwrap_or_default();
    super::signature(body).unwrap_or_default().to_owned()
}

/// A client of the api2 merchant gateway: one method per endpoint, each validated and signed
/// before it is sent. Reads and creates are retried with exponential backoff and jitter on
/// transport failures and `rate_limit`; a create is only ever sent with the same bytes (same
/// uniqID), and when a retry is refused as a duplicate the client reads the operation back
/// with `status` (see `RecoveredOperation`). Actions (`acquireConfirm`, `acquireResend`,
/// `dispute`) are retried on `rate_limit` only. Failures are `ValidationError` (nothing was
/// sent), `MerchantError` (the gateway's `{"error": code}`) or `TransportError`.
#[wasm_bindgen]
pub struct MerchantClient {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl MerchantClient {
    /// Checks the options (throws `ValidationError` naming each bad one; keys never appear).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "MerchantClientOptions")] options: JsValue,
    ) -> Result<MerchantClient, JsValue> {
        let config = config_from_js(&options)?;
        let secret = opt(&options, "secretKey");
        let secrets = if secret.is_undefined() || secret.is_null() {
            None
        } else {
            Some(callback::secrets(&secret)?)
        };
        let mut masked = vec![config.api_key.clone()];
        masked.extend(secrets.iter().flatten().cloned());
        let http = Http::from_options(&options, masked)?;
        Ok(MerchantClient {
            inner: Rc::new(Inner {
                config,
                http,
                secrets,
            }),
        })
    }

    fn start(&self, endpoint: Endpoint, params: &JsValue, options: Option<JsValue>) -> Promise {
        let prepared = (|| -> Result<_, JsValue> {
            let call = CallOptions::from_js(&options.unwrap_or(JsValue::UNDEFINED))?;
            let params = params_from_js(endpoint, params)?;
            let uniq_id = params
                .iter()
                .find(|(k, _)| k == "uniqID")
                .map(|(_, v)| v.clone());
            let request = build(endpoint, &self.inner.config, params, now_secs())?;
            Ok((request, uniq_id, call))
        })();
        match prepared {
            Err(e) => Promise::reject(&e),
            Ok((request, uniq_id, call)) => {
                let op = Op {
                    inner: Rc::clone(&self.inner),
                    endpoint,
                    create: endpoint,
                    uniq_id,
                    uncertain: false,
                    recovering: None,
                    sign: signed_by(&request),
                };
                let retries = self.inner.http.max_retries;
                crate::http::start(op, call, request, retries)
            }
        }
    }

    /// Verifies a gateway IPN callback from its raw body with this client's `secretKey`,
    /// taking the version field's name from the host of `baseUrl` (`options.versionKey`
    /// overrides it). Returns the callback's fields; throws `CallbackError` (see
    /// `verifyCallback`), or a `TypeError` without `secretKey` or given a parsed object.
    #[wasm_bindgen(js_name = verifyCallback, unchecked_return_type = "GatewayCallback")]
    pub fn verify_callback(
        &self,
        #[wasm_bindgen(js_name = "rawBody", unchecked_param_type = "string | Uint8Array")] raw_body: JsValue,
        options: Option<Ts<callback::VerifyCallbackOptions>>,
    ) -> Result<JsValue, JsValue> {
        let secrets = self.inner.secrets.as_ref().ok_or_else(|| {
            type_error("verifyCallback needs the gateway's secret key: pass secretKey to new MerchantClient")
        })?;
        let own_key = options
            .as_ref()
            .is_none_or(|o| opt(&o.js_value(), "versionKey").is_undefined());
        let mut parsed = callback::parse_options(options)?;
        if own_key {
            parsed.version_key = self.inner.config.base.host.clone();
        }
        let raw = crate::js::raw_bytes(&raw_body, callback::RAW_BODY_HINT)?;
        callback::verify_bytes(&raw, secrets, &parsed)
    }
}

/// Declares one client method per endpoint, each in its own `#[wasm_bindgen] impl` block
/// (parameters and docs as in `builders!`).
macro_rules! methods {
    ($( $($doc:literal)+ $rust:ident, $js:tt, $endpoint:ident, $returns:tt $(, $params:tt)?; )+) => {$(
        #[wasm_bindgen]
        impl MerchantClient {
            $(#[doc = $doc])+
            #[wasm_bindgen(js_name = $js, unchecked_return_type = $returns)]
            pub fn $rust(
                &self,
                $(#[wasm_bindgen(unchecked_param_type = $params)] params: JsValue,)?
                #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
            ) -> Promise {
                self.start(Endpoint::$endpoint, &params_or_undefined!($($params)?; params), options)
            }
        }
    )+};
}

methods! {
    " Creates a P2P deposit (`/api2/payment`) and returns the requisites to show the payer."
    " Retried safely (same uniqID); may resolve to a `RecoveredOperation`."
    payment, "payment", Payment, "Promise<PaymentResult | RecoveredOperation>", "PaymentParams";
    " Creates a payout (`/api2/withdraw`). Retried safely (same uniqID); may resolve to a"
    " `RecoveredOperation`."
    withdraw, "withdraw", Withdraw, "Promise<WithdrawResult | RecoveredOperation>", "WithdrawParams";
    " A payout's receipt (`/api2/withdraw/check`), decoded from base64."
    withdraw_check, "withdrawCheck", WithdrawCheck, "Promise<WithdrawReceipt>", "OperationRef";
    " Creates an e-com card deposit (`/api2/acquire`). Retried safely (same uniqID); may"
    " resolve to a `RecoveredOperation`."
    acquire, "acquire", Acquire, "Promise<AcquireResult | RecoveredOperation>", "AcquireParams";
    " Sends the payer's code for an e-com deposit (`/api2/acquire/confirm`). Not retried"
    " after a lost answer: the code may have been used."
    acquire_confirm, "acquireConfirm", AcquireConfirm, "Promise<OperationStatus>", "AcquireConfirmParams";
    " Asks the gateway to send the payer a new code (`/api2/acquire/resend`)."
    acquire_resend, "acquireResend", AcquireResend, "Promise<OperationStatus>", "AcquireResendParams";
    " An operation's status (`/api2/status`), by `id` or by your `uniqID`."
    status, "status", Status, "Promise<OperationStatus>", "StatusParams";
    " Balances available for payouts, by payment direction (`/api2/balance`)."
    " @deprecated The gateway deprecated this endpoint (to be removed after 2024): use `balanceAll`."
    balance, "balance", Balance, "Promise<Balances>";
    " Balances available for payouts, by currency (`/api2/balance_all`)."
    balance_all, "balanceAll", BalanceAll, "Promise<BalancesByCurrency>";
    " Daily payout limits and what may still be paid out today (`/api2/withdraw/limit`)."
    withdraw_limit, "withdrawLimit", WithdrawLimit, "Promise<WithdrawLimits>";
    " Opens a dispute about an operation (`/api2/dispute`) and returns the dispute's id as the"
    " gateway sent it: the seed's one-value answers come as strings (`{\"result\":\"123456\"}`),"
    " its dispute objects with a number. Not retried after a lost answer: a second dispute could"
    " be opened."
    dispute, "dispute", Dispute, "Promise<number | string>", "DisputeParams";
    " A dispute's state (`/api2/dispute/status`)."
    dispute_status, "disputeStatus", DisputeStatus, "Promise<DisputeInfo>", "DisputeStatusParams";
    " Sends the given parameters to `/api2/echo`, signed like every request, and returns how the"
    " gateway received them. With a `key` parameter (a test key, never your API key) it also"
    " returns the string it signs and the signature."
    echo, "echo", Echo, "Promise<EchoResult>", "SignParams";
}
