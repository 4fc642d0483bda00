// A local HTTP receiver on 127.0.0.1 for the suites that need one (IPN and callback targets).
import { createServer } from 'node:http';

/** A local HTTP server: `handle(rawBody, req)` returns [status, text]; every hit is kept. */
export async function receiver(handle) {
  const hits = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let status;
      let text;
      try {
        [status, text] = handle(raw, req);
      } catch (err) {
        [status, text] = [500, String(err && err.message)];
      }
      hits.push({ raw: raw.toString('utf8'), status, text });
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/ipn`,
    hits,
    close: () => new Promise((r) => {
      server.close(r);
      server.closeAllConnections();
    }),
  };
}
