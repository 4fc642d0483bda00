//! The wasm boundary: JS values in, PHP values and typed errors out. Nothing here panics on
//! input; every failure becomes a thrown JS `Error` with a `name` the package's error classes
//! recognise (`instanceof ValidationError`, ...).

use crate::json::Value;
use crate::php::PhpValue;
use crate::validate::ValidationError;
use js_sys::{Array, BigInt, JsString, Object, Reflect, Uint8Array};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

/// Creates a JS `Error` named `name` carrying `props`.
pub fn error(name: &str, message: &str, props: &[(&str, JsValue)]) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name(name);
    // The brand lets the package's error classes tell SDK errors from look-alikes.
    let _ = Reflect::set(
        &err,
        &js_sys::Symbol::for_("obmennik.error"),
        &JsValue::TRUE,
    );
    for (key, value) in props {
        // Setting a property on a fresh Error cannot fail.
        let _ = Reflect::set(&err, &JsValue::from_str(key), value);
    }
    err.into()
}

/// A `TypeError` for arguments of the wrong kind (programming mistakes, not bad data).
pub fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

impl From<ValidationError> for JsValue {
    fn from(e: ValidationError) -> JsValue {
        // `{field, rule}` objects, as serde_wasm_bindgen made them, without its serializer.
        let issues: Array = e
            .issues
            .iter()
            .map(|issue| {
                let object = Object::new();
                let _ = Reflect::set(&object, &"field".into(), &issue.field.as_str().into());
                let _ = Reflect::set(&object, &"rule".into(), &issue.rule.as_str().into());
                JsValue::from(object)
            })
            .collect();
        error(
            "ValidationError",
            &e.to_string(),
            &[("issues", issues.into())],
        )
    }
}

/// A string argument, or a `TypeError` naming it.
pub fn string_arg(value: &JsValue, name: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| type_error(&format!("{name} must be a string")))
}

/// A non-empty key or secret; the message names the argument, never its value.
pub fn key_arg(value: &JsValue, name: &str) -> Result<String, JsValue> {
    let key = string_arg(value, name)?;
    if key.is_empty() {
        return Err(ValidationError::one(name, "must not be empty").into());
    }
    Ok(key)
}

/// The bytes of a raw body given as a string, `Uint8Array` (Node's `Buffer` too) or `ArrayBuffer`.
pub fn raw_bytes(value: &JsValue, hint: &str) -> Result<Vec<u8>, JsValue> {
    if let Some(s) = value.as_string() {
        return Ok(s.into_bytes());
    }
    if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        return Ok(bytes.to_vec());
    }
    if let Some(buffer) = value.dyn_ref::<js_sys::ArrayBuffer>() {
        return Ok(Uint8Array::new(buffer).to_vec());
    }
    Err(type_error(hint))
}

thread_local! {
    static OBJECT_PROTOTYPE: JsValue = Object::get_prototype_of(&Object::new()).into();
}

/// True for `{...}` literals and `Object.create(null)`, false for arrays, class instances,
/// `Date`, `Map` and the like, whose JSON form would not be what the caller meant.
fn is_plain_object(value: &JsValue) -> bool {
    if !value.is_object() || Array::is_array(value) {
        return false;
    }
    let proto: JsValue = Object::get_prototype_of(value).into();
    proto.is_null() || OBJECT_PROTOTYPE.with(|p| *p == proto)
}

/// The entries of a plain object as PHP will decode them from the JSON the SDK sends, which
/// is `JSON.stringify`'s reading (`toJSON` is used, keys whose value is `undefined` are not
/// sent) made strict: values with no faithful JSON form are errors, not silent `null`s or
/// dropped keys, and a `BigInt` is kept in decimal.
pub fn object_entries(
    value: &JsValue,
    name: &str,
) -> Result<Vec<(String, PhpValue)>, ValidationError> {
    if !is_plain_object(value) {
        return Err(ValidationError::one(name, "must be a plain object"));
    }
    // JSON.stringify(params) sends what params.toJSON() returns, not the fields signed here.
    if Reflect::get(value, &"toJSON".into()).is_ok_and(|f| f.is_function()) {
        return Err(ValidationError::one(
            name,
            "has a toJSON() method: JSON.stringify would send what it returns, not these fields; sign that object instead",
        ));
    }
    if let Some(entries) = stringified_entries(value) {
        return Ok(entries);
    }
    let mut errors = ValidationError::default();
    let entries = entries_of(value, "", 0, &mut vec![value.clone()], &mut errors);
    errors.into_result().map(|_| entries)
}

/// The fast path: one native `JSON.stringify` and one string across the boundary instead of
/// several crossings per field. It is taken only when the text provably means the same as
/// the strict walk: every key survived, and no `null` or empty container appears that could
/// stand for a NaN, a function, a `Map` or another value with no JSON form.
fn stringified_entries(value: &JsValue) -> Option<Vec<(String, PhpValue)>> {
    let text = js_sys::JSON::stringify(value).ok()?.as_string()?;
    let Value::Object(members) = crate::json::read(&text).ok()?.value else {
        return None;
    };
    let keys = Object::keys(value.unchecked_ref::<Object>()).length() as usize;
    (keys == members.len() && members.iter().all(|(_, v)| faithful(v))).then(|| {
        let PhpValue::Array(entries) = Value::Object(members).into_php() else {
            return Vec::new();
        };
        entries
    })
}

/// Whether a value read back from `JSON.stringify` is the one the strict walk reads. Its
/// numbers are (the walk sends JavaScript's digits, see `php::js_number_as_int`). A nested
/// object is not known to be: `JSON.stringify` leaves out a field holding a function or a
/// symbol, which the walk refuses, and only the walk sees that.
fn faithful(value: &Value) -> bool {
    match value {
        Value::Null | Value::Object(_) => false,
        Value::List(items) => !items.is_empty() && items.iter().all(faithful),
        _ => true,
    }
}

/// `sign(params, key)` over parameters as the package's JS glue (pkg-template/fast.js) hands
/// them over: `slots` holds two numbers per top-level field, its name's length times 8 plus
/// its tag (`FLAT_*`), then its value: a number or a length; `text` the names and string-like
/// values in order, then the key, as UTF-8, every length counted in UTF-16 units as JS counts
/// them. Values are read by the rules of `object_entries`; a nested array or object signs as
/// `Array` whatever it holds, so the glue checks it has a JSON form and sends only its tag.
/// Read in one pass into a buffer kept between calls, then signed without allocating. `None`
/// sends the call down the full path (a lone surrogate became U+FFFD on the way, a non-finite
/// number, anything malformed), which then signs or throws as it always does.
///
/// With `same_names`, the glue saw exactly the top-level names, in the same order, of the
/// last call that succeeded, and sent them empty: their signing order is the one kept from
/// that call. A request type signs the same names call after call, so sorting them and
/// copying them into wasm memory is done once per shape.
pub fn sign_flat(slots: &[f64], text: &[u8], same_names: bool) -> Option<[u8; 40]> {
    thread_local! {
        static SCRATCH: RefCell<FlatScratch> = const { RefCell::new(FlatScratch::new()) };
    }
    SCRATCH.with(|cell| {
        // Nothing calls back into JS on the way, so it is never borrowed here; if it were,
        // the full path would answer.
        let mut scratch = cell.try_borrow_mut().ok()?;
        let hex = scratch.sign(slots, text, same_names);
        if hex.is_none() {
            scratch.places_for = None;
        }
        scratch.fields.clear();
        scratch.fields.shrink_to(256);
        scratch.numbers.wipe();
        hex
    })
}

/// Tags of `sign_flat`, as pkg-template/fast.js writes them.
const FLAT_STRING: u32 = 0;
const FLAT_NUMBER: u32 = 1;
const FLAT_TRUE: u32 = 2;
const FLAT_FALSE: u32 = 3;
const FLAT_NULL: u32 = 4;
const FLAT_BIGINT: u32 = 5;
const FLAT_NESTED: u32 = 6;

/// What `sign_flat` keeps between calls: the top-level fields, the PHP strings of the
/// values that are not text (numbers, `true`, `Array`), which start with `FIXED`, and the
/// signing order of the last names it saw.
struct FlatScratch {
    fields: Vec<FlatField>,
    numbers: crate::php::Bytes,
    order: crate::json::KeyOrder,
    /// `sign::signing_order` of the last call's names,
    places: Vec<u32>,
    /// for this many fields; `None` after a call that failed.
    places_for: Option<usize>,
}

/// The start of `FlatScratch::numbers`: `1` is `true`, then `Array`; `false` and `null` are
/// empty.
const FIXED: &[u8] = b"1Array";
const ONE: Span = Span { at: 0, len: 1 };
const EMPTY: Span = Span { at: 0, len: 0 };
const ARRAY: Span = Span { at: 1, len: 5 };

/// A byte range of the text or of the numbers.
#[derive(Clone, Copy)]
struct Span {
    at: u32,
    len: u32,
}

impl Span {
    fn of(self, bytes: &[u8]) -> &[u8] {
        let at = self.at as usize;
        bytes.get(at..at + self.len as usize).unwrap_or_default()
    }
}

/// A top-level field: its name, and its value's PHP string in the text or the numbers.
#[derive(Clone, Copy)]
struct FlatField {
    name: Span,
    value: Span,
    number: bool,
}

impl FlatScratch {
    const fn new() -> Self {
        FlatScratch {
            fields: Vec::new(),
            numbers: crate::php::Bytes::new(),
            order: crate::json::KeyOrder::new(),
            places: Vec::new(),
            places_for: None,
        }
    }

    fn sign(&mut self, slots: &[f64], text: &[u8], same_names: bool) -> Option<[u8; 40]> {
        if !same_names {
            self.places_for = None;
        }
        let key = self.read(slots, text)?;
        let fields = &self.fields;
        if !same_names {
            crate::sign::signing_order(
                &mut self.order,
                fields.len(),
                |i| {
                    let name = fields.get(i).map_or(EMPTY, |f| f.name);
                    crate::json::head_within(text, name.at as usize, name.len as usize)
                },
                |i| fields.get(i).map_or(&[][..], |f| f.name.of(text)),
                &mut self.places,
            );
            self.places_for = Some(fields.len());
        } else if self.places_for != Some(fields.len()) {
            return None;
        }
        let numbers = self.numbers.as_slice();
        Some(crate::sign::sign_places(
            &self.places,
            |i, out| {
                if let Some(f) = fields.get(i) {
                    out.update(f.value.of(if f.number { numbers } else { text }));
                }
            },
            key,
        ))
    }

    /// Reads the fields into `fields` and `numbers`; the key.
    fn read<'t>(&mut self, slots: &[f64], text: &'t [u8]) -> Option<&'t [u8]> {
        u32::try_from(text.len()).ok()?;
        let mut flat = Flat {
            slots,
            text,
            at: 0,
            plain: ascii_run_end(text, 0),
        };
        let (fields, numbers) = (&mut self.fields, &mut self.numbers);
        fields.clear();
        numbers.wipe();
        numbers.extend(FIXED);
        while let Some((&[head, value], rest)) = flat.slots.split_first_chunk() {
            flat.slots = rest;
            let head = head as u32;
            let name = flat.take(head >> 3)?;
            let (value, number) = match head & 7 {
                FLAT_STRING => (flat.take(value as u32)?, false),
                // BigInt's decimal digits are what PHP prints for the integer (or the string
                // of digits beyond 64 bits) the SDK sends for it.
                FLAT_BIGINT => (flat.take(value as u32)?, false),
                FLAT_NUMBER if value.is_finite() => {
                    let at = numbers.len();
                    match crate::php::js_number_as_int(value) {
                        Some(i) => crate::php::put_i64(numbers, i),
                        None => numbers.extend(crate::php::php_float_ascii(value).as_bytes()),
                    }
                    let len = (numbers.len() - at) as u32;
                    (Span { at: at as u32, len }, true)
                }
                FLAT_TRUE => (ONE, true),
                FLAT_FALSE | FLAT_NULL => (EMPTY, true),
                FLAT_NESTED => (ARRAY, true),
                _ => return None,
            };
            fields.push(FlatField {
                name,
                value,
                number,
            });
        }
        let key = text.get(flat.at..).filter(|key| !key.is_empty())?;
        // `TextEncoder` passes a lone surrogate on as U+FFFD: the full path decides about it.
        if flat.plain < text.len() && has_replacement(key) {
            return None;
        }
        Some(key)
    }
}

/// Whether UTF-8 `bytes` hold U+FFFD. Most texts are ASCII, which `is_ascii` rules out a
/// word at a time.
fn has_replacement(bytes: &[u8]) -> bool {
    !bytes.is_ascii()
        && bytes
            .iter()
            .enumerate()
            .any(|(i, &b)| b == 0xef && bytes.get(i + 1..i + 3) == Some(&[0xbf, 0xbd]))
}

struct Flat<'a> {
    slots: &'a [f64],
    text: &'a [u8],
    at: usize,
    /// `text[at..plain]` is ASCII: there a length in units is one in bytes.
    plain: usize,
}

/// Where the run of ASCII bytes of `text` that starts at `at` ends, 8 bytes at a time.
fn ascii_run_end(text: &[u8], at: usize) -> usize {
    let mut i = at;
    while let Some(word) = text.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let high = u64::from_le_bytes(*word) & 0x8080_8080_8080_8080;
        if high != 0 {
            return i + (high.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while text.get(i).is_some_and(u8::is_ascii) {
        i += 1;
    }
    i
}

impl Flat<'_> {
    /// The next `units` UTF-16 code units of the text, which it moves past. `None` past the
    /// end, inside a surrogate pair, or at a U+FFFD. Inlined for the usual ASCII piece.
    #[inline(always)]
    fn take(&mut self, units: u32) -> Option<Span> {
        let start = self.at;
        let end = start.checked_add(units as usize)?;
        if end > self.plain {
            return self.take_non_ascii(units as usize);
        }
        self.at = end;
        Some(Span {
            at: start as u32,
            len: units,
        })
    }

    /// `take` through a run that is not ASCII: character by character.
    #[inline(never)]
    fn take_non_ascii(&mut self, units: usize) -> Option<Span> {
        let start = self.at;
        let mut left = units;
        let mut i = start;
        while left > 0 {
            let lead = *self.text.get(i)?;
            let (size, count) = match lead {
                0..=0x7f => (1, 1),
                0xc0..=0xdf => (2, 1),
                0xef if self.text.get(i + 1..i + 3) == Some(&[0xbf, 0xbd]) => return None,
                0xe0..=0xef => (3, 1),
                _ => (4, 2),
            };
            left = left.checked_sub(count)?;
            i += size;
        }
        if i > self.text.len() {
            return None;
        }
        if i >= self.plain {
            self.plain = ascii_run_end(self.text, i);
        }
        self.at = i;
        Some(Span {
            at: start as u32,
            len: (i - start) as u32,
        })
    }
}

/// The message of a value a getter, `toJSON` or `Proxy` trap threw, for an issue's rule.
fn thrown(e: &JsValue) -> String {
    let text = match e.dyn_ref::<js_sys::Error>() {
        Some(err) => String::from(err.message()),
        None => e
            .as_string()
            .unwrap_or_else(|| "a value that is not an Error".to_owned()),
    };
    // An issue is one line; a long message is cut (on a character boundary).
    let mut text: String = text
        .split(['\n', '\r'])
        .next()
        .unwrap_or_default()
        .to_owned();
    if text.chars().count() > 120 {
        text = text.chars().take(120).chain("…".chars()).collect();
    }
    text
}

/// The open objects and arrays of the walk, outermost first, to name a cycle as one.
type Ancestors = Vec<JsValue>;

fn entries_of(
    value: &JsValue,
    prefix: &str,
    depth: usize,
    ancestors: &mut Ancestors,
    errors: &mut ValidationError,
) -> Vec<(String, PhpValue)> {
    let object: &Object = value.unchecked_ref();
    let keys = Object::keys(object);
    let mut entries = Vec::with_capacity(keys.length() as usize);
    for key in keys.iter() {
        let Some(name) = key.as_string() else {
            continue;
        };
        let path = || {
            if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            }
        };
        // A getter (or a Proxy trap) that throws: JSON.stringify would throw too, and
        // leaving the field out would sign other parameters than the caller's.
        let item = match Reflect::get(value, &key) {
            Ok(item) => item,
            Err(e) => {
                errors.push(
                    path(),
                    format!("could not be read: it threw {}", thrown(&e)),
                );
                continue;
            }
        };
        if item.is_undefined() {
            continue;
        }
        // JSON.stringify would send the name with the lone surrogate escaped, which PHP's
        // json_decode refuses; as UTF-8 it would be another name.
        if !key.unchecked_ref::<JsString>().is_valid_utf16() {
            errors.push(
                path(),
                "must have a name that is valid Unicode text (it holds a lone surrogate)",
            );
            continue;
        }
        if let Some(php) = to_php(&item, &name, &path(), depth, ancestors, errors) {
            entries.push((name, php));
        }
    }
    entries
}

/// One JS value, the field `key` of its holder, as PHP will decode it from what
/// `JSON.stringify` writes: its `toJSON` is called once, with the key, and what it returns
/// is read as it is (`JSON.stringify` calls no `toJSON` of that). Records an issue and
/// returns `None` when it has no faithful JSON form.
fn to_php(
    value: &JsValue,
    key: &str,
    path: &str,
    depth: usize,
    ancestors: &mut Ancestors,
    errors: &mut ValidationError,
) -> Option<PhpValue> {
    if value.is_object() {
        // Objects such as Date serialise through toJSON, as JSON.stringify does.
        match Reflect::get(value, &"toJSON".into()) {
            Ok(to_json) => {
                if let Some(f) = to_json.dyn_ref::<js_sys::Function>() {
                    return match f.call1(value, &JsValue::from_str(key)) {
                        Ok(converted) if converted.is_undefined() => {
                            errors.push(path, "has a toJSON() that returned undefined");
                            None
                        }
                        Ok(converted) => json_value(&converted, path, depth, ancestors, errors),
                        Err(e) => {
                            errors.push(path, format!("has a toJSON() that threw {}", thrown(&e)));
                            None
                        }
                    };
                }
            }
            Err(e) => {
                errors.push(path, format!("could not be read: it threw {}", thrown(&e)));
                return None;
            }
        }
    }
    json_value(value, path, depth, ancestors, errors)
}

/// `to_php` once `toJSON` was applied.
fn json_value(
    value: &JsValue,
    path: &str,
    depth: usize,
    ancestors: &mut Ancestors,
    errors: &mut ValidationError,
) -> Option<PhpValue> {
    if let Some(s) = value.as_string() {
        // A lone surrogate cannot be sent as UTF-8; replacing it would sign other text.
        if !value.unchecked_ref::<JsString>().is_valid_utf16() {
            errors.push(
                path,
                "must be valid Unicode text (it holds a lone surrogate)",
            );
            return None;
        }
        return Some(PhpValue::Str(s));
    }
    if let Some(n) = value.as_f64() {
        if !n.is_finite() {
            errors.push(
                path,
                "must be a finite number (NaN and Infinity have no JSON form)",
            );
            return None;
        }
        return Some(match crate::php::js_number_as_int(n) {
            Some(i) => PhpValue::Int(i),
            None => PhpValue::Float(n),
        });
    }
    if let Some(b) = value.as_bool() {
        return Some(PhpValue::Bool(b));
    }
    if value.is_null() {
        return Some(PhpValue::Null);
    }
    if value.is_bigint() {
        let decimal: String = value
            .unchecked_ref::<BigInt>()
            .to_string(10)
            .map(String::from)
            .unwrap_or_default();
        return Some(match crate::php::bigint_as_int(&decimal) {
            Some(i) => PhpValue::Int(i),
            None => PhpValue::Str(decimal),
        });
    }
    if !value.is_object() {
        errors.push(
            path,
            "must be a string, number, bigint, boolean, null, array or object",
        );
        return None;
    }
    // new Number(5), new String('x'), new Boolean(true): JSON.stringify unboxes them.
    if value.is_instance_of::<js_sys::Number>()
        || value.is_instance_of::<JsString>()
        || value.is_instance_of::<js_sys::Boolean>()
    {
        let primitive = value.unchecked_ref::<Object>().value_of();
        if primitive.is_object() {
            errors.push(path, "has a valueOf() that returns an object");
            return None;
        }
        return json_value(&primitive, path, depth, ancestors, errors);
    }
    if ancestors.iter().any(|open| open == value) {
        errors.push(
            path,
            "refers to an object that holds it (a cycle has no JSON form)",
        );
        return None;
    }
    // The value is an array or object inside the parameters' object: PHP level depth + 2.
    if depth + 2 >= crate::json::MAX_DEPTH {
        errors.push(
            path,
            "is nested too deep: PHP's json_decode reads at most 511 levels of arrays and objects",
        );
        return None;
    }
    ancestors.push(value.clone());
    let php = if Array::is_array(value) {
        let items = value
            .unchecked_ref::<Array>()
            .iter()
            .enumerate()
            .map(|(i, item)| {
                if item.is_undefined() {
                    Some(PhpValue::Null)
                } else {
                    let index = i.to_string();
                    to_php(
                        &item,
                        &index,
                        &format!("{path}[{i}]"),
                        depth + 1,
                        ancestors,
                        errors,
                    )
                }
            })
            .collect::<Vec<_>>();
        Some(PhpValue::List(items.into_iter().flatten().collect()))
    } else {
        let entries = entries_of(value, path, depth + 1, ancestors, errors);
        if entries.is_empty() && !is_plain_object(value) {
            // A Map, Set or class instance would be sent as {} and lose what it holds.
            errors.push(
                path,
                "has no JSON form (a Map, Set or class instance without own fields)",
            );
            None
        } else {
            Some(PhpValue::Array(entries))
        }
    };
    ancestors.pop();
    php
}

/// A decoded PHP value as the JS value closest to what the gateway sent: integers beyond
/// 2^53 become `BigInt` so no digit is lost.
pub fn php_to_js(value: &PhpValue) -> JsValue {
    const MAX_SAFE: i64 = (1 << 53) - 1;
    match value {
        PhpValue::Null => JsValue::NULL,
        PhpValue::Bool(b) => JsValue::from_bool(*b),
        PhpValue::Int(i) if (-MAX_SAFE..=MAX_SAFE).contains(i) => JsValue::from_f64(*i as f64),
        PhpValue::Int(i) => BigInt::from(*i).into(),
        PhpValue::Float(f) => JsValue::from_f64(*f),
        PhpValue::Str(s) => JsValue::from_str(s),
        PhpValue::Array(entries) => entries_to_js(entries).into(),
        PhpValue::List(items) => items.iter().map(php_to_js).collect::<Array>().into(),
    }
}

/// A decoded object as a plain JS object, keys in arrival order.
pub fn entries_to_js(entries: &[(String, PhpValue)]) -> Object {
    let object = Object::new();
    for (name, value) in entries {
        let key = JsValue::from_str(name);
        let value = php_to_js(value);
        if name == "__proto__" {
            // An own field, as JSON.parse makes it: setting it would replace the object's
            // prototype with whatever the body holds.
            let field = Object::new();
            let _ = Reflect::set(&field, &"value".into(), &value);
            for flag in ["writable", "enumerable", "configurable"] {
                let _ = Reflect::set(&field, &flag.into(), &JsValue::TRUE);
            }
            let _ = Reflect::define_property(&object, &key, &field);
        } else {
            let _ = Reflect::set(&object, &key, &value);
        }
    }
    object
}

/// Reads an optional property of an options object.
pub fn opt(options: &JsValue, name: &str) -> JsValue {
    if options.is_object() {
        Reflect::get(options, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// Raw wasm exports for the package's JS glue (pkg-template/fast.js), which writes its input
/// straight into two buffers here and calls with numbers only: no wasm-bindgen wrapper, no
/// string copied twice, nothing added to the package's API. Each returns 1 when it handled
/// the call and 0 to send it down the full path, which signs, verifies or throws as always.
#[cfg(all(feature = "core", target_arch = "wasm32"))]
mod fast {
    use crate::callback::{self, VerifyOptions};
    use crate::json::Value;
    use crate::sign;
    use std::cell::RefCell;

    thread_local! {
        static SLOTS: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
        static BYTES: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }

    fn grow<T: Clone + Default>(buffer: &RefCell<Vec<T>>, len: usize) -> *mut T {
        let mut buffer = buffer.borrow_mut();
        if buffer.len() < len {
            buffer.resize(len, T::default());
        }
        buffer.as_mut_ptr()
    }

    /// The number slots, at least `len` of them; their address (it moves when they grow).
    #[no_mangle]
    pub extern "C" fn obmennik_slots(len: usize) -> *mut f64 {
        SLOTS.with(|s| grow(s, len))
    }

    /// The byte buffer, at least `len` bytes; its address (it moves when it grows).
    #[no_mangle]
    pub extern "C" fn obmennik_bytes(len: usize) -> *mut u8 {
        BYTES.with(|b| grow(b, len))
    }

    /// Runs `f` over the slots and the first `len` bytes; a 40-digit answer goes to the start
    /// of the byte buffer.
    fn answer(len: usize, f: impl FnOnce(&[f64], &[u8]) -> Option<[u8; 40]>) -> u32 {
        SLOTS.with(|slots| {
            BYTES.with(|bytes| {
                let (Ok(slots), Ok(mut bytes)) = (slots.try_borrow(), bytes.try_borrow_mut())
                else {
                    return 0;
                };
                let hex = bytes.get(..len).and_then(|text| f(&slots, text));
                // The input held a key: overwrite it rather than leave it in memory.
                if let Some(used) = bytes.get_mut(..len) {
                    used.fill(0);
                }
                match (hex, bytes.get_mut(..40)) {
                    (Some(hex), Some(out)) => {
                        out.copy_from_slice(&hex);
                        1
                    }
                    _ => 0,
                }
            })
        })
    }

    /// `sign(params, key)` over the glue's flat parameters (see `sign_flat`).
    #[no_mangle]
    pub extern "C" fn obmennik_sign_flat(
        slot_count: usize,
        text_len: usize,
        same_names: u32,
    ) -> u32 {
        answer(text_len, |slots, text| {
            super::sign_flat(slots.get(..slot_count)?, text, same_names == 1)
        })
    }

    /// `signJson(raw, key)`: the bytes are the raw JSON then the key.
    #[no_mangle]
    pub extern "C" fn obmennik_sign_json(raw_len: usize, key_len: usize) -> u32 {
        answer(raw_len + key_len, |_, bytes| {
            let text = std::str::from_utf8(bytes).ok()?;
            sign::sign_json_hex(text.get(..raw_len)?, text.get(raw_len..)?).ok()
        })
    }

    /// `verifyCallback(raw, secret, options)`: the bytes are the raw body, the secret, then
    /// the version key when slot 0 holds its length (else -1); slot 1 the minimum version
    /// (or NaN), slot 2 the byte limit (or -1), slot 3 the tolerance (or -1) and slot 4 the
    /// time it is measured from. 1 means it verified and the runtime's
    /// `JSON.parse` of the body builds exactly the object the full path would.
    #[no_mangle]
    pub extern "C" fn obmennik_verify(raw_len: usize, secret_len: usize, from_string: u32) -> u32 {
        SLOTS.with(|slots| {
            BYTES.with(|bytes| {
                let (Ok(slots), Ok(mut bytes)) = (slots.try_borrow(), bytes.try_borrow_mut())
                else {
                    return 0;
                };
                let &[key_len, min_version, max_bytes, tolerance, now, ..] = slots.as_slice()
                else {
                    return 0;
                };
                let key_len = if key_len >= 0.0 {
                    Some(key_len as usize)
                } else {
                    None
                };
                let verified = (|| {
                    let raw = bytes.get(..raw_len)?;
                    let secret =
                        std::str::from_utf8(bytes.get(raw_len..raw_len + secret_len)?).ok()?;
                    let mut options = VerifyOptions::default();
                    if let Some(len) = key_len {
                        let from = raw_len + secret_len;
                        options.version_key = std::str::from_utf8(bytes.get(from..from + len)?)
                            .ok()?
                            .to_owned();
                    }
                    if min_version.is_finite() {
                        options.min_version = min_version;
                    }
                    if max_bytes >= 0.0 {
                        options.max_bytes = max_bytes as usize;
                    }
                    if tolerance >= 0.0 {
                        // The full path says how to give the time in seconds.
                        if callback::in_milliseconds(now) {
                            return None;
                        }
                        options.freshness = Some(callback::Freshness { tolerance, now });
                    }
                    if secret.is_empty() {
                        return None;
                    }
                    let read = callback::check(raw, &[secret], &options).ok()?;
                    // A lone surrogate in a JS string reached here as U+FFFD: JSON.parse
                    // would keep the surrogate, so such a body takes the full path.
                    let replaced = from_string == 1 && super::has_replacement(raw);
                    (matches!(read.value, Value::Object(_)) && read.same_in_js && !replaced)
                        .then_some(())
                })();
                // The input held the secret: overwrite it rather than leave it in memory.
                let used = raw_len + secret_len + key_len.unwrap_or(0);
                let used = used.min(bytes.len());
                bytes[..used].fill(0);
                verified.is_some() as u32
            })
        })
    }
}
