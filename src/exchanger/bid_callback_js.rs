//! `confirmBidCallback` and `createBidCallbackHandler`: the exchanger's unsigned status
//! callbacks, confirmed with `bid_info` before anything is handed on.

use super::bid_callback::{
    parse, parse_body, BidCallback, Queue, Queued, Seen, MAX_CALLBACK_BYTES,
};
use super::js_api::call_method;
use super::method::Method;
use crate::http::spawn;
use crate::js::{error, object_entries, opt, raw_bytes, type_error};
use crate::proxy::js_api::{read_body, Body};
use crate::validate::ValidationError;
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(typescript_custom_section)]
const BID_CALLBACK_TS: &'static str = r#"
/** A status callback as received: the raw form body (`bid_id=...&status=...`), its bytes,
 * `URLSearchParams`, or the parsed fields. */
export type BidCallbackInput = string | Uint8Array | URLSearchParams | { bid_id?: string | number; status?: string };
/** Options of `createBidCallbackHandler`. */
export interface BidCallbackHandlerOptions {
  /** The client whose login created the bids (only it can read them). */
  client: ExchangerClient;
  /** Receives each confirmed bid once per (bid id, status), after the answer was sent. */
  onBid: (confirmation: BidCallbackConfirmation) => void | Promise<void>;
  /** Receives what failed after the answer was sent: `bid_info`, or `onBid` throwing (that
   * pair may then be handed on again by a later callback). Default: `console.error`. */
  onError?: (error: unknown) => void;
}
/** Lets background work outlive the response (Cloudflare Workers' `ExecutionContext`). */
export interface WaitUntilContext {
  /** Keeps the runtime alive until `promise` settles. */
  waitUntil(promise: Promise<unknown>): void;
}
/** A Fetch-style handler for the exchanger's status callbacks: 200 at once, 400 malformed,
 * 405 not a POST, 408 a body too slow, 413 over 4096 bytes, 503 when 1000 callbacks already
 * wait for `bid_info`. */
export type BidCallbackHandler = (request: Request, context?: WaitUntilContext) => Promise<Response>;
"#;

fn malformed(e: &ValidationError) -> JsValue {
    // The same `{field, rule}` list a `ValidationError` carries.
    let issues = Reflect::get(&JsValue::from(e.clone()), &"issues".into()).unwrap_or(JsValue::NULL);
    error(
        "CallbackError",
        &format!(
            "bid callback is malformed: {}",
            e.to_string().trim_start_matches("invalid request: ")
        ),
        &[("code", JsValue::from_str("malformed")), ("issues", issues)],
    )
}

fn read_input(body: &JsValue) -> Result<BidCallback, JsValue> {
    const HINT: &str =
        "body must be the callback's raw form body, its bytes, URLSearchParams or a plain object";
    let search_params = Reflect::get(&js_sys::global(), &"URLSearchParams".into()).ok();
    let constructor = body
        .is_object()
        .then(|| Reflect::get(body, &"constructor".into()).ok())
        .flatten();
    let parsed = if search_params.is_some() && constructor == search_params {
        let text = Reflect::get(body, &"toString".into())?
            .dyn_into::<Function>()?
            .call0(body)?
            .as_string()
            .unwrap_or_default();
        parse_body(text.as_bytes())
    } else if body.is_string()
        || body.is_instance_of::<js_sys::Uint8Array>()
        || body.is_instance_of::<js_sys::ArrayBuffer>()
    {
        parse_body(&raw_bytes(body, HINT)?)
    } else if body.is_object() {
        parse(&object_entries(body, "body")?)
    } else {
        return Err(type_error(HINT));
    };
    parsed.map_err(|e| malformed(&e))
}

/// Reads the bid back and compares it with what the callback claimed.
async fn confirm(
    client: &JsValue,
    callback: &BidCallback,
    options: &JsValue,
) -> Result<JsValue, JsValue> {
    let args = Object::new();
    Reflect::set(&args, &"id".into(), &callback.bid_id.as_str().into())?;
    let bid = call_method(client, Method::BidInfo, &args, options).await?;
    let status = Reflect::get(&bid, &"status".into())?
        .as_string()
        .unwrap_or_default();
    let result = Object::new();
    Reflect::set(&result, &"bid".into(), &bid)?;
    Reflect::set(
        &result,
        &"claimedStatus".into(),
        &callback.status.as_str().into(),
    )?;
    Reflect::set(
        &result,
        &"confirmed".into(),
        &(status == callback.status).into(),
    )?;
    Ok(result.into())
}

/// Checks an exchanger status callback. The callback is unsigned, so it is only a hint: the
/// bid is read with `client.bidInfo` and returned with the status the callback claimed and
/// whether they agree. Rejects with `CallbackError` (`code: 'malformed'`, `issues`) for bad
/// input, and with the client's `ExchangerError` (`not_found`) for a bid this login does not
/// have (a forged id).
#[wasm_bindgen(js_name = confirmBidCallback, unchecked_return_type = "Promise<BidCallbackConfirmation>")]
pub fn confirm_bid_callback(
    #[wasm_bindgen(unchecked_param_type = "BidCallbackInput")] body: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ExchangerClient")] client: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ExchangerCallOptions")] options: Option<
        JsValue,
    >,
) -> Promise {
    let callback = match read_input(&body) {
        Ok(callback) => callback,
        Err(e) => return Promise::reject(&e),
    };
    let options = options.unwrap_or_default();
    spawn(async move { confirm(&client, &callback, &options).await })
}

struct Handler {
    client: JsValue,
    on_bid: Function,
    on_error: Option<Function>,
    seen: RefCell<Seen>,
    queue: RefCell<Queue>,
    /// Settles when the queue is next idle, and its resolve: what Workers' `waitUntil` is
    /// given, since a callback may be confirmed by a call another request started.
    idle: RefCell<Option<(Promise, Function)>>,
}

impl Handler {
    fn idle_promise(&self) -> Promise {
        let mut idle = self.idle.borrow_mut();
        if let Some((promise, _)) = idle.as_ref() {
            return promise.clone();
        }
        let mut resolve = None;
        let promise = Promise::new(&mut |res, _| resolve = Some(res));
        if let Some(resolve) = resolve {
            *idle = Some((promise.clone(), resolve));
        }
        promise
    }

    /// Starts every confirmation the queue lets start; each starts the next when it ends.
    fn pump(self: &Rc<Self>) {
        loop {
            // Not in a `while let`: its borrow would last through the body.
            let next = self.queue.borrow_mut().start_next();
            let Some(callback) = next else { break };
            let handler = Rc::clone(self);
            // Always resolves: failures go to `onError`.
            let _ = spawn(async move {
                let bid_id = callback.bid_id.clone();
                if let Err(e) = handler.process(callback).await {
                    handler.report(&e);
                }
                handler.queue.borrow_mut().done(&bid_id);
                handler.pump();
                if handler.queue.borrow().is_idle() {
                    if let Some((_, resolve)) = handler.idle.borrow_mut().take() {
                        let _ = resolve.call0(&JsValue::UNDEFINED);
                    }
                }
                Ok(JsValue::UNDEFINED)
            });
        }
    }

    /// Confirms one callback and hands the bid on once per (bid, status).
    async fn process(&self, callback: BidCallback) -> Result<(), JsValue> {
        let confirmation = confirm(&self.client, &callback, &JsValue::UNDEFINED).await?;
        let bid = Reflect::get(&confirmation, &"bid".into())?;
        let text = |name: &str| {
            Reflect::get(&bid, &name.into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        let (id, status) = (text("id"), text("status"));
        if !self.seen.borrow_mut().insert(&id, &status) {
            return Ok(());
        }
        let handed = match self.on_bid.call1(&JsValue::UNDEFINED, &confirmation) {
            Ok(result) => JsFuture::from(Promise::resolve(&result)).await.map(|_| ()),
            Err(e) => Err(e),
        };
        if handed.is_err() {
            self.seen.borrow_mut().remove(&id, &status);
        }
        handed
    }

    fn report(&self, e: &JsValue) {
        let reporter = self.on_error.clone().or_else(|| {
            let console = Reflect::get(&js_sys::global(), &"console".into()).ok()?;
            Reflect::get(&console, &"error".into())
                .ok()?
                .dyn_into()
                .ok()
        });
        if let Some(f) = reporter {
            let _ = f.call1(&JsValue::UNDEFINED, e);
        }
    }
}

fn text_response(status: u16, body: &str) -> JsValue {
    let init = Object::new();
    let headers = Object::new();
    let _ = Reflect::set(
        &headers,
        &"content-type".into(),
        &"text/plain; charset=utf-8".into(),
    );
    let _ = Reflect::set(&init, &"status".into(), &JsValue::from(status));
    let _ = Reflect::set(&init, &"headers".into(), &headers);
    Reflect::get(&js_sys::global(), &"Response".into())
        .ok()
        .and_then(|c| c.dyn_into::<Function>().ok())
        .and_then(|c| Reflect::construct(&c, &Array::of2(&body.into(), &init)).ok())
        .unwrap_or(JsValue::UNDEFINED)
}

/// Creates a Fetch-style handler for the exchanger's status callbacks: it answers `200 OK`
/// at once (the exchanger waits for it while it changes the status), then confirms the bid
/// with `bid_info` and calls `onBid` once per (bid id, status) — the status `bid_info`
/// returned, not the one claimed. At most 8 `bid_info` calls run at once and one per bid;
/// copies of a callback for a bid already waiting share its call, and past 1000 waiting
/// callbacks the answer is 503. Malformed bodies get 400; other methods 405. Pass Workers'
/// `ctx` as the second argument so the confirmation may outlive the response.
#[wasm_bindgen(js_name = createBidCallbackHandler, unchecked_return_type = "BidCallbackHandler")]
pub fn create_bid_callback_handler(
    #[wasm_bindgen(unchecked_param_type = "BidCallbackHandlerOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let client = opt(&options, "client");
    if !client.is_object()
        || !Reflect::get(&client, &"bidInfo".into()).is_ok_and(|f| f.is_function())
    {
        return Err(type_error(
            "createBidCallbackHandler needs { client: ExchangerClient, onBid }",
        ));
    }
    let on_bid: Function = opt(&options, "onBid")
        .dyn_into()
        .map_err(|_| type_error("onBid must be a function"))?;
    let on_error = opt(&options, "onError");
    let on_error = if on_error.is_undefined() || on_error.is_null() {
        None
    } else {
        Some(
            on_error
                .dyn_into::<Function>()
                .map_err(|_| type_error("onError must be a function"))?,
        )
    };
    let handler = Rc::new(Handler {
        client,
        on_bid,
        on_error,
        seen: RefCell::new(Seen::default()),
        queue: RefCell::new(Queue::default()),
        idle: RefCell::new(None),
    });
    let closure = Closure::<dyn FnMut(JsValue, JsValue) -> Promise>::new(
        move |request: JsValue, context: JsValue| {
            let handler = handler.clone();
            spawn(async move {
                if !request.is_object()
                    || !Reflect::has(&request, &"headers".into()).unwrap_or(false)
                {
                    return Ok(text_response(500, "the handler needs a Fetch API Request"));
                }
                let request: web_sys::Request = request.unchecked_into();
                if request.method() != "POST" {
                    return Ok(text_response(405, "POST only"));
                }
                let timeout_ms = crate::proxy::DEFAULT_BODY_TIMEOUT_MS;
                let callback = match read_body(&request, MAX_CALLBACK_BYTES, timeout_ms).await {
                    Ok(Body::Read(body)) => parse_body(&body),
                    Ok(Body::TooLarge) => return Ok(text_response(413, "too large")),
                    Ok(Body::TimedOut) => return Ok(text_response(408, "body too slow")),
                    Err(_) => return Ok(text_response(400, "unreadable body")),
                };
                let Ok(callback) = callback else {
                    return Ok(text_response(400, "malformed callback"));
                };
                if handler.queue.borrow_mut().push(callback) == Queued::Full {
                    return Ok(text_response(503, "too many callbacks waiting"));
                }
                let idle = handler.idle_promise();
                handler.pump();
                if let Ok(wait_until) = Reflect::get(&context, &"waitUntil".into())
                    .and_then(|f| f.dyn_into::<Function>())
                {
                    let _ = wait_until.call1(&context, &idle);
                }
                Ok(text_response(200, "OK"))
            })
        },
    );
    Ok(closure.into_js_value())
}
