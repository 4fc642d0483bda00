//! The api2 merchant gateway (seed 002): typed, validated, signed requests for every endpoint,
//! the answers read back, the error table, the payment directions and status finality. All
//! of it is pure and natively tested; `client` puts it in the package (`MerchantClient`, the
//! `build*` functions, `isFinal`, `paymentDirections`).

pub mod answer;
#[cfg(feature = "sdk")]
mod client;
pub mod directions;
pub mod errors;
pub mod params;
pub mod rules;
pub mod status;

use crate::http::HttpRequest;
use crate::php::PhpValue;
use crate::validate::ValidationError;
use rules::{check_fields, BaseUrl, Field};

/// One api2 endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Payment,
    Withdraw,
    WithdrawCheck,
    Acquire,
    AcquireConfirm,
    AcquireResend,
    Status,
    Balance,
    BalanceAll,
    WithdrawLimit,
    Dispute,
    DisputeStatus,
    Echo,
}

/// How an endpoint may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Reads change nothing: retried on transport failures and `rate_limit`.
    Read,
    /// Creates carry a uniqID the gateway refuses twice: retried like reads, and a duplicate
    /// answer after an attempt whose fate is unknown is looked up with `status`.
    Create,
    /// Actions (a code, a resend, a dispute) may have happened when no answer came: retried
    /// only on `rate_limit`, which the gateway answers without doing anything.
    Action,
}

impl Endpoint {
    /// The path below the base URL.
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Payment => "payment",
            Endpoint::Withdraw => "withdraw",
            Endpoint::WithdrawCheck => "withdraw/check",
            Endpoint::Acquire => "acquire",
            Endpoint::AcquireConfirm => "acquire/confirm",
            Endpoint::AcquireResend => "acquire/resend",
            Endpoint::Status => "status",
            Endpoint::Balance => "balance",
            Endpoint::BalanceAll => "balance_all",
            Endpoint::WithdrawLimit => "withdraw/limit",
            Endpoint::Dispute => "dispute",
            Endpoint::DisputeStatus => "dispute/status",
            Endpoint::Echo => "echo",
        }
    }

    /// The documented parameters: the endpoint's interface and the ones it extends.
    pub fn fields(self) -> &'static [&'static [Field]] {
        use params::*;
        match self {
            Endpoint::Payment => &[CREATE, PAYMENT],
            Endpoint::Withdraw => &[CREATE, WITHDRAW],
            Endpoint::Acquire => &[CREATE, ACQUIRE],
            Endpoint::WithdrawCheck => &[OPERATION_REF],
            Endpoint::AcquireConfirm => &[OPERATION_REF, ACQUIRE_CONFIRM],
            Endpoint::AcquireResend => &[OPERATION_REF, ACQUIRE_RESEND],
            Endpoint::Dispute => &[OPERATION_REF, DISPUTE],
            Endpoint::Status => &[STATUS],
            Endpoint::DisputeStatus => &[DISPUTE_STATUS],
            Endpoint::Balance | Endpoint::BalanceAll | Endpoint::WithdrawLimit | Endpoint::Echo => {
                &[]
            }
        }
    }

    pub fn retry(self) -> Retry {
        match self {
            Endpoint::Payment | Endpoint::Withdraw | Endpoint::Acquire => Retry::Create,
            Endpoint::AcquireConfirm | Endpoint::AcquireResend | Endpoint::Dispute => Retry::Action,
            _ => Retry::Read,
        }
    }

    /// A create's answer to a uniqID already taken, by the seed's table: deposits
    /// `uniqID_empty` ("отправлен ID заявки который уже есть"), payouts `uniqID_used2`; a
    /// payout's `uniqID_empty` means no uniqID was sent, so nothing was created.
    pub fn duplicate(self) -> Option<errors::MerchantErrorCode> {
        match self {
            Endpoint::Payment | Endpoint::Acquire => Some(errors::MerchantErrorCode::UniqIdEmpty),
            Endpoint::Withdraw => Some(errors::MerchantErrorCode::UniqIdUsed2),
            _ => None,
        }
    }

    /// `acquire/confirm` and `acquire/resend` carry the request time (the seed: `time()`).
    fn stamps_time(self) -> bool {
        matches!(self, Endpoint::AcquireConfirm | Endpoint::AcquireResend)
    }
}

/// What every request needs: where the gateway is, who the merchant is, the signing key.
#[derive(Debug, Clone, PartialEq)]
pub struct MerchantConfig {
    pub base: BaseUrl,
    /// Sent as `shopID`, as the caller gave it (number or digit string).
    pub shop_id: PhpValue,
    pub api_key: String,
}

impl MerchantConfig {
    /// Checks all three at once; the key is never part of a message.
    pub fn new(base_url: &str, shop_id: PhpValue, api_key: &str) -> Result<Self, ValidationError> {
        let mut errors = ValidationError::default();
        let base = rules::parse_base_url(base_url).map_err(|rule| errors.push("baseUrl", rule));
        if let Err(rule) = rules::check_id(&shop_id) {
            errors.push("shopId", rule);
        }
        if api_key.is_empty() {
            errors.push("apiKey", "must not be empty");
        }
        errors.into_result()?;
        Ok(MerchantConfig {
            base: base.map_err(|_| ValidationError::default())?,
            shop_id,
            api_key: api_key.to_owned(),
        })
    }
}

const SIGN_LEFT_OUT: &str = "is computed by the SDK; leave it out";

/// The seed: "Параметр prefer для определенных направлений (сейчас для UZS) может являться
/// обязательным"; a UZS deposit without it is refused with param_wrong.
const PREFER_REQUIRED: &str =
    "is required for UZS directions (the gateway answers param_wrong without it)";

/// The exact request the gateway expects for `endpoint`: parameters validated (every failed
/// field listed at once, nothing built), `shopID` and (where documented) `time` added,
/// signed as the gateway's PHP checks it, and written as JSON that PHP decodes to exactly
/// the values that were signed. `now` is the Unix time in seconds.
pub fn build(
    endpoint: Endpoint,
    config: &MerchantConfig,
    params: Vec<(String, PhpValue)>,
    now: i64,
) -> Result<HttpRequest, ValidationError> {
    let mut errors = ValidationError::default();
    // echo exists to show how the gateway receives anything at all.
    if endpoint != Endpoint::Echo {
        check_fields(endpoint.fields(), &params, "", &mut errors);
    }
    let given = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    if endpoint == Endpoint::Status && given("id").is_none() && given("uniqID").is_none() {
        errors.push(
            "id",
            "is required (or uniqID, to find an operation by your own id)",
        );
    }
    if endpoint == Endpoint::Payment
        && given("prefer").is_none()
        && rules::known_direction(&params).is_some_and(|d| d.curr == "UZS")
    {
        errors.push("prefer", PREFER_REQUIRED);
    }
    if given(crate::sign::SIGN_FIELD).is_some() {
        errors.push("sign", SIGN_LEFT_OUT);
    }
    if let Some(shop) = given("shopID") {
        if php_text(shop) != php_text(&config.shop_id) {
            errors.push("shopID", "is sent from the client's shopId; leave it out");
        }
    }
    if endpoint == Endpoint::Echo && given("key").is_some_and(|k| php_text(k) == config.api_key) {
        errors.push(
            "key",
            "is your API key: echo would send it over the wire; use a test key",
        );
    }
    errors.into_result()?;

    let mut entries = Vec::with_capacity(params.len() + 3);
    entries.push(("shopID".to_owned(), config.shop_id.clone()));
    entries.extend(params.into_iter().filter(|(k, _)| k != "shopID"));
    if endpoint.stamps_time() && !entries.iter().any(|(k, _)| k == "time") {
        entries.push(("time".to_owned(), PhpValue::Int(now)));
    }
    let sign = crate::sign::sign(&entries, &config.api_key);
    entries.push((crate::sign::SIGN_FIELD.to_owned(), PhpValue::Str(sign)));
    Ok(HttpRequest {
        url: format!("{}{}", config.base.base, endpoint.path()),
        method: "POST",
        headers: vec![("content-type".to_owned(), "application/json".to_owned())],
        body: Some(crate::json::encode_to_string(&PhpValue::Array(entries))),
    })
}

/// The signature in a body [`build`] wrote, where it always puts it: last, as
/// `,"sign":"<40 hex digits>"}`. A server that echoes the request in an error page must not
/// get it into an error, where a log would keep a signed request to replay.
pub fn signature(body: &str) -> Option<&str> {
    let start = body.len().checked_sub(42)?;
    body.get(start..body.len() - 2)
        .filter(|sign| sign.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Why the operation `status` found by uniqID (`found`) is not the one a create of `endpoint`
/// made, if it is not. Deposits and payouts keep separate uniqIDs (each has its own duplicate
/// code), so a lookup after a lost payout can find a deposit of the same uniqID; the seed's
/// status objects say which kind an operation is (`type`: `payment`, e-com included, or
/// `withdraw`). The direction is not compared: a cascade may carry an operation out on
/// another `currID` than the one asked for.
pub fn recovered_mismatch(endpoint: Endpoint, found: &[(String, PhpValue)]) -> Option<String> {
    let field = |name: &str| {
        found
            .iter()
            .find(|(k, _)| k == name)
            .map_or_else(String::new, |(_, v)| php_text(v))
    };
    let kind = field("type");
    let wanted = if endpoint == Endpoint::Withdraw {
        "withdraw"
    } else {
        "payment"
    };
    (!kind.is_empty() && kind != wanted).then(|| {
        format!(
            "status by uniqID found a {kind} (id {}, currID {}), not this {}",
            field("id"),
            field("currID"),
            endpoint.path()
        )
    })
}

fn php_text(value: &PhpValue) -> String {
    let mut s = String::new();
    value.to_php_string(&mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::decode;

    fn config() -> MerchantConfig {
        MerchantConfig::new("https://mychanger.icu/api2/", PhpValue::Int(522), "KKKeeey").unwrap()
    }

    fn entries(json: &str) -> Vec<(String, PhpValue)> {
        match decode(json).unwrap() {
            PhpValue::Array(e) => e,
            other => panic!("{other:?}"),
        }
    }

    fn issues(endpoint: Endpoint, json: &str) -> Vec<String> {
        build(endpoint, &config(), entries(json), 1)
            .unwrap_err()
            .issues
            .into_iter()
            .map(|i| i.field)
            .collect()
    }

    /// The body PHP decodes signs, with the seed's code, to the `sign` it carries, which
    /// [`signature`] finds.
    fn assert_signed(body: &str, key: &str) {
        let mut fields = entries(body);
        let (_, sign) = fields.pop().unwrap();
        assert_eq!(sign, PhpValue::Str(crate::sign::sign(&fields, key)));
        assert_eq!(
            signature(body).map(|s| PhpValue::Str(s.to_owned())),
            Some(sign)
        );
    }

    #[test]
    fn the_seeds_payment_example_is_built_and_signed() {
        let params = entries(
            r#"{"uniqID":"544545dg-dgd1445-7777","currID":6,"amount":500.52,"label":"123133-44465451",
            "userID":"17800111","userInfo":{"ip":"192.168.0.1","ua":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)",
            "email":"user@example.com","phone":"+78005553535","name":"Test","surname":"Testov","patronymic":"Testovich"},
            "memo":"Пополнение средств","statusURL":"https://your_url","period":10}"#,
        );
        let request = build(Endpoint::Payment, &config(), params, 1).unwrap();
        assert_eq!(request.url, "https://mychanger.icu/api2/payment");
        assert_eq!(request.method, "POST");
        let body = request.body.unwrap();
        assert!(
            body.starts_with(
                r#"{"shopID":522,"uniqID":"544545dg-dgd1445-7777","currID":6,"amount":500.52,"#
            ),
            "{body}"
        );
        assert_signed(&body, "KKKeeey");
        // What is signed: the values in byte-wise key order, userInfo as "Array".
        let mut fields = entries(&body);
        fields.pop();
        assert_eq!(
            crate::sign::signing_string(&fields, "KKKeeey"),
            "500.52:6:123133-44465451:Пополнение средств:10:522:https://your_url:544545dg-dgd1445-7777:17800111:Array:KKKeeey"
        );
    }

    #[test]
    fn confirm_and_resend_carry_the_time() {
        let body = build(
            Endpoint::AcquireConfirm,
            &config(),
            entries(r#"{"id":"1033039","code":"470179"}"#),
            1720206230,
        )
        .unwrap()
        .body
        .unwrap();
        assert!(body.contains(r#""time":1720206230,"sign":""#), "{body}");
        assert_signed(&body, "KKKeeey");
        let body = build(
            Endpoint::AcquireResend,
            &config(),
            entries(r#"{"id":1,"time":5}"#),
            9,
        )
        .unwrap()
        .body
        .unwrap();
        assert!(body.contains(r#""time":5,"#));
    }

    #[test]
    fn reads_without_parameters_sign_only_the_shop() {
        let request = build(Endpoint::BalanceAll, &config(), vec![], 1).unwrap();
        assert_eq!(request.url, "https://mychanger.icu/api2/balance_all");
        let body = request.body.unwrap();
        assert_eq!(
            body,
            format!(
                r#"{{"shopID":522,"sign":"{}"}}"#,
                crate::sign::sign(&entries(r#"{"shopID":522}"#), "KKKeeey")
            )
        );
    }

    #[test]
    fn every_invalid_field_is_listed_and_nothing_is_built() {
        assert_eq!(
            issues(
                Endpoint::Payment,
                r#"{"uniqID":"","currID":"6 ","amount":-1,"statusURL":"your_url","period":1.5,
                "userInfo":{"email":"a b@c.d","phone":"+7900"},"label":"two words","sign":"x","shopID":1}"#
            ),
            [
                "uniqID",
                "currID",
                "amount",
                "label",
                "statusURL",
                "period",
                "userInfo.email",
                "userInfo.phone",
                "sign",
                "shopID"
            ]
        );
        assert_eq!(
            issues(
                Endpoint::Withdraw,
                r#"{"uniqID":"u","currID":83,"amount":5,"number":"4111111111111112"}"#
            ),
            ["number"]
        );
        assert_eq!(
            issues(
                Endpoint::Withdraw,
                r#"{"uniqID":"u","currID":93,"amount":5,"number":"+790637110"}"#
            ),
            ["number"]
        );
        assert_eq!(
            issues(
                Endpoint::Acquire,
                r#"{"uniqID":"u","currID":109,"amount":5,"from":{"card":"2202112381841356","month":"13","year":"29","cvv":12}}"#
            ),
            ["from.card", "from.month", "from.year", "from.cvv"]
        );
        assert_eq!(
            issues(
                Endpoint::Acquire,
                r#"{"uniqID":"u","currID":109,"amount":5}"#
            ),
            ["from"]
        );
        assert_eq!(
            issues(
                Endpoint::Payment,
                r#"{"uniqID":"u","currID":"169","amount":5}"#
            ),
            ["prefer"]
        );
        assert!(build(
            Endpoint::Payment,
            &config(),
            entries(r#"{"uniqID":"u","currID":169,"amount":5,"prefer":"humo"}"#),
            1
        )
        .is_ok());
        assert_eq!(issues(Endpoint::Status, "{}"), ["id"]);
        assert_eq!(issues(Endpoint::WithdrawCheck, r#"{"id":"12 3"}"#), ["id"]);
        assert_eq!(
            issues(Endpoint::AcquireConfirm, r#"{"id":1,"code":"12a"}"#),
            ["code"]
        );
        assert_eq!(
            issues(
                Endpoint::Dispute,
                r#"{"id":1,"amount":"1,5","disputeURL":"x"}"#
            ),
            ["amount", "disputeURL"]
        );
        assert_eq!(issues(Endpoint::Echo, r#"{"key":"KKKeeey"}"#), ["key"]);
    }

    #[test]
    fn the_same_shop_id_and_unknown_fields_pass_through() {
        let params =
            entries(r#"{"shopID":"522","id":7,"extra":{"any thing":"goes here"},"flag":true}"#);
        let body = build(Endpoint::Status, &config(), params, 1)
            .unwrap()
            .body
            .unwrap();
        assert!(
            body.starts_with(
                r#"{"shopID":522,"id":7,"extra":{"any thing":"goes here"},"flag":true,"sign":"#
            ),
            "{body}"
        );
        assert_signed(&body, "KKKeeey");
        let body = build(
            Endpoint::Echo,
            &config(),
            entries(r#"{"param1":"a b","key":"test"}"#),
            1,
        )
        .unwrap()
        .body
        .unwrap();
        assert_signed(&body, "KKKeeey");
    }

    #[test]
    fn config_errors_name_every_field() {
        let e = MerchantConfig::new("mychanger.icu", PhpValue::Str("x".into()), "").unwrap_err();
        let fields: Vec<_> = e.issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["baseUrl", "shopId", "apiKey"]);
    }

    #[test]
    fn a_recovered_operation_must_be_the_creates_kind() {
        let deposit = entries(r#"{"type":"payment","id":7,"currID":86,"status":0}"#);
        assert_eq!(recovered_mismatch(Endpoint::Payment, &deposit), None);
        assert_eq!(recovered_mismatch(Endpoint::Acquire, &deposit), None);
        assert_eq!(
            recovered_mismatch(Endpoint::Withdraw, &deposit).as_deref(),
            Some("status by uniqID found a payment (id 7, currID 86), not this withdraw")
        );
        let payout = entries(r#"{"type":"withdraw","id":8,"currID":83}"#);
        assert!(recovered_mismatch(Endpoint::Payment, &payout).is_some());
        assert_eq!(recovered_mismatch(Endpoint::Withdraw, &payout), None);
        // What the answer does not say cannot be held against it.
        assert_eq!(
            recovered_mismatch(Endpoint::Withdraw, &entries(r#"{"id":7}"#)),
            None
        );
    }

    #[test]
    fn retry_classes() {
        assert_eq!(Endpoint::Payment.retry(), Retry::Create);
        assert_eq!(Endpoint::Dispute.retry(), Retry::Action);
        assert_eq!(Endpoint::WithdrawCheck.retry(), Retry::Read);
        assert_eq!(Endpoint::Echo.retry(), Retry::Read);
    }
}
