// Number formats an economist reads at a glance: $1.2M, 37.5%, 12,345.

export function money(value) {
  if (value === null || value === undefined) return '–';
  const abs = Math.abs(value);
  if (abs >= 1e9) return `$${(value / 1e9).toFixed(abs >= 1e10 ? 1 : 2)}B`;
  if (abs >= 1e6) return `$${(value / 1e6).toFixed(abs >= 1e7 ? 1 : 2)}M`;
  if (abs >= 1e3) return `$${(value / 1e3).toFixed(0)}k`;
  return `$${value.toFixed(0)}`;
}

export function percent(value, digits = 1) {
  if (value === null || value === undefined) return '–';
  return `${(value * 100).toFixed(digits)}%`;
}

export function count(value) {
  if (value === null || value === undefined) return '–';
  return Math.round(value).toLocaleString('en-US');
}

export function decimal(value, digits = 3) {
  if (value === null || value === undefined) return '–';
  return Number(value).toFixed(digits);
}

// Escapes text for innerHTML (organisation and region names come from the scenario file).
export function escapeHtml(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
