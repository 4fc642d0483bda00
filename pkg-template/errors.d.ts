/** Base class of every error the SDK throws on purpose. Never contains a key or secret. */
export declare class ObmennikError extends Error {
  protected constructor();
}
/** Input failed validation before anything was sent. */
export declare class ValidationError extends ObmennikError {
  /** Always `'ValidationError'` (the class is also recognised with `instanceof`). */
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
  | 'sign_mismatch'
  /** With the `tolerance` option: no numeric `timeStamp` field. */
  | 'timestamp_missing'
  /** With the `tolerance` option: `timeStamp` further from now than the tolerance. */
  | 'timestamp_outside_tolerance'
  /** An exchanger status callback without a valid `bid_id` and `status`. */
  | 'malformed';
/** A gateway callback or an exchanger status callback was rejected; `code` says why. */
export declare class CallbackError extends ObmennikError {
  /** Always `'CallbackError'` (the class is also recognised with `instanceof`). */
  readonly name: 'CallbackError';
  /** Why the callback was rejected. */
  readonly code: CallbackErrorCode;
  /** For `malformed`: every bad field with its rule. */
  readonly issues?: FieldIssue[];
}
/** The gateway answered with `{"error": code, "info": ...}`. */
export declare class MerchantError extends ObmennikError {
  /** Always `'MerchantError'` (the class is also recognised with `instanceof`). */
  readonly name: 'MerchantError';
  /** The gateway's code, as in the seed's error table (`MerchantErrorCode`), or another string it sent. */
  readonly code: MerchantErrorCode | (string & {});
  /** The gateway's optional `info` text, with the keys and the request's signature masked. */
  readonly info?: string;
  /** What the code means and what to do, in English. */
  readonly description: string;
  /** True when the same request may succeed later (`rate_limit`, `no_cards`, ...). */
  readonly retryable: boolean;
}
/** The exchanger answered with a non-zero `error`, or with nothing usable. */
export declare class ExchangerError extends ObmennikError {
  /** Always `'ExchangerError'` (the class is also recognised with `instanceof`). */
  readonly name: 'ExchangerError';
  /** The envelope's `error`: 1 not found / unavailable, 2 access, 3 method or validation; 0 for `api_disabled`. */
  readonly code: number;
  /** What the error means, from the code and `error_text` (see `ExchangerErrorKind`). */
  readonly kind: ExchangerErrorKind;
  /** The server's `error_text` as plain text (HTML removed, as in `fields`). */
  readonly errorText: string;
  /** `error_fields` as plain text (HTML removed), by field name. */
  readonly fields: Record<string, string>;
  /** How to fix it, when the SDK knows (e.g. for `api_disabled`). */
  readonly hint?: string;
  /** The wire method that failed, e.g. `create_bid`. */
  readonly method: string;
  /** From `createBid`: the `api_id` it sent; retry with it and the bid cannot be doubled. */
  readonly apiId?: string;
}
/** What went wrong below the API: see `kind`. */
export type TransportErrorKind = 'network' | 'timeout' | 'aborted' | 'http_status' | 'not_json';
/** The request got no usable answer: network failure, timeout, abort, HTTP status, non-JSON body. */
export declare class TransportError extends ObmennikError {
  /** Always `'TransportError'` (the class is also recognised with `instanceof`). */
  readonly name: 'TransportError';
  /** What went wrong: `network`, `timeout`, `aborted`, `http_status` or `not_json`. */
  readonly kind: TransportErrorKind;
  /** False when the caller aborted, for a redirect (which no client follows) and for a 4xx
   * other than 408 and 429: the same request would end the same way. */
  readonly retryable: boolean;
  /** The HTTP status, when an answer came. */
  readonly status?: number;
  /** The first 200 characters of the answer, with the client's keys and the request's
   * signature masked. */
  readonly bodyExcerpt?: string;
  /** From `ExchangerClient.createBid`: the `api_id` it sent. The bid may exist; retry with
   * the same `api_id` and the SDK returns it instead of creating another. */
  readonly apiId?: string;
}
/**
 * Loads the WebAssembly module. Needed once in browsers (`await init()`), before every other
 * call; in Node and Workers the module is ready on import and this resolves at once.
 * @param input where `obmennik_bg.wasm` is: a URL, a `Response`, its bytes or a compiled
 * `WebAssembly.Module`. Defaults to the file next to the entry (`new URL(..., import.meta.url)`).
 */
export default function init(input?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module): Promise<void>;
