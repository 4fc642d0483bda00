// obmennik/core, browser and bundler entry: call `await init()` once before anything else. By
// default it fetches obmennik_core_bg.wasm next to this file (bundlers such as Vite emit it as
// an asset). The error classes are the root entry's own, so `instanceof` holds across entries.
import wasmInit from './obmennik_core_web.js';

export * from './obmennik_core_web.js';
export * from '../errors.mjs';

export default async function init(input) {
  try {
    await wasmInit(input === undefined ? undefined : { module_or_path: input });
  } catch (cause) {
    const where = input === undefined ? new URL('obmennik_core_bg.wasm', import.meta.url).href
      : typeof input === 'string' || input instanceof URL ? String(input) : 'the given input';
    throw new Error(
      `obmennik: could not load obmennik_core_bg.wasm from ${where} (${cause && cause.message}). ` +
        'Serve the file with Content-Type application/wasm next to the package entry, or pass its URL, ' +
        'a Response or its bytes to init().',
      { cause },
    );
  }
}
