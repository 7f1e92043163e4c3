// Plain-text tables: columns padded to their widest cell, numbers right-aligned.

/**
 * @param {string[]} headers
 * @param {string[][]} rows
 * @param {boolean[]} [rightAlign] per column
 * @returns {string}
 */
export function table(headers, rows, rightAlign = []) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells) =>
    cells
      .map((c, i) => (rightAlign[i] ? (c ?? '').padStart(widths[i]) : (c ?? '').padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}
