// engines.js: one entry per mechanism page. A page is its API queries and its chart and
// table configuration; Engine.vue draws every one of them. To add the next engine's page,
// add an entry here and its title in i18n.js.
//   mechanisms: whose indicators (catalog) the table offers and whose verdicts are summed
//   chart:      one indicator drawn per unit against its threshold (unitKind: which rows)
export const engines = [
  { name: 'teachers', mechanisms: ['teachers'], chart: { indicator: 'TCH.EXCH.SHARE', unitKind: 'county' } },
  { name: 'groups', mechanisms: ['groups'], chart: { indicator: 'GRP.COVERAGE', unitKind: 'county' } },
  { name: 'vocational', mechanisms: ['vocational'], chart: { indicator: 'VOC.COOP.ENT', unitKind: 'school' } },
  { name: 'assessment', mechanisms: ['assessment', 'curriculum'], chart: { indicator: 'CUR.ETHNIC.COUNTY', unitKind: 'county' } },
  { name: 'safety', mechanisms: ['safety'], chart: { indicator: 'SAFE.OVERDUE', unitKind: 'county' } },
  { name: 'tasks', mechanisms: ['tasks'], chart: { indicator: 'TASK.PROGRESS', unitKind: 'task' } },
]

// The page of a mechanism (the overview's verdict summary links there).
export function mechanismPage(m) {
  if (m === 'balance') return '/balance'
  if (m === 'seats') return '/seats'
  const e = engines.find((x) => x.mechanisms.includes(m))
  return e ? '/engine/' + e.name : '/runs'
}
