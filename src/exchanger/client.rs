//! The HTTP side of the exchanger client. Each call is one [`Conversation`] that
//! `crate::http` drives: a method with its retries, a bid that cannot be doubled (it looks
//! itself up by `api_id` when its answer is lost), a search by `api_id`, or a page of an
//! async iterator. The JS class around it is in [`super::js_api`].

use super::envelope::{self, ExchangerError, ExchangerErrorKind};
use super::js_api::Pager;
use super::method::{Method, Retry};
use super::request::{form_encode, Params, MAX_LIMIT};
use super::shape;
use crate::http::{
    self, excerpt, CallOptions, Conversation, Http, HttpRequest, HttpResponse, Step,
    TransportFailure,
};
use crate::json::Value;
use crate::php::PhpValue;
use crate::validate::ValidationError;
use js_sys::{Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// Pages of 500 bids searched for an `api_id` before giving up (the 10,000 newest bids).
pub const API_ID_SEARCH_PAGES: u64 = 20;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallError {
    #[error(transparent)]
    Exchanger(#[from] ExchangerError),
    #[error(transparent)]
    Transport(#[from] TransportFailure),
    #[error(transparent)]
    Validation(#[from] ValidationError),
}

impl CallError {
    /// The branded JS error (`ExchangerError`, `TransportError`, `ValidationError`).
    pub fn to_js(&self) -> JsValue {
        match self {
            CallError::Exchanger(e) => exchanger_error_js(e),
            CallError::Transport(t) => t.to_js(),
            CallError::Validation(v) => v.clone().into(),
        }
    }
}

fn exchanger_error_js(e: &ExchangerError) -> JsValue {
    let fields = js_sys::Object::new();
    for (name, message) in &e.fields {
        let _ = Reflect::set(&fields, &name.into(), &message.into());
    }
    let mut props = vec![
        ("code", JsValue::from_f64(e.code as f64)),
        ("kind", JsValue::from_str(e.kind.as_str())),
        ("errorText", JsValue::from_str(&e.error_text)),
        ("fields", fields.into()),
        ("method", JsValue::from_str(e.method)),
    ];
    if let Some(hint) = e.hint {
        props.push(("hint", JsValue::from_str(hint)));
    }
    crate::js::error("ExchangerError", &e.to_string(), &props)
}

/// A canonical value as a JS value: one JSON text across the boundary.
pub fn to_js(value: &PhpValue) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&crate::json::encode_to_string(value))
}

/// Per-call options: the shared `{ signal, timeoutMs }` plus the answer's language.
#[derive(Debug, Clone, Default)]
pub struct Call {
    pub options: CallOptions,
    pub lang: Option<String>,
}

/// A configured client: where, who, and how to reach the network.
#[derive(Debug)]
pub struct Inner {
    /// `baseUrl` without its trailing slashes.
    pub base: String,
    pub login: String,
    pub key: String,
    pub lang: Option<String>,
    pub http: Http,
}

/// What a call does with its answers.
pub enum Task {
    /// Resolves with the method's canonical data.
    Call,
    /// `create_bid` carrying this `api_id`: resolves with the one bid made with it.
    CreateBid(String),
    /// Resolves with the bid created with this `api_id`, or `null`.
    Find(String),
    /// Hands the page to an async iterator.
    Page(Rc<RefCell<Pager>>),
}

impl Inner {
    fn request(&self, method: Method, params: &Params, lang: Option<&str>) -> HttpRequest {
        let mut headers = vec![
            ("API-LOGIN".to_owned(), self.login.clone()),
            ("API-KEY".to_owned(), self.key.clone()),
            (
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            ),
            ("Accept".to_owned(), "application/json".to_owned()),
        ];
        if let Some(lang) = lang.or(self.lang.as_deref()) {
            headers.push(("API-LANG".to_owned(), lang.to_owned()));
        }
        HttpRequest {
            // The script's own client adds the trailing slash; the server takes both.
            url: format!("{}/{}/", self.base, method.wire()),
            method: "POST",
            headers,
            body: Some(form_encode(params)),
        }
    }

    /// Retries after a transport failure: none where a repeat could do the thing twice.
    fn retries(&self, method: Method) -> u32 {
        match method.retry() {
            Retry::Never => 0,
            Retry::Safe | Retry::WithApiId => self.http.max_retries,
        }
    }

    /// Sends `method` with `params` and settles as `task` says.
    pub fn start(
        self: &Rc<Self>,
        task: Task,
        method: Method,
        params: &Params,
        call: Call,
    ) -> Promise {
        let request = self.request(method, params, call.lang.as_deref());
        let stage = match task {
            Task::Call => Stage::Call,
            Task::CreateBid(api_id) => Stage::Create(api_id),
            Task::Find(api_id) => Stage::Search {
                api_id,
                page: 0,
                pages: API_ID_SEARCH_PAGES,
                then: Then::Return,
            },
            Task::Page(pager) => Stage::Page(pager),
        };
        let creates = match &stage {
            Stage::Create(api_id) => Some(api_id.clone()),
            _ => None,
        };
        let op = Op {
            inner: Rc::clone(self),
            method,
            lang: call.lang,
            stage,
            creates,
        };
        http::start(op, call.options, request, self.retries(method))
    }
}

/// Sets (or replaces) `name` in a canonical object.
fn set(entries: &mut Vec<(String, PhpValue)>, name: &str, value: PhpValue) {
    match entries.iter_mut().find(|(k, _)| k == name) {
        Some((_, v)) => *v = value,
        None => entries.push((name.to_owned(), value)),
    }
}

/// The parameters of `get_exchanges` for page `page` of a search by `api_id` (the server's
/// own `api_id` filter compares with bid ids, so the SDK matches it itself).
pub fn search_page(page: u64) -> Params {
    let limit = u64::from(MAX_LIMIT);
    vec![
        ("limit".to_owned(), limit.to_string()),
        ("offset".to_owned(), (page * limit).to_string()),
    ]
}

/// Where a call is.
enum Stage {
    Call,
    Create(String),
    /// Paging `get_exchanges` for the bid with `api_id`.
    Search {
        api_id: String,
        page: u64,
        pages: u64,
        then: Then,
    },
    /// Reading the bid found by its `api_id`.
    Replay(String),
    Page(Rc<RefCell<Pager>>),
}

/// What a search is for.
enum Then {
    /// `findExchangeByApiId`: the bid or `null`.
    Return,
    /// A `create_bid` that failed with this error; the bid found replaces it.
    Recover(CallError),
}

/// One call in flight.
struct Op {
    inner: Rc<Inner>,
    /// The method of the request in flight.
    method: Method,
    lang: Option<String>,
    stage: Stage,
    /// A `createBid`'s `api_id`: its errors carry it as `apiId`.
    creates: Option<String>,
}

/// One attempt as the body of an HTTP 200 answer, or what to do instead.
enum Got {
    Body(String),
    Retry(Option<u32>),
    Failed(TransportFailure),
}

impl Op {
    fn got(&self, attempt: Result<HttpResponse, TransportFailure>, can_retry: bool) -> Got {
        let (failure, retry_after) = match attempt {
            Ok(answer) if answer.status == 200 => return Got::Body(answer.body),
            Ok(answer) => (
                TransportFailure::Status {
                    status: answer.status,
                    excerpt: excerpt(&answer.body, &self.inner.http.secrets),
                },
                answer.retry_after_ms,
            ),
            Err(failure) => (failure, None),
        };
        if can_retry && failure.retryable() {
            Got::Retry(retry_after)
        } else {
            Got::Failed(failure)
        }
    }

    /// Reads an HTTP 200 answer's envelope and goes on from there.
    fn answered(&mut self, body: &str, can_retry: bool) -> Step {
        let secrets = &self.inner.http.secrets;
        let data = match envelope::canonical(self.method, body) {
            Err(e) if e.kind == ExchangerErrorKind::ApiDisabled && envelope::cut_short(body) => {
                let failure = TransportFailure::NotJson {
                    status: 200,
                    excerpt: excerpt(body, secrets),
                };
                if can_retry && failure.retryable() {
                    return Step::Retry(None);
                }
                Err(CallError::Transport(failure))
            }
            read => read.map_err(|e| CallError::Exchanger(e.masked(secrets))),
        };
        self.next(data)
    }

    /// Sends `method` next.
    fn send(&mut self, method: Method, params: &Params) -> Step {
        self.method = method;
        let request = self.inner.request(method, params, self.lang.as_deref());
        Step::Send(request, self.inner.retries(method))
    }

    fn fail(&self, error: CallError) -> Step {
        let error = error.to_js();
        if let Some(api_id) = &self.creates {
            let _ = Reflect::set(&error, &"apiId".into(), &api_id.as_str().into());
        }
        Step::Done(Err(error))
    }

    /// The bid made with `api_id` (canonical JSON), marked as replayed or not.
    fn bid(&self, text: &str, api_id: &str, replayed: bool) -> Step {
        let mut bid = crate::json::decode(text).unwrap_or(PhpValue::Null);
        if let PhpValue::Array(entries) = &mut bid {
            set(entries, "api_id", PhpValue::Str(api_id.to_owned()));
            set(entries, "replayed", PhpValue::Bool(replayed));
        }
        Step::Done(to_js(&bid))
    }

    /// Asks for page `page` of the bids, newest change first.
    fn search(&mut self, api_id: String, page: u64, pages: u64, then: Then) -> Step {
        self.stage = Stage::Search {
            api_id,
            page,
            pages,
            then,
        };
        self.send(Method::GetExchanges, &search_page(page))
    }

    fn next(&mut self, data: Result<String, CallError>) -> Step {
        match std::mem::replace(&mut self.stage, Stage::Call) {
            Stage::Call => match data {
                Ok(text) => Step::Done(js_sys::JSON::parse(&text)),
                Err(e) => self.fail(e),
            },
            Stage::Page(pager) => Step::Done(Pager::fill(&pager, data)),
            Stage::Create(api_id) => match data {
                Ok(bid) => self.bid(&bid, &api_id, false),
                Err(CallError::Exchanger(e)) if e.is_api_id_taken() => self.search(
                    api_id,
                    0,
                    API_ID_SEARCH_PAGES,
                    Then::Recover(CallError::Exchanger(e)),
                ),
                // Every attempt failed on the way: the first may still have created the bid.
                Err(CallError::Transport(t)) if t != TransportFailure::Aborted => {
                    self.search(api_id, 0, 1, Then::Recover(CallError::Transport(t)))
                }
                Err(other) => self.fail(other),
            },
            Stage::Search {
                api_id,
                page,
                pages,
                then,
            } => {
                let list = match (data, then) {
                    (Ok(list), then) => (list, then),
                    // A search after a lost answer reports that failure, not its own.
                    (Err(_), Then::Recover(failure @ CallError::Transport(_))) => {
                        return self.fail(failure)
                    }
                    (Err(e), _) => return self.fail(e),
                };
                let (text, then) = list;
                let read = crate::json::read(&text).map(|r| r.value);
                let items = match read
                    .as_ref()
                    .ok()
                    .and_then(|list| shape::get(list, "items"))
                {
                    Some(Value::List(items)) => items.as_slice(),
                    _ => &[],
                };
                let mine = |e: &&Value| matches!(shape::get(e, "api_id"), Some(Value::Str(s)) if *s == api_id);
                match (items.iter().find(mine), then) {
                    (Some(found), Then::Return) => Step::Done(to_js(&found.clone().into_php())),
                    (Some(found), Then::Recover(_)) => {
                        let id = shape::text_of(shape::get(found, "id").map(shape::leaf))
                            .unwrap_or_default();
                        self.stage = Stage::Replay(api_id);
                        self.send(Method::BidInfo, &vec![("id".to_owned(), id)])
                    }
                    (None, then)
                        if items.len() as u64 == u64::from(MAX_LIMIT) && page + 1 < pages =>
                    {
                        self.search(api_id, page + 1, pages, then)
                    }
                    (None, Then::Return) => Step::Done(Ok(JsValue::NULL)),
                    (None, Then::Recover(CallError::Exchanger(mut e))) => {
                        e.hint = Some(
                            "The server refused the api_id as already used, but no bid with it is among \
                             this login's 10,000 most recently changed bids.",
                        );
                        self.fail(CallError::Exchanger(e))
                    }
                    (None, Then::Recover(other)) => self.fail(other),
                }
            }
            Stage::Replay(api_id) => match data {
                Ok(bid) => self.bid(&bid, &api_id, true),
                Err(e) => self.fail(e),
            },
        }
    }
}

impl Conversation for Op {
    fn http(&self) -> &Http {
        &self.inner.http
    }

    fn read(&mut self, attempt: Result<HttpResponse, TransportFailure>, can_retry: bool) -> Step {
        let data = match self.got(attempt, can_retry) {
            Got::Body(body) => return self.answered(&body, can_retry),
            Got::Retry(retry_after) => return Step::Retry(retry_after),
            Got::Failed(failure) => Err(CallError::Transport(failure)),
        };
        self.next(data)
    }
}
