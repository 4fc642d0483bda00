// What the browser entries' init() does, for `obmennik` and `obmennik/core` alike: load the
// entry's .wasm and, when that fails, say which file from where and how to serve it
// (wasm-bindgen's own error names neither).
export async function loadWasm(wasmInit, input, file, entryUrl) {
  try {
    await wasmInit(input === undefined ? undefined : { module_or_path: input });
  } catch (cause) {
    const where = input === undefined ? new URL(file, entryUrl).href
      : typeof input === 'string' || input instanceof URL ? String(input) : 'the given input';
    throw new Error(
      `obmennik: could not load ${file} from ${where} (${cause && cause.message}). ` +
        'Serve the file with Content-Type application/wasm next to the package entry, or pass its URL, ' +
        'a Response or its bytes to init().',
      { cause },
    );
  }
}
