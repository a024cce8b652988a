/* demo.js — the demo CRM page's own script (a file, not inline, so that
 * the page's Content-Security-Policy can forbid inline scripts). */
'use strict';
const widget = document.querySelector('vraagbaak-search');

/* The language menu switches the widget's `lang`. */
document.getElementById('agent-lang').addEventListener('change', (e) => {
  widget.setAttribute('lang', e.target.value);
});

/* scripts/run.sh opens this page as /#ticket=...&velora=...: the
 * customer tickets a CRM back end would put in the page, one per client
 * (and #token=..., the bearer token, when the daemon needs one).  The
 * fragment never reaches a server; it is taken off the address bar once
 * read.  This script runs before widget.js, so that the widget's first
 * request already carries them. */
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get('token')) widget.setAttribute('token', fragment.get('token'));
if (location.hash) history.replaceState(null, '', location.pathname + location.search);

/* The clients this contact centre answers for: each its own knowledge
 * base (the widget's `tenant`), customer and ticket. */
const clients = {
  lumina: { customer: 'C000123', ticket: fragment.get('ticket') || '' },
  velora: { customer: 'V000001', ticket: fragment.get('velora') || '' },
};
const showClient = (name) => {
  const c = clients[name];
  widget.setAttribute('tenant', name);
  widget.setAttribute('customer', c.customer);
  if (c.ticket) widget.setAttribute('ticket', c.ticket);
  else widget.removeAttribute('ticket');
  for (const part of document.querySelectorAll('[data-client]')) part.hidden = part.dataset.client !== name;
};
showClient('lumina');
document.getElementById('client').addEventListener('change', (e) => showClient(e.target.value));
