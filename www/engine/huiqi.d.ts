export * from "./huiqi_engine.js";
import type { BundleInfo } from "./huiqi_engine.js";

/** Compiles the wasm and puts in use the rules this build was made with (`../rules.json`,
 * checked against the hash compiled in). Pass `wasm` and `rules` where fetching beside this
 * file does not work (Node: the files' contents). @throws {HuiqiError} if the rules do not match. */
export default function start(given?: { wasm?: BufferSource | WebAssembly.Module | URL | string; rules?: string }): Promise<BundleInfo>;
