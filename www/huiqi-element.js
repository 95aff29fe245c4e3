// <huiqi-calculator lang="zh" district="binjiang"></huiqi-calculator>
//
// The whole Huiqi app inside a shadow root, so the host page's CSS and ours never meet.
// Load it with one tag, from wherever the Huiqi folder is served:
//   <script type="module" src="/any/path/huiqi/huiqi-element.js"></script>
// Every other file is found relative to this script. The names below are filled in at
// build time (www/build/post-build.mjs) with this build's hashed file names.
const APP_JS = "__APP_JS__";
const APP_WASM = "__APP_WASM__";
const APP_CSS = "__APP_CSS__";
const here = (name) => new URL(name, import.meta.url).href;

// One module instance serves every element on the page.
let app;
function loadApp() {
  app ??= import(here(APP_JS)).then(async (module) => {
    await module.default({ module_or_path: fetch(here(APP_WASM), { integrity: "__WASM_INTEGRITY__" }) });
    return module;
  });
  return app;
}

class HuiqiCalculator extends HTMLElement {
  async connectedCallback() {
    if (this.shadowRoot) return; // moved within the page: already mounted
    const shadow = this.attachShadow({ mode: "open" });
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = here(APP_CSS);
    style.integrity = "__CSS_INTEGRITY__";
    const mount = document.createElement("div");
    mount.className = "huiqi-root";
    mount.textContent = this.getAttribute("lang") === "en" ? "Loading Huiqi…" : "惠企计算器加载中…";
    shadow.append(style, mount);
    try {
      const module = await loadApp();
      mount.textContent = "";
      module.mountCalculator(mount, this.getAttribute("lang"), this.getAttribute("district"));
    } catch (error) {
      mount.textContent = `惠企计算器无法加载 / Huiqi could not load: ${error}`;
      throw error;
    }
  }
}

if (!customElements.get("huiqi-calculator")) customElements.define("huiqi-calculator", HuiqiCalculator);
