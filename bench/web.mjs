// bench/web.mjs: the dashboard's budgets, measured in headless chromium (bench/web.sh starts
// the server on the province database and passes BASE, NAME, PASSWORD, WEB, CHROMIUM, TOP):
//   1. the overview's first load with an empty cache: its JS and CSS, gzipped (the .gz files
//      `make` writes beside each asset) and as sent (brotli);
//   2. the overview's render time: navigation start to its figures and verdict table drawn
//      (median of RUNS loads with a warm cache, and the cold first load);
//   3. every page's API calls: request sent to response end, p50 and p95 over RUNS visits.
// Prints figures; nothing is asserted.
import { createRequire } from 'node:module'
import { statSync } from 'node:fs'

const require = createRequire(process.env.TOP + '/web/package.json')
const { chromium } = require('playwright-core')
const { BASE, NAME, PASSWORD, WEB } = process.env
const RUNS = Number(process.env.RUNS || 10)
const PAGES = ['/', '/balance', '/balance/' + process.env.COUNTY, '/seats', '/registry/school', '/rules', '/runs',
  '/engine/teachers', '/engine/groups', '/engine/vocational', '/engine/assessment', '/engine/safety', '/engine/tasks',
  '/users', '/audit']

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, headless: true, args: ['--no-sandbox'] })
const login = await browser.newContext()
const r = await login.request.post(BASE + '/api/v1/session', { data: { name: NAME, password: PASSWORD } })
if (!r.ok()) throw new Error('sign-in failed: ' + r.status())
const state = await login.storageState()
await login.close()

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] }
const kb = (b) => (b / 1024).toFixed(1) + ' KB'

// 1 and 2: the cold first load
const ctx = await browser.newContext({ storageState: state, viewport: { width: 1366, height: 768 } })
const page = await ctx.newPage()
const assets = []
page.on('response', async (res) => {
  const u = new URL(res.url())
  if (/\.(js|css)$/.test(u.pathname)) {
    const sizes = await res.request().sizes().catch(() => null)
    assets.push({ path: u.pathname, sent: sizes ? sizes.responseBodySize : 0, gz: statSync(WEB + u.pathname + '.gz').size })
  }
})
const drawn = async () => {
  await page.waitForSelector('[data-figure=schools] .value')
  await page.waitForSelector('.el-table__body tr')
  return page.evaluate(() => performance.now())
}
await page.goto(BASE + '/')
const cold = await drawn()
await page.waitForLoadState('networkidle')
const gz = assets.reduce((s, a) => s + a.gz, 0)
const sent = assets.reduce((s, a) => s + a.sent, 0)
console.log(`overview first load: ${assets.length} JS/CSS files, ${kb(gz)} gzipped (${kb(sent)} sent as brotli); budget 500 KB`)
for (const a of assets.sort((x, y) => y.gz - x.gz)) console.log(`  ${a.path}: ${kb(a.gz)} gzipped`)
const warm = []
for (let i = 0; i < RUNS; i++) {
  await page.goto(BASE + '/')
  warm.push(await drawn())
}
console.log(`overview rendered: ${cold.toFixed(0)} ms cold, median ${pct(warm, 50).toFixed(0)} ms / max ${Math.max(...warm).toFixed(0)} ms warm (${RUNS} loads); budget 1000 ms`)

// 3: every page's API calls
const all = []
for (const path of PAGES) {
  const t = []
  for (let i = 0; i < RUNS; i++) {
    await page.goto(BASE + path)
    await page.waitForLoadState('networkidle')
    t.push(...await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/'))
      .map((e) => e.responseEnd - e.requestStart)))
  }
  all.push(...t)
  console.log(`  ${path.padEnd(22)} ${String(t.length / RUNS).padStart(3)} API calls/visit: p50 ${pct(t, 50).toFixed(1)} ms, p95 ${pct(t, 95).toFixed(1)} ms, max ${Math.max(...t).toFixed(1)} ms`)
}
console.log(`every page's API calls (${all.length}): p50 ${pct(all, 50).toFixed(1)} ms, p95 ${pct(all, 95).toFixed(1)} ms; budget 100 ms`)
await browser.close()
