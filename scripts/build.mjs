// Builds pkg/, the publishable npm package: the Rust core compiled to wasm once, optimised
// with binaryen's wasm-opt (from npm: Debian's binaryen 108 produces a .wasm that fails to
// load), wrapped by wasm-bindgen for Node (CommonJS, synchronous load) and for the web
// (ESM with init), plus the entries and typings in pkg-template/; and the exchange widget
// (pkg/widget/), a second wasm build of the crate's "widget" feature with its element; and
// obmennik/core (pkg/core/), a third build, of the "core" feature: signing and callback
// verification only, for webhook handlers and edge functions that load nothing else.
//
//   node scripts/build.mjs            release build (what npm test, start and bench use)
//   OBMENNIK_NO_OPT=1 node scripts/build.mjs   skip wasm-opt (quicker local iteration)
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const finalPkg = path.join(root, 'pkg');
// Built aside and swapped in at the end, so a test reading pkg/ never sees half a package.
const pkg = path.join(root, 'target', `pkg-${process.pid}`);
const stage = path.join(root, 'target', `bindgen-${process.pid}`);
const template = path.join(root, 'pkg-template');

function run(cmd, args, opts = {}) {
  execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
}

function cargoVersion() {
  const toml = fs.readFileSync(path.join(root, 'Cargo.toml'), 'utf8');
  return toml.match(/^version\s*=\s*"([^"]+)"/m)[1];
}

/** wasm-bindgen's glue for Node and for the web, named `name`, in `dir`/nodejs and `dir`/web. */
function bindgen(wasmIn, name, dir) {
  for (const target of ['nodejs', 'web']) {
    run('wasm-bindgen', ['--target', target, '--out-name', name, '--out-dir', path.join(dir, target), wasmIn]);
  }
  const nodeWasm = fs.readFileSync(path.join(dir, 'nodejs', `${name}_bg.wasm`));
  const webWasm = fs.readFileSync(path.join(dir, 'web', `${name}_bg.wasm`));
  if (!nodeWasm.equals(webWasm)) {
    throw new Error('wasm-bindgen produced different .wasm files per target; the package ships one');
  }
}

const require = createRequire(import.meta.url);
const started = Date.now();
run('cargo', ['build', '--lib', '--release', '--target', 'wasm32-unknown-unknown', '--no-default-features', '--features', 'sdk']);
fs.rmSync(stage, { recursive: true, force: true });
bindgen(path.join(root, 'target', 'wasm32-unknown-unknown', 'release', 'obmennik.wasm'), 'obmennik', stage);

fs.rmSync(pkg, { recursive: true, force: true });
fs.mkdirSync(pkg, { recursive: true });
const wasmOut = path.join(pkg, 'obmennik_bg.wasm');
function optimise(input, output) {
  if (process.env.OBMENNIK_NO_OPT === '1') {
    fs.copyFileSync(input, output);
    return;
  }
  const wasmOpt = path.join(root, 'node_modules', '.bin', 'wasm-opt');
  // rustc's default wasm32 features; wasm-opt must accept and keep them.
  const features = [
    '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
    '--enable-reference-types', '--enable-multivalue', '--enable-mutable-globals',
  ];
  run(wasmOpt, ['-Oz', ...features, input, '-o', output]);
}
optimise(path.join(stage, 'web', 'obmennik_bg.wasm'), wasmOut);

// wasm-bindgen's glue, renamed so Node never guesses the module kind from a package "type",
// with files of pkg-template/ appended. fast.js (every build): its fast paths replace the
// generated `sign`, `signJson` and `verifyCallback` and fall back to them, so the exports and
// typings stay; the glue calls its `obmennikVerifyBody`, which calls the generated
// `__obmennikBodyOverLimit`, not exported. http.js (the SDK only), the clients'
// HTTP loop: the glue calls its `obmennikConverse`, and it calls the generated
// `__obmennikHttpRead`, which is not exported, and sends through `obmennikSend`: send-node.js
// (node:http) in the nodejs glue, send-fetch.js (the global fetch) in the web one.
const APPENDED = {
  'fast.js': { replaces: ['sign', 'signJson', 'verifyCallback'], called: ['obmennikVerifyBody'], hidden: ['__obmennikBodyOverLimit'] },
  'http.js': { replaces: [], called: ['obmennikConverse'], hidden: ['__obmennikHttpRead'] },
  'send-node.js': { replaces: [], called: [], hidden: [] },
  'send-fetch.js': { replaces: [], called: [], hidden: [] },
};
function withFastPaths(target, glue, files) {
  if (!/\n(let|const) wasm\b|, wasm;/.test(glue)) {
    throw new Error(`wasm-bindgen's ${target} glue no longer declares wasm as fast.js expects`);
  }
  const texts = [];
  const replaced = [];
  for (const file of files) {
    const { replaces, called, hidden } = APPENDED[file];
    for (const name of replaces) {
      const declared = target === 'nodejs' ? `\nfunction ${name}(` : `\nexport function ${name}(`;
      if (!glue.includes(declared)) throw new Error(`wasm-bindgen's ${target} glue no longer declares ${name} as ${file} expects`);
    }
    for (const name of called) {
      if (!new RegExp(`\\b${name}\\(`).test(glue)) throw new Error(`wasm-bindgen's ${target} glue no longer calls ${name} as ${file} expects`);
    }
    for (const name of hidden) {
      const exported = target === 'nodejs' ? `\nexports.${name} = ${name};\n` : `\nexport function ${name}(`;
      if (!glue.includes(exported)) throw new Error(`wasm-bindgen's ${target} glue no longer exports ${name}`);
      glue = target === 'nodejs' ? glue.replace(exported, '\n') : glue.replace(exported, `\nfunction ${name}(`);
    }
    texts.push(fs.readFileSync(path.join(template, file), 'utf8').trimEnd());
    replaced.push(...replaces);
  }
  const reexport = target === 'nodejs' ? replaced.map((n) => `exports.${n} = ${n};`).join('\n') : '';
  return `${glue.trimEnd()}\n\n${texts.join('\n\n')}\n${reexport}\n`;
}
fs.writeFileSync(path.join(pkg, 'obmennik_node.cjs'), withFastPaths('nodejs', fs.readFileSync(path.join(stage, 'nodejs', 'obmennik.js'), 'utf8'), ['fast.js', 'http.js', 'send-node.js']));
// Before init() has resolved, the web glue's `wasm` is undefined and any call failed with
// "Cannot read properties of undefined"; it starts as a stand-in that throws what to do instead
// (the glue's own "already loaded?" checks then look at the instance, not at `wasm`).
const NOT_LOADED = 'obmennik: the .wasm is not loaded yet. Call `await init()` (the default export of obmennik) once before any other function.';
function withInitGuard(glue) {
  const edits = [
    ['\nlet wasmModule, wasmInstance, wasm;\n',
      `\nlet wasmModule, wasmInstance, wasm = new Proxy({}, { get() { throw new Error(${JSON.stringify(NOT_LOADED)}); } });\n`],
    ['function initSync(module) {\n    if (wasm !== undefined) return wasm;', 'function initSync(module) {\n    if (wasmInstance !== undefined) return wasm;'],
    ['async function __wbg_init(module_or_path) {\n    if (wasm !== undefined) return wasm;', 'async function __wbg_init(module_or_path) {\n    if (wasmInstance !== undefined) return wasm;'],
  ];
  for (const [from, to] of edits) {
    if (glue.split(from).length !== 2) throw new Error(`wasm-bindgen's web glue changed: no single ${JSON.stringify(from)}`);
    glue = glue.replace(from, () => to);
  }
  return glue;
}
fs.writeFileSync(path.join(pkg, 'obmennik_web.js'), withInitGuard(withFastPaths('web', fs.readFileSync(path.join(stage, 'web', 'obmennik.js'), 'utf8'), ['fast.js', 'http.js', 'send-fetch.js'])));

for (const file of ['node.cjs', 'browser.js', 'load-wasm.js', 'workerd.js', 'errors.mjs', 'node-listener.mjs']) {
  fs.copyFileSync(path.join(template, file), path.join(pkg, file));
}
for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE']) {
  fs.copyFileSync(path.join(root, file), path.join(pkg, file));
}

// errors.cjs and node-listener.cjs are their .mjs in CommonJS form: one source for both
// module systems (each exports only top-level classes and functions).
for (const name of ['errors', 'node-listener']) {
  const esm = fs.readFileSync(path.join(template, `${name}.mjs`), 'utf8');
  const exported = [...esm.matchAll(/^export (?:class|function) (\w+)/gm)].map((m) => m[1]);
  fs.writeFileSync(
    path.join(pkg, `${name}.cjs`),
    `'use strict';\n${esm.replace(/^export (class|function) /gm, '$1 ')}\nmodule.exports = { ${exported.join(', ')} };\n`,
  );
}

// One declaration file for every entry of obmennik (obmennik/core has its own, below):
// wasm-bindgen's (from the Rust types and doc comments) without its web-only init
// declarations, plus the error classes and init.
// wasm-bindgen declares `[Symbol.dispose]()` on every class, which only compiles with
// TypeScript's esnext.disposable lib; the method stays at run time where Symbol.dispose exists.
function generatedTypings(file) {
  return fs
    .readFileSync(file, 'utf8')
    .replaceAll('  [Symbol.dispose](): void;\n', '')
    // wasm-bindgen leaves its free() undocumented; every public item has a doc comment.
    .replaceAll('\n    free(): void;\n', '\n    /** Releases the wasm memory now rather than at garbage collection; the object is unusable after. */\n    free(): void;\n');
}
/** The declarations of `dts` that its functions, the code in `uses` or the `roots` name
 * (directly or through other declarations), each with its doc comment, in their order. */
function reachable(dts, uses, roots = []) {
  const ts = require('typescript');
  const file = ts.createSourceFile('generated.d.ts', dts, ts.ScriptTarget.Latest, true);
  const identifiers = (node, found = new Set()) => {
    if (ts.isIdentifier(node)) found.add(node.text);
    ts.forEachChild(node, (child) => { identifiers(child, found); }); // a truthy return would stop the walk
    return found;
  };
  const declared = new Map(file.statements.filter((s) => s.name).map((s) => [s.name.text, s]));
  const used = ts.createSourceFile('uses.d.ts', uses, ts.ScriptTarget.Latest, true);
  const queue = [...file.statements.filter(ts.isFunctionDeclaration).map((s) => s.name.text), ...identifiers(used), ...roots];
  const kept = new Set();
  while (queue.length) {
    const name = queue.pop();
    if (kept.has(name) || !declared.has(name)) continue;
    kept.add(name);
    queue.push(...identifiers(declared.get(name)));
  }
  return file.statements
    .filter((s) => s.name && kept.has(s.name.text))
    .map((s) => dts.slice(s.getFullStart(), s.getEnd()).replace(/^\n+/, ''))
    .join('\n\n');
}
const errorsDts = fs.readFileSync(path.join(template, 'errors.d.ts'), 'utf8');
const listenerDts = fs.readFileSync(path.join(template, 'node-listener.d.ts'), 'utf8');
const declarations = `${generatedTypings(path.join(stage, 'nodejs', 'obmennik.d.ts')).trimEnd()}\n\n${errorsDts}\n${listenerDts}`;
// The package is "type": "module"; CommonJS users (require) get the same declarations as .d.cts.
fs.writeFileSync(path.join(pkg, 'obmennik.d.ts'), declarations);
fs.writeFileSync(path.join(pkg, 'obmennik.d.cts'), declarations);

// The Node ESM entry names every export of the CommonJS one, so `import { sign }` works
// and both module systems share a single wasm instance. It loads it with require: an
// `import` of CommonJS goes through Node's CommonJS translator and export lexer, which cost
// a cold `import` about 3 ms more (tests/bench cold start).
function writeNodeEsm(dir) {
  const names = Object.keys(require(path.join(dir, 'node.cjs'))).filter((n) => n !== 'default');
  fs.writeFileSync(
    path.join(dir, 'node.mjs'),
    `// Node entry (ESM): the CommonJS entry, required, so both share one wasm instance.\n` +
      `import { createRequire } from 'node:module';\n\n` +
      `const cjs = createRequire(import.meta.url)('./node.cjs');\n\n` +
      `export const {\n  ${names.join(',\n  ')},\n} = cjs;\nexport default cjs.init;\n`,
  );
}
writeNodeEsm(pkg);

// The widget: its own wasm (feature "widget" only, in its own target dir so the two builds
// do not invalidate each other), the web glue, and the element with its CSS inlined.
const widgetTarget = path.join(root, 'target', 'widget');
// opt-level z: the widget is downloaded by every visitor of a partner page, size beats speed.
run('cargo', ['build', '--lib', '--release', '--target', 'wasm32-unknown-unknown', '--no-default-features', '--features', 'widget', '--target-dir', widgetTarget],
  { env: { ...process.env, CARGO_PROFILE_RELEASE_OPT_LEVEL: 'z' } });
const widgetStage = path.join(stage, 'widget');
run('wasm-bindgen', ['--target', 'web', '--out-name', 'core', '--no-typescript', '--out-dir', widgetStage,
  path.join(widgetTarget, 'wasm32-unknown-unknown', 'release', 'obmennik.wasm')]);
const widgetOut = path.join(pkg, 'widget');
fs.mkdirSync(widgetOut);
optimise(path.join(widgetStage, 'core_bg.wasm'), path.join(widgetOut, 'core_bg.wasm'));
const widgetTemplate = path.join(template, 'widget');
const css = fs.readFileSync(path.join(widgetTemplate, 'obmennik-widget.css'), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/\s+/g, ' ')
  .replace(/\s*([{};,>])\s*/g, '$1')
  .trim();
const element = fs.readFileSync(path.join(widgetTemplate, 'obmennik-widget.js'), 'utf8');
const placeholder = "'/*__OBMENNIK_WIDGET_CSS__*/'";
if (!element.includes(placeholder)) throw new Error('obmennik-widget.js lost its CSS placeholder');
fs.writeFileSync(path.join(widgetStage, 'obmennik-widget.js'), element.replace(placeholder, () => JSON.stringify(css)));
// The element and wasm-bindgen's glue (core.js) as one minified module: one request fewer on
// the partner's page, and a third of the JavaScript's transfer.
require('esbuild').buildSync({
  entryPoints: [path.join(widgetStage, 'obmennik-widget.js')],
  outfile: path.join(widgetOut, 'obmennik-widget.js'),
  bundle: true,
  format: 'esm',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
fs.copyFileSync(path.join(widgetTemplate, 'obmennik-widget.d.ts'), path.join(widgetOut, 'obmennik-widget.d.ts'));
// What `obmennik/widget` resolves to where there is no DOM (package.json's node, workerd, ... conditions).
fs.copyFileSync(path.join(widgetTemplate, 'server.js'), path.join(widgetOut, 'server.js'));

// obmennik/core: the "core" feature alone (sign, signingString, signJson, verifyCallback,
// verifyCallbackRequest) in its own target dir. opt-level 3 as the SDK: signing is on the hot
// path of every request, so speed still counts. The same fast paths, init guard and error
// classes (the root's errors.mjs / errors.cjs, so `instanceof` holds across entries).
const coreTarget = path.join(root, 'target', 'core');
run('cargo', ['build', '--lib', '--release', '--target', 'wasm32-unknown-unknown', '--no-default-features', '--features', 'core', '--target-dir', coreTarget]);
const coreStage = path.join(stage, 'core');
bindgen(path.join(coreTarget, 'wasm32-unknown-unknown', 'release', 'obmennik.wasm'), 'obmennik_core', coreStage);
const coreOut = path.join(pkg, 'core');
fs.mkdirSync(coreOut);
optimise(path.join(coreStage, 'web', 'obmennik_core_bg.wasm'), path.join(coreOut, 'obmennik_core_bg.wasm'));
fs.writeFileSync(path.join(coreOut, 'obmennik_core_node.cjs'), withFastPaths('nodejs', fs.readFileSync(path.join(coreStage, 'nodejs', 'obmennik_core.js'), 'utf8'), ['fast.js']));
fs.writeFileSync(path.join(coreOut, 'obmennik_core_web.js'), withInitGuard(withFastPaths('web', fs.readFileSync(path.join(coreStage, 'web', 'obmennik_core.js'), 'utf8'), ['fast.js'])));
for (const file of ['node.cjs', 'browser.js', 'workerd.js']) {
  fs.copyFileSync(path.join(template, 'core', file), path.join(coreOut, file));
}
writeNodeEsm(coreOut);
// The generated typings hold every type the crate derives (the clients' too): only the
// declarations the core's functions and the error classes reach are kept.
// OtherCallback: no function returns it (it would stop `type` from narrowing GatewayCallback),
// but a `default:` branch reads an unknown callback type as one.
const coreDeclarations = `${reachable(generatedTypings(path.join(coreStage, 'nodejs', 'obmennik_core.d.ts')), errorsDts, ['OtherCallback']).trimEnd()}\n\n${errorsDts.replaceAll('obmennik_bg.wasm', 'obmennik_core_bg.wasm')}`;
fs.writeFileSync(path.join(coreOut, 'obmennik-core.d.ts'), coreDeclarations);
fs.writeFileSync(path.join(coreOut, 'obmennik-core.d.cts'), coreDeclarations);

const manifest = JSON.parse(fs.readFileSync(path.join(template, 'package.json'), 'utf8'));
manifest.version = cargoVersion();
fs.writeFileSync(path.join(pkg, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

fs.rmSync(stage, { recursive: true, force: true });
fs.rmSync(finalPkg, { recursive: true, force: true });
fs.renameSync(pkg, finalPkg);

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`pkg/ built in ${((Date.now() - started) / 1000).toFixed(1)} s: obmennik_bg.wasm ${kb(fs.statSync(path.join(finalPkg, 'obmennik_bg.wasm')).size)}`);
const coreWasm = fs.readFileSync(path.join(finalPkg, 'core', 'obmennik_core_bg.wasm'));
console.log(`obmennik/core: obmennik_core_bg.wasm ${kb(coreWasm.length)}, ${kb(zlib.gzipSync(coreWasm, { level: 9 }).length)} gzip -9`);
const widgetFiles = ['obmennik-widget.js', 'core_bg.wasm'].map((f) => path.join(finalPkg, 'widget', f));
const gzipped = widgetFiles.map((f) => zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length);
console.log(`widget transfer (gzip -9): ${kb(gzipped[0] + gzipped[1])} = obmennik-widget.js (element, CSS, glue) ${kb(gzipped[0])} + core_bg.wasm ${kb(gzipped[1])}`);
