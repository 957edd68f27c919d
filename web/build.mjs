// Builds dist/assistant-widget.js: the widget and socket.io-client in one minified file,
// with its stylesheet inside. Prints its size, raw and gzipped.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const outfile = "dist/assistant-widget.js";
await build({
  entryPoints: ["src/widget.js"],
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "ClinicAssistant",
  target: ["es2020"],
  loader: { ".css": "text" },
  legalComments: "eof",
  outfile,
});
const bytes = readFileSync(outfile);
console.log(`${outfile}: ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} bytes gzipped`);
