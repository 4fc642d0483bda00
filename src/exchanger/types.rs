//! What the 16 methods answer, as plain data with the wire's field names.
//!
//! They describe the canonical form that [`super::shape`] makes of whatever the server sent,
//! the same for every server: every field present, ids and amounts as strings (`"1001"`,
//! `"0.015"`), flags as booleans, lists as arrays, "no limit" as `null`, a select's options as
//! `{ value, label }` pairs. The SDK returns this form, the proxy sends it to browsers, and
//! these types (serde) read it back, e.g. in the widget.

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// What `test` answers: who the server thinks is calling.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct ExchangerTestResult {
    /// The IP address the exchanger sees for this server (keys are bound to IPs).
    pub ip: String,
    /// The exchanger user the key belongs to (`"0"` for the "System" user).
    pub user_id: String,
    /// The site's language, e.g. `ru_RU` (or the `lang` the client asked for).
    pub locale: String,
    /// The partner id the server attributes calls to (`"0"` when none).
    pub partner_id: String,
}

/// A currency as `get_direction_currencies` lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct ExchangerCurrency {
    /// The currency's id in the exchanger (`currency_id_give` / `currency_id_get` filters).
    pub id: String,
    /// Its title as the exchanger shows it, e.g. `Bitcoin BTC`.
    pub title: String,
    /// URL of its logo.
    pub logo: String,
}

/// What `get_direction_currencies` answers: the currencies that can be given and received.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct DirectionCurrencies {
    /// Currencies the client can give ("Отдаю").
    pub give: Vec<ExchangerCurrency>,
    /// Currencies the client can receive ("Получаю").
    pub get: Vec<ExchangerCurrency>,
}

/// One exchange direction as `get_directions` lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct DirectionSummary {
    /// The direction's id (for `get_direction`, `get_calc`, `create_bid`).
    pub direction_id: String,
    /// Id of the currency given.
    pub currency_give_id: String,
    /// Title of the currency given.
    pub currency_give_title: String,
    /// Logo URL of the currency given.
    pub currency_give_logo: String,
    /// Id of the currency received.
    pub currency_get_id: String,
    /// Title of the currency received.
    pub currency_get_title: String,
    /// Logo URL of the currency received.
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
    pub name: String,
    /// The input type: `text`, `select`, ... (kept as the server sends it).
    #[serde(rename = "type")]
    pub field_type: String,
    /// The field's label. Admin-typed HTML: sanitise before rendering it as HTML.
    pub label: String,
    /// True when `create_bid` requires it (the wire's `req`: `1`, `"1"`).
    pub req: bool,
    /// Help text. Admin-typed HTML: sanitise before rendering it as HTML.
    pub tooltip: String,
    /// The choices of a `select` field, in the server's order; absent for other types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<DirectionFieldOption>,
    /// True when the field changes the calculation and must be passed to `get_calc` in `cd`.
    pub cd: bool,
}

/// Declares a struct with the amounts and limits that `get_direction` and `get_calc` share,
/// followed by its own fields.
macro_rules! quote_struct {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$fmeta:meta])* pub $field:ident : $ty:ty,)* }) => {
        $(#[$meta])*
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            /// Code of the currency given, e.g. `BTC`.
            pub currency_code_give: String,
            /// Code of the currency received, e.g. `RUB`.
            pub currency_code_get: String,
            /// The exchanger's reserve of the currency received.
            pub reserve: String,
            /// The rate's "give" side: `course_give` given buys `course_get` received.
            pub course_give: String,
            /// The rate's "get" side.
            pub course_get: String,
            /// Amount given, before the payment system's fee.
            pub sum_give: String,
            /// Amount given, with the fee: what the client pays.
            pub sum_give_com: String,
            /// Amount received, before fees.
            pub sum_get: String,
            /// Amount received, after fees: what the client gets.
            pub sum_get_com: String,
            /// The fee on the given side, as text (admin-typed HTML possible).
            pub com_give: String,
            /// The fee on the received side, as text (admin-typed HTML possible).
            pub com_get: String,
            /// Smallest amount given; `null` when the exchanger sets none (the wire's `"no"`,
            /// or `"нет"`).
            #[tsify(type = "string | null")]
            pub min_give: Option<String>,
            /// Largest amount given; `null` when none.
            #[tsify(type = "string | null")]
            pub max_give: Option<String>,
            /// Smallest amount received; `null` when none.
            #[tsify(type = "string | null")]
            pub min_get: Option<String>,
            /// Largest amount received; `null` when none.
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
    pub timeline_text: String,
    /// Shown while the direction is frozen; empty otherwise.
    pub frozen_text: String,
    /// Shown before the "pay" button.
    pub before_button_text: String,
}

quote_struct! {
    /// What `get_direction` answers: rates, limits, texts and the fields a bid needs.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
        pub struct ExchangeDirection {
        /// The direction's id.
        pub id: String,
        /// The direction's exchange page on the exchanger's site.
        pub url: String,
        /// Fields of the currency given (e.g. `account1`, the account paid from).
        pub give_fields: Vec<DirectionField>,
        /// Fields of the currency received (e.g. `account2`, the account paid to).
        pub get_fields: Vec<DirectionField>,
        /// Fields of the direction itself (`cf<N>`: name, e-mail...).
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
        pub changed: bool,
    }
}

/// How a bid can be paid and cancelled (`api_actions`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct ApiActions {
    /// The payment type: `default`, `finished`, `form`, `link`, `coupon`, `mypaid`,
    /// `myaction`, `address`, ... (the set depends on the exchanger's merchants).
    #[serde(rename = "type")]
    pub action_type: String,
    /// How to cancel: `api` (call `cancelBid`), `disabled`, or a URL to open.
    pub cancel: String,
    /// How to pay: `api` (call `payBid` once paid), `disabled`, or a URL to open.
    pub pay: String,
    /// The amount to pay.
    pub pay_amount: String,
    /// Payment instructions. Admin-typed HTML: sanitise before rendering it as HTML.
    pub instruction: String,
}

/// A bid, as `create_bid` and `bid_info` answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct Bid {
    /// The bid's page on the exchanger's site.
    pub url: String,
    /// The bid's id (guessable: give browsers the `hash`, never act on an id they send).
    pub id: String,
    /// The bid's secret hash: what `bidInfo`, `payBid` and `cancelBid` take from browsers.
    pub hash: String,
    /// The status: `new`, `techpay`, `coldpay`, `realpay`, `verify`, `payed`, `partpay`,
    /// `success`, `cancel`, `delete`, `error`, `payouterror`, `refund`, or another one the
    /// exchanger configured (treat unknown ones as not final).
    pub status: String,
    /// The status as the exchanger names it, in its language.
    pub status_title: String,
    /// Payment system of the currency given.
    pub psys_give: String,
    /// Payment system of the currency received.
    pub psys_get: String,
    /// Code of the currency given.
    pub currency_code_give: String,
    /// Code of the currency received.
    pub currency_code_get: String,
    /// Amount given.
    pub amount_give: String,
    /// Amount received.
    pub amount_get: String,
    /// The rate's "give" side (sent by `create_bid`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[tsify(optional)]
    pub course_give: Option<String>,
    /// The rate's "get" side (sent by `create_bid`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[tsify(optional)]
    pub course_get: Option<String>,
    /// How to pay and cancel.
    pub api_actions: ApiActions,
    /// Where to send crypto, for merchants that issue an address per bid.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[tsify(optional)]
    pub address: Option<String>,
    /// Destination tag or memo that goes with `address`, when the network needs one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[tsify(optional)]
    pub dest_tag: Option<String>,
    /// Set by `createBid`: the `api_id` the bid was created with (the caller's or generated).
    #[serde(skip_serializing_if = "Option::is_none", default)]
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
    pub time: i64,
    /// The same moment as `YYYY-MM-DD hh:mm:ss` in the site's time zone.
    pub date: String,
    /// The status entered.
    pub status: String,
}

/// A bid as `get_exchanges` and `get_partner_exchanges` list it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct Exchange {
    /// The bid's id.
    pub id: String,
    /// The `api_id` the bid was created with (`get_exchanges` only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[tsify(optional)]
    pub api_id: Option<String>,
    /// Unix time of the last status change (see `BidStatusChange.time`).
    pub time: i64,
    /// The same moment as `YYYY-MM-DD hh:mm:ss`.
    pub date: String,
    /// Payment system of the currency given.
    pub psys_give: String,
    /// Payment system of the currency received.
    pub psys_get: String,
    /// Code of the currency given.
    pub currency_code_give: String,
    /// Code of the currency received.
    pub currency_code_get: String,
    /// The rate's "give" side.
    pub course_give: String,
    /// The rate's "get" side.
    pub course_get: String,
    /// Amount given.
    pub amount_give: String,
    /// Amount received.
    pub amount_get: String,
    /// True when the bid is completed (status `success`; the server code's meaning, which the
    /// seed states the other way round).
    pub exchange_success: bool,
    /// Whether the partner's reward was credited (`get_partner_exchanges` only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[tsify(optional)]
    pub accrued: Option<bool>,
    /// The partner's reward (`get_partner_exchanges` only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[tsify(optional)]
    pub partner_reward: Option<String>,
    /// Hash identifying the exchanger's visitor who made the bid (not the bid's hash).
    pub user_hash: String,
    /// IP address of that visitor.
    pub user_ip: String,
    /// The bid's status.
    pub status: String,
    /// The status history, when asked for with `status_history: 1`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[tsify(optional)]
    pub statuses: Option<Vec<BidStatusChange>>,
}

/// A currency the partner's balance can be paid out in (`get_partner_info`'s `items`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct PartnerPayoutCurrency {
    /// The currency's id (`method_id` of `add_partner_payout`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// The payout fee as the server writes it (e.g. `"0.5%"`). The wire's spelling; the
    /// seed's `commission` is read too.
    #[serde(alias = "commission")]
    pub comission: String,
    /// The balance in this currency, after the fee.
    pub amount: String,
}

/// What `get_partner_info` answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct PartnerInfo {
    /// The partner's id (what `partner_id` of `create_bid` attributes bids to).
    pub partner_id: String,
    /// The balance, in the site's currency.
    pub balance: String,
    /// The smallest payout.
    pub min_payout: String,
    /// Currencies a payout can be ordered in.
    pub items: Vec<PartnerPayoutCurrency>,
}

/// A visit through a partner link (`get_partner_links`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct PartnerLink {
    /// Unix time of the visit.
    pub time: i64,
    /// The same moment as `YYYY-MM-DD hh:mm:ss`.
    pub date: String,
    /// The visitor's browser.
    pub browser: String,
    /// The visitor's IP address.
    pub ip: String,
    /// The page the visitor came from.
    pub referrer: String,
    /// Hash identifying the visitor.
    pub user_hash: String,
    /// The query string of the visit.
    pub query_string: String,
}

/// A payout request (`get_partner_payouts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct PartnerPayout {
    /// The payout's id.
    pub id: String,
    /// Unix time of the request.
    pub time: i64,
    /// The same moment as `YYYY-MM-DD hh:mm:ss`.
    pub date: String,
    /// The currency's id.
    pub method_id: String,
    /// The account paid to.
    pub account: String,
    /// The amount paid.
    pub pay_amount: String,
    /// The currency paid in.
    pub pay_currency_code: String,
    /// The amount in the site's currency.
    pub original_amount: String,
    /// The site's currency.
    pub original_currency_code: String,
    /// 0 waiting, 1 paid, 2 cancelled.
    #[tsify(type = "0 | 1 | 2 | number")]
    pub status: i64,
}

/// What `add_partner_payout` answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct PartnerPayoutCreated {
    /// The new payout's id.
    pub payout_id: String,
}

/// A page of a list method: `{ items }` (the server's `[]` for "none" reads as no items).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct ItemList<T> {
    /// The items of this page.
    pub items: Vec<T>,
}
