//! What the 16 methods answer, as plain data with the wire's field names.
//!
//! Reading is tolerant (see [`super::wire`]); writing is canonical, the same for every
//! server: ids and amounts are strings (`"1001"`, `"0.015"`), flags are booleans, lists are
//! arrays, "no limit" is `null`, a select's options are `{ value, label }` pairs. The SDK
//! returns this canonical form, the proxy sends it to browsers, and these types read it back.

use super::wire;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// What `test` answers: who the server thinks is calling.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct ExchangerTestResult {
    /// The IP address the exchanger sees for this server (keys are bound to IPs).
    #[serde(deserialize_with = "wire::text")]
    pub ip: String,
    /// The exchanger user the key belongs to (`"0"` for the "System" user).
    #[serde(deserialize_with = "wire::text")]
    pub user_id: String,
    /// The site's language, e.g. `ru_RU` (or the `lang` the client asked for).
    #[serde(deserialize_with = "wire::text")]
    pub locale: String,
    /// The partner id the server attributes calls to (`"0"` when none).
    #[serde(deserialize_with = "wire::text")]
    pub partner_id: String,
}

/// A currency as `get_direction_currencies` lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct ExchangerCurrency {
    /// The currency's id in the exchanger (`currency_id_give` / `currency_id_get` filters).
    #[serde(deserialize_with = "wire::text")]
    pub id: String,
    /// Its title as the exchanger shows it, e.g. `Bitcoin BTC`.
    #[serde(deserialize_with = "wire::text")]
    pub title: String,
    /// URL of its logo.
    #[serde(deserialize_with = "wire::text")]
    pub logo: String,
}

/// What `get_direction_currencies` answers: the currencies that can be given and received.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct DirectionCurrencies {
    /// Currencies the client can give ("Отдаю").
    #[serde(deserialize_with = "wire::list")]
    pub give: Vec<ExchangerCurrency>,
    /// Currencies the client can receive ("Получаю").
    #[serde(deserialize_with = "wire::list")]
    pub get: Vec<ExchangerCurrency>,
}

/// One exchange direction as `get_directions` lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct DirectionSummary {
    /// The direction's id (for `get_direction`, `get_calc`, `create_bid`).
    #[serde(deserialize_with = "wire::text")]
    pub direction_id: String,
    /// Id of the currency given.
    #[serde(deserialize_with = "wire::text")]
    pub currency_give_id: String,
    /// Title of the currency given.
    #[serde(deserialize_with = "wire::text")]
    pub currency_give_title: String,
    /// Logo URL of the currency given.
    #[serde(deserialize_with = "wire::text")]
    pub currency_give_logo: String,
    /// Id of the currency received.
    #[serde(deserialize_with = "wire::text")]
    pub currency_get_id: String,
    /// Title of the currency received.
    #[serde(deserialize_with = "wire::text")]
    pub currency_get_title: String,
    /// Logo URL of the currency received.
    #[serde(deserialize_with = "wire::text")]
    pub currency_get_logo: String,
}

/// One choice of a `select` field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct DirectionFieldOption {
    /// What to send as the field's value (`"0"` is the server's "not selected").
    pub value: String,
    /// What to show.
    pub label: String,
}

/// A form field a bid needs, as `get_direction` describes it in `give_fields`, `get_fields`
/// and `dir_fields`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct DirectionField {
    /// The parameter name to send to `create_bid` (`account1`, `cf6`, `cfgive8`...).
    #[serde(deserialize_with = "wire::text")]
    pub name: String,
    /// The input type: `text`, `select`, ... (kept as the server sends it).
    #[serde(rename = "type", deserialize_with = "wire::text")]
    pub field_type: String,
    /// The field's label. Admin-typed HTML: sanitise before rendering it as HTML.
    #[serde(deserialize_with = "wire::text")]
    pub label: String,
    /// True when `create_bid` requires it (the wire's `req`: `1`, `"1"`).
    #[serde(deserialize_with = "wire::flag")]
    pub req: bool,
    /// Help text. Admin-typed HTML: sanitise before rendering it as HTML.
    #[serde(deserialize_with = "wire::text")]
    pub tooltip: String,
    /// The choices of a `select` field, in the server's order; absent for other types.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "options"
    )]
    pub options: Vec<DirectionFieldOption>,
    /// True when the field changes the calculation and must be passed to `get_calc` in `cd`.
    #[serde(deserialize_with = "wire::flag")]
    pub cd: bool,
}

/// One option as read: a bare label (its value is its position or key) or `{ value, label }`.
struct OptionEntry {
    key: Option<String>,
    value: Option<String>,
    label: String,
}

struct OptionVisitor;

impl<'de> serde::de::Visitor<'de> for OptionVisitor {
    type Value = OptionEntry;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an option label or { value, label }")
    }
    fn visit_str<E>(self, v: &str) -> Result<OptionEntry, E> {
        Ok(OptionEntry::label(v.to_owned()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<OptionEntry, E> {
        Ok(OptionEntry::label(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<OptionEntry, E> {
        Ok(OptionEntry::label(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<OptionEntry, E> {
        Ok(OptionEntry::label(wire::plain_decimal(v)))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<OptionEntry, A::Error> {
        let mut entry = OptionEntry::label(String::new());
        while let Some(key) = map.next_key::<String>()? {
            let text = map.next_value::<Text>()?.0;
            match key.as_str() {
                "value" => entry.value = Some(text),
                "label" => entry.label = text,
                _ => {}
            }
        }
        Ok(entry)
    }
}

impl OptionEntry {
    fn label(label: String) -> Self {
        OptionEntry {
            key: None,
            value: None,
            label,
        }
    }
}

impl<'de> Deserialize<'de> for OptionEntry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OptionVisitor)
    }
}

/// Any scalar read as text (see [`wire::text`]).
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        wire::text(d).map(Text)
    }
}

/// A select's options: a list of labels (value = index), an object `{value: label}` (PHP
/// arrays with a gap), or the canonical list of pairs.
fn options<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<DirectionFieldOption>, D::Error> {
    let entries: Vec<OptionEntry> = d.deserialize_any(wire::ListVisitor {
        keyed: |key: String, entry: &mut OptionEntry| entry.key = Some(key),
        marker: std::marker::PhantomData,
    })?;
    Ok(entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| DirectionFieldOption {
            value: e.value.or(e.key).unwrap_or_else(|| i.to_string()),
            label: e.label,
        })
        .collect())
}

/// A field list of `get_direction`: an object keyed by name (the name fills a missing
/// `name`), a list, or `[]`.
fn fields<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<DirectionField>, D::Error> {
    d.deserialize_any(wire::ListVisitor {
        keyed: |key: String, field: &mut DirectionField| {
            if field.name.is_empty() {
                field.name = key;
            }
        },
        marker: std::marker::PhantomData,
    })
}

/// Declares a struct with the amounts and limits that `get_direction` and `get_calc` share,
/// followed by its own fields.
macro_rules! quote_struct {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$fmeta:meta])* pub $field:ident : $ty:ty,)* }) => {
        $(#[$meta])*
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            /// Code of the currency given, e.g. `BTC`.
            #[serde(deserialize_with = "wire::text")]
            pub currency_code_give: String,
            /// Code of the currency received, e.g. `RUB`.
            #[serde(deserialize_with = "wire::text")]
            pub currency_code_get: String,
            /// The exchanger's reserve of the currency received.
            #[serde(deserialize_with = "wire::text")]
            pub reserve: String,
            /// The rate's "give" side: `course_give` given buys `course_get` received.
            #[serde(deserialize_with = "wire::text")]
            pub course_give: String,
            /// The rate's "get" side.
            #[serde(deserialize_with = "wire::text")]
            pub course_get: String,
            /// Amount given, before the payment system's fee.
            #[serde(deserialize_with = "wire::text")]
            pub sum_give: String,
            /// Amount given, with the fee: what the client pays.
            #[serde(deserialize_with = "wire::text")]
            pub sum_give_com: String,
            /// Amount received, before fees.
            #[serde(deserialize_with = "wire::text")]
            pub sum_get: String,
            /// Amount received, after fees: what the client gets.
            #[serde(deserialize_with = "wire::text")]
            pub sum_get_com: String,
            /// The fee on the given side, as text (admin-typed HTML possible).
            #[serde(deserialize_with = "wire::text")]
            pub com_give: String,
            /// The fee on the received side, as text (admin-typed HTML possible).
            #[serde(deserialize_with = "wire::text")]
            pub com_get: String,
            /// Smallest amount given; `null` when the exchanger sets none (the wire's `"no"`).
            #[serde(deserialize_with = "wire::limit")]
            #[tsify(type = "string | null")]
            pub min_give: Option<String>,
            /// Largest amount given; `null` when none.
            #[serde(deserialize_with = "wire::limit")]
            #[tsify(type = "string | null")]
            pub max_give: Option<String>,
            /// Smallest amount received; `null` when none.
            #[serde(deserialize_with = "wire::limit")]
            #[tsify(type = "string | null")]
            pub min_get: Option<String>,
            /// Largest amount received; `null` when none.
            #[serde(deserialize_with = "wire::limit")]
            #[tsify(type = "string | null")]
            pub max_get: Option<String>,
        }
    };
}

/// The texts of a direction (`get_direction`'s `info`). Admin-typed HTML: sanitise each before
/// rendering it as HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct DirectionTexts {
    /// How the exchange goes.
    #[serde(deserialize_with = "wire::text")]
    pub timeline_text: String,
    /// Shown while the direction is frozen; empty otherwise.
    #[serde(deserialize_with = "wire::text")]
    pub frozen_text: String,
    /// Shown before the "pay" button.
    #[serde(deserialize_with = "wire::text")]
    pub before_button_text: String,
}

quote_struct! {
    /// What `get_direction` answers: rates, limits, texts and the fields a bid needs.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
        pub struct ExchangeDirection {
        /// The direction's id.
        #[serde(deserialize_with = "wire::text")]
        pub id: String,
        /// The direction's exchange page on the exchanger's site.
        #[serde(deserialize_with = "wire::text")]
        pub url: String,
        /// Fields of the currency given (e.g. `account1`, the account paid from).
        #[serde(deserialize_with = "fields")]
        pub give_fields: Vec<DirectionField>,
        /// Fields of the currency received (e.g. `account2`, the account paid to).
        #[serde(deserialize_with = "fields")]
        pub get_fields: Vec<DirectionField>,
        /// Fields of the direction itself (`cf<N>`: name, e-mail...).
        #[serde(deserialize_with = "fields")]
        pub dir_fields: Vec<DirectionField>,
        /// The direction's texts.
        pub info: DirectionTexts,
    }
}

impl ExchangeDirection {
    /// Every field of the direction, give, get and direction fields in that order.
    pub fn all_fields(&self) -> impl Iterator<Item = &DirectionField> {
        self.give_fields
            .iter()
            .chain(&self.get_fields)
            .chain(&self.dir_fields)
    }
}

quote_struct! {
    /// What `get_calc` answers: the four amounts for the amount asked, clamped to the limits.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
        pub struct CalcResult {
        /// True when the amount asked was outside the limits and was moved into them: show
        /// the caller the amounts returned, not what they typed.
        #[serde(deserialize_with = "wire::flag")]
        pub changed: bool,
    }
}

/// How a bid can be paid and cancelled (`api_actions`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct ApiActions {
    /// The payment type: `default`, `finished`, `form`, `link`, `coupon`, `mypaid`,
    /// `myaction`, `address`, ... (the set depends on the exchanger's merchants).
    #[serde(rename = "type", deserialize_with = "wire::text")]
    pub action_type: String,
    /// How to cancel: `api` (call `cancelBid`), `disabled`, or a URL to open.
    #[serde(deserialize_with = "wire::text")]
    pub cancel: String,
    /// How to pay: `api` (call `payBid` once paid), `disabled`, or a URL to open.
    #[serde(deserialize_with = "wire::text")]
    pub pay: String,
    /// The amount to pay.
    #[serde(deserialize_with = "wire::text")]
    pub pay_amount: String,
    /// Payment instructions. Admin-typed HTML: sanitise before rendering it as HTML.
    #[serde(deserialize_with = "wire::text")]
    pub instruction: String,
}

/// A bid, as `create_bid` and `bid_info` answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct Bid {
    /// The bid's page on the exchanger's site.
    #[serde(deserialize_with = "wire::text")]
    pub url: String,
    /// The bid's id (guessable: give browsers the `hash`, never act on an id they send).
    #[serde(deserialize_with = "wire::text")]
    pub id: String,
    /// The bid's secret hash: what `bidInfo`, `payBid` and `cancelBid` take from browsers.
    #[serde(deserialize_with = "wire::text")]
    pub hash: String,
    /// The status: `new`, `techpay`, `coldpay`, `realpay`, `verify`, `payed`, `partpay`,
    /// `success`, `cancel`, `delete`, `error`, `payouterror`, `refund`, or another one the
    /// exchanger configured (treat unknown ones as not final).
    #[serde(deserialize_with = "wire::text")]
    pub status: String,
    /// The status as the exchanger names it, in its language.
    #[serde(deserialize_with = "wire::text")]
    pub status_title: String,
    /// Payment system of the currency given.
    #[serde(deserialize_with = "wire::text")]
    pub psys_give: String,
    /// Payment system of the currency received.
    #[serde(deserialize_with = "wire::text")]
    pub psys_get: String,
    /// Code of the currency given.
    #[serde(deserialize_with = "wire::text")]
    pub currency_code_give: String,
    /// Code of the currency received.
    #[serde(deserialize_with = "wire::text")]
    pub currency_code_get: String,
    /// Amount given.
    #[serde(deserialize_with = "wire::text")]
    pub amount_give: String,
    /// Amount received.
    #[serde(deserialize_with = "wire::text")]
    pub amount_get: String,
    /// The rate's "give" side (sent by `create_bid`).
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "wire::opt_text"
    )]
    #[tsify(optional)]
    pub course_give: Option<String>,
    /// The rate's "get" side (sent by `create_bid`).
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "wire::opt_text"
    )]
    #[tsify(optional)]
    pub course_get: Option<String>,
    /// How to pay and cancel.
    pub api_actions: ApiActions,
    /// Where to send crypto, for merchants that issue an address per bid.
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "wire::opt_text"
    )]
    #[tsify(optional)]
    pub address: Option<String>,
    /// Destination tag or memo that goes with `address`, when the network needs one.
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "wire::opt_text"
    )]
    #[tsify(optional)]
    pub dest_tag: Option<String>,
    /// Set by `createBid`: the `api_id` the bid was created with (the caller's or generated).
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "wire::opt_text"
    )]
    #[tsify(optional)]
    pub api_id: Option<String>,
    /// Set by `createBid`: true when the server already had a bid with this `api_id` (an
    /// earlier attempt got through) and the SDK returned that bid instead of a new one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[tsify(optional)]
    pub replayed: Option<bool>,
}

/// One status change of a bid (`statuses`, with `status_history: 1`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct BidStatusChange {
    /// Unix time of the change, as the server reports it (WordPress local time: may be
    /// skewed by the site's UTC offset).
    #[serde(deserialize_with = "wire::int")]
    pub time: i64,
    /// The same moment as `YYYY-MM-DD hh:mm:ss` in the site's time zone.
    #[serde(deserialize_with = "wire::text")]
    pub date: String,
    /// The status entered.
    #[serde(deserialize_with = "wire::text")]
    pub status: String,
}

/// A bid as `get_exchanges` and `get_partner_exchanges` list it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct Exchange {
    /// The bid's id.
    #[serde(deserialize_with = "wire::text")]
    pub id: String,
    /// The `api_id` the bid was created with (`get_exchanges` only).
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "wire::opt_text"
    )]
    #[tsify(optional)]
    pub api_id: Option<String>,
    /// Unix time of the last status change (see `BidStatusChange.time`).
    #[serde(deserialize_with = "wire::int")]
    pub time: i64,
    /// The same moment as `YYYY-MM-DD hh:mm:ss`.
    #[serde(deserialize_with = "wire::text")]
    pub date: String,
    /// Payment system of the currency given.
    #[serde(deserialize_with = "wire::text")]
    pub psys_give: String,
    /// Payment system of the currency received.
    #[serde(deserialize_with = "wire::text")]
    pub psys_get: String,
    /// Code of the currency given.
    #[serde(deserialize_with = "wire::text")]
    pub currency_code_give: String,
    /// Code of the currency received.
    #[serde(deserialize_with = "wire::text")]
    pub currency_code_get: String,
    /// The rate's "give" side.
    #[serde(deserialize_with = "wire::text")]
    pub course_give: String,
    /// The rate's "get" side.
    #[serde(deserialize_with = "wire::text")]
    pub course_get: String,
    /// Amount given.
    #[serde(deserialize_with = "wire::text")]
    pub amount_give: String,
    /// Amount received.
    #[serde(deserialize_with = "wire::text")]
    pub amount_get: String,
    /// True when the bid is completed (status `success`; the server code's meaning, which the
    /// seed states the other way round).
    #[serde(deserialize_with = "wire::flag")]
    pub exchange_success: bool,
    /// Whether the partner's reward was credited (`get_partner_exchanges` only).
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "opt_flag"
    )]
    #[tsify(optional)]
    pub accrued: Option<bool>,
    /// The partner's reward (`get_partner_exchanges` only).
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "wire::opt_text"
    )]
    #[tsify(optional)]
    pub partner_reward: Option<String>,
    /// Hash identifying the exchanger's visitor who made the bid (not the bid's hash).
    #[serde(deserialize_with = "wire::text")]
    pub user_hash: String,
    /// IP address of that visitor.
    #[serde(deserialize_with = "wire::text")]
    pub user_ip: String,
    /// The bid's status.
    #[serde(deserialize_with = "wire::text")]
    pub status: String,
    /// The status history, when asked for with `status_history: 1`.
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "wire::opt_list"
    )]
    #[tsify(optional)]
    pub statuses: Option<Vec<BidStatusChange>>,
}

fn opt_flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    wire::flag(d).map(Some)
}

/// A currency the partner's balance can be paid out in (`get_partner_info`'s `items`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct PartnerPayoutCurrency {
    /// The currency's id (`method_id` of `add_partner_payout`).
    #[serde(deserialize_with = "wire::text")]
    pub id: String,
    /// Its title.
    #[serde(deserialize_with = "wire::text")]
    pub title: String,
    /// The payout fee as the server writes it (e.g. `"0.5%"`). The wire's spelling; the
    /// seed's `commission` is read too.
    #[serde(alias = "commission", deserialize_with = "wire::text")]
    pub comission: String,
    /// The balance in this currency, after the fee.
    #[serde(deserialize_with = "wire::text")]
    pub amount: String,
}

/// What `get_partner_info` answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct PartnerInfo {
    /// The partner's id (what `partner_id` of `create_bid` attributes bids to).
    #[serde(deserialize_with = "wire::text")]
    pub partner_id: String,
    /// The balance, in the site's currency.
    #[serde(deserialize_with = "wire::text")]
    pub balance: String,
    /// The smallest payout.
    #[serde(deserialize_with = "wire::text")]
    pub min_payout: String,
    /// Currencies a payout can be ordered in.
    #[serde(deserialize_with = "wire::list")]
    pub items: Vec<PartnerPayoutCurrency>,
}

/// A visit through a partner link (`get_partner_links`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct PartnerLink {
    /// Unix time of the visit.
    #[serde(deserialize_with = "wire::int")]
    pub time: i64,
    /// The same moment as `YYYY-MM-DD hh:mm:ss`.
    #[serde(deserialize_with = "wire::text")]
    pub date: String,
    /// The visitor's browser.
    #[serde(deserialize_with = "wire::text")]
    pub browser: String,
    /// The visitor's IP address.
    #[serde(deserialize_with = "wire::text")]
    pub ip: String,
    /// The page the visitor came from.
    #[serde(deserialize_with = "wire::text")]
    pub referrer: String,
    /// Hash identifying the visitor.
    #[serde(deserialize_with = "wire::text")]
    pub user_hash: String,
    /// The query string of the visit.
    #[serde(deserialize_with = "wire::text")]
    pub query_string: String,
}

/// A payout request (`get_partner_payouts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct PartnerPayout {
    /// The payout's id.
    #[serde(deserialize_with = "wire::text")]
    pub id: String,
    /// Unix time of the request.
    #[serde(deserialize_with = "wire::int")]
    pub time: i64,
    /// The same moment as `YYYY-MM-DD hh:mm:ss`.
    #[serde(deserialize_with = "wire::text")]
    pub date: String,
    /// The currency's id.
    #[serde(deserialize_with = "wire::text")]
    pub method_id: String,
    /// The account paid to.
    #[serde(deserialize_with = "wire::text")]
    pub account: String,
    /// The amount paid.
    #[serde(deserialize_with = "wire::text")]
    pub pay_amount: String,
    /// The currency paid in.
    #[serde(deserialize_with = "wire::text")]
    pub pay_currency_code: String,
    /// The amount in the site's currency.
    #[serde(deserialize_with = "wire::text")]
    pub original_amount: String,
    /// The site's currency.
    #[serde(deserialize_with = "wire::text")]
    pub original_currency_code: String,
    /// 0 waiting, 1 paid, 2 cancelled.
    #[serde(deserialize_with = "wire::int")]
    #[tsify(type = "0 | 1 | 2 | number")]
    pub status: i64,
}

/// What `add_partner_payout` answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct PartnerPayoutCreated {
    /// The new payout's id.
    #[serde(deserialize_with = "wire::text")]
    pub payout_id: String,
}

/// A page of a list method: `{ items }` (the server's `[]` for "none" reads as no items).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
pub struct ItemList<T> {
    /// The items of this page.
    pub items: Vec<T>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ItemList<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(bound = "T: Deserialize<'de>")]
        struct Wrapped<T> {
            #[serde(default = "Vec::new", deserialize_with = "wire::list")]
            items: Vec<T>,
        }
        /// `{items}` keeps its items; a bare list (`[]` or a list of items) is the items.
        struct PageVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for PageVisitor<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list or { items }")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
                wire::ListVisitor {
                    keyed: |_: String, _: &mut T| {},
                    marker: std::marker::PhantomData,
                }
                .visit_seq(seq)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
                Wrapped::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|w| w.items)
            }
            fn visit_unit<E>(self) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
        }
        d.deserialize_any(PageVisitor(std::marker::PhantomData))
            .map(|items| ItemList { items })
    }
}
