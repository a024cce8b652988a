// The widget (web/widget.js) and the demo page (web/index.html) in a real
// headless chromium, against a real vraagbaak-searchd over the sample
// corpus.  Run by run.sh (CTest: widget_browser); one test per promise of
// issue 5 / Contract 4.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { env, launch, newPage, serveHtml, sleep, startSearchd, widget } from './harness.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const demo = async (options) => {
  const page = await newPage(browser, options);
  await page.goto(`${env.url}/`);
  await widget(page).input.waitFor();
  return page;
};

// A page at the daemon's origin (so no CORS is involved) with this HTML.
const hostPage = async (path, html) => {
  const page = await newPage(browser);
  await page.route(`${env.url}${path}`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await page.goto(`${env.url}${path}`);
  return page;
};

// Resolves once the newest query's results are shown (no request pending).
const settled = (page) => page.waitForFunction(() => document.querySelector('vraagbaak-search')
  .shadowRoot.querySelector('[role=listbox]')?.getAttribute('aria-busy') === 'false');

const optionTitles = (page) => widget(page).options.locator('.t').allTextContents();

test('widget.js is one small file and defines no globals but the element', async () => {
  const bytes = statSync(join(env.web, 'widget.js')).size;
  // Contract 4: tens of kilobytes, not hundreds (48 KiB since the
  // editors' "Report" form).
  assert.ok(bytes <= 48 * 1024, `widget.js is ${bytes} bytes, more than 48 KiB`);
  const bare = '<!doctype html><html lang="en"><title>t</title><body></body>';
  const withWidget = '<!doctype html><html lang="en"><title>t</title><script src="/widget.js"></script><body></body>';
  const page = await hostPage('/bare.html', bare);
  const before = await page.evaluate(() => Object.getOwnPropertyNames(window));
  const page2 = await hostPage('/with.html', withWidget);
  const after = await page2.evaluate(() => Object.getOwnPropertyNames(window));
  assert.deepEqual(after.filter((name) => !before.includes(name)), []);
  assert.equal(await page2.evaluate(() => typeof customElements.get('vraagbaak-search')), 'function');
  assert.deepEqual(page2.errors, []);
  await page.context().close();
  await page2.context().close();
});

test('typing shows highlighted results, articles and customer history apart', async () => {
  const page = await demo();
  const w = widget(page);
  await w.input.click();
  await page.keyboard.type('verhuizing', { delay: 30 }); // one request per keystroke
  await settled(page);
  await page.locator('vraagbaak-search [role=group] >> nth=1').waitFor();
  await w.options.first().locator('mark').first().waitFor();
  assert.match(await w.options.first().locator('mark').first().textContent(), /verhui/i);
  const first = w.options.first();
  assert.ok((await first.locator('.t').textContent()).length > 5, 'title');
  const meta = await first.locator('.meta').textContent();
  assert.match(meta, /Procedure|Product/, 'type');
  assert.match(meta, /\bNL\b/, 'language');
  assert.match(meta, /bijgewerkt \d/, 'last update');
  const groups = await page.locator('vraagbaak-search .glabel').allTextContents();
  assert.deepEqual(groups, ['Kennisbank', 'Klanthistoriek']);
  // History options carry channel and date, and come from C000123 only.
  const history = page.locator('vraagbaak-search [role=group] >> nth=1').locator('[role=option]');
  assert.ok(await history.count() >= 1);
  assert.match(await history.first().locator('.meta').textContent(), /(Telefoon|E-mail|Chat|Brief|Bezoek|Sociale media).*\d{4}/);
  // A translation switcher on hits that exist in other languages.
  assert.ok(await page.locator('vraagbaak-search .tr[data-lang]').count() >= 1);
  assert.match(await w.status.textContent(), /^(\d+ van )?\d+ artikels?$/);
  await page.screenshot({ path: join(env.artifacts, 'demo-results.png') });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('empty box with a customer: history newest first; empty state; did you mean', async () => {
  const page = await newPage(browser);
  const historyResponse = page.waitForResponse((r) => r.url().includes('/v1/search?') && r.url().includes('customer=C000123'));
  await page.goto(`${env.url}/`);
  const api = await (await historyResponse).json();
  assert.equal(api.query, '');
  const dates = api.hits.map((h) => Date.parse(h.date));
  assert.deepEqual(dates, [...dates].sort((a, b) => b - a), 'the API lists newest first');
  const w = widget(page);
  await w.options.first().waitFor();
  assert.deepEqual(await optionTitles(page), api.hits.map((h) => h.title), 'shown in that order');
  assert.deepEqual(await page.locator('vraagbaak-search .glabel').allTextContents(), ['Laatste contacten van de klant']);
  assert.match(await w.options.first().locator('.badge').first().textContent(), /^(Telefoon|E-mail|Chat|Brief|Bezoek|Sociale media)$/);

  await w.input.fill('qqxqzzyv');
  await page.locator('vraagbaak-search .empty').getByText('Geen artikels gevonden voor “qqxqzzyv”.').waitFor();
  await page.locator('vraagbaak-search .empty').getByText('Controleer de spelling').waitFor();

  await w.input.fill('facutur');
  const dym = page.locator('vraagbaak-search button.dym');
  await dym.waitFor();
  assert.equal(await dym.textContent(), 'factuur');
  assert.match(await w.status.textContent(), /Bedoelde je factuur\?/);
  await dym.click();
  assert.equal(await w.input.inputValue(), 'factuur');
  await page.waitForFunction(() => {
    const root = document.querySelector('vraagbaak-search').shadowRoot;
    return [...root.querySelectorAll('[role=option] mark')].some((m) => /factu/i.test(m.textContent));
  });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('keyboard: focus shortcut, arrows, Enter opens, Escape closes then clears', async () => {
  const page = await demo();
  const w = widget(page);
  await page.locator('#customer-name').click();
  await page.keyboard.press('Alt+K');
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'VRAAGBAAK-SEARCH');
  assert.equal(await page.evaluate(() => document.querySelector('vraagbaak-search').shadowRoot.activeElement?.getAttribute('role')), 'combobox');
  await page.locator('#customer-name').click();
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.querySelector('vraagbaak-search').shadowRoot.activeElement?.getAttribute('role')), 'combobox');
  assert.equal(await w.input.inputValue(), '', '"/" focuses without typing itself');

  await page.keyboard.type('verhuizing doorgeven');
  await page.waitForFunction(() => document.querySelector('vraagbaak-search').shadowRoot
    .querySelector('[role=option] .t')?.textContent.startsWith('Verhuizing doorgeven'));
  await settled(page);
  const expanded = await w.input.getAttribute('aria-expanded');
  assert.equal(expanded, 'true');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const second = w.options.nth(1);
  assert.equal(await second.getAttribute('aria-selected'), 'true');
  assert.equal(await w.input.getAttribute('aria-activedescendant'), await second.getAttribute('id'));
  await page.keyboard.press('ArrowUp');
  const first = w.options.first();
  assert.equal(await first.getAttribute('aria-selected'), 'true');
  assert.equal(await second.getAttribute('aria-selected'), 'false');
  const title = await first.locator('.t').textContent();

  await page.keyboard.press('Enter');
  await w.pane.locator('h2').waitFor();
  await w.pane.locator('.md h4').first().waitFor();
  assert.equal(await w.pane.locator('h2').textContent(), title);
  const doc = await (await fetch(`${env.url}/v1/docs/proc-verhuizing-nl`)).json();
  assert.equal(doc.title, title);
  // Markdown rendered: headings, an ordered list, a table, strong text.
  assert.ok(await w.pane.locator('.md ol > li').count() >= 5);
  assert.ok(await w.pane.locator('.md table th').count() === 2);
  assert.equal(await w.pane.locator('.md strong').first().textContent(), 'geen dag zonder internet');
  assert.equal(await page.evaluate(() => document.querySelector('vraagbaak-search').shadowRoot.activeElement?.getAttribute('role')), 'combobox', 'focus stays in the box');

  // Translation switcher in the pane: FR version of the same article.
  await w.pane.getByRole('button', { name: /Frans/ }).click();
  await page.waitForFunction(() => document.querySelector('vraagbaak-search').shadowRoot.querySelector('.pane h2')?.lang === 'fr');
  assert.equal(await w.pane.getByRole('button', { name: /Frans/ }).getAttribute('aria-pressed'), 'true');

  await page.keyboard.press('Escape');
  assert.ok(await w.pane.isHidden(), 'Escape closes the pane');
  assert.equal(await w.input.inputValue(), 'verhuizing doorgeven', 'and keeps the query');
  await page.keyboard.press('Escape');
  assert.equal(await w.input.inputValue(), '', 'a second Escape clears');
  await page.locator('vraagbaak-search .glabel').getByText('Laatste contacten van de klant').waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Alt+C copies the article, or the selected part, as plain text', async () => {
  const page = await demo();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.url });
  const w = widget(page);
  await w.input.click();
  await page.keyboard.type('verhuizing doorgeven');
  await page.waitForFunction(() => document.querySelector('vraagbaak-search').shadowRoot
    .querySelector('[role=option] .t')?.textContent.startsWith('Verhuizing doorgeven'));
  await settled(page);
  // Without the pane open, Alt+C opens the first hit and copies it.
  await page.keyboard.press('Alt+C');
  await w.status.getByText('Artikel gekopieerd.').waitFor();
  const article = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(article, /^Verhuizing doorgeven \(internet, tv, mobiel & energie\)\n\nVerhuizing doorgeven\n\n/);
  assert.match(article, /\n1\. Identificeer de klant/);
  assert.match(article, /Glasvezel aanwezig & al actief \| activatie op afstand/);
  assert.match(article, /\n- Verhuizing van internet en tv: gratis, ook met technicus\./);
  assert.doesNotMatch(article, /\*\*|<[a-z]/, 'no Markdown or markup');

  // A selection inside the pane: only that part.
  const selected = await page.evaluate(() => {
    const root = document.querySelector('vraagbaak-search').shadowRoot;
    const paragraph = root.querySelector('.pane .md p');
    const range = document.createRange();
    range.selectNodeContents(paragraph);
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return paragraph.textContent;
  });
  await page.keyboard.press('Alt+C');
  await w.status.getByText('Selectie gekopieerd.').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), selected);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a slow earlier response never overwrites a newer one', async () => {
  const page = await newPage(browser);
  let delayed = 0;
  await page.route('**/v1/search?*', async (route) => {
    const q = new URL(route.request().url()).searchParams.get('q');
    if (q === 'modem') {
      delayed++;
      await sleep(1000);
    }
    // The widget aborts the stale request: continuing it may then fail.
    await route.continue().catch(() => {});
  });
  await page.goto(`${env.url}/`);
  const w = widget(page);
  await w.options.first().waitFor(); // the customer's history
  const slow = page.waitForRequest((r) => r.url().includes('q=modem'));
  await w.input.fill('modem');
  await slow;
  await w.input.fill('phishing');
  await page.waitForFunction(() => /Phishing/.test(document.querySelector('vraagbaak-search').shadowRoot.querySelector('[role=option] .t')?.textContent));
  await sleep(1300); // the slow 'modem' response has had its chance
  assert.ok(delayed >= 1);
  const titles = await optionTitles(page);
  assert.match(titles[0], /^Phishing/);
  assert.ok(!titles.some((t) => /modem/i.test(t) && !/phishing/i.test(t)), `stale results shown: ${titles}`);
  assert.equal(await w.input.inputValue(), 'phishing');
  await page.context().close();
});

test('hostile documents (<img onerror>, <script>) render as inert text', async () => {
  const page = await newPage(browser);
  await page.addInitScript(() => {
    window.__xss = false;
    window.alert = window.confirm = window.prompt = () => { window.__xss = true; };
  });
  await page.goto(`${env.url}/`);
  const w = widget(page);
  await w.input.fill('phishing');
  await page.waitForFunction(() => /Phishing/.test(document.querySelector('vraagbaak-search').shadowRoot.querySelector('[role=option] .t')?.textContent));
  assert.match(await w.options.first().locator('.t').textContent(), /<img src=x onerror=alert\(1\)> en <script>alert\('x'\)<\/script>/);
  await w.input.press('Enter');
  await w.pane.locator('.md code').first().waitFor();
  for (const [lang, name] of [['nl', null], ['fr', /Frans/], ['en', /Engels/]]) {
    if (name) {
      await w.pane.getByRole('button', { name }).click();
      await page.waitForFunction((l) => document.querySelector('vraagbaak-search').shadowRoot.querySelector('.pane h2')?.lang === l && document.querySelector('vraagbaak-search').shadowRoot.querySelector('.pane .md'), lang);
    }
    assert.match(await w.pane.locator('h2').textContent(), /<img src=x onerror=alert\(1\)>.*<script>alert\('x'\)<\/script>/);
    const codes = await w.pane.locator('.md code').allTextContents();
    assert.ok(codes.includes('<img src=x onerror=alert(1)>'), `${lang}: ${codes}`);
    assert.ok(codes.includes("<script>alert('x')</script>"));
  }
  await sleep(300); // an onerror would have fired by now
  const found = await page.evaluate(() => {
    const root = document.querySelector('vraagbaak-search').shadowRoot;
    const all = [...root.querySelectorAll('*')];
    return {
      dangerous: root.querySelectorAll('img, script, iframe, object, embed, svg, style:not(:first-child)').length,
      handlers: all.filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
      xss: window.__xss,
    };
  });
  assert.deepEqual(found, { dangerous: 0, handlers: 0, xss: false });
  assert.deepEqual(page.dialogs, []);
  await page.context().close();
});

test('article bodies as the server renders them: safe links, raw HTML as text, HTML bodies as inert text', async () => {
  const page = await newPage(browser);
  await page.addInitScript(() => {
    window.__xss = false;
    window.alert = () => { window.__xss = true; };
  });
  const hostile = {
    id: 'hostile-nl', type: 'procedure', lang: 'nl', title: 'Hostile <b onmouseover=alert(1)>x</b>',
    group: null, tags: [], products: [], updated: '2026-01-02', customer: null, channel: null, date: null,
    body_format: 'markdown',
    body: [
      '# Kop', '', 'Tekst met <img src=x onerror=alert(1)> en <script>alert(2)</script> erin.', '',
      '<div onclick="alert(3)">blok</div>', '',
      '[veilig](https://www.lumina.example/a?b=1) [mail](mailto:klant@lumina.example) ' +
        '[js](javascript:alert(4)) [data](data:text/html;base64,PHNjcmlwdD4K) [rel](/relatief) [x](<javascript:alert(5)>)', '',
      '- **vet** en *schuin* en `code <b>`', '- tweede', '  1. genest', '', '> citaat', '',
      '| a | b |', '|---|:-:|', '| 1 | <i>2</i> |', '', '```', '<script>alert(6)</script>', '```',
    ].join('\n'),
  };
  const htmlEvent = {
    ...hostile, id: 'hostile-html', title: 'HTML-mail', body_format: 'html',
    body: '<html><body><p>Beste klant,</p><p>Zie <img src=x onerror="alert(7)"> &quot;hier&quot;<script>alert(8)</script></p><style>*{display:none}</style></body></html>',
  };
  await page.route('**/v1/search?*', (route) => route.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({
      query: 'x', total: 2, took_us: 1, suggestion: null,
      hits: [hostile, htmlEvent].map((d) => ({ ...d, score: 1, translations: [],
        snippet: 'a &lt;img src=x onerror=alert(9)&gt; <mark>b</mark> &amp; c' })),
    }),
  }));
  // The documents are stored and rendered by the real daemon
  // (document/display.c); only the hit list is staged.
  const put = (d) => fetch(`${env.url}/v1/docs/${d.id}`, {
    method: 'PUT', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: d.type, lang: d.lang, title: d.title,
      [d.body_format === 'html' ? 'body_html' : 'body']: d.body }),
  });
  for (const d of [hostile, htmlEvent]) assert.ok((await put(d)).ok, d.id);
  await page.goto(`${env.url}/`);
  const w = widget(page);
  await w.input.fill('x');
  await w.options.first().waitFor();
  assert.equal(await w.options.first().locator('.snip').textContent(), 'a <img src=x onerror=alert(9)> b & c');
  assert.equal(await w.options.first().locator('.snip mark').textContent(), 'b');
  await w.input.press('Enter');
  await w.pane.locator('.md').waitFor();
  const md = await page.evaluate(() => {
    const pane = document.querySelector('vraagbaak-search').shadowRoot.querySelector('.pane');
    return {
      title: pane.querySelector('h2').textContent,
      heading: pane.querySelector('.md h3')?.textContent,
      paragraphs: [...pane.querySelectorAll('.md > p')].map((p) => p.textContent),
      links: [...pane.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href'), a.target, a.rel]),
      strong: pane.querySelector('li strong')?.textContent, em: pane.querySelector('li em')?.textContent,
      code: pane.querySelector('li code')?.textContent,
      nested: pane.querySelector('ul li ol li')?.textContent,
      quote: pane.querySelector('blockquote')?.textContent.trim(),
      cells: [...pane.querySelectorAll('td')].map((td) => [td.textContent, td.style.textAlign]),
      pre: pane.querySelector('pre')?.textContent,
      elements: [...new Set([...pane.querySelectorAll('.md *')].map((e) => e.tagName))].sort().join(' '),
    };
  });
  assert.equal(md.title, 'Hostile <b onmouseover=alert(1)>x</b>');
  assert.equal(md.heading, 'Kop');
  assert.equal(md.paragraphs[0], 'Tekst met <img src=x onerror=alert(1)> en <script>alert(2)</script> erin.');
  assert.equal(md.paragraphs[1], '<div onclick="alert(3)">blok</div>');
  assert.deepEqual(md.links, [
    ['veilig', 'https://www.lumina.example/a?b=1', '_blank', 'noopener noreferrer'],
    ['mail', 'mailto:klant@lumina.example', '_blank', 'noopener noreferrer'],
  ]);
  assert.match(md.paragraphs[2], /mail js data rel x$/, 'unsafe links stay text');
  assert.equal(md.strong, 'vet');
  assert.equal(md.em, 'schuin');
  assert.equal(md.code, 'code <b>');
  assert.equal(md.nested, 'genest');
  assert.equal(md.quote, 'citaat');
  assert.deepEqual(md.cells, [['1', ''], ['<i>2</i>', 'center']]);
  assert.equal(md.pre, '<script>alert(6)</script>');
  assert.equal(md.elements, 'A BLOCKQUOTE CODE EM H3 LI OL P PRE STRONG TABLE TBODY TD TH THEAD TR UL');

  await w.input.press('ArrowDown'); // from the open first hit to the second
  await w.input.press('Enter');
  await page.waitForFunction(() => document.querySelector('vraagbaak-search').shadowRoot.querySelector('.pane h2')?.textContent === 'HTML-mail'
    && document.querySelector('vraagbaak-search').shadowRoot.querySelector('.pane .md'));
  const html = await page.evaluate(() => [...document.querySelector('vraagbaak-search').shadowRoot
    .querySelectorAll('.pane .md p')].map((p) => p.textContent));
  assert.deepEqual(html, ['Beste klant,', 'Zie "hier"']);
  await sleep(300);
  assert.equal(await page.evaluate(() => window.__xss), false);
  assert.equal(await page.evaluate(() => document.querySelector('vraagbaak-search').shadowRoot.querySelectorAll('img, script, style:not(:first-child)').length), 0);
  assert.deepEqual(page.dialogs, []);
  await page.context().close();
  for (const id of ['hostile-nl', 'hostile-html'])
    assert.ok((await fetch(`${env.url}/v1/docs/${id}`, { method: 'DELETE' })).ok, id);
});

test('a real HTML history event is shown as text', async () => {
  const page = await demo();
  const w = widget(page);
  await w.input.fill('tevredenheidsenquête');
  const option = w.options.filter({ hasText: 'Antwoord tevredenheidsenquête' }).first();
  await option.click();
  await w.pane.locator('.md p').first().waitFor();
  assert.equal(await w.pane.locator('.md').textContent(), 'Score 10/10 na het laatste contact. Opmerking: "Vriendelijk, maar ik moest twee keer bellen."');
  assert.match(await w.pane.locator('.ph').textContent(), /E-mail.*2025/);
  await page.context().close();
});

const styleProbe = () => {
  const root = document.querySelector('vraagbaak-search').shadowRoot;
  const props = ['display', 'visibility', 'color', 'background-color', 'font-family', 'font-size', 'font-style',
    'line-height', 'letter-spacing', 'text-transform', 'border-top-width', 'padding-top', 'opacity'];
  const pick = (el) => el && Object.fromEntries(props.map((p) => [p, getComputedStyle(el).getPropertyValue(p)]));
  const host = document.querySelector('vraagbaak-search');
  const box = host.getBoundingClientRect();
  return {
    host: { ...pick(host), width: Math.round(box.width) > 300, height: box.height > 100 },
    input: pick(root.querySelector('input')),
    title: pick(root.querySelector('[role=option] .t')),
    snippet: pick(root.querySelector('[role=option] .snip')),
    mark: pick(root.querySelector('mark')),
    badge: pick(root.querySelector('.badge')),
  };
};

test('hostile page CSS leaves the widget intact, and the widget leaks no CSS', async () => {
  const body = (head) => `<!doctype html><html lang="en"><head><title>CRM</title>${head}</head>
<body><p id="probe">Page text <mark>page mark</mark> <input aria-label="page field"> <button>page button</button></p>
<vraagbaak-search lang="nl"></vraagbaak-search></body></html>`;
  const hostile = `<style>
    html { font-size: 5px; }
    * { color: red !important; background: yellow !important; font: italic 31px/5 serif !important;
        letter-spacing: 9px !important; text-transform: uppercase !important; visibility: hidden !important;
        opacity: .3 !important; border: 7px dashed lime !important; padding: 11px !important; }
    body * { display: none !important; }
    /* What a page does to itself (fading or hiding <body>) no widget can undo. */
    html, body { display: block !important; visibility: visible !important; opacity: 1 !important; }
    vraagbaak-search { display: none !important; position: fixed !important; left: -9999px !important;
        width: 10px !important; height: 10px !important; overflow: hidden !important; filter: blur(4px) !important; }
    input, div, mark, span, button, section { display: none !important; }
    mark { background: black !important; }
  </style>`;
  const script = '<script src="/widget.js" defer></script>';
  const results = async (page) => {
    await page.locator('vraagbaak-search input[role=combobox]').fill('modem');
    await page.waitForFunction(() => document.querySelector('vraagbaak-search').shadowRoot.querySelector('[role=option] mark'));
    return page.evaluate(styleProbe);
  };
  const clean = await hostPage('/clean.html', body(script));
  const reference = await results(clean);
  const attacked = await hostPage('/hostile.html', body(hostile + script));
  const underAttack = await results(attacked);
  assert.equal(reference.host.display, 'block');
  assert.equal(reference.host.width && reference.host.height, true);
  assert.deepEqual(underAttack, reference);
  assert.notEqual(reference.input.color, 'rgb(255, 0, 0)');
  await attacked.screenshot({ path: join(env.artifacts, 'hostile.png') });
  // It still works there: arrows and Enter open the pane.
  await attacked.keyboard.press('ArrowDown');
  await attacked.keyboard.press('Enter');
  await attacked.locator('vraagbaak-search .pane .md').waitFor();
  assert.ok(await attacked.locator('vraagbaak-search .pane h2').isVisible());

  // No leak: the page's own elements look the same without the widget.
  const probe = () => ['#probe', '#probe mark', '#probe input', '#probe button'].map((s) => {
    const cs = getComputedStyle(document.querySelector(s));
    return [cs.color, cs.backgroundColor, cs.fontFamily, cs.fontSize, cs.borderTopWidth, cs.padding, cs.outlineStyle];
  });
  const without = await hostPage('/without.html', body(''));
  assert.deepEqual(await clean.evaluate(probe), await without.evaluate(probe));
  for (const p of [clean, attacked, without]) await p.context().close();
});

test('another loopback origin can embed the widget only when allowed', async () => {
  let allowedDaemon;
  const host = await serveHtml((url) => `<!doctype html><html lang="en"><head><title>Other CRM</title>
<script src="${url.searchParams.get('daemon')}/widget.js" defer></script></head>
<body><main><vraagbaak-search lang="en" customer="C000123"></vraagbaak-search></main></body></html>`);
  try {
    allowedDaemon = await startSearchd(['--cors-origin', host.origin, '--cors-origin', 'http://127.0.0.1:1']);
    assert.notEqual(new URL(allowedDaemon.url).origin, host.origin);

    const allowed = await newPage(browser);
    await allowed.goto(`${host.origin}/crm?daemon=${encodeURIComponent(allowedDaemon.url)}`);
    const w = widget(allowed);
    await allowed.locator('vraagbaak-search .glabel').getByText('Latest contacts with the customer').waitFor();
    await w.input.fill('roaming');
    await allowed.waitForFunction(() => document.querySelector('vraagbaak-search').shadowRoot.querySelector('[role=option] mark'));
    await w.input.press('Enter');
    await w.pane.locator('.md').waitFor();
    assert.deepEqual(allowed.errors, []);
    await allowed.context().close();

    // The test daemon (started by run.sh) allows no other origin.
    const refused = await newPage(browser);
    let calls = 0;
    refused.on('request', (r) => { if (r.url().startsWith(`${env.url}/v1/search`)) calls++; });
    await refused.goto(`${host.origin}/crm?daemon=${encodeURIComponent(env.url)}`);
    const r = widget(refused);
    await r.input.fill('roaming');
    await r.status.getByText('Vraagbaak cannot be reached').waitFor();
    assert.equal(await r.options.count(), 0);
    assert.ok(calls >= 1, 'the widget did ask');
    assert.ok(refused.errors.some((e) => /CORS|Access-Control-Allow-Origin/.test(e)), refused.errors.join('\n'));
    await refused.context().close();
  } finally {
    await allowedDaemon?.stop();
    await host.close();
  }
});

test('tokens and tickets: the demo page shows history with the ticket it was given, articles without', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vb-widget-access-'));
  let daemon;
  try {
    const hash = spawnSync(env.searchd, ['--hash-token', 'crm', 'agent'],
      { input: 'widget-test-token-0123456789', encoding: 'utf8' });
    assert.equal(hash.status, 0, hash.stderr);
    writeFileSync(join(dir, 'secret'), 'a'.repeat(40) + '\n');
    writeFileSync(join(dir, 'searchd.conf'), `${hash.stdout}ticket_secret_file = ${dir}/secret
audit_db = ${dir}/audit.db
`);
    const mint = (customer) => {
      const r = spawnSync(env.searchd, ['--mint-ticket', 'anna', customer, '--tenant', 'lumina',
        '--config', join(dir, 'searchd.conf')],
        { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim();
    };
    daemon = await startSearchd(['--config', join(dir, 'searchd.conf')]);

    // What run.sh does: the page opened with #ticket=... (and a token).
    // The fragment leaves the address bar.
    const page = await newPage(browser);
    await page.goto(`${daemon.url}/#ticket=${mint('C000123')}&token=widget-test-token-0123456789`);
    assert.equal(new URL(page.url()).hash, '');
    const w = widget(page);
    await w.input.fill('klacht');
    await page.locator('vraagbaak-search .glabel').getByText('Klanthistoriek').waitFor();
    assert.deepEqual(page.errors, [], 'no CSP violation, no failed request');

    // A ticket for another customer: the articles stay, the history
    // section says why it is missing.
    await page.evaluate((t) => document.querySelector('vraagbaak-search').setAttribute('ticket', t), mint('C000124'));
    await page.locator('vraagbaak-search .refused').getByText('another customer').waitFor();
    assert.deepEqual(await page.locator('vraagbaak-search .glabel').allTextContents(), ['Kennisbank']);
    await page.context().close();

    // Every history request the widget made is in the audit log.
    const audit = await fetch(`${daemon.url}/v1/audit?customer=C000123`, { headers: { Authorization: 'Bearer widget-test-token-0123456789' } });
    assert.equal(audit.status, 403, 'an agent token may not read the audit log');
  } finally {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an agent reports an article from the reading pane, by keyboard; the open is recorded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vb-widget-flag-'));
  let daemon;
  try {
    daemon = await startSearchd(['--analytics-db', join(dir, 'analytics.db')]);
    const page = await newPage(browser);
    await page.goto(`${daemon.url}/`);
    const w = widget(page);
    await w.input.fill('roaming');
    await page.waitForFunction(() => document.querySelector('vraagbaak-search').shadowRoot.querySelector('[role=option] mark'));
    await w.input.press('Enter');
    await w.pane.locator('.md').waitFor();
    const id = await page.evaluate(() => document.querySelector('vraagbaak-search').state.pane.id);
    // An article past its review date carries the mark.
    await w.input.fill('tv-cinema');
    await page.locator('vraagbaak-search [role=option] .due').first().getByText('Te herzien').waitFor();
    await w.input.fill('roaming');
    await page.waitForFunction(() => /roaming/i.test(document.querySelector('vraagbaak-search').shadowRoot.querySelector('[role=option] .t')?.textContent || ''));
    // Keyboard only: to the summary, open it, pick a reason, type, send.
    await w.pane.locator('.flag summary').focus();
    await page.keyboard.press('Enter');
    await w.pane.locator('.flag input[value=outdated]').check();
    await w.pane.locator('.flag textarea').fill('De tarieven zijn van vorig jaar');
    await w.pane.locator('.flag textarea').press('Tab');
    await page.keyboard.press('Enter');
    await w.pane.getByText('Gemeld aan de redactie').waitFor();
    const flags = await (await fetch(`${daemon.url}/v1/feedback`)).json();
    assert.equal(flags.entries.length, 1);
    assert.equal(flags.entries[0].doc, id);
    assert.equal(flags.entries[0].reason, 'outdated');
    assert.equal(flags.entries[0].comment, 'De tarieven zijn van vorig jaar');
    // The widget told the daemon this search was worth opening.
    // (Recorded by the analytics thread: wait for it, bounded.)
    let top, noOpen;
    for (let i = 0; i < 200; i++) {
      top = await (await fetch(`${daemon.url}/v1/analytics?kind=top`)).json();
      noOpen = await (await fetch(`${daemon.url}/v1/analytics?kind=no-open`)).json();
      if (top.queries.some((q) => q.query === 'roaming') && !noOpen.queries.some((q) => q.query === 'roaming')) break;
      await sleep(50);
    }
    assert.ok(top.queries.some((q) => q.query === 'roaming'), JSON.stringify(top));
    assert.ok(!noOpen.queries.some((q) => q.query === 'roaming'), JSON.stringify(noOpen));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  } finally {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unreachable daemon: a clear message, then an automatic retry', async () => {
  const page = await newPage(browser);
  let down = true;
  let refused = 0;
  await page.route('**/v1/search?*', (route) => {
    if (!down) return route.continue();
    refused++;
    return route.abort('connectionrefused');
  });
  await page.route(`${env.url}/agent.html`, (route) => route.fulfill({ contentType: 'text/html', body:
    '<!doctype html><html lang="nl"><title>t</title><script src="/widget.js" defer></script><vraagbaak-search lang="nl"></vraagbaak-search>' }));
  await page.goto(`${env.url}/agent.html`);
  const w = widget(page);
  await w.input.fill('modem');
  await w.status.getByText(/Vraagbaak is niet bereikbaar\. Nieuwe poging over 1 s\./).waitFor();
  await w.status.getByRole('button', { name: 'Nu opnieuw proberen' }).waitFor();
  assert.equal(refused, 1);
  // Backoff: again after 1 s, then after 2 s; no typing needed.
  await w.status.getByText(/Nieuwe poging over 2 s\./).waitFor({ timeout: 3000 });
  assert.equal(refused, 2);
  down = false;
  await w.options.first().waitFor({ timeout: 4000 });
  assert.match(await w.options.first().locator('.t').textContent(), /modem/i);
  assert.doesNotMatch(await w.status.textContent(), /niet bereikbaar/);
  await page.context().close();
});

test('the client switch: each client its own articles, customer and history; the shared ones in both', async () => {
  const page = await demo();
  const w = widget(page);
  await w.input.fill('retour');
  await settled(page);
  let titles = await optionTitles(page);
  assert.ok(!titles.some((t) => /fiets/i.test(t)), `Lumina's agent sees Velora's articles: ${titles}`);

  await page.locator('#client').selectOption('velora');
  assert.equal(await page.locator('vraagbaak-search').getAttribute('tenant'), 'velora');
  assert.equal(await page.locator('vraagbaak-search').getAttribute('customer'), 'V000001');
  await page.locator('#velora-name').waitFor();
  assert.ok(await page.locator('#customer-name').isHidden());
  await w.input.fill('retour fiets');
  await settled(page);
  titles = await optionTitles(page);
  assert.ok(titles.some((t) => /fiets terugsturen/.test(t)), `no Velora article: ${titles}`);
  // The customer's own events: Velora's V000001.
  await w.input.fill('batterij');
  await settled(page);
  await page.locator('vraagbaak-search .glabel').getByText('Klanthistoriek').waitFor();
  assert.ok((await optionTitles(page)).some((t) => /Batterij laadt niet op/.test(t)));
  // The contact centre's own procedures are there for both clients.
  await w.input.fill('agressieve beller');
  await settled(page);
  assert.ok((await optionTitles(page)).some((t) => /agressieve/.test(t)));
  await page.locator('#client').selectOption('lumina');
  await w.input.fill('agressieve beller');
  await settled(page);
  assert.ok((await optionTitles(page)).some((t) => /agressieve/.test(t)));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('labels follow lang (nl, fr, en)', async () => {
  const page = await demo();
  const w = widget(page);
  const labels = async () => ({
    label: await w.input.getAttribute('aria-label'),
    group: (await page.locator('vraagbaak-search .glabel').allTextContents())[0],
    keys: await page.locator('vraagbaak-search .keys').textContent(),
  });
  await page.locator('vraagbaak-search .glabel').first().waitFor();
  assert.deepEqual(await labels(), { label: 'Zoek in de kennisbank', group: 'Laatste contacten van de klant',
    keys: 'Pijltjes: door de resultaten · Enter: openen · Esc: sluiten of wissen · Alt+C: kopiëren' });
  const frRequest = page.waitForRequest((r) => r.url().includes('lang=fr'));
  await page.selectOption('#agent-lang', 'fr');
  await frRequest;
  await page.locator('vraagbaak-search .glabel').getByText('Derniers contacts du client').waitFor();
  assert.equal((await labels()).label, 'Rechercher dans la base de connaissances');
  await w.input.fill('facture');
  await page.locator('vraagbaak-search .glabel').getByText('Historique client').waitFor();
  assert.match(await w.options.first().locator('.meta').textContent(), /FR/);
  await page.selectOption('#agent-lang', 'en');
  await page.locator('vraagbaak-search .glabel').getByText('Knowledge base').waitFor();
  assert.equal((await labels()).label, 'Search the knowledge base');
  assert.equal(await w.input.inputValue(), 'facture', 'the query survives a language change');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('axe-core: no violations on the demo page, with results and with the article open', async () => {
  const page = await demo();
  const w = widget(page);
  const axe = async (label) => {
    await page.evaluate(axeSource);
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const report = result.violations.map((v) =>
      `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${JSON.stringify(n.target)} ${n.failureSummary}`).join('\n')}`);
    assert.deepEqual(report, [], `${label}:\n${report.join('\n')}`);
  };
  await w.input.click();
  await page.keyboard.type('factuur');
  await settled(page);
  await page.locator('vraagbaak-search [role=group] >> nth=1').waitFor();
  await page.keyboard.press('ArrowDown');
  mkdirSync(env.artifacts, { recursive: true });
  await page.screenshot({ path: join(env.artifacts, 'demo.png') });
  await axe('results shown');
  await page.keyboard.press('Enter');
  await w.pane.locator('.md').waitFor();
  await page.screenshot({ path: join(env.artifacts, 'demo-article.png') });
  await axe('article pane open');
  await w.pane.locator('.flag summary').click();
  await axe('the "Report" form open');
  await page.selectOption('#agent-lang', 'fr');
  await w.input.fill('phishing');
  await page.waitForFunction(() => /phishing/i.test(document.querySelector('vraagbaak-search').shadowRoot.querySelector('[role=option] .t')?.textContent));
  await w.input.press('Enter');
  await page.waitForFunction(() => /phishing/i.test(document.querySelector('vraagbaak-search').shadowRoot.querySelector('.pane h2')?.textContent)
    && document.querySelector('vraagbaak-search').shadowRoot.querySelector('.pane .md'));
  await axe('French article with a table');
  await page.context().close();
});
