//! What the element and the core say to each other: an event as one JSON object with a `t`
//! tag in, the effects as one JSON array out (the shapes are in `obmennik-widget.js`).
//! Both are read and written by hand over the crate's JSON reader: serde's tagged-enum
//! machinery and serde_json's writer cost more wasm than the whole state machine.

use super::state::{Detail, Effect, Event, Texts};
use super::wire::member;
use crate::json::{decode, encode_str};
use crate::php::PhpValue;

impl Event {
    /// Reads one event from the element; `None` for anything that is not one.
    pub fn from_json(text: &str) -> Option<Event> {
        let value = decode(text).ok()?;
        let text = |key: &str| match member(&value, key) {
            Some(PhpValue::Str(s)) => Some(s.clone()),
            _ => None,
        };
        // A missing optional text is empty, as the element leaves out what it does not have.
        let or_empty = |key: &str| text(key).unwrap_or_default();
        let number = |key: &str| match member(&value, key) {
            Some(PhpValue::Int(n)) => Some(*n),
            _ => None,
        };
        Some(match text("t")?.as_str() {
            "start" => Event::Start {
                resume: text("resume"),
                nonce: or_empty("nonce"),
            },
            "attr" => Event::Attr {
                name: text("name")?,
                value: text("value"),
            },
            "response" => Event::Response {
                req: u32::try_from(number("req")?).ok()?,
                status: u16::try_from(number("status")?).ok()?,
                body: or_empty("body"),
                // The answer's Retry-After header as sent, read against the page's clock.
                wait_ms: text("retry_after").and_then(|value| {
                    crate::http::retry_after_ms(&value, number("now").unwrap_or(0) as f64)
                }),
            },
            "timer" => Event::Timer { id: text("id")? },
            "click" => Event::Click {
                action: text("action")?,
                arg: or_empty("arg"),
            },
            "input" => Event::Input {
                name: text("name")?,
                value: text("value")?,
            },
            "blur" => Event::Blur {
                name: text("name")?,
            },
            "key" => Event::Key { key: text("key")? },
            "copied" => Event::Copied {
                what: text("what")?,
                ok: matches!(member(&value, "ok"), Some(PhpValue::Bool(true))),
            },
            _ => return None,
        })
    }
}

/// Writes a JSON object field by field.
struct Obj<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Obj<'a> {
    fn new(out: &'a mut String) -> Obj<'a> {
        out.push('{');
        Obj { out, empty: true }
    }

    fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        encode_str(key, self.out);
        self.out.push(':');
        self.out
    }

    fn str(&mut self, key: &str, value: &str) -> &mut Self {
        encode_str(value, self.key(key));
        self
    }

    /// The amounts and currency codes a bid and a quote both carry, under their wire names.
    fn trade(&mut self, amounts: [&str; 2], codes: [&str; 2]) -> &mut Self {
        self.str("amount_give", amounts[0])
            .str("amount_get", amounts[1])
            .str("currency_code_give", codes[0])
            .str("currency_code_get", codes[1])
    }

    fn num(&mut self, key: &str, value: i64) -> &mut Self {
        let out = self.key(key);
        out.push_str(&value.to_string());
        self
    }

    fn bool(&mut self, key: &str, value: bool) -> &mut Self {
        self.key(key).push_str(if value { "true" } else { "false" });
        self
    }

    fn map(&mut self, key: &str, map: &Texts) -> &mut Self {
        let mut inner = Obj::new(self.key(key));
        for (k, v) in map.iter() {
            inner.str(k, v);
        }
        inner.end();
        self
    }

    fn end(&mut self) {
        self.out.push('}');
    }
}

impl Effect {
    fn write_json(&self, out: &mut String) {
        let mut o = Obj::new(out);
        match self {
            Effect::Fetch {
                req,
                method,
                params,
                lang,
            } => o
                .str("t", "fetch")
                .num("req", (*req).into())
                .str("method", method)
                .map("params", params)
                .str("lang", lang),
            Effect::Timer { id, ms } => o.str("t", "timer").str("id", id).num("ms", (*ms).into()),
            Effect::ClearTimer { id } => o.str("t", "clear_timer").str("id", id),
            Effect::Save { hash } => {
                o.str("t", "save");
                match hash {
                    Some(hash) => o.str("hash", hash),
                    None => {
                        o.key("hash").push_str("null");
                        &mut o
                    }
                }
            }
            Effect::Emit { name, detail } => {
                o.str("t", "emit").str("name", name);
                detail.write_json(o.key("detail"));
                &mut o
            }
            Effect::Copy { text, select, what } => o
                .str("t", "copy")
                .str("text", text)
                .str("select", select)
                .str("what", what),
            Effect::Warn { message } => o.str("t", "warn").str("message", message),
            Effect::Focus { selector } => o.str("t", "focus").str("selector", selector),
        }
        .end();
    }
}

impl Detail {
    fn write_json(&self, out: &mut String) {
        let mut o = Obj::new(out);
        match self {
            Detail::Ready {
                lang,
                directions,
                resumed,
            } => o
                .str("lang", lang)
                .num("directions", i64::try_from(*directions).unwrap_or(i64::MAX))
                .bool("resumed", *resumed),
            Detail::Bid(b) => o
                .str("id", &b.id)
                .str("hash", &b.hash)
                .str("status", &b.status)
                .str("status_title", &b.status_title)
                .str("url", &b.url)
                .trade(
                    [&b.amount_give, &b.amount_get],
                    [&b.currency_code_give, &b.currency_code_get],
                )
                .bool("final", b.is_final),
            Detail::Quote(q) => o
                .str("direction_id", &q.direction_id)
                .trade(
                    [&q.amount_give, &q.amount_get],
                    [&q.currency_code_give, &q.currency_code_get],
                )
                .bool("changed", q.changed),
            Detail::Error {
                kind,
                code,
                message,
                method,
            } => o
                .str("kind", kind)
                .num("code", *code)
                .str("message", message)
                .str("method", method),
        }
        .end();
    }
}

/// The effects as the JSON array the element runs.
pub fn effects_json(effects: &[Effect]) -> String {
    let mut out = String::from("[");
    for (i, effect) in effects.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        effect.write_json(&mut out);
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::widget::state::BidDetail;

    #[test]
    fn events_are_read_and_junk_is_refused() {
        assert_eq!(
            Event::from_json(r#"{"t":"click","action":"paid"}"#),
            Some(Event::Click {
                action: "paid".into(),
                arg: String::new()
            })
        );
        assert_eq!(
            Event::from_json(r#"{"t":"start","resume":null,"nonce":"ab"}"#),
            Some(Event::Start {
                resume: None,
                nonce: "ab".into()
            })
        );
        assert_eq!(
            Event::from_json(r#"{"t":"response","req":3,"status":200,"body":"{\"data\":1}"}"#),
            Some(Event::Response {
                req: 3,
                status: 200,
                body: r#"{"data":1}"#.into(),
                wait_ms: None
            })
        );
        assert_eq!(
            Event::from_json(
                r#"{"t":"response","req":3,"status":429,"body":"","retry_after":"7","now":1720206260000}"#
            ),
            Some(Event::Response {
                req: 3,
                status: 429,
                body: String::new(),
                wait_ms: Some(7_000)
            })
        );
        assert_eq!(
            Event::from_json(
                r#"{"t":"response","req":3,"status":429,"body":"","retry_after":"Fri, 05 Jul 2024 19:04:30 GMT","now":1720206260000}"#
            ),
            Some(Event::Response {
                req: 3,
                status: 429,
                body: String::new(),
                wait_ms: Some(10_000)
            }),
            "an HTTP date is read against the page's clock"
        );
        assert_eq!(
            Event::from_json(r#"{"t":"attr","name":"lang","value":null}"#),
            Some(Event::Attr {
                name: "lang".into(),
                value: None
            })
        );
        for junk in [
            r#"{"t":"nope"}"#,
            r#"{"t":"click"}"#,
            r#"{"t":"response","req":-1,"status":200}"#,
            r#"{"t":"response","req":1,"status":70000}"#,
            r#"{"t":"input","name":"x","value":5}"#,
            "[]",
            "not json",
        ] {
            assert_eq!(Event::from_json(junk), None, "{junk}");
        }
    }

    #[test]
    fn effects_are_written_as_the_element_reads_them() {
        let fx = [
            Effect::Timer { id: "poll", ms: 5 },
            Effect::ClearTimer { id: "quote" },
            Effect::Save { hash: None },
            Effect::Save {
                hash: Some("h\"1".into()),
            },
            Effect::Fetch {
                req: 2,
                method: "get_calc",
                params: {
                    let mut p = Texts::default();
                    p.insert("cd".into(), "cf1=a&b".into());
                    p
                },
                lang: "ru",
            },
            Effect::Emit {
                name: "obmennik:ready",
                detail: Detail::Ready {
                    lang: "en",
                    directions: 12,
                    resumed: false,
                },
            },
            Effect::Emit {
                name: "obmennik:error",
                detail: Detail::Error {
                    kind: "maintenance".into(),
                    code: 1,
                    message: "Later.\n".into(),
                    method: "get_calc",
                },
            },
            Effect::Copy {
                text: "bc1q".into(),
                select: "#pay-address".into(),
                what: "address".into(),
            },
            Effect::Warn {
                message: "give=\"x\"".into(),
            },
            Effect::Focus {
                selector: "#title".into(),
            },
        ];
        assert_eq!(
            effects_json(&fx),
            concat!(
                r#"[{"t":"timer","id":"poll","ms":5},{"t":"clear_timer","id":"quote"},"#,
                r#"{"t":"save","hash":null},{"t":"save","hash":"h\"1"},"#,
                r#"{"t":"fetch","req":2,"method":"get_calc","params":{"cd":"cf1=a&b"},"lang":"ru"},"#,
                r#"{"t":"emit","name":"obmennik:ready","detail":{"lang":"en","directions":12,"resumed":false}},"#,
                r#"{"t":"emit","name":"obmennik:error","detail":{"kind":"maintenance","code":1,"message":"Later.\n","method":"get_calc"}},"#,
                r##"{"t":"copy","text":"bc1q","select":"#pay-address","what":"address"},{"t":"warn","message":"give=\"x\""},{"t":"focus","selector":"#title"}]"##
            )
        );
        let bid = BidDetail {
            id: "1".into(),
            hash: "h".into(),
            status: "success".into(),
            status_title: "Done".into(),
            url: "https://x/".into(),
            amount_give: "0.01".into(),
            amount_get: "612".into(),
            currency_code_give: "BTC".into(),
            currency_code_get: "RUB".into(),
            is_final: true,
        };
        let json = effects_json(&[Effect::Emit {
            name: "obmennik:status",
            detail: Detail::Bid(bid),
        }]);
        // Every field of ObmennikBidDetail (obmennik-widget.d.ts), and valid JSON.
        let value = decode(&json).unwrap();
        let PhpValue::List(items) = value else {
            panic!("{json}")
        };
        let detail = member(&items[0], "detail").unwrap();
        let PhpValue::Array(fields) = detail else {
            panic!("{json}")
        };
        let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "id",
                "hash",
                "status",
                "status_title",
                "url",
                "amount_give",
                "amount_get",
                "currency_code_give",
                "currency_code_get",
                "final"
            ]
        );
    }
}
