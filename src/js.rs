//! The wasm boundary: JS values in, PHP values and typed errors out. Nothing here panics on
//! input; every failure becomes a thrown JS `Error` with a `name` the package's error classes
//! recognise (`instanceof ValidationError`, ...).

use crate::json::Value;
use crate::php::PhpValue;
use crate::validate::ValidationError;
use js_sys::{Array, BigInt, JsString, Object, Reflect, Uint8Array};
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
        let issues = serde_wasm_bindgen::to_value(&e.issues).unwrap_or(JsValue::NULL);
        error("ValidationError", &e.to_string(), &[("issues", issues)])
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
    if let Some(entries) = stringified_entries(value) {
        return Ok(entries);
    }
    let mut errors = ValidationError::default();
    let entries = entries_of(value, "", 0, &mut errors);
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

/// Whether a value read back from `JSON.stringify` is the one the strict walk reads.
fn faithful(value: &Value) -> bool {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    match value {
        Value::Null => false,
        // JSON.stringify prints a whole number beyond 2^53 with rounded digits (2**60 as
        // 1152921504606847000), and -2^63 as a float; the walk keeps them exact integers.
        Value::Int(i) => (*i as f64).abs() <= EXACT,
        Value::Float(f) => f.fract() != 0.0 || f.abs() > 9.3e18,
        Value::Object(members) => !members.is_empty() && members.iter().all(|(_, v)| faithful(v)),
        Value::List(items) => !items.is_empty() && items.iter().all(faithful),
        _ => true,
    }
}

fn entries_of(
    value: &JsValue,
    prefix: &str,
    depth: usize,
    errors: &mut ValidationError,
) -> Vec<(String, PhpValue)> {
    let object: &Object = value.unchecked_ref();
    let keys = Object::keys(object);
    let mut entries = Vec::with_capacity(keys.length() as usize);
    for key in keys.iter() {
        let Some(name) = key.as_string() else {
            continue;
        };
        let item = Reflect::get(value, &key).unwrap_or(JsValue::UNDEFINED);
        if item.is_undefined() {
            continue;
        }
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        if let Some(php) = to_php(&item, &path, depth, errors) {
            entries.push((name, php));
        }
    }
    entries
}

/// One JS value as PHP will decode it; records an issue and returns `None` when it has no
/// faithful JSON form.
fn to_php(
    value: &JsValue,
    path: &str,
    depth: usize,
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
        return to_php(&primitive, path, depth + 1, errors);
    }
    if depth >= crate::json::MAX_DEPTH {
        errors.push(
            path,
            "is nested deeper than 512 levels (or refers to itself)",
        );
        return None;
    }
    // Objects such as Date serialise through toJSON, as JSON.stringify does.
    if let Ok(to_json) = Reflect::get(value, &"toJSON".into()) {
        if let Some(f) = to_json.dyn_ref::<js_sys::Function>() {
            let converted = f
                .call1(value, &JsValue::from_str(path))
                .unwrap_or(JsValue::UNDEFINED);
            return if converted.is_undefined() {
                errors.push(path, "has a toJSON() that returned undefined");
                None
            } else {
                to_php(&converted, path, depth + 1, errors)
            };
        }
    }
    if Array::is_array(value) {
        let items = value
            .unchecked_ref::<Array>()
            .iter()
            .enumerate()
            .map(|(i, item)| {
                if item.is_undefined() {
                    Some(PhpValue::Null)
                } else {
                    to_php(&item, &format!("{path}[{i}]"), depth + 1, errors)
                }
            })
            .collect::<Vec<_>>();
        return Some(PhpValue::List(items.into_iter().flatten().collect()));
    }
    let entries = entries_of(value, path, depth + 1, errors);
    if entries.is_empty() && !is_plain_object(value) {
        // A Map, Set or class instance would be sent as {} and lose what it holds.
        errors.push(
            path,
            "has no JSON form (a Map, Set or class instance without own fields)",
        );
        return None;
    }
    Some(PhpValue::Array(entries))
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
    for (key, value) in entries {
        let _ = Reflect::set(&object, &JsValue::from_str(key), &php_to_js(value));
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
