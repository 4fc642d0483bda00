//! The proxy that lets a browser (the widget, a partner page) use an `ExchangerClient`
//! without ever seeing its key (BRIEF 3.4). The browser POSTs `<mount>/<method>` with JSON or
//! form parameters; the proxy checks where it comes from, which method and which parameters,
//! forwards through the server's client, and answers `{"data": ...}` or
//! `{"error": {kind, code, message, fields}}` with a fitting HTTP status.
//!
//! Everything here is pure and tested natively; [`js_api`] wires it to `Request`/`Response`.

pub mod rate;

#[cfg(feature = "sdk")]
pub(crate) mod js_api;

use crate::exchanger::method::{Kind, Method};
use crate::exchanger::request::{is_api_id, parse_form};
use crate::php::PhpValue;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tsify::Tsify;

/// Methods a browser may call when the host does not say otherwise. Bid actions only by
/// `hash`: ids are sequential and guessable.
pub const DEFAULT_ALLOW: [Method; 8] = [
    Method::GetDirectionCurrencies,
    Method::GetDirections,
    Method::GetDirection,
    Method::GetCalc,
    Method::CreateBid,
    Method::BidInfo,
    Method::CancelBid,
    Method::PayBid,
];

/// Why a method is never opened to browsers, whatever the host's `allow` says: each reads or
/// moves what belongs to the API account, not to the person at the page. `None` for the
/// methods of [`DEFAULT_ALLOW`], so `allow` can only narrow the default.
pub fn server_only(method: Method) -> Option<&'static str> {
    match method {
        Method::Test => Some("it reports the API account's own details"),
        Method::GetExchanges => {
            Some("it lists every customer's bids, with their accounts and e-mails")
        }
        Method::SuccessBid => Some("it marks a bid as paid out"),
        Method::GetPartnerInfo
        | Method::GetPartnerLinks
        | Method::GetPartnerExchanges
        | Method::GetPartnerPayouts => {
            Some("it shows the partner account's earnings and referrals")
        }
        Method::AddPartnerPayout => Some("it withdraws the partner account's earnings"),
        Method::GetDirectionCurrencies
        | Method::GetDirections
        | Method::GetDirection
        | Method::GetCalc
        | Method::CreateBid
        | Method::BidInfo
        | Method::CancelBid
        | Method::PayBid => None,
    }
}

/// Default largest request body, in bytes.
pub const DEFAULT_MAX_BODY: usize = 16 * 1024;
/// Default time for a whole request body to arrive, in milliseconds: 16 KiB take well under
/// a second even on a poor mobile link, and a client trickling bytes holds a handler no longer.
pub const DEFAULT_BODY_TIMEOUT_MS: u32 = 10_000;
/// A browser's own `api_id` must be at least this long: with a shared API login, a replayed
/// `api_id` returns the bid made with it, so it must be unguessable.
pub const MIN_BROWSER_API_ID: usize = 16;

/// Why the proxy refused or failed a request (beyond the exchanger's own `ExchangerErrorKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "snake_case")]
pub enum ProxyErrorKind {
    /// 403: the method is not in the proxy's `allow` list.
    MethodNotAllowed,
    /// 400: malformed body, wrong types, `id` instead of `hash`, a forbidden parameter or header.
    BadRequest,
    /// 413: the body is over `maxBodyBytes`.
    PayloadTooLarge,
    /// 408: the body did not arrive within `bodyTimeoutMs`.
    RequestTimeout,
    /// 403: the page's origin is not in `cors.origins`.
    OriginNotAllowed,
    /// 429: too many requests from this client; see `Retry-After`.
    RateLimited,
    /// 405: only POST (and OPTIONS for preflight) are answered.
    HttpMethod,
    /// 504: the exchanger did not answer in time.
    UpstreamTimeout,
    /// 502: the exchanger could not be reached or answered with garbage.
    UpstreamUnavailable,
    /// 500: a fault in the proxy itself (a bug: please report it).
    Internal,
}

impl ProxyErrorKind {
    fn as_str(self) -> &'static str {
        match self {
            ProxyErrorKind::MethodNotAllowed => "method_not_allowed",
            ProxyErrorKind::BadRequest => "bad_request",
            ProxyErrorKind::PayloadTooLarge => "payload_too_large",
            ProxyErrorKind::RequestTimeout => "request_timeout",
            ProxyErrorKind::OriginNotAllowed => "origin_not_allowed",
            ProxyErrorKind::RateLimited => "rate_limited",
            ProxyErrorKind::HttpMethod => "http_method",
            ProxyErrorKind::UpstreamTimeout => "upstream_timeout",
            ProxyErrorKind::UpstreamUnavailable => "upstream_unavailable",
            ProxyErrorKind::Internal => "internal",
        }
    }

    fn status(self) -> u16 {
        match self {
            ProxyErrorKind::MethodNotAllowed | ProxyErrorKind::OriginNotAllowed => 403,
            ProxyErrorKind::BadRequest => 400,
            ProxyErrorKind::PayloadTooLarge => 413,
            ProxyErrorKind::RequestTimeout => 408,
            ProxyErrorKind::RateLimited => 429,
            ProxyErrorKind::HttpMethod => 405,
            ProxyErrorKind::UpstreamTimeout => 504,
            ProxyErrorKind::UpstreamUnavailable => 502,
            ProxyErrorKind::Internal => 500,
        }
    }
}

/// The body of every failed proxy answer: `{ "error": ProxyError }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct ProxyError {
    /// What went wrong: the exchanger's kind, or the proxy's own.
    #[tsify(type = "ExchangerErrorKind | ProxyErrorKind")]
    pub kind: String,
    /// The exchanger's `error` (1, 2, 3) for exchanger errors, 0 otherwise.
    pub code: i64,
    /// What happened, in English, safe to show (never a key or a hint about keys).
    pub message: String,
    /// Per-field messages as plain text (exchanger validation, or the proxy's checks).
    #[tsify(type = "Record<string, string>")]
    pub fields: BTreeMap<String, String>,
}

/// A failed proxy answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct ProxyFailure {
    /// Why.
    pub error: ProxyError,
}

/// Messages by field, in the order found.
pub type Fields = Vec<(String, String)>;

/// An answer to send: status, JSON body, and the headers that depend on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub retry_after: Option<u32>,
    /// `Allow` for 405.
    pub allow: Option<&'static str>,
}

impl Reply {
    /// `{"data": <json>}` with status 200.
    pub fn data(json: &str) -> Reply {
        Reply {
            status: 200,
            body: format!("{{\"data\":{json}}}"),
            retry_after: None,
            allow: None,
        }
    }

    fn error(status: u16, kind: &str, code: i64, message: &str, fields: Fields) -> Reply {
        let fields = fields
            .into_iter()
            .map(|(k, v)| (k, PhpValue::Str(v)))
            .collect();
        let error = PhpValue::Array(vec![
            ("kind".to_owned(), PhpValue::Str(kind.to_owned())),
            ("code".to_owned(), PhpValue::Int(code)),
            ("message".to_owned(), PhpValue::Str(message.to_owned())),
            ("fields".to_owned(), PhpValue::Array(fields)),
        ]);
        let mut body = String::from("{\"error\":");
        crate::json::encode(&error, &mut body);
        body.push('}');
        Reply {
            status,
            body,
            retry_after: None,
            allow: None,
        }
    }

    /// A refusal by the proxy itself.
    pub fn refuse(kind: ProxyErrorKind, message: &str) -> Reply {
        Reply::refuse_fields(kind, message, Vec::new())
    }

    /// A refusal naming fields.
    pub fn refuse_fields(kind: ProxyErrorKind, message: &str, fields: Fields) -> Reply {
        let mut reply = Reply::error(kind.status(), kind.as_str(), 0, message, fields);
        if kind == ProxyErrorKind::HttpMethod {
            reply.allow = Some("POST, OPTIONS");
        }
        reply
    }

    /// 429 with the seconds to wait.
    pub fn rate_limited(seconds: u32) -> Reply {
        let mut reply = Reply::refuse(
            ProxyErrorKind::RateLimited,
            "Too many requests; try again later.",
        );
        reply.retry_after = Some(seconds);
        reply
    }
}

/// A failure of the client call, as the proxy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upstream {
    /// An `ExchangerError`: its kind, code and field messages.
    Exchanger {
        kind: String,
        code: i64,
        fields: Fields,
    },
    /// A `TransportError` of this kind.
    Transport(String),
    /// The client's own checks refused the parameters (`ValidationError`).
    Validation(Fields),
    /// Anything else (a bug).
    Other,
}

/// The answer for a failed client call. Upstream misconfiguration gets a generic message:
/// the browser must learn nothing about keys, IPs or the API's settings.
pub fn failure(upstream: Upstream) -> Reply {
    match upstream {
        Upstream::Exchanger { kind, code, fields } => {
            let (status, message, fields) = match kind.as_str() {
                "validation" => (422, "The exchanger refused the data; see fields.", fields),
                "not_found" => (404, "Not found.", Vec::new()),
                "no_partner_program" => (404, "There is no partner programme.", Vec::new()),
                "maintenance" => (
                    503,
                    "The exchanger is under maintenance; try again later.",
                    Vec::new(),
                ),
                "action_disabled" => (
                    403,
                    "This action is not available for this bid.",
                    Vec::new(),
                ),
                _ => (502, "The exchange service is unavailable.", Vec::new()),
            };
            let mut reply = Reply::error(status, &kind, code, message, fields);
            if status == 503 {
                reply.retry_after = Some(60);
            }
            reply
        }
        Upstream::Transport(kind) if kind == "timeout" => Reply::refuse(
            ProxyErrorKind::UpstreamTimeout,
            "The exchanger did not answer in time.",
        ),
        Upstream::Transport(_) => Reply::refuse(
            ProxyErrorKind::UpstreamUnavailable,
            "The exchange service is unavailable.",
        ),
        Upstream::Validation(fields) => Reply::refuse_fields(
            ProxyErrorKind::BadRequest,
            "Invalid parameters; see fields.",
            fields,
        ),
        Upstream::Other => Reply::refuse(ProxyErrorKind::Internal, "Internal error in the proxy."),
    }
}

/// How the host configured the proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub allow: Vec<Method>,
    pub partner_id: Option<String>,
    pub callback_url: Option<String>,
    /// Origins allowed cross-origin; `*` allows any.
    pub origins: Vec<String>,
    pub max_body: usize,
    pub body_timeout_ms: u32,
    pub trust_proxy: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            allow: DEFAULT_ALLOW.to_vec(),
            partner_id: None,
            callback_url: None,
            origins: Vec::new(),
            max_body: DEFAULT_MAX_BODY,
            body_timeout_ms: DEFAULT_BODY_TIMEOUT_MS,
            trust_proxy: false,
        }
    }
}

/// The parts of a request decided on before its body is read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Head<'a> {
    pub http_method: &'a str,
    pub url: &'a str,
    /// The `Host` header: behind a framework that rewrites `url` to its own listening address
    /// (Next.js gives `http://localhost:3000/...`), the host the browser asked for.
    pub host: Option<&'a str>,
    pub origin: Option<&'a str>,
    pub content_length: Option<&'a str>,
    /// True when the request carries `API-LOGIN` or `API-KEY`.
    pub credential_headers: bool,
}

/// What to do with a request after its head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Answer the CORS preflight; `cors` is the origin to allow, if any.
    Preflight { cors: Option<String> },
    /// Read the body and call `method`; `cors` is the origin to echo, if any.
    Call {
        method: Method,
        cors: Option<String>,
    },
}

/// `scheme://host[:port]` → `host[:port]`, and the path without query or fragment.
pub fn split_url(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let path = tail.split(['?', '#']).next().unwrap_or("");
    (authority, path)
}

/// `origin` as a browser's `Origin` header would carry it: lowercase scheme and host, no
/// default port, no trailing slash. `None` when it is not an http(s) origin at all (a path, a
/// query, user info, no host). A `cors.origins` entry is compared byte for byte with the header,
/// so one that is not already in this form never matches.
pub fn canonical_origin(origin: &str) -> Option<String> {
    let (scheme, rest) = origin.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => ":443",
        "http" => ":80",
        _ => return None,
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.is_empty() || authority.contains(['/', '?', '#', '@', ' ']) {
        return None;
    }
    let host = authority.to_ascii_lowercase();
    let host = host.strip_suffix(default_port).unwrap_or(&host);
    Some(format!("{scheme}://{host}"))
}

impl Config {
    /// The origin to echo in `Access-Control-Allow-Origin`: `None` for same-origin requests
    /// (no `Origin`, or the request's own host); `Err` when the origin is not allowed.
    fn cors(&self, head: &Head) -> Result<Option<String>, Reply> {
        let Some(origin) = head.origin else {
            return Ok(None);
        };
        let (origin_host, _) = split_url(origin);
        let (own_host, _) = split_url(head.url);
        let same = |host: &str| origin_host.eq_ignore_ascii_case(host.trim());
        if origin != "null" && (same(own_host) || head.host.is_some_and(same)) {
            return Ok(None);
        }
        if self
            .origins
            .iter()
            .any(|o| o == "*" || o.trim_end_matches('/') == origin)
        {
            return Ok(Some(origin.to_owned()));
        }
        Err(Reply::refuse(
            ProxyErrorKind::OriginNotAllowed,
            "This origin may not use the exchange proxy.",
        ))
    }

    /// Decides on a request from its head.
    pub fn route(&self, head: &Head) -> Result<Route, Reply> {
        let cors = self.cors(head)?;
        match head.http_method {
            "OPTIONS" => return Ok(Route::Preflight { cors }),
            "POST" => {}
            _ => {
                return Err(Reply::refuse(
                    ProxyErrorKind::HttpMethod,
                    "Use POST <proxy>/<method>.",
                ))
            }
        }
        if head.credential_headers {
            return Err(Reply::refuse(
                ProxyErrorKind::BadRequest,
                "API credentials are not accepted here: the proxy uses its own.",
            ));
        }
        let (_, path) = split_url(head.url);
        let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        let method = Method::from_wire(name).filter(|m| self.allow.contains(m));
        let Some(method) = method else {
            return Err(Reply::refuse(
                ProxyErrorKind::MethodNotAllowed,
                "This method is not available through the proxy.",
            ));
        };
        // An unreadable length is left to the body reader, which counts every byte.
        let length = head
            .content_length
            .and_then(|l| l.trim().parse::<u64>().ok());
        if length.is_some_and(|n| n > self.max_body as u64) {
            return Err(too_large(self.max_body));
        }
        Ok(Route::Call { method, cors })
    }

    /// The rate-limit key: the host's `clientIp`, else, behind a trusted proxy, the last
    /// `X-Forwarded-For` entry: the address that proxy saw and appended, while every entry
    /// before it is the client's to write. `CF-Connecting-IP` is not read: only Cloudflare sets
    /// it, and behind any other proxy it comes from the client; Cloudflare also appends to
    /// `X-Forwarded-For`. Else one bucket for everyone.
    pub fn rate_key(&self, client_ip: Option<&str>, forwarded_for: Option<&str>) -> String {
        let given = |a: &&str| !a.trim().is_empty();
        let forwarded = forwarded_for
            .filter(|_| self.trust_proxy)
            .and_then(|list| list.rsplit(',').next());
        client_ip
            .filter(given)
            .or(forwarded.filter(given))
            .map_or_else(|| "*".to_owned(), rate::address_key)
    }

    /// The parameters to pass to the client for `method`, from the body the browser sent.
    pub fn params(
        &self,
        method: Method,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Vec<(String, PhpValue)>, Reply> {
        let bad = |message: &str| Reply::refuse(ProxyErrorKind::BadRequest, message);
        let text = std::str::from_utf8(body).map_err(|_| bad("The body is not UTF-8."))?;
        let media = content_type
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let given: Vec<(String, PhpValue)> = if text.trim().is_empty() {
            Vec::new()
        } else if media == "application/json" {
            match crate::json::decode(text) {
                Ok(PhpValue::Array(entries)) => entries,
                _ => return Err(bad("The body must be a JSON object of parameters.")),
            }
        } else if media == "application/x-www-form-urlencoded" {
            parse_form(text)
                .ok_or_else(|| bad("The form body is not valid UTF-8 after decoding."))?
                .into_iter()
                .map(|(k, v)| (k, PhpValue::Str(v)))
                .collect()
        } else {
            return Err(bad(
                "Send the parameters as application/json or application/x-www-form-urlencoded.",
            ));
        };
        let mut problems: Fields = Vec::new();
        let mut out = Vec::with_capacity(given.len() + 2);
        for (name, value) in given {
            let Some(param) = method.param(&name) else {
                continue; // not a parameter of this method: dropped
            };
            match name.as_str() {
                // The host's own values are injected below.
                "partner_id" => continue,
                "callback_url" => {
                    problems.push((name, "is set by the server, not by the browser".to_owned()));
                    continue;
                }
                "id" if method.addresses_bid() => {
                    problems.push((
                        name,
                        "is not accepted: address the bid by its hash".to_owned(),
                    ));
                    continue;
                }
                "api_id" if !matches!(&value, PhpValue::Str(s) if s.len() >= MIN_BROWSER_API_ID && is_api_id(s)) =>
                {
                    problems.push((name, format!("must be {MIN_BROWSER_API_ID} to 100 characters (A-Z a-z 0-9 _ . : @ # / -) with at least 96 random bits, e.g. a UUID")));
                    continue;
                }
                _ => {}
            }
            let ok = match &value {
                PhpValue::Null => continue,
                PhpValue::Str(_) | PhpValue::Int(_) | PhpValue::Float(_) | PhpValue::Bool(_) => {
                    true
                }
                PhpValue::Array(entries) => {
                    param.kind == Kind::Cd
                        && entries.iter().all(|(_, v)| {
                            matches!(v, PhpValue::Str(_) | PhpValue::Int(_) | PhpValue::Float(_))
                        })
                }
                PhpValue::List(_) => false,
            };
            if ok {
                out.push((name, value));
            } else {
                problems.push((name, "must be a string, number or boolean".to_owned()));
            }
        }
        if method.addresses_bid()
            && !out.iter().any(|(n, _)| n == "hash")
            && !problems.iter().any(|(n, _)| n == "id")
        {
            problems.push(("hash".to_owned(), "is required".to_owned()));
        }
        if !problems.is_empty() {
            return Err(Reply::refuse_fields(
                ProxyErrorKind::BadRequest,
                "Invalid parameters; see fields.",
                problems,
            ));
        }
        if method == Method::CreateBid {
            if let Some(id) = &self.partner_id {
                out.push(("partner_id".to_owned(), PhpValue::Str(id.clone())));
            }
            if let Some(url) = &self.callback_url {
                out.push(("callback_url".to_owned(), PhpValue::Str(url.clone())));
            }
        }
        Ok(out)
    }
}

/// The exchanger language (`API-LANG`) for a browser's `Accept-Language`: the most preferred of
/// Russian and English, the two languages the exchanger script ships, or `None` (the site's
/// default) when it names neither. The header is mapped to one of two fixed values, never
/// forwarded, so the exchanger's texts (field labels, errors, statuses, instructions) come in
/// the user's language while nothing the browser wrote reaches the exchanger.
pub fn api_lang(accept_language: &str) -> Option<&'static str> {
    let mut best: Option<(&'static str, f64)> = None;
    for range in accept_language.split(',') {
        let mut parts = range.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        let lang = if primary.eq_ignore_ascii_case("ru") {
            "ru_RU"
        } else if primary.eq_ignore_ascii_case("en") {
            "en_US"
        } else {
            continue;
        };
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .map_or(Some(1.0), |q| decimal(q.trim()))
            .unwrap_or(0.0);
        if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
            best = Some((lang, q));
        }
    }
    best.map(|(lang, _)| lang)
}

/// A plain decimal such as a q-value (`1`, `0.8`, `.5`), without core's float parser.
fn decimal(text: &str) -> Option<f64> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if int.is_empty() && frac.is_empty()
        || !(int.bytes().chain(frac.bytes())).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits = |s: &str| s.bytes().fold(0.0, |n, b| n * 10.0 + f64::from(b - b'0'));
    // Nine places are more than any q-value has (the grammar allows three).
    let frac = frac.get(..frac.len().min(9)).unwrap_or("");
    Some(digits(int) + digits(frac) / 10f64.powi(frac.len() as i32))
}

/// 413 for a body over `max` bytes.
pub fn too_large(max: usize) -> Reply {
    Reply::refuse(
        ProxyErrorKind::PayloadTooLarge,
        &format!("The body is over {max} bytes."),
    )
}

/// 408 for a body that took over `ms` milliseconds.
pub fn too_slow(ms: u32) -> Reply {
    Reply::refuse(
        ProxyErrorKind::RequestTimeout,
        &format!("The body did not arrive within {ms} ms."),
    )
}

#[cfg(test)]
mod tests;
