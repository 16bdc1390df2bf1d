// The developer's view of one app: Pages, persons and PSIDs; the tokens table; webhook deliveries (body, both
// signature headers, the bot's answers, attempts, replay); the journal of Graph calls (searchable, refused calls first);
// the app's clock with +1 h / +24 h / +48 h / +7 days and the rule set in force; the faults in force.
import { h, clear, fmtTime, relative, pretty } from './dom.js';
import { api, act, go, UI, enc } from './app.js';

const TABS = [['overview', 'Pages & persons'], ['conversations', 'Conversations'], ['tokens', 'Tokens'], ['webhooks', 'Webhooks'], ['journal', 'Graph journal'], ['faults', 'Faults']];
const STEPS = [['+1 h', 3600], ['+24 h', 86400], ['+48 h', 172800], ['+7 days', 604800]];

export async function devView(main, appId, tab) {
  if (!TABS.some(([id]) => id === tab)) tab = 'overview';
  const server = await api('GET', '/server');
  const state = { expanded: new Set(), details: new Map(), q: '', refused: false, path: '', method: '', status: '', code: '' };
  const title = h('h1');
  const ids = h('div', { class: 'ids' });
  const now = h('div', { class: 'now', id: 'app-clock', 'aria-live': 'polite' });
  const ahead = h('div', { class: 'rules' });
  const rule = server.rule_sets.find(r => r.name === server.policy);
  const clock = h('section', { class: 'clock', 'aria-labelledby': 'clock-title' },
    h('div', { class: 'muted', id: 'clock-title' }, 'The app’s clock'), now, ahead,
    h('div', { class: 'row', role: 'group', 'aria-label': 'Move the clock forward' }, STEPS.map(([label, seconds]) =>
      h('button', { class: 'btn small', type: 'button', 'data-advance': seconds, 'aria-label': `Move the clock forward ${label.slice(1)}`, onclick: () => act('Clock', () => api('POST', `/apps/${enc(appId)}/clock`, { advance_seconds: seconds })) }, label))),
    h('div', { class: 'rules' }, h('strong', {}, `Rule set ${server.policy}`), `: ${rule?.frequency || ''}`));
  const tabButtons = TABS.map(([id, label]) => h('button', {
    role: 'tab', type: 'button', id: `tab-${id}`, 'aria-controls': 'panel', 'aria-selected': String(id === tab), tabindex: id === tab ? '0' : '-1',
    onclick: () => go(`${UI}apps/${enc(appId)}?tab=${id}`, true),
    onkeydown: e => {
      const at = TABS.findIndex(([x]) => x === id);
      const to = e.key === 'ArrowRight' ? (at + 1) % TABS.length : e.key === 'ArrowLeft' ? (at - 1 + TABS.length) % TABS.length : -1;
      if (to >= 0) { e.preventDefault(); go(`${UI}apps/${enc(appId)}?tab=${TABS[to][0]}`, true); setTimeout(() => document.getElementById(`tab-${TABS[to][0]}`)?.focus()); }
    },
  }, label));
  const panel = h('div', { class: 'tabpanel', role: 'tabpanel', id: 'panel', 'aria-labelledby': `tab-${tab}`, tabindex: '0' });
  const toolbar = tab === 'journal' ? journalToolbar(state, () => refresh()) : null;
  clear(main).append(h('div', { class: 'dev' },
    h('div', { class: 'dev-head' }, h('div', {}, title, ids), clock),
    h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Developer’s view' }, tabButtons),
    h('div', { class: 'tabpanel-wrap' }, toolbar ? h('div', { class: 'tabpanel toolbar-wrap' }, toolbar) : null, panel)));

  // Redraws overlap (a live update, a search typed meanwhile): only the latest one draws, or a slower, older one
  // (say, unfiltered) would land last and replace what the newer one drew.
  let drawing = 0;
  const refresh = async () => {
    const mine = ++drawing;
    const apps = await api('GET', '/apps');
    const app = apps.find(a => a.id === appId);
    if (!app) throw new Error(`There is no app ${appId}`);
    title.textContent = app.name;
    ids.textContent = `App ${app.id} · ${app.pages.length} Page${app.pages.length === 1 ? '' : 's'}`;
    now.textContent = fmtTime(app.now);
    const skew = new Date(app.now) - Date.now();
    ahead.textContent = skew > 60000 ? `${relative(app.now, new Date().toISOString()).replace('in ', '')} ahead of real time` : 'Real time (it only moves forward)';
    const render = { overview, conversations, tokens, webhooks, journal, faults }[tab];
    const nodes = await render(app, state, refresh);
    if (mine !== drawing) return;
    // A live update redraws the panel: what the developer was typing (and where) survives it.
    const typed = [...panel.querySelectorAll('input[id], select[id], textarea[id]')].map(el => [el.id, el.value]);
    const focused = document.activeElement && panel.contains(document.activeElement) ? document.activeElement.id : null;
    clear(panel).append(...[nodes].flat());
    for (const [id, value] of typed) {
      const el = panel.querySelector(`#${CSS.escape(id)}`);
      if (el && value !== '') el.value = value;
    }
    if (focused) panel.querySelector(`#${CSS.escape(focused)}`)?.focus();
  };
  await refresh();
  return { refresh, appId };
}

// :: Pages & persons

async function overview(app) {
  const full = await api('GET', `/apps/${enc(app.id)}`);
  const persons = await Promise.all(full.pages.map(p => api('GET', `/pages/${enc(p.id)}/persons`)));
  const subs = full.subscriptions || [];
  return [
    h('p', { class: 'muted' }, 'App secret ', h('code', { id: 'app-secret' }, full.secret || ''), ' · app access token ', h('code', {}, `${full.id}|${full.secret || ''}`)),
    newPageForm(app),
    h('h2', {}, 'Webhook subscriptions'),
    subs.length === 0 ? h('p', { class: 'empty' }, 'None yet: POST /{APP-ID}/subscriptions with the app token, as on the platform.') :
      table(['Object', 'Callback URL', 'Fields'], subs.map(s => [s.object, h('code', {}, s.callback_url), (s.fields || []).map(f => f.name || f).join(', ')])),
    ...full.pages.flatMap((p, i) => [
      h('h2', {}, `${p.name} `, h('span', { class: 'badge' }, p.platform)),
      h('p', { class: 'muted' }, 'Page ', h('code', {}, p.id), ' · token ', h('code', { title: 'Page access token' }, p.access_token || ''), ` · time zone ${p.timezone}`,
        p.settings && !p.settings.messaging_enabled ? ' · messaging off' : '', p.settings?.restricted ? ' · restricted' : ''),
      persons[i].length === 0 ? h('p', { class: 'empty' }, 'Nobody has met this Page yet.') :
        table(['Person', 'Person id', 'PSID', 'Window', ''], persons[i].map(x => [
          x.name + (x.blocked ? ' (blocked the Page)' : ''), h('code', {}, x.person_id), h('code', {}, x.psid),
          x.window_open_until ? (new Date(x.window_open_until) > new Date(app.now) ? `open, closes ${relative(x.window_open_until, app.now)}` : 'closed') : 'never opened',
          h('a', { href: `${UI}persons/${enc(x.person_id)}/pages/${enc(p.id)}`, 'data-link': '' }, 'Open chat')])),
    ]),
  ];
}

/** A new Page of this app, by clicking: POST /_pagebox/apps/{app}/pages (its access token is shown below at once). */
function newPageForm(app) {
  const name = h('input', { id: 'new-page-name', class: 'input', placeholder: 'Shoe Shop', autocomplete: 'off' });
  const platform = h('select', { id: 'new-page-platform', class: 'input' }, h('option', { value: 'messenger' }, 'Messenger'), h('option', { value: 'instagram' }, 'Instagram'));
  return h('form', {
    class: 'row card-inline', 'aria-label': 'New Page',
    onsubmit: async e => {
      e.preventDefault();
      const page = await act('New Page', () => api('POST', `/apps/${enc(app.id)}/pages`, { name: name.value.trim() || undefined, platform: platform.value }));
      if (page) name.value = '';
    },
  }, h('div', { class: 'field' }, h('label', { for: 'new-page-name' }, 'New Page'), name),
  h('div', { class: 'field' }, h('label', { for: 'new-page-platform' }, 'Platform'), platform),
  h('button', { class: 'btn', type: 'submit' }, 'Create Page'));
}

// :: Conversations: every thread of the app's Pages as the bot left it, with the marks and reactions the person sees

async function conversations(app) {
  const pages = app.pages;
  const people = await Promise.all(pages.map(p => api('GET', `/pages/${enc(p.id)}/persons`)));
  const threads = await Promise.all(pages.flatMap((p, i) => people[i].map(x => api('GET', `/persons/${enc(x.person_id)}/threads/${enc(p.id)}`).then(t => ({ page: p, who: x, t })))));
  if (threads.length === 0) return h('p', { class: 'empty' }, 'No conversation yet: a person writes to one of the app’s Pages.');
  return threads.map(({ page, who, t }) => h('section', { class: 'thread-log', 'aria-label': `${who.name} and ${page.name}`, 'data-psid': who.psid },
    h('h2', {}, `${who.name} · ${page.name} `, h('small', { class: 'muted' }, `PSID ${who.psid}`), ' ',
      h('a', { href: `${UI}persons/${enc(who.person_id)}/pages/${enc(page.id)}`, 'data-link': '' }, 'Open chat')),
    t.messages.length === 0 ? h('p', { class: 'empty' }, 'No message yet.') :
      table(['When', 'From', 'Kind', 'Message', 'Reactions'], t.messages.map(m => [
        fmtTime(m.time), m.from === 'page' ? (m.persona ? `${page.name} (as ${m.persona.name})` : page.name) : who.name,
        kindBadge(m),
        h('span', { 'data-mid': m.mid }, summary(m.message)),
        (m.reactions || []).length ? h('span', { class: 'dev-reactions' }, m.reactions.map(r => `${r.emoji} ${r.from === 'person' ? who.name : page.name}${r.reaction && r.reaction !== 'other' ? ` (${r.reaction})` : ''}`).join(', ')) : '—',
      ]))));
}

function kindBadge(m) {
  switch (m.kind) {
    case 'paid_marketing': return h('span', { class: 'badge paid', title: m.paid ? `campaign ${m.paid.campaign_id}, ${m.paid.ad_account_id}` : '' }, `Sponsored · Paid${m.paid?.campaign_name ? ` · ${m.paid.campaign_name}` : ''}`);
    case 'marketing': return h('span', { class: 'badge wait' }, 'Marketing message');
    case 'followup': return h('span', { class: 'badge' }, 'Follow-up');
    case 'optin_request': return h('span', { class: 'badge' }, 'Opt-in request');
    default: return h('span', { class: 'muted' }, 'standard');
  }
}

function summary(msg) {
  if (!msg) return '';
  if (msg.text !== undefined && msg.attachment?.type !== 'template') return msg.text;
  const p = msg.attachment?.payload;
  if (msg.attachment?.type === 'template') return `[${p?.template_type || 'template'}] ${p?.title || p?.text || p?.elements?.map(e => e.title).join(' · ') || ''}`;
  if (msg.attachment) return `[${msg.attachment.type}]`;
  if (msg.attachments?.length) return msg.attachments.map(a => `[${a.type}]`).join(' ');
  return JSON.stringify(msg);
}

// :: Tokens

async function tokens(app) {
  const rows = await api('GET', `/apps/${enc(app.id)}/tokens`);
  if (rows.length === 0) return h('p', { class: 'empty' }, 'No notification message token yet: the bot sends an opt-in request, the person taps its call-to-action.');
  const pageName = id => app.pages.find(p => p.id === id)?.name || id;
  return table(['Person', 'Topic', 'Status', 'Follow-ups', 'Last marketing message', 'Next eligible', 'By rule set', 'Token'], rows.map(t => [
    h('span', {}, t.person_name || t.person_id, h('br'), h('small', { class: 'muted' }, `PSID ${t.psid} · ${pageName(t.page_id)}`)),
    t.topic,
    h('span', { class: `badge ${t.status === 'active' && !t.blocked ? 'ok' : 'bad'}` }, t.blocked ? 'blocked' : t.status),
    `${t.follow_ups_sent}${t.follow_up_open ? ' (open)' : ''}`,
    t.last_marketing_send ? fmtTime(t.last_marketing_send) : '—',
    t.eligible_now ? h('span', { class: 'badge ok' }, 'now') : t.next_eligible ? h('span', {}, fmtTime(t.next_eligible), h('br'), h('small', { class: 'muted' }, relative(t.next_eligible, app.now))) : '—',
    h('small', { class: 'muted' }, Object.entries(t.next_eligible_by_rule_set || {}).map(([k, v]) => `${k}: ${v ? relative(v, app.now) : 'now'}`).join(' · ')),
    h('code', {}, t.token),
  ]));
}

// :: Webhooks

async function webhooks(app, state, refresh) {
  const list = await api('GET', `/apps/${enc(app.id)}/webhook-deliveries?limit=100`);
  if (list.length === 0) return h('p', { class: 'empty' }, 'No webhook delivery yet.');
  for (const id of state.expanded) if (typeof id === 'number') state.details.set(id, await api('GET', `/apps/${enc(app.id)}/webhook-deliveries/${id}`).catch(() => null));
  return list.map(d => {
    const open = state.expanded.has(d.id);
    const badge = d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'bad' : 'wait';
    const detail = open ? state.details.get(d.id) : null;
    return h('div', { class: `entry delivery ${d.status === 'failed' ? 'refused' : ''}`, 'data-delivery': d.id, 'data-status': d.status },
      h('button', { class: 'summary', type: 'button', 'aria-expanded': String(open), onclick: () => { toggle(state, d.id); refresh(); } },
        h('span', { class: `badge ${badge}` }, d.status), h('span', { class: 'mono' }, `#${d.id}`), h('span', { class: 'path' }, d.fields.join(', ')),
        h('span', { class: 'muted hide-sm' }, `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}${d.last_status ? ` · HTTP ${d.last_status}` : ''}`), h('span', { class: 'muted hide-sm' }, fmtTime(d.created))),
      open && detail ? h('div', { class: 'detail' },
        d.status === 'failed' ? h('p', {}, h('button', { class: 'btn primary small', type: 'button', onclick: () => act('Replay', () => api('POST', `/apps/${enc(app.id)}/webhook-deliveries/${d.id}/replay`)) }, 'Replay'), ' ', h('span', { class: 'muted' }, d.last_error || '')) : null,
        d.next_attempt ? h('p', { class: 'muted' }, `Next attempt ${fmtTime(d.next_attempt)} (${relative(d.next_attempt, app.now)} on the app's clock)`) : null,
        h('h4', {}, `POST ${detail.callback_url || '(no callback URL)'}`),
        table(['Header', 'Value'], Object.entries(detail.headers).map(([k, v]) => [k, h('code', {}, v)])),
        h('h4', {}, 'Body'), h('pre', { class: 'json' }, pretty(detail.body)),
        h('h4', {}, 'Attempts and the bot’s answers'),
        detail.attempt_log.length === 0 ? h('p', { class: 'empty' }, 'Not tried yet.') :
          table(['#', 'When', 'Status', 'Took', 'Answer'], detail.attempt_log.map(a => [a.attempt, fmtTime(a.time),
            a.status ? h('span', { class: `badge ${a.status < 300 ? 'ok' : 'bad'}` }, a.status) : h('span', { class: 'badge bad' }, a.error || 'no answer'),
            a.duration_ms != null ? `${a.duration_ms} ms` : '—', a.answer ? h('pre', { class: 'json' }, pretty(a.answer)) : h('span', { class: 'muted' }, a.error || '(empty)')]))) : null);
  });
}

// :: Journal

function journalToolbar(state, refresh) {
  let timer = 0;
  const later = () => { clearTimeout(timer); timer = setTimeout(refresh, 250); };
  const search = h('input', { type: 'search', id: 'journal-search', class: 'input', placeholder: 'Search method, path, parameters, answer, error code…', value: state.q,
    oninput: e => { state.q = e.target.value; later(); } });
  const refused = h('input', { type: 'checkbox', id: 'journal-refused', checked: state.refused, onchange: e => { state.refused = e.target.checked; refresh(); } });
  // The world face's filters (docs/control-api.md, "The journal of Graph calls"), combined with the search.
  const path = h('input', { type: 'text', id: 'journal-path', class: 'input small', placeholder: '/messages', value: state.path,
    oninput: e => { state.path = e.target.value.trim(); later(); } });
  const choice = (id, key, options) => h('select', { id, class: 'input small', onchange: e => { state[key] = e.target.value; refresh(); } },
    options.map(([value, label]) => h('option', { value, selected: state[key] === value }, label)));
  const method = choice('journal-method', 'method', [['', 'Any method'], ['GET', 'GET'], ['POST', 'POST'], ['DELETE', 'DELETE']]);
  const status = choice('journal-status', 'status', [['', 'Any status'], ['2xx', '2xx'], ['4xx', '4xx'], ['5xx', '5xx']]);
  const code = h('input', { type: 'text', id: 'journal-code', class: 'input small', inputmode: 'numeric', pattern: '[0-9]*', placeholder: 'e.g. 100', value: state.code,
    oninput: e => { state.code = e.target.value.replace(/[^0-9]/g, ''); e.target.value = state.code; later(); } });
  const field = (id, label, input) => h('span', { class: 'field' }, h('label', { for: id, class: 'muted' }, label), input);
  return h('div', { class: 'toolbar', role: 'search' }, h('label', { for: 'journal-search', class: 'visually-hidden' }, 'Search the journal'), search,
    field('journal-path', 'Path contains', path), field('journal-method', 'Method', method), field('journal-status', 'Status', status),
    field('journal-code', 'Error code', code),
    h('label', {}, refused, ' Refused calls only'));
}

async function journal(app, state, refresh) {
  const q = new URLSearchParams({ limit: '200' });
  if (state.q) q.set('q', state.q);
  if (state.refused) q.set('outcome', 'refused');
  if (state.path) q.set('path', state.path);
  if (state.method) q.set('method', state.method);
  if (state.status) q.set('status', state.status);
  if (state.code) q.set('code', state.code);
  const list = await api('GET', `/apps/${enc(app.id)}/journal?${q}`);
  if (list.length === 0) return h('p', { class: 'empty' }, state.q || state.refused || state.path || state.method || state.status || state.code ? 'No call matches.' : 'The bot has made no Graph call yet (the journal keeps the newest calls in memory).');
  const refusedCount = list.filter(e => e.refused).length;
  return [
    h('p', { class: 'muted' }, `${list.length} call${list.length === 1 ? '' : 's'}, ${refusedCount} refused. Newest first.`),
    ...list.map(e => {
      const key = `j${e.id}`;
      const open = state.expanded.has(key);
      return h('div', { class: `entry journal ${e.refused ? 'refused' : ''}`, 'data-status': e.status },
        h('button', { class: 'summary', type: 'button', 'aria-expanded': String(open), onclick: () => { toggle(state, key); refresh(); } },
          h('span', { class: 'badge' }, e.method), h('span', { class: `badge ${e.refused ? 'bad' : 'ok'}` }, e.refused && e.error_code ? `${e.status} · #${e.error_code}${e.error_subcode ? `/${e.error_subcode}` : ''}` : e.status),
          h('span', { class: 'path' }, e.path), h('span', { class: 'muted hide-sm' }, `${e.duration_ms} ms`), h('span', { class: 'muted hide-sm' }, fmtTime(e.time))),
        e.refused && e.error_message ? h('div', { class: 'detail' }, h('span', { class: 'error-text' }, e.error_message)) : null,
        open ? h('div', { class: 'detail' }, h('h4', {}, 'Parameters (secrets redacted)'), h('pre', { class: 'json' }, pretty(e.parameters)),
          h('h4', {}, 'Pagebox’s answer'), h('pre', { class: 'json' }, e.response ? pretty(e.response) : '(empty)')) : null);
    }),
  ];
}

// :: Faults

async function faults(app) {
  const list = await api('GET', `/apps/${enc(app.id)}/faults`);
  const add = (what, body) => h('button', { class: 'btn small', type: 'button', onclick: () => act(what, () => api('POST', `/apps/${enc(app.id)}/faults`, body)) }, what);
  return [
    h('div', { class: 'toolbar' },
      add('Fail the next webhook delivery', { target: 'webhooks', times: 1, error: { http_status: 500 } }),
      add('Fail the next Send API call', { match: { method: 'POST', path_contains: '/messages' }, times: 1, error: { code: 1, message: 'An unknown error occurred', http_status: 500 } }),
      add('Slow Graph calls (2 s, 5 times)', { times: 5, latency_ms: 2000 }),
      list.length ? h('button', { class: 'btn small danger', type: 'button', onclick: () => act('Clear faults', () => api('DELETE', `/apps/${enc(app.id)}/faults`)) }, 'Clear all') : null),
    list.length === 0 ? h('p', { class: 'empty' }, 'No fault in force: Graph calls and webhooks behave.') :
      table(['Target', 'Matches', 'Left', 'Latency', 'Error', 'Chance'], list.map(f => [f.target,
        f.match ? [f.match.method, f.match.path_contains].filter(Boolean).join(' ') || 'every call' : f.target === 'webhooks' ? 'every delivery' : 'every call',
        f.remaining ?? 'until cleared', f.latency_ms ? `${f.latency_ms} ms` : '—',
        f.error ? [f.error.code ? `#${f.error.code}` : '', f.error.http_status ? `HTTP ${f.error.http_status}` : '', f.error.message || ''].filter(Boolean).join(' ') : [f.duplicate ? 'duplicate' : '', f.reorder ? 'reorder' : ''].filter(Boolean).join(', ') || '—',
        `${Math.round((f.probability ?? 1) * 100)} %`])),
  ];
}

// :: Pieces

function toggle(state, key) {
  if (state.expanded.has(key)) state.expanded.delete(key); else state.expanded.add(key);
}

function table(headers, rows) {
  return h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, headers.map(x => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map(r => h('tr', {}, r.map(c => h('td', {}, c)))))));
}
