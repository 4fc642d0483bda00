// Types of the <obmennik-widget> element (`import 'obmennik/widget'`).

/** `detail` of `obmennik:ready`: the widget has loaded the exchanger's directions. */
export interface ObmennikReadyDetail {
  /** The language the widget speaks: the `lang` attribute, else the page's `<html lang>`, then
   * the browser's language (anything not Russian is English). */
  lang: 'ru' | 'en';
  /** How many exchange directions the exchanger offers. */
  directions: number;
  /** True when an open bid saved in the page's storage is being resumed. */
  resumed: boolean;
}

/** A bid as `obmennik:bid-created` and `obmennik:status` report it (the exchanger's wire names). */
export interface ObmennikBidDetail {
  /** The exchanger's bid number, as shown to the user. */
  id: string;
  /** The bid's secret hash: the widget follows the bid by it, never by `id`. */
  hash: string;
  /** The exchanger's status code: `new`, `payed`, `success`, `cancel`, ... (configurable per exchanger). */
  status: string;
  /** The status as the exchanger names it; empty until the server has said. */
  status_title: string;
  /** The bid's page on the exchanger. */
  url: string;
  /** The amount the user gives, as the exchanger wrote it. */
  amount_give: string;
  /** The amount the user gets, as the exchanger wrote it. */
  amount_get: string;
  /** The code of the currency given, such as `BTC`. */
  currency_code_give: string;
  /** The code of the currency received, such as `RUB`. */
  currency_code_get: string;
  /** True for `success`, `cancel`, `delete`, `refund`: the status will not change again. */
  final: boolean;
}

/** `detail` of `obmennik:quote`: the quote the widget shows now, each time a new amount or
 * direction is quoted (the exchanger's wire names). */
export interface ObmennikQuoteDetail {
  /** The exchange direction's id. */
  direction_id: string;
  /** The code of the currency given, such as `BTC`. */
  currency_code_give: string;
  /** The code of the currency received, such as `RUB`. */
  currency_code_get: string;
  /** The amount the user gives, as the exchanger wrote it. */
  amount_give: string;
  /** The amount the user gets, as the exchanger wrote it. */
  amount_get: string;
  /** True when the amount typed was outside the limits and the exchanger moved it into them. */
  changed: boolean;
}

/** Why something failed: the proxy's error kinds, plus the widget's own. */
export type ObmennikErrorKind =
  | 'validation'
  | 'not_found'
  | 'no_partner_program'
  | 'maintenance'
  | 'action_disabled'
  | 'ip_blocked'
  | 'method_not_supported'
  | 'api_disabled'
  | 'unknown'
  | 'upstream_timeout'
  | 'upstream_unavailable'
  | 'method_not_allowed'
  | 'bad_request'
  | 'payload_too_large'
  | 'request_timeout'
  | 'origin_not_allowed'
  | 'rate_limited'
  | 'http_method'
  /** A fault in the proxy itself. */
  | 'internal'
  /** The proxy could not be reached. */
  | 'network'
  /** The proxy's answer was not what the protocol says. */
  | 'bad_response'
  /** The widget's wasm could not be loaded. */
  | 'load';

/** `detail` of `obmennik:error`. The widget also shows the problem to the user. */
export interface ObmennikErrorDetail {
  /** What failed (see `ObmennikErrorKind`). */
  kind: ObmennikErrorKind;
  /** The exchanger's `error` code (1, 2, 3) for exchanger errors, 0 otherwise. */
  code: number;
  /** English text for logs; never contains a key. */
  message: string;
  /** The exchanger method that failed (`get_calc`, `create_bid`, ...), or '' when loading. */
  method: string;
}

/** The events `<obmennik-widget>` dispatches (they bubble and cross the shadow boundary). */
export interface ObmennikWidgetEventMap extends HTMLElementEventMap {
  'obmennik:ready': CustomEvent<ObmennikReadyDetail>;
  'obmennik:quote': CustomEvent<ObmennikQuoteDetail>;
  'obmennik:bid-created': CustomEvent<ObmennikBidDetail>;
  'obmennik:status': CustomEvent<ObmennikBidDetail>;
  'obmennik:error': CustomEvent<ObmennikErrorDetail>;
}

/**
 * `<obmennik-widget endpoint="/exchange-api" lang="ru" give="BTC" get="Sberbank RUB" amount="0.01" theme="light">`:
 * a whole exchange on the page, talking only to the proxy at `endpoint` (which holds the API key).
 * Attributes: `endpoint` (required), `lang` (`ru` | `en`, else the page's language), `give` / `get`
 * (a currency id, title or code; one that names no currency falls back to one and logs a
 * `console.warn` with valid choices), `amount` (in the give currency), `theme` (`light` | `dark`).
 * All are observed: changing one at run time takes effect at once; `give`, `get` and `amount`
 * apply on the amount screen, also when set again to the value they have. The open bid is kept
 * in `localStorage` per `endpoint` and element `id`: give two widgets with one endpoint an `id` each.
 */
export declare class ObmennikWidget extends HTMLElement {
  /** The attributes the element reacts to: `endpoint`, `lang`, `give`, `get`, `amount`, `theme`. */
  static readonly observedAttributes: readonly string[];
  /** Listens to the widget's events with their `detail` typed (`obmennik:ready`, `obmennik:bid-created`, ...). */
  addEventListener<K extends keyof ObmennikWidgetEventMap>(
    type: K,
    listener: (this: ObmennikWidget, ev: ObmennikWidgetEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  /** Listens to other events, as on every element. */
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  /** Removes a listener added for one of the widget's events. */
  removeEventListener<K extends keyof ObmennikWidgetEventMap>(
    type: K,
    listener: (this: ObmennikWidget, ev: ObmennikWidgetEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  /** Removes a listener of another event. */
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'obmennik-widget': ObmennikWidget;
  }
}
