// router.js: the pages (history mode: `eduhq serve` answers index.html for these paths) and
// where each role lands after sign-in.
import { createRouter, createWebHistory } from 'vue-router'
import { session, loadMe } from './api.js'

const P = (name) => () => import(`./pages/${name}.vue`)

export const routes = [
  { path: '/login', name: 'login', component: P('Login'), meta: { public: true } },
  { path: '/', name: 'overview', component: P('Overview'), meta: { nav: 'overview' } },
  { path: '/balance', name: 'balance', component: P('Balance'), meta: { nav: 'balance' } },
  { path: '/balance/:county', name: 'county', component: P('County'), meta: { nav: 'balance' } },
  { path: '/seats', name: 'seats', component: P('Seats'), meta: { nav: 'seats' } },
  { path: '/registry/:table?', name: 'registry', component: P('Registry'), meta: { nav: 'registry' } },
  { path: '/rules', name: 'rules', component: P('Rules'), meta: { nav: 'rules' } },
  { path: '/runs', name: 'runs', component: P('Runs'), meta: { nav: 'runs' } },
  { path: '/engine/:engine', name: 'engine', component: P('Engine'), meta: { nav: 'engine' } },
  { path: '/users', name: 'users', component: P('Users'), meta: { nav: 'users', admin: true } },
  { path: '/audit', name: 'audit', component: P('Audit'), meta: { nav: 'audit', admin: true } },
  { path: '/:rest(.*)*', redirect: '/' },
]

// Where a role's work is: the city on its overview, a county on its county's balance
// evidence, a school on its own return.
export function landing(me) {
  if (!me) return '/login'
  if (me.role === 'county_user') return `/balance/${me.scope.code}`
  if (me.role === 'school_user') return `/registry/grade_return`
  return '/'
}

export const router = createRouter({ history: createWebHistory(), routes })

let checked = false
router.beforeEach(async (to) => {
  if (!checked) {
    checked = true
    await loadMe()
  }
  if (to.meta.public) return session.me ? landing(session.me) : true
  if (!session.me) return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  if (to.meta.admin && session.me.role !== 'city_admin') return landing(session.me)
  return true
})
