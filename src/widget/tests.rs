//! Whole exchanges through the state machine, with answers shaped as the proxy sends them.

use super::state::{Detail, Effect, Event, Widget, POLL_FIRST_MS, POLL_MAX_MS};
use crate::exchanger::Method;
use crate::proxy::{Config, Head, Route};
use std::collections::BTreeMap;

/// What the element passes: 16 bytes from `crypto.getRandomValues`, as hex.
const NONCE: &str = "5f0c2b9e7a41d3806c1e9b24a7f35d10";

const PAIRS: &str = r#"{"data":[
 {"direction_id":"1","currency_give_id":"1","currency_give_title":"Bitcoin BTC","currency_give_logo":"http://x/logos/btc.svg","currency_get_id":"5","currency_get_title":"Sberbank RUB","currency_get_logo":"http://x/logos/sber.svg"},
 {"direction_id":"9","currency_give_id":"1","currency_give_title":"Bitcoin BTC","currency_give_logo":"http://x/logos/btc.svg","currency_get_id":"3","currency_get_title":"Tether TRC20 USDT","currency_get_logo":"javascript:alert(1)"},
 {"direction_id":"2","currency_give_id":"5","currency_give_title":"Sberbank RUB","currency_give_logo":"http://x/logos/sber.svg","currency_get_id":"1","currency_get_title":"Bitcoin BTC","currency_get_logo":"http://x/logos/btc.svg"}
]}"#;

fn direction(id: &str, extra_info: &str) -> String {
    format!(
        r#"{{"data":{{"id":"{id}","url":"http://x/exchange_BTC_to_SBERRUB/","currency_code_give":"BTC","currency_code_get":"RUB",
        "reserve":"12500000","course_give":"1","course_get":"6121247.5","sum_give":"0.0005","sum_give_com":"0.0005","sum_get":"3060.62","sum_get_com":"3060.62",
        "com_give":"","com_get":"","min_give":"0.0005","max_give":"3","min_get":null,"max_get":"12500000",
        "give_fields":[],
        "get_fields":[{{"name":"account2","type":"text","label":"Card number","req":true,"tooltip":"16–19 digits","cd":false}}],
        "dir_fields":[{{"name":"cf6","type":"text","label":"E-mail","req":true,"tooltip":"We send <b>status updates</b> here","cd":false,"format":"user_email"}},
                      {{"name":"cf12","type":"select","label":"Network","req":true,"tooltip":"","cd":true,"options":[{{"value":"0","label":"No selected"}},{{"value":"1","label":"ERC20"}},{{"value":"2","label":"Arbitrum"}}]}}],
        "info":{{"timeline_text":"<p>Takes <b>5–30 min</b>.</p>{extra_info}","frozen_text":"","before_button_text":"By pressing you accept the <a href=\"https://x/tos/\">rules</a>."}}}}}}"#
    )
}

fn calc(sum_give: &str, sum_get: &str, changed: bool) -> String {
    format!(
        r#"{{"data":{{"currency_code_give":"BTC","currency_code_get":"RUB","reserve":"12500000","course_give":"1","course_get":"6121247.5",
        "sum_give":"{sum_give}","sum_give_com":"{sum_give}","sum_get":"{sum_get}","sum_get_com":"{sum_get}","com_give":"","com_get":"",
        "min_give":"0.0005","max_give":"3","min_get":null,"max_get":"12500000","changed":{changed}}}}}"#
    )
}

fn bid(status: &str, kind: &str, instruction: &str) -> String {
    format!(
        r#"{{"data":{{"url":"http://x/hst_abc/","id":"1001","hash":"abc123","status":"{status}","status_title":"Title {status}","psys_give":"Bitcoin","psys_get":"Sberbank",
        "currency_code_give":"BTC","currency_code_get":"RUB","amount_give":"0.01","amount_get":"61212.48","course_give":"1","course_get":"6121247.5",
        "api_actions":{{"type":"{kind}","cancel":"api","pay":"api","pay_amount":"0.01","instruction":"{instruction}"}},"address":"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"}}}}"#
    )
}

/// The widget plus the fetches it has asked for and not yet seen answered.
struct Harness {
    w: Widget,
    fetches: Vec<(u32, String, BTreeMap<String, String>)>,
    effects: Vec<Effect>,
}

impl Harness {
    fn new() -> Harness {
        Harness {
            w: Widget::new(),
            fetches: Vec::new(),
            effects: Vec::new(),
        }
    }

    fn send(&mut self, e: Event) -> Vec<Effect> {
        let fx = self.w.update(e);
        for f in &fx {
            if let Effect::Fetch {
                req,
                method,
                params,
                ..
            } = f
            {
                let params: BTreeMap<String, String> =
                    params.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                through_proxy(method, &params);
                self.fetches.push((*req, method.to_string(), params));
            }
        }
        self.effects.extend(fx.clone());
        fx
    }

    /// The oldest pending fetch of `method`, removed.
    fn take(&mut self, method: &str) -> (u32, BTreeMap<String, String>) {
        let i = self
            .fetches
            .iter()
            .position(|f| f.1 == method)
            .unwrap_or_else(|| panic!("no {method} fetch in {:?}", self.fetches));
        let (req, _, params) = self.fetches.remove(i);
        (req, params)
    }

    fn has(&self, method: &str) -> bool {
        self.fetches.iter().any(|f| f.1 == method)
    }

    fn answer(&mut self, method: &str, status: u16, body: &str) -> Vec<Effect> {
        let (req, _) = self.take(method);
        self.send(Event::Response {
            req,
            status,
            body: body.to_string(),
            wait_ms: None,
        })
    }

    fn click(&mut self, action: &str, arg: &str) -> Vec<Effect> {
        self.send(Event::Click {
            action: action.into(),
            arg: arg.into(),
        })
    }

    fn input(&mut self, name: &str, value: &str) -> Vec<Effect> {
        self.send(Event::Input {
            name: name.into(),
            value: value.into(),
        })
    }

    fn timer(&mut self, id: &str) -> Vec<Effect> {
        self.send(Event::Timer { id: id.into() })
    }

    /// Started, pairs and the first direction loaded.
    fn ready(lang: &str) -> Harness {
        let mut h = Harness::new();
        h.send(Event::Attr {
            name: "lang".into(),
            value: Some(lang.into()),
        });
        h.send(Event::Start {
            resume: None,
            nonce: NONCE.into(),
        });
        h.answer("get_directions", 200, PAIRS);
        h.answer("get_direction", 200, &direction("1", ""));
        h
    }

    fn quote(&mut self, amount: &str, body: &str) {
        let fx = self.input("amount-give", amount);
        assert!(fx.contains(&Effect::Timer {
            id: "quote",
            ms: 350
        }));
        self.timer("quote");
        self.answer("get_calc", 200, body);
    }
}

/// Every request the widget makes must pass the real proxy's checks (BRIEF 3.4 and the
/// proxy's own rules, such as a browser's `api_id` being long enough to be unguessable), just
/// as the element sends it: JSON to `<endpoint>/<method>`.
fn through_proxy(method: &str, params: &BTreeMap<String, String>) {
    let config = Config::default();
    let url = format!("http://partner.example/exchange-api/{method}");
    let head = Head {
        http_method: "POST",
        url: &url,
        ..Head::default()
    };
    match config.route(&head) {
        Ok(Route::Call { method: m, .. }) => assert_eq!(Some(m), Method::from_wire(method)),
        other => panic!("the proxy refuses POST {method}: {other:?}"),
    }
    let body = serde_json::to_string(params).expect("params serialise");
    let sent = config
        .params(
            Method::from_wire(method).expect("a wire method"),
            Some("application/json"),
            body.as_bytes(),
        )
        .unwrap_or_else(|reply| panic!("the proxy refuses {method} {body}: {}", reply.body));
    // Nothing the widget sends is dropped as not being a parameter of the method.
    assert_eq!(sent.len(), params.len(), "{method} {body}");
}

fn emitted(fx: &[Effect], name: &str) -> bool {
    fx.iter()
        .any(|f| matches!(f, Effect::Emit { name: n, .. } if *n == name))
}

#[test]
fn a_whole_exchange() {
    let mut h = Harness::new();
    h.send(Event::Start {
        resume: None,
        nonce: NONCE.into(),
    });
    let fx = h.answer("get_directions", 200, PAIRS);
    assert!(emitted(&fx, "obmennik:ready"));
    // The first pair is chosen and its direction asked for.
    let (req, params) = h.take("get_direction");
    assert_eq!(params.get("direction_id").map(String::as_str), Some("1"));
    h.send(Event::Response {
        req,
        status: 200,
        body: direction("1", ""),
        wait_ms: None,
    });
    let html = h.w.html();
    assert!(html.contains("Bitcoin BTC") && html.contains("Sberbank RUB"));
    assert!(html.contains("min 0.0005 · max 3 BTC"), "{html}");

    h.input("amount-give", "0,01");
    h.timer("quote");
    let (req, params) = h.take("get_calc");
    assert_eq!(params["calc_amount"], "0.01");
    assert_eq!(params["calc_action"], "1");
    assert!(!params.contains_key("cd"), "no cd field chosen yet");
    let fx = h.send(Event::Response {
        req,
        status: 200,
        body: calc("0.01", "61212.48", false),
        wait_ms: None,
    });
    assert!(h.w.html().contains("value=\"61212.48\""));
    let quoted = fx.iter().find_map(|f| match f {
        Effect::Emit {
            name: "obmennik:quote",
            detail: Detail::Quote(q),
        } => Some(q),
        _ => None,
    });
    assert_eq!(
        quoted.map(|q| (
            q.direction_id.as_str(),
            q.currency_code_give.as_str(),
            q.currency_code_get.as_str(),
            q.amount_give.as_str(),
            q.amount_get.as_str(),
            q.changed
        )),
        Some(("1", "BTC", "RUB", "0.01", "61212.48", false))
    );
    h.click("continue", "");
    assert!(h.w.html().contains("data-screen=\"details\""));

    // The cd select requotes with the choice.
    h.input("f:cf12", "2");
    h.timer("quote");
    let (req, params) = h.take("get_calc");
    assert_eq!(params["cd"], "cf12=2");
    h.send(Event::Response {
        req,
        status: 200,
        body: calc("0.01", "61200", false),
        wait_ms: None,
    });
    h.input("f:account2", "4276 0000 0000 0000");
    h.input("f:cf6", "ivan@example.com");
    h.click("create", "");
    let (req, params) = h.take("create_bid");
    assert_eq!(params["direction_id"], "1");
    assert_eq!(params["calc_amount"], "0.01");
    assert_eq!(params["account2"], "4276 0000 0000 0000");
    assert_eq!(params["cf12"], "2");
    assert_eq!(params["api_id"], format!("w{NONCE}-1"));
    let fx = h.send(Event::Response {
        req,
        status: 200,
        body: bid("new", "address", "<p>Send <b>0.01 BTC</b></p>"),
        wait_ms: None,
    });
    assert!(emitted(&fx, "obmennik:bid-created"));
    assert!(fx.contains(&Effect::Save {
        hash: Some("abc123".into())
    }));
    assert!(fx.contains(&Effect::Timer {
        id: "poll",
        ms: POLL_FIRST_MS
    }));
    let html = h.w.html();
    assert!(html.contains("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"));
    assert!(html.contains("<svg"), "QR code drawn");
    assert!(html.contains("data-action=\"paid\""));

    h.click("paid", "");
    let (req, params) = h.take("pay_bid");
    assert_eq!(params["hash"], "abc123");
    assert!(!params.contains_key("id"));
    let fx = h.send(Event::Response {
        req,
        status: 200,
        body: r#"{"data":"payed"}"#.into(),
        wait_ms: None,
    });
    assert!(emitted(&fx, "obmennik:status"));
    h.timer("poll");
    h.answer("bid_info", 200, &bid("payed", "finished", ""));
    assert!(h.w.html().contains("class=\"progress\""));
    h.timer("poll");
    let fx = h.answer("bid_info", 200, &bid("success", "finished", ""));
    assert!(emitted(&fx, "obmennik:status"));
    assert!(fx.contains(&Effect::Save { hash: None }));
    assert!(fx.contains(&Effect::ClearTimer { id: "poll" }));
    let html = h.w.html();
    assert!(html.contains("Exchange complete"), "{html}");
    // The finished order is told in the past tense.
    assert!(
        html.contains("You gave") && html.contains("You received"),
        "{html}"
    );
    // Polling has stopped.
    h.timer("poll");
    assert!(!h.has("bid_info"));
}

impl Harness {
    /// The request id of the last fetch the widget made (for answers taken out of order).
    fn w_last_req(&self) -> u32 {
        self.effects
            .iter()
            .rev()
            .find_map(|f| match f {
                Effect::Fetch { req, .. } => Some(*req),
                _ => None,
            })
            .unwrap_or(0)
    }
}

#[test]
fn a_stale_quote_never_overwrites_a_newer_one() {
    let mut h = Harness::ready("en");
    h.input("amount-give", "0.01");
    h.timer("quote");
    let (old, _) = h.take("get_calc");
    h.input("amount-give", "0.02");
    h.timer("quote");
    let (new, _) = h.take("get_calc");
    h.send(Event::Response {
        req: new,
        status: 200,
        body: calc("0.02", "122424.95", false),
        wait_ms: None,
    });
    let fx = h.send(Event::Response {
        req: old,
        status: 200,
        body: calc("0.01", "61212.48", false),
        wait_ms: None,
    });
    assert!(
        !emitted(&fx, "obmennik:quote"),
        "a stale quote is not reported"
    );
    let html = h.w.html();
    assert!(html.contains("value=\"122424.95\""));
    assert!(!html.contains("61212.48"));
    // An answer for an amount typed over is dropped too, even when it is the only one.
    h.input("amount-give", "0.03");
    h.timer("quote");
    let (req, _) = h.take("get_calc");
    h.input("amount-give", "0.04");
    h.send(Event::Response {
        req,
        status: 200,
        body: calc("0.03", "1", false),
        wait_ms: None,
    });
    assert!(!h.w.html().contains("value=\"1\""));
}

#[test]
fn the_changed_flag_is_shown_and_blocks_until_used() {
    let mut h = Harness::ready("en");
    h.quote("2.5", &calc("2", "12242495", true));
    let html = h.w.html();
    assert!(html.contains("outside this direction"), "{html}");
    assert!(html.contains("data-action=\"continue\" disabled"));
    h.click("use-quote", "");
    h.timer("quote");
    let (_, params) = h.take("get_calc");
    assert_eq!(params["calc_amount"], "2");
}

#[test]
fn the_adjusted_amount_is_offered_on_the_side_whose_limit_it_met() {
    let mut h = Harness::ready("ru");
    // Over the reserve: the give sum is rounded, the get sum is the limit itself.
    h.quote("2,5", &calc("2.04225291", "12500000", true));
    assert!(h.w.html().contains("<b>12\u{a0}500\u{a0}000 RUB</b>"));
    h.click("use-quote", "");
    h.timer("quote");
    let (_, params) = h.take("get_calc");
    assert_eq!(
        (
            params["calc_amount"].as_str(),
            params["calc_action"].as_str()
        ),
        ("12500000", "2")
    );
    // Under the minimum typed on the get side: the give minimum, in Russian notation.
    h.send(Event::Input {
        name: "amount-get".into(),
        value: "100".into(),
    });
    h.timer("quote");
    h.answer("get_calc", 200, &calc("0.0005", "3060.62", true));
    h.click("use-quote", "");
    assert!(h.w.html().contains("value=\"0,0005\""), "{}", h.w.html());
    h.timer("quote");
    let (_, params) = h.take("get_calc");
    assert_eq!(params["calc_action"], "1");
}

#[test]
fn screen_readers_hear_the_quote_the_limits_and_every_step() {
    let mut h = Harness::ready("ru");
    h.quote("0,01", &calc("0.01", "61212.48", false));
    let html = h.w.html();
    assert!(
        html.contains("role=\"status\">Получаете: 61\u{a0}212,48 RUB</p>"),
        "{html}"
    );
    assert!(html.contains("aria-describedby=\"amount-give-limits\""));
    assert!(html.contains("<p id=\"amount-give-limits\" class=\"box-foot\">мин. 0,0005"));
    assert!(html.contains("<span class=\"step-label sr\">Данные</span>"));
    h.input("amount-give", "5");
    let html = h.w.html();
    assert!(html.contains("aria-describedby=\"amount-give-limits amount-error\""));
    assert!(html.contains("id=\"quote-said\" class=\"sr\" role=\"status\"></p>"));
}

#[test]
fn an_amount_under_the_minimum_is_refused_before_any_request() {
    let mut h = Harness::ready("ru");
    let fx = h.input("amount-give", "0,0001");
    assert!(fx.contains(&Effect::ClearTimer { id: "quote" }));
    h.timer("quote");
    assert!(!h.has("get_calc"));
    let html = h.w.html();
    assert!(html.contains("Минимальная сумма 0,0005 BTC"), "{html}");
    assert!(html.contains("aria-invalid=\"true\""));
    h.click("continue", "");
    assert!(h.w.html().contains("data-screen=\"amount\""));
}

fn on_details() -> Harness {
    let mut h = Harness::ready("en");
    h.quote("0.01", &calc("0.01", "61212.48", false));
    h.click("continue", "");
    h
}

/// On the payment screen of a new bid paying to an address.
fn bid_created() -> Harness {
    let mut h = on_details();
    h.input("f:account2", "4276000000000000");
    h.input("f:cf6", "ivan@example.com");
    h.input("f:cf12", "1");
    h.click("create", "");
    h.answer("create_bid", 200, &bid("new", "address", ""));
    h
}

#[test]
fn a_required_field_left_empty_sends_nothing() {
    let mut h = on_details();
    h.input("f:account2", "4276000000000000");
    h.input("f:cf12", "1");
    let fx = h.click("create", "");
    assert!(!h.has("create_bid"));
    assert!(fx.contains(&Effect::Focus {
        selector: "#f-cf6".into()
    }));
    let html = h.w.html();
    assert!(html.contains("id=\"f-cf6-err\""));
    assert!(html.contains("This field is required"));
    // Typing a bad e-mail shows the format rule, a good one clears it.
    h.input("f:cf6", "ivan@");
    assert!(h.w.html().contains("Enter an e-mail"));
    h.input("f:cf6", "ivan@example.com");
    assert!(!h.w.html().contains("f-cf6-err"));
}

#[test]
fn server_error_fields_appear_next_to_their_fields() {
    let mut h = on_details();
    h.input("f:account2", "123");
    h.input("f:cf6", "ivan@example.com");
    h.input("f:cf12", "1");
    h.click("create", "");
    let fx = h.answer(
        "create_bid",
        422,
        r#"{"error":{"kind":"validation","code":3,"message":"Error!","fields":{"account2":"Invalid card number","sum1":"min.: 0.0005 BTC"}}}"#,
    );
    assert!(emitted(&fx, "obmennik:error"));
    let html = h.w.html();
    assert!(
        html.contains(
            "<p id=\"f-account2-err\" class=\"err\" part=\"error\">Invalid card number</p>"
        ),
        "{html}"
    );
    assert!(html.contains("min.: 0.0005 BTC"));
    assert!(html.contains("Please check the highlighted fields"));
    // Editing the field clears the server's message.
    h.input("f:account2", "4276000000000000");
    assert!(!h.w.html().contains("Invalid card number"));
    // A validation failure frees the api_id; a transport failure keeps it for the retry.
    h.click("create", "");
    let (_, p) = h.take("create_bid");
    assert_eq!(p["api_id"], format!("w{NONCE}-2"));
    let req = h.w_last_req();
    h.send(Event::Response {
        req,
        status: 0,
        body: String::new(),
        wait_ms: None,
    });
    h.click("create", "");
    let (_, p) = h.take("create_bid");
    assert_eq!(p["api_id"], format!("w{NONCE}-2"));
}

#[test]
fn maintenance_is_explained_and_retried() {
    let mut h = Harness::new();
    h.send(Event::Start {
        resume: None,
        nonce: NONCE.into(),
    });
    let fx = h.answer(
        "get_directions",
        503,
        r#"{"error":{"kind":"maintenance","code":1,"message":"The exchanger is under maintenance","fields":{}}}"#,
    );
    assert!(emitted(&fx, "obmennik:error"));
    let html = h.w.html();
    assert!(html.contains("under maintenance"));
    // A proxy's rate limit says to wait rather than "unexpected answer".
    let mut r = Harness::new();
    r.send(Event::Start {
        resume: None,
        nonce: NONCE.into(),
    });
    r.answer(
        "get_directions",
        429,
        r#"{"error":{"kind":"rate_limited","code":0,"message":"Too many requests; try again later.","fields":{}}}"#,
    );
    assert!(r.w.html().contains("Please wait a moment"));
    assert!(html.contains("data-action=\"retry\""));
    assert!(
        !html.contains("aria-busy"),
        "nothing claims to be loading: {html}"
    );
    // Retold in the language the page switches to, like the rest of the widget.
    r.send(Event::Attr {
        name: "lang".into(),
        value: Some("ru".into()),
    });
    assert!(r.w.html().contains("Слишком много запросов"));
    // With a Retry-After the wait is the proxy's, not a guess; retold in the new language too.
    let mut q = Harness::new();
    q.send(Event::Start {
        resume: None,
        nonce: NONCE.into(),
    });
    let (req, _) = q.take("get_directions");
    q.send(Event::Response {
        req,
        status: 429,
        body: r#"{"error":{"kind":"rate_limited","code":0,"message":"Too many requests; try again later.","fields":{}}}"#.into(),
        wait_ms: Some(6_500),
    });
    assert!(
        q.w.html().contains("Please try again in 7\u{a0}s."),
        "{}",
        q.w.html()
    );
    q.send(Event::Attr {
        name: "lang".into(),
        value: Some("ru".into()),
    });
    assert!(q.w.html().contains("Попробуйте снова через 7\u{a0}с."));
    h.click("retry", "");
    assert!(h.w.html().contains("aria-busy"), "loading again");
    h.answer("get_directions", 200, PAIRS);
    assert!(h.has("get_direction"));
    assert!(!h.w.html().contains("class=\"banner\""));
}

#[test]
fn a_saved_bid_is_resumed_and_a_missing_one_forgotten() {
    let mut h = Harness::new();
    h.send(Event::Start {
        resume: Some("abc123".into()),
        nonce: NONCE.into(),
    });
    let (bid_req, p) = h.take("bid_info");
    assert_eq!(p["hash"], "abc123");
    h.answer("get_directions", 200, PAIRS);
    let fx = h.send(Event::Response {
        req: bid_req,
        status: 200,
        body: bid("new", "address", ""),
        wait_ms: None,
    });
    assert!(emitted(&fx, "obmennik:status"));
    assert!(h.w.html().contains("data-action=\"paid\""));

    let mut h = Harness::new();
    h.send(Event::Start {
        resume: Some("gone".into()),
        nonce: NONCE.into(),
    });
    let fx = h.answer(
        "bid_info",
        404,
        r#"{"error":{"kind":"not_found","code":1,"message":"no bid exists","fields":{}}}"#,
    );
    assert!(fx.contains(&Effect::Save { hash: None }));
    assert!(h.w.html().contains("was not found"));
}

#[test]
fn polling_backs_off_and_survives_network_failures() {
    let mut h = bid_created();
    let mut waits = Vec::new();
    for _ in 0..8 {
        h.timer("poll");
        let fx = h.answer("bid_info", 200, &bid("new", "address", ""));
        waits.extend(fx.iter().filter_map(|f| match f {
            Effect::Timer { id: "poll", ms } => Some(*ms),
            _ => None,
        }));
    }
    assert_eq!(waits[0], 3_000);
    assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
    assert_eq!(*waits.last().unwrap(), POLL_MAX_MS);
    h.timer("poll");
    let fx = h.answer("bid_info", 0, "");
    assert!(fx
        .iter()
        .any(|f| matches!(f, Effect::Timer { id: "poll", .. })));
    assert!(h.w.html().contains("Cannot reach the exchanger"));
    // Two timers firing at once make one request.
    h.timer("poll");
    h.timer("poll");
    assert_eq!(h.fetches.iter().filter(|f| f.1 == "bid_info").count(), 1);
    // Rate limited for longer than the backoff: the next poll waits as long as Retry-After says.
    let (req, _) = h.take("bid_info");
    let fx = h.send(Event::Response {
        req,
        status: 429,
        body: r#"{"error":{"kind":"rate_limited","code":0,"message":"Too many requests; try again later.","fields":{}}}"#.into(),
        wait_ms: Some(40_000),
    });
    assert!(fx.contains(&Effect::Timer {
        id: "poll",
        ms: 40_000
    }));
    assert!(h.w.html().contains("try again in 40\u{a0}s"));
}

#[test]
fn hostile_server_texts_never_reach_the_markup_alive() {
    const PWN: &str = r#"<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1\"><a href=\"javascript:window.__pwned=1\">click</a>"#;
    let mut h = Harness::new();
    h.send(Event::Start {
        resume: None,
        nonce: NONCE.into(),
    });
    h.answer("get_directions", 200, PAIRS);
    h.answer("get_direction", 200, &direction("1", PWN));
    h.quote("0.01", &calc("0.01", "61212.48", false));
    h.click("continue", "");
    let details = h.w.html();
    h.click("pick", "give");
    h.input("f:account2", "4276000000000000");
    h.input("f:cf6", "ivan@example.com");
    h.input("f:cf12", "1");
    h.click("create", "");
    h.answer("create_bid", 200, &bid("new", "default", PWN));
    for html in [details, h.w.html()] {
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("__pwned"), "{html}");
    }
}

#[test]
fn currencies_offer_only_existing_pairs_and_search() {
    let mut h = Harness::ready("en");
    h.click("pick", "get");
    let html = h.w.html();
    assert!(html.contains("data-arg=\"5\"") && html.contains("data-arg=\"3\""));
    assert!(
        !html.contains("data-action=\"choose\" data-arg=\"1\""),
        "BTC→BTC is no pair"
    );
    // A logo with a javascript: URL is replaced by a letter.
    assert!(html.contains("<span class=\"logo ph\" part=\"logo\" aria-hidden=\"true\">T</span>"));
    h.input("search", "teth");
    let html = h.w.html();
    assert!(html.contains("Tether") && !html.contains("data-arg=\"5\""));
    h.input("search", "zzz");
    assert!(h.w.html().contains("Nothing found"));
    h.send(Event::Key {
        key: "Escape".into(),
    });
    assert!(!h.w.html().contains("role=\"dialog\""));
    // Choosing the give side RUB switches get to its only pair and loads direction 2.
    h.click("pick", "give");
    h.click("choose", "5");
    let (_, p) = h.take("get_direction");
    assert_eq!(p["direction_id"], "2");
    // An unknown id changes nothing.
    h.click("pick", "get");
    h.click("choose", "999");
    assert!(!h.has("get_direction"));
}

fn warnings(fx: &[Effect]) -> Vec<String> {
    fx.iter()
        .filter_map(|f| match f {
            Effect::Warn { message } => Some(message.clone()),
            _ => None,
        })
        .collect()
}

/// Started with `give` and `get` set, `pairs` answered; what it warned and asked for.
fn with_wants(give: &str, get: &str, pairs: &str) -> (Harness, Vec<String>) {
    let mut h = Harness::new();
    for (name, value) in [("give", give), ("get", get)] {
        h.send(Event::Attr {
            name: name.into(),
            value: Some(value.into()),
        });
    }
    h.send(Event::Start {
        resume: None,
        nonce: NONCE.into(),
    });
    let fx = h.answer("get_directions", 200, pairs);
    (h, warnings(&fx))
}

#[test]
fn a_title_in_another_language_is_read_by_its_code_when_one_currency_has_it() {
    // The titles are English; "Сбербанк RUB" ends in the code of one currency only.
    let (mut h, warned) = with_wants("Сбербанк RUB", "Биткоин BTC", PAIRS);
    assert_eq!(warned, Vec::<String>::new());
    let (_, p) = h.take("get_direction");
    assert_eq!(p["direction_id"], "2");
}

#[test]
fn give_or_get_that_match_no_currency_warn_the_developer_once_and_fall_back() {
    let (mut h, warned) = with_wants("BTC", "Dogecoin DOGE", PAIRS);
    assert_eq!(
        warned,
        vec![
            "obmennik-widget: get=\"Dogecoin DOGE\" matches no currency that the give currency can be exchanged for. \
             Use an id, a title or a code: 5 (Sberbank RUB, RUB), 3 (Tether TRC20 USDT, USDT); showing Sberbank RUB instead"
                .to_string()
        ]
    );
    // The user still gets a pair.
    let (_, p) = h.take("get_direction");
    assert_eq!(p["direction_id"], "1");
    // Set again to the same value: not said twice.
    let fx = h.send(Event::Attr {
        name: "get".into(),
        value: Some("Dogecoin DOGE".into()),
    });
    assert_eq!(warnings(&fx), Vec::<String>::new());
    // A code of the other side only (BTC is no currency one gets for BTC): not taken.
    let fx = h.send(Event::Attr {
        name: "get".into(),
        value: Some("Биткоин BTC".into()),
    });
    assert_eq!(warnings(&fx).len(), 1, "{fx:?}");
}

#[test]
fn a_code_several_currencies_have_is_not_guessed() {
    let pairs = PAIRS.replace(
        "\n]}",
        r#",{"direction_id":"7","currency_give_id":"6","currency_give_title":"Tinkoff RUB","currency_give_logo":"","currency_get_id":"1","currency_get_title":"Bitcoin BTC","currency_get_logo":""}
]}"#,
    );
    let (mut h, warned) = with_wants("Сбербанк RUB", "RUB", &pairs);
    assert_eq!(
        warned,
        vec![
            "obmennik-widget: give=\"Сбербанк RUB\" names a code that several currencies have. \
             Use one of: 5 (Sberbank RUB, RUB), 6 (Tinkoff RUB, RUB); showing Bitcoin BTC instead"
                .to_string()
        ]
    );
    let (_, p) = h.take("get_direction");
    assert_eq!(p["direction_id"], "1");
}

#[test]
fn attributes_choose_the_pair_amount_and_language() {
    let mut h = Harness::new();
    for (name, value) in [
        ("give", "btc"),
        ("get", "usdt"),
        ("amount", "0.5"),
        ("page-lang", "ru-RU"),
    ] {
        h.send(Event::Attr {
            name: name.into(),
            value: Some(value.into()),
        });
    }
    h.send(Event::Start {
        resume: None,
        nonce: NONCE.into(),
    });
    h.answer("get_directions", 200, PAIRS);
    let (req, p) = h.take("get_direction");
    assert_eq!(p["direction_id"], "9");
    h.send(Event::Response {
        req,
        status: 200,
        body: direction("9", ""),
        wait_ms: None,
    });
    let (_, p) = h.take("get_calc");
    assert_eq!(p["calc_amount"], "0.5");
    assert!(h.w.html().contains("lang=\"ru\""));
    h.input("f:account2", "4276");
    let fx = h.send(Event::Attr {
        name: "lang".into(),
        value: Some("en".into()),
    });
    assert!(h.w.html().contains("lang=\"en\""));
    // The exchanger's texts are asked for again in English (the proxy's API-LANG); what the
    // user typed and chose stays, and the host is not told "ready" twice.
    let relabel: Vec<_> = fx
        .iter()
        .filter_map(|f| match f {
            Effect::Fetch { method, lang, .. } => Some((*method, *lang)),
            _ => None,
        })
        .collect();
    assert_eq!(relabel, [("get_directions", "en"), ("get_direction", "en")]);
    assert!(!emitted(
        &h.answer("get_directions", 200, PAIRS),
        "obmennik:ready"
    ));
    h.answer("get_direction", 200, &direction("9", ""));
    assert_eq!(h.w.values.get("account2").map(String::as_str), Some("4276"));
    assert!(h.w.html().contains("value=\"0.5\""));
    // At run time: another pair by title.
    h.send(Event::Attr {
        name: "get".into(),
        value: Some("Sberbank RUB".into()),
    });
    let (_, p) = h.take("get_direction");
    assert_eq!(p["direction_id"], "1");
}

#[test]
fn cancel_asks_first() {
    let mut h = bid_created();
    let no = Effect::Focus {
        selector: "[data-action=\"cancel-no\"]".into(),
    };
    let back = Effect::Focus {
        selector: "[data-action=\"cancel\"]".into(),
    };
    assert!(h.click("cancel", "").contains(&no));
    assert!(!h.has("cancel_bid"));
    assert!(h.w.html().contains("cannot be undone"));
    // Escape, like No, keeps the order and gives the focus back.
    let fx = h.send(Event::Key {
        key: "Escape".into(),
    });
    assert!(fx.contains(&back));
    assert!(!h.w.html().contains("cannot be undone"));
    h.click("cancel", "");
    // A failed cancel leaves the order open, the focus on Cancel.
    h.click("cancel-yes", "");
    assert!(h.answer("cancel_bid", 0, "").contains(&back));
    h.click("cancel", "");
    h.click("cancel-yes", "");
    let fx = h.answer("cancel_bid", 200, r#"{"data":"cancel"}"#);
    assert!(emitted(&fx, "obmennik:status"));
    let html = h.w.html();
    assert!(html.contains("Order cancelled"));
    // Nothing was exchanged, so the amounts are not told as given or received.
    assert!(
        html.contains("Amount to give") && !html.contains("You gave"),
        "{html}"
    );
    h.click("new", "");
    assert!(h.has("get_direction"));
    assert!(h.w.html().contains("data-screen=\"amount\""));
}

#[test]
fn copy_puts_the_address_on_the_clipboard() {
    let mut h = bid_created();
    let fx = h.click("copy", "address");
    assert!(fx.contains(&Effect::Copy {
        text: "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080".into(),
        select: "#pay-address".into(),
        what: "address".into(),
    }));
    // Not "Copied" before the element says the clipboard took it.
    assert!(!h.w.html().contains("Copied"));
    h.send(Event::Copied {
        what: "address".into(),
        ok: true,
    });
    assert!(h.w.html().contains("Copied"));
    h.timer("copied");
    assert!(!h.w.html().contains("Copied"));
}

#[test]
fn a_failed_copy_says_the_text_is_selected_not_copied_in_both_languages() {
    let mut h = bid_created();
    h.click("copy", "address");
    let fx = h.send(Event::Copied {
        what: "address".into(),
        ok: false,
    });
    let html = h.w.html();
    assert!(!html.contains("Copied"), "{html}");
    assert!(html.contains("class=\"btn small copy failed\""), "{html}");
    assert!(html.contains("Selected, copy it"), "{html}");
    assert!(fx.contains(&Effect::Timer {
        id: "copied",
        ms: 1_800
    }));
    h.send(Event::Attr {
        name: "lang".into(),
        value: Some("ru".into()),
    });
    let html = h.w.html();
    assert!(html.contains("Выделено, скопируйте"), "{html}");
    assert!(!html.contains("Скопировано"), "{html}");
    h.timer("copied");
    assert!(!h.w.html().contains("Выделено"));
}

#[test]
fn a_language_change_on_the_bid_screen_asks_for_the_bid_again() {
    let mut h = bid_created();
    let fx = h.send(Event::Attr {
        name: "lang".into(),
        value: Some("ru".into()),
    });
    assert!(fx.iter().any(|f| matches!(
        f,
        Effect::Fetch {
            method: "bid_info",
            lang: "ru",
            ..
        }
    )));
    h.answer(
        "bid_info",
        200,
        &bid("new", "address", "<p>Отправьте <b>0.01 BTC</b></p>"),
    );
    let html = h.w.html();
    assert!(html.contains("Отправьте <b>0.01 BTC</b>"), "{html}");
    assert!(html.contains("К оплате"), "{html}");
}

#[test]
fn an_answer_in_a_language_since_left_is_dropped() {
    let mut h = Harness::new();
    h.send(Event::Start {
        resume: None,
        nonce: NONCE.into(),
    });
    let (old, _) = h.take("get_directions");
    // The page switches to Russian before the first answer: it is asked for again.
    h.send(Event::Attr {
        name: "lang".into(),
        value: Some("ru".into()),
    });
    let fx = h.send(Event::Response {
        req: old,
        status: 200,
        body: PAIRS.into(),
        wait_ms: None,
    });
    assert!(fx.is_empty(), "the English answer is dropped: {fx:?}");
    let fx = h.answer("get_directions", 200, PAIRS);
    assert!(emitted(&fx, "obmennik:ready"));
    let (old, _) = h.take("get_direction");
    h.send(Event::Attr {
        name: "lang".into(),
        value: Some("en".into()),
    });
    h.send(Event::Response {
        req: old,
        status: 200,
        body: direction("1", ""),
        wait_ms: None,
    });
    assert!(h.w.direction.is_none(), "the Russian direction is dropped");
    h.answer("get_direction", 200, &direction("1", ""));
    assert!(h.w.direction.is_some());
}

#[test]
fn a_destination_tag_is_shown_with_its_own_copy_button() {
    let mut h = on_details();
    h.input("f:account2", "4276000000000000");
    h.input("f:cf6", "ivan@example.com");
    h.input("f:cf12", "1");
    h.click("create", "");
    let body =
        bid("new", "address", "").replace(r#""address":"#, r#""dest_tag":"<b>104</b>","address":"#);
    h.answer("create_bid", 200, &body);
    let html = h.w.html();
    assert!(html.contains("Destination tag (memo)"), "{html}");
    assert!(html.contains("&lt;b&gt;104&lt;/b&gt;"), "escaped: {html}");
    let fx = h.click("copy", "tag");
    assert!(fx.contains(&Effect::Copy {
        text: "<b>104</b>".into(),
        select: "#pay-tag".into(),
        what: "tag".into(),
    }));
    // Without a tag there is no box.
    assert!(!bid_created().w.html().contains("pay-tag"));
}

/// A bid created with `address`, `dest_tag` and `pay_amount` as given (JSON-escaped here).
fn bid_paying(address: &str, tag: &str, amount: &str) -> Harness {
    let mut h = on_details();
    h.input("f:account2", "4276000000000000");
    h.input("f:cf6", "ivan@example.com");
    h.input("f:cf12", "1");
    h.click("create", "");
    let json = |s: &str| {
        let mut out = String::new();
        crate::json::encode_str(s, &mut out);
        out
    };
    let body = bid("new", "address", "")
        .replacen(
            r#""address":"#,
            &format!(
                r#""dest_tag":{},"address":{},"x":"#,
                json(tag),
                json(address)
            ),
            1,
        )
        .replacen(
            r#""pay_amount":"#,
            &format!(r#""pay_amount":{},"y":"#, json(amount)),
            1,
        );
    h.answer("create_bid", 200, &body);
    h
}

#[test]
fn payment_details_with_hidden_characters_are_refused() {
    for (address, tag, amount) in [
        (
            "bc1qxy2kgdygjrsq\u{202e}tzq2n0yrf2493p83kkfjhx0wlh",
            "",
            "0.01",
        ),
        ("4276\u{200f} 0000 0001", "", "0.01"),
        ("bc1q\u{200b}xy2kgdygjrsq", "", "0.01"),
        ("bc1qxy2kgdygjrsq", "12\u{2067}34", "0.01"),
        ("bc1qxy2kgdygjrsq", "", "0.01\u{61c}5"),
        ("bc1qxy2kgdygjrsq\nbc1qother", "", "0.01"),
        ("bc1qxy2kgdygjrsq\u{e0041}", "", "0.01"),
    ] {
        let mut h = bid_paying(address, tag, amount);
        let html = h.w.html();
        assert!(html.contains("hidden characters"), "{address:?}: {html}");
        for gone in [
            "pay-address",
            "pay-sum",
            "pay-tag",
            "<svg",
            "data-action=\"copy\"",
            "data-action=\"paid\"",
        ] {
            assert!(!html.contains(gone), "{address:?} {gone}: {html}");
        }
        assert!(!html.contains(['\u{202e}', '\u{200f}', '\u{2067}', '\u{61c}']));
        for what in ["address", "tag", "amount"] {
            let fx = h.click("copy", what);
            assert!(
                !fx.iter().any(|f| matches!(f, Effect::Copy { .. })),
                "{what}"
            );
        }
        // The order can still be cancelled.
        assert!(html.contains("data-action=\"cancel\""));
    }
}

#[test]
fn what_is_shown_is_what_is_copied() {
    let mut h = bid_paying("  IBAN \u{628} 4276  0000 ", " 42 ", "1.5.0");
    let html = h.w.html();
    assert!(html.contains(">IBAN \u{628} 4276  0000</code>"), "{html}");
    assert!(html.contains(">42</code>"), "{html}");
    // Not an amount: shown as sent, not read as the grouped 150.
    assert!(
        html.contains("<span id=\"pay-sum\" class=\"pay-text\">1.5.0</span>"),
        "{html}"
    );
    for (what, text, select) in [
        ("address", "IBAN \u{628} 4276  0000", "#pay-address"),
        ("tag", "42", "#pay-tag"),
        ("amount", "1.5.0", "#pay-sum"),
    ] {
        let fx = h.click("copy", what);
        assert!(
            fx.contains(&Effect::Copy {
                text: text.into(),
                select: select.into(),
                what: what.into(),
            }),
            "{what}: {fx:?}"
        );
    }
}
