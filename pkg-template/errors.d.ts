/** Base class of every error the SDK throws on purpose. Never contains a key or secret. */
export declare class ObmennikError extends Error {
  protected constructor();
}
/** Input failed validation before anything was sent. */
export declare class ValidationError extends ObmennikError {
  readonly name: 'ValidationError';
  /** Every failed field with its rule. */
  readonly issues: FieldIssue[];
}
/** Why a gateway callback was rejected. */
export type CallbackErrorCode =
  | 'body_too_large'
  | 'body_not_json'
  | 'body_not_object'
  | 'version_missing'
  | 'version_too_old'
  | 'sign_missing'
  | 'sign_mismatch';
/** A gateway callback was rejected; `code` says why. */
export declare class CallbackError extends ObmennikError {
  readonly name: 'CallbackError';
  readonly code: CallbackErrorCode;
}
/** The gateway answered with `{"error": code}`. */
export declare class MerchantError extends ObmennikError {
  readonly name: 'MerchantError';
}
/** The exchanger answered with a non-zero `error`, or not at all. */
export declare class ExchangerError extends ObmennikError {
  readonly name: 'ExchangerError';
}
/** The request got no usable answer: network failure, timeout, HTTP status, non-JSON body. */
export declare class TransportError extends ObmennikError {
  readonly name: 'TransportError';
}
/**
 * Loads the WebAssembly module. Needed once in browsers (`await init()`), before any other
 * call; in Node and Workers the module is ready on import and this resolves at once.
 * @param input where `obmennik_bg.wasm` is: a URL, a `Response`, its bytes or a compiled
 * `WebAssembly.Module`. Defaults to the file next to the entry (`new URL(..., import.meta.url)`).
 */
export default function init(input?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module): Promise<void>;
