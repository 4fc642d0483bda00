//! The 16 methods of the user API v1: wire name, JS name, parameters, what `data` holds and
//! whether repeating a call is safe. One table serves the client, its validation and the proxy.

/// One method of the user API v1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Test,
    GetDirectionCurrencies,
    GetDirections,
    GetDirection,
    GetCalc,
    GetExchanges,
    CreateBid,
    CancelBid,
    PayBid,
    SuccessBid,
    BidInfo,
    GetPartnerInfo,
    GetPartnerLinks,
    GetPartnerExchanges,
    GetPartnerPayouts,
    AddPartnerPayout,
}

/// What a parameter holds, and so how it is checked before anything is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A positive whole number (`direction_id`, `id`, `method_id`...).
    Id,
    /// One id or a comma-separated list of ids (`get_exchanges`'s `id`).
    IdList,
    /// Unix time in seconds.
    Time,
    /// A decimal amount (`calc_amount`).
    Amount,
    /// 1 give, 2 get, 3 give with fee, 4 get with fee.
    CalcAction,
    /// 0 or 1.
    Flag,
    /// A page size, 1 to 500.
    Limit,
    /// How many items to skip.
    Offset,
    /// A bid's hash.
    Hash,
    /// An http(s) URL (`callback_url`).
    Url,
    /// The caller's idempotency key of a bid.
    ApiId,
    /// An IP address filter.
    Ip,
    /// Free text (accounts, names, custom fields).
    Text,
    /// `get_calc`'s `cd`: an object of the direction's `cd` fields, or the encoded string.
    Cd,
}

/// One parameter a method takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

const fn p(name: &'static str, kind: Kind) -> Param {
    Param {
        name,
        kind,
        required: false,
    }
}

const fn req(name: &'static str, kind: Kind) -> Param {
    Param {
        name,
        kind,
        required: true,
    }
}

const NONE: &[Param] = &[];
const CURRENCY_FILTER: &[Param] = &[
    p("currency_id_give", Kind::Id),
    p("currency_id_get", Kind::Id),
];
const DIRECTION: &[Param] = &[
    p("direction_id", Kind::Id),
    p("currency_id_give", Kind::Id),
    p("currency_id_get", Kind::Id),
];
const CALC: &[Param] = &[
    req("direction_id", Kind::Id),
    req("calc_amount", Kind::Amount),
    p("calc_action", Kind::CalcAction),
    p("cd", Kind::Cd),
];
const EXCHANGES: &[Param] = &[
    p("start_time", Kind::Time),
    p("end_time", Kind::Time),
    p("ip", Kind::Ip),
    p("id", Kind::IdList),
    p("status_history", Kind::Flag),
    p("limit", Kind::Limit),
    p("offset", Kind::Offset),
];
const CREATE_BID: &[Param] = &[
    req("direction_id", Kind::Id),
    req("calc_amount", Kind::Amount),
    p("calc_action", Kind::CalcAction),
    p("api_id", Kind::ApiId),
    p("partner_id", Kind::Id),
    p("callback_url", Kind::Url),
];
const BID: &[Param] = &[p("id", Kind::Id), p("hash", Kind::Hash)];
const PARTNER_LINKS: &[Param] = &[
    p("start_time", Kind::Time),
    p("end_time", Kind::Time),
    p("ip", Kind::Ip),
    p("limit", Kind::Limit),
    p("offset", Kind::Offset),
];
const PARTNER_PAYOUTS: &[Param] = &[
    p("start_time", Kind::Time),
    p("end_time", Kind::Time),
    p("id", Kind::IdList),
    p("limit", Kind::Limit),
    p("offset", Kind::Offset),
];
const ADD_PAYOUT: &[Param] = &[req("method_id", Kind::Id), req("account", Kind::Text)];

/// Whether a call may be sent again after a transport failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Reads, and bid actions that the server repeats harmlessly (same status again).
    Safe,
    /// `create_bid`: only because the SDK always sends an `api_id`, which the server refuses
    /// to use twice; the duplicate is then resolved to the bid that exists.
    WithApiId,
    /// `add_partner_payout`: nothing makes a repeat harmless.
    Never,
}

/// What `data` holds on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An object; an empty `[]` means there is nothing (e.g. an unknown direction).
    Object,
    /// A list (`[]` when empty, `{"items": [...]}` otherwise).
    List,
    /// A bare string (the new status of a bid).
    Text,
}

impl Method {
    /// Every method, in the seed's order (plus `success_bid`, which the server has).
    pub const ALL: [Method; 16] = [
        Method::Test,
        Method::GetDirectionCurrencies,
        Method::GetDirections,
        Method::GetDirection,
        Method::GetCalc,
        Method::GetExchanges,
        Method::CreateBid,
        Method::CancelBid,
        Method::PayBid,
        Method::SuccessBid,
        Method::BidInfo,
        Method::GetPartnerInfo,
        Method::GetPartnerLinks,
        Method::GetPartnerExchanges,
        Method::GetPartnerPayouts,
        Method::AddPartnerPayout,
    ];

    /// The name in the URL (`get_calc`).
    pub fn wire(self) -> &'static str {
        match self {
            Method::Test => "test",
            Method::GetDirectionCurrencies => "get_direction_currencies",
            Method::GetDirections => "get_directions",
            Method::GetDirection => "get_direction",
            Method::GetCalc => "get_calc",
            Method::GetExchanges => "get_exchanges",
            Method::CreateBid => "create_bid",
            Method::CancelBid => "cancel_bid",
            Method::PayBid => "pay_bid",
            Method::SuccessBid => "success_bid",
            Method::BidInfo => "bid_info",
            Method::GetPartnerInfo => "get_partner_info",
            Method::GetPartnerLinks => "get_partner_links",
            Method::GetPartnerExchanges => "get_partner_exchanges",
            Method::GetPartnerPayouts => "get_partner_payouts",
            Method::AddPartnerPayout => "add_partner_payout",
        }
    }

    /// The `ExchangerClient` method that calls it (`getCalc`).
    pub fn js_name(self) -> &'static str {
        match self {
            Method::Test => "test",
            Method::GetDirectionCurrencies => "getDirectionCurrencies",
            Method::GetDirections => "getDirections",
            Method::GetDirection => "getDirection",
            Method::GetCalc => "getCalc",
            Method::GetExchanges => "getExchanges",
            Method::CreateBid => "createBid",
            Method::CancelBid => "cancelBid",
            Method::PayBid => "payBid",
            Method::SuccessBid => "successBid",
            Method::BidInfo => "bidInfo",
            Method::GetPartnerInfo => "getPartnerInfo",
            Method::GetPartnerLinks => "getPartnerLinks",
            Method::GetPartnerExchanges => "getPartnerExchanges",
            Method::GetPartnerPayouts => "getPartnerPayouts",
            Method::AddPartnerPayout => "addPartnerPayout",
        }
    }

    /// The method with this wire name.
    pub fn from_wire(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.wire() == name)
    }

    /// The parameters it takes (for `create_bid`, plus the direction's form fields).
    pub fn params(self) -> &'static [Param] {
        match self {
            Method::Test | Method::GetPartnerInfo => NONE,
            Method::GetDirectionCurrencies | Method::GetDirections => CURRENCY_FILTER,
            Method::GetDirection => DIRECTION,
            Method::GetCalc => CALC,
            Method::GetExchanges | Method::GetPartnerExchanges => EXCHANGES,
            Method::CreateBid => CREATE_BID,
            Method::CancelBid | Method::PayBid | Method::SuccessBid | Method::BidInfo => BID,
            Method::GetPartnerLinks => PARTNER_LINKS,
            Method::GetPartnerPayouts => PARTNER_PAYOUTS,
            Method::AddPartnerPayout => ADD_PAYOUT,
        }
    }

    /// The parameter `name`, if the method takes it.
    pub fn param(self, name: &str) -> Option<Param> {
        if let Some(param) = self.params().iter().find(|p| p.name == name) {
            return Some(*param);
        }
        (self == Method::CreateBid && is_form_field(name)).then_some(Param {
            name: "",
            kind: Kind::Text,
            required: false,
        })
    }

    pub fn retry(self) -> Retry {
        match self {
            Method::CreateBid => Retry::WithApiId,
            Method::AddPartnerPayout => Retry::Never,
            _ => Retry::Safe,
        }
    }

    pub fn shape(self) -> Shape {
        match self {
            Method::GetDirections
            | Method::GetExchanges
            | Method::GetPartnerLinks
            | Method::GetPartnerExchanges
            | Method::GetPartnerPayouts => Shape::List,
            Method::CancelBid | Method::PayBid | Method::SuccessBid => Shape::Text,
            _ => Shape::Object,
        }
    }

    /// Methods that address one bid by `id` or `hash`.
    pub fn addresses_bid(self) -> bool {
        self.params() == BID
    }
}

/// A form field of a direction as `create_bid` takes it: `account1`, `account2`, and the
/// custom fields `cf<N>` (direction), `cfgive<N>` and `cfget<N>` (the two currencies).
pub fn is_form_field(name: &str) -> bool {
    if name == "account1" || name == "account2" {
        return true;
    }
    let digits = ["cfgive", "cfget", "cf"]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix));
    digits.is_some_and(|d| (1..=3).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for m in Method::ALL {
            assert_eq!(Method::from_wire(m.wire()), Some(m));
            assert_eq!(
                Method::ALL
                    .iter()
                    .filter(|o| o.js_name() == m.js_name())
                    .count(),
                1
            );
        }
        assert_eq!(Method::from_wire("nope"), None);
    }

    #[test]
    fn form_fields() {
        for ok in ["account1", "account2", "cf1", "cf99", "cfgive8", "cfget12"] {
            assert!(is_form_field(ok), "{ok}");
            assert!(Method::CreateBid.param(ok).is_some());
        }
        for bad in [
            "account3",
            "cf",
            "cfx",
            "cf1234",
            "callbackurl",
            "cfgive",
            "id",
        ] {
            assert!(!is_form_field(bad), "{bad}");
        }
        assert!(Method::GetCalc.param("account1").is_none());
        assert!(Method::BidInfo.addresses_bid() && !Method::GetCalc.addresses_bid());
    }
}
