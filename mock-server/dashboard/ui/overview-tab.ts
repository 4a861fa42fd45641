import { h } from './dom.js';
import { formatCount, formatRate, formatTime } from './format.js';
import { volumeChart } from './volume-chart.js';
import type { Usage, UsageWindow } from './wire.js';

export interface OverviewElements {
  cards: HTMLElement;
  chart: HTMLElement;
  perKey: HTMLElement;
  updatedAt: HTMLElement;
  /** The "Last hour / Last 24 hours" radio buttons. */
  range: () => 'hour' | 'day';
}

/** Renders `GET /v1/usage`: stat cards, the request volume chart and error rates per key. */
export class OverviewTab {
  private usage: Usage | undefined;

  constructor(private readonly elements: OverviewElements) {}

  render(usage: Usage): void {
    this.usage = usage;
    const { last_hour: hour, last_day: day } = usage;
    this.elements.cards.replaceChildren(
      card('Active keys', formatCount(usage.active_keys), `of ${formatCount(usage.total_keys)} keys`),
      card('Requests, last hour', formatCount(hour.requests), `${formatCount(day.requests)} in the last 24 hours`),
      card('Success rate, last hour', formatRate(hour.success_rate), `${formatRate(day.success_rate)} in the last 24 hours`),
      card('Failed requests, last hour', formatCount(hour.failed), `${formatCount(day.failed)} in the last 24 hours`),
    );
    this.drawChart();
    this.elements.perKey.replaceChildren(perKeyTable(usage));
    this.elements.updatedAt.textContent = `Server time ${formatTime(usage.now)}`;
  }

  /** Redraws at the container's current width (after a resize or a range change). */
  drawChart(): void {
    if (!this.usage) return;
    const range = this.elements.range();
    const window: UsageWindow = range === 'hour' ? this.usage.last_hour : this.usage.last_day;
    const period = range === 'hour' ? 'the last hour' : 'the last 24 hours';
    const summary = `Request volume over ${period}: ${formatCount(window.requests)} requests, ${formatCount(window.failed)} failed.`;
    const width = Math.max(this.elements.chart.clientWidth, 280);
    this.elements.chart.replaceChildren(
      volumeChart(window.buckets, width, summary),
      h('div', { class: 'legend', 'aria-hidden': 'true' }, h('span', {}, 'Succeeded'), h('span', { class: 'error' }, 'Failed')),
    );
  }
}

function card(label: string, value: string, detail: string): HTMLElement {
  return h('dl', { class: 'stat' }, h('dt', {}, label), h('dd', {}, value, h('div', { class: 'detail' }, detail)));
}

function perKeyTable(usage: Usage): HTMLElement {
  const used = usage.keys.filter((key) => key.last_day.requests > 0).sort((a, b) => b.last_day.requests - a.last_day.requests);
  if (!used.length) return h('p', { class: 'muted' }, 'No requests with any key in the last 24 hours.');
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, 'Key'),
    h('th', { scope: 'col' }, 'Prefix'),
    h('th', { scope: 'col', class: 'number' }, 'Requests'),
    h('th', { scope: 'col', class: 'number' }, 'Failed'),
    h('th', { scope: 'col', class: 'number' }, 'Error rate'),
  );
  const rows = used.map((key) =>
    h(
      'tr',
      { 'data-key-id': key.id },
      h('th', { scope: 'row', 'data-label': 'Key' }, key.name, key.active ? '' : h('span', { class: 'badge inactive' }, 'inactive')),
      h('td', { 'data-label': 'Prefix' }, h('code', {}, key.prefix)),
      h('td', { 'data-label': 'Requests', class: 'number' }, formatCount(key.last_day.requests)),
      h('td', { 'data-label': 'Failed', class: 'number' }, formatCount(key.last_day.failed)),
      h('td', { 'data-label': 'Error rate', class: 'number' }, formatRate(key.last_day.error_rate)),
    ),
  );
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { class: 'responsive', 'aria-label': 'Error rate per key' }, h('thead', {}, head), h('tbody', {}, ...rows)),
  );
}
