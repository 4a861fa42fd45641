import { svg } from './dom.js';
import { formatCount, formatTime } from './format.js';

export interface VolumeBucket {
  /** Start of the bucket (ISO 8601). */
  start: string;
  requests: number;
  failed: number;
}

const HEIGHT = 170;
const MARGIN = { top: 10, right: 8, bottom: 22, left: 40 };

/**
 * Stacked bars (succeeded below, failed on top), drawn as inline SVG at the container's pixel width
 * so labels stay readable on a phone. Each bar has a <title> with its figures; `summary` is the
 * accessible name of the whole chart.
 */
export function volumeChart(buckets: VolumeBucket[], width: number, summary: string): SVGSVGElement {
  const plotWidth = Math.max(width - MARGIN.left - MARGIN.right, 10);
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const top = niceCeiling(Math.max(1, ...buckets.map((b) => b.requests)));
  const y = (value: number): number => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const slot = plotWidth / Math.max(buckets.length, 1);
  const barWidth = Math.max(slot * 0.72, 1);

  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${HEIGHT}`,
    width,
    height: HEIGHT,
    role: 'img',
    'aria-label': summary,
  });
  // The middle gridline only when it is a whole number (not 2.5 requests).
  for (const tick of Number.isInteger(top / 2) ? [0, top / 2, top] : [0, top]) {
    chart.append(
      svg('line', { class: 'grid', x1: MARGIN.left, x2: width - MARGIN.right, y1: y(tick), y2: y(tick) }),
      svg('text', { class: 'axis', x: MARGIN.left - 6, y: y(tick) + 4, 'text-anchor': 'end' }, formatCount(tick)),
    );
  }
  buckets.forEach((bucket, index) => {
    const x = MARGIN.left + index * slot + (slot - barWidth) / 2;
    const ok = bucket.requests - bucket.failed;
    const label = `${formatTime(bucket.start)}: ${formatCount(bucket.requests)} requests, ${formatCount(bucket.failed)} failed`;
    chart.append(
      svg(
        'g',
        {},
        svg('title', {}, label),
        svg('rect', { class: 'bar-ok', x, width: barWidth, y: y(ok), height: y(0) - y(ok) }),
        svg('rect', { class: 'bar-error', x, width: barWidth, y: y(bucket.requests), height: y(ok) - y(bucket.requests) }),
      ),
    );
  });
  for (const index of axisLabelIndexes(buckets.length)) {
    const bucket = buckets[index];
    if (!bucket) continue;
    const x = MARGIN.left + index * slot + slot / 2;
    const anchor = index === 0 ? 'start' : index === buckets.length - 1 ? 'end' : 'middle';
    chart.append(svg('text', { class: 'axis', x, y: HEIGHT - 6, 'text-anchor': anchor }, formatTime(bucket.start)));
  }
  return chart;
}

/** 1, 2 or 5 times a power of ten, so the gridline labels are round numbers. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

function axisLabelIndexes(count: number): number[] {
  if (count === 0) return [];
  return [...new Set([0, Math.floor((count - 1) / 2), count - 1])];
}
