//! `ExchangerClient` for JavaScript: the 16 methods, `findExchangeByApiId`, and async
//! iterators over the list methods. Arguments are read and checked synchronously; every
//! failure is a rejected promise with a branded error, never a panic.

use super::client::{search_page, Call, CallError, Inner, Task};
use super::envelope::ExchangerError;
use super::method::Method;
use super::request::{check_bid_fields, is_api_id, prepare, Params, MAX_LIMIT};
use super::shape;
use crate::http::{CallOptions, Http};
use crate::js::{key_arg, object_entries, opt, string_arg, type_error};
use crate::validate::ValidationError;
use js_sys::{Array, Object, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const CLIENT_TS: &'static str = r#"
/** Options of `new ExchangerClient(...)`. */
export interface ExchangerClientOptions {
  /** The API's address, e.g. `https://exchanger.example/api/userapi/v1` (a trailing slash is
   * fine; no credentials, query or fragment). */
  baseUrl: string;
  /** `API-LOGIN` of the key (printable ASCII). Never appears in an error or a log. */
  login: string;
  /** `API-KEY` (printable ASCII). Never appears in an error or a log. */
  key: string;
  /** `API-LANG` for every call, e.g. `en_US` or `ru_RU` (default: the site's language). */
  lang?: string;
  /** A `fetch` to send requests with, called with a `Request` (default: node:http in Node, the
   * runtime's global `fetch` elsewhere). */
  fetch?: (request: Request) => Promise<Response>;
  /** Time for one attempt, in milliseconds (default 30000). */
  timeoutMs?: number;
  /** Retries after a transport failure, for the methods where that is safe (default 2, at most 10). */
  maxRetries?: number;
  /** Called after every attempt with what happened and what comes next (`RequestEvent`: URL,
   * status or failure, time, retry), never with headers or bodies, so it can feed a log or
   * metrics without leaking the keys. What it throws is ignored. */
  onRequest?: (event: RequestEvent) => void;
}
/** Options of every `ExchangerClient` call: `CallOptions` and the answer's language. */
export interface ExchangerCallOptions extends CallOptions {
  /** `API-LANG` for this call, e.g. `en_US`. */
  lang?: string;
}
/** Options of `createBid`. */
export interface CreateBidOptions extends ExchangerCallOptions {
  /** The direction as `getDirection` returned it: required fields and select values are
   * then checked before the bid is sent. */
  direction?: ExchangeDirection;
}
"#;

/// A client of the "Premium Exchanger" user API v1 for servers (Node, Workers, Deno, Bun):
/// the key must never reach a browser (give browsers `createExchangerProxy`). Every method
/// returns a promise of the wire data in a canonical form (ids and amounts as strings, flags
/// as booleans) and rejects with `ExchangerError`, `TransportError` or `ValidationError`.
#[wasm_bindgen]
pub struct ExchangerClient {
    inner: Rc<Inner>,
}

fn lang_arg(value: &JsValue, name: &str) -> Result<Option<String>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let lang = string_arg(value, name)?;
    let b = lang.as_bytes();
    let ok = b.len() == 5
        && b[..2].iter().all(u8::is_ascii_lowercase)
        && b[2] == b'_'
        && b[3..].iter().all(u8::is_ascii_uppercase);
    if !ok {
        return Err(type_error(&format!("{name} must look like en_US or ru_RU")));
    }
    Ok(Some(lang))
}

fn call_arg(options: &JsValue) -> Result<Call, JsValue> {
    Ok(Call {
        options: CallOptions::from_js(options)?,
        lang: lang_arg(&opt(options, "lang"), "options.lang")?,
    })
}

/// The call's parameters, checked for `method`; `undefined` stands for none.
fn params_arg(method: Method, params: &JsValue) -> Result<Params, JsValue> {
    if params.is_undefined() || params.is_null() {
        return Ok(prepare(method, &[])?);
    }
    Ok(prepare(method, &object_entries(params, "params")?)?)
}

/// Calls `client[method.js_name()](args, options)` on any object with the client's methods
/// (the proxy and the callback helpers take the host's `ExchangerClient` this way).
pub(crate) async fn call_method(
    client: &JsValue,
    method: Method,
    args: &JsValue,
    options: &JsValue,
) -> Result<JsValue, JsValue> {
    let function: js_sys::Function = Reflect::get(client, &method.js_name().into())?
        .dyn_into()
        .map_err(|_| type_error("client must be an ExchangerClient"))?;
    let promise = function.call2(client, args, options)?;
    wasm_bindgen_futures::JsFuture::from(Promise::resolve(&promise)).await
}

fn rejected(error: JsValue) -> Promise {
    Promise::reject(&error)
}

/// A random `api_id`: `obm-` and a UUID v4 from the runtime's CSPRNG.
fn new_api_id() -> String {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).unwrap_or(JsValue::UNDEFINED);
    let uuid = Reflect::get(&crypto, &"randomUUID".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&crypto).ok())
        .and_then(|v| v.as_string());
    let uuid = uuid.unwrap_or_else(|| {
        // Runtimes without randomUUID (very old ones): 128 random bits from Math.random.
        (0..4)
            .map(|_| format!("{:08x}", (js_sys::Math::random() * 4_294_967_296.0) as u32))
            .collect()
    });
    format!("obm-{uuid}")
}

#[wasm_bindgen]
impl ExchangerClient {
    /// Creates a client. Throws a `TypeError` or `ValidationError` for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ExchangerClientOptions")] options: JsValue,
    ) -> Result<ExchangerClient, JsValue> {
        if !options.is_object() {
            return Err(type_error(
                "ExchangerClient options must be an object: { baseUrl, login, key, ... }",
            ));
        }
        let base = string_arg(&opt(&options, "baseUrl"), "baseUrl")?;
        let base = base.trim().trim_end_matches('/').to_owned();
        if !crate::merchant::rules::is_base_url(&base) {
            return Err(ValidationError::one(
                "baseUrl",
                "must be an http(s) URL such as https://exchanger.example/api/userapi/v1 (no spaces, credentials, query or fragment)",
            )
            .into());
        }
        let login = key_arg(&opt(&options, "login"), "login")?;
        let key = key_arg(&opt(&options, "key"), "key")?;
        // Both go out as HTTP headers, which carry neither control characters nor, in every
        // runtime, anything beyond ASCII.
        for (name, value) in [("login", &login), ("key", &key)] {
            if !value.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
                return Err(ValidationError::one(
                    name,
                    "must be printable ASCII (it is sent as an HTTP header)",
                )
                .into());
            }
        }
        let lang = lang_arg(&opt(&options, "lang"), "lang")?;
        let http = Http::from_options(&options, vec![login.clone(), key.clone()])?;
        Ok(ExchangerClient {
            inner: Rc::new(Inner {
                base,
                login,
                key,
                lang,
                http,
            }),
        })
    }

    fn call(&self, method: Method, params: Option<JsValue>, options: Option<JsValue>) -> Promise {
        let prepared = params_arg(method, &params.unwrap_or_default())
            .and_then(|p| Ok((p, call_arg(&options.unwrap_or_default())?)));
        let (params, call) = match prepared {
            Ok(ready) => ready,
            Err(e) => return rejected(e),
        };
        self.inner.start(Task::Call, method, &params, call)
    }

    /// `test`: who the exchanger thinks is calling (IP, user, locale, partner).
    #[wasm_bindgen(unchecked_return_type = "Promise<ExchangerTestResult>")]
    pub fn test(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ExchangerCallOptions")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        self.call(Method::Test, None, options)
    }

    /// `create_bid`, safe to retry: an `api_id` is always sent (yours, or a generated one),
    /// transport failures are retried with it, and when the server says it has seen it, the
    /// bid made with it is found and returned with `replayed: true`. One call, one bid. With
    /// `options.direction` (from `getDirection`) the direction's required fields and select
    /// values are checked first. Errors carry `apiId`, so a later retry can use the same one.
    #[wasm_bindgen(js_name = createBid, unchecked_return_type = "Promise<Bid>")]
    pub fn create_bid(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateBidRequest")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CreateBidOptions")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        let options = options.unwrap_or_default();
        let ready = params_arg(Method::CreateBid, &params).and_then(|mut params| {
            let call = call_arg(&options)?;
            let direction = opt(&options, "direction");
            if !direction.is_undefined() && !direction.is_null() {
                let direction = direction_arg(&direction)?;
                let direction =
                    crate::json::read(&direction).map_err(|_| type_error("options.direction"))?;
                check_bid_fields(&direction.value, &params)?;
            }
            let api_id = match params.iter().find(|(n, _)| n == "api_id") {
                Some((_, id)) => id.clone(),
                None => {
                    let id = new_api_id();
                    params.push(("api_id".to_owned(), id.clone()));
                    id
                }
            };
            debug_assert!(is_api_id(&api_id));
            Ok((params, call, api_id))
        });
        let (params, call, api_id) = match ready {
            Ok(ready) => ready,
            Err(e) => return rejected(e),
        };
        self.inner
            .start(Task::CreateBid(api_id), Method::CreateBid, &params, call)
    }

    /// `get_partner_info`: the partner's balance and payout currencies.
    #[wasm_bindgen(js_name = getPartnerInfo, unchecked_return_type = "Promise<PartnerInfo>")]
    pub fn get_partner_info(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ExchangerCallOptions")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        self.call(Method::GetPartnerInfo, None, options)
    }

    /// The bid this login created with `apiId`, or `null`: pages `get_exchanges` (up to the
    /// 10,000 most recently changed bids) and matches `api_id` itself, since the server's
    /// own filter compares it with bid ids.
    #[wasm_bindgen(js_name = findExchangeByApiId, unchecked_return_type = "Promise<Exchange | null>")]
    pub fn find_exchange_by_api_id(
        &self,
        #[wasm_bindgen(js_name = "apiId", unchecked_param_type = "string")] api_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ExchangerCallOptions")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        let ready = string_arg(&api_id, "apiId").and_then(|id| {
            if !is_api_id(&id) {
                return Err(ValidationError::one("apiId", super::request::API_ID_RULE).into());
            }
            Ok((id, call_arg(&options.unwrap_or_default())?))
        });
        let (api_id, call) = match ready {
            Ok(ready) => ready,
            Err(e) => return rejected(e),
        };
        self.inner.start(
            Task::Find(api_id),
            Method::GetExchanges,
            &search_page(0),
            call,
        )
    }

    fn pager(
        &self,
        method: Method,
        params: Option<JsValue>,
        options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let mut params = params_arg(method, &params.unwrap_or_default())?;
        let call = call_arg(&options.unwrap_or_default())?;
        let take = |params: &mut Params, name: &str| -> Option<u64> {
            let i = params.iter().position(|(n, _)| n == name)?;
            params.remove(i).1.parse().ok()
        };
        let limit = take(&mut params, "limit").unwrap_or(u64::from(MAX_LIMIT));
        let offset = take(&mut params, "offset").unwrap_or(0);
        let state = Rc::new(RefCell::new(Pager {
            inner: self.inner.clone(),
            method,
            params,
            call,
            limit,
            offset,
            page: Array::new(),
            previous: Vec::new(),
            index: 0,
            done: false,
            busy: false,
        }));
        let next = Closure::<dyn FnMut() -> Promise>::new(move || Pager::next(&state));
        let iterator = Object::new();
        Reflect::set(&iterator, &"next".into(), &next.into_js_value())?;
        // `[Symbol.asyncIterator]() { return this }` without a closure that would hold the
        // iterator alive: Object.prototype.valueOf returns its `this`.
        let value_of = Reflect::get(&Object::get_prototype_of(&Object::new()), &"valueOf".into())?;
        Reflect::set(&iterator, &js_sys::Symbol::async_iterator(), &value_of)?;
        Ok(iterator.into())
    }
}

/// Client methods that run one wire method (`run` = `call`) or page through one (`run` =
/// `pager`). `$attr` is `unchecked_param_type` for required parameters and
/// `unchecked_optional_param_type` for optional ones. Docs are given as `#[doc = "..."]`:
/// wasm-bindgen copies a `///` passed through a macro with its raw-string quotes.
macro_rules! wire_methods {
    ($( $(#[doc = $doc:literal])* $name:ident = $js:literal, $method:ident, $attr:ident = $params:literal, $run:ident -> $ret_ty:ty, $ret:literal; )*) => {
        #[wasm_bindgen]
        impl ExchangerClient {
            $(
                $(#[doc = $doc])*
                #[wasm_bindgen(js_name = $js, unchecked_return_type = $ret)]
                pub fn $name(
                    &self,
                    #[wasm_bindgen($attr = $params)] params: Option<JsValue>,
                    #[wasm_bindgen(unchecked_optional_param_type = "ExchangerCallOptions")] options: Option<JsValue>,
                ) -> $ret_ty {
                    self.$run(Method::$method, params, options)
                }
            )*
        }
    };
}

wire_methods! {
    #[doc = " `get_direction_currencies`: the currencies that can be given and received."]
    get_direction_currencies = "getDirectionCurrencies", GetDirectionCurrencies, unchecked_optional_param_type = "DirectionFilter", call -> Promise, "Promise<DirectionCurrencies>";
    #[doc = " `get_directions`: the exchange directions, optionally filtered by currency."]
    get_directions = "getDirections", GetDirections, unchecked_optional_param_type = "DirectionFilter", call -> Promise, "Promise<DirectionSummary[]>";
    #[doc = " `get_exchanges`: one page of the bids this login created, newest change first. The"]
    #[doc = " server's `api_id` filter is broken (it compares with ids): use `findExchangeByApiId`."]
    get_exchanges = "getExchanges", GetExchanges, unchecked_optional_param_type = "ExchangesFilter", call -> Promise, "Promise<ItemList<Exchange>>";
    #[doc = " `get_partner_links`: one page of visits through partner links."]
    get_partner_links = "getPartnerLinks", GetPartnerLinks, unchecked_optional_param_type = "PartnerLinksFilter", call -> Promise, "Promise<ItemList<PartnerLink>>";
    #[doc = " `get_partner_exchanges`: one page of the bids attributed to the partner."]
    get_partner_exchanges = "getPartnerExchanges", GetPartnerExchanges, unchecked_optional_param_type = "ExchangesFilter", call -> Promise, "Promise<ItemList<Exchange>>";
    #[doc = " `get_partner_payouts`: one page of the partner's payout requests."]
    get_partner_payouts = "getPartnerPayouts", GetPartnerPayouts, unchecked_optional_param_type = "PartnerPayoutsFilter", call -> Promise, "Promise<ItemList<PartnerPayout>>";
}

wire_methods! {
    #[doc = " `get_direction`: rates, limits, texts and the form fields of one direction, by"]
    #[doc = " `direction_id` or by both currency ids. An unknown direction rejects with"]
    #[doc = " `ExchangerError` kind `not_found`."]
    get_direction = "getDirection", GetDirection, unchecked_param_type = "GetDirectionRequest", call -> Promise, "Promise<ExchangeDirection>";
    #[doc = " `get_calc`: the four amounts for an amount of one side (`calc_action` 1 to 4), with"]
    #[doc = " `cd` built from an object of the direction's `cd` fields. `changed` is true when the"]
    #[doc = " amount was moved into the limits."]
    get_calc = "getCalc", GetCalc, unchecked_param_type = "GetCalcRequest", call -> Promise, "Promise<CalcResult>";
    #[doc = " `cancel_bid`: cancels a bid (when its `api_actions.cancel` is `api`); resolves with"]
    #[doc = " the new status. Repeating it is harmless, so it is retried."]
    cancel_bid = "cancelBid", CancelBid, unchecked_param_type = "BidRef", call -> Promise, "Promise<string>";
    #[doc = " `pay_bid`: marks a bid paid (when its `api_actions.pay` is `api`); resolves with the"]
    #[doc = " new status."]
    pay_bid = "payBid", PayBid, unchecked_param_type = "BidRef", call -> Promise, "Promise<string>";
    #[doc = " `success_bid`: marks a bid completed (the server has it, the seeds do not list it);"]
    #[doc = " resolves with the new status."]
    success_bid = "successBid", SuccessBid, unchecked_param_type = "BidRef", call -> Promise, "Promise<string>";
    #[doc = " `bid_info`: a bid this login created, by `hash` or `id`."]
    bid_info = "bidInfo", BidInfo, unchecked_param_type = "BidRef", call -> Promise, "Promise<Bid>";
    #[doc = " `add_partner_payout`: orders a payout of the partner's balance. Never retried: nothing"]
    #[doc = " makes a repeat harmless."]
    add_partner_payout = "addPartnerPayout", AddPartnerPayout, unchecked_param_type = "AddPartnerPayoutRequest", call -> Promise, "Promise<PartnerPayoutCreated>";
}

wire_methods! {
    #[doc = " Every bid this login created, across pages (`for await (const bid of ...)`). `limit`"]
    #[doc = " is the page size (default and most 500); `offset` where to start. Each item comes"]
    #[doc = " once; a server that ignores `offset` rejects with `ExchangerError` (`unknown`)."]
    iterate_exchanges = "iterateExchanges", GetExchanges, unchecked_optional_param_type = "ExchangesFilter", pager -> Result<JsValue, JsValue>, "AsyncIterableIterator<Exchange>";
    #[doc = " Every bid attributed to the partner, across pages."]
    iterate_partner_exchanges = "iteratePartnerExchanges", GetPartnerExchanges, unchecked_optional_param_type = "ExchangesFilter", pager -> Result<JsValue, JsValue>, "AsyncIterableIterator<Exchange>";
    #[doc = " Every visit through partner links, across pages."]
    iterate_partner_links = "iteratePartnerLinks", GetPartnerLinks, unchecked_optional_param_type = "PartnerLinksFilter", pager -> Result<JsValue, JsValue>, "AsyncIterableIterator<PartnerLink>";
    #[doc = " Every payout request of the partner, across pages."]
    iterate_partner_payouts = "iteratePartnerPayouts", GetPartnerPayouts, unchecked_optional_param_type = "PartnerPayoutsFilter", pager -> Result<JsValue, JsValue>, "AsyncIterableIterator<PartnerPayout>";
}

/// Checks `options.direction` by reading it as `getDirection` returns it: its canonical JSON.
fn direction_arg(value: &JsValue) -> Result<String, JsValue> {
    const HINT: &str = "options.direction must be the object getDirection returned";
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| type_error(HINT))?;
    let raw = crate::json::read(&text).map_err(|_| type_error(HINT))?;
    let mut canonical = String::new();
    shape::write(
        Some(&raw.value),
        shape::of(Method::GetDirection),
        &mut canonical,
    )
    .map_err(|misfit| type_error(&format!("{HINT} ({})", misfit.message("options.direction"))))?;
    Ok(canonical)
}

/// The state of one async iterator over a list method.
pub struct Pager {
    inner: Rc<Inner>,
    method: Method,
    params: Params,
    call: Call,
    limit: u64,
    offset: u64,
    /// The current page's items and the next one to hand out.
    page: Array,
    /// What identifies each item of the previous page (see [`identity`]).
    previous: Vec<String>,
    index: u32,
    done: bool,
    busy: bool,
}

/// An item's `id` (bids, payouts), or its whole canonical JSON for items without one
/// (partner links).
fn identity(item: &JsValue) -> String {
    Reflect::get(item, &"id".into())
        .ok()
        .and_then(|id| id.as_string())
        .filter(|id| !id.is_empty())
        .or_else(|| {
            js_sys::JSON::stringify(item)
                .ok()
                .and_then(|s| s.as_string())
        })
        .unwrap_or_default()
}

fn step(value: &JsValue, done: bool) -> JsValue {
    let result = Object::new();
    let _ = Reflect::set(&result, &"value".into(), value);
    let _ = Reflect::set(&result, &"done".into(), &JsValue::from_bool(done));
    result.into()
}

impl Pager {
    /// Stores a fetched page and hands out its first item. Items the previous page already
    /// handed out are dropped: the lists are newest change first, so a bid created or changed
    /// between two requests pushes the others a place down and the next page repeats them.
    pub fn fill(
        state: &RefCell<Pager>,
        fetched: Result<String, CallError>,
    ) -> Result<JsValue, JsValue> {
        let mut pager = state.borrow_mut();
        pager.busy = false;
        let page = js_sys::JSON::parse(&fetched.map_err(|e| e.to_js())?)?;
        let items: Array = Reflect::get(&page, &"items".into())?.dyn_into()?;
        let count = u64::from(items.length());
        let identities: Vec<String> = items.iter().map(|item| identity(&item)).collect();
        let fresh = Array::new();
        for (item, key) in items.iter().zip(&identities) {
            if !pager.previous.contains(key) {
                fresh.push(&item);
            }
        }
        if count >= pager.limit && fresh.length() == 0 {
            // A server that ignores `offset` sends the same page again and again: stop for
            // good, or the loop would never end.
            pager.done = true;
            let why = format!(
                "the page at offset {} holds only items of the previous page: the server ignores \
                 `offset` (or a whole page of items changed between the two requests)",
                pager.offset
            );
            return Err(CallError::from(ExchangerError::unexpected(pager.method, why)).to_js());
        }
        pager.offset += count;
        pager.done = count < pager.limit;
        pager.previous = identities;
        pager.page = fresh;
        pager.index = 0;
        Ok(match pager.take() {
            Some(item) => step(&item, false),
            None => {
                pager.done = true;
                step(&JsValue::UNDEFINED, true)
            }
        })
    }

    /// Takes the next item of the current page, if any.
    fn take(&mut self) -> Option<JsValue> {
        (self.index < self.page.length()).then(|| {
            self.index += 1;
            self.page.get(self.index - 1)
        })
    }

    fn next(state: &Rc<RefCell<Pager>>) -> Promise {
        let (inner, method, params, call) = {
            let Ok(mut pager) = state.try_borrow_mut() else {
                return rejected(type_error("next() called while it was running"));
            };
            if pager.busy {
                return rejected(type_error("next() called before the previous call settled"));
            }
            if let Some(item) = pager.take() {
                return Promise::resolve(&step(&item, false));
            }
            if pager.done {
                return Promise::resolve(&step(&JsValue::UNDEFINED, true));
            }
            pager.busy = true;
            let mut params = pager.params.clone();
            params.push(("limit".to_owned(), pager.limit.to_string()));
            params.push(("offset".to_owned(), pager.offset.to_string()));
            (
                pager.inner.clone(),
                pager.method,
                params,
                pager.call.clone(),
            )
        };
        inner.start(Task::Page(state.clone()), method, &params, call)
    }
}
