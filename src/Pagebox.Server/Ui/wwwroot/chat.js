// The person's view: their Messenger. A chat list of Pages, and the conversation as Messenger shows it: bubbles,
// templates (carousels, buttons, media), quick-reply chips, the marketing opt-in card with its call-to-action, marks
// on marketing messages and follow-ups, personas, the typing indicator, reactions and the Page's read mark.
import { h, clear, svg, icons, fmtClock, fmtDay, toast } from './dom.js';
import { api, act, go, UI, enc, avatar, newPersonForm } from './app.js';

const REACTIONS = [['❤️', 'love'], ['😆', 'laugh'], ['😮', 'wow'], ['😢', 'sad'], ['😠', 'angry'], ['👍', 'like']];
const CTA = { GET_UPDATES: 'Get updates', ALLOW: 'Allow messages', GET: 'Get messages', OPT_IN: 'Opt in to messages', SIGN_UP: 'Sign up for messages' };

export async function chatView(main, personId, pageId) {
  const [persons, apps] = await Promise.all([api('GET', '/persons'), api('GET', '/apps')]);
  const person = persons.find(p => p.id === personId);
  if (!person) throw new Error(`There is no person ${personId}`);
  // The Pages the person talks to first, then every other Page they could write to.
  const talks = new Set(person.conversations.map(c => c.page_id));
  const pages = apps.flatMap(a => a.pages.map(p => ({ ...p, appName: a.name }))).sort((x, y) => Number(talks.has(y.id)) - Number(talks.has(x.id)));

  const root = h('div', { class: 'messenger' + (pageId ? ' has-conversation' : '') });
  const chatList = h('ul', { class: 'chat-list', 'aria-label': 'Pages' });
  const switcher = h('select', { id: 'person-switch', class: 'input', onchange: e => go(`${UI}persons/${enc(e.target.value)}${pageId ? `/pages/${enc(pageId)}` : ''}`) },
    persons.map(p => h('option', { value: p.id, selected: p.id === personId }, p.name)));
  const aside = h('nav', { class: 'chats', 'aria-label': 'Chats' },
    h('div', { class: 'chats-head' }, h('h1', {}, 'Chats'),
      h('div', { class: 'field' }, h('label', { for: 'person-switch' }, 'You are'), switcher)),
    chatList,
    h('div', { class: 'chats-head' }, newPersonForm()));
  const conversation = h('section', { class: 'conversation', 'aria-label': 'Conversation' });
  root.append(aside, conversation);
  clear(main).append(root);

  const renderList = p => {
    clear(chatList).append(...(pages.length === 0 ? [h('li', { class: 'empty' }, 'No Page exists yet.')] : pages.map(pg => {
      const c = p.conversations.find(x => x.page_id === pg.id);
      return h('li', {}, h('a', { href: `${UI}persons/${enc(personId)}/pages/${enc(pg.id)}`, 'data-link': '', 'aria-current': pg.id === pageId ? 'true' : 'false' },
        avatar(pg.name),
        h('span', { class: 'meta' }, h('span', { class: 'name' }, pg.name),
          h('small', {}, `${c ? (c.blocked ? 'Blocked' : 'Active conversation') : pg.platform === 'instagram' ? 'Instagram · tap to start' : 'Messenger · tap to start'} · ${pg.appName}`))));
    })));
  };
  renderList(person);

  if (!pageId) {
    conversation.append(h('div', { class: 'intro' }, h('h2', {}, `Hi ${person.name}`), h('p', {}, 'Pick a Page on the left to open your conversation with it.')));
    return { refresh: async () => renderList(await api('GET', `/persons/${enc(personId)}`)) };
  }
  const chat = new Chat(conversation, personId, pageId, () => api('GET', `/persons/${enc(personId)}`).then(renderList));
  await chat.refresh();
  return { refresh: () => chat.refresh(), dispose: () => chat.dispose(), appId: pages.find(p => p.id === pageId)?.app_id };
}

class Chat {
  constructor(el, personId, pageId, refreshList) {
    this.el = el;
    this.personId = personId;
    this.pageId = pageId;
    this.refreshList = refreshList;
    this.thread = null;
    this.readUpTo = null;
    this.autoRead = localStorage.getItem('pagebox.autoRead') !== '0';
    this.typingTimer = 0;
    this.build();
  }

  dispose() { clearTimeout(this.typingTimer); }

  // :: Commands of the world face, as the person's taps
  post(what, path, body) { return act(what, () => api('POST', `/persons/${enc(this.personId)}${path}`, { page_id: this.pageId, ...body })); }
  send(text, extra = {}) { return this.post('Send', '/messages', { text, ...extra }); }
  postback(body) { return this.post('Tap', '/postbacks', body); }

  build() {
    const back = h('a', { class: 'icon-btn back', href: `${UI}persons/${enc(this.personId)}`, 'data-link': '', 'aria-label': 'Back to chats' }, svg(icons.back));
    this.headAvatar = h('span');
    this.headName = h('strong');
    this.headSub = h('small');
    this.infoBtn = h('button', { class: 'icon-btn', type: 'button', 'aria-label': 'Conversation details', 'aria-expanded': 'false', 'aria-controls': 'details', onclick: () => this.toggleDrawer() }, svg(icons.info));
    const head = h('header', { class: 'conv-head' }, back, this.headAvatar, h('div', { class: 'who' }, this.headName, this.headSub), this.infoBtn);
    this.log = h('div', { class: 'thread', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Messages', tabindex: '0' });
    this.quick = h('div', { class: 'quick-replies', role: 'group', 'aria-label': 'Quick replies' });
    this.banner = h('div', { class: 'banner', hidden: true });
    this.input = h('input', { id: 'composer-input', type: 'text', autocomplete: 'off', placeholder: 'Aa', 'aria-label': 'Message' });
    this.menuBtn = h('button', { class: 'icon-btn', type: 'button', 'aria-label': 'Menu', 'aria-haspopup': 'menu', 'aria-expanded': 'false', hidden: true, onclick: () => this.toggleMenu() }, svg(icons.menu));
    this.imageBtn = h('button', { class: 'icon-btn', type: 'button', 'aria-label': 'Send a picture', onclick: () => this.sendPicture() }, svg(icons.image));
    this.sendBtn = h('button', { class: 'icon-btn', type: 'submit', 'aria-label': 'Send' }, svg(icons.send));
    this.menu = h('div', { class: 'popover', role: 'menu', id: 'persistent-menu', 'aria-label': 'Menu', hidden: true });
    this.composer = h('form', {
      class: 'composer', 'aria-label': 'Write a message',
      onsubmit: async e => {
        e.preventDefault();
        const text = this.input.value;
        if (!text.trim()) return;
        this.input.value = '';
        this.stickToBottom = true;
        await this.send(text);
        this.input.focus();
      },
    }, this.menuBtn, this.imageBtn, h('div', { class: 'input-wrap' }, this.input), this.sendBtn, this.menu);
    this.drawer = h('aside', { class: 'drawer', id: 'details', 'aria-label': 'Conversation details', hidden: true });
    this.el.append(head, this.log, this.quick, this.banner, this.composer, this.drawer);
    document.addEventListener('keydown', this.onKey = e => {
      if (e.key !== 'Escape') return;
      if (this.pickerFor) { const mid = this.pickerFor; this.pickerFor = null; this.render(false); this.log.querySelector(`[data-key="${CSS.escape(`react:${mid}`)}"]`)?.focus(); }
      else if (!this.menu.hidden) { this.toggleMenu(false); this.menuBtn.focus(); }
      else if (!this.drawer.hidden) { this.toggleDrawer(false); this.infoBtn.focus(); }
    });
  }

  async refresh() {
    const t = await api('GET', `/persons/${enc(this.personId)}/threads/${enc(this.pageId)}`);
    const first = this.thread === null;
    const hadConversation = this.thread?.psid;
    this.thread = t;
    this.render(first);
    if (!hadConversation && t.psid && !first) this.refreshList();
    this.maybeRead();
    clearTimeout(this.typingTimer);
    if (t.typing_until) this.typingTimer = setTimeout(() => this.refresh(), Math.max(500, new Date(t.typing_until) - new Date(t.now) + 100));
  }

  /** Messenger marks what the person has on screen as read: message_reads, once per new Page message. */
  maybeRead() {
    const t = this.thread;
    const last = [...t.messages].reverse().find(m => m.from === 'page');
    if (!this.autoRead || !last || last.mid === this.readUpTo || document.visibilityState !== 'visible' || t.blocked) return;
    this.readUpTo = last.mid;
    api('POST', `/persons/${enc(this.personId)}/reads`, { page_id: this.pageId }).catch(() => { this.readUpTo = null; });
  }

  render(first) {
    const t = this.thread;
    const page = t.page;
    clear(this.headAvatar).append(avatar(page.name));
    this.headName.textContent = page.name;
    this.headSub.textContent = t.typing ? 'typing…' : page.platform === 'instagram' ? 'Instagram' : 'Messenger';
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;

    // :: The messages, grouped by sender as Messenger does, with a time stamp after a pause.
    const nodes = [];
    if (t.messages.length === 0) nodes.push(this.intro());
    let prev = null;
    const lastPersonIdx = t.messages.map(m => m.from).lastIndexOf('person');
    t.messages.forEach((m, i) => {
      const next = t.messages[i + 1];
      const gap = prev ? new Date(m.time) - new Date(prev.time) : Infinity;
      if (gap > 15 * 60 * 1000) nodes.push(h('div', { class: 'stamp' }, `${fmtDay(m.time)} · ${fmtClock(m.time)}`));
      const sameAsPrev = prev && prev.from === m.from && gap <= 15 * 60 * 1000 && (prev.persona?.id || '') === (m.persona?.id || '');
      const sameAsNext = next && next.from === m.from && (new Date(next.time) - new Date(m.time)) <= 15 * 60 * 1000 && (next.persona?.id || '') === (m.persona?.id || '');
      nodes.push(this.message(m, !sameAsPrev, !sameAsNext));
      if (i === lastPersonIdx && t.seen_at && new Date(t.seen_at) >= new Date(m.time) && !t.messages.slice(i + 1).some(x => x.from === 'page'))
        nodes.push(h('div', { class: 'seen', 'aria-label': `Seen by ${page.name}` }, avatar(page.name, false, 'xs'), 'Seen'));
      prev = m;
    });
    if (t.typing) nodes.push(h('div', { class: 'msg in typing group-start group-end', role: 'status', 'aria-label': `${page.name} is typing` },
      h('div', { class: 'slot' }, avatar(page.name, false, 'sm')), h('div', { class: 'body' }, h('div', { class: 'bubble' }, h('span', { class: 'dot' }), h('span', { class: 'dot' }), h('span', { class: 'dot' })))));
    const keep = document.activeElement && this.log.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    clear(this.log).append(...nodes);
    if (keep) this.log.querySelector(`[data-key="${CSS.escape(keep)}"]`)?.focus();
    if (first || atBottom || this.stickToBottom) { this.log.scrollTop = this.log.scrollHeight; this.stickToBottom = false; }

    // :: Quick replies: the chips of the Page's last message, while it is the last one.
    const last = t.messages[t.messages.length - 1];
    const chips = last?.from === 'page' && !t.blocked ? (last.message.quick_replies || []) : [];
    clear(this.quick).append(...chips.map((q, i) => this.chip(q, i)));
    this.quick.hidden = chips.length === 0;

    // :: Blocked, the persistent menu, the composer.
    const profile = t.profile || {};
    const menu = localeEntry(profile.persistent_menu, t.person.locale);
    this.menuItems = menu?.call_to_actions || [];
    this.menuBtn.hidden = this.menuItems.length === 0 || t.blocked;
    const inputOff = !!menu?.composer_input_disabled;
    this.input.disabled = t.blocked || inputOff;
    this.sendBtn.disabled = t.blocked || inputOff;
    this.imageBtn.disabled = t.blocked || inputOff;
    this.input.placeholder = inputOff ? 'This Page takes taps only: use the menu' : 'Aa';
    clear(this.banner);
    this.banner.hidden = !t.blocked;
    if (t.blocked) this.banner.append(h('span', {}, `You blocked messages from ${page.name}. They cannot send you anything.`),
      h('button', { class: 'btn small', type: 'button', onclick: () => act('Unblock', () => api('DELETE', `/persons/${enc(this.personId)}/blocks/${enc(this.pageId)}`)) }, 'Unblock'));
    if (!this.drawer.hidden) this.renderDrawerState();
  }

  intro() {
    const t = this.thread;
    const profile = t.profile || {};
    const greeting = localeEntry(profile.greeting, t.person.locale)?.text;
    const ice = iceBreakers(profile.ice_breakers, t.person.locale);
    return h('div', { class: 'intro' },
      avatar(t.page.name, false, 'xl'),
      h('h2', {}, t.page.name),
      h('p', {}, greeting ? greeting.replaceAll('{{user_first_name}}', t.person.name.split(' ')[0]).replaceAll('{{user_full_name}}', t.person.name) : `${t.page.platform === 'instagram' ? 'Instagram' : 'Messenger'} · You have not written to this Page yet`),
      profile.get_started ? h('button', { class: 'btn primary', type: 'button', onclick: () => this.postback({ payload: profile.get_started.payload, title: 'Get Started' }) }, 'Get Started') : null,
      ice.length ? h('div', { class: 'ice', role: 'group', 'aria-label': 'Questions you can ask' },
        ice.map(q => h('button', { class: 'chip', type: 'button', onclick: () => this.postback({ payload: q.payload, title: q.question }) }, q.question))) : null);
  }

  message(m, groupStart, groupEnd) {
    const out = m.from === 'person';
    const t = this.thread;
    const body = h('div', { class: 'body' });
    if (!out && groupStart && m.persona) body.append(h('div', { class: 'sender' }, `${m.persona.name} · ${t.page.name}`));
    if (m.kind === 'marketing') body.append(h('div', { class: 'mark' }, '◆ Marketing message'));
    if (m.kind === 'followup') body.append(h('div', { class: 'mark followup' }, '◆ Follow-up message'));
    if (m.kind === 'paid_marketing') body.append(h('div', { class: 'mark paid', title: m.paid ? `Campaign ${m.paid.campaign_id} of ad account ${m.paid.ad_account_id}` : '' },
      `◆ Sponsored · ${m.paid?.campaign_name ? `Paid · ${m.paid.campaign_name}` : 'Paid marketing message'}`));
    body.append(...this.content(m));
    if (body.querySelector('.carousel')) body.classList.add('wide');
    const reactions = m.reactions || [];
    if (reactions.length) {
      const label = reactions.map(r => `${r.from === 'person' ? 'You' : t.page.name} reacted ${r.emoji}`).join(', ');
      body.append(h('span', { class: 'reactions', role: 'img', 'aria-label': label, title: label }, reactions.map(r => h('span', { 'data-from': r.from }, r.emoji))));
    }
    const canReact = !out && !t.blocked;
    if (canReact && this.pickerFor === m.mid) body.append(this.reactionPicker(m, reactions.find(r => r.from === 'person')?.emoji));
    const slot = out ? null : h('div', { class: 'slot' }, groupEnd ? avatar(m.persona?.name || t.page.name, false, 'sm', m.persona?.profile_picture_url) : null);
    const who = out ? 'You' : (m.persona ? m.persona.name : t.page.name);
    const kindSaid = { marketing: ', marketing message', followup: ', follow-up message', paid_marketing: ', sponsored: paid marketing message' }[m.kind] || '';
    const reactBtn = canReact ? h('button', {
      class: 'react-btn', type: 'button', 'data-key': `react:${m.mid}`, 'aria-label': 'React to this message', 'aria-expanded': String(this.pickerFor === m.mid),
      onclick: () => { this.pickerFor = this.pickerFor === m.mid ? null : m.mid; this.render(false); this.log.querySelector(`[data-mid="${CSS.escape(m.mid)}"] .react-picker button`)?.focus(); },
    }, '☺') : null;
    return h('div', { class: `msg ${out ? 'out' : 'in'}${groupStart ? ' group-start' : ''}${groupEnd ? ' group-end' : ''}`, 'data-mid': m.mid, 'data-kind': m.kind },
      slot, h('span', { class: 'visually-hidden' }, `${who}, ${fmtClock(m.time)}${kindSaid}:`), body, reactBtn);
  }

  /** Messenger's reaction bar: tap an emoji to react (message_reactions), tap yours again to take it back. */
  reactionPicker(m, mine) {
    return h('div', { class: 'react-picker', role: 'group', 'aria-label': 'Pick a reaction' }, REACTIONS.map(([emoji, name]) => h('button', {
      type: 'button', 'data-key': `react:${m.mid}:${name}`, 'aria-label': mine === emoji ? `Remove your ${name} reaction` : `React with ${name}`, 'aria-pressed': String(mine === emoji),
      onclick: async () => {
        this.pickerFor = null;
        await this.post(mine === emoji ? 'Unreact' : 'React', '/reactions', mine === emoji ? { mid: m.mid, action: 'unreact' } : { mid: m.mid, emoji });
      },
    }, emoji)));
  }

  content(m) {
    const msg = m.message || {};
    const parts = [];
    if (msg.reply_to?.mid) parts.push(h('div', { class: 'reply-quote' }, '↩ Replying to an earlier message'));
    const a = msg.attachment;
    if (a?.type === 'template') parts.push(this.template(m, a.payload || {}, msg.text));
    else if (a) parts.push(media(a));
    for (const att of msg.attachments || []) parts.push(media(att));
    if (msg.text !== undefined && a?.type !== 'template') parts.unshift(h('div', { class: 'bubble' }, linkify(msg.text)));
    if (parts.length === 0) parts.push(h('div', { class: 'bubble' }, h('em', {}, 'A message Pagebox cannot show')));
    return parts;
  }

  template(m, p, text) {
    switch (p.template_type) {
      case 'generic': return this.carousel(m, (p.elements || []).map((e, i) => this.card(m, e, i, p.image_aspect_ratio === 'square')));
      case 'button': return h('div', { class: 'buttons-bubble' }, h('div', { class: 'bubble' }, linkify(p.text || '')), this.buttons(m, p.buttons, 0));
      case 'media': {
        const e = (p.elements || [])[0] || {};
        return h('div', { class: 'tcard' }, media({ type: e.media_type || 'image', payload: { url: e.url, attachment_id: e.attachment_id } }, true), this.buttons(m, e.buttons, 0));
      }
      case 'notification_messages': return this.optIn(m, p);
      case 'notification_messages_reoptin': return h('div', { class: 'tcard' }, h('div', { class: 'txt' }, h('div', { class: 'title' }, p.title || ''), h('div', { class: 'subtitle' }, 'Keep getting these messages?')),
        h('button', { class: 'tbtn cta', type: 'button', onclick: () => this.post('Continue messages', '/optins', { mid: m.mid, element: 0 }) }, p.text || 'Continue messages'));
      default: return h('div', { class: 'bubble' }, text ?? p.text ?? `A ${p.template_type || 'template'} message`);
    }
  }

  card(m, e, i, square) {
    const pic = e.image_url ? h('div', { class: 'pic' + (square ? ' square' : '') }, image(e.image_url, e.title)) : null;
    const titled = h('div', { class: 'txt' }, h('div', { class: 'title' }, e.title || ''), e.subtitle ? h('div', { class: 'subtitle' }, e.subtitle) : null);
    return h('div', { class: 'tcard', role: 'group', 'aria-roledescription': 'slide' }, pic, titled, this.buttons(m, e.buttons, i));
  }

  buttons(m, buttons, element) {
    if (!buttons?.length) return null;
    return h('div', { class: 'tbuttons' }, buttons.map((b, i) => {
      const title = b.title || b.type;
      switch (b.type) {
        case 'postback': return h('button', { class: 'tbtn', type: 'button', 'data-key': `${m.mid}:${element}:${i}`, onclick: () => this.postback({ mid: m.mid, element, button: i }) }, title);
        // A link in a paid marketing message is a click the successor API counts (marketing_message_clicks): the
        // world face records it, and the browser still opens the link.
        case 'web_url': return h('a', { class: 'tbtn', href: b.url, target: '_blank', rel: 'noopener noreferrer', 'data-key': `${m.mid}:${element}:${i}`,
          onclick: m.kind === 'paid_marketing' ? () => { this.post('Click', '/clicks', { mid: m.mid, element, button: i }); } : undefined }, title, ' ↗');
        case 'phone_number': return h('a', { class: 'tbtn', href: `tel:${b.payload}`, 'data-key': `${m.mid}:${element}:${i}` }, title);
        default: return h('button', { class: 'tbtn', type: 'button', disabled: true, title: `${b.type} buttons do nothing in Pagebox` }, title);
      }
    }));
  }

  /** The marketing opt-in request as Meta renders it: the image at its aspect ratio, the title, the chosen call-to-action. */
  optIn(m, p) {
    const cta = CTA[p.notification_messages_cta_text] || CTA.GET_UPDATES;
    const square = (p.image_aspect_ratio || '').toUpperCase() === 'SQUARE';
    const topics = this.thread.topics || [];
    const offers = p.elements?.length ? p.elements : [p];
    const cards = offers.map((e, i) => {
      const title = e.title || p.title || 'Updates and promotions';
      const held = topics.find(x => x.title === title);
      const button = held?.status === 'active'
        ? h('button', { class: 'tbtn cta done', type: 'button', 'data-key': `${m.mid}:optin:${i}`, 'aria-label': `Subscribed to ${title}`, onclick: () => this.post(cta, '/optins', { mid: m.mid, element: i }) }, '✓ Subscribed')
        : h('button', { class: 'tbtn cta', type: 'button', 'data-key': `${m.mid}:optin:${i}`, onclick: () => this.post(cta, '/optins', { mid: m.mid, element: i }) }, cta);
      return h('div', { class: 'tcard optin', role: 'group', 'aria-roledescription': 'slide', 'aria-label': title },
        e.image_url ? h('div', { class: 'pic' + (square ? ' square' : '') }, image(e.image_url, title)) : null,
        h('div', { class: 'txt' }, h('div', { class: 'title' }, title),
          h('div', { class: 'fine' }, held?.status === 'stopped' ? 'You stopped these messages. Resume them in the conversation details.' : 'You can stop these messages at any time.')),
        button);
    });
    return cards.length > 1 ? this.carousel(m, cards) : cards[0];
  }

  carousel(m, cards) {
    if (cards.length <= 1) return cards[0] || h('div');
    const track = h('div', { class: 'carousel-track', tabindex: '0', 'aria-label': 'Swipe for more' }, cards);
    cards.forEach((c, i) => c.setAttribute('aria-label', `${c.getAttribute('aria-label') || c.querySelector('.title')?.textContent || 'Card'}, ${i + 1} of ${cards.length}`));
    const step = dir => track.scrollBy({ left: dir * (cards[0].getBoundingClientRect().width + 8), behavior: 'smooth' });
    const prev = h('button', { type: 'button', 'aria-label': 'Previous card', onclick: () => step(-1) }, svg(icons.left));
    const next = h('button', { type: 'button', 'aria-label': 'Next card', onclick: () => step(1) }, svg(icons.right));
    const count = h('span', { 'aria-live': 'polite' }, `1 / ${cards.length}`);
    const update = () => {
      const w = cards[0].getBoundingClientRect().width + 8 || 1;
      const at = Math.min(cards.length - 1, Math.round(track.scrollLeft / w));
      count.textContent = `${at + 1} / ${cards.length}`;
      prev.disabled = track.scrollLeft <= 2;
      next.disabled = track.scrollLeft + track.clientWidth >= track.scrollWidth - 2;
    };
    track.addEventListener('scroll', () => requestAnimationFrame(update), { passive: true });
    requestAnimationFrame(update);
    return h('div', { class: 'carousel', role: 'group', 'aria-roledescription': 'carousel', 'aria-label': `${cards.length} cards` }, track, h('div', { class: 'carousel-nav' }, prev, next, count));
  }

  chip(q, i) {
    const type = q.content_type || 'text';
    const send = text => { this.stickToBottom = true; return this.send(text, { quick_reply_payload: q.payload ?? text }); };
    if (type === 'user_phone_number') return h('button', { class: 'chip', type: 'button', onclick: () => send('+1 650 555 0100') }, '📞 +1 650 555 0100');
    if (type === 'user_email') return h('button', { class: 'chip', type: 'button', onclick: () => send(`${this.thread.person.name.split(' ')[0].toLowerCase()}@example.com`) }, `✉ ${this.thread.person.name.split(' ')[0].toLowerCase()}@example.com`);
    const img = q.image_url ? h('img', { src: q.image_url, alt: '' }) : null;
    img?.addEventListener('error', () => img.remove());
    return h('button', { class: 'chip', type: 'button', 'data-key': `qr:${i}` , onclick: () => send(q.title) }, img, q.title);
  }

  async sendPicture() {
    const url = prompt('Address of the picture to send', 'https://picsum.photos/seed/pagebox/600/400');
    if (url) { this.stickToBottom = true; await this.post('Send picture', '/messages', { attachments: [{ type: 'image', payload: { url } }] }); }
  }

  // :: The persistent menu

  toggleMenu(open = this.menu.hidden) {
    this.menu.hidden = !open;
    this.menuBtn.setAttribute('aria-expanded', String(open));
    if (open) { this.renderMenu(); this.menu.querySelector('[role="menuitem"]')?.focus(); }
  }

  renderMenu() {
    clear(this.menu).append(h('h3', {}, 'Menu'), ...this.menuItems.map(item => item.type === 'web_url'
      ? h('a', { role: 'menuitem', href: item.url, target: '_blank', rel: 'noopener noreferrer', onclick: () => this.toggleMenu(false) }, item.title, ' ↗')
      : h('button', { role: 'menuitem', type: 'button', onclick: async () => { this.toggleMenu(false); this.stickToBottom = true; await this.postback({ payload: item.payload, title: item.title }); } }, item.title)));
    this.menu.onkeydown = e => {
      const items = [...this.menu.querySelectorAll('[role="menuitem"]')];
      const at = items.indexOf(document.activeElement);
      if (e.key === 'ArrowDown') { e.preventDefault(); items[(at + 1) % items.length]?.focus(); }
      if (e.key === 'ArrowUp') { e.preventDefault(); items[(at - 1 + items.length) % items.length]?.focus(); }
    };
  }

  // :: Details: marketing topics (stop / resume), block, comment on a post, follow an m.me link

  toggleDrawer(open = this.drawer.hidden) {
    this.drawer.hidden = !open;
    this.infoBtn.setAttribute('aria-expanded', String(open));
    if (open) { this.renderDrawer(); this.drawer.querySelector('button')?.focus(); }
  }

  /** The drawer's frame and forms, built once (a refresh must not take what the person is typing). */
  renderDrawer() {
    if (this.drawerBuilt) { this.renderDrawerState(); return; }
    this.drawerBuilt = true;
    const t = this.thread;
    const refInput = h('input', { id: 'mme-ref', class: 'input', placeholder: 'summer-sale', autocomplete: 'off' });
    const commentInput = h('input', { id: 'comment-text', class: 'input', placeholder: 'Nice!', autocomplete: 'off' });
    const autoRead = h('input', { type: 'checkbox', id: 'auto-read', checked: this.autoRead, onchange: e => { this.autoRead = e.target.checked; localStorage.setItem('pagebox.autoRead', this.autoRead ? '1' : '0'); } });
    this.topicsBox = h('div');
    this.privacyBox = h('div');
    this.behindBox = h('div');
    clear(this.drawer).append(
      h('div', { class: 'drawer-head' }, h('h2', {}, t.page.name), h('button', { class: 'icon-btn', type: 'button', 'aria-label': 'Close details', onclick: () => { this.toggleDrawer(false); this.infoBtn.focus(); } }, svg(icons.close))),
      h('div', { class: 'drawer-body' },
        h('section', { 'aria-labelledby': 'topics-title' }, h('h3', { id: 'topics-title' }, 'Marketing messages'), this.topicsBox),
        h('section', { 'aria-labelledby': 'mme-title' }, h('h3', { id: 'mme-title' }, 'Open an m.me link'),
          h('p', {}, `As if you followed m.me/${t.page.id}?ref=… (messaging_referrals).`),
          h('form', { class: 'row', onsubmit: async e => { e.preventDefault(); if (refInput.value.trim()) { this.stickToBottom = true; await this.post('m.me link', '/referrals', { ref: refInput.value.trim(), source: 'SHORTLINK' }); refInput.value = ''; } } },
            h('div', { class: 'field' }, h('label', { for: 'mme-ref' }, 'ref'), refInput), h('button', { class: 'btn', type: 'submit' }, 'Follow link'))),
        h('section', { 'aria-labelledby': 'comment-title' }, h('h3', { id: 'comment-title' }, 'Comment on a post'),
          h('p', {}, 'Comments on a new post of the Page (the feed webhook); the Page may answer privately.'),
          h('form', { class: 'row', onsubmit: async e => { e.preventDefault(); if (commentInput.value.trim()) { const r = await this.post('Comment', '/comments', { text: commentInput.value.trim() }); if (r) toast(`Commented (comment ${r.comment_id})`); commentInput.value = ''; } } },
            h('div', { class: 'field' }, h('label', { for: 'comment-text' }, 'Comment'), commentInput), h('button', { class: 'btn', type: 'submit' }, 'Comment'))),
        h('section', { 'aria-labelledby': 'privacy-title' }, h('h3', { id: 'privacy-title' }, 'Privacy'), this.privacyBox,
          h('p', {}, h('label', {}, autoRead, ' Send read receipts when I look at the conversation'))),
        h('section', { 'aria-labelledby': 'behind-title' }, h('h3', { id: 'behind-title' }, 'Behind the scenes'), this.behindBox)));
    this.renderDrawerState();
  }

  /** What changes: the topics with stop / resume, block / unblock, the PSID and the window. */
  renderDrawerState() {
    if (!this.drawerBuilt) return;
    const t = this.thread;
    const topics = t.topics || [];
    const focused = this.drawer.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    clear(this.topicsBox).append(...(topics.length === 0 ? [h('p', {}, 'You have not opted in to any messages from this Page.')] : [
      ...topics.map(x => h('div', { class: 'topic' }, h('span', {}, x.title, h('small', {}, x.status === 'active' ? 'You get these messages' : 'Stopped')),
        x.status === 'active'
          ? h('button', { class: 'btn small', type: 'button', 'data-key': `stop:${x.token}`, 'aria-label': `Stop ${x.title}`, onclick: () => this.post('Stop', '/marketing/stop', { token: x.token }) }, 'Stop')
          : h('button', { class: 'btn small primary', type: 'button', 'data-key': `resume:${x.token}`, 'aria-label': `Resume ${x.title}`, onclick: () => this.post('Resume', '/marketing/resume', { token: x.token }) }, 'Resume'))),
      topics.length > 1 ? h('button', { class: 'btn small', type: 'button', onclick: () => this.post('Stop all', '/marketing/stop', {}) }, 'Stop all') : null,
    ].filter(Boolean)));
    clear(this.privacyBox).append(t.blocked
      ? h('button', { class: 'btn', type: 'button', 'data-key': 'unblock', onclick: () => act('Unblock', () => api('DELETE', `/persons/${enc(this.personId)}/blocks/${enc(this.pageId)}`)) }, 'Unblock')
      : h('button', { class: 'btn danger', type: 'button', 'data-key': 'block', onclick: () => { if (confirm(`Block messages from ${t.page.name}?`)) this.post('Block', '/blocks', {}); } }, 'Block'));
    clear(this.behindBox).append(
      h('p', {}, t.psid ? `Your PSID for this Page: ${t.psid}` : 'No PSID yet: it is given on your first contact.'),
      t.window_open_until ? h('p', {}, `The Page may answer freely until ${new Date(t.window_open_until).toUTCString()} (24-hour window, app clock).`) : h('p', {}, 'The 24-hour window is closed.'),
      h('a', { href: `${UI}apps/${enc(t.page.app_id)}`, 'data-link': '' }, 'Developer’s view of this app'));
    if (focused) this.drawer.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
  }
}

// :: Pieces

function localeEntry(list, locale) {
  if (!Array.isArray(list)) return null;
  return list.find(x => x.locale === locale) || list.find(x => x.locale === 'default') || list[0] || null;
}

function iceBreakers(value, locale) {
  if (!Array.isArray(value) || value.length === 0) return [];
  if (value[0].call_to_actions) return localeEntry(value, locale)?.call_to_actions || [];
  return value; // the older flat form: [{question, payload}]
}

function image(url, alt) {
  const img = h('img', { src: url, alt: alt || 'Picture', loading: 'lazy', referrerpolicy: 'no-referrer' });
  img.addEventListener('error', () => img.replaceWith(h('div', { class: 'broken', role: 'img', 'aria-label': alt || 'Picture' }, '🖼 ', shortUrl(url))));
  return img;
}

function media(a, inCard = false) {
  const p = a.payload || {};
  const url = p.url;
  if (a.type === 'image') return inCard ? h('div', { class: 'pic' }, url ? image(url) : h('div', { class: 'broken' }, `🖼 Saved attachment ${p.attachment_id || ''}`))
    : h('div', { class: 'media' }, url ? image(url) : h('div', { class: 'broken' }, `🖼 Saved attachment ${p.attachment_id || ''}`));
  const label = { video: '🎬 Video', audio: '🎵 Audio', file: '📄 File', fallback: '🔗 Link', location: '📍 Location' }[a.type] || `📎 ${a.type}`;
  const name = url ? shortUrl(url) : p.attachment_id ? `saved attachment ${p.attachment_id}` : p.title || '';
  return url ? h('a', { class: 'file', href: url, target: '_blank', rel: 'noopener noreferrer' }, label, h('span', { class: 'muted' }, name))
    : h('div', { class: 'file' }, label, h('span', { class: 'muted' }, name));
}

function shortUrl(url) {
  try { const u = new URL(url); return u.host + (u.pathname.length > 24 ? '…' + u.pathname.slice(-20) : u.pathname); } catch { return url; }
}

function linkify(text) {
  const out = [];
  const re = /https?:\/\/[^\s]+/g;
  let at = 0;
  for (const match of String(text).matchAll(re)) {
    out.push(text.slice(at, match.index));
    out.push(h('a', { href: match[0], target: '_blank', rel: 'noopener noreferrer' }, match[0]));
    at = match.index + match[0].length;
  }
  out.push(String(text).slice(at));
  return out;
}
