// Pagebox inbox page: routing, the world-face client, live updates, and the shell. Framework-free ES module.
// Every action goes through the world face's commands (/_pagebox/...), so the bot receives exactly the webhooks the
// API would send. The admin key lives in an HttpOnly cookie; writes carry X-Pagebox-UI (the server's CSRF check).
import { h, clear, toast } from './dom.js';
import { chatView } from './chat.js';
import { devView } from './dev.js';

export const UI = '/_pagebox/ui/';

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

/** Calls the world face. Returns the parsed JSON answer (null for 204); throws ApiError. */
export async function api(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { 'X-Pagebox-UI': '1', Accept: 'application/json' } };
  if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
  const res = await fetch('/_pagebox' + path, init);
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (res.status === 401) { showLogin(); throw new ApiError(401, 'The admin key is needed'); }
  if (!res.ok) throw new ApiError(res.status, json?.error?.message || `HTTP ${res.status}`);
  return json;
}

/** Runs an action, shows its error as a toast, refreshes the view at once (the change event follows too). */
export async function act(what, fn) {
  try {
    const result = await fn();
    await refreshNow();
    return result;
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) toast(`${what}: ${e.message}`);
    return undefined;
  }
}

// :: Routing

let current = null; // { refresh(), dispose?() }
let refreshTimer = 0;
let refreshing = null;

export function go(url, replace = false) {
  if (replace) history.replaceState(null, '', url); else history.pushState(null, '', url);
  route();
}

document.addEventListener('click', e => {
  const a = e.target.closest('a[data-link]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
  e.preventDefault();
  go(a.getAttribute('href'));
});
window.addEventListener('popstate', route);

async function route() {
  current?.dispose?.();
  current = null;
  const main = document.getElementById('main');
  const path = location.pathname.startsWith(UI) ? location.pathname.slice(UI.length) : '';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  setNav(parts[0] === 'apps' ? 'dev' : 'inbox');
  try {
    if (parts[0] === 'persons' && parts[1]) current = await chatView(main, parts[1], parts[2] === 'pages' ? parts[3] : null);
    else if (parts[0] === 'apps' && parts[1]) current = await devView(main, parts[1], new URLSearchParams(location.search).get('tab') || 'overview');
    else if (parts[0] === 'apps') current = await homeView(main, 'apps');
    else current = await homeView(main, 'all');
    startLive();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return;
    clear(main).append(h('div', { class: 'page' }, h('div', { class: 'narrow card' }, h('h1', {}, 'Something went wrong'), h('p', { class: 'error-text' }, e.message),
      h('a', { href: UI, 'data-link': '' }, 'Back to the start'))));
  }
}

function setNav(which) {
  for (const a of document.querySelectorAll('.topnav a')) a.toggleAttribute('aria-current', false);
  const active = document.getElementById(which === 'dev' ? 'nav-dev' : 'nav-inbox');
  active?.setAttribute('aria-current', 'page');
}

/** Re-reads what the current view shows (coalesced). */
export function scheduleRefresh(delay = 80) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refreshNow, delay);
}

export async function refreshNow() {
  clearTimeout(refreshTimer);
  if (!current?.refresh) return;
  if (refreshing) { await refreshing; }
  // A live update redraws the view: what the person or developer was typing (and where) survives it.
  // Only a field the redraw replaced is filled in, from the old field as it is now (a send that cleared it meanwhile wins).
  const typed = [...document.querySelectorAll('main input[id], main textarea[id]')];
  const focused = document.activeElement?.id || null;
  refreshing = current.refresh().catch(e => { if (!(e instanceof ApiError && e.status === 401)) toast(e.message); }).finally(() => { refreshing = null; });
  await refreshing;
  for (const old of typed) {
    const now = document.getElementById(old.id);
    if (now && now !== old && old.value !== '' && now.value === '') now.value = old.value;
  }
  if (focused && document.activeElement?.id !== focused) document.getElementById(focused)?.focus();
}

// :: Live updates: server-sent events from /_pagebox/events

let source = null;
function startLive() {
  if (source) return;
  const live = document.getElementById('live');
  source = new EventSource('/_pagebox/events');
  source.addEventListener('hello', () => { live.classList.add('on'); live.textContent = 'Live'; });
  source.addEventListener('change', e => {
    // A change of another app does not concern this view (changes of unknown app do).
    let app = null;
    try { app = JSON.parse(e.data).app_id ?? null; } catch { app = null; }
    if (app && current?.appId && app !== current.appId) return;
    scheduleRefresh();
  });
  source.onerror = () => { live.classList.remove('on'); live.textContent = 'Reconnecting…'; };
}

// :: Login: the page asks for the admin key when it has none (or a wrong one)

let loginShown = false;
function showLogin() {
  if (loginShown) return;
  loginShown = true;
  current?.dispose?.();
  current = null;
  source?.close();
  source = null;
  const main = document.getElementById('main');
  const input = h('input', { id: 'admin-key', type: 'password', autocomplete: 'current-password', required: '', class: 'input' });
  const error = h('p', { class: 'error-text', role: 'alert' });
  if (new URLSearchParams(location.search).has('bad_key')) error.textContent = 'That key was not accepted.';
  const form = h('form', {
    class: 'card login', 'aria-labelledby': 'login-title',
    onsubmit: async e => {
      e.preventDefault();
      const res = await fetch(UI + 'session', { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-Pagebox-UI': '1' }, body: JSON.stringify({ key: input.value.trim() }) });
      if (res.ok) { loginShown = false; const u = new URL(location.href); u.searchParams.delete('bad_key'); go(u.pathname + u.search, true); }
      else { error.textContent = 'That is not the admin key.'; input.focus(); }
    },
  },
  h('h1', { id: 'login-title' }, 'Open Pagebox'),
  h('p', { class: 'muted' }, 'Paste the admin key that ./pagebox serve printed (or open the “Inbox page” address it printed).'),
  h('div', { class: 'field' }, h('label', { for: 'admin-key' }, 'Admin key'), input),
  error,
  h('button', { class: 'btn primary', type: 'submit' }, 'Continue'));
  clear(main).append(h('div', { class: 'page' }, form));
  input.focus();
}

// :: Home: be a person, or look at an app

async function homeView(main, which) {
  const view = { async refresh() { render(await Promise.all([api('GET', '/apps'), api('GET', '/persons')])); } };
  const render = ([apps, persons]) => {
    const pages = apps.flatMap(a => a.pages);
    const pageName = id => pages.find(p => p.id === id)?.name || id;
    const personCard = h('section', { class: 'card', 'aria-labelledby': 'persons-title' },
      h('h2', { id: 'persons-title' }, 'Be a person'),
      h('p', {}, 'Open Messenger as someone who writes to your Pages, taps buttons and opts in.'),
      persons.length === 0 ? h('p', { class: 'empty' }, 'Nobody yet.') :
        h('ul', { class: 'list' }, persons.map(p => h('li', {}, h('a', { href: `${UI}persons/${enc(p.id)}${p.conversations[0] ? `/pages/${enc(p.conversations[0].page_id)}` : ''}`, 'data-link': '' },
          avatar(p.name), h('span', {}, p.name, h('small', {}, p.conversations.length ? 'Talks to ' + p.conversations.map(c => pageName(c.page_id)).join(', ') : 'Has not written to a Page yet')))))),
      newPersonForm());
    const appCard = h('section', { class: 'card', 'aria-labelledby': 'apps-title' },
      h('h2', { id: 'apps-title' }, 'Developer’s view'),
      h('p', {}, 'Pages, persons and PSIDs, tokens, webhook deliveries, the journal of Graph calls, the clock and faults.'),
      apps.length === 0 ? h('p', { class: 'empty' }, 'No app yet: create one below (or POST /_pagebox/apps).') :
        h('ul', { class: 'list' }, apps.map(a => h('li', {}, h('a', { href: `${UI}apps/${enc(a.id)}`, 'data-link': '' },
          avatar(a.name, true), h('span', {}, a.name, h('small', {}, `App ${a.id} · ${a.pages.length} Page${a.pages.length === 1 ? '' : 's'}`)))))),
      newAppForm());
    clear(main).append(h('div', { class: 'page' }, h('div', { class: 'narrow' },
      h('h1', {}, 'Pagebox'),
      h('p', { class: 'muted' }, 'The Messenger Platform on your machine: act as the people on the other side, and see everything your bot did.'),
      h('div', { class: 'cards' }, which === 'apps' ? [appCard, personCard] : [personCard, appCard]))));
  };
  await view.refresh();
  return { refresh: view.refresh };
}

export function newPersonForm() {
  const name = h('input', { id: 'new-person-name', class: 'input', placeholder: 'Name', autocomplete: 'off' });
  return h('form', {
    class: 'row', 'aria-label': 'New person',
    onsubmit: async e => {
      e.preventDefault();
      const person = await act('New person', () => api('POST', '/persons', { name: name.value.trim() || undefined }));
      if (person) go(`${UI}persons/${enc(person.id)}`);
    },
  }, h('div', { class: 'field' }, h('label', { for: 'new-person-name' }, 'New person'), name), h('button', { class: 'btn', type: 'submit' }, 'Create'));
}

/** A new app by clicking (POST /_pagebox/apps): its developer's view opens, where its Pages are made. */
function newAppForm() {
  const name = h('input', { id: 'new-app-name', class: 'input', placeholder: 'My bot', autocomplete: 'off' });
  return h('form', {
    class: 'row', 'aria-label': 'New app',
    onsubmit: async e => {
      e.preventDefault();
      const app = await act('New app', () => api('POST', '/apps', { name: name.value.trim() || undefined }));
      if (app) go(`${UI}apps/${enc(app.id)}`);
    },
  }, h('div', { class: 'field' }, h('label', { for: 'new-app-name' }, 'New app'), name), h('button', { class: 'btn', type: 'submit' }, 'Create app'));
}

// :: Small shared helpers

export const enc = encodeURIComponent;

const palette = ['#0a7cff', '#8b3dff', '#e4405f', '#f7b928', '#2abba7', '#f35369', '#45bd62', '#1877f2', '#ff7a00'];
export function avatar(name, square = false, cls = '', picture = null) {
  let hash = 0;
  for (const c of name || '?') hash = (hash * 31 + c.codePointAt(0)) >>> 0;
  const el = h('span', { class: `avatar ${cls}`, 'aria-hidden': 'true' }, ([...(name || '?').trim()][0] || '?').toUpperCase());
  el.style.background = palette[hash % palette.length];
  if (square) el.style.borderRadius = '10px';
  if (picture) {
    const img = h('img', { src: picture, alt: '', referrerpolicy: 'no-referrer' });
    img.addEventListener('error', () => img.remove());
    el.append(img);
  }
  return el;
}

document.getElementById('logout')?.addEventListener('click', async () => {
  await fetch(UI + 'session', { method: 'DELETE', credentials: 'same-origin', headers: { 'X-Pagebox-UI': '1' } });
  showLogin();
});

route();
