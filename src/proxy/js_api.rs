//! `createExchangerProxy` for Fetch API runtimes: reads the `Request`, lets [`super::Config`]
//! decide, calls the host's `ExchangerClient` through its public methods, and builds the
//! `Response`. Every failure becomes a JSON answer; nothing throws out of the handler.

use super::rate::RateLimiter;
use super::{failure, too_large, too_slow, Config, Fields, Head, Reply, Route, Upstream};
use crate::exchanger::call_method;
use crate::exchanger::method::{Kind, Method};
use crate::exchanger::request::check;
use crate::http::spawn;
use crate::js::{entries_to_js, opt, type_error};
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(typescript_custom_section)]
const PROXY_TS: &'static str = r#"
/** A method name of the exchanger user API v1, as in the URL. */
export type ExchangerMethod =
  | 'test' | 'get_direction_currencies' | 'get_directions' | 'get_direction' | 'get_calc'
  | 'get_exchanges' | 'create_bid' | 'cancel_bid' | 'pay_bid' | 'success_bid' | 'bid_info'
  | 'get_partner_info' | 'get_partner_links' | 'get_partner_exchanges' | 'get_partner_payouts'
  | 'add_partner_payout';
/** The methods `createExchangerProxy` can open to browsers. */
export type ProxyMethod =
  | 'get_direction_currencies' | 'get_directions' | 'get_direction' | 'get_calc'
  | 'create_bid' | 'bid_info' | 'cancel_bid' | 'pay_bid';
/** Options of `createExchangerProxy`. */
export interface ExchangerProxyOptions {
  /** The server's client; its key never leaves the server. */
  client: ExchangerClient;
  /** Methods browsers may call, some of the default: get_direction_currencies,
   * get_directions, get_direction, get_calc, create_bid, bid_info, cancel_bid, pay_bid. Bid
   * actions are always by `hash` only. The other methods read or move what belongs to the API
   * account and are refused here with a TypeError. */
  allow?: ProxyMethod[];
  /** Injected into every `create_bid`; a browser's `partner_id` is dropped. */
  partnerId?: string | number;
  /** Injected into every `create_bid`; a browser's `callback_url` is refused. */
  callbackUrl?: string;
  /** Origins allowed to call cross-origin, each as a browser's `Origin` header has it
   * (`https://partner.example`; checked at creation), or `'*'` for every origin; same-origin
   * calls always pass. */
  cors?: { origins: string[] };
  /** Largest request body in bytes (default 16384). */
  maxBodyBytes?: number;
  /** Milliseconds the whole request body may take to arrive (default 10000); a slower one is
   * answered 408 `request_timeout`. */
  bodyTimeoutMs?: number;
  /** At most this many calls per minute per client (bursts up to as many); an IPv6 client
   * counts by its /64. No limit unless given. */
  rateLimit?: { perMinute: number };
  /** Key the rate limit on the last `X-Forwarded-For` entry (the one your proxy appended)
   * when no `clientIp` is given. Only behind a proxy that appends it: browsers can forge the
   * header. Default false. */
  trustProxy?: boolean;
}
/** What the host knows about the caller. */
export interface ProxyRequestInfo {
  /** The client's IP address, for rate limiting (`toNodeListener` passes the socket's). */
  clientIp?: string;
}
/** A Fetch-style handler: mount it at a path of your choice; the last path segment names the method. */
export type ExchangerProxyHandler = (request: Request, info?: ProxyRequestInfo) => Promise<Response>;
"#;

struct Proxy {
    config: Config,
    client: JsValue,
    limiter: Option<RefCell<RateLimiter>>,
}

fn positive(value: &JsValue, name: &str, max: u32) -> Result<Option<f64>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n >= 1.0 && n <= f64::from(max) && n.fract() == 0.0 => Ok(Some(n)),
        _ => Err(type_error(&format!(
            "{name} must be a whole number from 1 to {max}"
        ))),
    }
}

fn string_list(value: &JsValue, name: &str) -> Result<Vec<String>, JsValue> {
    if !Array::is_array(value) {
        return Err(type_error(&format!("{name} must be an array of strings")));
    }
    value
        .unchecked_ref::<Array>()
        .iter()
        .map(|v| {
            v.as_string()
                .ok_or_else(|| type_error(&format!("{name} must be an array of strings")))
        })
        .collect()
}

/// A scalar option that must pass the rule of a `create_bid` parameter of `kind`.
fn injected(value: &JsValue, name: &str, kind: Kind) -> Result<Option<String>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let text = value
        .as_string()
        .or_else(|| value.as_f64().map(crate::exchanger::wire::plain_decimal))
        .ok_or_else(|| type_error(&format!("{name} must be a string")))?;
    check(kind, &text).map_err(|rule| type_error(&format!("{name} {rule}")))?;
    Ok(Some(text))
}

fn config(options: &JsValue) -> Result<(Config, JsValue, Option<u32>), JsValue> {
    if !options.is_object() {
        return Err(type_error(
            "createExchangerProxy needs options: { client, ... }",
        ));
    }
    let mut config = Config::default();
    let allow = opt(options, "allow");
    if !allow.is_undefined() {
        config.allow = string_list(&allow, "allow")?
            .iter()
            .map(|name| {
                let method = Method::from_wire(name)
                    .ok_or_else(|| type_error(&format!("allow: unknown method `{name}`")))?;
                match super::server_only(method) {
                    Some(why) => Err(type_error(&format!(
                        "allow: `{name}` is never opened to browsers: {why}; call it on your server with ExchangerClient"
                    ))),
                    None => Ok(method),
                }
            })
            .collect::<Result<_, _>>()?;
    }
    let client = opt(options, "client");
    for method in &config.allow {
        let f = Reflect::get(&client, &method.js_name().into()).unwrap_or(JsValue::UNDEFINED);
        if !client.is_object() || !f.is_function() {
            return Err(type_error("client must be an ExchangerClient"));
        }
    }
    config.partner_id = injected(&opt(options, "partnerId"), "partnerId", Kind::Id)?;
    config.callback_url = injected(&opt(options, "callbackUrl"), "callbackUrl", Kind::Url)?;
    let cors = opt(options, "cors");
    if !cors.is_undefined() {
        config.origins = string_list(&opt(&cors, "origins"), "cors.origins")?;
        for origin in config.origins.iter().filter(|o| *o != "*") {
            match super::canonical_origin(origin) {
                None => {
                    return Err(type_error(&format!(
                        "cors.origins: `{origin}` is not an origin: write scheme://host[:port], as a browser's Origin header has it (https://partner.example), or '*'"
                    )))
                }
                Some(sent) if sent != origin.trim_end_matches('/') => {
                    return Err(type_error(&format!(
                        "cors.origins: `{origin}` would never match: browsers send `{sent}`"
                    )))
                }
                Some(_) => {}
            }
        }
    }
    if let Some(max) = positive(&opt(options, "maxBodyBytes"), "maxBodyBytes", 1_048_576)? {
        config.max_body = max as usize;
    }
    if let Some(ms) = positive(&opt(options, "bodyTimeoutMs"), "bodyTimeoutMs", 600_000)? {
        config.body_timeout_ms = ms as u32;
    }
    let rate = opt(options, "rateLimit");
    let per_minute = if rate.is_undefined() {
        None
    } else {
        let n = positive(&opt(&rate, "perMinute"), "rateLimit.perMinute", 1_000_000)?
            .ok_or_else(|| type_error("rateLimit needs perMinute"))?;
        Some(n as u32)
    };
    config.trust_proxy = opt(options, "trustProxy").is_truthy();
    Ok((config, client, per_minute))
}

/// Creates the proxy handler `(request, info?) => Promise<Response>` (see the README's
/// "Proxy for browsers"): only POST `<mount>/<method>` for allowed methods, JSON or form bodies of at most
/// `maxBodyBytes`, bid actions by `hash` only, the host's `partnerId` and `callbackUrl`
/// injected, browser credentials and `callback_url` refused, CORS for `cors.origins` only.
/// The request's `Accept-Language` picks the exchanger's language (`ru_RU` or `en_US`).
/// Answers `{"data": ...}` or `{"error": {kind, code, message, fields}}`.
#[wasm_bindgen(js_name = createExchangerProxy, unchecked_return_type = "ExchangerProxyHandler")]
pub fn create_exchanger_proxy(
    #[wasm_bindgen(unchecked_param_type = "ExchangerProxyOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let (config, client, per_minute) = config(&options)?;
    let proxy = Rc::new(Proxy {
        config,
        client,
        limiter: per_minute.map(|n| RefCell::new(RateLimiter::new(n))),
    });
    let handler = Closure::<dyn FnMut(JsValue, JsValue) -> Promise>::new(move |request, info| {
        let proxy = proxy.clone();
        spawn(async move { Ok(proxy.handle(request, info).await) })
    });
    Ok(handler.into_js_value())
}

fn header(request: &web_sys::Request, name: &str) -> Option<String> {
    request.headers().get(name).ok().flatten()
}

impl Proxy {
    async fn handle(&self, request: JsValue, info: JsValue) -> JsValue {
        if !request.is_object() || !Reflect::has(&request, &"headers".into()).unwrap_or(false) {
            return respond(
                &Reply::refuse(
                    super::ProxyErrorKind::Internal,
                    "The handler needs a Fetch API Request.",
                ),
                None,
            );
        }
        let request: web_sys::Request = request.unchecked_into();
        let (http_method, url) = (request.method(), request.url());
        let origin = header(&request, "origin");
        let host = header(&request, "host");
        let length = header(&request, "content-length");
        let head = Head {
            http_method: &http_method,
            url: &url,
            host: host.as_deref(),
            origin: origin.as_deref(),
            content_length: length.as_deref(),
            credential_headers: header(&request, "api-key").is_some()
                || header(&request, "api-login").is_some(),
        };
        let (method, cors) = match self.config.route(&head) {
            Err(reply) => return respond(&reply, None),
            Ok(Route::Preflight { cors }) => return preflight(cors.as_deref()),
            Ok(Route::Call { method, cors }) => (method, cors),
        };
        let cors = cors.as_deref();
        if let Some(limiter) = &self.limiter {
            let key = self.client_key(&request, &info);
            if let Err(seconds) = limiter.borrow_mut().take(&key, js_sys::Date::now()) {
                return respond(&Reply::rate_limited(seconds), cors);
            }
        }
        let body =
            match read_body(&request, self.config.max_body, self.config.body_timeout_ms).await {
                Ok(Body::Read(body)) => body,
                Ok(Body::TooLarge) => return respond(&too_large(self.config.max_body), cors),
                Ok(Body::TimedOut) => return respond(&too_slow(self.config.body_timeout_ms), cors),
                Err(_) => {
                    return respond(
                        &Reply::refuse(
                            super::ProxyErrorKind::BadRequest,
                            "The body could not be read.",
                        ),
                        cors,
                    )
                }
            };
        let params =
            match self
                .config
                .params(method, header(&request, "content-type").as_deref(), &body)
            {
                Ok(params) => params,
                Err(reply) => return respond(&reply, cors),
            };
        let reply = match self.call(method, &params, &request).await {
            Ok(json) => Reply::data(&json),
            Err(upstream) => failure(upstream),
        };
        respond(&reply, cors)
    }

    /// The rate-limit key (see [`Config::rate_key`]).
    fn client_key(&self, request: &web_sys::Request, info: &JsValue) -> String {
        let client_ip = opt(info, "clientIp").as_string();
        let forwarded = header(request, "x-forwarded-for");
        self.config
            .rate_key(client_ip.as_deref(), forwarded.as_deref())
    }

    /// Calls the client's method with `{ signal }` and returns its result as JSON text.
    async fn call(
        &self,
        method: Method,
        params: &[(String, crate::php::PhpValue)],
        request: &web_sys::Request,
    ) -> Result<String, Upstream> {
        let options = Object::new();
        let _ = Reflect::set(&options, &"signal".into(), &request.signal());
        if let Some(lang) = header(request, "accept-language").and_then(|h| super::api_lang(&h)) {
            let _ = Reflect::set(&options, &"lang".into(), &lang.into());
        }
        let result = call_method(
            &self.client,
            method,
            &entries_to_js(params).into(),
            &options,
        )
        .await
        .map_err(|e| upstream(&e))?;
        js_sys::JSON::stringify(&result)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or(Upstream::Other)
    }
}

/// What the client's error says, in the proxy's terms.
fn upstream(error: &JsValue) -> Upstream {
    let get = |name: &str| Reflect::get(error, &name.into()).unwrap_or(JsValue::UNDEFINED);
    let text = |name: &str| get(name).as_string().unwrap_or_default();
    let object_fields = |value: JsValue| -> Fields {
        if !value.is_object() {
            return Vec::new();
        }
        Object::entries(value.unchecked_ref())
            .iter()
            .filter_map(|pair| {
                let pair: Array = pair.unchecked_into();
                Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
            })
            .collect()
    };
    match text("name").as_str() {
        "ExchangerError" => Upstream::Exchanger {
            kind: text("kind"),
            code: get("code").as_f64().unwrap_or(0.0) as i64,
            fields: object_fields(get("fields")),
        },
        "TransportError" => Upstream::Transport(text("kind")),
        "ValidationError" => {
            let issues = get("issues");
            let fields = if Array::is_array(&issues) {
                issues
                    .unchecked_ref::<Array>()
                    .iter()
                    .filter_map(|i| {
                        let field = Reflect::get(&i, &"field".into()).ok()?.as_string()?;
                        let rule = Reflect::get(&i, &"rule".into()).ok()?.as_string()?;
                        Some((field, rule))
                    })
                    .collect()
            } else {
                Vec::new()
            };
            Upstream::Validation(fields)
        }
        _ => Upstream::Other,
    }
}

/// What became of a request body.
pub(crate) enum Body {
    Read(Vec<u8>),
    /// Over the size limit: the rest is not read.
    TooLarge,
    /// Not all there by the deadline: a client trickling bytes (slowloris) holds nothing longer.
    TimedOut,
}

/// The body, at most `max` bytes and within `timeout_ms` in all, read chunk by chunk so an
/// endless or trickling body is cut off early; the unread rest is cancelled.
pub(crate) async fn read_body(
    request: &web_sys::Request,
    max: usize,
    timeout_ms: u32,
) -> Result<Body, JsValue> {
    let stream = Reflect::get(request, &"body".into())?;
    if stream.is_null() || stream.is_undefined() {
        return Ok(Body::Read(Vec::new()));
    }
    let reader = Reflect::get(&stream, &"getReader".into())?
        .dyn_into::<Function>()?
        .call0(&stream)?;
    let timer = Timer::start(timeout_ms);
    let body = read_chunks(&reader, max, &timer.fired).await;
    timer.clear();
    if !matches!(body, Ok(Body::Read(_))) {
        if let Ok(cancel) = Reflect::get(&reader, &"cancel".into())?.dyn_into::<Function>() {
            let _ = cancel.call0(&reader);
        }
    }
    body
}

async fn read_chunks(reader: &JsValue, max: usize, deadline: &Promise) -> Result<Body, JsValue> {
    let read: Function = Reflect::get(reader, &"read".into())?.dyn_into()?;
    let mut body = Vec::new();
    loop {
        let next = Promise::resolve(&read.call0(reader)?);
        // The deadline resolves to `undefined`; a read, to `{ done, value }`.
        let chunk = JsFuture::from(Promise::race(&Array::of2(&next, deadline))).await?;
        if chunk.is_undefined() {
            return Ok(Body::TimedOut);
        }
        if Reflect::get(&chunk, &"done".into())?.is_truthy() {
            return Ok(Body::Read(body));
        }
        let bytes: Uint8Array = Reflect::get(&chunk, &"value".into())?.dyn_into()?;
        if body.len() + bytes.length() as usize > max {
            return Ok(Body::TooLarge);
        }
        body.extend(bytes.to_vec());
    }
}

/// A `setTimeout` as a promise, cleared once the body is in so it keeps nothing alive.
struct Timer {
    fired: Promise,
    id: JsValue,
}

impl Timer {
    fn start(ms: u32) -> Timer {
        let global = js_sys::global();
        let set =
            Reflect::get(&global, &"setTimeout".into()).and_then(|f| f.dyn_into::<Function>());
        let mut id = JsValue::UNDEFINED;
        let fired = Promise::new(&mut |resolve, _| {
            if let Ok(set) = &set {
                id = set
                    .call2(&global, &resolve, &ms.into())
                    .unwrap_or(JsValue::UNDEFINED);
            }
        });
        Timer { fired, id }
    }

    fn clear(self) {
        let global = js_sys::global();
        if let Ok(clear) =
            Reflect::get(&global, &"clearTimeout".into()).and_then(|f| f.dyn_into::<Function>())
        {
            let _ = clear.call1(&global, &self.id);
        }
    }
}

fn headers(cors: Option<&str>) -> Object {
    let headers = Object::new();
    let set = |k: &str, v: &str| {
        let _ = Reflect::set(&headers, &k.into(), &v.into());
    };
    set("cache-control", "no-store");
    set("x-content-type-options", "nosniff");
    set("vary", "Origin");
    if let Some(origin) = cors {
        set("access-control-allow-origin", origin);
        // Not a CORS-safelisted header: without this a widget on another origin cannot read
        // how long a 429 asks it to wait.
        set("access-control-expose-headers", "retry-after");
    }
    headers
}

fn response(body: Option<&str>, status: u16, headers: Object) -> JsValue {
    let init = Object::new();
    let _ = Reflect::set(&init, &"status".into(), &JsValue::from(status));
    let _ = Reflect::set(&init, &"headers".into(), &headers);
    let body = body.map_or(JsValue::NULL, JsValue::from_str);
    Reflect::get(&js_sys::global(), &"Response".into())
        .ok()
        .and_then(|ctor| ctor.dyn_into::<Function>().ok())
        .and_then(|ctor| Reflect::construct(&ctor, &Array::of2(&body, &init)).ok())
        .unwrap_or(JsValue::UNDEFINED)
}

fn respond(reply: &Reply, cors: Option<&str>) -> JsValue {
    let h = headers(cors);
    let set = |k: &str, v: &str| {
        let _ = Reflect::set(&h, &k.into(), &v.into());
    };
    set("content-type", "application/json; charset=utf-8");
    if let Some(seconds) = reply.retry_after {
        set("retry-after", &seconds.to_string());
    }
    if let Some(allow) = reply.allow {
        set("allow", allow);
    }
    response(Some(&reply.body), reply.status, h)
}

fn preflight(cors: Option<&str>) -> JsValue {
    let h = headers(cors);
    let set = |k: &str, v: &str| {
        let _ = Reflect::set(&h, &k.into(), &v.into());
    };
    set("allow", "POST, OPTIONS");
    if cors.is_some() {
        set("access-control-allow-methods", "POST");
        set("access-control-allow-headers", "content-type");
        set("access-control-max-age", "600");
    }
    response(None, 204, h)
}
