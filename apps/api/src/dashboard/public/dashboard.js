/*
 * The admin dashboard: plain browser JavaScript over the public /api/v1 admin API.
 * - The access token lives in this closure only (never in storage or a cookie this script writes);
 *   on a 401 it is renewed once through POST /auth/refresh (the server's HttpOnly cookie), and when
 *   that fails the admin is asked to sign in again.
 * - Text from the API is rendered with textContent only, never as HTML (names and reports are user
 *   input); styles come from dashboard.css or the CSSOM, never from style attributes (the page's
 *   Content-Security-Policy has no 'unsafe-inline').
 */
(() => {
  'use strict';

  const API = '/api/v1';
  const PAGE_SIZE = 20;
  const CHART_COLOR = '#2563eb';
  const TOTALS = [
    ['users', 'Users'],
    ['signups', 'Signups'],
    ['activeUsers24h', 'Active, 24 h'],
    ['activeUsers7d', 'Active, 7 days'],
    ['messages24h', 'Messages, 24 h'],
    ['capsulesSealed', 'Capsules sealed'],
    ['capsulesDelivered', 'Capsules delivered'],
    ['tokensGranted', 'Tokens granted'],
    ['tokensSpent', 'Tokens spent'],
    ['invitesUsed', 'Invites used'],
    ['sponsorImpressions', 'Sponsor impressions'],
    ['sponsorClicks', 'Sponsor clicks'],
  ];

  const session = { accessToken: null, user: null };
  let refreshing = null;

  const $ = (id) => document.getElementById(id);

  /** An element with text (always as textContent), properties and children. */
  function el(tag, options = {}, children = []) {
    const node = document.createElement(tag);
    if (options.text !== undefined) node.textContent = String(options.text);
    if (options.className) node.className = options.className;
    for (const [name, value] of Object.entries(options.attrs || {})) node.setAttribute(name, value);
    for (const child of children) node.append(child);
    return node;
  }

  function button(label, onClick, className) {
    const node = el('button', { text: label, className, attrs: { type: 'button' } });
    node.addEventListener('click', () => onClick(node));
    return node;
  }

  function formatDate(iso) {
    return iso ? new Date(iso).toLocaleString() : '—';
  }

  function notify(message, isError = false) {
    const notice = $('notice');
    notice.textContent = message;
    notice.classList.toggle('is-error', isError);
    notice.setAttribute('role', isError ? 'alert' : 'status');
    notice.hidden = false;
  }

  class ApiError extends Error {
    constructor(status, body) {
      super(body && typeof body.message === 'string' ? body.message : `HTTP ${status}`);
      this.status = status;
      this.body = body;
    }

    /** The message with the fields the server named, e.g. "Validation failed: amount must …". */
    describe() {
      const details = (this.body && Array.isArray(this.body.details) ? this.body.details : [])
        .map((detail) => detail.message)
        .filter(Boolean);
      return details.length > 0 ? `${this.message}: ${details.join('; ')}` : this.message;
    }
  }

  class SessionEnded extends Error {}

  async function readBody(res) {
    if (res.status === 204) return null;
    try {
      return await res.json();
    } catch {
      return null;
    }
  }

  /** One refresh at a time: a refresh token presented twice would revoke the whole session. */
  function refreshAccessToken() {
    refreshing ??= fetch(`${API}/auth/refresh`, { method: 'POST', credentials: 'same-origin' })
      .then(async (res) => {
        if (!res.ok) return false;
        const body = await res.json();
        session.accessToken = body.accessToken;
        return true;
      })
      .catch(() => false)
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  }

  function send(method, path, body, token) {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(`${API}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  }

  /** An authenticated API call: its JSON body, or an ApiError; SessionEnded sends to sign-in. */
  async function api(method, path, body) {
    const token = session.accessToken;
    if (!token) throw new SessionEnded();
    let res = await send(method, path, body, token);
    if (res.status === 401) {
      const renewed = session.accessToken !== token || (await refreshAccessToken());
      if (renewed && session.accessToken) {
        res = await send(method, path, body, session.accessToken);
      }
    }
    if (res.status === 401) {
      endSession('Your session has expired or ended: please sign in again.');
      throw new SessionEnded();
    }
    const data = await readBody(res);
    if (!res.ok) throw new ApiError(res.status, data);
    return data;
  }

  /** Runs an action, showing its failure; a button is disabled meanwhile. */
  async function attempt(action, control) {
    if (control) control.disabled = true;
    try {
      return await action();
    } catch (error) {
      if (error instanceof SessionEnded) return undefined;
      notify(error instanceof ApiError ? error.describe() : String(error.message || error), true);
      return undefined;
    } finally {
      if (control) control.disabled = false;
    }
  }

  function query(params) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
    }
    const text = search.toString();
    return text ? `?${text}` : '';
  }

  // Sign-in and sign-out

  function showDashboard(shown) {
    $('sign-in-panel').hidden = shown;
    $('dashboard').hidden = !shown;
    $('sections').hidden = !shown;
    $('session').hidden = !shown;
  }

  function endSession(message) {
    session.accessToken = null;
    session.user = null;
    showDashboard(false);
    $('whoami').textContent = '';
    $('sign-in-error').textContent = message || '';
    $('notice').hidden = true;
    $('sign-in-password').value = '';
    $('sign-in-email').focus();
  }

  async function signIn(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const submit = form.querySelector('button[type="submit"]');
    $('sign-in-error').textContent = '';
    submit.disabled = true;
    try {
      const res = await send('POST', '/auth/login', {
        email: $('sign-in-email').value,
        password: $('sign-in-password').value,
      });
      const body = await readBody(res);
      if (!res.ok) {
        $('sign-in-error').textContent = new ApiError(res.status, body).describe();
        return;
      }
      if (body.user.role !== 'admin') {
        // End the session the login opened: this account has no use for it here.
        await send('POST', '/auth/logout', undefined, body.accessToken).catch(() => undefined);
        $('sign-in-error').textContent =
          'This account is not an admin: the dashboard needs the admin role.';
        return;
      }
      session.accessToken = body.accessToken;
      session.user = body.user;
      $('sign-in-password').value = '';
      $('whoami').textContent = `${body.user.displayName} (${body.user.email})`;
      showDashboard(true);
      await Promise.all([loadStats(), searchUsers(), loadReports(), loadCoupons(), loadSponsors()]);
    } catch (error) {
      $('sign-in-error').textContent = `Could not sign in: ${error.message}`;
    } finally {
      submit.disabled = false;
    }
  }

  async function signOut() {
    const token = session.accessToken;
    endSession('You are signed out.');
    if (token) await send('POST', '/auth/logout', undefined, token).catch(() => undefined);
  }

  // Statistics

  const charts = new Map();

  function utcDaySeconds(day) {
    return Date.parse(`${day}T00:00:00Z`) / 1000;
  }

  function chartWidth(area) {
    return Math.max(260, Math.floor(area.clientWidth || area.parentElement.clientWidth));
  }

  function drawChart(area, days, values) {
    const data = [days.map(utcDaySeconds), values];
    const existing = charts.get(area);
    if (existing) {
      existing.setData(data);
      return;
    }
    const chart = new window.uPlot(
      {
        width: chartWidth(area),
        height: 200,
        tzDate: (ts) => window.uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        series: [
          {},
          {
            label: area.dataset.series,
            stroke: CHART_COLOR,
            width: 2,
            fill: 'rgba(37, 99, 235, 0.12)',
            points: { show: true, size: 5 },
          },
        ],
        axes: [{}, { size: 50 }],
      },
      data,
      area,
    );
    charts.set(area, chart);
  }

  function resizeCharts() {
    for (const [area, chart] of charts) chart.setSize({ width: chartWidth(area), height: 200 });
  }

  async function loadStats(control) {
    const stats = await attempt(
      () =>
        api(
          'GET',
          `/admin/stats${query({ from: $('stats-from').value, to: $('stats-to').value })}`,
        ),
      control,
    );
    if (!stats) return;
    $('stats-from').value = stats.from;
    $('stats-to').value = stats.to;
    $('stats-generated').textContent =
      `${stats.from} to ${stats.to} (UTC days). Counted ${formatDate(stats.generatedAt)}; ` +
      'numbers may be up to 60 s old.';
    $('stats-totals').replaceChildren(
      ...TOTALS.map(([key, label]) =>
        el('div', {}, [el('dt', { text: label }), el('dd', { text: stats.totals[key] })]),
      ),
    );
    const days = stats.daily.map((day) => day.day);
    for (const area of document.querySelectorAll('.chart-area')) {
      drawChart(
        area,
        days,
        stats.daily.map((day) => day[area.dataset.series]),
      );
    }
  }

  // Paged lists: users, reports, coupons, sponsors

  /** A list read page by page: `load(true)` starts over, `load(false)` appends the next page. */
  function pagedList({ path, params, container, render, more, empty }) {
    let cursor = null;
    // Only the latest load shows: an earlier one answering late (a search typed during the
    // first listing) is dropped.
    let latest = 0;
    async function load(reset, control) {
      latest += 1;
      const mine = latest;
      const page = await attempt(
        () =>
          api(
            'GET',
            `${path}${query({ ...params(), limit: PAGE_SIZE, cursor: reset ? null : cursor })}`,
          ),
        control,
      );
      if (!page || mine !== latest) return;
      if (reset) container.replaceChildren();
      for (const item of page.items) container.append(render(item));
      cursor = page.nextCursor;
      more.hidden = cursor === null;
      if (empty) empty.hidden = container.children.length > 0;
    }
    more.addEventListener('click', () => load(false, more));
    return load;
  }

  function statusBadge(text, tone) {
    return el('span', { text, className: tone ? `badge ${tone}` : 'badge' });
  }

  function cell(content, className) {
    const td = el('td', { className });
    if (content instanceof Node) td.append(content);
    else td.textContent = content === undefined || content === null ? '—' : String(content);
    return td;
  }

  // Users

  function userRow(user) {
    const row = el('tr', { attrs: { 'data-user-id': user.id } });
    const isSelf = session.user && session.user.id === user.id;
    const action = button(
      user.banned ? 'Unban' : 'Ban',
      async (control) => {
        const banned = !user.banned;
        const verb = banned ? 'Ban' : 'Unban';
        if (!window.confirm(`${verb} ${user.displayName} (${user.email})?`)) return;
        const updated = await attempt(
          () => api('PATCH', `/admin/users/${user.id}`, { banned }),
          control,
        );
        if (!updated) return;
        row.replaceWith(userRow(updated));
        notify(`${updated.displayName} is ${updated.banned ? 'banned' : 'no longer banned'}.`);
      },
      user.banned ? 'secondary' : 'danger',
    );
    action.disabled = Boolean(isSelf);
    action.setAttribute('aria-label', `${user.banned ? 'Unban' : 'Ban'} ${user.displayName}`);
    row.append(
      cell(user.displayName),
      cell(user.email),
      cell(user.birthDate),
      cell(user.role),
      cell(user.banned ? statusBadge('banned', 'bad') : statusBadge('active', 'good')),
      cell(formatDate(user.createdAt)),
      cell(action, 'actions'),
    );
    return row;
  }

  const loadUsers = pagedList({
    path: '/admin/users',
    params: () => ({ query: $('users-query').value.trim() }),
    container: document.querySelector('#users-table tbody'),
    render: userRow,
    more: $('users-more'),
  });

  function searchUsers(control) {
    return loadUsers(true, control);
  }

  // Reports

  const RESOLUTIONS = [
    ['dismiss', 'Dismiss', 'secondary'],
    ['delete-message', 'Delete message', 'danger'],
    ['ban-author', 'Ban author', 'danger'],
  ];

  function reportCard(report) {
    const card = el('li', { className: 'card', attrs: { 'data-report-id': report.id } });
    const { evidence } = report;
    card.append(
      el('h3', { text: `Reported: ${report.reason}` }),
      el('blockquote', { text: evidence.text }),
      el('p', {
        className: 'meta',
        text:
          `Written by ${evidence.author.displayName} in ${evidence.roomKey} on ` +
          `${formatDate(evidence.messageCreatedAt)}; reported by ${report.reporter.displayName} ` +
          `on ${formatDate(report.createdAt)}.`,
      }),
    );
    if (report.resolution) {
      const { resolution } = report;
      const note = resolution.note ? ` Note: ${resolution.note}` : '';
      card.append(
        el('p', {
          className: 'meta',
          text: `Resolved (${resolution.action}: ${resolution.outcome}) on ${formatDate(resolution.resolvedAt)}.${note}`,
        }),
      );
      return card;
    }
    const noteId = `note-${report.id}`;
    const note = el('input', { attrs: { id: noteId, maxlength: '500', autocomplete: 'off' } });
    const controls = el('div', { className: 'resolve' }, [
      el('label', { text: 'Note (optional)', attrs: { for: noteId } }),
      note,
    ]);
    for (const [action, label, className] of RESOLUTIONS) {
      controls.append(
        button(
          label,
          async (control) => {
            const body = { action };
            if (note.value.trim()) body.note = note.value.trim();
            const resolved = await attempt(
              () => api('POST', `/admin/reports/${report.id}/resolve`, body),
              control,
            );
            if (!resolved) return;
            notify(`Report resolved: ${resolved.resolution.outcome}.`);
            if ($('reports-status').value === 'open') card.remove();
            else card.replaceWith(reportCard(resolved));
            $('reports-empty').hidden = $('reports-list').children.length > 0;
          },
          className,
        ),
      );
    }
    card.append(controls);
    return card;
  }

  const loadReports = pagedList({
    path: '/admin/reports',
    params: () => ({ status: $('reports-status').value }),
    container: $('reports-list'),
    render: reportCard,
    more: $('reports-more'),
    empty: $('reports-empty'),
  });

  // Coupons and sponsors: list, create, deactivate or activate again

  function toggleActive(path, item, rerender, label) {
    return button(
      item.active ? 'Deactivate' : 'Activate',
      async (control) => {
        const updated = await attempt(
          () => api('PATCH', `${path}/${item.id}`, { active: !item.active }),
          control,
        );
        if (!updated) return;
        rerender(updated);
        notify(`${label(updated)} is ${updated.active ? 'active' : 'inactive'}.`);
      },
      'secondary',
    );
  }

  function couponRow(coupon) {
    const row = el('tr', { attrs: { 'data-coupon-id': coupon.id } });
    row.append(
      cell(coupon.code),
      cell(coupon.amount),
      cell(`${coupon.redemptions} / ${coupon.maxRedemptions}`),
      cell(statusBadge(coupon.status, coupon.status === 'active' ? 'good' : '')),
      cell(coupon.expiresAt ? formatDate(coupon.expiresAt) : 'never'),
      cell(
        coupon.deletedAt
          ? ''
          : toggleActive(
              '/admin/coupons',
              coupon,
              (next) => row.replaceWith(couponRow(next)),
              (c) => `Coupon ${c.code}`,
            ),
        'actions',
      ),
    );
    return row;
  }

  const loadCoupons = pagedList({
    path: '/admin/coupons',
    params: () => ({}),
    container: document.querySelector('#coupons-table tbody'),
    render: couponRow,
    more: $('coupons-more'),
  });

  function localDateTime(value) {
    return value ? new Date(value).toISOString() : undefined;
  }

  function integer(value) {
    return value === '' ? undefined : Number(value);
  }

  async function createCoupon(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const body = {
      amount: integer(form.elements.amount.value),
      maxRedemptions: integer(form.elements.maxRedemptions.value),
    };
    if (form.elements.code.value.trim()) body.code = form.elements.code.value.trim();
    if (form.elements.expiresAt.value)
      body.expiresAt = localDateTime(form.elements.expiresAt.value);
    const created = await attempt(
      () => api('POST', '/admin/coupons', body),
      form.querySelector('button[type="submit"]'),
    );
    if (!created) return;
    form.reset();
    document.querySelector('#coupons-table tbody').prepend(couponRow(created));
    notify(`Coupon ${created.code} created.`);
  }

  function sponsorRow(sponsor) {
    const row = el('tr', { attrs: { 'data-sponsor-id': sponsor.id } });
    const link = el('a', {
      text: sponsor.name,
      attrs: { href: sponsor.linkUrl, rel: 'noopener noreferrer', target: '_blank' },
    });
    row.append(
      cell(link),
      cell(statusBadge(sponsor.status, sponsor.status === 'running' ? 'good' : '')),
      cell(`${formatDate(sponsor.startsAt)} – ${formatDate(sponsor.endsAt)}`),
      cell(sponsor.weight),
      cell(
        sponsor.deletedAt
          ? ''
          : toggleActive(
              '/admin/sponsors',
              sponsor,
              (next) => row.replaceWith(sponsorRow(next)),
              (s) => `Sponsor ${s.name}`,
            ),
        'actions',
      ),
    );
    return row;
  }

  const loadSponsors = pagedList({
    path: '/admin/sponsors',
    params: () => ({}),
    container: document.querySelector('#sponsors-table tbody'),
    render: sponsorRow,
    more: $('sponsors-more'),
  });

  async function createSponsor(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = form.elements;
    const body = {
      name: fields.name.value,
      text: fields.text.value,
      linkUrl: fields.linkUrl.value,
      startsAt: localDateTime(fields.startsAt.value),
      endsAt: localDateTime(fields.endsAt.value),
    };
    if (fields.imageUrl.value) body.imageUrl = fields.imageUrl.value;
    if (fields.weight.value) body.weight = integer(fields.weight.value);
    const created = await attempt(
      () => api('POST', '/admin/sponsors', body),
      form.querySelector('button[type="submit"]'),
    );
    if (!created) return;
    form.reset();
    document.querySelector('#sponsors-table tbody').prepend(sponsorRow(created));
    notify(`Sponsor ${created.name} created.`);
  }

  function onSubmit(id, handler) {
    $(id).addEventListener('submit', (event) => {
      event.preventDefault();
      handler(event.submitter || event.currentTarget.querySelector('button[type="submit"]'));
    });
  }

  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  onSubmit('stats-form', loadStats);
  onSubmit('users-form', searchUsers);
  onSubmit('reports-form', (control) => loadReports(true, control));
  $('coupon-form').addEventListener('submit', createCoupon);
  $('sponsor-form').addEventListener('submit', createSponsor);
  let resizeTimer;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(resizeCharts, 150);
  });
  showDashboard(false);
})();
