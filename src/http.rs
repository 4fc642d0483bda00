//! HTTP for both clients, sans I/O. An operation (one call with its retries, or a create
//! that reads itself back after a lost answer) is a synchronous state machine, a
//! [`Conversation`]: it builds requests and decides what every answer means. One small async
//! loop in JavaScript (pkg-template/http.js) executes it: it sends each request (through
//! node:http in Node, the runtime's `fetch` elsewhere, or an injected fetch) with the client's
//! timeout and the caller's `AbortSignal`, hands the outcome to [`http_read`], and sends,
//! waits or settles as told.
//!
//! Why not Rust futures: every `async fn` is a state machine of its own in the `.wasm`, and
//! each awaited promise costs wasm-bindgen two closures registered for finalization, whose
//! garbage collection cost Node about as much per call as the loopback round trip's margin.

use crate::js::error;
use js_sys::{Function, Promise, Reflect};
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

/// Default time for one attempt, as in stripe-node and the issue.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// Retries after the first attempt, where retrying is safe.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
const BACKOFF_BASE_MS: f64 = 250.0;
const BACKOFF_CAP_MS: f64 = 8_000.0;
/// The longest `Retry-After` a call waits out, as stripe-node and openai-node: a server that
/// asks for more (maintenance for an hour) is not back within the call, which then ends with
/// its failure at once instead of hanging or, past setTimeout's 2^31 ms, retrying at once.
pub const MAX_RETRY_AFTER_MS: u32 = 60_000;
const EXCERPT_CHARS: usize = 200;

/// A request ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub url: String,
    pub method: &'static str,
    pub headers: Headers,
    pub body: Option<String>,
}

/// An answer with any HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub body: String,
    /// `Retry-After` in milliseconds from now, when the server sent one that reads.
    pub retry_after_ms: Option<u32>,
}

/// Why no usable answer came back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportFailure {
    #[error("network error: {0}")]
    Network(String),
    #[error("no answer within {0} ms")]
    Timeout(u32),
    #[error("the request was aborted by its AbortSignal")]
    Aborted,
    #[error("HTTP {status} from the server{}", redirect_hint(.status))]
    Status { status: u16, excerpt: String },
    #[error("the server's answer is not JSON")]
    NotJson { status: u16, excerpt: String },
}

impl TransportFailure {
    pub fn kind(&self) -> &'static str {
        match self {
            TransportFailure::Network(_) => "network",
            TransportFailure::Timeout(_) => "timeout",
            TransportFailure::Aborted => "aborted",
            TransportFailure::Status { .. } => "http_status",
            TransportFailure::NotJson { .. } => "not_json",
        }
    }

    /// A failure the same request may get past on a later try; an abort is the caller's wish,
    /// and a redirect or a refused request answers the same way every time.
    pub fn retryable(&self) -> bool {
        !matches!(self, TransportFailure::Aborted)
            && !matches!(self, TransportFailure::Status { status, .. }
                if is_redirect(*status) || ((400..500).contains(status) && *status != 429 && *status != 408))
    }

    pub fn to_js(&self) -> JsValue {
        let mut props = vec![
            ("kind", JsValue::from_str(self.kind())),
            ("retryable", JsValue::from_bool(self.retryable())),
        ];
        if let TransportFailure::Status { status, excerpt }
        | TransportFailure::NotJson { status, excerpt } = self
        {
            props.push(("status", JsValue::from(*status)));
            props.push(("bodyExcerpt", JsValue::from_str(excerpt)));
        }
        error("TransportError", &self.to_string(), &props)
    }
}

/// A 3xx, or the status 0 of the `opaqueredirect` a browser's `fetch` gives for a redirect
/// it was told not to follow (`redirect: 'manual'`), hiding where it pointed.
fn is_redirect(status: u16) -> bool {
    status == 0 || (300..400).contains(&status)
}

/// What to do about a redirect, which no client follows: a POST sent on to another address
/// (or turned into a GET, as `fetch` does for 301 and 302) is not the call the caller made,
/// and it would take the exchanger's API-KEY header or a signed body to that address.
fn redirect_hint(status: &u16) -> &'static str {
    if is_redirect(*status) {
        ": a redirect, which the client does not follow; set baseUrl to the address it points to (its Location header)"
    } else {
        ""
    }
}

/// `Retry-After` (RFC 9110, 10.2.3) as milliseconds after `now_ms` (Unix time): delay-seconds
/// or an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`; one in the past is 0). Anything else
/// (the obsolete date forms, garbage) is `None`, which leaves the backoff.
pub fn retry_after_ms(value: &str, now_ms: f64) -> Option<u32> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is still "a very long time".
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(u32::try_from(seconds.saturating_mul(1000)).unwrap_or(u32::MAX));
    }
    let at_ms = http_date_secs(value)? as f64 * 1000.0;
    Some((at_ms - now_ms).clamp(0.0, f64::from(u32::MAX)) as u32)
}

/// An IMF-fixdate as Unix seconds.
fn http_date_secs(value: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts: Vec<&str> = value.split(' ').collect();
    let [weekday, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    let number = |s: &str, digits: usize| {
        (s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i64>().ok())
            .flatten()
    };
    let (day, year) = (number(day, 2)?, number(year, 4)?);
    let month = MONTHS.iter().position(|m| m == month)? as i64 + 1;
    let clock: Vec<i64> = time
        .split(':')
        .map(|t| number(t, 2))
        .collect::<Option<_>>()?;
    let [hour, minute, second] = clock.as_slice() else {
        return None;
    };
    let valid = weekday.len() == 4
        && weekday.ends_with(',')
        && (1..=31).contains(&day)
        && *hour < 24
        && *minute < 60
        && *second < 61;
    valid.then(|| days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A short excerpt of an answer with every secret masked, for errors and logs.
pub fn excerpt<S: AsRef<str>>(body: &str, secrets: &[S]) -> String {
    let secrets = || secrets.iter().map(AsRef::as_ref).filter(|s| s.len() >= 4);
    let mut text: String = body.chars().take(EXCERPT_CHARS).collect();
    for secret in secrets() {
        text = text.replace(secret, "***");
    }
    // A secret cut in half by the length limit must not leak its first part.
    for secret in secrets() {
        for cut in (4..secret.len()).rev() {
            if let Some(prefix) = secret.get(..cut) {
                if text.ends_with(prefix) {
                    text.truncate(text.len() - prefix.len());
                    text.push_str("***");
                    break;
                }
            }
        }
    }
    text
}

/// `CallOptions` in the package's typings: what every client method takes last.
#[cfg(feature = "sdk")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const CALL_OPTIONS_TS: &'static str = r#"
/** One attempt of a client's request, as `onRequest` sees it: never its headers or body,
 * which hold the keys. */
export interface RequestEvent {
  /** The URL the attempt went to. */
  url: string;
  /** The HTTP method. */
  method: string;
  /** 1 for a request's first attempt, 2 for its first retry, and so on. */
  attempt: number;
  /** The HTTP status, when an answer came. */
  status?: number;
  /** When no answer came: why (`network`, `timeout` or `aborted`). */
  error?: 'network' | 'timeout' | 'aborted';
  /** Milliseconds from sending to the answer's last byte, or to the failure. */
  elapsedMs: number;
  /** What the client does next: settle the call (`done` or `fail`), send the same request
   * again after `retryInMs` (`retry`), or send the operation's next request (`next`). */
  outcome: 'done' | 'fail' | 'retry' | 'next';
  /** With `retry`: the wait before it, from `Retry-After` or the backoff. */
  retryInMs?: number;
}
/** Per-call options of every client method. */
export interface CallOptions {
  /** Aborts the call (and its retries): it then rejects with a `TransportError` of kind `aborted`. */
  signal?: AbortSignal;
  /** Time for each attempt of this call in milliseconds, instead of the client's `timeoutMs`. */
  timeoutMs?: number;
}
"#;

/// Per-call options of every client method.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    pub signal: Option<AbortSignal>,
    pub timeout_ms: Option<u32>,
}

impl CallOptions {
    /// Reads `{ signal?, timeoutMs? }`; anything else is a `TypeError`.
    pub fn from_js(value: &JsValue) -> Result<CallOptions, JsValue> {
        if value.is_undefined() || value.is_null() {
            return Ok(CallOptions::default());
        }
        if !value.is_object() {
            return Err(crate::js::type_error(
                "options must be an object: { signal?, timeoutMs? }",
            ));
        }
        let signal = Reflect::get(value, &"signal".into())?;
        let signal = if signal.is_undefined() || signal.is_null() {
            None
        } else if signal.has_type::<AbortSignal>() || signal_like(&signal) {
            Some(signal.unchecked_into::<AbortSignal>())
        } else {
            return Err(crate::js::type_error(
                "options.signal must be an AbortSignal",
            ));
        };
        let timeout = Reflect::get(value, &"timeoutMs".into())?;
        let timeout_ms = positive_ms(&timeout, "options.timeoutMs")?;
        Ok(CallOptions { signal, timeout_ms })
    }

    /// True once the caller's signal has aborted.
    pub fn aborted(&self) -> bool {
        self.signal.as_ref().is_some_and(AbortSignal::aborted)
    }
}

/// An AbortSignal of another realm or a polyfill: what the transports use of one. An object
/// with `aborted` alone used to pass, and its missing `removeEventListener` then threw in a
/// timer callback, an uncaught exception that ends a Node process.
fn signal_like(value: &JsValue) -> bool {
    let function = |name: &str| Reflect::get(value, &name.into()).is_ok_and(|f| f.is_function());
    Reflect::has(value, &"aborted".into()).unwrap_or(false)
        && function("addEventListener")
        && function("removeEventListener")
}

/// A positive whole number of milliseconds, or `None` when absent.
pub fn positive_ms(value: &JsValue, name: &str) -> Result<Option<u32>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n.is_finite() && n >= 1.0 && n <= u32::MAX as f64 && n.fract() == 0.0 => {
            Ok(Some(n as u32))
        }
        _ => Err(crate::js::type_error(&format!(
            "{name} must be a positive whole number of milliseconds"
        ))),
    }
}

/// How a client reaches the network.
#[derive(Debug, Clone)]
pub struct Http {
    /// An injected `fetch`; `None` uses the runtime's global one.
    pub fetch: Option<Function>,
    pub timeout_ms: u32,
    pub max_retries: u32,
    /// Told of every attempt (`RequestEvent`), for logs and metrics.
    pub on_request: Option<Function>,
    /// Masked out of every excerpt.
    pub secrets: Vec<String>,
    #[cfg(feature = "sdk")]
    /// The last request's headers as a JS object, reused while they stay the same (a
    /// client's rarely change): every string that crosses into JS costs a decode.
    headers: std::cell::RefCell<Option<(Headers, js_sys::Object)>>,
}

/// Header names and values in order.
pub type Headers = Vec<(String, String)>;

impl Http {
    /// Reads `fetch`, `timeoutMs`, `maxRetries`, `onRequest` from a client's options object.
    pub fn from_options(options: &JsValue, secrets: Vec<String>) -> Result<Http, JsValue> {
        let get = |name: &str| Reflect::get(options, &name.into()).unwrap_or(JsValue::UNDEFINED);
        let function = |name: &str| {
            let value = get(name);
            if value.is_undefined() || value.is_null() {
                return Ok(None);
            }
            value
                .dyn_into::<Function>()
                .map(Some)
                .map_err(|_| crate::js::type_error(&format!("{name} must be a function")))
        };
        let fetch = function("fetch")?;
        let on_request = function("onRequest")?;
        let timeout_ms = positive_ms(&get("timeoutMs"), "timeoutMs")?.unwrap_or(DEFAULT_TIMEOUT_MS);
        let retries = get("maxRetries");
        let max_retries = if retries.is_undefined() || retries.is_null() {
            DEFAULT_MAX_RETRIES
        } else {
            match retries.as_f64() {
                Some(n) if (0.0..=10.0).contains(&n) && n.fract() == 0.0 => n as u32,
                _ => {
                    return Err(crate::js::type_error(
                        "maxRetries must be a whole number from 0 to 10",
                    ))
                }
            }
        };
        Ok(Http {
            fetch,
            timeout_ms,
            max_retries,
            on_request,
            secrets,
            #[cfg(feature = "sdk")]
            headers: std::cell::RefCell::new(None),
        })
    }

    #[cfg(feature = "sdk")]
    /// `headers` as a JS object (`fetch` only reads it).
    fn headers_js(&self, headers: &[(String, String)]) -> js_sys::Object {
        let mut cache = self.headers.borrow_mut();
        if let Some((cached, object)) = cache.as_ref() {
            if cached == headers {
                return object.clone();
            }
        }
        let object = js_sys::Object::new();
        for (name, value) in headers {
            let _ = Reflect::set(&object, &name.into(), &value.into());
        }
        *cache = Some((headers.to_vec(), object.clone()));
        object
    }
}

/// What an operation makes of one attempt.
pub enum Step {
    /// Finished: the call's promise settles with this.
    Done(Result<JsValue, JsValue>),
    /// Send the same request again, after `Retry-After` (in ms) or else the backoff.
    Retry(Option<u32>),
    /// Send this request next, with up to this many retries of its own.
    Send(HttpRequest, u32),
}

/// One operation of a client: the requests it needs, one at a time, and what it makes of
/// each answer.
pub trait Conversation {
    fn http(&self) -> &Http;

    /// Reads one attempt. `can_retry` says whether a [`Step::Retry`] would be honoured
    /// (retries are left and the caller has not aborted); otherwise the failure is final.
    fn read(&mut self, attempt: Result<HttpResponse, TransportFailure>, can_retry: bool) -> Step;
}

/// The flights: conversations between two attempts, and the loop's two entry points.
#[cfg(feature = "sdk")]
mod flight {
    use super::*;
    use js_sys::{Array, Object};
    use std::cell::RefCell;

    #[wasm_bindgen]
    extern "C" {
        /// pkg-template/http.js: runs flight `id` from its first request to its end. It sends
        /// through node:http in Node and the global `fetch(url, init)` elsewhere (building a
        /// `Request` first costs fetch a second copy of the request and its body stream), or
        /// calls `fetch(new Request(url, init))` when one was injected.
        #[wasm_bindgen(js_name = obmennikConverse)]
        #[allow(clippy::too_many_arguments)]
        fn converse(
            id: u32,
            url: &str,
            method: &str,
            headers: &Object,
            body: Option<String>,
            fetch: &JsValue,
            timeout_ms: u32,
            signal: &JsValue,
            timed: bool,
        ) -> Promise;
    }

    /// Bytes as `Response.text()` reads them: UTF-8 with U+FFFD for invalid sequences, a
    /// leading byte order mark dropped. Read as bytes and decoded once here, since `text()`
    /// would decode to UTF-16 only for the string to be encoded back to UTF-8 on its way in.
    pub(super) fn utf8_text(bytes: Vec<u8>) -> String {
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        match text.strip_prefix('\u{FEFF}') {
            Some(rest) => rest.to_owned(),
            None => text,
        }
    }

    /// A JS failure as short text: fetch's `TypeError: fetch failed` plus its cause's code, or
    /// node:http's own message, which carries the code (`connect ECONNREFUSED 127.0.0.1:9`).
    fn describe(value: &JsValue) -> String {
        let message = Reflect::get(value, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .or_else(|| value.as_string())
            .unwrap_or_else(|| "fetch failed".to_owned());
        let cause = Reflect::get(value, &"cause".into())
            .ok()
            .filter(|c| c.is_object())
            .and_then(|c| Reflect::get(&c, &"code".into()).ok())
            .and_then(|c| c.as_string());
        match cause {
            Some(code) => format!("{message} ({code})"),
            None => message,
        }
    }

    /// A conversation in flight, between two attempts.
    struct Flight {
        conversation: Box<dyn Conversation>,
        call: CallOptions,
        timeout_ms: u32,
        retries: u32,
        attempt: u32,
        /// The request being tried, kept only for `onRequest`.
        sending: Option<(String, &'static str)>,
    }

    /// Tells `onRequest` of one attempt (a `RequestEvent`): the URL, never the headers or the
    /// body, which hold the keys. What it throws is dropped, so a broken logger cannot fail a
    /// payment call.
    fn report(
        on_request: &Function,
        (url, method): &(String, &'static str),
        attempt: u32,
        answer: Result<u16, &'static str>,
        elapsed_ms: f64,
        (outcome, retry_ms): (&str, Option<u32>),
    ) {
        let event = Object::new();
        let or_undefined = |v: Option<JsValue>| v.unwrap_or(JsValue::UNDEFINED);
        for (name, value) in [
            ("url", JsValue::from_str(url)),
            ("method", JsValue::from_str(method)),
            ("attempt", JsValue::from(attempt)),
            ("status", or_undefined(answer.ok().map(JsValue::from))),
            ("error", or_undefined(answer.err().map(JsValue::from_str))),
            ("elapsedMs", JsValue::from(elapsed_ms)),
            ("outcome", JsValue::from_str(outcome)),
            ("retryInMs", or_undefined(retry_ms.map(JsValue::from))),
        ] {
            let _ = Reflect::set(&event, &name.into(), &value);
        }
        let _ = on_request.call1(&JsValue::UNDEFINED, &event);
    }

    /// A flight's place between (and during) its attempts.
    enum Slot {
        Free,
        Waiting(Flight),
        /// Taken out by [`http_read`], and still its own: `onRequest` may start another call
        /// from inside it, which must not be given this id and then be overwritten.
        Reading,
    }

    thread_local! {
        /// Flights by id; a finished one leaves its slot free for the next.
        static FLIGHTS: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
    }

    /// Runs `conversation` from `request` (with up to `retries` retries) to its end, as a promise.
    pub fn start(
        conversation: impl Conversation + 'static,
        call: CallOptions,
        request: HttpRequest,
        retries: u32,
    ) -> Promise {
        let http = conversation.http();
        let fetch = http.fetch.clone().map_or(JsValue::UNDEFINED, JsValue::from);
        let timed = http.on_request.is_some();
        let timeout_ms = call.timeout_ms.unwrap_or(http.timeout_ms);
        let signal = call
            .signal
            .clone()
            .map_or(JsValue::UNDEFINED, JsValue::from);
        let headers = http.headers_js(&request.headers);
        let flight = Flight {
            conversation: Box::new(conversation),
            call,
            timeout_ms,
            retries,
            attempt: 0,
            sending: timed.then(|| (request.url.clone(), request.method)),
        };
        let id = FLIGHTS.with(|flights| {
            let mut flights = flights.borrow_mut();
            match flights.iter().position(|slot| matches!(slot, Slot::Free)) {
                Some(free) => {
                    flights[free] = Slot::Waiting(flight);
                    free
                }
                None => {
                    flights.push(Slot::Waiting(flight));
                    flights.len() - 1
                }
            }
        });
        converse(
            id as u32,
            &request.url,
            request.method,
            &headers,
            request.body,
            &fetch,
            timeout_ms,
            &signal,
            timed,
        )
    }

    /// Step codes of [`http_read`], as pkg-template/http.js reads them.
    const RESOLVE: u32 = 0;
    const REJECT: u32 = 1;
    const WAIT: u32 = 2;
    const SEND: u32 = 3;

    /// One attempt of flight `id`, as pkg-template/http.js saw it: `body` is the answer's bytes
    /// (with its `status` and `Retry-After`), or else `error` is what `fetch` threw (`null`: an
    /// injected fetch resolved to something that is not a `Response`) and `timed_out` says the
    /// client's timer aborted it; `elapsed_ms` is the attempt's time when `onRequest` wants it.
    /// Returns what to do: `[0, value]` resolve, `[1, error]` reject, `[2, ms]` wait and send
    /// the same request again, `[3, url, method, headers, body]` send this one next.
    #[wasm_bindgen(js_name = __obmennikHttpRead, skip_typescript)]
    pub fn http_read(
        id: u32,
        status: u16,
        retry_after: Option<String>,
        body: Option<Vec<u8>>,
        error: JsValue,
        timed_out: bool,
        elapsed_ms: f64,
    ) -> Array {
        let taken = FLIGHTS.with(|flights| {
            let mut flights = flights.borrow_mut();
            let slot = flights.get_mut(id as usize)?;
            match std::mem::replace(slot, Slot::Reading) {
                Slot::Waiting(flight) => Some(flight),
                other => {
                    *slot = other;
                    None
                }
            }
        });
        let Some(mut flight) = taken else {
            return Array::of2(&REJECT.into(), &crate::js::type_error("no such request"));
        };
        let outcome = match body {
            Some(bytes) => Ok(HttpResponse {
                status,
                body: utf8_text(bytes),
                retry_after_ms: retry_after.and_then(|s| retry_after_ms(&s, js_sys::Date::now())),
            }),
            None if flight.call.aborted() => Err(TransportFailure::Aborted),
            None if timed_out => Err(TransportFailure::Timeout(flight.timeout_ms)),
            None if error.is_null() => Err(TransportFailure::Network(
                "the injected fetch did not resolve to a Response".to_owned(),
            )),
            None => Err(TransportFailure::Network(describe(&error))),
        };
        let answer = outcome.as_ref().map(|r| r.status).map_err(|f| f.kind());
        // A server that asks for a longer wait than a call makes gets its failure reported.
        let waits_too_long = outcome
            .as_ref()
            .is_ok_and(|r| r.retry_after_ms.is_some_and(|ms| ms > MAX_RETRY_AFTER_MS));
        let can_retry =
            flight.attempt < flight.retries && !flight.call.aborted() && !waits_too_long;
        let decision = flight.conversation.read(outcome, can_retry);
        let retry_ms = match &decision {
            Step::Retry(after) => Some(after.unwrap_or_else(|| backoff_ms(flight.attempt))),
            _ => None,
        };
        if let (Some(on_request), Some(sending)) =
            (&flight.conversation.http().on_request, &flight.sending)
        {
            let outcome = match &decision {
                Step::Done(Ok(_)) => "done",
                Step::Done(Err(_)) => "fail",
                Step::Retry(_) => "retry",
                Step::Send(..) => "next",
            };
            let attempt = flight.attempt + 1;
            report(
                on_request,
                sending,
                attempt,
                answer,
                elapsed_ms,
                (outcome, retry_ms),
            );
        }
        let step = match decision {
            Step::Done(done) => {
                set_slot(id, Slot::Free);
                return match done {
                    Ok(value) => Array::of2(&RESOLVE.into(), &value),
                    Err(error) => Array::of2(&REJECT.into(), &error),
                };
            }
            Step::Retry(_) => {
                flight.attempt += 1;
                Array::of2(&WAIT.into(), &retry_ms.unwrap_or_default().into())
            }
            Step::Send(request, retries) => {
                flight.retries = retries;
                flight.attempt = 0;
                if flight.sending.is_some() {
                    flight.sending = Some((request.url.clone(), request.method));
                }
                Array::of5(
                    &SEND.into(),
                    &request.url.as_str().into(),
                    &request.method.into(),
                    &flight.conversation.http().headers_js(&request.headers),
                    &request.body.map_or(JsValue::UNDEFINED, JsValue::from),
                )
            }
        };
        set_slot(id, Slot::Waiting(flight));
        step
    }

    fn set_slot(id: u32, to: Slot) {
        FLIGHTS.with(|flights| {
            if let Some(slot) = flights.borrow_mut().get_mut(id as usize) {
                *slot = to;
            }
        });
    }
}

#[cfg(feature = "sdk")]
pub use flight::{http_read, start};

/// A future boxed to one type, so the `.wasm` holds a single promise adapter for every
/// async export instead of one per future.
pub type LocalFuture = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

/// `future` as a JS promise.
pub fn spawn(future: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    spawn_boxed(Box::pin(future))
}

fn spawn_boxed(future: LocalFuture) -> Promise {
    wasm_bindgen_futures::future_to_promise(future)
}

/// 250 ms × 2^attempt, capped at 8 s, with "equal jitter" (half fixed, half random) so that
/// clients that failed together do not retry together.
pub fn backoff_ms(attempt: u32) -> u32 {
    let full = (BACKOFF_BASE_MS * 2f64.powi(attempt.min(16) as i32)).min(BACKOFF_CAP_MS);
    (full / 2.0 + js_sys::Math::random() * full / 2.0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_masks_secrets_whole_and_cut() {
        let secrets = vec!["supersecretkey".to_owned()];
        assert_eq!(
            excerpt("bad key supersecretkey here", &secrets),
            "bad key *** here"
        );
        let long = format!("{}supersec", "x".repeat(EXCERPT_CHARS - 8));
        assert!(excerpt(&long, &secrets).ends_with("***"));
        assert!(!excerpt(&long, &secrets).contains("supersec"));
    }

    #[test]
    fn redirects_and_client_errors_are_not_retried_but_server_errors_are() {
        let status = |status| TransportFailure::Status {
            status,
            excerpt: String::new(),
        };
        assert!(status(500).retryable());
        assert!(status(503).retryable());
        assert!(status(429).retryable());
        assert!(!status(404).retryable());
        assert!(!status(301).retryable());
        assert!(status(301).to_string().contains("set baseUrl"));
        // A browser's opaque redirect.
        assert!(!status(0).retryable());
        assert!(status(0).to_string().contains("a redirect"));
        assert_eq!(status(502).to_string(), "HTTP 502 from the server");
        assert!(!TransportFailure::Aborted.retryable());
        assert!(TransportFailure::Timeout(10).retryable());
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        // 2024-07-05 19:03:50 UTC, the seed's dispute callback's timeStamp.
        let now = 1_720_206_230_000.0;
        assert_eq!(retry_after_ms("120", now), Some(120_000));
        assert_eq!(retry_after_ms(" 0 ", now), Some(0));
        assert_eq!(retry_after_ms("3000000", now), Some(3_000_000_000));
        assert_eq!(retry_after_ms("5000000", now), Some(u32::MAX));
        assert_eq!(
            retry_after_ms("99999999999999999999999", now),
            Some(u32::MAX)
        );
        assert_eq!(
            retry_after_ms("Fri, 05 Jul 2024 19:04:20 GMT", now),
            Some(30_000)
        );
        assert_eq!(
            retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(0)
        );
        assert_eq!(
            http_date_secs("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(http_date_secs("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date_secs("Tue, 29 Feb 2000 23:59:59 GMT"),
            Some(951_868_799)
        );
        for garbage in [
            "",
            "-1",
            "1.5",
            "soon",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:49:37 GMT",
        ] {
            assert_eq!(retry_after_ms(garbage, now), None, "{garbage:?}");
        }
    }

    #[cfg(feature = "sdk")]
    #[test]
    fn bodies_decode_as_response_text_does() {
        use super::flight::utf8_text;
        assert_eq!(utf8_text(b"\xEF\xBB\xBF{}".to_vec()), "{}");
        assert_eq!(utf8_text(b"a\xFFb".to_vec()), "a\u{FFFD}b");
        assert_eq!(utf8_text("ок".as_bytes().to_vec()), "ок");
    }
}
