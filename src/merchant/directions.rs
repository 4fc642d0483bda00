//! The payment directions table of seed 002 ("Платежные направления"): each `currID` with its
//! currency, method, name and the requisite it works with ("Выдача": what a payer is shown on
//! a deposit, what a payout is sent to). The payout builder checks `number` against it.

use crate::php::PhpValue;
#[cfg(feature = "sdk")]
use tsify::Tsify;

/// How a direction moves money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "sdk", derive(Tsify))]
pub enum DirectionMethod {
    /// Person-to-person transfers to requisites the gateway hands out.
    #[cfg_attr(feature = "sdk", serde(rename = "P2P"))]
    P2p,
    /// Card acquiring (`acquire`): the payer enters a card on a payment page.
    #[cfg_attr(feature = "sdk", serde(rename = "E-COM"))]
    Ecom,
}

/// The requisite a direction works with: what a payout's `number` must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "sdk", derive(Tsify))]
#[cfg_attr(feature = "sdk", serde(rename_all = "camelCase"))]
pub enum DirectionRequisite {
    /// A 16-digit card number passing the Luhn check ("Номер карты").
    Card,
    /// A phone number, at least 10 digits, optionally after `+` ("Номер телефона").
    Phone,
    /// A bank account number ("Номер р/с", "номер счета"): 20 digits for a Russian account.
    Account,
    /// A payment page link ("url", the E-COM directions).
    Url,
    /// The id of a bank operation ("id операции").
    OperationId,
}

/// One row of the seed's payment directions table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "sdk", derive(Tsify))]
pub struct PaymentDirection {
    /// The direction's id, sent as `currID`.
    #[cfg_attr(feature = "sdk", serde(rename = "currID"))]
    pub curr_id: u32,
    /// ISO 4217 currency code (`YJS` as the seed prints it).
    pub curr: &'static str,
    /// P2P transfers to requisites, or card acquiring (E-COM).
    pub method: DirectionMethod,
    /// The name as the seed gives it (Russian).
    pub name: &'static str,
    /// What a payout to this direction needs as its `number`.
    pub requisite: DirectionRequisite,
}

const fn row(
    curr_id: u32,
    curr: &'static str,
    method: DirectionMethod,
    name: &'static str,
    requisite: DirectionRequisite,
) -> PaymentDirection {
    PaymentDirection {
        curr_id,
        curr,
        method,
        name,
        requisite,
    }
}

use DirectionMethod::{Ecom, P2p};
use DirectionRequisite::{Account, Card, OperationId, Phone, Url};

/// The table in the seed's order. The seed lists 60 twice (identical rows): it is here once.
/// Its examples also use currIDs 6, 7, 8 and 39, which the table does not have; those get
/// only the checks every direction gets.
pub const DIRECTIONS: &[PaymentDirection] = &[
    row(10, "KZT", P2p, "Банки Казахстана", Card),
    row(11, "UZS", P2p, "Банки Узбекистана", Card),
    row(23, "AZN", P2p, "Азербайджан M10", Phone),
    row(51, "AMD", P2p, "Армянский драм", Card),
    row(
        58,
        "KZT",
        P2p,
        "СМП система моментальных платежей, перевод по номеру телефона: все банки кроме Каспи",
        Phone,
    ),
    row(60, "AZN", P2p, "MPAY", Phone),
    row(62, "KZT", P2p, "MPAY", Phone),
    row(63, "TRY", P2p, "Turkish Lira", Card),
    row(64, "UAH", P2p, "Ukraine mono банк", Card),
    row(101, "KRW", P2p, "Корея", Card),
    row(105, "RUB", P2p, "вход Сбербанк расчетный счет", Account),
    row(86, "RUB", P2p, "Вход карты", Card),
    row(88, "RUB", P2p, "Вход номер тел", Phone),
    row(192, "RUB", P2p, "Тинькофф расчетный счет", Account),
    row(194, "RUB", P2p, "Альфа банк расчетный счет", Account),
    row(169, "UZS", P2p, "Вход банки Узбекистана", Card),
    row(89, "RUB", P2p, "Выплаты сбер", OperationId),
    row(83, "RUB", P2p, "выплаты все банки кроме сбера", Card),
    row(93, "RUB", P2p, "выплаты сбп все банки", Phone),
    row(109, "RUB", Ecom, "RUB", Url),
    row(110, "UZS", Ecom, "UZS", Url),
    row(153, "AZN", Ecom, "AZN", Url),
    row(160, "KZT", Ecom, "KZT", Url),
    row(157, "BYN", Ecom, "BYN", Url),
    row(184, "UZS", P2p, "все банки вход+выход", Card),
    row(185, "YJS", P2p, "все банки YJS", Card),
    row(19, "AZN", P2p, "capital bank вход+выход", Card),
    row(59, "AZN", P2p, "emanat кошелек вход+выход", Phone),
    row(151, "TRY", P2p, "iban счета все банки вход", Account),
    row(178, "TRY", P2p, "papara кошелек вход", Card),
    row(179, "TRY", P2p, "payfix кошелек вход", Card),
    row(183, "BYN", P2p, "карты все банки", Card),
    row(164, "BYN", P2p, "iban счета все банки", Account),
    row(145, "BYN", P2p, "каскад вход все банки", Card),
    row(159, "KZT", P2p, "Fridom KZ карты", Card),
    row(125, "KGS", P2p, "mban карты", Card),
    row(323, "VND", P2p, "карты ввод", Card),
    row(328, "VND", P2p, "карты вывод", Card),
    row(326, "VND", P2p, "номер счета ввод", Account),
    row(327, "VND", P2p, "номер счета вывод", Account),
    row(329, "IDR", P2p, "номер карты ввод", Card),
    row(334, "IDR", P2p, "номер карты вывод", Card),
    row(332, "IDR", P2p, "номер счета ввод", Account),
    row(333, "IDR", P2p, "номер счета вывод", Account),
];

impl DirectionMethod {
    /// The name in the typings.
    pub fn name(self) -> &'static str {
        match self {
            DirectionMethod::P2p => "P2P",
            DirectionMethod::Ecom => "E-COM",
        }
    }
}

impl DirectionRequisite {
    /// The name in the typings.
    pub fn name(self) -> &'static str {
        match self {
            DirectionRequisite::Card => "card",
            DirectionRequisite::Phone => "phone",
            DirectionRequisite::Account => "account",
            DirectionRequisite::Url => "url",
            DirectionRequisite::OperationId => "operationId",
        }
    }
}

impl PaymentDirection {
    /// The row as the object the package returns (field names as in the typings). Built by
    /// hand and handed over as one JSON text: serde's serializer would cost the wasm more.
    pub fn to_php(&self) -> PhpValue {
        let text = |s: &str| PhpValue::Str(s.to_owned());
        PhpValue::Array(vec![
            ("currID".to_owned(), PhpValue::Int(i64::from(self.curr_id))),
            ("curr".to_owned(), text(self.curr)),
            ("method".to_owned(), text(self.method.name())),
            ("name".to_owned(), text(self.name)),
            ("requisite".to_owned(), text(self.requisite.name())),
        ])
    }
}

/// The row of `curr_id`, if the seed's table has it.
pub fn direction(curr_id: u32) -> Option<&'static PaymentDirection> {
    DIRECTIONS.iter().find(|d| d.curr_id == curr_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_the_seeds() {
        let mut ids: Vec<u32> = DIRECTIONS.iter().map(|d| d.curr_id).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), before, "a currID is listed twice");
        assert_eq!(ids.len(), 44);
    }

    /// The hand-built objects use the names the typings (from serde's renames) declare.
    #[cfg(feature = "sdk")]
    #[test]
    fn objects_match_the_typings() {
        let decl = <PaymentDirection as Tsify>::DECL;
        let PhpValue::Array(fields) = DIRECTIONS[0].to_php() else {
            panic!()
        };
        for (key, _) in &fields {
            assert!(decl.contains(&format!("{key}: ")), "{key} in {decl}");
        }
        assert_eq!(decl.matches(": ").count(), fields.len(), "{decl}");
        let methods = <DirectionMethod as Tsify>::DECL;
        assert!(
            methods.contains(&format!("\"{}\" | \"{}\"", P2p.name(), Ecom.name())),
            "{methods}"
        );
        let requisites = <DirectionRequisite as Tsify>::DECL;
        let names: Vec<String> = [Card, Phone, Account, Url, OperationId]
            .iter()
            .map(|r| format!("\"{}\"", r.name()))
            .collect();
        assert!(requisites.contains(&names.join(" | ")), "{requisites}");
    }

    #[test]
    fn lookups() {
        let sber = direction(89).unwrap();
        assert_eq!((sber.curr, sber.requisite), ("RUB", OperationId));
        assert_eq!(direction(109).unwrap().method, Ecom);
        assert_eq!(direction(93).unwrap().requisite, Phone);
        assert_eq!(direction(6), None);
        let ecom: Vec<u32> = DIRECTIONS
            .iter()
            .filter(|d| d.method == Ecom)
            .map(|d| d.curr_id)
            .collect();
        assert_eq!(ecom, [109, 110, 153, 160, 157]);
        assert!(DIRECTIONS
            .iter()
            .all(|d| (d.method == Ecom) == (d.requisite == Url)));
    }
}
