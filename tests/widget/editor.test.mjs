// The editor's page (web/editor.html, GET /editor) in a real headless
// chromium against a real vraagbaak-searchd over the sample corpus (issue
// 16): what agents could not find, their flags resolved by keyboard, what
// is due for review, "why does this (not) match", hostile text kept inert,
// the editor role enforced, and axe at zero violations.  Run by run.sh.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { env, launch, newPage, startSearchd } from './harness.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const EDITOR = 'editor-test-token-0123456789';
const AGENT = 'agent-test-token-01234567890';
const hostile = '<img src=x onerror="window.pwned=1">';

let browser, daemon, dir;
const call = (path, options = {}, tok = EDITOR) => fetch(`${daemon.url}${path}`,
  { ...options, headers: { Authorization: `Bearer ${tok}`, ...(options.headers || {}) } });

before(async () => {
  browser = await launch();
  // A daemon of its own, with an editor's and an agent's token, and its
  // own analytics database (what agents searched and flagged here only).
  dir = mkdtempSync(join(tmpdir(), 'vb-editor-'));
  const hash = (name, role, secret) => {
    const r = spawnSync(env.searchd, ['--hash-token', name, role], { input: secret, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  writeFileSync(join(dir, 'searchd.conf'),
    hash('redactie', 'editor', EDITOR) + hash('crm', 'agent', AGENT) +
    `analytics_db = ${dir}/analytics.db\naudit_db = ${dir}/audit.db\n`);
  daemon = await startSearchd(['--config', join(dir, 'searchd.conf')]);
  // What agents did: a search nothing answers (twice), a hostile one, a
  // search that finds, and two flags (one with hostile text).
  for (const q of ['kabelbreuk tuinhuis', hostile, 'verhuizing']) {
    const r = await call(`/v1/search?${new URLSearchParams({ q, lang: 'nl' })}`, {}, AGENT);
    assert.equal(r.status, 200);
  }
  for (const flag of [{ doc: 'proc-verhuizing-nl', reason: 'outdated', comment: 'Het formulier is vervangen.' },
    { doc: 'prod-fiber-100-nl', reason: 'unclear', comment: hostile }]) {
    const r = await call('/v1/feedback', { method: 'POST', body: JSON.stringify(flag),
      headers: { 'Content-Type': 'application/json' } }, AGENT);
    assert.equal(r.status, 201, await r.text());
  }
  // The analytics writer thread records shortly after the answer, in
  // batches: wait for the first search and the last one.
  const recorded = async (kind, query) => (await (await call(`/v1/analytics?kind=${kind}`)).json())
    .queries.some((q) => q.query === query);
  for (let i = 0; i < 100; i++) {
    if (await recorded('zero-results', 'kabelbreuk tuinhuis') && await recorded('top', 'verhuizing')) break;
    await new Promise((done) => setTimeout(done, 100));
  }
});

after(async () => {
  await daemon?.stop();
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const openEditor = async (tok = EDITOR) => {
  const page = await newPage(browser);
  await page.goto(`${daemon.url}/editor#token=${tok}`);
  await page.locator('#status').getByText(/Bijgewerkt|token|mag dit niet/).waitFor();
  return page;
};

test('the page: zero results, flags, due reviews; the token leaves the address bar; hostile text stays text', async () => {
  const page = await openEditor();
  assert.equal(new URL(page.url()).hash, '', 'the token is not left in the address bar');
  const zero = page.locator('#zero tbody tr');
  await zero.filter({ hasText: 'kabelbreuk tuinhuis' }).waitFor();
  assert.match(await zero.filter({ hasText: 'kabelbreuk tuinhuis' }).innerText(), /^kabelbreuk tuinhuis\s+1\s/);
  assert.equal(await page.locator('#zero tbody tr', { hasText: 'verhuizing' }).count(), 0);
  await page.locator('#top tbody tr', { hasText: 'verhuizing' }).waitFor();

  const flags = page.locator('#flags tbody tr');
  assert.equal(await flags.count(), 2);
  await flags.filter({ hasText: 'proc-verhuizing-nl' }).getByText('verouderd').waitFor();
  // Hostile text from an agent and from a query is shown, not run.
  await flags.filter({ hasText: hostile }).waitFor();
  await page.locator('#top tbody tr', { hasText: hostile }).waitFor();
  assert.equal(await page.locator('main img').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);

  const review = page.locator('#review tbody tr', { hasText: 'prod-promo-zomer-2025-nl' });
  await review.getByText('verlopen').waitFor();
  assert.ok(await page.locator('#review tbody tr').count() >= 4);
  assert.deepEqual(page.errors, [], 'no CSP violation, no failed request');
  await page.context().close();
});

test('a flag is resolved from the keyboard', async () => {
  const page = await openEditor();
  const button = page.getByRole('button', { name: 'Melding 1 over proc-verhuizing-nl afgehandeld' });
  await button.focus();
  await page.keyboard.press('Enter');
  await page.locator('#status').getByText('Melding 1 (proc-verhuizing-nl) is afgehandeld.').waitFor();
  await page.locator('#flags tbody tr', { hasText: 'proc-verhuizing-nl' }).waitFor({ state: 'detached' });
  const focused = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
  assert.match(focused, /^Melding 2 /, 'focus moves to the next flag');
  const open = await (await call('/v1/feedback?state=open')).json();
  assert.deepEqual(open.entries.map((f) => f.doc), ['prod-fiber-100-nl']);
  const done = await (await call('/v1/feedback?state=resolved')).json();
  assert.equal(done.entries[0].resolved_by, 'redactie');
  await page.context().close();
});

test('why (not) found: the rank, the query as the index sees it, what the article holds', async () => {
  const page = await openEditor();
  // From a zero-result row: its "Waarom?" fills the query.
  await page.locator('#zero').getByRole('button', { name: 'Waarom: kabelbreuk tuinhuis' }).click();
  assert.equal(await page.locator('#why-q').inputValue(), 'kabelbreuk tuinhuis');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'why-doc');

  await page.locator('#why-q').fill('adres wijzigen na verhuizing');
  await page.locator('#why-doc').fill('proc-verhuizing-nl');
  await page.locator('#why-doc').press('Enter');
  await page.locator('#why-out').getByText(/staat op plaats \d+/).waitFor();
  const rows = page.locator('#why-out tbody tr');
  assert.match(await rows.filter({ hasText: 'verhuizing' }).innerText(), /verhuizing\s+verhuizing\s+ja/);

  // The French version of the article, asked in Dutch: found through its
  // translation group.
  await page.locator('#why-doc').fill('proc-verhuizing-fr');
  await page.locator('#why-doc').press('Enter');
  await page.locator('#why-out').getByText(/als zijn vertaling proc-verhuizing-nl/).waitFor();

  // An expired article: not found, and the page says why.
  await page.locator('#why-q').fill('zomerpromo tv-cinema');
  await page.locator('#why-doc').fill('prod-promo-zomer-2025-nl');
  await page.locator('#why-doc').press('Enter');
  await page.locator('#why-out').getByText('staat niet bij de eerste').waitFor();
  await page.locator('#why-out').getByText(/Geldig tot 2025-09-30: zoeken vindt dit artikel niet meer/).waitFor();
  assert.match(await rows.filter({ hasText: 'zomerpromo' }).innerText(), /\bja$/);

  // The editor's own searches are tests, not what agents need: not
  // recorded (an agent's search after them is, in order).
  assert.equal((await call(`/v1/search?q=controlewoord`, {}, AGENT)).status, 200);
  let top = [];
  for (let i = 0; i < 100 && !top.includes('controlewoord'); i++) {
    await new Promise((done) => setTimeout(done, 50));
    const zero = await (await call('/v1/analytics?kind=zero-results')).json();
    top = [...zero.queries, ...(await (await call('/v1/analytics?kind=top')).json()).queries].map((q) => q.query);
  }
  assert.ok(top.includes('controlewoord'));
  assert.ok(!top.includes('adres wijzigen na verhuizing') && !top.includes('zomerpromo tv-cinema'), top.join(', '));

  await page.locator('#why-doc').fill('bestaat-niet');
  await page.locator('#why-doc').press('Enter');
  await page.locator('#why-out').getByText('Geen artikel met id bestaat-niet.').waitFor();
  assert.deepEqual(page.errors.filter((e) => !/404/.test(e)), []);
  await page.context().close();
});

test('the editor role is enforced: no token, an agent token', async () => {
  const page = await newPage(browser);
  await page.goto(`${daemon.url}/editor`);
  await page.evaluate(() => sessionStorage.clear());
  await page.reload();
  await page.locator('#status').getByText('Geef een token met de rol editor.').waitFor();
  assert.equal(await page.locator('#zero tbody tr').count(), 0);
  await page.locator('#token').fill(AGENT);
  await page.locator('#token').press('Enter');
  await page.locator('#status').getByText(/Dit token mag dit niet/).waitFor();
  assert.equal(await page.locator('#flags tbody tr').count(), 0);
  await page.context().close();
});

test('a client chosen on the page: its flags and reviews only', async () => {
  const page = await openEditor();
  await page.locator('#tenant').fill('velora');
  await page.locator('#tenant').press('Enter');
  await page.locator('#status').getByText(/Bijgewerkt/).waitFor();
  // The sample corpus's due articles are Lumina's; Velora has none due.
  await page.locator('#review tbody td.empty').waitFor();
  await page.locator('#tenant').fill('lumina');
  await page.locator('#tenant').press('Enter');
  await page.locator('#review tbody tr', { hasText: 'prod-promo-zomer-2025-nl' }).waitFor();
  await page.locator('#tenant').fill('');
  await page.locator('#tenant').press('Enter');
  await page.locator('#status').getByText(/Bijgewerkt/).waitFor();
  await page.context().close();
});

test('axe-core: no violations on the editor page, filled and explaining; a screenshot', async () => {
  const page = await openEditor();
  await page.locator('#review tbody tr').first().waitFor();
  const axe = async (label) => {
    await page.evaluate(axeSource);
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`), [],
      `axe violations (${label})`);
  };
  await axe('lists shown');
  await page.locator('#why-q').fill('verhuizing melden');
  await page.locator('#why-doc').fill('proc-verhuizing-nl');
  await page.locator('#why-doc').press('Enter');
  await page.locator('#why-out table').waitFor();
  await axe('why panel filled');
  await page.screenshot({ path: join(env.artifacts, 'editor.png'), fullPage: true });
  await page.context().close();
});
