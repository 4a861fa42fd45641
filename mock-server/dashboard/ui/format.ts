const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const integer = new Intl.NumberFormat();
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/** A date and time for people, in their locale and time zone. */
export function formatDate(iso: string): string {
  return dateTime.format(new Date(iso));
}

export function formatTime(iso: string): string {
  return timeOnly.format(new Date(iso));
}

export function formatCount(value: number): string {
  return integer.format(value);
}

/** A ratio as a percentage; a rate over zero requests is shown as a dash, not as 0% or 100%. */
export function formatRate(ratio: number | null): string {
  return ratio === null ? '—' : percent.format(ratio);
}
