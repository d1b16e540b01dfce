// Bundles the UI into the Python package (tracegraph/static/ui/), served by tracegraph.http.webapp at /.
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [preact()],
  // Assets are served from /static/ui/ with hashed names (long-cached); index.html itself is served for every UI route.
  base: "/static/ui/",
  build: {
    outDir: "../tracegraph/static/ui",
    emptyOutDir: true,
    target: "es2020",
    // No inline module-preload polyfill: the page's CSP allows scripts from 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
