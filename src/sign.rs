//! The api2 signature: `ksort($data, SORT_STRING); sha1(implode(':', array_values($data)) . ':' . $key)`.

use crate::json::{self, JsonError, KeyOrder, Value};
use crate::php::{Bytes, PhpString, PhpValue, Sink};
use crate::sha1::Sha1;
use std::borrow::Cow;
use std::cell::RefCell;

/// The parameter that carries the signature; it is never part of what is signed.
pub const SIGN_FIELD: &str = "sign";

/// Why a raw JSON text cannot be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    #[error("is not JSON: {0}")]
    NotJson(#[from] JsonError),
    #[error("must be a JSON object ({{...}}): the gateway signs an object's values")]
    NotObject,
    #[error("key must not be empty")]
    EmptyKey,
}

/// `v1:v2:...:key` over the parameters in byte-wise key order, without `sign`.
pub fn signing_string(params: &[(String, PhpValue)], key: &str) -> String {
    let mut out = Bytes::new();
    let name = |i: usize| params.get(i).map_or(&b""[..], |(k, _)| k.as_bytes());
    implode(
        &mut KeyOrder::new(),
        &mut out,
        params.len(),
        |i| json::head_of(name(i)),
        name,
        |i, out| params.get(i).map_or((), |(_, v)| v.push_php_bytes(out)),
        key.as_bytes(),
    );
    // Valid UTF-8: the keys, values and key are Rust strings.
    String::from_utf8_lossy(out.as_slice()).into_owned()
}

/// `signing_string` of a decoded JSON object's members as PHP holds them: a repeated key
/// counts once, with its last value.
pub fn members_signing_string(members: &[(Cow<str>, Value)], key: &str) -> String {
    let mut out = Bytes::new();
    let name = |i: usize| members.get(i).map_or(&b""[..], |(k, _)| k.as_bytes());
    implode(
        &mut KeyOrder::new(),
        &mut out,
        members.len(),
        |i| json::head_of(name(i)),
        name,
        |i, out| members.get(i).map_or((), |(_, v)| v.push_php_bytes(out)),
        key.as_bytes(),
    );
    String::from_utf8_lossy(out.as_slice()).into_owned()
}

/// `implode(':', $values) . ':' . $key` over parameters `0..n` (`name(i)` is parameter i's
/// name, `value(i, out)` appends its PHP string): `signing_order`, then `join`.
fn implode<'k, S: Sink>(
    order: &mut KeyOrder,
    out: &mut S,
    n: usize,
    head: impl Fn(usize) -> u64,
    name: impl Fn(usize) -> &'k [u8],
    value: impl FnMut(usize, &mut S),
    key: &[u8],
) {
    let mut places = Vec::new();
    signing_order(order, n, head, name, &mut places);
    join(out, &places, value, key);
}

/// The parameters `0..n` that the signing string holds, in its order, into `places`:
/// `unset($data['sign'])`, then `ksort($data, SORT_STRING)`; a repeated name (only a decoded
/// JSON text has them) counts once, with its last value, as in PHP's array. `head(i)` is
/// parameter i's `json::head_of`, `name(i)` its name.
pub(crate) fn signing_order<'k>(
    order: &mut KeyOrder,
    n: usize,
    head: impl Fn(usize) -> u64,
    name: impl Fn(usize) -> &'k [u8],
    places: &mut Vec<u32>,
) {
    order.sort(n, head, &name);
    places.clear();
    for at in 0..order.len() {
        let index = order.index(at);
        // Equal names are adjacent in arrival order: only the last one counts.
        if !order.repeats(at, &name) && name(index) != SIGN_FIELD.as_bytes() {
            places.push(index as u32);
        }
    }
    order.clear();
}

/// `implode(':', $values) . ':' . $key` with the values of `places` in order (`value(i, out)`
/// appends parameter i's PHP string): no values still leave the ':' before the key.
fn join<S: Sink>(out: &mut S, places: &[u32], mut value: impl FnMut(usize, &mut S), key: &[u8]) {
    for (n, &index) in places.iter().enumerate() {
        if n > 0 {
            out.put_byte(b':');
        }
        value(index as usize, out);
    }
    out.put_byte(b':');
    out.put(key);
}

/// `join` hashed: the 40 lowercase hex digits of the signature. The signing string goes
/// straight into SHA-1, never into a buffer.
pub(crate) fn sign_places(
    places: &[u32],
    value: impl FnMut(usize, &mut Sha1),
    key: &[u8],
) -> [u8; 40] {
    let mut hasher = Sha1::new();
    join(&mut hasher, places, value, key);
    hex40(&hasher.finish())
}

/// `implode` hashed. The key order and the places are kept between calls, so a warm call
/// allocates nothing.
fn sign_with<'k>(
    n: usize,
    head: impl Fn(usize) -> u64,
    name: impl Fn(usize) -> &'k [u8],
    value: impl FnMut(usize, &mut Sha1),
    key: &[u8],
) -> [u8; 40] {
    thread_local! {
        static KEPT: RefCell<(KeyOrder, Vec<u32>)> = const { RefCell::new((KeyOrder::new(), Vec::new())) };
    }
    KEPT.with(|kept| {
        let mut fresh = (KeyOrder::new(), Vec::new());
        let mut kept = kept.try_borrow_mut();
        let (order, places) = kept.as_deref_mut().unwrap_or(&mut fresh);
        signing_order(order, n, head, name, places);
        let hex = sign_places(places, value, key);
        places.clear();
        places.shrink_to(1024);
        hex
    })
}

/// The 40-character lowercase hex sha1 of `signing_string`.
pub fn sign(params: &[(String, PhpValue)], key: &str) -> String {
    let name = |i: usize| params.get(i).map_or(&b""[..], |(k, _)| k.as_bytes());
    let hex = sign_with(
        params.len(),
        |i| json::head_of(name(i)),
        name,
        |i, out| params.get(i).map_or((), |(_, v)| v.push_php_bytes(out)),
        key.as_bytes(),
    );
    hex.iter().map(|&b| b as char).collect()
}

/// `sign` of a decoded JSON object's members, as ASCII hex digits.
pub fn sign_members(members: &[(Cow<str>, Value)], key: &str) -> [u8; 40] {
    let name = |i: usize| members.get(i).map_or(&b""[..], |(k, _)| k.as_bytes());
    sign_with(
        members.len(),
        |i| json::head_of(name(i)),
        name,
        |i, out| members.get(i).map_or((), |(_, v)| v.push_php_bytes(out)),
        key.as_bytes(),
    )
}

fn hex40(digest: &[u8; 20]) -> [u8; 40] {
    let mut out = [0u8; 40];
    push_hex(digest, &mut out);
    out
}

/// Lowercase hex digits of `bytes` into `out` (twice as long), from a table.
fn push_hex(bytes: &[u8], out: &mut [u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[(b >> 4) as usize];
        pair[1] = DIGITS[(b & 15) as usize];
    }
}

/// Lowercase hex, as PHP's `sha1()` prints it.
pub fn lower_hex(digest: &[u8]) -> String {
    let mut buf = vec![0u8; digest.len() * 2];
    push_hex(digest, &mut buf);
    buf.iter().map(|&b| b as char).collect()
}

/// Decodes a raw JSON object as PHP does and returns its entries.
pub fn decode_object(raw: &str) -> Result<Vec<(String, PhpValue)>, SignError> {
    match json::decode(raw)? {
        PhpValue::Array(entries) => Ok(entries),
        _ => Err(SignError::NotObject),
    }
}

/// `sign` over a raw JSON object text, read as PHP's `json_decode($raw, true)` reads it.
pub fn sign_json(raw: &str, key: &str) -> Result<String, SignError> {
    sign_json_hex(raw, key).map(|hex| hex.iter().map(|&b| b as char).collect())
}

/// `sign_json` as ASCII hex digits, without building owned values.
pub fn sign_json_hex(raw: &str, key: &str) -> Result<[u8; 40], SignError> {
    if key.is_empty() {
        return Err(SignError::EmptyKey);
    }
    match json::read(raw)?.value {
        Value::Object(members) => Ok(sign_members(&members, key)),
        _ => Err(SignError::NotObject),
    }
}

/// Compares two byte strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What `sign` accepts: the JSON-able values the SDK sends in a request body.
#[cfg(feature = "core")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const SIGN_PARAMS_TS: &'static str = r#"
/** A request parameter value as the SDK sends it in a JSON body. Nested arrays and objects are
 * sent but sign as the literal `Array`, as PHP's `implode` prints them. */
export type SignValue = string | number | bigint | boolean | null | SignValue[] | { [key: string]: SignValue | undefined };
/** Request parameters: keys whose value is `undefined` are not sent and not signed. */
export type SignParams = { [key: string]: SignValue | undefined };
"#;

#[cfg(feature = "core")]
mod js_api {
    use crate::js::{key_arg, object_entries, string_arg};
    use wasm_bindgen::prelude::*;

    /// Signs request parameters exactly as the gateway's PHP 8 checks them:
    /// `ksort($data, SORT_STRING); sha1(implode(':', array_values($data)) . ':' . $key)`
    /// over what PHP decodes from the JSON body the SDK sends. A `sign` key is ignored.
    /// Values are read as `JSON.stringify` reads them (`toJSON` once, own enumerable fields,
    /// numbers with its digits), except that a `BigInt` is kept in decimal. Returns 40
    /// lowercase hex digits; throws `ValidationError` naming each value that has no JSON form
    /// (NaN, Infinity, functions, symbols, a `Map` or `Set`, lone surrogates, cycles, more
    /// than 511 levels, a throwing getter, a parameter object with a `toJSON` method).
    #[wasm_bindgen(js_name = sign)]
    pub fn sign_js(
        #[wasm_bindgen(unchecked_param_type = "SignParams")] params: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<String, JsValue> {
        let key = key_arg(&key, "key")?;
        Ok(super::sign(&object_entries(&params, "params")?, &key))
    }

    /// The string that `sign` hashes (`v1:v2:...:key`), for debugging a `sign_wrong`.
    /// It ends with the key: never log it.
    #[wasm_bindgen(js_name = signingString)]
    pub fn signing_string_js(
        #[wasm_bindgen(unchecked_param_type = "SignParams")] params: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<String, JsValue> {
        let key = key_arg(&key, "key")?;
        Ok(super::signing_string(
            &object_entries(&params, "params")?,
            &key,
        ))
    }

    /// Signs a raw JSON object text as PHP's `json_decode($raw, true)` reads it: an integer
    /// literal within 64 bits stays an integer, every other number is a float.
    #[wasm_bindgen(js_name = signJson)]
    pub fn sign_json_js(
        #[wasm_bindgen(js_name = "rawJson", unchecked_param_type = "string")] raw_json: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<String, JsValue> {
        let raw = string_arg(&raw_json, "rawJson")?;
        let key = key_arg(&key, "key")?;
        super::sign_json(&raw, &key)
            .map_err(|e| crate::validate::ValidationError::one("rawJson", e.to_string()).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed's `echo` example.
    #[test]
    fn seed_test_vector() {
        let params = decode_object(r#"{"param2":2,"param1":1}"#).unwrap();
        assert_eq!(signing_string(&params, "KKKeeey"), "1:2:KKKeeey");
        assert_eq!(
            sign(&params, "KKKeeey"),
            "5c69e53c91bfd96cfc3e61604558107a314060ef"
        );
        assert_eq!(
            sign_json(r#"{"param2":"2","param1":"1"}"#, "KKKeeey").unwrap(),
            "5c69e53c91bfd96cfc3e61604558107a314060ef"
        );
    }

    #[test]
    fn keys_sort_bytewise_and_sign_is_ignored() {
        let params = decode_object(
            r#"{"b":1,"10":"ten","2":"two","B":true,"a":null,"é":false,"sign":"x","n":{"z":1}}"#,
        )
        .unwrap();
        // bytes: "10" < "2" < "B" < "a" < "b" < "n" < "é"
        assert_eq!(signing_string(&params, "k"), "ten:two:1::1:Array::k");
    }

    #[test]
    fn floats_and_big_numbers_follow_php() {
        let params = decode_object(
            r#"{"a":0.1,"b":1e15,"c":0.00001,"d":-0.0,"e":9223372036854775808,"f":1.0}"#,
        )
        .unwrap();
        assert_eq!(
            signing_string(&params, "k"),
            "0.1:1.0E+15:1.0E-5:-0:9.2233720368548E+18:1:k"
        );
    }

    #[test]
    fn no_parameters_still_sign_a_colon_before_the_key() {
        assert_eq!(signing_string(&[], "k"), ":k");
        assert_eq!(
            signing_string(&decode_object(r#"{"sign":"x"}"#).unwrap(), "k"),
            ":k"
        );
    }

    #[test]
    fn raw_json_errors_are_clear() {
        assert_eq!(sign_json("[1]", "k"), Err(SignError::NotObject));
        assert_eq!(sign_json("{}", ""), Err(SignError::EmptyKey));
        assert!(matches!(sign_json("{", "k"), Err(SignError::NotJson(_))));
    }

    #[test]
    fn constant_time_eq_works() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
