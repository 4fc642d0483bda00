//! The widget's markup, rendered from the state as one HTML string. Our own text is escaped,
//! server HTML goes through the sanitizer, URLs must be http(s); elements carry stable ids so
//! the element can patch the DOM in place (focus and caret survive), `data-action` /
//! `data-input` name what a click or keystroke means, and `part` names what a host page may
//! style.

use super::amount::{display_wire, editable_wire, Amount};
use super::fields::{dom_name, is_select};
use super::i18n::{fold, t, Lang, T};
use super::qr::qr_svg;
use super::sanitize::{escape, plain_text, safe_href, sanitize};
use super::state::{is_final, payment_details, PaymentDetails, Screen, Side, Widget};
use super::wire::{Bid, DirectionField as Field};
use std::fmt::Write;

/// A button whose request is on its way. `aria-disabled`, not `disabled`: a disabled button
/// loses focus, and a keyboard user would land on the page's body (the core ignores a second
/// press anyway).
const BUSY: &str = " aria-disabled=\"true\" aria-busy=\"true\"";
/// Another button that may not be pressed meanwhile.
const OFF: &str = " aria-disabled=\"true\"";

impl Widget {
    /// The markup of the widget's current state.
    pub fn html(&self) -> String {
        let lang = self.lang;
        let mut h = String::with_capacity(8192);
        let _ = write!(
            h,
            "<div class=\"ow\" part=\"container\" lang=\"{}\" data-screen=\"{}\">",
            lang.tag(),
            match self.screen() {
                Screen::Amount => "amount",
                Screen::Details => "details",
                Screen::Bid => "bid",
            }
        );
        self.header(&mut h);
        if let Some(p) = &self.problem {
            h.push_str("<div class=\"banner\" role=\"alert\" part=\"banner\"><span>");
            h.push_str(&escape(&p.text(lang)));
            h.push_str("</span>");
            let (action, label) = if p.retry.is_some() {
                ("retry", T::Retry)
            } else {
                ("dismiss", T::Close)
            };
            let _ = write!(
                h,
                "<button type=\"button\" class=\"btn small\" part=\"button\" data-action=\"{action}\">{}</button></div>",
                t(lang, label)
            );
        }
        h.push_str("<div class=\"body\">");
        match self.screen() {
            Screen::Amount => self.amount_screen(&mut h),
            Screen::Details => self.details_screen(&mut h),
            Screen::Bid => self.bid_screen(&mut h),
        }
        h.push_str("</div>");
        if self.screen() == Screen::Amount {
            self.picker(&mut h);
        }
        h.push_str("</div>");
        h
    }

    fn header(&self, h: &mut String) {
        let lang = self.lang;
        let step = match (self.screen(), &self.bid) {
            (Screen::Amount, _) => 0,
            (Screen::Details, _) => 1,
            (Screen::Bid, Some(b)) if is_final(&b.status) => 3,
            (Screen::Bid, _) => 2,
        };
        let _ = write!(
            h,
            "<header class=\"head\" part=\"header\"><h2 id=\"title\" class=\"title\" tabindex=\"-1\" part=\"title\">{}</h2><ol class=\"steps\" part=\"steps\">",
            t(lang, T::Title)
        );
        for (i, label) in [T::StepAmount, T::StepDetails, T::StepPayment, T::StepDone]
            .into_iter()
            .enumerate()
        {
            let (class, current) = match i.cmp(&step) {
                std::cmp::Ordering::Less => ("done", ""),
                std::cmp::Ordering::Equal => ("now", " aria-current=\"step\""),
                std::cmp::Ordering::Greater => ("", ""),
            };
            let _ = write!(
                h,
                "<li class=\"{class}\"{current}><span class=\"dot\" aria-hidden=\"true\">{}</span><span class=\"step-label{}\">{}</span></li>",
                i + 1,
                // Only the current step is written out; screen readers hear every one.
                if i == step { "" } else { " sr" },
                t(lang, label)
            );
        }
        h.push_str("</ol></header>");
    }

    // ---- amount ----

    fn amount_screen(&self, h: &mut String) {
        let lang = self.lang;
        // Nothing to show yet: a placeholder while loading; after a failure only the banner
        // with its Retry (a shimmer would say something is still coming).
        if !self.pairs_loaded && self.problem.is_some() {
            return;
        }
        if !self.pairs_loaded || (self.direction.is_none() && self.problem.is_none()) {
            h.push_str("<div class=\"skeleton\" aria-busy=\"true\" aria-live=\"polite\"><div></div><div></div><div></div><span class=\"sr\">");
            h.push_str(t(lang, T::Loading));
            h.push_str("</span></div>");
            if !self.pairs_loaded {
                return;
            }
        }
        let dir = self.direction.as_ref();
        let quote = self.quote.as_ref();
        let (give_value, get_value) = match (self.side(), quote) {
            (Side::Give, Some(q)) => (self.amount.clone(), editable_wire(&q.sum_get, lang)),
            (Side::Give, None) => (self.amount.clone(), String::new()),
            (Side::Get, Some(q)) => (editable_wire(&q.sum_give, lang), self.amount.clone()),
            (Side::Get, None) => (String::new(), self.amount.clone()),
        };
        let error = self
            .amount_error
            .clone()
            .or_else(|| self.server_errors.get("amount").cloned());
        h.push_str("<div class=\"pair\">");
        for side in [Side::Give, Side::Get] {
            let (key, label, value, id, min, max, code) = match side {
                Side::Give => (
                    "give",
                    T::YouGive,
                    &give_value,
                    self.give.as_ref(),
                    dir.and_then(|d| d.min_give.as_deref()),
                    dir.and_then(|d| d.max_give.as_deref()),
                    dir.map_or("", |d| d.currency_code_give.as_str()),
                ),
                Side::Get => (
                    "get",
                    T::YouGet,
                    &get_value,
                    self.get.as_ref(),
                    dir.and_then(|d| d.min_get.as_deref()),
                    dir.and_then(|d| d.max_get.as_deref()),
                    dir.map_or("", |d| d.currency_code_get.as_str()),
                ),
            };
            let typed = self.side() == side;
            let invalid = typed && error.is_some();
            let waiting = !typed && self.quoting;
            let limits = limits_text(lang, min, max, code);
            // A screen reader hears the limits (and the error) with the amount's label.
            let mut described = Vec::new();
            if !limits.is_empty() {
                described.push(format!("amount-{key}-limits"));
            }
            if invalid {
                described.push("amount-error".to_string());
            }
            let _ = write!(
                h,
                "<div class=\"box{}\" part=\"amount-box\"><label class=\"box-label\" for=\"amount-{key}\">{}</label><div class=\"box-row\"><input id=\"amount-{key}\" class=\"amt\" part=\"input amount\" data-input=\"amount-{key}\" inputmode=\"decimal\" autocomplete=\"off\" spellcheck=\"false\" placeholder=\"{}\" size=\"{}\" value=\"{}\"{}{}{}>",
                if invalid { " invalid" } else { "" },
                t(lang, label),
                if waiting { "…" } else { "0" },
                // The amount is never cut off: the input is as wide as what is in it (the
                // currency's name gives way first).
                value.chars().count().clamp(4, 24) + 1,
                escape(value),
                if invalid { " aria-invalid=\"true\"" } else { "" },
                describedby(&described),
                if dir.is_none() { " disabled" } else { "" },
            );
            let (title, logo) = self.currency(id).unwrap_or(("", ""));
            let _ = write!(
                h,
                "<button id=\"cur-{key}\" type=\"button\" class=\"cur\" part=\"currency\" data-action=\"pick\" data-arg=\"{key}\" aria-haspopup=\"dialog\" aria-label=\"{}: {}. {}\">{}<span class=\"cur-name\" title=\"{4}\">{4}</span><span class=\"chev\" aria-hidden=\"true\"></span></button></div>",
                t(lang, label),
                escape(title),
                t(lang, T::ChooseCurrency),
                logo_img(logo, title),
                escape(title),
            );
            if !limits.is_empty() {
                let _ = write!(
                    h,
                    "<p id=\"amount-{key}-limits\" class=\"box-foot\">{}</p>",
                    escape(&limits)
                );
            }
            h.push_str("</div>");
        }
        h.push_str("</div>");
        // The other input fills in silently: a screen reader hears the quote from here, a
        // region that is always there (one inserted with its text is often not read).
        let _ = write!(
            h,
            "<p id=\"quote-said\" class=\"sr\" role=\"status\">{}</p>",
            escape(&self.quote_said())
        );
        if let Some(e) = &error {
            let _ = write!(
                h,
                "<p id=\"amount-error\" class=\"err\" role=\"alert\" part=\"error\">{}</p>",
                escape(e)
            );
        }
        if let Some((side, sum)) = self.offered() {
            let code = dir.map_or("", |d| match side {
                Side::Give => d.currency_code_give.as_str(),
                Side::Get => d.currency_code_get.as_str(),
            });
            let _ = write!(
                h,
                "<div class=\"notice\" role=\"status\" part=\"notice\"><span>{} <b>{} {}</b>.</span><button type=\"button\" class=\"btn small\" part=\"button\" data-action=\"use-quote\">{}</button></div>",
                t(lang, T::Changed),
                escape(&display_wire(sum, lang)),
                escape(code),
                t(lang, T::UseAmount)
            );
        }
        if let Some(d) = dir {
            h.push_str("<dl class=\"facts\" part=\"quote\" aria-live=\"polite\">");
            let (course_give, course_get, reserve, com_give, com_get) = match quote {
                Some(q) => (
                    &q.course_give,
                    &q.course_get,
                    &q.reserve,
                    &q.com_give,
                    &q.com_get,
                ),
                None => (
                    &d.course_give,
                    &d.course_get,
                    &d.reserve,
                    &d.com_give,
                    &d.com_get,
                ),
            };
            fact(
                h,
                t(lang, T::Rate),
                &escape(&format!(
                    "{} {} = {} {}",
                    display_wire(course_give, lang),
                    d.currency_code_give,
                    display_wire(course_get, lang),
                    d.currency_code_get
                )),
            );
            fact(
                h,
                t(lang, T::Reserve),
                &escape(&format!(
                    "{} {}",
                    display_wire(reserve, lang),
                    d.currency_code_get
                )),
            );
            h.push_str("</dl>");
            for com in [com_give, com_get] {
                if !com.trim().is_empty() {
                    let _ = write!(h, "<div class=\"fee rich\">{}</div>", sanitize(com));
                }
            }
            if !d.info.frozen_text.trim().is_empty() {
                let _ = write!(
                    h,
                    "<div class=\"notice warn\" role=\"status\" part=\"notice\"><div><b>{}</b>{}</div></div>",
                    t(lang, T::Frozen),
                    sanitize(&d.info.frozen_text)
                );
            }
        }
        let _ = write!(
            h,
            "<button type=\"button\" class=\"btn primary wide\" part=\"button button-primary\" data-action=\"continue\"{}>{}</button>",
            if self.can_continue() { "" } else { " disabled" },
            if self.quoting {
                t(lang, T::Quoting)
            } else {
                t(lang, T::Continue)
            }
        );
    }

    /// `You get: 61,206.92 RUB`, the quoted side of a quote that kept the typed amount (a
    /// changed one is told by its notice); empty otherwise.
    fn quote_said(&self) -> String {
        let (Some(q), Some(d)) = (self.quote.as_ref().filter(|q| !q.changed), &self.direction)
        else {
            return String::new();
        };
        let (label, sum, code) = match self.side() {
            Side::Give => (T::YouGet, &q.sum_get, &d.currency_code_get),
            Side::Get => (T::YouGive, &q.sum_give, &d.currency_code_give),
        };
        format!(
            "{}: {} {code}",
            t(self.lang, label),
            display_wire(sum, self.lang)
        )
    }

    fn picker(&self, h: &mut String) {
        let Some(side) = self.picker else {
            return;
        };
        let lang = self.lang;
        let (list, current) = match side {
            Side::Give => (self.give_currencies(), self.give.as_deref()),
            Side::Get => (self.get_currencies(), self.get.as_deref()),
        };
        let _ = write!(
            h,
            "<div class=\"scrim\" data-action=\"close-picker\"></div><div class=\"picker\" part=\"picker\" role=\"dialog\" aria-modal=\"true\" aria-labelledby=\"picker-title\"><div class=\"picker-head\"><h3 id=\"picker-title\">{}</h3><button type=\"button\" class=\"icon\" part=\"button\" data-action=\"close-picker\" aria-label=\"{}\"><span aria-hidden=\"true\">✕</span></button></div><div class=\"search\"><label for=\"search\" class=\"sr\">{}</label><input id=\"search\" type=\"search\" part=\"input search\" data-input=\"search\" placeholder=\"{}\" autocomplete=\"off\" spellcheck=\"false\" value=\"{}\"></div><ul class=\"options\" role=\"list\">",
            t(lang, if side == Side::Give { T::YouGive } else { T::YouGet }),
            t(lang, T::Close),
            t(lang, T::SearchLabel),
            t(lang, T::Search),
            escape(&self.search)
        );
        let needle = self.search.trim().chars().map(fold).collect::<String>();
        let mut shown = 0;
        for (id, title, logo) in list {
            if !needle.is_empty()
                && !title
                    .chars()
                    .map(fold)
                    .collect::<String>()
                    .contains(&needle)
            {
                continue;
            }
            shown += 1;
            let on = current == Some(id);
            let _ = write!(
                h,
                "<li data-key=\"{0}\"><button type=\"button\" class=\"opt{1}\" part=\"option\" data-action=\"choose\" data-arg=\"{0}\" data-option{2}>{3}<span class=\"cur-name\">{4}</span>{5}</button></li>",
                escape(id),
                if on { " on" } else { "" },
                if on { " aria-current=\"true\"" } else { "" },
                logo_img(logo, title),
                escape(title),
                if on { "<span class=\"tick\" aria-hidden=\"true\"></span>" } else { "" }
            );
        }
        h.push_str("</ul>");
        if shown == 0 {
            let _ = write!(
                h,
                "<p class=\"empty\" role=\"status\">{}</p>",
                t(lang, T::NothingFound)
            );
        }
        h.push_str("</div>");
    }

    // ---- details ----

    fn details_screen(&self, h: &mut String) {
        let lang = self.lang;
        let Some(dir) = &self.direction else {
            return;
        };
        let quote = self.quote.as_ref();
        let (give_sum, get_sum) = quote.map_or((String::new(), String::new()), |q| {
            (q.sum_give_com.clone(), q.sum_get_com.clone())
        });
        let (give_title, give_logo) = self.currency(self.give.as_ref()).unwrap_or(("", ""));
        let (get_title, get_logo) = self.currency(self.get.as_ref()).unwrap_or(("", ""));
        let _ = write!(
            h,
            "<div id=\"summary\" class=\"summary\" tabindex=\"-1\" part=\"summary\" aria-live=\"polite\"><div class=\"sum-side\">{}<div><span class=\"sum-label\">{}</span><strong>{} {}</strong></div></div><span class=\"arrow\" aria-hidden=\"true\"></span><div class=\"sum-side\">{}<div><span class=\"sum-label\">{}</span><strong>{} {}</strong></div></div></div>",
            logo_img(give_logo, give_title),
            t(lang, T::YouGive),
            escape(&display_wire(&give_sum, lang)),
            escape(&dir.currency_code_give),
            logo_img(get_logo, get_title),
            t(lang, T::YouGet),
            if self.quoting { "…".to_string() } else { escape(&display_wire(&get_sum, lang)) },
            escape(&dir.currency_code_get),
        );
        if let Some(e) = self.server_errors.get("amount") {
            let _ = write!(
                h,
                "<p class=\"err\" role=\"alert\" part=\"error\">{}</p>",
                escape(e)
            );
        }
        let _ = write!(
            h,
            "<form class=\"form\" data-submit=\"create\" novalidate><h3 class=\"section\">{}</h3>",
            t(lang, T::Details)
        );
        for field in dir.all_fields() {
            self.field(h, field);
        }
        if !dir.info.timeline_text.trim().is_empty() {
            let _ = write!(
                h,
                "<details class=\"timeline\" part=\"timeline\"><summary>{}</summary><div class=\"rich\">{}</div></details>",
                t(lang, T::Timeline),
                sanitize(&dir.info.timeline_text)
            );
        }
        if !dir.info.before_button_text.trim().is_empty() {
            let _ = write!(
                h,
                "<div class=\"fine rich\">{}</div>",
                sanitize(&dir.info.before_button_text)
            );
        }
        let _ = write!(
            h,
            "<div class=\"actions\"><button type=\"button\" class=\"btn ghost\" part=\"button button-secondary\" data-action=\"back\"{}>{}</button><button type=\"submit\" class=\"btn primary\" part=\"button button-primary\"{}>{}</button></div></form>",
            if self.creating { OFF } else { "" },
            t(lang, T::Back),
            if self.creating { BUSY } else { "" },
            t(lang, if self.creating { T::Creating } else { T::CreateBid })
        );
    }

    fn field(&self, h: &mut String, f: &Field) {
        let lang = self.lang;
        let id = format!("f-{}", dom_name(&f.name));
        let value = self.values.get(&f.name).map_or("", String::as_str);
        let error = self.field_error(f);
        let mut described = Vec::new();
        if !f.tooltip.trim().is_empty() {
            described.push(format!("{id}-tip"));
        }
        if error.is_some() {
            described.push(format!("{id}-err"));
        }
        let aria = format!(
            "{}{}{}",
            if f.req { " aria-required=\"true\"" } else { "" },
            if error.is_some() {
                " aria-invalid=\"true\""
            } else {
                ""
            },
            describedby(&described)
        );
        let _ = write!(
            h,
            "<div class=\"field{}\" part=\"field\"><label for=\"{id}\" part=\"label\"><span class=\"rich\">{}</span>{}</label>",
            if error.is_some() { " invalid" } else { "" },
            sanitize(&f.label),
            if f.req {
                format!("<span class=\"req\" title=\"{0}\"><span aria-hidden=\"true\">*</span><span class=\"sr\">({0})</span></span>", t(lang, T::Required))
            } else {
                String::new()
            }
        );
        let data = escape(&format!("f:{}", f.name));
        if is_select(f) {
            let _ = write!(
                h,
                "<select id=\"{id}\" part=\"input select\" data-input=\"{data}\"{aria}>"
            );
            for option in &f.options {
                let (key, label) = (&option.value, &option.label);
                let text = if key == "0" {
                    t(lang, T::NotSelected).to_string()
                } else {
                    plain_text(label)
                };
                let _ = write!(
                    h,
                    "<option value=\"{}\"{}>{}</option>",
                    escape(key),
                    if key == value { " selected" } else { "" },
                    escape(&text)
                );
            }
            h.push_str("</select>");
        } else {
            let kind = if f.name == "cf6" { "email" } else { "text" };
            let _ = write!(
                h,
                "<input id=\"{id}\" type=\"{kind}\" part=\"input\" data-input=\"{data}\" autocomplete=\"off\" spellcheck=\"false\" value=\"{}\"{aria}>",
                escape(value)
            );
        }
        if !f.tooltip.trim().is_empty() {
            let _ = write!(
                h,
                "<div id=\"{id}-tip\" class=\"tip rich\">{}</div>",
                sanitize(&f.tooltip)
            );
        }
        if let Some(e) = error {
            let _ = write!(
                h,
                "<p id=\"{id}-err\" class=\"err\" part=\"error\">{}</p>",
                escape(&e)
            );
        }
        h.push_str("</div>");
    }

    // ---- bid ----

    fn bid_screen(&self, h: &mut String) {
        let lang = self.lang;
        let Some(bid) = &self.bid else {
            if self.bid_loading {
                h.push_str("<div class=\"skeleton\" aria-busy=\"true\"><div></div><div></div><div></div><span class=\"sr\">");
                h.push_str(t(lang, T::Loading));
                h.push_str("</span></div>");
            }
            return;
        };
        if is_final(&bid.status) {
            return self.final_screen(h, bid);
        }
        let _ = write!(
            h,
            "<div class=\"bidhead\"><span>{} <b>#{}</b></span><span class=\"badge\" part=\"status\" role=\"status\" data-status=\"{}\">{}</span></div>",
            t(lang, T::Order),
            escape(&bid.id),
            escape(&bid.status),
            escape(&status_title(bid))
        );
        let payable = bid.api_actions.action_type != "finished";
        if payable {
            self.payment(h, bid);
        } else {
            let _ = write!(
                h,
                "<div class=\"progress\" part=\"progress\"><span class=\"spinner\" aria-hidden=\"true\"></span><div><strong>{}</strong><p>{} {} → {} {}</p></div></div>",
                escape(&status_title(bid)),
                escape(&display_wire(&bid.amount_give, lang)),
                escape(&bid.currency_code_give),
                escape(&display_wire(&bid.amount_get, lang)),
                escape(&bid.currency_code_get),
            );
            if !bid.api_actions.instruction.trim().is_empty() {
                let _ = write!(
                    h,
                    "<div class=\"instruction rich\" part=\"instruction\">{}</div>",
                    sanitize(&bid.api_actions.instruction)
                );
            }
        }
        let _ = write!(h, "<p class=\"hint\">{}", t(lang, T::StatusHint));
        if let Some(url) = page_url(&bid.url) {
            let _ = write!(
                h,
                " <a href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\" part=\"link\">{}</a>",
                escape(&url),
                t(lang, T::OpenBid)
            );
        }
        h.push_str("</p>");
    }

    fn payment(&self, h: &mut String, bid: &Bid) {
        let lang = self.lang;
        let copied = self.copied.as_ref();
        // Shown only as they will be copied and scanned: in the order they are stored (see
        // the stylesheet's `.pay-text`), and not at all with a character that could make the
        // two differ.
        let details = payment_details(bid);
        match details {
            None => {
                let _ = write!(
                    h,
                    "<p class=\"err\" role=\"alert\" part=\"error\">{}</p>",
                    t(lang, T::HiddenCharacters)
                );
            }
            Some(pay) => self.pay_to(h, bid, pay, copied),
        }
        if !bid.api_actions.instruction.trim().is_empty() {
            let _ = write!(
                h,
                "<div class=\"instruction rich\" part=\"instruction\">{}</div>",
                sanitize(&bid.api_actions.instruction)
            );
        }
        if self.confirm_cancel {
            let _ = write!(
                h,
                "<div class=\"confirm\" role=\"alertdialog\" aria-labelledby=\"confirm-text\"><p id=\"confirm-text\">{}</p><div class=\"actions\"><button type=\"button\" class=\"btn ghost\" part=\"button button-secondary\" data-action=\"cancel-no\">{}</button><button type=\"button\" class=\"btn danger\" part=\"button button-danger\" data-action=\"cancel-yes\"{}>{}</button></div></div>",
                t(lang, T::CancelConfirm),
                t(lang, T::CancelNo),
                if self.acting { BUSY } else { "" },
                t(lang, T::CancelYes)
            );
            return;
        }
        h.push_str("<div class=\"actions\">");
        let actions = &bid.api_actions;
        match actions.cancel.as_str() {
            "api" => {
                let _ = write!(
                    h,
                    "<button type=\"button\" class=\"btn ghost\" part=\"button button-secondary\" data-action=\"cancel\"{}>{}</button>",
                    if self.acting { OFF } else { "" },
                    t(lang, T::CancelBid)
                );
            }
            other => link_button(
                h,
                other,
                t(lang, T::CancelBid),
                "btn ghost",
                "button button-secondary",
            ),
        }
        match actions.pay.as_str() {
            _ if details.is_none() => {}
            "api" => {
                let _ = write!(
                    h,
                    "<button type=\"button\" class=\"btn primary\" part=\"button button-primary\" data-action=\"paid\"{}>{}</button>",
                    if self.acting { BUSY } else { "" },
                    t(lang, T::IPaid)
                );
            }
            other => link_button(
                h,
                other,
                t(lang, T::Pay),
                "btn primary",
                "button button-primary link",
            ),
        }
        h.push_str("</div>");
    }

    fn pay_to(
        &self,
        h: &mut String,
        bid: &Bid,
        pay: PaymentDetails,
        copied: Option<&(String, bool)>,
    ) {
        let lang = self.lang;
        let _ = write!(
            h,
            "<div class=\"due\" part=\"amount-due\"><span class=\"due-label\" id=\"due-label\">{}</span><div class=\"due-row\"><strong id=\"pay-amount\" aria-labelledby=\"due-label\"><span id=\"pay-sum\" class=\"pay-text\">{}</span> {}</strong>{}</div></div>",
            t(lang, T::ToPay),
            escape(&display_wire(pay.amount, lang)),
            escape(&bid.currency_code_give),
            copy_button(lang, "amount", copied)
        );
        if let Some(address) = pay.address {
            let _ = write!(
                h,
                "<div class=\"address\" part=\"address\"><div class=\"addr-text\"><span class=\"due-label\" id=\"addr-label\">{}</span><code id=\"pay-address\" class=\"pay-text\" aria-labelledby=\"addr-label\">{}</code>{}</div>",
                t(lang, T::PayTo),
                escape(address),
                copy_button(lang, "address", copied)
            );
            if let Some(svg) = qr_svg(address, t(lang, T::QrLabel)) {
                let _ = write!(h, "<div class=\"qr\" part=\"qr\">{svg}</div>");
            }
            h.push_str("</div>");
        }
        // Networks such as XRP, XLM or TON credit a shared address by its tag: without it the
        // payment is lost, so it gets its own box and copy button.
        if let Some(tag) = pay.tag {
            let _ = write!(
                h,
                "<div class=\"due\" part=\"dest-tag\"><span class=\"due-label\" id=\"tag-label\">{}</span><div class=\"due-row\"><code id=\"pay-tag\" class=\"pay-text\" aria-labelledby=\"tag-label\" aria-describedby=\"tag-hint\">{}</code>{}</div><p id=\"tag-hint\" class=\"tip\">{}</p></div>",
                t(lang, T::DestTag),
                escape(tag),
                copy_button(lang, "tag", copied),
                t(lang, T::DestTagHint)
            );
        }
    }

    fn final_screen(&self, h: &mut String, bid: &Bid) {
        let lang = self.lang;
        let (icon, title, text) = match bid.status.as_str() {
            "success" => ("ok", T::Success, Some(T::SuccessText)),
            "cancel" => ("no", T::Cancelled, Some(T::CancelledText)),
            _ => ("no", T::Finished, None),
        };
        // A finished order is told in the past only when the exchange happened.
        let (gave, got) = if bid.status == "success" {
            (T::YouGave, T::YouGot)
        } else {
            (T::ToGive, T::ToGet)
        };
        let _ = write!(
            h,
            "<div class=\"final\" part=\"final\"><span class=\"big-icon {icon}\" aria-hidden=\"true\"></span><h3 role=\"status\">{}</h3><p class=\"badge\" part=\"status\" data-status=\"{}\">{}</p>",
            t(lang, title),
            escape(&bid.status),
            escape(&status_title(bid))
        );
        if let Some(text) = text {
            let _ = write!(h, "<p>{}</p>", t(lang, text));
        }
        let _ = write!(
            h,
            "<dl class=\"facts\"><div><dt>{}</dt><dd>#{}</dd></div><div><dt>{}</dt><dd>{} {}</dd></div><div><dt>{}</dt><dd>{} {}</dd></div></dl><button type=\"button\" class=\"btn primary wide\" part=\"button button-primary\" data-action=\"new\">{}</button></div>",
            t(lang, T::Order),
            escape(&bid.id),
            t(lang, gave),
            escape(&display_wire(&bid.amount_give, lang)),
            escape(&bid.currency_code_give),
            t(lang, got),
            escape(&display_wire(&bid.amount_get, lang)),
            escape(&bid.currency_code_get),
            t(lang, T::NewExchange)
        );
    }
}

/// The server's status title, or the status code when it sent none.
fn status_title(bid: &Bid) -> String {
    let title = plain_text(&bid.status_title);
    if title.trim().is_empty() {
        bid.status.clone()
    } else {
        title
    }
}

/// ` aria-describedby="a b"`, or nothing for no ids.
fn describedby(ids: &[String]) -> String {
    if ids.is_empty() {
        String::new()
    } else {
        format!(" aria-describedby=\"{}\"", ids.join(" "))
    }
}

fn fact(h: &mut String, label: &str, value_html: &str) {
    let _ = write!(h, "<div><dt>{label}</dt><dd>{value_html}</dd></div>");
}

/// `min 0,0005 · max 3 BTC`, from limits the server may send as "no".
fn limits_text(lang: Lang, min: Option<&str>, max: Option<&str>, code: &str) -> String {
    let mut parts = Vec::new();
    if let Some(m) = min.and_then(Amount::from_wire).filter(|m| !m.is_zero()) {
        parts.push(format!("{} {}", t(lang, T::Min), m.display(lang)));
    }
    if let Some(m) = max.and_then(Amount::from_wire) {
        parts.push(format!("{} {}", t(lang, T::Max), m.display(lang)));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{} {code}", parts.join(" · "))
    }
}

/// A web page's (or image's) URL if it is http(s): `safe_href` without `mailto:`.
fn page_url(url: &str) -> Option<String> {
    safe_href(url).filter(|u| !u.to_ascii_lowercase().starts_with("mailto:"))
}

/// A currency logo if its URL is http(s), else the title's first letter.
fn logo_img(url: &str, title: &str) -> String {
    match page_url(url) {
        Some(src) => format!(
            "<img class=\"logo\" part=\"logo\" src=\"{}\" alt=\"\" width=\"28\" height=\"28\" loading=\"lazy\" referrerpolicy=\"no-referrer\">",
            escape(&src)
        ),
        None => format!(
            "<span class=\"logo ph\" part=\"logo\" aria-hidden=\"true\">{}</span>",
            escape(&title.chars().next().map(String::from).unwrap_or_default())
        ),
    }
}

fn copy_button(lang: Lang, what: &str, copied: Option<&(String, bool)>) -> String {
    // How the last copy of this one went: on the clipboard, or only selected for the user.
    let (class, text) = match copied {
        Some((w, true)) if w == what => (" done", T::Copied),
        Some((w, false)) if w == what => (" failed", T::CopySelected),
        _ => ("", T::Copy),
    };
    let label = match what {
        "address" => t(lang, T::PayTo),
        "tag" => t(lang, T::DestTag),
        _ => t(lang, T::ToPay),
    };
    format!(
        "<button type=\"button\" id=\"copy-{what}\" class=\"btn small copy{class}\" part=\"button copy\" data-action=\"copy\" data-arg=\"{what}\" aria-label=\"{}: {}\"><span aria-live=\"polite\">{}</span></button>",
        t(lang, T::Copy),
        label,
        t(lang, text)
    )
}

/// An action the exchanger offers as a URL (pay or cancel on its own page); nothing when
/// it is `disabled` or not an http(s) link.
fn link_button(h: &mut String, url: &str, label: &str, class: &str, part: &str) {
    if let Some(href) = page_url(url) {
        let _ = write!(
            h,
            "<a class=\"{class}\" part=\"{part}\" href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\">{label}</a>",
            escape(&href)
        );
    }
}
