//! The HTTP side of the exchanger client: one method call with its retries, and bids that
//! cannot be doubled. The JS class around it is in [`super::js_api`].

use super::envelope::{self, ExchangerError};
use super::method::{Method, Retry};
use super::request::{form_encode, Params, MAX_LIMIT};
use super::shape;
use crate::http::{excerpt, with_retries, CallOptions, Http, HttpRequest, Step, TransportFailure};
use crate::php::PhpValue;
use crate::validate::ValidationError;
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
        let _ = js_sys::Reflect::set(&fields, &name.into(), &message.into());
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

impl Inner {
    fn request(&self, method: Method, params: &Params, call: &Call) -> HttpRequest {
        let mut headers = vec![
            ("API-LOGIN".to_owned(), self.login.clone()),
            ("API-KEY".to_owned(), self.key.clone()),
            (
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            ),
            ("Accept".to_owned(), "application/json".to_owned()),
        ];
        if let Some(lang) = call.lang.as_ref().or(self.lang.as_ref()) {
            headers.push(("API-LANG".to_owned(), lang.clone()));
        }
        HttpRequest {
            // The script's own client adds the trailing slash; the server takes both.
            url: format!("{}/{}/", self.base, method.wire()),
            method: "POST",
            headers,
            body: Some(form_encode(params)),
        }
    }

    /// Sends `method` and returns the body of the HTTP 200 answer, retrying transport
    /// failures when the method allows it.
    async fn send(
        &self,
        method: Method,
        params: &Params,
        call: &Call,
    ) -> Result<String, CallError> {
        let request = self.request(method, params, call);
        let retries = match method.retry() {
            Retry::Never => 0,
            Retry::Safe | Retry::WithApiId => self.http.max_retries,
        };
        let body = with_retries(retries, call.options.signal.as_ref(), |_| async {
            let failure = match self.http.send(&request, &call.options).await {
                Ok(answer) if answer.status == 200 => return Step::Done(Ok(answer.body)),
                Ok(answer) => {
                    let failure = TransportFailure::Status {
                        status: answer.status,
                        excerpt: excerpt(&answer.body, &self.http.secrets),
                    };
                    if failure.retryable() {
                        return Step::Retry(failure, answer.retry_after_ms);
                    }
                    failure
                }
                Err(failure) if failure.retryable() => return Step::Retry(failure, None),
                Err(failure) => failure,
            };
            Step::Done(Err(failure))
        })
        .await?;
        Ok(body)
    }

    fn masked(&self, e: ExchangerError) -> CallError {
        CallError::Exchanger(e.masked(&self.http.secrets))
    }

    /// The answer's `data` in the SDK's canonical form.
    pub async fn data(
        &self,
        method: Method,
        params: &Params,
        call: &Call,
    ) -> Result<PhpValue, CallError> {
        let body = self.send(method, params, call).await?;
        envelope::decode(method, &body).map_err(|e| self.masked(e))
    }

    /// `create_bid` that yields one bid however often it is retried: `params` carries an
    /// `api_id`, a repeat is refused by the server as `api id not unique`, and the bid
    /// created with it is then found and returned (`replayed: true`).
    pub async fn create_bid(
        &self,
        params: &Params,
        api_id: &str,
        call: &Call,
    ) -> Result<PhpValue, CallError> {
        let outcome = self.data(Method::CreateBid, params, call).await;
        let refusal = match outcome {
            Ok(mut bid) => {
                shape::set(&mut bid, "api_id", PhpValue::Str(api_id.to_owned()));
                shape::set(&mut bid, "replayed", PhpValue::Bool(false));
                return Ok(bid);
            }
            Err(CallError::Exchanger(e)) if e.is_api_id_taken() => CallError::Exchanger(e),
            // Every attempt failed on the way: the first may still have created the bid.
            Err(CallError::Transport(t)) if !matches!(t, TransportFailure::Aborted) => {
                match self.find_by_api_id(api_id, 1, call).await {
                    Ok(Some(found)) => return self.replay(&found, api_id, call).await,
                    _ => return Err(CallError::Transport(t)),
                }
            }
            Err(other) => return Err(other),
        };
        match self
            .find_by_api_id(api_id, API_ID_SEARCH_PAGES, call)
            .await?
        {
            Some(found) => self.replay(&found, api_id, call).await,
            None => Err(match refusal {
                CallError::Exchanger(mut e) => {
                    e.hint = Some(
                        "The server refused the api_id as already used, but no bid with it is among \
                         this login's 10,000 most recently changed bids.",
                    );
                    CallError::Exchanger(e)
                }
                other => other,
            }),
        }
    }

    /// The full bid of an exchange found by its `api_id`.
    async fn replay(
        &self,
        found: &PhpValue,
        api_id: &str,
        call: &Call,
    ) -> Result<PhpValue, CallError> {
        let id = shape::text_of(shape::get(found, "id")).unwrap_or_default();
        let mut bid = self
            .data(Method::BidInfo, &vec![("id".to_owned(), id)], call)
            .await?;
        shape::set(&mut bid, "api_id", PhpValue::Str(api_id.to_owned()));
        shape::set(&mut bid, "replayed", PhpValue::Bool(true));
        Ok(bid)
    }

    /// Pages `get_exchanges` (newest change first) and matches `api_id` itself: the server's
    /// own `api_id` filter compares with bid ids (2.7).
    pub async fn find_by_api_id(
        &self,
        api_id: &str,
        max_pages: u64,
        call: &Call,
    ) -> Result<Option<PhpValue>, CallError> {
        let limit = u64::from(MAX_LIMIT);
        for page in 0..max_pages {
            let params = vec![
                ("limit".to_owned(), limit.to_string()),
                ("offset".to_owned(), (page * limit).to_string()),
            ];
            let list = self.data(Method::GetExchanges, &params, call).await?;
            let Some(PhpValue::List(items)) = shape::get(&list, "items") else {
                break;
            };
            let count = items.len() as u64;
            let mine = |e: &&PhpValue| matches!(shape::get(e, "api_id"), Some(PhpValue::Str(s)) if s == api_id);
            if let Some(found) = items.iter().find(mine) {
                return Ok(Some(found.clone()));
            }
            if count < limit {
                break;
            }
        }
        Ok(None)
    }
}
