// Order statistics for a handful of samples. Medians, not means: one slow run (a page-cache
// miss, a scheduler hiccup) should not move the figure a verdict is based on.

/** @param {number[]} values @returns {number|null} */
export function median(values) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** @param {number[]} values @returns {{median: number|null, min: number|null, max: number|null, n: number}} */
export function summarize(values) {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return { median: null, min: null, max: null, n: 0 };
  return { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length };
}
