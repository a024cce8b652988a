// The editor's page (GET /editor): what agents could not find, what they
// flag, what is due for review, and why a query does (not) find an
// article.  Talks only to the searchd that serves it, with the editor's
// token (typed, or given once as #token=... and then kept for this tab).
// Every text from the server goes into the page as text, never as HTML.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const REASONS = { wrong: 'fout', outdated: 'verouderd', unclear: 'onduidelijk' };
  const DOC_TEXT_MAX = 6000; // of an article analysed for the "why" panel

  let token = sessionStorage.getItem('vb-editor-token') || '';
  /* The client whose knowledge base this is (several in one deployment);
   * empty: the token's only one, or every one. */
  let tenant = sessionStorage.getItem('vb-editor-tenant') || '';
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get('token')) {
    token = fragment.get('token');
    sessionStorage.setItem('vb-editor-token', token);
  }
  if (fragment.get('tenant')) {
    tenant = fragment.get('tenant');
    sessionStorage.setItem('vb-editor-tenant', tenant);
  }
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  $('token').value = token;
  $('tenant').value = tenant;

  // el('td', { class: 'n' }, 'text', childNode, ...)
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.append(c instanceof Node ? c : String(c));
    }
    return node;
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, options = {}) {
    const headers = { ...(options.headers || {}) };
    if (token) headers.Authorization = `Bearer ${token}`;
    /* Every route of client data takes the client; the analysis chain
     * is the same for all. */
    if (tenant && !path.startsWith('/v1/analyze')) {
      path += `${path.includes('?') ? '&' : '?'}tenant=${encodeURIComponent(tenant)}`;
    }
    let response;
    try {
      response = await fetch(path, { ...options, headers });
    } catch {
      throw new ApiError(0, 'Vraagbaak is niet bereikbaar.');
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const said = body && body.error ? body.error.message : `HTTP ${response.status}`;
      if (response.status === 401) throw new ApiError(401, 'Geef een token met de rol editor.');
      if (response.status === 403) throw new ApiError(403, `Dit token mag dit niet: ${said}`);
      throw new ApiError(response.status, said);
    }
    return body;
  }

  function say(text, error = false) {
    $('status').textContent = text;
    $('status').classList.toggle('error', error);
  }

  const day = (offsetDays) => new Date(Date.now() + offsetDays * 86400000).toISOString().slice(0, 10);
  const when = (iso) => (iso ? new Date(iso).toLocaleString('nl-BE',
    { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }) : '');

  // Fills `table` with a header row and one row per item (row(item) gives
  // the cells), or one line saying there is nothing.
  function fill(table, headers, items, row, empty) {
    table.replaceChildren(
      el('thead', null, el('tr', null, ...headers.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', null, ...(items.length
        ? items.map((item) => el('tr', null, ...row(item)))
        : [el('tr', null, el('td', { class: 'empty', colspan: String(headers.length) }, empty))])));
  }

  function explainButton(query) {
    const b = el('button', { type: 'button', class: 'quiet', 'aria-label': `Waarom: ${query}` }, 'Waarom?');
    b.addEventListener('click', () => {
      $('why-q').value = query;
      $('why-doc').focus();
    });
    return b;
  }

  async function showQueries(kind, id, empty) {
    const from = day(-Number($('days').value));
    const data = await api(`/v1/analytics?kind=${kind}&from=${from}&limit=50`);
    fill($(id), ['Zoekopdracht', 'Aantal', 'Laatst', 'Uitleg'], data.queries, (q) => [
      el('td', null, q.query),
      el('td', { class: 'n' }, q.count),
      el('td', null, when(q.last)),
      el('td', null, explainButton(q.query)),
    ], empty);
  }

  async function resolve(flag, button) {
    button.disabled = true;
    try {
      await api(`/v1/feedback/${flag.id}/resolve`,
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      say(`Melding ${flag.id} (${flag.doc}) is afgehandeld.`);
      await showFlags();
      ($('flags').querySelector('button') || $('flags-title')).focus?.();
    } catch (e) {
      button.disabled = false;
      say(e.message, true);
    }
  }

  async function showFlags() {
    const data = await api('/v1/feedback?state=open&limit=100');
    fill($('flags'), ['Artikel', 'Reden', 'Opmerking', 'Gemeld', 'Actie'], data.entries, (f) => {
      const done = el('button', { type: 'button', 'aria-label': `Melding ${f.id} over ${f.doc} afgehandeld` },
        'Afgehandeld');
      done.addEventListener('click', () => resolve(f, done));
      return [
        el('td', null, el('code', null, f.doc), f.paragraph != null ? ` (alinea ${f.paragraph})` : null),
        el('td', null, el('span', { class: 'tag bad' }, REASONS[f.reason] || f.reason)),
        el('td', null, f.comment || ''),
        el('td', null, when(f.time)),
        el('td', null, done),
      ];
    }, 'Geen open meldingen.');
  }

  async function showReview() {
    const data = await api(`/v1/review?before=${day(30)}`);
    fill($('review'), ['Eigenaar', 'Artikel', 'Titel', 'Herzien vóór', 'Geldig tot'], data.entries, (r) => [
      el('td', null, r.owner || '(geen)'),
      el('td', null, el('code', null, r.id)),
      el('td', { lang: r.lang || 'nl' }, r.title),
      el('td', null, r.review_by || ''),
      el('td', null, r.valid_until || '', r.expired ? ' ' : null,
        r.expired ? el('span', { class: 'tag bad' }, 'verlopen') : null),
    ], 'Niets te herzien.');
  }

  async function load() {
    say('Laden…');
    const parts = [
      showQueries('zero-results', 'zero', 'Alles werd gevonden.'),
      showQueries('no-open', 'noopen', 'Niets.'),
      showQueries('top', 'top', 'Nog geen zoekopdrachten.'),
      showFlags(),
      showReview(),
    ];
    const failed = (await Promise.allSettled(parts)).filter((p) => p.status === 'rejected');
    if (failed.length) say(failed[0].reason.message, true);
    else say(`Bijgewerkt om ${new Date().toLocaleTimeString('nl-BE', { hour: '2-digit', minute: '2-digit' })}.`);
  }

  // ---- Why (not) found ------------------------------------------------
  const termsOf = (analysis) => new Set(analysis.tokens.flatMap((t) => t.terms));

  async function explain(q, lang, docId) {
    const out = $('why-out');
    out.replaceChildren(el('p', null, 'Bezig…'));
    const params = new URLSearchParams({ q, lang, limit: '100' });
    const found = await api(`/v1/search?${params}`);
    const parts = [];
    let doc = null;
    if (docId) {
      doc = await api(`/v1/docs/${encodeURIComponent(docId)}`);
      const rank = found.hits.findIndex((h) => h.id === docId ||
        (h.translations || []).some((t) => t.id === docId));
      const shown = rank >= 0 ? found.hits[rank].id : null;
      let verdict;
      if (rank >= 0 && shown === docId) verdict = `staat op plaats ${rank + 1}`;
      else if (rank >= 0) verdict = `staat op plaats ${rank + 1}, als zijn vertaling ${shown}`;
      else verdict = `staat niet bij de eerste ${found.hits.length} resultaten`;
      parts.push(el('p', null, el('code', null, docId), ` ${verdict} (${found.total_exact ? '' : 'meer dan '}${found.total} resultaten).`));
      if (doc.expired) {
        parts.push(el('p', null, el('span', { class: 'tag bad' }, 'verlopen'),
          ` Geldig tot ${doc.valid_until}: zoeken vindt dit artikel niet meer.`));
      }
    } else {
      parts.push(el('p', null, `${found.total_exact ? '' : 'Meer dan '}${found.total} resultaten; eerste: `,
        found.hits[0] ? el('code', null, found.hits[0].id) : 'geen', '.'));
    }
    // The query as the index sees it, in the article's language (its
    // terms are in that language); and whether the article holds them.
    const qLang = doc ? doc.lang : lang;
    const query = await api(`/v1/analyze?${new URLSearchParams({ text: q, lang: qLang })}`);
    let have = null;
    if (doc) {
      const text = `${doc.title}\n${(doc.tags || []).join(' ')}\n${doc.body || ''}`.slice(0, DOC_TEXT_MAX);
      have = termsOf(await api(`/v1/analyze?${new URLSearchParams({ text, lang: doc.lang })}`));
    }
    const headers = ['Woord', 'Termen in de index', ...(have ? ['In dit artikel'] : [])];
    const table = el('table', { 'aria-label': 'De zoekopdracht zoals de index ze ziet' });
    fill(table, headers, query.tokens, (t) => {
      const cells = [
        el('td', null, t.token, t.stopword ? ' ' : null, t.stopword ? el('span', { class: 'tag' }, 'functiewoord') : null),
        el('td', null, ...t.terms.flatMap((term, i) => [i ? ' ' : null, el('code', null, term)])),
      ];
      if (have) {
        const yes = t.terms.some((term) => have.has(term));
        cells.push(el('td', null, el('span', { class: `tag ${yes ? 'good' : 'bad'}` }, yes ? 'ja' : 'nee')));
      }
      return cells;
    }, 'Geen woorden.');
    parts.push(table);
    if (have && doc.body && doc.body.length + doc.title.length > DOC_TEXT_MAX) {
      parts.push(el('p', { class: 'help' }, `Alleen de eerste ${DOC_TEXT_MAX} tekens van het artikel zijn vergeleken.`));
    }
    out.replaceChildren(...parts);
  }

  $('why').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await explain($('why-q').value.trim(), $('why-lang').value, $('why-doc').value.trim());
    } catch (e) {
      $('why-out').replaceChildren(el('p', { class: 'tag bad' }, e.status === 404 ? `Geen artikel met id ${$('why-doc').value.trim()}.` : e.message));
    }
  });

  $('connect').addEventListener('submit', (event) => {
    event.preventDefault();
    token = $('token').value.trim();
    if (token) sessionStorage.setItem('vb-editor-token', token);
    else sessionStorage.removeItem('vb-editor-token');
    tenant = $('tenant').value.trim();
    if (tenant) sessionStorage.setItem('vb-editor-tenant', tenant);
    else sessionStorage.removeItem('vb-editor-tenant');
    load();
  });
  $('days').addEventListener('change', load);
  load();
})();
