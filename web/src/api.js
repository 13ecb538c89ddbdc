// api.js: the one way the dashboard talks to the server: JSON over /api/v1 with the session
// cookie, the CSRF token on writes, errors as ApiError (status, code, message, details).
import { reactive } from 'vue'

export const session = reactive({ me: null, csrf: '' })

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {}
    super(e.message || `HTTP ${status}`)
    this.status = status
    this.code = e.code || 'http'
    this.details = e.details || []
  }
}

// Leaving the page (a reload, a typed address) aborts its requests: no error of the page
// being left, the next one asks again.
let leaving = false
addEventListener('pagehide', () => { leaving = true })
addEventListener('pageshow', () => { leaving = false }) // back from the back-forward cache

async function call(method, path, { body, query, raw, contentType } = {}) {
  let url = '/api/v1' + path
  if (query) {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, v)
    const s = q.toString()
    if (s) url += (url.includes('?') ? '&' : '?') + s
  }
  const headers = {}
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf
  let payload
  if (raw !== undefined) {
    payload = raw
    headers['Content-Type'] = contentType || 'application/octet-stream'
  } else if (body !== undefined) {
    payload = JSON.stringify(body)
    headers['Content-Type'] = 'application/json'
  }
  let res
  try {
    res = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' })
  } catch (e) {
    if (leaving) return new Promise(() => {})
    throw e
  }
  if (res.status === 204) return null
  const text = await res.text()
  let data = null
  try { data = text ? JSON.parse(text) : null } catch { data = null }
  if (!res.ok) {
    if (res.status === 401 && path !== '/session') session.me = null
    throw new ApiError(res.status, data)
  }
  return data
}

export const api = {
  get: (path, query) => call('GET', path, { query }),
  post: (path, body, query) => call('POST', path, { body, query }),
  put: (path, body) => call('PUT', path, { body }),
  patch: (path, body) => call('PATCH', path, { body }),
  del: (path) => call('DELETE', path),
  upload: (path, file, query) => call('POST', path, { raw: file, query,
    contentType: /\.xlsx$/i.test(file.name) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv' }),
}

// Every page of a paged list (rows / results), up to max rows.
export async function all(path, query, key, max = 20000) {
  let out = [], cursor
  for (;;) {
    const page = await api.get(path, { ...query, cursor, limit: query.limit || 1000 })
    out = out.concat(page[key] || [])
    cursor = page.next_cursor
    if (!cursor || out.length >= max) return out
  }
}

export async function login(name, password) {
  const r = await api.post('/session', { name, password })
  session.csrf = r.csrf_token || ''
  return loadMe()
}

export async function loadMe() {
  try {
    const me = await api.get('/me')
    session.me = me
    if (me.csrf_token) session.csrf = me.csrf_token
  } catch (e) {
    session.me = null
  }
  return session.me
}

export async function logout() {
  try { await api.del('/session') } catch { /* already ended */ }
  session.me = null
  session.csrf = ''
}

// Small caches of what every page needs: the indicator catalog and the areas in scope.
let indicators, areas
export async function catalog() {
  if (!indicators) indicators = api.get('/indicators').then((r) => Object.fromEntries(r.indicators.map((i) => [i.code, i])))
  return indicators
}
export async function areaNames() {
  if (!areas) areas = all('/tables/area/rows', { level: 'county' }, 'rows').then(async (counties) => {
    const m = {}
    for (const a of counties) m[a.code] = a
    // the city itself (a city-wide caller sees it; a county user only its subtree)
    const city = await api.get('/tables/area/rows', { level: 'city' })
    for (const a of city.rows) m[a.code] = a
    return m
  })
  return areas
}
export function resetCaches() { indicators = undefined; areas = undefined }
