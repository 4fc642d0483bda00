//! The proxy's decisions, without HTTP.

use super::*;

fn head<'a>(method: &'a str, url: &'a str) -> Head<'a> {
    Head {
        http_method: method,
        url,
        ..Head::default()
    }
}

fn json(reply: &Reply) -> serde_json::Value {
    serde_json::from_str(&reply.body).unwrap()
}

fn kind(reply: &Reply) -> String {
    json(reply)["error"]["kind"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

const URL: &str = "https://shop.example/api/exchange/get_calc";

#[test]
fn routes_by_last_segment_and_allow_list() {
    let config = Config::default();
    for url in [
        URL,
        "https://shop.example/get_calc/",
        "http://x/a/b/get_calc?x=1",
    ] {
        assert_eq!(
            config.route(&head("POST", url)),
            Ok(Route::Call {
                method: Method::GetCalc,
                cors: None
            }),
            "{url}"
        );
    }
    for url in [
        "https://shop.example/api/get_exchanges",
        "https://shop.example/api/add_partner_payout",
        "https://shop.example/api/nope",
        "https://shop.example/",
    ] {
        let reply = config.route(&head("POST", url)).unwrap_err();
        assert_eq!(
            (reply.status, kind(&reply).as_str()),
            (403, "method_not_allowed"),
            "{url}"
        );
    }
    let get = config.route(&head("GET", URL)).unwrap_err();
    assert_eq!((get.status, get.allow), (405, Some("POST, OPTIONS")));
    let custom = Config {
        allow: vec![Method::BidInfo],
        ..Config::default()
    };
    assert!(custom.route(&head("POST", "https://x/bid_info")).is_ok());
    assert!(custom.route(&head("POST", URL)).is_err());
}

#[test]
fn allow_can_only_narrow_the_default() {
    for method in Method::ALL {
        assert_eq!(
            server_only(method).is_none(),
            DEFAULT_ALLOW.contains(&method),
            "{method:?}"
        );
    }
}

#[test]
fn origins_credentials_and_sizes() {
    let config = Config {
        origins: vec!["https://partner.example".into()],
        ..Config::default()
    };
    let from = |origin| Head {
        origin: Some(origin),
        ..head("POST", URL)
    };
    assert_eq!(
        config.route(&from("https://shop.example")),
        Ok(Route::Call {
            method: Method::GetCalc,
            cors: None
        })
    );
    assert_eq!(
        config.route(&from("https://partner.example")),
        Ok(Route::Call {
            method: Method::GetCalc,
            cors: Some("https://partner.example".into())
        })
    );
    // A framework's own address in the URL, the browser's host in `Host` (Next.js).
    let rewritten = Head {
        url: "http://localhost:3000/api/get_calc",
        host: Some("shop.example"),
        origin: Some("https://shop.example"),
        ..head("POST", URL)
    };
    assert!(matches!(
        config.route(&rewritten),
        Ok(Route::Call { cors: None, .. })
    ));
    for origin in [
        "https://evil.example",
        "null",
        "https://partner.example.evil",
    ] {
        let reply = config.route(&from(origin)).unwrap_err();
        assert_eq!(
            (reply.status, kind(&reply).as_str()),
            (403, "origin_not_allowed"),
            "{origin}"
        );
    }
    let preflight = Head {
        origin: Some("https://partner.example"),
        ..head("OPTIONS", URL)
    };
    assert_eq!(
        config.route(&preflight),
        Ok(Route::Preflight {
            cors: Some("https://partner.example".into())
        })
    );
    let evil_preflight = Head {
        origin: Some("https://evil.example"),
        ..head("OPTIONS", URL)
    };
    assert!(config.route(&evil_preflight).is_err());
    let any = Config {
        origins: vec!["*".into()],
        ..Config::default()
    };
    assert!(any.route(&from("https://evil.example")).is_ok());

    let forged = Head {
        credential_headers: true,
        ..head("POST", URL)
    };
    assert_eq!(kind(&config.route(&forged).unwrap_err()), "bad_request");
    let big = Head {
        content_length: Some("16385"),
        ..head("POST", URL)
    };
    assert_eq!(config.route(&big).unwrap_err().status, 413);
    let ok = Head {
        content_length: Some("16384"),
        ..head("POST", URL)
    };
    assert!(config.route(&ok).is_ok());
}

#[test]
fn params_are_filtered_refused_and_injected() {
    let config = Config {
        partner_id: Some("7".into()),
        callback_url: Some("https://shop.example/cb".into()),
        ..Config::default()
    };
    let form = Some("application/x-www-form-urlencoded");
    let json_type = Some("application/json; charset=utf-8");
    let p = config
        .params(
            Method::GetCalc,
            json_type,
            br#"{"direction_id":6,"calc_amount":"100","cd":{"cf12":2},"evil":"x","partner_id":9}"#,
        )
        .unwrap();
    let names: Vec<_> = p.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["direction_id", "calc_amount", "cd"]);

    let bid = config
        .params(
            Method::CreateBid,
            form,
            b"direction_id=2&calc_amount=100&account2=x&partner_id=666&api_key=k",
        )
        .unwrap();
    assert_eq!(
        bid.iter()
            .map(|(n, v)| format!("{n}={}", crate::json::encode_to_string(v)))
            .collect::<Vec<_>>(),
        [
            "direction_id=\"2\"",
            "calc_amount=\"100\"",
            "account2=\"x\"",
            "partner_id=\"7\"",
            "callback_url=\"https://shop.example/cb\""
        ]
    );
    let injected = config
        .params(
            Method::CreateBid,
            form,
            b"direction_id=2&calc_amount=1&callback_url=https%3A%2F%2Fevil",
        )
        .unwrap_err();
    assert_eq!(
        json(&injected)["error"]["fields"]["callback_url"],
        "is set by the server, not by the browser"
    );
    let short_api_id = config
        .params(
            Method::CreateBid,
            form,
            b"direction_id=2&calc_amount=1&api_id=order-1",
        )
        .unwrap_err();
    assert_eq!(kind(&short_api_id), "bad_request");
    // Too short to be unguessable: 15 characters ("w", 48 random bits in hex, "-", a counter).
    let guessable = config
        .params(
            Method::CreateBid,
            form,
            b"direction_id=2&calc_amount=1&api_id=w3fa09c1b2e7d-1",
        )
        .unwrap_err();
    assert_eq!(kind(&guessable), "bad_request");
    assert!(config
        .params(
            Method::CreateBid,
            form,
            b"direction_id=2&calc_amount=1&api_id=7f9c2b1e-0d4a-4b8e-9a61-3c5f0e2d8b17"
        )
        .is_ok());

    let by_id = config
        .params(Method::BidInfo, json_type, br#"{"id":1001}"#)
        .unwrap_err();
    assert_eq!(
        (
            by_id.status,
            json(&by_id)["error"]["fields"]["id"].as_str().is_some()
        ),
        (400, true)
    );
    let none = config
        .params(Method::CancelBid, json_type, b"{}")
        .unwrap_err();
    assert_eq!(json(&none)["error"]["fields"]["hash"], "is required");
    assert!(config
        .params(Method::PayBid, json_type, br#"{"hash":"abc"}"#)
        .is_ok());

    for (ctype, body) in [
        (json_type, &b"[1]"[..]),
        (json_type, b"{"),
        (Some("text/plain"), b"a=1"),
        (json_type, br#"{"calc_amount":{"x":1}}"#),
        (json_type, br#"{"direction_id":[6]}"#),
        (form, b"a=%ff"),
        (json_type, b"\xff"),
    ] {
        assert_eq!(
            kind(&config.params(Method::GetCalc, ctype, body).unwrap_err()),
            "bad_request",
            "{body:?}"
        );
    }
    assert!(config
        .params(Method::GetDirections, None, b"")
        .unwrap()
        .is_empty());
}

#[test]
fn upstream_failures_map_to_statuses_without_secrets() {
    let ex = |kind: &str, code| {
        failure(Upstream::Exchanger {
            kind: kind.into(),
            code,
            fields: vec![("account1".into(), "Bad card".into())],
        })
    };
    let validation = ex("validation", 3);
    assert_eq!(validation.status, 422);
    assert_eq!(
        json(&validation)["error"],
        serde_json::json!({"kind":"validation","code":3,"message":"The exchanger refused the data; see fields.","fields":{"account1":"Bad card"}})
    );
    for (kind, code, status) in [
        ("not_found", 1, 404),
        ("no_partner_program", 1, 404),
        ("maintenance", 2, 503),
        ("action_disabled", 2, 403),
        ("ip_blocked", 2, 502),
        ("method_not_supported", 3, 502),
        ("api_disabled", 0, 502),
        ("unknown", 7, 502),
    ] {
        let reply = ex(kind, code);
        let body = json(&reply);
        assert_eq!(
            (
                reply.status,
                body["error"]["kind"].as_str(),
                body["error"]["code"].as_i64()
            ),
            (status, Some(kind), Some(code))
        );
        if status == 502 {
            assert_eq!(
                body["error"]["message"],
                "The exchange service is unavailable."
            );
            assert_eq!(body["error"]["fields"], serde_json::json!({}));
        }
    }
    assert_eq!(ex("maintenance", 2).retry_after, Some(60));
    assert_eq!(failure(Upstream::Transport("timeout".into())).status, 504);
    assert_eq!(
        kind(&failure(Upstream::Transport("network".into()))),
        "upstream_unavailable"
    );
    assert_eq!(failure(Upstream::Validation(Vec::new())).status, 400);
    assert_eq!(failure(Upstream::Other).status, 500);
    let failure_type: ProxyFailure = serde_json::from_str(&ex("validation", 3).body).unwrap();
    assert_eq!(failure_type.error.code, 3);
    assert_eq!(Reply::data("[1]").body, r#"{"data":[1]}"#);
    assert_eq!(Reply::rate_limited(3).retry_after, Some(3));
}

#[test]
fn urls_split() {
    assert_eq!(
        split_url("https://a.example:8443/x/y?q=1#f"),
        ("a.example:8443", "/x/y")
    );
    assert_eq!(split_url("http://a"), ("a", ""));
    assert_eq!(
        split_url("https://partner.example"),
        ("partner.example", "")
    );
}

#[test]
fn accept_language_picks_russian_or_english() {
    for (header, lang) in [
        ("en", Some("en_US")),
        ("ru-RU", Some("ru_RU")),
        ("RU", Some("ru_RU")),
        ("en-GB,en;q=0.9", Some("en_US")),
        ("uk-UA,uk;q=0.9,ru;q=0.8,en;q=0.7", Some("ru_RU")),
        ("de, en;q=0.5, ru;q=0.7", Some("ru_RU")),
        ("ru;q=0, en;q=0.1", Some("en_US")),
        ("ru;q=junk", None),
        ("de-DE,fr", None),
        ("*", None),
        ("", None),
    ] {
        assert_eq!(api_lang(header), lang, "{header:?}");
    }
}

#[test]
fn rate_keys_trust_only_what_the_nearest_proxy_wrote() {
    let direct = Config::default();
    let trusted = Config {
        trust_proxy: true,
        ..Config::default()
    };
    // The host's clientIp wins; forwarded headers count only when trusted.
    assert_eq!(
        direct.rate_key(Some("198.51.100.1"), Some("203.0.113.9")),
        "198.51.100.1"
    );
    assert_eq!(direct.rate_key(None, Some("203.0.113.9")), "*");
    assert_eq!(direct.rate_key(Some(" "), None), "*");
    // Entries before the last are the client's own words; the last is what the proxy saw.
    assert_eq!(
        trusted.rate_key(None, Some("1.2.3.4, 198.51.100.7")),
        "198.51.100.7"
    );
    assert_eq!(
        trusted.rate_key(Some(""), Some("198.51.100.7")),
        "198.51.100.7"
    );
    assert_eq!(
        trusted.rate_key(None, Some("2001:db8::1, 2001:db8::2")),
        "2001:db8:0:0::/64"
    );
    assert_eq!(trusted.rate_key(None, Some("1.2.3.4, ")), "*");
}

#[test]
fn origins_are_checked_in_the_form_browsers_send() {
    for (written, sent) in [
        ("https://partner.example", Some("https://partner.example")),
        ("https://partner.example/", Some("https://partner.example")),
        ("https://Partner.Example", Some("https://partner.example")),
        (
            "HTTPS://partner.example:443",
            Some("https://partner.example"),
        ),
        ("http://127.0.0.1:8080", Some("http://127.0.0.1:8080")),
        ("http://localhost:80", Some("http://localhost")),
        ("https://[::1]:8443", Some("https://[::1]:8443")),
        ("https://partner.example/shop", None),
        ("https://partner.example?x", None),
        ("https://user@partner.example", None),
        ("partner.example", None),
        ("ftp://partner.example", None),
        ("https://", None),
    ] {
        assert_eq!(canonical_origin(written).as_deref(), sent, "{written}");
    }
}
