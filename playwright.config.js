// End-to-end tests of the release build in Debian's Chromium (never a downloaded browser).
const { defineConfig } = require('@playwright/test');

const PORT = 8765;

module.exports = defineConfig({
  testDir: 'tests/e2e',
  timeout: 30_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    // The offline test turns the service worker on; elsewhere its precache download
    // would only slow the tests down.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: [
    // Serve the Trunk release build exactly as a static host would.
    {
      command: `python3 -m http.server ${PORT} --bind 127.0.0.1 --directory dist`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: false,
    },
    // A portal on another origin, with the same build under a sub-path (/apps/huiqi/ is
    // a symlink to dist/).
    {
      command: `python3 -m http.server ${PORT + 1} --bind 127.0.0.1 --directory tests/e2e/portal`,
      url: `http://127.0.0.1:${PORT + 1}/`,
      reuseExistingServer: false,
    },
  ],
});
