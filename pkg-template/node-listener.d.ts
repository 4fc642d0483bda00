/** The parts of a `node:http` `IncomingMessage` (or an Express request) that `toNodeListener` reads. */
export interface NodeRequestLike {
  /** The HTTP method, such as `POST` or `OPTIONS`. */
  method?: string;
  /** The path and query the request was made to (Express rewrites it below a mount point). */
  url?: string;
  /** The request headers as Node gives them (lower-case names). */
  headers: object;
}
/** The parts of a `node:http` `ServerResponse` (or an Express response) that `toNodeListener` uses. */
export interface NodeResponseLike {
  /** True once the headers went out; the listener then leaves the response alone. */
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
