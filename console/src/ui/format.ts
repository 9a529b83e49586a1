/** How figures read: one place, so every view says money, dates and counts the same way. */

export function money(amount: number | null | undefined, currency: string | null | undefined = 'USD'): string {
  if (amount === null || amount === undefined) return '—';
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency ?? 'USD' }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency ?? ''}`.trim();
  }
}

export const count = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : new Intl.NumberFormat().format(n);

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export function day(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.slice(0, 10);
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;
