//! The gateway's error table (seed 002, "Перечень ошибок"): every code it documents, what it
//! means in English, and whether the same request may succeed later. One list feeds the Rust
//! enum, the lookups and the `MerchantErrorCode` union in the package's typings.

use super::Endpoint;

/// Declares the codes once: the enum, its wire strings, descriptions (the variant's doc
/// comment), retryable flags and the TypeScript union all come from the same rows.
macro_rules! error_codes {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $wire:literal, retryable: $retry:literal; )+) => {
        /// An error code from the seed's error table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum MerchantErrorCode {
            $( $(#[doc = $doc])+ $variant, )+
        }

        /// `(wire code, description, retryable)` in variant order: one table instead of three
        /// matches keeps the wasm small.
        const ROWS: &[(&str, &str, bool)] = &[$(($wire, concat!($($doc),+), $retry),)+];

        impl MerchantErrorCode {
            /// Every documented code, in the seed's order.
            pub const ALL: &'static [MerchantErrorCode] = &[$(MerchantErrorCode::$variant),+];
        }

        /// `MerchantErrorCode` in the package's typings.
        pub const MERCHANT_ERROR_CODE_TS: &str = concat!(
            "/** Every error code in the api2 gateway's error table (seed 002). `MerchantError.description` explains each. */\n",
            "export type MerchantErrorCode =\n",
            $("  /**", $($doc,)+ " */\n  | '", $wire, "'\n",)+
            "  ;\n"
        );
    };
}

// In the core build too: its typings declare `MerchantError`, which names the union.
#[cfg(feature = "core")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const MERCHANT_ERROR_CODE_TS_SECTION: &'static str = MERCHANT_ERROR_CODE_TS;

error_codes! {
    /// A parameter has the wrong format or contains a space: amounts must be numbers, card
    /// numbers 16 digits, and no parameter may contain a space.
    ParamWrong = "param_wrong", retryable: false;
    /// The request carried no parameters the gateway could read (an empty or malformed body).
    DataWrong = "data_wrong", retryable: false;
    /// No merchant has this shopID: take it from the merchant cabinet or ask support.
    ShopIdWrong = "shopID_wrong", retryable: false;
    /// The signature did not verify: check the API key (`signingString` shows what was signed).
    SignWrong = "sign_wrong", retryable: false;
    /// The payment direction (currID) does not exist or the merchant is not connected to it.
    CurrIdWrong = "currID_wrong", retryable: false;
    /// The amount is below the minimum of this direction.
    AmountSmall = "amount_small", retryable: false;
    /// The amount is above the maximum of this direction.
    AmountBig = "amount_big", retryable: false;
    /// No callback URL: none is set in the merchant cabinet and the request gave no
    /// statusURL. Set one in the cabinet or send statusURL with every create.
    StatusUrlWrong = "statusURL_wrong", retryable: false;
    /// On a deposit (payment, acquire): an operation with this uniqID already exists. On a
    /// payout: no uniqID was sent.
    UniqIdEmpty = "uniqID_empty", retryable: false;
    /// No account is attached for this operation: contact the gateway's support.
    NoAttachAcc = "no_attach_acc", retryable: false;
    /// The payment system does not exist or the merchant is not connected to it.
    WrongPsys = "wrong_psys", retryable: false;
    /// No free cards to take this deposit right now.
    NoCards = "no_cards", retryable: true;
    /// Every requisite for this amount is busy right now.
    AllCardsBusy = "all_cards_busy", retryable: true;
    /// No free phone numbers to take this SBP deposit right now.
    NoPhoneNumbers = "no_phonenumbers", retryable: true;
    /// Every phone number for SBP deposits is busy right now.
    AllPhoneNumbersBusy = "all_phonenumbers_busy", retryable: true;
    /// The API key has no permission for this operation: enable it under Settings → API in
    /// the merchant cabinet.
    InvalidHash = "invalid_hash", retryable: false;
    /// Every service in the gateway's cascade declined the operation.
    GeneralDecline = "general_decline", retryable: false;
    /// Too many API requests per second for this merchant; wait and send again.
    RateLimit = "rate_limit", retryable: true;
    /// The total of today's payouts would exceed the daily limit.
    TotalAmountPerDayLimit = "Total amount per day limit", retryable: true;
    /// No operators are assigned to carry out the payout: contact the gateway's support.
    NoOperators = "no_operators", retryable: false;
    /// The payout requisite (`number`) has the wrong format for this direction.
    NumberFormatWrong = "number_format_wrong", retryable: false;
    /// The payout requisite (`number`) has the wrong length or checksum: a phone needs at
    /// least 10 digits, a card 16 digits that pass the Luhn check.
    NumberWrong = "number_wrong", retryable: false;
    /// The daily payout limit of this direction is used up (it resets at 00:00 in the
    /// merchant's time zone).
    OutLimitExceeded = "out_limit_exceeded", retryable: true;
    /// The balance available for payouts is too low.
    LowBalance = "low_balance", retryable: true;
    /// The payout will not be carried out: the balance was too low when it was checked. Top
    /// up and send it again with a new, unique uniqID.
    LowBal02 = "low_bal02", retryable: false;
    /// The payout will not be carried out: the balance was too low when it was checked. Top
    /// up and send it again with a new, unique uniqID.
    LowBal03 = "low_bal03", retryable: false;
    /// A payout with this uniqID already exists.
    UniqIdUsed2 = "uniqID_used2", retryable: false;
    /// No operation id was given.
    IdEmpty = "id_empty", retryable: false;
    /// No operation with this id exists.
    IdWrong = "id_wrong", retryable: false;
}

impl MerchantErrorCode {
    fn row(self) -> &'static (&'static str, &'static str, bool) {
        // Variants are numbered in the order of ROWS, which the macro writes from the same list.
        &ROWS[self as usize]
    }

    /// The code as the gateway sends it in `{"error": ...}`.
    pub fn wire(self) -> &'static str {
        self.row().0
    }

    /// What the code means and what to do, in English.
    pub fn description(self) -> &'static str {
        // Doc comment lines start with a space.
        self.row().1.trim_ascii_start()
    }

    /// True when the same request may succeed later without changes.
    pub fn retryable(self) -> bool {
        self.row().2
    }

    /// The documented code for a wire string, if the seed lists it.
    pub fn from_wire(wire: &str) -> Option<MerchantErrorCode> {
        Self::ALL.iter().copied().find(|c| c.wire() == wire)
    }
}

/// An `{"error": code, "info": ...}` answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayError {
    /// The code as sent (kept even when the seed does not list it).
    pub code: String,
    /// The gateway's `info` text, when it sent one.
    pub info: Option<String>,
}

impl GatewayError {
    /// The documented code, if it is one.
    pub fn known(&self) -> Option<MerchantErrorCode> {
        MerchantErrorCode::from_wire(&self.code)
    }

    pub fn description(&self) -> &'static str {
        self.known().map_or(
            "The gateway answered with an error code its documentation does not list.",
            MerchantErrorCode::description,
        )
    }

    pub fn retryable(&self) -> bool {
        self.known().is_some_and(MerchantErrorCode::retryable)
    }

    /// True when this is `endpoint`'s answer to a uniqID already taken (see
    /// [`Endpoint::duplicate`]).
    pub fn is_duplicate(&self, endpoint: Endpoint) -> bool {
        endpoint
            .duplicate()
            .is_some_and(|code| self.known() == Some(code))
    }

    pub fn is_rate_limit(&self) -> bool {
        self.known() == Some(MerchantErrorCode::RateLimit)
    }

    /// `code: description`, plus the gateway's own words when it gave any.
    pub fn message(&self) -> String {
        let mut text = format!("{}: {}", self.code, self.description());
        if let Some(info) = self.info.as_deref().filter(|i| !i.is_empty()) {
            text.push_str(" Gateway info: ");
            text.push_str(info);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code of the seed's table, as printed there (both operations' rows, deduplicated).
    const SEED_CODES: &[&str] = &[
        "param_wrong",
        "data_wrong",
        "shopID_wrong",
        "sign_wrong",
        "currID_wrong",
        "amount_small",
        "amount_big",
        "statusURL_wrong",
        "uniqID_empty",
        "no_attach_acc",
        "wrong_psys",
        "no_cards",
        "all_cards_busy",
        "no_phonenumbers",
        "all_phonenumbers_busy",
        "invalid_hash",
        "general_decline",
        "rate_limit",
        "Total amount per day limit",
        "no_operators",
        "number_format_wrong",
        "number_wrong",
        "out_limit_exceeded",
        "low_balance",
        "low_bal02",
        "low_bal03",
        "uniqID_used2",
        "id_empty",
        "id_wrong",
    ];

    #[test]
    fn the_table_is_the_seeds() {
        let wires: Vec<&str> = MerchantErrorCode::ALL.iter().map(|c| c.wire()).collect();
        assert_eq!(wires, SEED_CODES);
        for code in MerchantErrorCode::ALL {
            assert_eq!(MerchantErrorCode::from_wire(code.wire()), Some(*code));
            let d = code.description();
            assert!(
                d.len() > 20 && !d.starts_with(' ') && d.ends_with('.'),
                "{d:?}"
            );
            assert!(!d.contains("  "), "{d:?}");
            assert!(MERCHANT_ERROR_CODE_TS.contains(&format!("  | '{}'\n", code.wire())));
        }
    }

    #[test]
    fn retryable_and_duplicate_flags() {
        let retryable: Vec<&str> = MerchantErrorCode::ALL
            .iter()
            .filter(|c| c.retryable())
            .map(|c| c.wire())
            .collect();
        assert_eq!(
            retryable,
            [
                "no_cards",
                "all_cards_busy",
                "no_phonenumbers",
                "all_phonenumbers_busy",
                "rate_limit",
                "Total amount per day limit",
                "out_limit_exceeded",
                "low_balance"
            ]
        );
        let e = |code: &str| GatewayError {
            code: code.into(),
            info: None,
        };
        // The seed: uniqID_empty is a taken uniqID on deposits, a missing one on payouts.
        assert!(e("uniqID_empty").is_duplicate(Endpoint::Payment));
        assert!(e("uniqID_empty").is_duplicate(Endpoint::Acquire));
        assert!(!e("uniqID_empty").is_duplicate(Endpoint::Withdraw));
        assert!(e("uniqID_used2").is_duplicate(Endpoint::Withdraw));
        assert!(!e("uniqID_used2").is_duplicate(Endpoint::Payment));
        assert!(!e("uniqID_empty").is_duplicate(Endpoint::Status));
        assert!(!e("id_wrong").is_duplicate(Endpoint::Payment) && e("rate_limit").is_rate_limit());
    }

    #[test]
    fn unknown_codes_are_kept_and_described() {
        let e = GatewayError {
            code: "brand_new".into(),
            info: Some("Все ушли на обед!".into()),
        };
        assert_eq!(e.known(), None);
        assert!(!e.retryable());
        assert_eq!(
            e.message(),
            "brand_new: The gateway answered with an error code its documentation does not list. Gateway info: Все ушли на обед!"
        );
    }
}
