/* demo.js — the demo CRM page's own script (a file, not inline, so that
 * the page's Content-Security-Policy can forbid inline scripts). */
'use strict';
const widget = document.querySelector('vraagbaak-search');

/* The language menu switches the widget's `lang`. */
document.getElementById('agent-lang').addEventListener('change', (e) => {
  widget.setAttribute('lang', e.target.value);
});

/* scripts/run.sh opens this page as /#ticket=...: the customer ticket a
 * CRM back end would put in the page (and #token=..., the bearer token,
 * when the daemon needs one).  The fragment never reaches a server; it
 * is taken off the address bar once read.  This script runs before
 * widget.js, so that the widget's first request already carries them. */
const fragment = new URLSearchParams(location.hash.slice(1));
for (const name of ['ticket', 'token']) {
  if (fragment.get(name)) widget.setAttribute(name, fragment.get(name));
}
if (location.hash) history.replaceState(null, '', location.pathname + location.search);
