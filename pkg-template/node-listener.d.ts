/** The parts of a `node:http` `IncomingMessage` (or an Express request) that `toNodeListener` reads. */
export interface NodeRequestLike {
  method?: string;
  url?: string;
  headers: object;
}
/** The parts of a `node:http` `ServerResponse` (or an Express response) that `toNodeListener` uses. */
export interface NodeResponseLike {
  readonly headersSent: boolean;
}
/** A `node:http` request listener, also usable as an Express route handler. */
export type NodeListener = (req: NodeRequestLike, res: NodeResponseLike, next?: (error?: unknown) => void) => void;
/**
 * Adapts a Fetch-style handler (what `createExchangerProxy` returns) to Node's `(req, res)`:
 * `http.createServer(toNodeListener(handler))` or `app.post('/api/exchange/:method', toNodeListener(handler))`.
 * The client's IP comes from the socket and is passed as `{ clientIp }` for rate limiting.
 */
export declare function toNodeListener(
  handler: (request: Request, info?: ProxyRequestInfo) => Promise<Response>,
): NodeListener;
