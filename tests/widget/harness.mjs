// Shared pieces of the widget tests: the browser, pages, a second
// vraagbaak-searchd and a tiny HTTP server for another loopback origin.
// run.sh sets VB_URL (the daemon serving web/), VB_SEARCHD, VB_INDEX,
// VB_WEB and VB_ARTIFACTS.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

export const env = {
  url: need('VB_URL'),
  searchd: need('VB_SEARCHD'),
  index: need('VB_INDEX'),
  web: need('VB_WEB'),
  artifacts: need('VB_ARTIFACTS'),
};

function need(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with tests/widget/run.sh`);
  return value;
}

export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    timeout: 20000,
  });
}

// A new page in its own context; page errors and console errors are
// collected in page.errors so a test can assert there were none.
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(8000);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(m.text());
  });
  page.dialogs = [];
  page.on('dialog', (d) => {
    page.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  return page;
}

// The widget's shadow root contents, as seen from the page.
export const widget = (page, selector = 'vraagbaak-search') => ({
  input: page.locator(`${selector} input[role=combobox]`),
  options: page.locator(`${selector} [role=option]`),
  pane: page.locator(`${selector} .pane`),
  status: page.locator(`${selector} [role=status]`),
});

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Starts another vraagbaak-searchd on 127.0.0.1 port 0 over the same
// index; resolves with { url, stop } once it printed its address.
export function startSearchd(extraArgs) {
  return new Promise((resolve, reject) => {
    const child = spawn(env.searchd,
      ['--index', env.index, '--listen', '127.0.0.1:0', '--web', env.web, ...extraArgs],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`searchd did not start within 10 s: ${stderr}`));
    }, 10000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`searchd exited (${code}): ${stderr}`));
    });
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const m = /^listening on (http:\/\/\S+)/.exec(line);
      if (!m) return reject(new Error(`unexpected first line: ${line}`));
      resolve({
        url: m[1],
        stop: () => new Promise((done) => {
          if (child.exitCode !== null) return done();
          child.removeAllListeners('exit');
          const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => { clearTimeout(kill); done(); });
          child.kill('SIGTERM');
        }),
      });
    });
  });
}

// An HTTP server on 127.0.0.1 port 0 answering every GET with
// handler(url) as HTML; resolves with { origin, close }.
export function serveHtml(handler) {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      const url = new URL(req.url, 'http://127.0.0.1');
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(handler(url));
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
      });
    });
  });
}
