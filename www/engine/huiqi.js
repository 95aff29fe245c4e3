// The engine-only JS API with its rules: `await start()` compiles the wasm and reads the
// rules.json this build was made with (one folder up), checked against the hash compiled
// into the wasm. Everything else is huiqi_engine.js, re-exported as it is.
import init, { loadBuiltInBundle } from "./huiqi_engine.js";

export * from "./huiqi_engine.js";

/**
 * @param {{ wasm?: BufferSource | WebAssembly.Module | URL | string, rules?: string }} [given]
 *   `wasm` and `rules` for hosts that have them already (Node: the file contents);
 *   by default both are fetched beside this file.
 * @returns {Promise<import("./huiqi_engine.js").BundleInfo>}
 */
export default async function start(given = {}) {
  await init(given.wasm === undefined ? undefined : { module_or_path: given.wasm });
  const rules = given.rules ?? (await fetchText(new URL("../rules.json", import.meta.url)));
  return loadBuiltInBundle(rules);
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Huiqi: could not load the rules from ${url} (HTTP ${response.status})`);
  return response.text();
}
