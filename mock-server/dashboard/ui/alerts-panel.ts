import type { ApiClient } from './api-client.js';
import { h } from './dom.js';
import { formatCount, formatDate } from './format.js';
import type { AlertKey, Alerts, KeyEvent } from './wire.js';

export interface AlertsElements {
  list: HTMLElement;
  /** Where a key's events open when its row's link is followed. */
  events: HTMLElement;
}

interface Row extends AlertKey {
  kind: string;
  detail: string;
  count: number;
  at: string;
}

/**
 * The Overview's Alerts panel: `GET /v1/alerts` as one table (failed authentication by prefix and
 * reason, rate-limit hits, quota exceeded, new sources, spikes), each row of a known key linking
 * to its events (`GET /v1/events?key_id=`), which open below the table.
 */
export class AlertsPanel {
  constructor(
    private readonly api: ApiClient,
    private readonly elements: AlertsElements,
    private readonly fail: (error: unknown) => void,
  ) {}

  async refresh(): Promise<void> {
    this.render(await this.api.get<Alerts>('/alerts'));
  }

  render(alerts: Alerts): void {
    const rows = alertRows(alerts);
    const rule = `Spike: a minute with at least ${alerts.rule.spike_min_requests} requests and more than ${alerts.rule.spike_factor}× the key's median busy minute of the last ${alerts.rule.spike_window_minutes} minutes.`;
    if (!rows.length) {
      this.elements.list.replaceChildren(h('p', { class: 'muted' }, 'No alerts in the last 24 hours.'), h('p', { class: 'muted small' }, rule));
      return;
    }
    const head = h(
      'tr',
      {},
      h('th', { scope: 'col' }, 'Alert'),
      h('th', { scope: 'col' }, 'Key'),
      h('th', { scope: 'col' }, 'Detail'),
      h('th', { scope: 'col', class: 'number' }, 'Count'),
      h('th', { scope: 'col' }, 'Last'),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Events')),
    );
    const body = rows.map((row) =>
      h(
        'tr',
        { 'data-alert': row.kind, 'data-key-id': row.key_id ?? '' },
        h('th', { scope: 'row', 'data-label': 'Alert' }, row.kind),
        h('td', { 'data-label': 'Key' }, row.name ? `${row.name} ` : '', row.prefix ? h('code', {}, row.prefix) : row.name ? '' : 'no key'),
        h('td', { 'data-label': 'Detail' }, row.detail),
        h('td', { 'data-label': 'Count', class: 'number' }, formatCount(row.count)),
        h('td', { 'data-label': 'Last' }, formatDate(row.at)),
        h('td', { 'data-label': 'Events' }, row.key_id ? this.eventsLink(row.key_id, row.name ?? row.prefix ?? row.key_id) : ''),
      ),
    );
    this.elements.list.replaceChildren(
      h('div', { class: 'table-wrap' }, h('table', { class: 'responsive', 'aria-label': 'Alerts, last 24 hours' }, h('thead', {}, head), h('tbody', {}, ...body))),
      h('p', { class: 'muted small' }, rule),
    );
  }

  private eventsLink(keyId: string, label: string): HTMLElement {
    const link = h('a', { href: `#events-${keyId}`, class: 'events-link' }, 'Events');
    link.setAttribute('aria-label', `Events of ${label}`);
    link.addEventListener('click', (event) => {
      event.preventDefault();
      void this.showEvents(keyId, label);
    });
    return link;
  }

  private async showEvents(keyId: string, label: string): Promise<void> {
    let events: KeyEvent[];
    try {
      ({ data: events } = await this.api.get<{ data: KeyEvent[] }>(`/events?key_id=${encodeURIComponent(keyId)}&limit=50`));
    } catch (error) {
      this.fail(error);
      return;
    }
    const items = events.map((event) =>
      h('li', {}, h('time', { datetime: event.created_at }, formatDate(event.created_at)), ' ', h('code', {}, event.type), ' ', describe(event)),
    );
    const heading = h('h4', { id: 'alert-events-title', tabindex: '-1' }, `Events of ${label}`);
    this.elements.events.replaceChildren(heading, items.length ? h('ol', { class: 'events' }, ...items) : h('p', { class: 'muted' }, 'No events.'));
    this.elements.events.hidden = false;
    heading.focus();
  }
}

function alertRows(alerts: Alerts): Row[] {
  return [
    ...alerts.failed_auth.map((a) => ({ ...a, kind: 'Failed authentication', detail: a.reason, at: a.last_at })),
    ...alerts.rate_limited.map((a) => ({ ...a, kind: 'Rate limit hit', detail: 'per-minute limit', at: a.last_at })),
    ...alerts.quota_exceeded.map((a) => ({ ...a, kind: 'Quota exceeded', detail: 'hourly quota spent', at: a.last_at })),
    ...alerts.new_sources.map((a) => ({ ...a, kind: 'New source', detail: `first request from ${a.source}`, count: 1, at: a.at })),
    ...alerts.spikes.map((a) => ({ ...a, kind: 'Spike', detail: `${formatCount(a.requests)} requests in a minute (median ${formatCount(a.median)})`, count: a.requests, at: a.minute })),
  ];
}

/** The event's own words, in a line: the fields people look for first. */
function describe(event: KeyEvent): string {
  const { data } = event;
  const parts: string[] = [];
  for (const field of ['reason', 'source', 'window', 'expires_at', 'previous_expires_at', 'prefix']) {
    const value = data[field];
    if (typeof value === 'string' && value) parts.push(`${field.replace(/_/g, ' ')}: ${value}`);
  }
  return parts.join(', ');
}
