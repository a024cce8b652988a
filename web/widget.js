/* Vraagbaak search widget (Contract 4): one file, no dependencies, no build
 * step, no globals but the custom element.  Works as a classic script or a
 * module.  Embed:
 *   <script src="http://HOST:8080/widget.js" defer></script>
 *   <vraagbaak-search lang="nl" customer="C000123"></vraagbaak-search>
 * lang: nl | fr | en (labels, boost, translation shown); customer: adds that
 * customer's history; ticket: the CRM's customer ticket (history requests
 * only); token: bearer token; tenant: the client the agent works for
 * (several clients in one deployment); api: searchd's base URL (default:
 * where widget.js came from).  Keys: "/" (outside text fields) or Alt+K focuses the box;
 * Up/Down move; Enter opens the reading pane; Escape closes it, then
 * clears; Alt+C copies the article, or the selection in it, as plain text.
 * Page CSS stays out (Shadow DOM, `all: initial` on the host): size it with
 * a wrapper.  Server strings become text nodes only: <mark> is built as an
 * element, Markdown as nodes, HTML bodies as text from an inert document.
 * State lives in one object; render() draws it. */
(() => {
'use strict';
if (!window.customElements || customElements.get('vraagbaak-search')) return;

/* Where this file came from: the default API base. */
const scriptUrl = (() => {
  const current = document.currentScript;
  if (current && current.src) return current.src;
  const scripts = [...document.querySelectorAll('script[src]')].reverse();
  const found = scripts.find((s) => /\/widget\.js([?#]|$)/.test(s.src));
  return found ? found.src : location.href;
})();

const LABELS = {
  nl: {
    search: 'Zoek in de kennisbank', placeholder: 'Zoeken…  ( / of Alt+K )',
    clear: 'Zoekvak wissen', results: 'Zoekresultaten', articles: 'Kennisbank',
    history: 'Klanthistoriek', recent: 'Laatste contacten van de klant',
    count: (n, t, exact) => (!exact ? `${n} van meer dan ${t} artikels` : n < t ? `${n} van ${t} artikels` : `${t} artikel${t > 1 ? 's' : ''}`),
    none: (q) => `Geen artikels gevonden voor “${q}”.`,
    tips: 'Controleer de spelling, of gebruik minder of andere woorden.',
    noHistory: 'Geen contacten van deze klant gevonden.',
    historyRefused: 'Klanthistoriek niet beschikbaar:',
    review: 'Te herzien', flag: 'Melden', reasons: { wrong: 'Fout', outdated: 'Verouderd', unclear: 'Onduidelijk' },
    reason: 'Wat is er mis?', comment: 'Toelichting (optioneel)', send: 'Versturen',
    flagged: 'Gemeld aan de redactie. Dank je.', flagFailed: 'Melden mislukt:',
    start: 'Typ een paar woorden om te zoeken.',
    didYouMean: 'Bedoelde je', offline: (s) => `Vraagbaak is niet bereikbaar. Nieuwe poging over ${s} s.`,
    retry: 'Nu opnieuw proberen', failed: 'Zoeken mislukt:', updated: 'bijgewerkt',
    alsoIn: 'ook in', close: 'Sluiten', copy: 'Kopiëren', copied: 'Artikel gekopieerd.',
    copiedSel: 'Selectie gekopieerd.', copyFailed: 'Kopiëren is niet gelukt.',
    loading: 'Artikel laden…', loadFailed: 'Het artikel kon niet geladen worden.',
    otherLang: 'Taalversie', opened: 'Geopend:',
    keys: 'Pijltjes: door de resultaten · Enter: openen · Esc: sluiten of wissen · Alt+C: kopiëren',
    types: { product: 'Product', procedure: 'Procedure', history: 'Contact' },
    channels: { phone: 'Telefoon', email: 'E-mail', chat: 'Chat', social: 'Sociale media', letter: 'Brief', visit: 'Bezoek' },
    langs: { nl: 'Nederlands', fr: 'Frans', en: 'Engels' }, locale: 'nl-BE',
  },
  fr: {
    search: 'Rechercher dans la base de connaissances', placeholder: 'Rechercher…  ( / ou Alt+K )',
    clear: 'Effacer la recherche', results: 'Résultats de recherche', articles: 'Base de connaissances',
    history: 'Historique client', recent: 'Derniers contacts du client',
    count: (n, t, exact) => (!exact ? `${n} articles sur plus de ${t}` : n < t ? `${n} articles sur ${t}` : `${t} article${t > 1 ? 's' : ''}`),
    none: (q) => `Aucun article trouvé pour « ${q} ».`,
    tips: 'Vérifiez l’orthographe ou utilisez moins de mots, ou d’autres.',
    noHistory: 'Aucun contact trouvé pour ce client.',
    historyRefused: 'Historique client indisponible :',
    review: 'À revoir', flag: 'Signaler', reasons: { wrong: 'Erroné', outdated: 'Obsolète', unclear: 'Pas clair' },
    reason: 'Quel est le problème ?', comment: 'Commentaire (facultatif)', send: 'Envoyer',
    flagged: 'Signalé à la rédaction. Merci.', flagFailed: 'Échec du signalement :',
    start: 'Tapez quelques mots pour rechercher.',
    didYouMean: 'Vouliez-vous dire', offline: (s) => `Vraagbaak est injoignable. Nouvel essai dans ${s} s.`,
    retry: 'Réessayer maintenant', failed: 'La recherche a échoué :', updated: 'mis à jour le',
    alsoIn: 'aussi en', close: 'Fermer', copy: 'Copier', copied: 'Article copié.',
    copiedSel: 'Sélection copiée.', copyFailed: 'La copie a échoué.',
    loading: 'Chargement de l’article…', loadFailed: 'Impossible de charger l’article.',
    otherLang: 'Version linguistique', opened: 'Ouvert :',
    keys: 'Flèches : parcourir · Entrée : ouvrir · Échap : fermer ou effacer · Alt+C : copier',
    types: { product: 'Produit', procedure: 'Procédure', history: 'Contact' },
    channels: { phone: 'Téléphone', email: 'E-mail', chat: 'Chat', social: 'Réseaux sociaux', letter: 'Courrier', visit: 'Visite' },
    langs: { nl: 'néerlandais', fr: 'français', en: 'anglais' }, locale: 'fr-BE',
  },
  en: {
    search: 'Search the knowledge base', placeholder: 'Search…  ( / or Alt+K )',
    clear: 'Clear the search box', results: 'Search results', articles: 'Knowledge base',
    history: 'Customer history', recent: 'Latest contacts with the customer',
    count: (n, t, exact) => (!exact ? `${n} of more than ${t} articles` : n < t ? `${n} of ${t} articles` : `${t} article${t > 1 ? 's' : ''}`),
    none: (q) => `No articles found for “${q}”.`,
    tips: 'Check the spelling, or use fewer or different words.',
    noHistory: 'No contacts found for this customer.',
    historyRefused: 'Customer history unavailable:',
    review: 'Due for review', flag: 'Report', reasons: { wrong: 'Wrong', outdated: 'Outdated', unclear: 'Unclear' },
    reason: 'What is wrong?', comment: 'Comment (optional)', send: 'Send',
    flagged: 'Reported to the editors. Thank you.', flagFailed: 'Reporting failed:',
    start: 'Type a few words to search.',
    didYouMean: 'Did you mean', offline: (s) => `Vraagbaak cannot be reached. Trying again in ${s} s.`,
    retry: 'Try again now', failed: 'Search failed:', updated: 'updated',
    alsoIn: 'also in', close: 'Close', copy: 'Copy', copied: 'Article copied.',
    copiedSel: 'Selection copied.', copyFailed: 'Copying failed.',
    loading: 'Loading the article…', loadFailed: 'The article could not be loaded.',
    otherLang: 'Language version', opened: 'Opened:',
    keys: 'Arrows: move through results · Enter: open · Esc: close or clear · Alt+C: copy',
    types: { product: 'Product', procedure: 'Procedure', history: 'Contact' },
    channels: { phone: 'Phone', email: 'E-mail', chat: 'Chat', social: 'Social media', letter: 'Letter', visit: 'Visit' },
    langs: { nl: 'Dutch', fr: 'French', en: 'English' }, locale: 'en-GB',
  },
};
const LANGS = ['nl', 'fr', 'en'];

const STYLE = `
:host{all:initial!important;display:block!important;
 font:14px/1.45 system-ui,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif!important;
 color:#1b1f24!important;text-align:start!important;visibility:visible!important}
:host([hidden]){display:none!important}
*,*::before,*::after{box-sizing:border-box}
.vb{container-type:inline-size;background:#fff;border:1px solid #aab4bf;border-radius:8px;overflow:clip}
.bar{position:relative;display:flex;gap:6px;padding:10px;border-bottom:1px solid #d5dbe1;background:#f6f8fa}
.bar::after{content:"";position:absolute;left:0;bottom:-1px;height:2px;width:0;background:#0b5cad}
.busy .bar::after{animation:vb-busy 1.2s .15s infinite}
@keyframes vb-busy{from{left:0;width:0}50%{left:20%;width:60%}to{left:100%;width:0}}
input{flex:1;min-width:0;font:inherit;font-size:15px;color:#1b1f24;background:#fff;border:1px solid #66717d;border-radius:6px;padding:7px 10px}
input::placeholder{color:#5c6670;opacity:1}
input::-webkit-search-cancel-button{display:none}
button{font:inherit;font-size:13px;color:#0b3d75;background:#fff;border:1px solid #66717d;border-radius:6px;padding:3px 10px;cursor:pointer}
button:hover{background:#eef3f9}
button[aria-pressed=true]{background:#0b5cad;color:#fff;border-color:#0b5cad}
:focus{outline:none}
:focus-visible,input:focus{outline:2px solid #0b5cad;outline-offset:1px}
.bar button{font-size:18px;line-height:1;padding:0 10px}
.status{padding:6px 12px 0;font-size:13px;color:#4a5561;min-height:26px}
.warn{color:#8a1c1c}
.status button{margin-left:6px}
.keys{padding:2px 12px 8px;font-size:12px;color:#4a5561}
.body{display:grid}
@container (min-width:700px){.body.open{grid-template-columns:minmax(0,5fr) minmax(0,7fr)}
 .body.open .pane{order:0;border:0;border-left:1px solid #d5dbe1;position:sticky;top:0;align-self:start;max-height:100vh;overflow:auto}}
[role=listbox]{padding:0 6px 8px}
.glabel{margin:8px 6px 4px;font-size:12px;font-weight:700;letter-spacing:.03em;text-transform:uppercase;color:#4a5561}
.empty{margin:6px 8px 10px;color:#2b3138}
.empty p{margin:0 0 4px}
[role=option]{display:block;padding:7px 8px;margin:2px 0;border:2px solid transparent;border-radius:6px;cursor:pointer}
[role=option]:hover{background:#f1f4f7}
[role=option][aria-selected=true]{background:#e6effa;border-color:#0b5cad}
.t{font-weight:600;color:#0b3d75;overflow-wrap:anywhere}
.meta{display:flex;flex-wrap:wrap;gap:2px 8px;font-size:12px;color:#4a5561;margin:1px 0 2px}
.badge{border:1px solid #8a96a3;border-radius:4px;padding:0 5px;color:#2b3138}
.tr{cursor:pointer;text-decoration:underline;color:#0b3d75}
.snip{font-size:13px;color:#2b3138;overflow-wrap:anywhere}
mark{background:#ffe27a;color:#1b1f24;border-radius:2px;padding:0 1px}
.pane{order:-1;border-bottom:1px solid #d5dbe1;padding:12px 16px 16px;min-width:0}
.pane[hidden]{display:none}
.ph{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin-bottom:6px}
.flag{margin-top:14px;font-size:13px}
.flag summary{cursor:pointer;color:#0b3d75}
.flag fieldset{border:0;padding:0;margin:6px 0}
.flag label{display:inline-block;margin:2px 8px 2px 0}
.flag textarea{display:block;width:100%;font:inherit;border:1px solid #66717d;border-radius:6px;padding:4px}
.ph .sp{flex:1}
.due{border-color:#8a5a00;color:#6b4a00;background:#fdf0d5}
h2{font-size:18px;line-height:1.3;margin:4px 0 4px;color:#1b1f24;overflow-wrap:anywhere}
.md{overflow-wrap:anywhere}
.md h3{font-size:16px;margin:14px 0 6px}.md :is(h4,h5,h6){font-size:14px;margin:12px 0 4px}
.md :is(p,ul,ol,pre,blockquote,table){margin:0 0 10px}
.md :is(ul,ol){padding-left:22px}.md li>:is(ul,ol){margin:0}
.md a{color:#0b5cad}
.md code{font:13px/1.4 ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;background:#f1f3f5;border-radius:3px;padding:0 3px}
.md pre{background:#f1f3f5;padding:8px;border-radius:4px;white-space:pre-wrap}
.md pre code{padding:0}
.md blockquote{border-left:3px solid #aab4bf;padding-left:10px;color:#2b3138}
.md table{border-collapse:collapse;width:100%;font-size:13px}
.md th,.md td{border:1px solid #c5ccd3;padding:4px 6px;vertical-align:top;text-align:start}
.md th{background:#f1f4f7}
.md hr{border:0;border-top:1px solid #c5ccd3}
.md .plain{white-space:pre-line}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`;
let sheet = null;
try {
  sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLE);
} catch (e) {
  sheet = null; /* older browsers: a <style> element below */
}

/* == DOM helpers: everything is built as nodes; strings become text. */

const h = (tag, attrs, ...kids) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids.flat(Infinity))
    if (kid != null && kid !== false) el.append(kid);
  return el;
};

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const decode = (s) =>
  s.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]+);/gi, (m, e) => {
    if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? m;
    const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });

/* The server's snippet: escaped text with <mark>…</mark> as the only
 * markup.  Built as text nodes and <mark> elements, never parsed. */
const snippetNodes = (snippet) => {
  const out = [];
  let inMark = false;
  for (const part of String(snippet || '').split(/(<\/?mark>)/)) {
    if (part === '<mark>') inMark = true;
    else if (part === '</mark>') inMark = false;
    else if (part) out.push(inMark ? h('mark', null, decode(part)) : decode(part));
  }
  return out;
};

/* == The article body: HTML the server wrote (document/display.c, the
 * one place that decides how an article looks) from a fixed set of
 * elements.  It is parsed in an inert document (nothing runs, nothing is
 * fetched) and rebuilt here from the same allow-list, so no other
 * element or attribute can reach the page even from a server that
 * misbehaves. */

const safeUrl = (raw) => {
  try {
    const url = new URL(raw.trim());
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch (e) {
    return null;
  }
};
const ALLOWED = new Set(['P', 'H3', 'H4', 'H5', 'H6', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'PRE', 'CODE',
  'EM', 'STRONG', 'DEL', 'A', 'BR', 'HR', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD']);
const DROPPED = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'IFRAME', 'OBJECT']);
const rebuild = (from, into) => {
  for (const n of from.childNodes) {
    if (n.nodeType === 3) into.append(n.data);
    if (n.nodeType !== 1 || DROPPED.has(n.tagName)) continue;
    const tag = n.tagName;
    const href = tag === 'A' ? safeUrl(n.getAttribute('href') || '') : null;
    if (!ALLOWED.has(tag) || (tag === 'A' && !href)) {
      rebuild(n, into); // its text only
      continue;
    }
    const el = h(tag.toLowerCase());
    if (href) Object.assign(el, { href, target: '_blank', rel: 'noopener noreferrer' });
    const start = parseInt(n.getAttribute('start'), 10);
    if (tag === 'OL' && start > 0) el.setAttribute('start', start);
    if (tag === 'TH') el.setAttribute('scope', 'col');
    const align = n.getAttribute('data-align');
    if ((tag === 'TD' || tag === 'TH') && ['left', 'center', 'right'].includes(align)) el.style.textAlign = align;
    if (tag === 'P' && n.classList.contains('plain')) el.className = 'plain';
    rebuild(n, el);
    into.append(el);
  }
};
const renderBody = (html) => {
  const root = h('div', { class: 'md' });
  rebuild(new DOMParser().parseFromString(`<body>${String(html ?? '')}`, 'text/html').body, root);
  return root;
};

/* Rendered article → plain text for the clipboard. */
const plainText = (node) => {
  let out = '';
  const nl = (n) => {
    out = out.replace(/[ \t]+$/, '');
    const have = out.match(/\n*$/)[0].length;
    if (out) out += '\n'.repeat(Math.max(0, n - have));
  };
  const walk = (el, depth) => {
    for (const n of el.childNodes) {
      if (n.nodeType === 3) {
        out += n.data;
        continue;
      }
      if (n.nodeType !== 1) continue;
      const tag = n.tagName;
      if (tag === 'BR') out += '\n';
      else if (tag === 'LI') {
        nl(1);
        const ol = n.parentNode.tagName === 'OL';
        const index = [...n.parentNode.children].indexOf(n) + (parseInt(n.parentNode.getAttribute('start'), 10) || 1);
        out += '  '.repeat(depth) + (ol ? index + '. ' : '- ');
        walk(n, depth + 1);
      } else if (tag === 'TR') {
        nl(1);
        out += [...n.children].map((c) => plainText(c).replace(/\s*\n\s*/g, ' ')).join(' | ');
      } else if (tag === 'A') {
        walk(n, depth);
        const href = n.getAttribute('href');
        if (href && href !== n.textContent && 'mailto:' + n.textContent !== href) out += ` (${href})`;
      } else if (/^(P|H\d|UL|OL|TABLE|PRE|BLOCKQUOTE|DIV|HR)$/.test(tag)) {
        nl(/^(UL|OL)$/.test(tag) && depth ? 1 : 2);
        out += tag === 'HR' ? '----' : '';
        walk(n, depth);
        nl(2);
      } else walk(n, depth);
    }
  };
  walk(node, 0);
  return out.replace(/\n{3,}/g, '\n\n').trim();
};

/* == The element */

const instances = new Set();
let uid = 0;

/* The focus shortcut, for the first widget on the page. */
document.addEventListener('keydown', (e) => {
  const widget = instances.values().next().value;
  if (!widget || e.defaultPrevented) return;
  const target = e.composedPath()[0];
  const editable = target && target.nodeType === 1 &&
    (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable);
  const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !editable;
  if (slash || (e.altKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyK')) {
    e.preventDefault();
    widget.focus();
  }
});

class VraagbaakSearch extends HTMLElement {
  static get observedAttributes() {
    return ['lang', 'customer', 'api', 'ticket', 'token', 'tenant'];
  }

  constructor() {
    super();
    this.uid = ++uid;
    this.root = this.attachShadow({ mode: 'open', delegatesFocus: false });
    if (sheet) this.root.adoptedStyleSheets = [sheet];
    else this.root.append(h('style', null, STYLE));
    /* The one state object; render() shows it. */
    this.state = {
      query: '', results: null, busy: false, error: null, offlineIn: 0,
      active: -1, pane: null, notice: '',
    };
    this.seq = 0; /* numbers search requests; only the newest is shown */
    this.docSeq = 0;
    this.attempt = 0;
    this.drawn = {};
    this.root.addEventListener('keydown', (e) => this.onKey(e));
  }

  connectedCallback() {
    instances.add(this);
    if (!this.ui) this.build();
    this.search();
  }

  disconnectedCallback() {
    instances.delete(this);
    clearTimeout(this.retryTimer);
    if (this.controller) this.controller.abort();
  }

  attributeChangedCallback(name, old, value) {
    if (!this.ui || old === value) return;
    if (name === 'lang') this.build();
    this.state.pane = null;
    this.search();
  }

  get language() {
    const lang = (this.getAttribute('lang') || document.documentElement.lang || 'en').slice(0, 2).toLowerCase();
    return LANGS.includes(lang) ? lang : 'en';
  }
  get customer() {
    return (this.getAttribute('customer') || '').trim();
  }
  get L() {
    return LABELS[this.language];
  }

  /** Focuses the search box and selects what is in it. */
  focus() {
    if (!this.ui) return;
    this.ui.input.focus();
    this.ui.input.select();
  }

  apiUrl(path, params) {
    let base = this.getAttribute('api') || new URL('./', scriptUrl).href;
    if (!base.endsWith('/')) base += '/';
    const url = new URL(path, base);
    for (const [k, v] of Object.entries(params || {})) if (v != null && v !== '') url.searchParams.set(k, v);
    if (params && 'q' in params && !url.searchParams.has('q')) url.searchParams.set('q', '');
    return url.href;
  }

  async getJson(path, params, signal, body) {
    let response;
    const tenant = (this.getAttribute('tenant') || '').trim();
    if (tenant && body) body = { ...body, tenant };
    else if (tenant) params = { ...params, tenant };
    try {
      const headers = { Accept: 'application/json' };
      const token = (this.getAttribute('token') || '').trim();
      const ticket = (this.getAttribute('ticket') || '').trim();
      if (token) headers.Authorization = `Bearer ${token}`;
      if (ticket && params && params.customer) headers['X-Vraagbaak-Ticket'] = ticket;
      if (body) headers['Content-Type'] = 'application/json';
      response = await fetch(this.apiUrl(path, params), {
        signal, credentials: 'omit', headers, method: body ? 'POST' : 'GET', body: body && JSON.stringify(body),
      });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw Object.assign(new Error('unreachable'), { offline: true });
    }
    const json = await response.json().catch(() => null);
    if (!response.ok || !json) {
      const message = (json && json.error && json.error.message) || `HTTP ${response.status}`;
      throw Object.assign(new Error(message), {
        offline: response.status >= 500 || response.status === 0,
        refused: response.status === 403 || (json && json.error && json.error.code === 'audit_unavailable'),
      });
    }
    return json;
  }

  /* == Skeleton: built once per language; render() fills it. */

  build() {
    const L = this.L;
    const id = (s) => `vb${this.uid}-${s}`;
    const old = this.ui;
    const ui = (this.ui = {});
    const typed = (e) => {
      if (e.isComposing) return; /* an IME is still composing the word */
      this.state.query = ui.input.value;
      this.search();
    };
    ui.input = h('input', {
      id: id('q'), type: 'search', role: 'combobox', autocomplete: 'off', spellcheck: 'false',
      'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': id('list'),
      'aria-label': L.search, 'aria-describedby': id('keys'), placeholder: L.placeholder,
      'aria-keyshortcuts': 'Alt+K /', enterkeyhint: 'search',
      oninput: typed,
      oncompositionend: typed,
    });
    ui.input.value = old ? old.input.value : this.state.query;
    ui.clear = h('button', { type: 'button', 'aria-label': L.clear, title: L.clear, onclick: () => this.clear() }, '×');
    ui.status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
    ui.list = h('div', { id: id('list'), role: 'listbox', 'aria-label': L.results });
    ui.list.addEventListener('mousedown', (e) => e.preventDefault()); /* keep focus in the box */
    ui.list.addEventListener('click', (e) => {
      const option = e.target.closest('[role=option]');
      if (!option) return;
      const index = +option.dataset.index;
      const lang = e.target.closest('[data-lang]');
      this.open(index, lang ? lang.dataset.lang : null);
    });
    ui.empty = h('div', { class: 'empty' });
    /* Focusable, since it may scroll (keyboard users scroll it too). */
    ui.pane = h('section', { class: 'pane', hidden: true, tabindex: '0', 'aria-labelledby': id('title') });
    ui.body = h('div', { class: 'body' }, h('div', null, ui.empty, ui.list), ui.pane);
    ui.top = h('div', { class: 'vb', lang: this.language },
      h('div', { class: 'bar', role: 'search' }, ui.input, ui.clear),
      ui.status,
      h('div', { id: id('keys'), class: 'keys' }, L.keys),
      ui.body);
    ui.titleId = id('title');
    ui.optionId = (i) => id('o' + i);
    if (old) old.top.replaceWith(ui.top);
    else this.root.append(ui.top);
    this.drawn = {};
    this.render();
  }

  /* == Searching */

  async search() {
    const s = this.state;
    const seq = ++this.seq;
    clearTimeout(this.retryTimer);
    if (this.controller) this.controller.abort();
    const q = s.query.trim() ? s.query : '';
    const customer = this.customer;
    if (!q && !customer) {
      Object.assign(s, { results: null, busy: false, error: null, offlineIn: 0, active: -1 });
      this.render();
      return;
    }
    const controller = (this.controller = new AbortController());
    s.busy = true;
    this.render();
    const lang = this.getAttribute('lang') && this.language;
    try {
      /* History refused: the articles stay. */
      const [articles, history] = await Promise.all([
        q ? this.getJson('v1/search', { q, lang, limit: 10 }, controller.signal) : null,
        customer
          ? this.getJson('v1/search', { q, lang, customer, type: 'history', limit: q ? 5 : 10 }, controller.signal)
            .catch((e) => {
              if (e.name === 'AbortError' || (e.offline && !e.refused)) throw e;
              return { hits: [], refused: e.message };
            })
          : null,
      ]);
      if (seq !== this.seq) return; /* a newer query is under way or shown */
      this.attempt = 0;
      Object.assign(s, { results: { q, articles, history }, busy: false, error: null, offlineIn: 0, active: -1, notice: '' });
    } catch (e) {
      if (e.name === 'AbortError' || seq !== this.seq) return;
      s.busy = false;
      if (e.offline) {
        /* Back off 1, 2, 4 … 30 s; typing or the button tries at once. */
        const delay = Math.min(30, 2 ** this.attempt++);
        Object.assign(s, { error: null, offlineIn: delay });
        this.retryTimer = setTimeout(() => this.search(), delay * 1000);
      } else {
        Object.assign(s, { error: e.message, offlineIn: 0 });
      }
    }
    this.render();
  }

  clear() {
    this.ui.input.value = '';
    this.state.query = '';
    this.state.pane = null;
    this.search();
    this.ui.input.focus();
  }

  hits() {
    const r = this.state.results;
    if (!r) return [];
    return [...(r.articles ? r.articles.hits : []), ...(r.history ? r.history.hits : [])];
  }

  move(delta) {
    const n = this.hits().length;
    if (!n) return;
    const s = this.state;
    s.active = s.active < 0 ? (delta > 0 ? 0 : n - 1) : (s.active + delta + n) % n;
    this.render();
  }

  /* Opens hit `index` (in `lang` when given) in the reading pane; the
   * promise resolves when the document is shown. */
  async open(index, lang) {
    const hit = this.hits()[index];
    if (!hit) return false;
    this.state.active = index;
    const versions = [{ lang: hit.lang, id: hit.id }, ...(hit.translations || [])]
      .sort((a, b) => LANGS.indexOf(a.lang) - LANGS.indexOf(b.lang));
    const version = versions.find((v) => v.lang === lang) || versions.find((v) => v.id === hit.id);
    return this.load(hit, versions, version.id);
  }

  async load(hit, versions, id) {
    const seq = ++this.docSeq;
    if (this.docController) this.docController.abort();
    const controller = (this.docController = new AbortController());
    const s = this.state;
    s.pane = { hit, versions, id, doc: null, error: null };
    s.notice = '';
    this.render();
    try {
      const params = hit.type === 'history' && this.customer ? { customer: this.customer } : null;
      const doc = await this.getJson('v1/docs/' + encodeURIComponent(id), params, controller.signal);
      if (seq !== this.docSeq) return false;
      s.pane = { hit, versions, id, doc, error: null };
      s.notice = `${this.L.opened} ${doc.title}`;
      /* For the editors: this search found something worth opening. */
      if (hit.type !== 'history' && s.results && s.results.q) {
        this.getJson('v1/analytics/open', null, null, { query: s.results.q, doc: id }).catch(() => {});
      }
    } catch (e) {
      if (e.name === 'AbortError' || seq !== this.docSeq) return false;
      s.pane = { hit, versions, id, doc: null, error: e.offline ? this.L.loadFailed : `${this.L.loadFailed} ${e.message}` };
    }
    this.render();
    return !!s.pane.doc;
  }

  closePane() {
    if (this.docController) this.docController.abort();
    this.state.pane = null;
    this.state.notice = '';
    this.render();
    this.ui.input.focus();
  }

  /* Copies the selection inside the pane, else the whole article (the
   * active result's, opened first when the pane is closed). */
  async copy() {
    const s = this.state;
    const L = this.L;
    const selection = this.root.getSelection ? this.root.getSelection() : document.getSelection();
    let text = '';
    let notice = L.copied;
    if (selection && selection.rangeCount && !selection.isCollapsed && this.ui.pane.contains(selection.getRangeAt(0).commonAncestorContainer)) {
      text = selection.toString();
      notice = L.copiedSel;
    } else {
      if (!s.pane || !s.pane.doc) {
        const index = s.pane ? s.active : Math.max(0, s.active);
        if (!(await this.open(index))) return;
      }
      const body = this.ui.pane.querySelector('.md');
      text = `${s.pane.doc.title}\n\n${body ? plainText(body) : ''}`.trim();
    }
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      /* No async clipboard (not a secure context): the old way. */
      const area = h('textarea', { class: 'sr', 'aria-hidden': 'true', tabindex: '-1' });
      area.value = text;
      const focused = this.root.activeElement;
      this.root.append(area);
      area.select();
      const ok = document.execCommand('copy');
      area.remove();
      if (focused) focused.focus();
      if (!ok) notice = L.copyFailed;
    }
    s.notice = notice;
    this.render();
  }

  onKey(e) {
    const s = this.state;
    const inBox = e.composedPath()[0] === this.ui.input;
    if (e.altKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyC') {
      e.preventDefault();
      this.copy();
    } else if (e.key === 'Escape' && (s.pane || this.ui.input.value)) {
      e.preventDefault();
      if (s.pane) this.closePane();
      else this.clear();
    } else if (inBox && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      this.move(e.key === 'ArrowDown' ? 1 : -1);
    } else if (inBox && e.key === 'Enter' && !e.isComposing) {
      e.preventDefault();
      if (this.hits().length) this.open(Math.max(0, s.active));
    }
  }

  /* == Rendering: the state, shown.  Lists and the pane are rebuilt only
   * when their data changed, so nothing flickers between keystrokes. */

  render() {
    const { state: s, ui, L, drawn } = this;
    if (!ui) return;
    ui.top.classList.toggle('busy', s.busy);
    ui.list.setAttribute('aria-busy', String(s.busy));

    if (drawn.results !== s.results) {
      drawn.results = s.results;
      this.renderResults();
    }
    const options = ui.list.querySelectorAll('[role=option]');
    options.forEach((o, i) => o.setAttribute('aria-selected', String(i === s.active)));
    ui.input.setAttribute('aria-expanded', String(options.length > 0));
    if (s.active >= 0 && options[s.active]) {
      ui.input.setAttribute('aria-activedescendant', options[s.active].id);
      if (drawn.active !== options[s.active]) options[s.active].scrollIntoView({ block: 'nearest' });
      drawn.active = options[s.active];
    } else {
      ui.input.removeAttribute('aria-activedescendant');
      drawn.active = null;
    }

    /* Status line: trouble first, then what was found. */
    const status = [];
    if (s.offlineIn) {
      status.push(h('span', { class: 'warn' }, L.offline(s.offlineIn)),
        h('button', { type: 'button', onclick: () => { this.attempt = 0; this.search(); } }, L.retry));
    } else if (s.error) {
      status.push(h('span', { class: 'warn' }, `${L.failed} ${s.error}`));
    } else if (s.notice) {
      status.push(s.notice);
    } else if (s.results && s.results.articles) {
      const a = s.results.articles;
      if (a.total) status.push(L.count(a.hits.length, a.total, a.total_exact !== false));
    }
    const r = s.results;
    if (r && r.articles && r.articles.suggestion && !s.offlineIn) {
      const suggestion = r.articles.suggestion;
      status.push(status.length ? ' · ' : '', `${L.didYouMean} `,
        h('button', { type: 'button', class: 'dym', onclick: () => {
          ui.input.value = suggestion;
          s.query = suggestion;
          this.search();
          ui.input.focus();
        } }, suggestion), '?');
    }
    const key = JSON.stringify([s.offlineIn, s.error, s.notice, r && r.q, r && r.articles && r.articles.total, this.language]);
    if (drawn.status !== key) {
      drawn.status = key;
      ui.status.replaceChildren(...status);
    }

    if (drawn.pane !== s.pane) {
      drawn.pane = s.pane;
      this.renderPane();
    }
  }

  renderResults() {
    const { ui, L } = this;
    const r = this.state.results;
    const groups = [];
    const empty = [];
    let index = 0;
    const option = (hit) => {
      const i = index++;
      const tr = hit.translations || [];
      return h('div', { role: 'option', id: ui.optionId(i), 'data-index': i, 'aria-selected': 'false' },
        h('div', { class: 't' }, hit.title_html ? snippetNodes(hit.title_html) : hit.title),
        h('div', { class: 'meta' }, this.meta(hit, tr.length && h('span', null, `${L.alsoIn} `,
          tr.map((t, k) => [k ? ' · ' : '', h('span', { class: 'tr', 'data-lang': t.lang, title: L.langs[t.lang] || '' },
            t.lang.toUpperCase())])))),
        hit.snippet ? h('div', { class: 'snip' }, snippetNodes(hit.snippet)) : null);
    };
    const group = (label, hits, gid) =>
      h('div', { role: 'group', 'aria-labelledby': `${ui.optionId(gid)}` },
        h('div', { class: 'glabel', id: ui.optionId(gid) }, label),
        hits.map(option));
    if (!r) {
      empty.push(h('p', null, L.start));
    } else {
      if (r.articles) {
        if (r.articles.hits.length) groups.push(group(L.articles, r.articles.hits, 'ga'));
        else empty.push(h('p', null, L.none(r.q)), h('p', null, L.tips));
      }
      if (r.history) {
        if (r.history.refused) empty.push(h('p', { class: 'refused' }, `${L.historyRefused} ${r.history.refused}`));
        else if (r.history.hits.length) groups.push(group(r.q ? L.history : L.recent, r.history.hits, 'gh'));
        else if (!r.q || r.articles?.hits.length) empty.push(h('p', null, L.noHistory));
      }
      if (!r.q) empty.unshift(h('p', null, L.start));
    }
    ui.empty.replaceChildren(...empty);
    ui.empty.hidden = !empty.length;
    ui.list.replaceChildren(...groups);
    ui.list.hidden = !groups.length;
  }

  renderPane() {
    const { ui, L } = this;
    const p = this.state.pane;
    ui.body.classList.toggle('open', !!p);
    ui.pane.hidden = !p;
    if (!p) {
      ui.pane.replaceChildren();
      return;
    }
    const doc = p.doc;
    const hit = p.hit;
    const meta = doc || hit;
    const switcher = p.versions.length > 1
      ? h('div', { role: 'group', 'aria-label': L.otherLang, class: 'langs' },
        p.versions.map((v) => h('button', {
          type: 'button', 'aria-pressed': String(v.id === p.id), title: L.langs[v.lang], 'data-k': v.lang,
          onclick: () => this.load(hit, p.versions, v.id),
        }, v.lang.toUpperCase(), h('span', { class: 'sr' }, ` (${L.langs[v.lang]})`))))
      : null;
    let body;
    if (doc) body = renderBody(doc.display_html);
    else body = h('p', { class: p.error ? 'warn' : '' }, p.error || L.loading);
    ui.pane.setAttribute('aria-busy', String(!doc && !p.error));
    /* Redrawing must not drop the focus of a keyboard user. */
    const focused = this.root.activeElement;
    const focusKey = focused && ui.pane.contains(focused) && (focused.dataset.k || 'pane');
    ui.pane.replaceChildren(
      h('div', { class: 'ph' },
        h('span', { class: 'meta' }, this.meta(meta)),
        h('span', { class: 'sp' }),
        switcher,
        h('button', { type: 'button', 'aria-keyshortcuts': 'Alt+C', 'data-k': 'copy', onclick: () => this.copy() }, `${L.copy} (Alt+C)`),
        h('button', { type: 'button', 'aria-keyshortcuts': 'Escape', 'data-k': 'close', onclick: () => this.closePane() }, `${L.close} (Esc)`)),
      h('h2', { id: ui.titleId, lang: meta.lang }, meta.title),
      h('div', { lang: meta.lang }, body),
      doc && doc.type !== 'history' ? this.flagForm(doc.id) : null);
    if (focusKey) (ui.pane.querySelector(`[data-k="${CSS.escape(focusKey)}"]`) || ui.pane).focus();
  }

  /* "Report" under an article: a reason and a comment for the editors
   * (POST /v1/feedback).  A <details>, so it takes no room until wanted
   * and opens from the keyboard. */
  flagForm(id) {
    const L = this.L;
    const name = `vb${this.uid}-reason`;
    const note = h('p', { role: 'status' });
    const form = h('form', {
      onsubmit: async (e) => {
        e.preventDefault();
        const reason = form.querySelector(`input[name="${name}"]:checked`);
        const comment = form.querySelector('textarea').value.trim();
        try {
          await this.getJson('v1/feedback', null, null, { doc: id, reason: reason.value, ...(comment && { comment }) });
          form.replaceWith(h('p', { role: 'status' }, L.flagged));
        } catch (err) {
          note.textContent = `${L.flagFailed} ${err.message}`;
        }
      },
    },
    h('fieldset', null, h('legend', null, L.reason),
      Object.entries(L.reasons).map(([value, label], k) => h('label', null,
        h('input', { type: 'radio', name, value, required: true, checked: k === 0 }), ` ${label} `))),
    h('label', null, L.comment, h('textarea', { rows: 2, maxlength: 2000 })),
    h('button', { type: 'submit' }, L.send), note);
    return h('details', { class: 'flag' }, h('summary', null, L.flag), form);
  }

  /* Badges and dates of a hit or a document, with spaces between them
   * (for screen readers and copying). */
  meta(x, extra) {
    const L = this.L;
    const parts = x.type === 'history'
      ? [h('span', { class: 'badge' }, L.channels[x.channel] || x.channel || L.types.history),
         h('span', null, this.date(x.date, true))]
      : [h('span', { class: 'badge' }, L.types[x.type] || x.type),
         h('span', { class: 'badge', lang: x.lang, title: L.langs[x.lang] || '' }, String(x.lang || '').toUpperCase()),
         x.updated && h('span', null, `${L.updated} ${this.date(x.updated)}`),
         /* Past its review date: the agent should double-check it. */
         x.review_by && x.review_by.slice(0, 10) < new Date().toISOString().slice(0, 10)
           && h('span', { class: 'badge due' }, L.review)];
    return [...parts, extra].filter(Boolean).flatMap((m, k) => (k ? [' ', m] : [m]));
  }

  date(value, withTime) {
    if (!value) return '';
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const d = m ? new Date(Date.UTC(+m[1], m[2] - 1, +m[3])) : new Date(value);
    if (isNaN(d)) return value;
    const options = { dateStyle: 'medium' };
    if (m) options.timeZone = 'UTC';
    else if (withTime) options.timeStyle = 'short';
    return new Intl.DateTimeFormat(this.L.locale, options).format(d);
  }
}

customElements.define('vraagbaak-search', VraagbaakSearch);
})();
