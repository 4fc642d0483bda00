//! The widget as a state machine: `Widget::update(event) -> effects`. Events are what the
//! element reports (attributes, clicks, typing, answers from the proxy, timers); effects are
//! what it must do (POST to the proxy, set a timer, save the open bid's hash, fire a DOM event,
//! copy, move focus). Nothing here touches the browser, so whole exchanges run in `cargo test`.

use super::amount::{editable_wire, Amount};
use super::fields::{self, Rule};
use super::i18n::{fold, t, Lang, T};
use super::sanitize::payment_text;
use super::wire::{
    self, Bid, CalcResult, DirectionField, DirectionSummary, ExchangeDirection, ProxyError,
};

/// Quiet time after typing before a quote is asked for.
pub const QUOTE_DEBOUNCE_MS: u32 = 350;
/// First wait between `bid_info` polls; it grows by half each time up to the cap.
pub const POLL_FIRST_MS: u32 = 2_000;
pub const POLL_AFTER_ACTION_MS: u32 = 1_000;
pub const POLL_MAX_MS: u32 = 15_000;
const COPIED_MS: u32 = 1_800;

/// Statuses after which a bid never changes (the exchanger's configurable others are not).
const FINAL: &[&str] = &["success", "cancel", "delete", "refund"];

/// Whether a bid status is final.
pub fn is_final(status: &str) -> bool {
    FINAL.contains(&status)
}

/// Texts by name (field values, messages, request parameters): a handful each, so a vector;
/// every BTreeMap instance compiles kilobytes of balancing code into the wasm.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts(Vec<(String, String)>);

impl Texts {
    pub fn get(&self, name: &str) -> Option<&String> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets `name`, returning what it was.
    pub fn insert(&mut self, name: String, value: String) -> Option<String> {
        match self.0.iter_mut().find(|(k, _)| *k == name) {
            Some((_, v)) => Some(std::mem::replace(v, value)),
            None => {
                self.0.push((name, value));
                None
            }
        }
    }

    pub fn remove(&mut self, name: &str) {
        self.0.retain(|(k, _)| k != name);
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

/// What the element reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Once, after the initial attributes: the hash of an open bid kept in the page's storage,
    /// and a random nonce that makes this page's `api_id`s unique. The element passes 16
    /// random bytes as hex: an `api_id` replayed through the proxy returns the bid made with
    /// it, so it must be unguessable (the proxy refuses a short one).
    Start {
        resume: Option<String>,
        nonce: String,
    },
    /// An observed attribute (`lang`, `give`, `get`, `amount`) or the page language (`page-lang`).
    Attr {
        name: String,
        value: Option<String>,
    },
    /// The proxy's answer to `Effect::Fetch { req }`; status 0 when no answer came.
    /// `wait_ms`: how long its `Retry-After` asks to wait, when it sent one.
    Response {
        req: u32,
        status: u16,
        body: String,
        wait_ms: Option<u32>,
    },
    Timer {
        id: String,
    },
    Click {
        action: String,
        arg: String,
    },
    Input {
        name: String,
        value: String,
    },
    Blur {
        name: String,
    },
    Key {
        key: String,
    },
    /// How `Effect::Copy { what }` went: `ok` when the clipboard took the text, not when the
    /// element could only select it for the user.
    Copied {
        what: String,
        ok: bool,
    },
}

/// What the element must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// POST `params` as JSON to `<endpoint>/<method>` with `Accept-Language: <lang>` (the
    /// proxy asks the exchanger for its texts in that language), then report
    /// `Event::Response { req }`.
    Fetch {
        req: u32,
        method: &'static str,
        params: Texts,
        lang: &'static str,
    },
    /// (Re)start the one-shot timer `id`.
    Timer {
        id: &'static str,
        ms: u32,
    },
    ClearTimer {
        id: &'static str,
    },
    /// Keep (or forget) the open bid's hash in the page's storage.
    Save {
        hash: Option<String>,
    },
    /// Dispatch a `CustomEvent` on the element.
    Emit {
        name: &'static str,
        detail: Detail,
    },
    /// Put `text` on the clipboard, then report `Event::Copied { what }`.
    Copy {
        text: String,
        /// The element showing it, selected for the user to copy where the clipboard is off.
        select: String,
        /// The copy button's `data-arg`.
        what: String,
    },
    /// Tell the page's developer (`console.warn`): a mistake in the integration that the user
    /// does not see, such as a `give` that names no currency.
    Warn {
        message: String,
    },
    /// Focus the first element matching the selector after rendering.
    Focus {
        selector: String,
    },
}

/// `detail` of the element's events.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    Ready {
        lang: &'static str,
        directions: usize,
        resumed: bool,
    },
    Bid(BidDetail),
    Quote(QuoteDetail),
    Error {
        kind: String,
        code: i64,
        message: String,
        method: &'static str,
    },
}

/// A bid as `obmennik:bid-created` and `obmennik:status` report it (wire names).
#[derive(Debug, Clone, PartialEq)]
pub struct BidDetail {
    pub id: String,
    pub hash: String,
    pub status: String,
    pub status_title: String,
    pub url: String,
    pub amount_give: String,
    pub amount_get: String,
    pub currency_code_give: String,
    pub currency_code_get: String,
    /// `final` on the wire.
    pub is_final: bool,
}

impl BidDetail {
    fn of(bid: &Bid) -> BidDetail {
        BidDetail {
            id: bid.id.clone(),
            hash: bid.hash.clone(),
            status: bid.status.clone(),
            status_title: bid.status_title.clone(),
            url: bid.url.clone(),
            amount_give: bid.amount_give.clone(),
            amount_get: bid.amount_get.clone(),
            currency_code_give: bid.currency_code_give.clone(),
            currency_code_get: bid.currency_code_get.clone(),
            is_final: is_final(&bid.status),
        }
    }
}

/// A quote as `obmennik:quote` reports it: what the widget now shows (wire names).
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteDetail {
    pub direction_id: String,
    pub currency_code_give: String,
    pub currency_code_get: String,
    pub amount_give: String,
    pub amount_get: String,
    /// The amount typed was outside the limits and was moved into them.
    pub changed: bool,
}

/// Which amount the user typed (`calc_action` 1 or 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Give,
    Get,
}

impl Side {
    fn calc_action(self) -> &'static str {
        match self {
            Side::Give => "1",
            Side::Get => "2",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Currencies, direction, amount and quote.
    Amount,
    /// The give, get and direction fields.
    Details,
    /// The bid: payment, status or final, by its status.
    Bid,
}

/// What an answer was for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Purpose {
    /// Asked for in this language: an answer in a language since left is dropped (the
    /// answer in the new one is on its way).
    Pairs(Lang),
    Direction(String, Lang),
    Quote(u32),
    Create,
    BidInfo {
        resume: bool,
    },
    Pay,
    Cancel,
}

/// What the Retry button of a problem does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    Pairs,
    Direction,
    Quote,
}

/// A message over the current screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub said: Said,
    pub retry: Option<Retry>,
}

/// What a problem says: one of the widget's texts, kept by name so that a language change
/// retells it, or the exchanger's own message, in the language it was asked in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    Own(T),
    Server(String),
    /// Rate limited, with the seconds the proxy's `Retry-After` asked to wait.
    Wait(u32),
}

impl Problem {
    fn own(text: T, retry: Option<Retry>) -> Problem {
        Problem {
            said: Said::Own(text),
            retry,
        }
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> std::borrow::Cow<'_, str> {
        match &self.said {
            Said::Own(text) => t(lang, *text).into(),
            Said::Server(message) => message.as_str().into(),
            Said::Wait(seconds) => super::i18n::try_again_in(lang, *seconds).into(),
        }
    }
}

/// The whole widget state (read by `view`).
#[derive(Debug, Clone, Default)]
pub struct Widget {
    pub(super) lang: Lang,
    attr_lang: Option<String>,
    page_lang: Option<String>,
    want_give: Option<String>,
    want_get: Option<String>,
    started: bool,
    nonce: String,
    creates: u32,

    pub(super) pairs: Vec<DirectionSummary>,
    pub(super) pairs_loaded: bool,
    pub(super) give: Option<String>,
    pub(super) get: Option<String>,
    pub(super) picker: Option<Side>,
    pub(super) search: String,

    pub(super) direction: Option<ExchangeDirection>,
    pub(super) side: Option<Side>,
    pub(super) amount: String,
    pub(super) amount_error: Option<String>,
    pub(super) quote: Option<CalcResult>,
    quote_seq: u32,
    pub(super) quoting: bool,

    pub(super) screen: Option<Screen>,
    pub(super) values: Texts,
    // Few entries each: vectors, not more BTreeMap instances in the wasm.
    touched: Vec<String>,
    pub(super) server_errors: Texts,
    submitted: bool,
    pub(super) creating: bool,
    api_id: Option<String>,

    pub(super) bid: Option<Bid>,
    pub(super) bid_loading: bool,
    poll_ms: u32,
    pub(super) confirm_cancel: bool,
    pub(super) acting: bool,
    /// The copy button that last reported, and whether the clipboard took its text.
    pub(super) copied: Option<(String, bool)>,
    /// The warnings already given, not repeated each time the currencies are chosen again.
    warned: Vec<String>,

    pub(super) problem: Option<Problem>,
    next_req: u32,
    pending: Vec<(u32, Purpose)>,
    /// The `Retry-After` of the answer being read.
    wait_ms: Option<u32>,
    polling: bool,
}

impl Widget {
    pub fn new() -> Widget {
        Widget {
            side: Some(Side::Give),
            screen: Some(Screen::Amount),
            poll_ms: POLL_FIRST_MS,
            ..Widget::default()
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub(super) fn screen(&self) -> Screen {
        self.screen.unwrap_or(Screen::Amount)
    }

    pub(super) fn side(&self) -> Side {
        self.side.unwrap_or(Side::Give)
    }

    /// Applies one event and returns what the element must do.
    pub fn update(&mut self, event: Event) -> Vec<Effect> {
        let mut fx = Vec::new();
        match event {
            Event::Start { resume, nonce } => self.start(resume, nonce, &mut fx),
            Event::Attr { name, value } => self.attr(&name, value, &mut fx),
            Event::Response {
                req,
                status,
                body,
                wait_ms,
            } => {
                if let Some(i) = self.pending.iter().position(|p| p.0 == req) {
                    let (_, purpose) = self.pending.swap_remove(i);
                    self.wait_ms = wait_ms;
                    self.answer(purpose, status, &body, &mut fx);
                    self.wait_ms = None;
                }
            }
            Event::Timer { id } => self.timer(&id, &mut fx),
            Event::Click { action, arg } => self.click(&action, &arg, &mut fx),
            Event::Input { name, value } => self.input(&name, value, &mut fx),
            Event::Blur { name } => {
                if let Some(field) = name.strip_prefix("f:") {
                    if !self.touched.iter().any(|t| t == field) {
                        self.touched.push(field.to_string());
                    }
                }
            }
            Event::Key { key } if key == "Escape" => {
                if self.picker.is_some() {
                    self.close_picker(&mut fx);
                } else if self.confirm_cancel && !self.acting {
                    self.keep_bid(&mut fx);
                }
            }
            Event::Key { .. } => {}
            Event::Copied { what, ok } => {
                self.copied = Some((what, ok));
                fx.push(Effect::Timer {
                    id: "copied",
                    ms: COPIED_MS,
                });
            }
        }
        fx
    }

    // ---- requests ----

    fn fetch(
        &mut self,
        purpose: Purpose,
        method: &'static str,
        params: &[(&str, String)],
        fx: &mut Vec<Effect>,
    ) {
        self.next_req += 1;
        let req = self.next_req;
        self.pending.push((req, purpose));
        let mut map = Texts::default();
        for (k, v) in params {
            map.insert(k.to_string(), v.clone());
        }
        fx.push(Effect::Fetch {
            req,
            method,
            params: map,
            lang: self.lang.tag(),
        });
    }

    fn is_pending(&self, purpose: &Purpose) -> bool {
        self.pending.iter().any(|p| &p.1 == purpose)
    }

    fn start(&mut self, resume: Option<String>, nonce: String, fx: &mut Vec<Effect>) {
        if self.started {
            return;
        }
        self.started = true;
        self.nonce = nonce;
        self.load_pairs(fx);
        if let Some(hash) = resume.filter(|h| !h.is_empty()) {
            self.screen = Some(Screen::Bid);
            self.bid_loading = true;
            self.fetch(
                Purpose::BidInfo { resume: true },
                "bid_info",
                &[("hash", hash)],
                fx,
            );
        }
    }

    fn load_pairs(&mut self, fx: &mut Vec<Effect>) {
        self.problem = None;
        if !self.is_pending(&Purpose::Pairs(self.lang)) {
            self.fetch(Purpose::Pairs(self.lang), "get_directions", &[], fx);
        }
    }

    fn load_direction(&mut self, fx: &mut Vec<Effect>) {
        self.direction = None;
        self.quote = None;
        self.quote_seq += 1;
        self.quoting = false;
        self.values.clear();
        self.touched.clear();
        self.server_errors.clear();
        self.submitted = false;
        self.fetch_direction(fx);
    }

    fn fetch_direction(&mut self, fx: &mut Vec<Effect>) {
        if let Some(pair) = self.pair() {
            let id = pair.direction_id.clone();
            self.fetch(
                Purpose::Direction(id.clone(), self.lang),
                "get_direction",
                &[("direction_id", id)],
                fx,
            );
        }
    }

    /// The language changed: asks again for what the exchanger wrote (currency titles, the
    /// direction's labels and texts, the bid's status and instruction), keeping what the user
    /// typed and chose.
    fn relabel(&mut self, fx: &mut Vec<Effect>) {
        if !self.started {
            return;
        }
        // What is loaded or on its way in the old language (whose answer will be dropped).
        let asked = |want: fn(&Purpose) -> bool| self.pending.iter().any(|p| want(&p.1));
        let pairs = self.pairs_loaded || asked(|p| matches!(p, Purpose::Pairs(_)));
        let direction = self.direction.is_some() || asked(|p| matches!(p, Purpose::Direction(..)));
        if pairs {
            self.fetch(Purpose::Pairs(self.lang), "get_directions", &[], fx);
        }
        if direction {
            self.fetch_direction(fx);
        }
        // A final bid too: its status title is the exchanger's text.
        self.fetch_bid(fx);
    }

    /// Asks for the bid's current state, unless a request for it is on its way.
    fn fetch_bid(&mut self, fx: &mut Vec<Effect>) {
        let Some(bid) = &self.bid else {
            return;
        };
        if self.polling {
            return;
        }
        let hash = bid.hash.clone();
        self.polling = true;
        self.fetch(
            Purpose::BidInfo { resume: false },
            "bid_info",
            &[("hash", hash)],
            fx,
        );
    }

    /// Asks for a quote of the typed amount now (after the debounce, or when the direction or
    /// a `cd` field changed).
    fn quote_now(&mut self, fx: &mut Vec<Effect>) {
        self.quote_seq += 1;
        let Some(dir) = &self.direction else {
            return;
        };
        let Ok(amount) = Amount::parse_positive(&self.amount) else {
            self.quoting = false;
            return;
        };
        if self.amount_error.is_some() {
            self.quoting = false;
            return;
        }
        let mut params = vec![
            ("direction_id", dir.id.clone()),
            ("calc_amount", amount.wire()),
            ("calc_action", self.side().calc_action().to_string()),
        ];
        let cd = self.cd_string();
        if !cd.is_empty() {
            params.push(("cd", cd));
        }
        self.quoting = true;
        let seq = self.quote_seq;
        self.fetch(Purpose::Quote(seq), "get_calc", &params, fx);
    }

    /// The `cd` fields' chosen values, `name=value&...` (the proxy encodes it for the wire).
    fn cd_string(&self) -> String {
        let Some(dir) = &self.direction else {
            return String::new();
        };
        dir.all_fields()
            .filter(|f| f.cd)
            .filter_map(|f| {
                let v = self.values.get(&f.name)?;
                (!v.is_empty() && v != "0")
                    .then(|| format!("{}={}", form_encode(&f.name), form_encode(v)))
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    fn schedule_quote(&mut self, fx: &mut Vec<Effect>) {
        // A newer input makes any quote in flight stale.
        self.quote_seq += 1;
        self.quote = None;
        self.quoting = self.direction.is_some() && self.amount_ok();
        if self.quoting {
            fx.push(Effect::Timer {
                id: "quote",
                ms: QUOTE_DEBOUNCE_MS,
            });
        } else {
            fx.push(Effect::ClearTimer { id: "quote" });
        }
    }

    fn amount_ok(&self) -> bool {
        self.amount_error.is_none() && Amount::parse_positive(&self.amount).is_ok()
    }

    // ---- answers ----

    fn answer(&mut self, purpose: Purpose, status: u16, body: &str, fx: &mut Vec<Effect>) {
        match purpose {
            Purpose::Pairs(lang) | Purpose::Direction(_, lang) if lang != self.lang => {}
            Purpose::Pairs(_) => match wire::read::<Vec<DirectionSummary>>(status, body) {
                Ok(pairs) => {
                    self.pairs = pairs;
                    if !self.pairs_loaded {
                        fx.push(Effect::Emit {
                            name: "obmennik:ready",
                            detail: Detail::Ready {
                                lang: self.lang.tag(),
                                directions: self.pairs.len(),
                                resumed: self.bid.is_some() || self.bid_loading,
                            },
                        });
                    }
                    let first = !self.pairs_loaded;
                    self.pairs_loaded = true;
                    if self.pairs.is_empty() {
                        self.problem = Some(Problem::own(T::NoDirections, Some(Retry::Pairs)));
                        return;
                    }
                    // Titles in another language change no choice made after the amount screen.
                    if first || self.screen() == Screen::Amount {
                        self.choose_initial_pair(fx);
                    }
                }
                Err(e) => self.fail(e, "get_directions", Some(Retry::Pairs), fx),
            },
            Purpose::Direction(id, _) => {
                if self.pair().map(|p| &p.direction_id) != Some(&id) {
                    return; // the user has picked another pair meanwhile
                }
                match wire::read::<ExchangeDirection>(status, body) {
                    Ok(dir) => {
                        // Kept when the same direction comes again in another language.
                        for f in dir.all_fields() {
                            if self.values.get(&f.name).is_none() {
                                self.values.insert(f.name.clone(), fields::initial_value(f));
                            }
                        }
                        self.direction = Some(dir);
                        self.problem = None;
                        self.check_amount();
                        self.quote_now(fx);
                    }
                    Err(e) => self.fail(e, "get_direction", Some(Retry::Direction), fx),
                }
            }
            Purpose::Quote(seq) => {
                if seq != self.quote_seq {
                    return; // stale: a newer amount or direction has been asked for
                }
                self.quoting = false;
                match wire::read::<CalcResult>(status, body) {
                    Ok(calc) => {
                        // For the partner's analytics: the rate the user is looking at.
                        fx.push(Effect::Emit {
                            name: "obmennik:quote",
                            detail: Detail::Quote(QuoteDetail {
                                direction_id: self
                                    .direction
                                    .as_ref()
                                    .map_or_else(String::new, |d| d.id.clone()),
                                currency_code_give: calc.currency_code_give.clone(),
                                currency_code_get: calc.currency_code_get.clone(),
                                amount_give: calc.sum_give.clone(),
                                amount_get: calc.sum_get.clone(),
                                changed: calc.changed,
                            }),
                        });
                        self.quote = Some(calc);
                        if matches!(&self.problem, Some(p) if p.retry == Some(Retry::Quote)) {
                            self.problem = None;
                        }
                    }
                    Err(e) => self.fail(e, "get_calc", Some(Retry::Quote), fx),
                }
            }
            Purpose::Create => {
                self.creating = false;
                match wire::read::<Bid>(status, body) {
                    Ok(bid) => {
                        self.api_id = None;
                        self.problem = None;
                        fx.push(Effect::Save {
                            hash: Some(bid.hash.clone()),
                        });
                        fx.push(Effect::Emit {
                            name: "obmennik:bid-created",
                            detail: Detail::Bid(BidDetail::of(&bid)),
                        });
                        self.show_bid(bid, fx);
                        fx.push(Effect::Focus {
                            selector: "#title".into(),
                        });
                    }
                    Err(e) => self.create_failed(e, fx),
                }
            }
            Purpose::BidInfo { resume } => {
                self.polling = false;
                self.bid_loading = false;
                match wire::read::<Bid>(status, body) {
                    Ok(bid) => {
                        if self.problem.as_ref().is_some_and(|p| p.retry.is_none()) {
                            self.problem = None;
                        }
                        let changed = self.bid.as_ref().map(|b| &b.status) != Some(&bid.status);
                        if changed {
                            fx.push(Effect::Emit {
                                name: "obmennik:status",
                                detail: Detail::Bid(BidDetail::of(&bid)),
                            });
                        }
                        self.poll_ms = if changed {
                            POLL_FIRST_MS
                        } else {
                            (self.poll_ms + self.poll_ms / 2).min(POLL_MAX_MS)
                        };
                        self.show_bid(bid, fx);
                    }
                    Err(e) if e.kind == "not_found" || (resume && e.kind == "bad_request") => {
                        // The saved bid is gone (or not ours): start afresh.
                        fx.push(Effect::Save { hash: None });
                        self.bid = None;
                        self.screen = Some(Screen::Amount);
                        self.problem = Some(Problem::own(T::BidNotFound, None));
                    }
                    Err(e) => {
                        // Keep following the bid, not before the proxy's Retry-After; say why
                        // the status may be old.
                        self.poll_ms = (self.poll_ms * 2)
                            .min(POLL_MAX_MS)
                            .max(self.wait_ms.unwrap_or(0));
                        self.fail(e, "bid_info", None, fx);
                        if self.bid.is_some() || resume {
                            self.schedule_poll(fx);
                        }
                    }
                }
            }
            Purpose::Pay | Purpose::Cancel => {
                self.acting = false;
                self.confirm_cancel = false;
                let method = if purpose == Purpose::Pay {
                    "pay_bid"
                } else {
                    "cancel_bid"
                };
                match wire::read::<String>(status, body) {
                    Ok(new_status) => {
                        self.problem = None;
                        if let Some(mut bid) = self.bid.clone() {
                            if bid.status != new_status {
                                bid.status = new_status;
                                // The title is the server's; until bid_info brings it, none.
                                bid.status_title.clear();
                                fx.push(Effect::Emit {
                                    name: "obmennik:status",
                                    detail: Detail::Bid(BidDetail::of(&bid)),
                                });
                            }
                            self.poll_ms = POLL_AFTER_ACTION_MS;
                            self.show_bid(bid, fx);
                            // Fetch the server's own view (title, instruction) right away.
                            if !self.polling {
                                fx.push(Effect::Timer { id: "poll", ms: 0 });
                            }
                        }
                    }
                    Err(e) => {
                        self.fail(e, method, None, fx);
                        if purpose == Purpose::Cancel {
                            // The question is gone; the order is still open.
                            self.keep_bid(fx);
                        }
                    }
                }
            }
        }
    }

    /// Shows a failure, tells the host page, and offers a retry where one makes sense.
    fn fail(
        &mut self,
        e: ProxyError,
        method: &'static str,
        retry: Option<Retry>,
        fx: &mut Vec<Effect>,
    ) {
        let said = match e.kind.as_str() {
            "maintenance" => Said::Own(T::Maintenance),
            "network" | "upstream_unavailable" | "upstream_timeout" => Said::Own(T::NetworkError),
            "rate_limited" => match self.wait_ms {
                // Whole seconds, rounded up: never "try again in 0 s".
                Some(ms) => Said::Wait(ms.div_ceil(1000).max(1)),
                None => Said::Own(T::RateLimited),
            },
            "validation" | "not_found" | "action_disabled" if !e.message.is_empty() => {
                Said::Server(e.message.clone())
            }
            _ => Said::Own(T::ServerError),
        };
        self.problem = Some(Problem { said, retry });
        fx.push(Effect::Emit {
            name: "obmennik:error",
            detail: Detail::Error {
                kind: e.kind,
                code: e.code,
                message: e.message,
                method,
            },
        });
    }

    fn create_failed(&mut self, mut e: ProxyError, fx: &mut Vec<Effect>) {
        let fields = std::mem::take(&mut e.fields);
        let validation = e.kind == "validation";
        // A transport failure may have created the bid: a retry reuses the api_id so the
        // exchanger refuses a second one instead of opening it twice.
        if validation {
            self.api_id = None;
        }
        self.fail(e, "create_bid", None, fx);
        if !validation {
            return;
        }
        self.server_errors.clear();
        for (name, message) in fields {
            let text = super::sanitize::plain_text(&message);
            match name.as_str() {
                "sum1" | "sum1c" | "sum2" | "sum2c" => {
                    self.server_errors.insert("amount".into(), text);
                }
                _ => {
                    self.server_errors.insert(name, text);
                }
            }
        }
        if let Some(p) = &mut self.problem {
            if !self.server_errors.is_empty() {
                p.said = Said::Own(T::FixFields);
            }
        }
        if let Some(first) = self.first_invalid() {
            fx.push(Effect::Focus { selector: first });
        }
    }

    fn show_bid(&mut self, bid: Bid, fx: &mut Vec<Effect>) {
        let done = is_final(&bid.status);
        self.bid = Some(bid);
        self.screen = Some(Screen::Bid);
        if done {
            fx.push(Effect::ClearTimer { id: "poll" });
            fx.push(Effect::Save { hash: None });
        } else {
            self.schedule_poll(fx);
        }
    }

    fn schedule_poll(&mut self, fx: &mut Vec<Effect>) {
        fx.push(Effect::Timer {
            id: "poll",
            ms: self.poll_ms,
        });
    }

    // ---- timers ----

    fn timer(&mut self, id: &str, fx: &mut Vec<Effect>) {
        match id {
            "quote" => self.quote_now(fx),
            "poll" if self.bid.as_ref().is_some_and(|b| !is_final(&b.status)) => {
                self.fetch_bid(fx);
            }
            "copied" => self.copied = None,
            _ => {}
        }
    }

    // ---- attributes ----

    fn attr(&mut self, name: &str, value: Option<String>, fx: &mut Vec<Effect>) {
        let value = value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        match name {
            "lang" => self.attr_lang = value,
            "page-lang" => self.page_lang = value,
            "give" => {
                self.want_give = value;
                if self.pairs_loaded && self.screen() == Screen::Amount {
                    self.choose_initial_pair(fx);
                }
            }
            "get" => {
                self.want_get = value;
                if self.pairs_loaded && self.screen() == Screen::Amount {
                    self.choose_initial_pair(fx);
                }
            }
            "amount" => {
                if let Some(v) = value {
                    if self.screen() == Screen::Amount {
                        self.set_amount(Side::Give, v, fx);
                    }
                }
            }
            _ => {}
        }
        let lang = Lang::pick(&[self.attr_lang.as_deref(), self.page_lang.as_deref()]);
        if lang != self.lang {
            self.lang = lang;
            self.relabel(fx);
        }
    }

    // ---- currencies ----

    fn pair(&self) -> Option<&DirectionSummary> {
        let (give, get) = (self.give.as_ref()?, self.get.as_ref()?);
        self.pairs
            .iter()
            .find(|p| &p.currency_give_id == give && &p.currency_get_id == get)
    }

    /// Currencies one can give: `(id, title, logo)` in the exchanger's order.
    pub(super) fn give_currencies(&self) -> Vec<(&str, &str, &str)> {
        self.pairs
            .iter()
            .enumerate()
            .filter(|(i, p)| {
                !self.pairs[..*i]
                    .iter()
                    .any(|q| q.currency_give_id == p.currency_give_id)
            })
            .map(|(_, p)| p)
            .map(|p| {
                (
                    p.currency_give_id.as_str(),
                    p.currency_give_title.as_str(),
                    p.currency_give_logo.as_str(),
                )
            })
            .collect()
    }

    /// Currencies one can get for the chosen give currency: only pairs that exist.
    pub(super) fn get_currencies(&self) -> Vec<(&str, &str, &str)> {
        self.pairs
            .iter()
            .filter(|p| Some(&p.currency_give_id) == self.give.as_ref())
            .map(|p| {
                (
                    p.currency_get_id.as_str(),
                    p.currency_get_title.as_str(),
                    p.currency_get_logo.as_str(),
                )
            })
            .collect()
    }

    /// `(title, logo)` of a currency id.
    pub(super) fn currency(&self, id: Option<&String>) -> Option<(&str, &str)> {
        let id = id?;
        self.pairs.iter().find_map(|p| {
            if &p.currency_give_id == id {
                Some((
                    p.currency_give_title.as_str(),
                    p.currency_give_logo.as_str(),
                ))
            } else if &p.currency_get_id == id {
                Some((p.currency_get_title.as_str(), p.currency_get_logo.as_str()))
            } else {
                None
            }
        })
    }

    /// Every currency of the exchanger, either side: `(id, title)`, each id once.
    fn all_currencies(&self) -> Vec<(&str, &str)> {
        let mut all: Vec<(&str, &str)> = Vec::new();
        for p in &self.pairs {
            for c in [
                (p.currency_give_id.as_str(), p.currency_give_title.as_str()),
                (p.currency_get_id.as_str(), p.currency_get_title.as_str()),
            ] {
                if !all.iter().any(|a| a.0 == c.0) {
                    all.push(c);
                }
            }
        }
        all
    }

    fn choose_initial_pair(&mut self, fx: &mut Vec<Effect>) {
        let mut warnings = Vec::new();
        let gives = self.give_currencies();
        let found = self.want("give", &gives, self.want_give.as_deref(), &mut warnings);
        let give = found
            .or_else(|| self.give.clone())
            .or_else(|| self.pairs.first().map(|p| p.currency_give_id.clone()));
        if give != self.give {
            self.give = give;
            self.get = None;
        }
        let gets = self.get_currencies();
        let get = self
            .want("get", &gets, self.want_get.as_deref(), &mut warnings)
            .or_else(|| self.get.clone().filter(|g| gets.iter().any(|c| c.0 == g)))
            .or_else(|| gets.first().map(|c| c.0.to_string()));
        let changed = get != self.get || self.direction.is_none();
        self.get = get;
        // Each names what the user is shown instead.
        for (attr, message) in warnings {
            let id = if attr == "give" {
                &self.give
            } else {
                &self.get
            };
            let shown = self.currency(id.as_ref()).map_or("", |c| c.0);
            let message = format!("{message}; showing {shown} instead");
            if !self.warned.contains(&message) {
                self.warned.push(message.clone());
                fx.push(Effect::Warn { message });
            }
        }
        if changed {
            self.load_direction(fx);
        }
    }

    /// The currency of `list` that the `attr` attribute's value names; when it names none
    /// (or, by its code alone, several), the start of a warning for the page's developer.
    fn want(
        &self,
        attr: &'static str,
        list: &[(&str, &str, &str)],
        wanted: Option<&str>,
        warnings: &mut Vec<(&'static str, String)>,
    ) -> Option<String> {
        let wanted = wanted?;
        let all = self.all_currencies();
        match find_currency(list, &all, wanted) {
            Ok(id) => Some(id),
            Err(several) => {
                let mut m = format!("obmennik-widget: {attr}=\"{wanted}\" ");
                if several.is_empty() {
                    m.push_str("matches no currency");
                    if attr == "get" {
                        m.push_str(" that the give currency can be exchanged for");
                    }
                    m.push_str(". Use an id, a title or a code: ");
                } else {
                    m.push_str("names a code that several currencies have. Use one of: ");
                }
                let choices: Vec<(&str, &str)> = if several.is_empty() {
                    list.iter().map(|c| (c.0, c.1)).collect()
                } else {
                    several
                };
                for (i, (id, title)) in choices.iter().take(5).enumerate() {
                    if i > 0 {
                        m.push_str(", ");
                    }
                    let code = title.rsplit(' ').next().unwrap_or_default();
                    let _ =
                        std::fmt::Write::write_fmt(&mut m, format_args!("{id} ({title}, {code})"));
                }
                if choices.len() > 5 {
                    let _ = std::fmt::Write::write_fmt(
                        &mut m,
                        format_args!(", ... ({} in all)", choices.len()),
                    );
                }
                warnings.push((attr, m));
                None
            }
        }
    }

    fn choose(&mut self, id: &str, fx: &mut Vec<Effect>) {
        let Some(side) = self.picker else {
            return;
        };
        match side {
            Side::Give => {
                if !self.give_currencies().iter().any(|c| c.0 == id) {
                    return;
                }
                self.give = Some(id.to_string());
                let gets = self.get_currencies();
                if !gets.iter().any(|c| Some(c.0) == self.get.as_deref()) {
                    self.get = gets.first().map(|c| c.0.to_string());
                }
            }
            Side::Get => {
                if !self.get_currencies().iter().any(|c| c.0 == id) {
                    return;
                }
                self.get = Some(id.to_string());
            }
        }
        self.close_picker(fx);
        self.load_direction(fx);
    }

    fn close_picker(&mut self, fx: &mut Vec<Effect>) {
        if let Some(side) = self.picker.take() {
            self.search.clear();
            fx.push(Effect::Focus {
                selector: format!("#cur-{}", if side == Side::Give { "give" } else { "get" }),
            });
        }
    }

    // ---- amount ----

    fn set_amount(&mut self, side: Side, text: String, fx: &mut Vec<Effect>) {
        self.side = Some(side);
        self.amount = text;
        self.server_errors.remove("amount");
        self.check_amount();
        self.schedule_quote(fx);
    }

    /// The typed amount against the number rules and the direction's limits for its side.
    fn check_amount(&mut self) {
        self.amount_error = None;
        if self.amount.trim().is_empty() {
            return;
        }
        let lang = self.lang;
        let amount = match Amount::parse_positive(&self.amount) {
            Ok(a) => a,
            Err(super::amount::AmountError::NotPositive) => {
                self.amount_error = Some(t(lang, T::AmountPositive).into());
                return;
            }
            Err(_) => {
                self.amount_error = Some(t(lang, T::AmountInvalid).into());
                return;
            }
        };
        let Some(dir) = &self.direction else {
            return;
        };
        let (min, max, code) = match self.side() {
            Side::Give => (&dir.min_give, &dir.max_give, &dir.currency_code_give),
            Side::Get => (&dir.min_get, &dir.max_get, &dir.currency_code_get),
        };
        if let Some(min) = min
            .as_deref()
            .and_then(Amount::from_wire)
            .filter(|m| amount < *m)
        {
            self.amount_error = Some(format!(
                "{} {} {}",
                t(lang, T::BelowMin),
                min.display(lang),
                code
            ));
        } else if let Some(max) = max
            .as_deref()
            .and_then(Amount::from_wire)
            .filter(|m| amount > *m)
        {
            self.amount_error = Some(format!(
                "{} {} {}",
                t(lang, T::AboveMax),
                max.display(lang),
                code
            ));
        }
    }

    /// The amount a `changed` quote offers instead of the one typed, on the side whose limit
    /// it met: the other side's sum is rounded, so quoted (and created) from there it would
    /// overshoot the limit again and be moved once more.
    pub(super) fn offered(&self) -> Option<(Side, &str)> {
        let q = self.quote.as_ref().filter(|q| q.changed)?;
        let at_limit = |sum: &str, limits: [&Option<String>; 2]| {
            let sum = Amount::from_wire(sum);
            sum.is_some()
                && limits
                    .iter()
                    .any(|l| l.as_deref().and_then(Amount::from_wire) == sum)
        };
        let side = if at_limit(&q.sum_get, [&q.min_get, &q.max_get]) {
            Side::Get
        } else if at_limit(&q.sum_give, [&q.min_give, &q.max_give]) {
            Side::Give
        } else {
            self.side()
        };
        Some(match side {
            Side::Give => (side, q.sum_give.as_str()),
            Side::Get => (side, q.sum_get.as_str()),
        })
    }

    /// Whether the amount screen may move on.
    pub(super) fn can_continue(&self) -> bool {
        let frozen = self
            .direction
            .as_ref()
            .is_some_and(|d| !d.info.frozen_text.trim().is_empty());
        self.direction.is_some()
            && !frozen
            && self.amount_ok()
            && !self.quoting
            && self.quote.as_ref().is_some_and(|q| !q.changed)
    }

    // ---- fields ----

    /// The message to show next to a field now (server's first, then the rules once the field
    /// was left or the form submitted).
    pub(super) fn field_error(&self, field: &DirectionField) -> Option<String> {
        if let Some(e) = self.server_errors.get(&field.name) {
            return Some(e.clone());
        }
        if !(self.submitted || self.touched.contains(&field.name)) {
            return None;
        }
        let value = self.values.get(&field.name).map_or("", String::as_str);
        fields::check(field, value).map(|r: Rule| r.message(self.lang).to_string())
    }

    fn first_invalid(&self) -> Option<String> {
        let dir = self.direction.as_ref()?;
        if self.server_errors.contains_key("amount") {
            return Some("#summary".into());
        }
        dir.all_fields()
            .find(|f| self.field_error(f).is_some())
            .map(|f| format!("#f-{}", fields::dom_name(&f.name)))
    }

    fn create(&mut self, fx: &mut Vec<Effect>) {
        if self.creating {
            return;
        }
        let Some(dir) = self.direction.clone() else {
            return;
        };
        self.submitted = true;
        let invalid = dir.all_fields().any(|f| {
            fields::check(f, self.values.get(&f.name).map_or("", String::as_str)).is_some()
        });
        if invalid {
            self.problem = Some(Problem::own(T::FixFields, None));
            if let Some(first) = self.first_invalid() {
                fx.push(Effect::Focus { selector: first });
            }
            return;
        }
        let Ok(amount) = Amount::parse_positive(&self.amount) else {
            self.screen = Some(Screen::Amount);
            return;
        };
        let api_id = match &self.api_id {
            Some(id) => id.clone(),
            None => {
                self.creates += 1;
                let id = format!("w{}-{}", self.nonce, self.creates);
                self.api_id = Some(id.clone());
                id
            }
        };
        let mut params = vec![
            ("direction_id", dir.id.clone()),
            ("calc_amount", amount.wire()),
            ("calc_action", self.side().calc_action().to_string()),
            ("api_id", api_id),
        ];
        let values: Vec<(String, String)> = dir
            .all_fields()
            .filter_map(|f| {
                let v = self.values.get(&f.name)?.trim().to_string();
                (!v.is_empty()).then(|| (f.name.clone(), v))
            })
            .collect();
        params.extend(values.iter().map(|(k, v)| (k.as_str(), v.clone())));
        self.problem = None;
        self.server_errors.clear();
        self.creating = true;
        self.fetch(Purpose::Create, "create_bid", &params, fx);
    }

    // ---- user input ----

    fn input(&mut self, name: &str, value: String, fx: &mut Vec<Effect>) {
        match name {
            "amount-give" => self.set_amount(Side::Give, value, fx),
            "amount-get" => self.set_amount(Side::Get, value, fx),
            "search" => self.search = value,
            _ => {
                let Some(field) = name.strip_prefix("f:") else {
                    return;
                };
                let Some(dir) = &self.direction else {
                    return;
                };
                let Some(cd) = dir.all_fields().find(|f| f.name == field).map(|f| f.cd) else {
                    return;
                };
                self.server_errors.remove(field);
                let before = self.values.insert(field.to_string(), value.clone());
                if cd && before.as_deref() != Some(value.as_str()) {
                    self.schedule_quote(fx);
                }
            }
        }
    }

    fn click(&mut self, action: &str, arg: &str, fx: &mut Vec<Effect>) {
        match action {
            "pick" => {
                self.picker = Some(if arg == "get" { Side::Get } else { Side::Give });
                self.search.clear();
                fx.push(Effect::Focus {
                    selector: "#search".into(),
                });
            }
            "close-picker" => self.close_picker(fx),
            "choose" => self.choose(arg, fx),
            "use-quote" => {
                if let Some((side, sum)) = self.offered() {
                    let text = editable_wire(sum, self.lang);
                    self.set_amount(side, text, fx);
                }
            }
            "continue" if self.can_continue() => {
                self.screen = Some(Screen::Details);
                self.problem = None;
                fx.push(Effect::Focus {
                    selector: "#title".into(),
                });
            }
            "back" if self.screen() == Screen::Details && !self.creating => {
                self.screen = Some(Screen::Amount);
                self.problem = None;
            }
            "create" => self.create(fx),
            "paid" => self.bid_action(Purpose::Pay, "pay_bid", fx),
            "cancel" => {
                self.confirm_cancel = true;
                // Into the question, on its harmless answer.
                fx.push(Effect::Focus {
                    selector: "[data-action=\"cancel-no\"]".into(),
                });
            }
            "cancel-no" => self.keep_bid(fx),
            "cancel-yes" => self.bid_action(Purpose::Cancel, "cancel_bid", fx),
            "copy" => {
                // Exactly what the payment screen shows (and nothing it refused to show).
                let details = self.bid.as_ref().and_then(payment_details);
                let found = details.and_then(|p| match arg {
                    "address" => p.address.map(|t| (t, "#pay-address")),
                    "tag" => p.tag.map(|t| (t, "#pay-tag")),
                    "amount" => Some((p.amount, "#pay-sum")),
                    _ => None,
                });
                if let Some((text, select)) = found.filter(|(t, _)| !t.is_empty()) {
                    // "Copied" only once the element says the clipboard took it.
                    self.copied = None;
                    fx.push(Effect::Copy {
                        text: text.to_string(),
                        select: select.to_string(),
                        what: arg.to_string(),
                    });
                }
            }
            "new" => {
                self.bid = None;
                self.confirm_cancel = false;
                self.problem = None;
                self.screen = Some(Screen::Amount);
                fx.push(Effect::ClearTimer { id: "poll" });
                fx.push(Effect::Save { hash: None });
                if self.pairs_loaded {
                    self.choose_initial_pair(fx);
                    self.load_direction(fx);
                } else {
                    self.load_pairs(fx);
                }
            }
            "retry" => match self.problem.as_ref().and_then(|p| p.retry) {
                Some(Retry::Pairs) => self.load_pairs(fx),
                Some(Retry::Direction) => {
                    self.problem = None;
                    self.load_direction(fx);
                }
                Some(Retry::Quote) => {
                    self.problem = None;
                    self.quote_now(fx);
                }
                None => self.problem = None,
            },
            "dismiss" => self.problem = None,
            _ => {}
        }
    }

    /// Closes the "cancel the order?" question, focus back on the button that asked it.
    fn keep_bid(&mut self, fx: &mut Vec<Effect>) {
        self.confirm_cancel = false;
        fx.push(Effect::Focus {
            selector: "[data-action=\"cancel\"]".into(),
        });
    }

    fn bid_action(&mut self, purpose: Purpose, method: &'static str, fx: &mut Vec<Effect>) {
        let Some(bid) = &self.bid else {
            return;
        };
        if self.acting || is_final(&bid.status) {
            return;
        }
        let hash = bid.hash.clone();
        self.acting = true;
        self.fetch(purpose, method, &[("hash", hash)], fx);
    }
}

/// What a bid asks to be paid, as the payment screen shows it, copies it and encodes it in
/// the QR code (see `sanitize::payment_text`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentDetails<'a> {
    pub amount: &'a str,
    /// `None` when the server sent none (or a blank one).
    pub address: Option<&'a str>,
    pub tag: Option<&'a str>,
}

/// The bid's payment details; `None` when any of them carries a hidden character, so that
/// what the user reads could differ from what is paid to: none of them is then shown.
pub fn payment_details(bid: &Bid) -> Option<PaymentDetails<'_>> {
    fn optional(v: &Option<String>) -> Option<Option<&str>> {
        payment_text(v.as_deref().unwrap_or("")).map(|t| (!t.is_empty()).then_some(t))
    }
    Some(PaymentDetails {
        amount: payment_text(pay_amount(bid))?,
        address: optional(&bid.address)?,
        tag: optional(&bid.dest_tag)?,
    })
}

/// The amount the user must pay for a bid.
pub fn pay_amount(bid: &Bid) -> &str {
    if bid.api_actions.pay_amount.is_empty() {
        &bid.amount_give
    } else {
        &bid.api_actions.pay_amount
    }
}

/// A currency of `list` from an attribute value: its id, its title, or the code its title
/// ends with. Failing those, a title in another language (`Sberbank RUB` where the titles
/// are Russian) is read by its last word, when that is the code of one currency only among
/// `all` (every currency of the exchanger, `(id, title)`) and that one is in `list`.
/// `Err` holds the currencies that share that code when there are several, else nothing.
fn find_currency<'a>(
    list: &[(&str, &str, &str)],
    all: &[(&'a str, &'a str)],
    wanted: &str,
) -> Result<String, Vec<(&'a str, &'a str)>> {
    let w = wanted.trim();
    let lower = w.chars().map(fold).collect::<String>();
    let code_of = |title: &str| title.rsplit(' ').next().unwrap_or_default().to_string();
    let found = list
        .iter()
        .find(|c| c.0 == w)
        .or_else(|| {
            list.iter()
                .find(|c| c.1.chars().map(fold).collect::<String>() == lower)
        })
        .or_else(|| list.iter().find(|c| code_of(c.1).eq_ignore_ascii_case(w)));
    if let Some(c) = found {
        return Ok(c.0.to_string());
    }
    let Some((_, code)) = w.rsplit_once(' ') else {
        return Err(Vec::new());
    };
    let code = code.trim();
    let with_code: Vec<(&str, &str)> = all
        .iter()
        .filter(|c| code_of(c.1).eq_ignore_ascii_case(code))
        .copied()
        .collect();
    match with_code.as_slice() {
        [one] if list.iter().any(|c| c.0 == one.0) => Ok(one.0.to_string()),
        [_, _, ..] => Err(with_code),
        _ => Err(Vec::new()),
    }
}

/// `application/x-www-form-urlencoded` encoding of one name or value.
fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
    out
}
