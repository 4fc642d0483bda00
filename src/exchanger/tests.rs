//! The types and the envelope against answers recorded from the sandbox exchanger
//! (`fixtures/`, written by its independent implementation of the 2.7 wire quirks).

use super::envelope::{canonical, ExchangerError, ExchangerErrorKind as K};
use super::method::Method;
use super::request::{check_bid_fields, prepare};
use super::types::*;
use crate::php::PhpValue;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("fixtures/", $name, ".json"))
    };
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// The canonical answer, and proof that it reads back to the same value.
fn canon(method: Method, body: &str) -> Value {
    let text = canonical(method, body).unwrap();
    let again = canonical(method, &format!("{{\"error\":0,\"data\":{text}}}")).unwrap();
    assert_eq!(
        text,
        again,
        "{} is not stable under a second reading",
        method.wire()
    );
    json(&text)
}

/// The answer read into the serde type `T`, which must hold exactly the canonical form: the
/// shape table and the public types describe the same thing.
fn typed<T: DeserializeOwned + Serialize>(method: Method, body: &str) -> Result<T, ExchangerError> {
    let text = canonical(method, body)?;
    let value: T = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "{} canonical form does not fit its type: {e}\n{text}",
            method.wire()
        )
    });
    assert_eq!(
        serde_json::to_value(&value).unwrap(),
        json(&text),
        "{}: the type writes back something else",
        method.wire()
    );
    Ok(value)
}

#[test]
fn direction_with_object_field_lists_and_string_flags() {
    let d: ExchangeDirection = typed(Method::GetDirection, fixture!("get_direction_6")).unwrap();
    assert_eq!(d.id, "6");
    assert_eq!(
        (d.min_get.as_deref(), d.max_give.as_deref()),
        (None, Some("2000000"))
    );
    let names: Vec<_> = d.all_fields().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["account1", "cfgive8", "account2", "cf12", "cf6", "cf11"]
    );
    let account1 = &d.give_fields[0];
    assert!(account1.req && !account1.cd && account1.options.is_empty());
    let network = &d.dir_fields[0];
    assert_eq!(
        (network.field_type.as_str(), network.req, network.cd),
        ("select", true, true)
    );
    let options: Vec<_> = network
        .options
        .iter()
        .map(|o| (o.value.as_str(), o.label.as_str()))
        .collect();
    assert_eq!(
        options,
        [
            ("0", "Не выбрано"),
            ("1", "Ethereum (ERC20)"),
            ("2", "Arbitrum One"),
            ("3", "Optimism")
        ]
    );
    assert!(!d.dir_fields[2].req); // cf11: "req":"0"
    assert!(d.info.before_button_text.contains("<a href="));

    let c = canon(Method::GetDirection, fixture!("get_direction_6"));
    assert_eq!(c["min_get"], Value::Null);
    assert_eq!(c["give_fields"][0]["req"], Value::Bool(true));
    assert_eq!(
        c["dir_fields"][0]["options"][2],
        json(r#"{"value":"2","label":"Arbitrum One"}"#)
    );
    assert_eq!(c["dir_fields"][0]["type"], "select");
}

#[test]
fn direction_with_list_fields_empty_lists_and_option_gaps() {
    let ltc: ExchangeDirection = typed(Method::GetDirection, fixture!("get_direction_7")).unwrap();
    assert!(ltc.give_fields.is_empty()); // `[]`
    assert_eq!(ltc.dir_fields[0].name, "cf6"); // a JSON array of fields
    let uah: ExchangeDirection = typed(Method::GetDirection, fixture!("get_direction_11")).unwrap();
    let issuer = uah
        .give_fields
        .iter()
        .find(|f| f.name == "cfgive16")
        .unwrap();
    let values: Vec<_> = issuer.options.iter().map(|o| o.value.as_str()).collect();
    assert_eq!(values, ["0", "1", "3", "4"]); // the admin's empty line left a gap
    let err = typed::<ExchangeDirection>(Method::GetDirection, fixture!("get_direction_unknown"))
        .unwrap_err();
    assert_eq!((err.kind, err.code), (K::NotFound, 1));
}

#[test]
fn lists_currencies_calc_and_test() {
    let dirs = canon(Method::GetDirections, fixture!("get_directions"));
    assert_eq!(dirs[0]["direction_id"], "4");
    assert!(dirs.as_array().is_some_and(|a| a.len() == 2));
    let cur: DirectionCurrencies = typed(
        Method::GetDirectionCurrencies,
        fixture!("get_direction_currencies"),
    )
    .unwrap();
    assert!(cur
        .give
        .iter()
        .any(|c| c.id == "1" && c.title == "Bitcoin BTC"));
    let calc: CalcResult = typed(Method::GetCalc, fixture!("get_calc")).unwrap();
    assert!(calc.changed);
    assert_eq!(Some(calc.sum_give.as_str()), calc.min_give.as_deref());
    assert_eq!(
        canon(Method::GetCalc, fixture!("get_calc"))["changed"],
        Value::Bool(true)
    );
    let test = canon(Method::Test, fixture!("test"));
    assert_eq!(
        (test["user_id"].as_str(), test["partner_id"].as_str()),
        (Some("1"), Some("0"))
    );
}

#[test]
fn bids_in_both_id_forms() {
    let created: Bid = typed(Method::CreateBid, fixture!("create_bid")).unwrap();
    let info: Bid = typed(Method::BidInfo, fixture!("bid_info")).unwrap();
    assert_eq!(created.id, info.id); // integer 1001 and string "1001"
    assert_eq!(created.hash.len(), 32);
    assert_eq!(
        (
            created.api_actions.action_type.as_str(),
            created.api_actions.cancel.as_str()
        ),
        ("default", "api")
    );
    assert!(created.course_give.is_some() && created.api_id.is_none());
    assert_eq!(info.status, "payed");
    assert_eq!(info.api_actions.action_type, "finished");
    let c = canon(Method::CreateBid, fixture!("create_bid"));
    assert_eq!(c["id"], "1001");
    assert!(c.get("replayed").is_none() && c.get("address").is_none());
    assert_eq!(canon(Method::PayBid, fixture!("pay_bid")), "payed");
}

#[test]
fn exchanges_and_partner_lists() {
    let page: ItemList<Exchange> = typed(Method::GetExchanges, fixture!("get_exchanges")).unwrap();
    let item = &page.items[0];
    assert_eq!(item.api_id.as_deref(), Some("order-1"));
    assert_eq!(item.status, "success"); // paid, then three API calls (ticks) later completed
    assert!(item.exchange_success && item.time > 0 && item.accrued.is_none());
    assert_eq!(
        item.statuses.as_ref().map(|s| s[0].status.as_str()),
        Some("new")
    );
    let empty = canon(Method::GetExchanges, fixture!("get_exchanges_empty"));
    assert_eq!(empty, json(r#"{"items":[]}"#)); // the server's `"data": []`
    let info: PartnerInfo = typed(Method::GetPartnerInfo, fixture!("get_partner_info")).unwrap();
    assert_eq!(info.partner_id, "7");
    assert_eq!(info.balance, "25.4"); // a JSON number on the wire
                                      // PHP 7.1+ prints a float's shortest round-trip digits: all of them are kept.
    let long = canon(
        Method::GetPartnerInfo,
        r#"{"error":0,"data":{"partner_id":7,"balance":1234567.123456789,"min_payout":1.0E-8,"items":[]}}"#,
    );
    assert_eq!(
        (long["balance"].as_str(), long["min_payout"].as_str()),
        (Some("1234567.123456789"), Some("0.00000001"))
    );
    assert!(info.items.iter().all(|i| i.comission.ends_with('%')));
    let links: ItemList<PartnerLink> =
        typed(Method::GetPartnerLinks, fixture!("get_partner_links")).unwrap();
    assert_eq!(links.items.len(), 2);
    let payouts: ItemList<PartnerPayout> =
        typed(Method::GetPartnerPayouts, fixture!("get_partner_payouts")).unwrap();
    assert_eq!(payouts.items[0].status, 1); // "1" on the wire
                                            // Seed 001's spelling, and a plugin that leaves fields out: defaults fill them.
    let seed: PartnerInfo = typed(
        Method::GetPartnerInfo,
        r#"{"error":0,"data":{"partner_id":7,"items":[{"id":1,"title":"t","commission":"1%","amount":2}]}}"#,
    )
    .unwrap();
    assert_eq!(
        (
            seed.items[0].comission.as_str(),
            seed.items[0].amount.as_str(),
            seed.balance.as_str()
        ),
        ("1%", "2", "")
    );
}

#[test]
fn every_error_kind_from_the_envelope() {
    let kind = |m: Method, body: &str| {
        let e = canonical(m, body).unwrap_err();
        (e.kind, e.code)
    };
    assert_eq!(
        kind(Method::BidInfo, fixture!("bid_info_missing")),
        (K::NotFound, 1)
    );
    assert_eq!(
        kind(Method::Test, fixture!("ip_blocked")),
        (K::IpBlocked, 2)
    );
    assert_eq!(
        kind(Method::CreateBid, fixture!("maintenance_create")),
        (K::Maintenance, 2)
    );
    assert_eq!(
        kind(Method::GetDirections, fixture!("maintenance_list")),
        (K::Maintenance, 1)
    );
    assert_eq!(
        kind(Method::CancelBid, fixture!("cancel_bid_action_disabled")),
        (K::ActionDisabled, 2)
    );
    assert_eq!(
        kind(
            Method::AddPartnerPayout,
            fixture!("add_partner_payout_refused")
        ),
        (K::Validation, 1)
    );
    assert_eq!(
        kind(
            Method::CreateBid,
            r#"{"error":3,"error_text":"Method not supported"}"#
        ),
        (K::MethodNotSupported, 3)
    );
    assert_eq!(
        kind(
            Method::GetPartnerInfo,
            r#"{"error":"1","error_text":"no partner id","data":[]}"#
        ),
        (K::NoPartnerProgram, 1)
    );
    assert_eq!(
        kind(
            Method::GetPartnerLinks,
            r#"{"error":"1","error_text":"no active partner program","data":[]}"#
        ),
        (K::NoPartnerProgram, 1)
    );
    assert_eq!(
        kind(Method::Test, r#"{"error":"7","error_text":"?"}"#),
        (K::Unknown, 7)
    );
    assert_eq!(kind(Method::Test, r#"{"data":{}}"#), (K::Unknown, 0));
    assert_eq!(
        kind(Method::BidInfo, r#"{"error":0,"data":{"id":[1,2]}}"#),
        (K::Unknown, 0)
    );
    for body in ["", "  \n", "<html>Forbidden</html>", "{\"a\":"] {
        let e = canonical(Method::Test, body).unwrap_err();
        assert_eq!((e.kind, e.code), (K::ApiDisabled, 0), "{body:?}");
        assert!(e.hint.is_some_and(|h| h.contains("API-LOGIN")));
    }

    let invalid = canonical(Method::CreateBid, fixture!("create_bid_invalid")).unwrap_err();
    assert_eq!(
        (invalid.kind, invalid.code, invalid.error_text.as_str()),
        (K::Validation, 3, "Ошибка!")
    );
    assert_eq!(invalid.field("account1").unwrap(), "Неверный номер карты");
    assert_eq!(invalid.field("sum1").unwrap(), "мин.: 5000 RUB");
    assert!(!invalid.is_api_id_taken());
    assert!(invalid
        .to_string()
        .starts_with("create_bid: the exchanger refused the request's data (error 3: Ошибка!) — "));
    let taken = canonical(Method::CreateBid, fixture!("create_bid_taken")).unwrap_err();
    assert!(taken.is_api_id_taken());
    // Several texts are joined with `<br />`: plain text, as `error_fields` are.
    let joined = canonical(
        Method::CreateBid,
        r#"{"error":"3","error_text":"api id not unique<br />Неверный <b>номер карты</b>","data":[]}"#,
    )
    .unwrap_err();
    assert_eq!(joined.error_text, "api id not unique Неверный номер карты");
    assert!(joined.is_api_id_taken());
}

#[test]
fn a_php_notice_before_the_json_is_skipped() {
    let noisy = format!(
        "<br />\n<b>Warning</b>: Undefined array key<br />\n{}",
        fixture!("create_bid")
    );
    let bid: Bid = typed(Method::CreateBid, &noisy).unwrap();
    assert_eq!(bid.id, "1001");
    // Or after it: a shutdown hook's warning once the answer was printed.
    let after = format!(
        "{}\n<br />\n<b>Deprecated</b>: Creation of dynamic property<br />\n",
        fixture!("create_bid")
    );
    let bid: Bid = typed(Method::CreateBid, &after).unwrap();
    assert_eq!(bid.id, "1001");
    let both = format!("Notice: x\n{} Notice: {{\"error\":1}}", fixture!("test"));
    assert_eq!(canon(Method::Test, &both)["user_id"], "1");
}

#[test]
fn an_envelope_cut_short_is_told_from_an_api_that_printed_nothing() {
    use super::envelope::cut_short;
    let whole = fixture!("create_bid");
    for cut in [20, whole.len() / 2, whole.trim_end().len() - 1] {
        let body = &whole[..cut];
        assert!(cut_short(body), "{body:?}");
        assert!(cut_short(&format!("<b>Notice</b>\n{body}\n")), "{body:?}");
        // Still no envelope to read, as before.
        assert_eq!(
            canonical(Method::CreateBid, body).unwrap_err().kind,
            K::ApiDisabled
        );
    }
    for body in [
        "",
        "<html>Forbidden</html>",
        whole,
        "{\"a\":",
        "{\"error\":0} x {",
    ] {
        assert!(!cut_short(body), "{body:?}");
    }
}

#[test]
fn secrets_are_masked_in_server_texts() {
    let body = r#"{"error":"3","error_text":"bad key supersecret-key-1","error_fields":{"api_id":"login demo-login-xyz"}}"#;
    let e = canonical(Method::CreateBid, body)
        .unwrap_err()
        .masked(&["supersecret-key-1".to_owned(), "demo-login-xyz".to_owned()]);
    let text = format!("{e} {:?}", e.fields);
    assert!(
        !text.contains("supersecret") && !text.contains("demo-login"),
        "{text}"
    );
    // A field's name is the server's text too (found by fuzzing: names were not masked).
    let body = r#"{"error":3,"error_fields":{"demo-login-xyz":"taken"}}"#;
    let e = canonical(Method::CreateBid, body)
        .unwrap_err()
        .masked(&["demo-login-xyz".to_owned()]);
    assert_eq!(e.fields, vec![("***".to_owned(), "taken".to_owned())]);
    assert!(!e.to_string().contains("demo-login"), "{e}");
}

#[test]
fn bid_fields_checked_against_the_direction() {
    let d = canonical(Method::GetDirection, fixture!("get_direction_6")).unwrap();
    let d = crate::json::read(&d).unwrap().value;
    let params = |list: &[(&str, &str)]| {
        let input: Vec<_> = list
            .iter()
            .map(|(k, v)| (k.to_string(), PhpValue::Str(v.to_string())))
            .collect();
        prepare(Method::CreateBid, &input).unwrap()
    };
    let good = params(&[
        ("direction_id", "6"),
        ("calc_amount", "5000"),
        ("account1", "2202200011112222"),
        ("cfgive8", "IVAN"),
        ("account2", "0x52908400098527886E0F7030069857D2E4169EE7"),
        ("cf12", "2"),
        ("cf6", "a@b.co"),
    ]);
    assert!(check_bid_fields(&d, &good).is_ok());
    let bad = params(&[
        ("direction_id", "5"),
        ("calc_amount", "5000"),
        ("cf12", "0"),
        ("cf6", ""),
        ("cf99", "x"),
    ]);
    let issues: Vec<_> = check_bid_fields(&d, &bad)
        .unwrap_err()
        .issues
        .into_iter()
        .map(|i| (i.field, i.rule))
        .collect();
    let fields: Vec<_> = issues.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        [
            "direction_id",
            "account1",
            "cfgive8",
            "account2",
            "cf12",
            "cf6",
            "cf99"
        ]
    );
    assert_eq!(issues[1].1, "is required (Номер карты)");
    assert!(issues[4].1.starts_with("must be selected"));
    let wrong_option = params(&[("direction_id", "6"), ("calc_amount", "1"), ("cf12", "9")]);
    assert!(check_bid_fields(&d, &wrong_option)
        .unwrap_err()
        .issues
        .iter()
        .any(|i| i.field == "cf12" && i.rule.contains("option")));
}
