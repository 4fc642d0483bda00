//! The parameters of each method, with the wire's names, as the widget sends them to the
//! proxy and as the `.d.ts` declares them. From JavaScript, ids and amounts may be numbers or
//! strings; in Rust they are strings. The SDK checks every value (see
//! [`super::request::prepare`]) before sending.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tsify::Tsify;

/// Filters of `get_direction_currencies` and `get_directions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct DirectionFilter {
    /// Only directions giving this currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "string | number")]
    pub currency_id_give: Option<String>,
    /// Only directions receiving this currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "string | number")]
    pub currency_id_get: Option<String>,
}

/// `get_direction`: by `direction_id`, or by both currency ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct GetDirectionRequest {
    /// The direction's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "string | number")]
    pub direction_id: Option<String>,
    /// With `currency_id_get`: the direction between these two currencies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "string | number")]
    pub currency_id_give: Option<String>,
    /// With `currency_id_give`: the direction between these two currencies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "string | number")]
    pub currency_id_get: Option<String>,
}

/// `get_calc`: the amounts for an amount of one side.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct GetCalcRequest {
    /// The direction's id.
    #[tsify(type = "string | number")]
    pub direction_id: String,
    /// The amount: a decimal string such as `"0.015"` (exact) or a number.
    #[tsify(type = "string | number")]
    pub calc_amount: String,
    /// What the amount is: 1 given (default), 2 received, 3 given with fee, 4 received with fee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "1 | 2 | 3 | 4")]
    pub calc_action: Option<i64>,
    /// The direction's fields marked `cd`, as `{ name: value }` (the SDK encodes them), or
    /// already encoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "Record<string, string | number> | string")]
    pub cd: Option<BTreeMap<String, String>>,
}

/// `create_bid`: the direction, the amount, and the direction's fields (`account1`,
/// `account2`, `cf<N>`, `cfgive<N>`, `cfget<N>`) as `getDirection` lists them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct CreateBidRequest {
    /// The direction's id.
    #[tsify(type = "string | number")]
    pub direction_id: String,
    /// The amount, as in `get_calc`.
    #[tsify(type = "string | number")]
    pub calc_amount: String,
    /// What the amount is, as in `get_calc` (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "1 | 2 | 3 | 4")]
    pub calc_action: Option<i64>,
    /// Your id of the bid, at most 100 characters of `A-Z a-z 0-9 _ . : @ # / -`, unique
    /// per API login: the idempotency key. Generated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub api_id: Option<String>,
    /// The partner the bid is attributed to (the proxy sets its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "string | number")]
    pub partner_id: Option<String>,
    /// Where the exchanger POSTs `bid_id` and `status` on each status change (the proxy
    /// sets its own and refuses one from a browser).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub callback_url: Option<String>,
    /// The direction's form fields by name.
    #[serde(flatten)]
    #[tsify(type = "{ [field: string]: string | number | undefined }")]
    pub fields: BTreeMap<String, String>,
}

/// `bid_info`, `cancel_bid`, `pay_bid`, `success_bid`: one bid, by `hash` or by `id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct BidRef {
    /// The bid's hash (what the proxy requires: ids are guessable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub hash: Option<String>,
    /// The bid's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional, type = "string | number")]
    pub id: Option<String>,
}

/// Declares a list filter: a time window and a page (`start_time`, `end_time`, `limit`,
/// `offset`) before the filter's own fields.
macro_rules! list_filter {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$fmeta:meta])* pub $field:ident : $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
        pub struct $name {
            /// Only items at or after this Unix time.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[tsify(optional)]
            pub start_time: Option<i64>,
            /// Only items at or before this Unix time.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[tsify(optional)]
            pub end_time: Option<i64>,
            /// Page size, 1 to 500 (the server's default is 100).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[tsify(optional)]
            pub limit: Option<i64>,
            /// How many items to skip.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[tsify(optional)]
            pub offset: Option<i64>,
            $($(#[$fmeta])* pub $field: $ty,)*
        }
    };
}

list_filter! {
    /// Filters of `get_exchanges` and `get_partner_exchanges` (newest change first).
    pub struct ExchangesFilter {
        /// Only bids made from this IP address.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[tsify(optional)]
        pub ip: Option<String>,
        /// Only these bids: one id or a comma-separated list.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[tsify(optional, type = "string | number")]
        pub id: Option<String>,
        /// 1 (or true) to include each bid's `statuses`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[tsify(optional, type = "0 | 1 | boolean")]
        pub status_history: Option<i64>,
    }
}

list_filter! {
    /// Filters of `get_partner_links`.
    pub struct PartnerLinksFilter {
        /// Only visits from this IP address.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[tsify(optional)]
        pub ip: Option<String>,
    }
}

list_filter! {
    /// Filters of `get_partner_payouts`.
    pub struct PartnerPayoutsFilter {
        /// Only these payouts: one id or a comma-separated list.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[tsify(optional, type = "string | number")]
        pub id: Option<String>,
    }
}

/// `add_partner_payout`: pay the partner's balance out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct AddPartnerPayoutRequest {
    /// The currency's id, from `getPartnerInfo().items`.
    #[tsify(type = "string | number")]
    pub method_id: String,
    /// The account to pay to.
    pub account: String,
}

#[cfg(test)]
mod tests {
    use super::super::method::Method;
    use super::super::request::prepare;
    use super::*;
    use crate::php::PhpValue;

    /// What the widget sends (these types, as JSON) passes the SDK's own checks.
    fn passes<T: Serialize>(method: Method, value: &T) {
        let text = serde_json::to_string(value).unwrap();
        let PhpValue::Array(entries) = crate::json::decode(&text).unwrap() else {
            panic!("not an object: {text}");
        };
        if let Err(e) = prepare(method, &entries) {
            panic!("{} refused {text}: {e}", method.wire());
        }
    }

    #[test]
    fn request_types_pass_the_checks() {
        passes(
            Method::GetDirections,
            &DirectionFilter {
                currency_id_give: Some("6".into()),
                ..Default::default()
            },
        );
        passes(
            Method::GetDirection,
            &GetDirectionRequest {
                direction_id: Some("6".into()),
                ..Default::default()
            },
        );
        let cd = BTreeMap::from([("cf12".to_owned(), "2".to_owned())]);
        passes(
            Method::GetCalc,
            &GetCalcRequest {
                direction_id: "6".into(),
                calc_amount: "5000".into(),
                calc_action: Some(1),
                cd: Some(cd),
            },
        );
        passes(
            Method::GetExchanges,
            &ExchangesFilter {
                status_history: Some(1),
                limit: Some(500),
                offset: Some(0),
                ..Default::default()
            },
        );
        let fields = BTreeMap::from([
            ("account2".to_owned(), "x".to_owned()),
            ("cf6".to_owned(), "a@b.co".to_owned()),
        ]);
        let bid = CreateBidRequest {
            direction_id: "2".into(),
            calc_amount: "10000".into(),
            api_id: Some("order-1".into()),
            fields,
            ..Default::default()
        };
        passes(Method::CreateBid, &bid);
        let back: CreateBidRequest =
            serde_json::from_str(&serde_json::to_string(&bid).unwrap()).unwrap();
        assert_eq!(back, bid);
        passes(
            Method::BidInfo,
            &BidRef {
                hash: Some("abc".into()),
                id: None,
            },
        );
        passes(
            Method::GetPartnerLinks,
            &PartnerLinksFilter {
                limit: Some(2),
                ..Default::default()
            },
        );
        passes(
            Method::GetPartnerPayouts,
            &PartnerPayoutsFilter {
                id: Some("1,2".into()),
                ..Default::default()
            },
        );
        passes(
            Method::AddPartnerPayout,
            &AddPartnerPayoutRequest {
                method_id: "3".into(),
                account: "T...".into(),
            },
        );
    }
}
