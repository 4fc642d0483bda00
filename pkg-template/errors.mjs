// The SDK's error classes. The Rust core throws plain `Error`s branded with
// Symbol.for('obmennik.error') and a `name`; these classes recognise them with
// Symbol.hasInstance, so `err instanceof CallbackError` works in every runtime and
// across the CommonJS and ESM entries without wrapping each exported function.
const BRAND = Symbol.for('obmennik.error');

function branded(value, name) {
  return value instanceof Error && value[BRAND] === true && (name === undefined || value.name === name);
}

/** Base class of every error the SDK throws on purpose. */
export class ObmennikError extends Error {
  static [Symbol.hasInstance](value) { return branded(value); }
}
/** Input failed validation before anything was sent; `issues` lists every field and rule. */
export class ValidationError extends ObmennikError {
  static [Symbol.hasInstance](value) { return branded(value, 'ValidationError'); }
}
/** A gateway callback was rejected; `code` says why. */
export class CallbackError extends ObmennikError {
  static [Symbol.hasInstance](value) { return branded(value, 'CallbackError'); }
}
/** The gateway answered with `{"error": code}`. */
export class MerchantError extends ObmennikError {
  static [Symbol.hasInstance](value) { return branded(value, 'MerchantError'); }
}
/** The exchanger answered with a non-zero `error`, or not at all. */
export class ExchangerError extends ObmennikError {
  static [Symbol.hasInstance](value) { return branded(value, 'ExchangerError'); }
}
/** The request did not get a usable answer: network failure, timeout, HTTP status, non-JSON body. */
export class TransportError extends ObmennikError {
  static [Symbol.hasInstance](value) { return branded(value, 'TransportError'); }
}
