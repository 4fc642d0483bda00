//! The widget's own texts in Russian and English. The language is the element's `lang`
//! attribute, else the page's (`<html lang>`, then the browser's); anything not Russian reads
//! English. Every request carries that language, and the proxy asks the exchanger for its own
//! texts in it.

/// The two languages the widget speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    Ru,
    #[default]
    En,
}

impl Lang {
    /// The first of the given language tags that is set decides (`ru`, `ru-RU`, `en-US`...).
    pub fn pick(tags: &[Option<&str>]) -> Lang {
        let tag = tags
            .iter()
            .flatten()
            .map(|t| t.trim())
            .find(|t| !t.is_empty())
            .unwrap_or("");
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("ru") {
            Lang::Ru
        } else {
            Lang::En
        }
    }

    /// The BCP 47 tag for `lang` attributes in the rendered markup.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }
}

/// Lower case for searching currency titles: ASCII and Cyrillic, without the full Unicode
/// tables (they would weigh more than the rest of the search).
pub fn fold(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        '\u{410}'..='\u{42f}' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        '\u{400}'..='\u{40f}' => char::from_u32(c as u32 + 0x50).unwrap_or(c),
        _ => c,
    }
}

/// Every text the widget shows of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum T {
    Title,
    Loading,
    YouGive,
    YouGet,
    YouGave,
    YouGot,
    ToGive,
    ToGet,
    ChooseCurrency,
    Search,
    SearchLabel,
    NothingFound,
    Close,
    Rate,
    Reserve,
    Min,
    Max,
    Limits,
    Quoting,
    Changed,
    UseAmount,
    Continue,
    Back,
    Details,
    Required,
    Optional,
    CreateBid,
    Creating,
    FixFields,
    AmountRequired,
    AmountInvalid,
    AmountPositive,
    BelowMin,
    AboveMax,
    FieldRequired,
    FieldNotSelected,
    FieldEmail,
    FieldTelegram,
    FieldTooLong,
    NotSelected,
    Order,
    ToPay,
    PayTo,
    DestTag,
    DestTagHint,
    HiddenCharacters,
    Copy,
    Copied,
    CopySelected,
    QrLabel,
    IPaid,
    Pay,
    CancelBid,
    CancelConfirm,
    CancelYes,
    CancelNo,
    OpenBid,
    Status,
    StatusHint,
    Success,
    SuccessText,
    Cancelled,
    CancelledText,
    Finished,
    NewExchange,
    Retry,
    Maintenance,
    NetworkError,
    RateLimited,
    ServerError,
    NoDirections,
    Frozen,
    BidNotFound,
    StepAmount,
    StepDetails,
    StepPayment,
    StepDone,
    Timeline,
}

/// The text `t` in `lang`.
pub fn t(lang: Lang, t: T) -> &'static str {
    let (ru, en) = match t {
        T::Title => ("Обмен", "Exchange"),
        T::Loading => ("Загрузка…", "Loading…"),
        T::YouGive => ("Отдаёте", "You give"),
        T::YouGet => ("Получаете", "You get"),
        T::YouGave => ("Вы отдали", "You gave"),
        T::YouGot => ("Вы получили", "You received"),
        T::ToGive => ("Сумма к отдаче", "Amount to give"),
        T::ToGet => ("Сумма к получению", "Amount to get"),
        T::ChooseCurrency => ("Выберите валюту", "Choose a currency"),
        T::Search => ("Поиск валюты", "Search currencies"),
        T::SearchLabel => ("Поиск", "Search"),
        T::NothingFound => ("Ничего не найдено", "Nothing found"),
        T::Close => ("Закрыть", "Close"),
        T::Rate => ("Курс", "Rate"),
        T::Reserve => ("Резерв", "Reserve"),
        T::Min => ("мин.", "min"),
        T::Max => ("макс.", "max"),
        T::Limits => ("Лимиты", "Limits"),
        T::Quoting => ("Считаем…", "Calculating…"),
        T::Changed => (
            "Сумма вне лимитов направления. Расчёт сделан для",
            "The amount is outside this direction's limits. The quote is for",
        ),
        T::UseAmount => ("Подставить", "Use it"),
        T::Continue => ("Продолжить", "Continue"),
        T::Back => ("Назад", "Back"),
        T::Details => ("Данные для обмена", "Exchange details"),
        T::Required => ("обязательно", "required"),
        T::Optional => ("необязательно", "optional"),
        T::CreateBid => ("Создать заявку", "Create order"),
        T::Creating => ("Создаём заявку…", "Creating the order…"),
        T::FixFields => (
            "Проверьте выделенные поля",
            "Please check the highlighted fields",
        ),
        T::AmountRequired => ("Введите сумму", "Enter an amount"),
        T::AmountInvalid => (
            "Введите число, например 1250.50",
            "Enter a number such as 1250.50",
        ),
        T::AmountPositive => (
            "Сумма должна быть больше 0",
            "The amount must be greater than 0",
        ),
        T::BelowMin => ("Минимальная сумма", "The minimum is"),
        T::AboveMax => ("Максимальная сумма", "The maximum is"),
        T::FieldRequired => ("Заполните это поле", "This field is required"),
        T::FieldNotSelected => ("Выберите значение", "Choose a value"),
        T::FieldEmail => (
            "Введите e-mail, например name@example.com",
            "Enter an e-mail such as name@example.com",
        ),
        T::FieldTelegram => (
            "Введите @username (5–32 символа)",
            "Enter a @username (5–32 characters)",
        ),
        T::FieldTooLong => ("Слишком длинное значение", "The value is too long"),
        T::NotSelected => ("Не выбрано", "Not selected"),
        T::Order => ("Заявка", "Order"),
        T::ToPay => ("К оплате", "Amount to pay"),
        T::PayTo => ("Адрес для оплаты", "Payment address"),
        T::DestTag => ("Тег назначения (memo)", "Destination tag (memo)"),
        T::DestTagHint => (
            "Укажите его при переводе, иначе платёж не будет зачислен.",
            "Include it in the transfer, or the payment cannot be credited.",
        ),
        T::Copy => ("Копировать", "Copy"),
        T::HiddenCharacters => (
            "Обменник прислал реквизиты со скрытыми символами, поэтому они не показаны: не оплачивайте эту заявку и свяжитесь с обменником.",
            "The exchanger sent payment details with hidden characters, so they are not shown: do not pay this order, contact the exchanger.",
        ),
        T::Copied => ("Скопировано", "Copied"),
        // The clipboard refused: the text is selected for the user to copy.
        T::CopySelected => ("Выделено, скопируйте", "Selected, copy it"),
        T::QrLabel => ("QR-код адреса для оплаты", "QR code of the payment address"),
        T::IPaid => ("Я оплатил", "I have paid"),
        T::Pay => ("Перейти к оплате", "Go to payment"),
        T::CancelBid => ("Отменить заявку", "Cancel order"),
        T::CancelConfirm => (
            "Отменить заявку? Это нельзя вернуть.",
            "Cancel the order? This cannot be undone.",
        ),
        T::CancelYes => ("Да, отменить", "Yes, cancel"),
        T::CancelNo => ("Нет", "No"),
        T::OpenBid => ("Страница заявки", "Order page"),
        T::Status => ("Статус", "Status"),
        T::StatusHint => (
            "Статус обновляется сам, страницу можно закрыть: заявка сохранится.",
            "The status updates by itself; you may close the page, the order is kept.",
        ),
        T::Success => ("Обмен выполнен", "Exchange complete"),
        T::SuccessText => (
            "Средства отправлены на ваш счёт.",
            "The funds have been sent to your account.",
        ),
        T::Cancelled => ("Заявка отменена", "Order cancelled"),
        T::CancelledText => (
            "Средства не списаны. Можно начать новый обмен.",
            "Nothing was charged. You can start a new exchange.",
        ),
        T::Finished => ("Заявка закрыта", "Order closed"),
        T::NewExchange => ("Новый обмен", "New exchange"),
        T::Retry => ("Повторить", "Try again"),
        T::Maintenance => (
            "Обменник на техническом обслуживании. Попробуйте через несколько минут.",
            "The exchanger is under maintenance. Please try again in a few minutes.",
        ),
        T::NetworkError => (
            "Нет связи с обменником. Проверьте подключение.",
            "Cannot reach the exchanger. Check your connection.",
        ),
        T::RateLimited => (
            "Слишком много запросов. Подождите немного и попробуйте снова.",
            "Too many requests. Please wait a moment and try again.",
        ),
        T::ServerError => (
            "Обменник не ответил как ожидалось. Попробуйте позже.",
            "The exchanger gave an unexpected answer. Please try later.",
        ),
        T::NoDirections => (
            "Сейчас нет доступных направлений обмена.",
            "No exchange directions are available right now.",
        ),
        T::Frozen => (
            "Направление временно недоступно",
            "This direction is temporarily unavailable",
        ),
        T::BidNotFound => (
            "Сохранённая заявка не найдена.",
            "The saved order was not found.",
        ),
        T::StepAmount => ("Сумма", "Amount"),
        T::StepDetails => ("Данные", "Details"),
        T::StepPayment => ("Оплата", "Payment"),
        T::StepDone => ("Готово", "Done"),
        T::Timeline => ("Как проходит обмен", "How the exchange works"),
    };
    match lang {
        Lang::Ru => ru,
        Lang::En => en,
    }
}

/// "Too many requests", with the wait the proxy's `Retry-After` asked for: in seconds under a
/// minute, else in minutes rounded up.
pub fn try_again_in(lang: Lang, seconds: u32) -> String {
    let (n, ru_unit, en_unit) = if seconds < 60 {
        (seconds, "с", "s")
    } else {
        (seconds.div_ceil(60), "мин", "min")
    };
    match lang {
        Lang::Ru => format!("Слишком много запросов. Попробуйте снова через {n}\u{a0}{ru_unit}."),
        Lang::En => format!("Too many requests. Please try again in {n}\u{a0}{en_unit}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_is_told_in_seconds_then_minutes() {
        assert_eq!(
            try_again_in(Lang::En, 7),
            "Too many requests. Please try again in 7\u{a0}s."
        );
        assert_eq!(
            try_again_in(Lang::Ru, 61),
            "Слишком много запросов. Попробуйте снова через 2\u{a0}мин."
        );
    }

    #[test]
    fn picks_the_first_language_that_is_set() {
        assert_eq!(Lang::pick(&[Some("ru"), Some("en")]), Lang::Ru);
        assert_eq!(Lang::pick(&[None, Some(" "), Some("ru-RU")]), Lang::Ru);
        assert_eq!(Lang::pick(&[Some("RU_ru")]), Lang::Ru);
        assert_eq!(Lang::pick(&[Some("en-GB"), Some("ru")]), Lang::En);
        assert_eq!(Lang::pick(&[Some("de")]), Lang::En);
        assert_eq!(Lang::pick(&[Some("rus")]), Lang::En);
        assert_eq!(Lang::pick(&[]), Lang::En);
    }

    #[test]
    fn folds_latin_and_cyrillic() {
        let folded: String = "Сбербанк RUB Ёлка".chars().map(fold).collect();
        assert_eq!(folded, "сбербанк rub ёлка");
    }

    #[test]
    fn both_languages_have_every_text() {
        for lang in [Lang::Ru, Lang::En] {
            assert!(!t(lang, T::CreateBid).is_empty());
        }
        assert_ne!(t(Lang::Ru, T::IPaid), t(Lang::En, T::IPaid));
    }
}
