// format.js: numbers and dates per the current locale (the browser computes nothing else).
import { i18n } from './i18n.js'

const tag = () => (i18n.global.locale.value === 'en' ? 'en-US' : 'zh-CN')

export function num(v, digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—'
  if (typeof v !== 'number') return String(v)
  const d = digits !== undefined ? digits : Number.isInteger(v) ? 0 : Math.abs(v) < 10 ? 3 : 1
  return new Intl.NumberFormat(tag(), { minimumFractionDigits: d, maximumFractionDigits: d }).format(v)
}

export function pct(n, d) {
  if (!d) return '—'
  return new Intl.NumberFormat(tag(), { style: 'percent', maximumFractionDigits: 1 }).format(n / d)
}

export function date(s) {
  if (!s) return '—'
  const t = new Date(s.length === 10 ? s + 'T00:00:00' : s)
  if (Number.isNaN(t.getTime())) return s
  const opts = s.length === 10 ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' }
  return new Intl.DateTimeFormat(tag(), opts).format(t)
}

// The name of an indicator, area or school in the current language.
export function indName(cat, code) {
  const i = cat && cat[code]
  if (!i) return code
  return i18n.global.locale.value === 'en' ? i.name_en : i.name_zh
}
