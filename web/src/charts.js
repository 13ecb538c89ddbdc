// charts.js: the chart configurations the pages share: bars coloured by verdict against
// the threshold, and a forecast line with its 80 % and 95 % bands against seats.
export const colors = { pass: '#2e7d32', warn: '#b26a00', fail: '#c62828', na: '#8a8f98' }

export function barOption(rows, label, t) {
  const thresholds = [...new Set(rows.map((r) => r.threshold).filter((x) => x !== null))]
  return {
    grid: { left: 50, right: 20, top: 30, bottom: 80 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: rows.map(label), axisLabel: { rotate: rows.length > 6 ? 35 : 0, interval: 0 } },
    yAxis: { type: 'value' },
    series: [{
      type: 'bar', name: t('results.value'),
      data: rows.map((r) => ({ value: r.value, itemStyle: { color: colors[r.verdict] || colors.na } })),
      markLine: thresholds.length === 1 ? { symbol: 'none', label: { position: 'insideEndTop', formatter: t('results.threshold') + ' {c}' },
        lineStyle: { color: '#c62828', type: 'dashed' }, data: [{ yAxis: thresholds[0] }] } : undefined,
    }, ...(thresholds.length > 1 ? [{ type: 'line', name: t('results.threshold'), step: 'middle', symbol: 'none',
      lineStyle: { color: '#c62828', type: 'dashed' }, data: rows.map((r) => r.threshold) }] : [])],
  }
}
