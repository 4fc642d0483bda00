// `obmennik/widget` outside a browser (the node, workerd, worker and deno conditions): the
// element needs a DOM, so here it only lets server code (server-side rendering, a shared
// module) import the package without crashing. Render the `<obmennik-widget>` tag as HTML on
// the server; the browser's `import 'obmennik/widget'` brings it to life.
export class ObmennikWidget {
  constructor() {
    throw new Error(
      "obmennik/widget: <obmennik-widget> runs in a browser (it needs the DOM). On the server, render the tag as HTML and import 'obmennik/widget' in the page.",
    );
  }
}
