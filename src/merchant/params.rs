//! The parameters of every api2 endpoint, as the seed's examples send them. One macro writes
//! both the field tables the builders check and the TypeScript interfaces of the package, so
//! the two cannot drift apart. Parameters the seed does not list are sent and signed as given.

use super::rules::{Field, Rule};

macro_rules! required_flag {
    (required) => {
        true
    };
    (optional) => {
        false
    };
}

macro_rules! ts_mark {
    (required) => {
        ""
    };
    (optional) => {
        "?"
    };
}

macro_rules! params {
    ($(
        $(#[doc = $doc:literal])+
        $iface:literal $(extends $base:literal)? => $table:ident {
            $(
                $(#[doc = $fdoc:literal])+
                $need:ident $field:literal : $ts:literal = $rule:expr;
            )*
        }
    )+) => {
        $(
            #[doc = concat!("The fields `", $iface, "` adds.")]
            pub const $table: &[Field] = &[
                $(Field { name: $field, rule: $rule, required: required_flag!($need) },)*
            ];
        )+

        /// The interfaces of the package's typings.
        pub const PARAMS_TS: &str = concat!($(
            "/**\n", $(" *", $doc, "\n",)+ " */\n",
            "export interface ", $iface, $(" extends ", $base,)? " {\n",
            $("  /**", $($fdoc,)+ " */\n  ", $field, ts_mark!($need), ": ", $ts, ";\n",)*
            "}\n",
        )+);
    };
}

#[cfg(feature = "sdk")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const PARAMS_TS_SECTION: &'static str = PARAMS_TS;

params! {
    /// The payer, as the seed's `payment` example describes them (all optional).
    "UserInfo" => USER_INFO {
        /// The payer's IP address.
        optional "ip": "string" = Rule::Token;
        /// The payer's browser user agent (spaces allowed).
        optional "ua": "string" = Rule::Text;
        /// The payer's email address.
        optional "email": "string" = Rule::Email;
        /// 10 to 15 digits, optionally after `+` (`+78005553535`).
        optional "phone": "string" = Rule::Phone;
        /// The payer's first name.
        optional "name": "string" = Rule::Text;
        /// The payer's family name.
        optional "surname": "string" = Rule::Text;
        /// The payer's patronymic.
        optional "patronymic": "string" = Rule::Text;
    }

    /// The payer's card for e-com acquiring (`from` in the seed's `acquire` example).
    "PayerCard" => PAYER_CARD {
        /// 16 digits passing the Luhn check, as a string.
        required "card": "string" = Rule::Card;
        /// Two digits, `"01"` to `"12"` (the numbers 10 to 12 also do; a number below 10
        /// would lose the leading zero the gateway reads).
        required "month": "string | number" = Rule::Month;
        /// Four digits: `"2029"`.
        required "year": "string | number" = Rule::Year;
        /// 3 digits, as every 16-digit card has; a string keeps a leading zero (`"012"`).
        required "cvv": "string | number" = Rule::Cvv;
    }

    /// What every create (`payment`, `withdraw`, `acquire`) takes. `shopID` and `sign` are
    /// added by the SDK.
    "CreateParams" => CREATE {
        /// Your own unique id of the operation: the gateway refuses a second operation with
        /// the same uniqID, which is what makes retrying a create safe. No spaces.
        required "uniqID": "string" = Rule::Token;
        /// The payment direction (see `paymentDirections()`).
        required "currID": "number | string" = Rule::Id;
        /// A positive number, or a decimal string such as `"500.52"` (sent exactly as given).
        required "amount": "number | string" = Rule::Amount;
        /// Your label, echoed in statuses and callbacks. No spaces.
        optional "label": "string" = Rule::Token;
        /// A comment (spaces allowed).
        optional "memo": "string" = Rule::Text;
        /// Where the gateway sends IPN callbacks for this operation: an absolute http(s) URL.
        /// Without it the cabinet's URL is used (`statusURL_wrong` when there is none).
        optional "statusURL": "string" = Rule::Url;
        /// How long the operation stays open, a positive whole number (the seed's example: 10).
        optional "period": "number" = Rule::PositiveInt;
    }

    /// Parameters of `payment` (`/api2/payment`): a P2P deposit.
    "PaymentParams" extends "CreateParams" => PAYMENT {
        /// Your id of the payer. No spaces.
        optional "userID": "string" = Rule::Token;
        /// Who pays (all fields optional).
        optional "userInfo": "UserInfo" = Rule::Object(USER_INFO);
        /// A preferred bank or requisite. The seed makes it required for some directions,
        /// "now for UZS": the builder requires it for every UZS `currID` of
        /// `paymentDirections()`. No spaces.
        optional "prefer": "string" = Rule::Token;
    }

    /// Parameters of `withdraw` (`/api2/withdraw`): a payout.
    "WithdrawParams" extends "CreateParams" => WITHDRAW {
        /// Where the payout goes, as the direction needs it (`PaymentDirection.requisite`):
        /// a 16-digit card number passing Luhn, a phone of 10 to 15 digits, an account number,
        /// a URL or a bank operation id.
        required "number": "string" = Rule::Requisite;
        /// The recipient's name (spaces allowed: `"Сидоров Джон"`).
        optional "info": "string" = Rule::Text;
    }

    /// Parameters of `acquire` (`/api2/acquire`): an e-com card deposit.
    "AcquireParams" extends "CreateParams" => ACQUIRE {
        /// The payer's card.
        required "from": "PayerCard" = Rule::Object(PAYER_CARD);
    }

    /// An operation by the gateway's id.
    "OperationRef" => OPERATION_REF {
        /// The gateway's id of the operation (`id` of a create's answer).
        required "id": "number | string" = Rule::Id;
    }

    /// Parameters of `acquireConfirm` (`/api2/acquire/confirm`): the payer's 3-D Secure code.
    "AcquireConfirmParams" extends "OperationRef" => ACQUIRE_CONFIRM {
        /// The code the payer received, digits only.
        required "code": "string" = Rule::Digits;
        /// Unix time in seconds; the SDK sends the current time when it is left out.
        optional "time": "number" = Rule::PositiveInt;
    }

    /// Parameters of `acquireResend` (`/api2/acquire/resend`).
    "AcquireResendParams" extends "OperationRef" => ACQUIRE_RESEND {
        /// Unix time in seconds; the SDK sends the current time when it is left out.
        optional "time": "number" = Rule::PositiveInt;
    }

    /// Parameters of `dispute` (`/api2/dispute`): contest an operation's outcome.
    "DisputeParams" extends "OperationRef" => DISPUTE {
        /// The amount the payer really paid.
        required "amount": "number | string" = Rule::Amount;
        /// What happened (spaces allowed).
        optional "comment": "string" = Rule::Text;
        /// Where the gateway sends the dispute's callbacks (else the cabinet's statusURL).
        optional "disputeURL": "string" = Rule::Url;
    }

    /// Parameters of `status` (`/api2/status`): give `id`, or `uniqID` to find an operation by
    /// your own id (what the SDK does after a create's answer was lost).
    "StatusParams" => STATUS {
        /// The gateway's id of the operation.
        optional "id": "number | string" = Rule::Id;
        /// Your uniqID of the operation.
        optional "uniqID": "string" = Rule::Token;
    }

    /// Parameters of `disputeStatus` (`/api2/dispute/status`).
    "DisputeStatusParams" => DISPUTE_STATUS {
        /// The dispute's id (what `dispute` returned).
        required "id": "number | string" = Rule::Id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_unique_names() {
        let tables = [
            USER_INFO,
            PAYER_CARD,
            CREATE,
            PAYMENT,
            WITHDRAW,
            ACQUIRE,
            OPERATION_REF,
            ACQUIRE_CONFIRM,
            ACQUIRE_RESEND,
            DISPUTE,
            STATUS,
            DISPUTE_STATUS,
        ];
        for table in tables {
            for (i, f) in table.iter().enumerate() {
                assert!(
                    table[i + 1..].iter().all(|g| g.name != f.name),
                    "{}",
                    f.name
                );
            }
        }
        assert!(PARAMS_TS.contains("export interface PaymentParams extends CreateParams {\n"));
        assert!(PARAMS_TS.contains("  /** The payer's card. */\n  from: PayerCard;\n"));
        assert!(PARAMS_TS.contains("  statusURL?: string;\n"));
        for ext in [PAYMENT, WITHDRAW, ACQUIRE] {
            assert!(ext.iter().all(|f| CREATE.iter().all(|c| c.name != f.name)));
        }
    }
}
