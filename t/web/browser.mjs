// t/web/browser.mjs: the browser half of t5000-web.sh (which starts the server and makes the
// users): headless chromium through playwright-core signs in as every demo role, visits
// every page and prints TAP. What a page shows is compared with what the API answers the
// same user; a county user must see no other county; English must leave no Chinese label;
// axe-core finds no serious or critical violation; an edit shows in the registry and the
// audit log; an upload's error shows its line. Screenshots at 1366x768 and phone width.
// Env: BASE (http://127.0.0.1:PORT), USERS (JSON file), SHOTS (dir), CHROMIUM, TOP, TAP_FROM
// (the number of the TAP lines t5000-web.sh printed before).
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'

const require = createRequire(process.env.TOP + '/web/package.json')
const { chromium } = require('playwright-core')
const AXE = require.resolve('axe-core/axe.min.js')
const BASE = process.env.BASE
const SHOTS = process.env.SHOTS
const users = JSON.parse(readFileSync(process.env.USERS, 'utf8'))
const user = (role) => users.find((u) => u.role === role)

let n = Number(process.env.TAP_FROM || 0)
let failed = 0
function ok(cond, name, diag) {
  n++
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${name}`)
  if (!cond) {
    failed++
    // also on stderr: prove shows it without -v, so a CI log names what failed
    console.error(`not ok ${n} - ${name}`)
    if (diag !== undefined) {
      const d = String(typeof diag === 'string' ? diag : JSON.stringify(diag)).split('\n').map((l) => '#   ' + l).join('\n')
      console.log(d)
      console.error(d)
    }
  }
}
const is = (got, want, name) => ok(got === want, name, `got:      ${got}\nexpected: ${want}`)
const digits = (s) => String(s).replace(/[^\d.]/g, '')

const ENGINES = ['teachers', 'groups', 'vocational', 'assessment', 'safety', 'tasks']
const PAGES = ['/', '/balance', '/balance/390522', '/seats', '/registry/school', '/rules', '/runs',
  ...ENGINES.map((e) => '/engine/' + e), '/users', '/audit']
const CJK = /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })

// A signed-in browser context for ROLE (through the login page), with its page and the
// errors the page raised; lands where the role's work is.
async function signIn(role, viewport = { width: 1366, height: 768 }) {
  const u = user(role)
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' })
  const page = await ctx.newPage()
  page.setDefaultTimeout(20000)
  // the errors the page raised: after visit(), only the visited document's (gen counts the
  // main frame's navigations; the one left may still report its aborted requests)
  const errors = []
  let gen = 0, from = -1
  const note = (text) => { if (gen > from) errors.push(text) }
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) gen++ })
  page.on('pageerror', (e) => note(e.message))
  page.on('console', (m) => { if (m.type() === 'error') note(m.text()) })
  // requests in flight: the landing page is reached without a document load, so the load
  // states do not wait for its requests; settled() does
  let inflight = 0
  page.on('request', () => inflight++)
  for (const ev of ['requestfinished', 'requestfailed']) page.on(ev, () => inflight--)
  await page.goto(BASE + '/login')
  await page.fill('input[name=username]', u.name)
  await page.fill('input[name=password]', u.password)
  await page.click('button[type=submit]')
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
  await settled(() => inflight)
  const api = async (path) => {
    const r = await ctx.request.get(BASE + '/api/v1' + path)
    return r.json()
  }
  const leaving = () => { from = gen; errors.length = 0 }
  return { u, ctx, page, errors, api, leaving }
}

// Resolves once INFLIGHT() has stayed 0 for half a second (or after 20 s: the checks that
// follow then say what is missing).
async function settled(inflight) {
  for (let quiet = 0, i = 0; quiet < 10 && i < 400; quiet = inflight() ? 0 : quiet + 1, i++)
    await new Promise((r) => setTimeout(r, 50))
}

// Open PATH and wait until its API calls are answered and drawn; s.errors then holds the
// errors of PATH's document alone.
async function visit(s, path) {
  s.leaving()
  await s.page.goto(BASE + path)
  await s.page.waitForLoadState('networkidle')
  await s.page.waitForFunction(() => !document.querySelector('.el-loading-mask'))
  return s.page.innerText('body')
}
const shotName = (path) => (path === '/' ? 'overview' : path.slice(1).replace(/\//g, '-'))

// --- the city administrator: every page, its figures against the API, screenshots ---
const admin = await signIn('city_admin')
is(new URL(admin.page.url()).pathname, '/', 'the city administrator lands on the overview')
const ov = await admin.api('/overview')
const sum = await admin.api('/results/summary')
for (const path of PAGES) {
  await visit(admin, path)
  ok(admin.errors.length === 0, `admin ${path}: no script or console error`, admin.errors)
  await admin.page.screenshot({ path: `${SHOTS}/${shotName(path)}-1366.png` })
}

await visit(admin, '/')
for (const k of ['schools', 'pupils', 'teachers', 'exchanges', 'groups', 'projects', 'specialties', 'hazards', 'tasks']) {
  const v = await admin.page.innerText(`[data-figure=${k}] .value`)
  is(digits(v), String(ov[k]), `overview: ${k} shown as the API's ${ov[k]}`)
}
{
  const v = await admin.page.innerText('[data-figure=coverage] .value')
  const c = ov.coverage
  is(digits(v), String(Math.round((1000 * c.numerator) / c.denominator) / 10), 'overview: coverage is the API\'s numerator over its denominator')
  const note = await admin.page.innerText('[data-figure=coverage] .note')
  ok(note.includes(String(c.numerator)) && note.includes(String(c.denominator)) && note.includes('公办义务教育学校'),
    'overview: coverage names its denominator', note)
  const rows = await admin.page.$$eval('.el-table__body tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())))
  is(JSON.stringify(rows.map((r) => r.slice(1, 5).map(digits))),
    JSON.stringify(sum.mechanisms.map((m) => [m.fail, m.warn, m.pass, m.na].map(String))),
    'overview: every mechanism\'s fail/warn/pass/n.a. counts are the API\'s')
  const href = await admin.page.getAttribute('[data-figure=coverage]', 'href')
  is(href, '/engine/groups', 'overview: the coverage figure opens its evidence')
}

// balance: every county's CV as the API has it; 青山县 L5 0.745 marked failing
const cv = []
for (let l = 1; l <= 7; l++) cv.push(...(await admin.api(`/results?indicator=BAL.CV.L${l}&limit=1000`)).results)
await visit(admin, '/balance')
{
  const shown = await admin.page.$$eval('[data-cv]', (els) => els.map((e) => [e.dataset.cv, e.innerText, e.className]))
  const want = cv.filter((r) => r.stage === 'primary' && r.unit_kind === 'county')
  const bad = want.filter((r) => {
    const s = shown.find((x) => x[0] === `${r.unit_id}-${r.indicator.slice(-2)}`)
    return !s || !s[1].startsWith(r.value.toFixed(3)) || (r.verdict === 'fail') !== s[2].includes('fail-text')
  })
  is(shown.length, want.length, 'balance: one CV cell per county and indicator (primary)')
  ok(bad.length === 0, 'balance: every CV cell shows the API\'s value, failing ones marked', bad.slice(0, 3))
  const l5 = shown.find((x) => x[0] === '390522-L5')
  ok(l5 && l5[1].includes('0.745') && l5[1].includes('✗') && l5[2].includes('fail-text'),
    '青山县 L5 CV shown as 0.745 and marked failing', l5)
}
{
  const nb = (await admin.api('/tables/area_boundary/rows?limit=100')).rows.length
  is(nb, 6, 'balance: the demo has a boundary for each of its 6 counties')
  is(await admin.page.locator('.chart[aria-label="各区县评估结论"] canvas').count(), 1, 'balance: the county map is drawn')
}
await visit(admin, '/balance/390522')
{
  const t = await admin.page.innerText('[data-cv="BAL.CV.L5"]')
  const cls = await admin.page.getAttribute('[data-cv="BAL.CV.L5"]', 'class')
  ok(t === '0.745' && cls.includes('fail-text'), 'the county page: L5 CV 0.745 marked failing', [t, cls])
  const body = await admin.page.innerText('body')
  ok(body.includes('青山县') && body.includes('BAL.CV.L5'), 'the county page names the county and its failing indicator')
}

// the annual report's links (src/report.c): a county's evidence and a mechanism's rows of one
// stored run, the indicator chosen; every results query of the page asks for that run
{
  const run = String((await admin.api('/runs?limit=1')).runs[0].id)
  const asked = []
  const seen = (r) => { const u = new URL(r.url()); if (u.pathname === '/api/v1/results') asked.push(u.searchParams.get('run')) }
  admin.page.on('request', seen)
  await visit(admin, `/balance/390522?run=${run}&indicator=BAL.CV.L5`)
  ok(asked.length >= 16 && asked.every((x) => x === run), `report link: the county page's ${asked.length} results queries ask for run ${run}`, asked)
  ok((await admin.page.innerText('[data-cv="BAL.CV.L5"]')) === '0.745', 'report link: the county page shows that run\'s L5 CV')
  asked.length = 0
  await visit(admin, `/engine/groups?run=${run}&indicator=GRP.DID`)
  ok(asked.length >= 2 && asked.every((x) => x === run), `report link: the groups page's ${asked.length} results queries ask for run ${run}`, asked)
  ok((await admin.page.innerText('.toolbar')).includes('GRP.DID'), 'report link: the groups page shows the linked indicator')
  admin.page.off('request', seen)
}

// each mechanism page: its verdict counts are the API's
for (const e of ENGINES) {
  await visit(admin, '/engine/' + e)
  const got = await admin.page.$$eval('[data-figure=summary] .value', (els) => els.map((x) => x.innerText))
  const mechs = e === 'assessment' ? ['assessment', 'curriculum'] : [e]
  is(JSON.stringify(got.map((x) => digits(x))), JSON.stringify(mechs.map((m) => String(sum.mechanisms.find((x) => x.mechanism === m).fail))),
    `engine ${e}: failing count as the API's`)
}
{
  const rules = (await admin.api('/rules')).rules
  await visit(admin, '/rules')
  is(await admin.page.locator('.el-table__body tr').count(), rules.length, 'rules: every rule in force is listed')
  const runs = (await admin.api('/runs?limit=50')).runs
  await visit(admin, '/runs')
  is(await admin.page.locator('.el-table__body tr').count(), runs.length, 'runs: every run is listed')
  const us = (await admin.api('/users')).users
  await visit(admin, '/users')
  is(await admin.page.locator('.el-table__body tr').count(), us.length, 'users: every user is listed')
}

// axe-core on every page, in Chinese
for (const path of PAGES) {
  await visit(admin, path)
  await admin.page.addScriptTag({ path: AXE })
  const v = await admin.page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] })
    return r.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')
      .map((x) => `${x.impact} ${x.id}: ${x.nodes.length} nodes, e.g. ${x.nodes[0].target.join(' ')}`)
  })
  ok(v.length === 0, `axe ${path}: no serious or critical violation`, v.join('\n'))
}

// edit a school field: the registry shows it and the audit log records it
{
  const code = '3905020001'
  const before = (await admin.api(`/tables/school/rows/${code}`))
  const seats = String(Number(before.declared_seats) + 77)
  await visit(admin, `/registry/school?col=code&val=${code}`)
  await admin.page.click('[data-test=rows] .el-table__body tr:first-child td:last-child button')
  await admin.page.fill('input[data-col=declared_seats]', 'abc')
  await admin.page.locator('input[data-col=declared_seats]').blur()
  ok(await admin.page.locator('.el-form-item__error', { hasText: '请输入数字' }).waitFor({ timeout: 5000 }).then(() => true, () => false),
    'registry: a non-number is refused inline')
  await admin.page.fill('input[data-col=declared_seats]', seats)
  await admin.page.click('[data-test=save]')
  await admin.page.waitForSelector('.el-dialog', { state: 'hidden' })
  await admin.page.waitForLoadState('networkidle')
  const after = await admin.api(`/tables/school/rows/${code}`)
  is(String(after.declared_seats), seats, 'registry: the edit is stored')
  const row = await admin.page.innerText('[data-test=rows] .el-table__body tr')
  ok(row.includes(seats) && row.includes(code), 'registry: the table shows the new value', row)
  await visit(admin, '/audit')
  const first = await admin.page.innerText('[data-test=audit] .el-table__body tr')
  ok(first.includes('school') && first.includes(code) && first.includes(`declared_seats: ${before.declared_seats} → ${seats}`),
    'audit: the edit is the newest entry, with before and after', first)
}

// upload a CSV with an error: its line and column in the error table, nothing imported
{
  const csv = 'code,name,area_code,type,ownership,urban_rural,is_weak,is_teaching_point,declared_seats,latitude,longitude\n' +
    '3905020001,临江市江城区第一小学,390502001000,primary,public,111,0,0,1623,28.266699,116.996648\n' +
    '3905020002,临江市江城区第二小学,390502003000,primery,public,111,0,0,1123,28.303289,117.073441\n'
  await visit(admin, '/registry/school')
  await admin.page.setInputFiles('[data-test=upload-file]', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await admin.page.click('button:has-text("试导入")')
  await admin.page.waitForSelector('[data-test=upload-errors] .el-table__body tr')
  const rows = await admin.page.$$eval('[data-test=upload-errors] .el-table__body tr',
    (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())))
  ok(rows.length === 1 && rows[0][0] === 'bad.csv' && rows[0][1] === '3' && rows[0][2] === 'type' && rows[0][3].startsWith("'primery': not one of"),
    'upload: the bad line is shown with its file, line and column', rows)
  const s2 = await admin.api('/tables/school/rows/3905020002')
  is(s2.type, 'primary', 'upload: nothing was imported')
}

// English: no Chinese label on any page (data such as names stays as it is)
{
  const names = new Set()
  for (const a of (await admin.api('/tables/area/rows?limit=1000')).rows) names.add(a.name)
  for (const s of (await admin.api('/tables/school/rows?limit=1000')).rows) names.add(s.name)
  const sorted = [...names].sort((a, b) => b.length - a.length)
  await visit(admin, '/')
  await admin.page.click('.lang')
  await admin.page.waitForFunction(() => document.documentElement.lang === 'en')
  for (const path of PAGES) {
    await visit(admin, path)
    let text = await admin.page.evaluate(() => {
      const sel = 'h1, h2, th, button, label, .el-menu-item, .el-tag, .figure .label, .figure .note, .el-empty__description, p.muted, .who, .brand, td a'
      const out = [...document.querySelectorAll(sel)].filter((e) => e.offsetParent !== null && !e.closest('.lang')).map((e) => e.innerText)
      for (const e of document.querySelectorAll('[placeholder], [aria-label]')) if (!e.closest('.lang')) out.push(e.getAttribute('placeholder') || '', e.getAttribute('aria-label') || '')
      out.push(document.title)
      return out.join('\n')
    })
    for (const nm of sorted) text = text.split(nm).join('')
    const left = text.split('\n').filter((l) => CJK.test(l))
    ok(left.length === 0, `English ${path}: no untranslated label`, left.slice(0, 5).join('\n'))
    if (path === '/') await admin.page.screenshot({ path: `${SHOTS}/overview-en-1366.png` })
  }
}
await admin.ctx.close()

// phone width: every page lays out without a horizontal scroll of the whole page
{
  const phone = await signIn('city_admin', { width: 390, height: 844 })
  for (const path of PAGES) {
    await visit(phone, path)
    await phone.page.screenshot({ path: `${SHOTS}/${shotName(path)}-phone.png` })
    const w = await phone.page.evaluate(() => document.documentElement.scrollWidth)
    ok(w <= 390, `phone ${path}: fits the width`, `scrollWidth ${w}`)
  }
  await phone.ctx.close()
}

// --- the city analyst: the overview as the admin's, no admin pages ---
{
  const s = await signIn('city_analyst')
  is(new URL(s.page.url()).pathname, '/', 'the city analyst lands on the overview')
  const v = await s.page.innerText('[data-figure=schools] .value')
  is(digits(v), String(ov.schools), 'analyst: the overview\'s figures')
  ok(!(await s.page.innerText('nav')).includes('审计'), 'analyst: no audit in the navigation')
  await visit(s, '/audit')
  is(new URL(s.page.url()).pathname, '/', 'analyst: the audit page sends back to the overview')
  await s.ctx.close()
}

// --- runs: the analyst runs the engines now and compares the new run with the one before
// (the server compares: the page shows its counts and rows); a county user's comparison
// shows its county alone ---
async function compareTwo(s) {
  await visit(s, '/runs')
  await s.page.click('[data-test=runs] .el-table__body tr:nth-child(1) .el-checkbox')
  await s.page.click('[data-test=runs] .el-table__body tr:nth-child(2) .el-checkbox')
  await s.page.click('button:has-text("比较")')
  await s.page.waitForSelector('[data-test=compare] [data-test=changed]')
  await s.page.waitForLoadState('networkidle')
  const runs = (await s.api('/runs?limit=2')).runs
  return s.api(`/runs/compare?a=${runs[1].id}&b=${runs[0].id}&limit=500`)
}
{
  const s = await signIn('city_analyst')
  const before = (await s.api('/runs?limit=1')).runs[0].id
  await visit(s, '/runs')
  await s.page.click('button:has-text("立即评估")')
  await s.page.waitForSelector('[role=status]:has-text("已完成评估批次")', { timeout: 60000 })
  const now = (await s.api('/runs?limit=1')).runs[0].id
  ok(now > before, `runs: 立即评估 stored run ${now}`, [before, now])
  const c = await compareTwo(s)
  const total = c.indicators.reduce((n, d) => n + d.changed + d.added + d.removed, 0)
  ok(total > 0, `runs: the two runs differ in ${total} rows (the edit of declared seats, another judging date)`)
  is(digits(await s.page.innerText('[data-test=compare] [data-test=changed]')), String(total), 'runs: the page shows the server\'s count of changed rows')
  is(await s.page.locator('[data-test=compare] [data-test=rows] .el-table__body tr').count(), c.rows.length, 'runs: and its first page of rows')
  is(await s.page.locator('[data-test=by-indicator] .el-table__body tr').count(), c.indicators.filter((d) => d.changed + d.added + d.removed).length,
    'runs: one line per indicator that changed')
  ok(s.errors.length === 0, 'runs: no script or console error', s.errors)
  await s.ctx.close()
}
{
  const s = await signIn('county_user')
  const c = await compareTwo(s)
  const body = await s.page.innerText('[data-test=compare]')
  const counties = (await admin_areas()).filter((a) => a.code !== '390522')
  const others = c.rows.filter((r) => counties.some((a) => r.unit_id.startsWith(a.code)))
  ok(others.length === 0, `runs: a county user's comparison has its county's rows only (${c.rows.length})`, others.slice(0, 3))
  const city = await adminGet(`/runs/compare?a=${c.a.id}&b=${c.b.id}&area=390522&limit=500`)
  is(JSON.stringify(c.indicators), JSON.stringify(city.indicators), 'runs: its counts are the city\'s narrowed to the county')
  is(digits(await s.page.innerText('[data-test=compare] [data-test=changed]')),
    String(c.indicators.reduce((n, d) => n + d.changed + d.added + d.removed, 0)), 'runs: the county page shows its count')
  const seen = counties.filter((a) => body.includes(a.code))
  ok(seen.length === 0, 'runs: and shows no other county', seen.map((a) => a.code))
  await s.ctx.close()
}

// --- the county user: its county only, everywhere ---
{
  const s = await signIn('county_user')
  is(new URL(s.page.url()).pathname, '/balance/390522', 'the county user lands on its county\'s balance evidence')
  const counties = (await admin_areas()).filter((a) => a.code !== '390522')
  const sov = await s.api('/overview')
  for (const path of PAGES.filter((p) => p !== '/users' && p !== '/audit')) {
    const body = await visit(s, path)
    ok(s.errors.length === 0, `county ${path}: no script or console error`, s.errors)
    const seen = counties.filter((a) => body.includes(a.name) || body.includes(a.code))
    ok(seen.length === 0, `county ${path}: no other county shown`, seen.map((a) => a.name))
    if (path === '/') {
      const v = await s.page.innerText('[data-figure=schools] .value')
      is(digits(v), String(sov.schools), 'county: the overview shows its county\'s school count as the API')
      ok(sov.schools < ov.schools, 'county: fewer schools than the city', [sov.schools, ov.schools])
    }
    if (path === '/balance') {
      const b = (await s.api('/tables/area_boundary/rows?limit=100')).rows.map((r) => r.area_code)
      is(JSON.stringify(b), '["390522"]', 'county: the map has its county\'s boundary alone')
      const shown = await s.page.$$eval('[data-county]', (els) => [...new Set(els.map((e) => e.dataset.county))])
      is(JSON.stringify(shown), '["390522"]', 'county: the balance table has its county alone')
    }
  }
  await visit(s, '/users')
  is(new URL(s.page.url()).pathname, '/balance/390522', 'county: the users page sends back to its landing')
  await s.page.screenshot({ path: `${SHOTS}/county-user-1366.png` })
  await s.ctx.close()
}

// --- the school user: its own return ---
{
  const s = await signIn('school_user')
  const code = s.u.scope
  is(new URL(s.page.url()).pathname, '/registry/grade_return', 'the school user lands on its school\'s return')
  const rows = await s.api('/tables/grade_return/rows?limit=100')
  await s.page.waitForFunction(() => document.querySelectorAll('[data-test=rows] .el-table__body tr').length > 0)
  const cells = await s.page.$$eval('[data-test=rows] .el-table__body tr td:first-child', (tds) => tds.map((td) => td.innerText.trim()))
  is(cells.length, rows.rows.length, 'school: the return\'s rows as the API\'s')
  ok(cells.length > 0 && cells.every((c) => c === code), 'school: only its own school\'s rows', [...new Set(cells)])
  await s.page.screenshot({ path: `${SHOTS}/school-user-1366.png` })
  await s.ctx.close()
}

// GET PATH as the city administrator, in a context of its own
async function adminGet(path) {
  const ctx = await browser.newContext()
  await ctx.request.post(BASE + '/api/v1/session', { data: { name: user('city_admin').name, password: user('city_admin').password } })
  const r = await (await ctx.request.get(BASE + '/api/v1' + path)).json()
  await ctx.close()
  return r
}
async function admin_areas() {
  return (await adminGet('/tables/area/rows?level=county')).rows
}

await browser.close()
console.log(`1..${n}`)
process.exit(failed ? 1 : 0)
