/* mech_seats_vintage.c: the forecast vintages of the seats mechanism (SPEC §2.2's assessment
 * vintages): stored with their prediction intervals by `eval seats`, read back by `eduhq
 * forecast` when the data have not changed, and scored against the actuals that arrived
 * since (MAPE, bias and interval coverage by lead). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mech_seats_int.h"
#include "store.h"
#include "xmalloc.h"
#include "banned.h"

/* The stored vintages with the same origin, method (with or without its chosen detail),
 * scenario, horizon and inputs as v, newest first: id, created_at, method. */
static struct store_stmt *same_vintages(struct store *s, const struct seats_view *v, struct err *e)
{
	struct store_stmt *st = store_prepare(s, "SELECT id, created_at, method FROM forecast_vintage "
					      "WHERE origin_year = ?1 AND (method = ?2 OR method LIKE "
					      "?2 || ' (%') AND births_scenario = ?3 AND "
					      "inputs_fingerprint = ?4 AND horizon = ?5 ORDER BY id DESC", e);
	if (!st)
		return NULL;
	store_bind_int(st, 1, v->origin);
	store_bind_text(st, 2, v->est.name);
	store_bind_text(st, 3, fc_scenario_name(v->scenario));
	store_bind_text(st, 4, v->fingerprint);
	store_bind_int(st, 5, v->horizon);
	return st;
}

/* The stored vintage with the same origin, method, scenario, horizon and inputs as v (the
 * latest), read back into v->fc; v->vintage stays 0 when there is none. */
int seats_vintage_find(struct store *s, struct seats_view *v, struct err *e)
{
	struct store_stmt *st;
	int H = v->horizon, A = v->nareas, r;
	long long id = 0;
	struct fc_output *o = &v->fc;

	if (!(st = same_vintages(s, v, e)))
		return e->code;
	r = store_step(st, e);
	if (r == 1) {
		const char *m = store_column_text(st, 2), *u = strstr(m, " (");
		id = store_column_int(st, 0);
		snprintf(v->vintage_created, sizeof(v->vintage_created), "%s",
			 store_column_text(st, 1));
		memset(o, 0, sizeof(*o));
		if (u && strlen(u) > 3)
			snprintf(o->used, sizeof(o->used), "%.*s", (int)(strlen(u) - 3), u + 2);
	}
	store_finalize(st);
	if (r < 0)
		return r;
	if (r == 0) {
		/* none: was there one for other data (the data changed since)? */
		st = store_prepare(s, "SELECT id, created_at FROM forecast_vintage WHERE "
				   "origin_year = ?1 AND (method = ?2 OR method LIKE ?2 || ' (%') AND "
				   "births_scenario = ?3 AND horizon = ?4 ORDER BY id DESC", e);
		if (!st)
			return e->code;
		store_bind_int(st, 1, v->origin);
		store_bind_text(st, 2, v->est.name);
		store_bind_text(st, 3, fc_scenario_name(v->scenario));
		store_bind_int(st, 4, H);
		r = store_step(st, e);
		if (r == 1) {
			v->stale_vintage = store_column_int(st, 0);
			snprintf(v->vintage_created, sizeof(v->vintage_created), "%s",
				 store_column_text(st, 1));
		}
		store_finalize(st);
		return r < 0 ? r : 0;
	}
	o->nareas = A;
	o->ngrades = NG;
	o->horizon = H;
	o->ngroups = ST_N;
	o->value = xmalloc(sizeof(double) * ((size_t)A * H * NG + 1));
	o->scenario = xcalloc((size_t)A * H * NG + 1, 1);
	o->chosen = xcalloc((size_t)A + 1, sizeof(int));
	o->members = xcalloc((size_t)A + 1, sizeof(unsigned));
	o->q = xmalloc(sizeof(double) * ((size_t)ST_N * H * FC_Q_N));
	o->q_origins = xcalloc((size_t)ST_N * H, sizeof(int));
	for (size_t i = 0; i < (size_t)A * H * NG; i++)
		o->value[i] = NAN;
	for (size_t i = 0; i < (size_t)ST_N * H * FC_Q_N; i++)
		o->q[i] = NAN;
	v->vintage = id;
	st = store_prepare(s, "SELECT area_code, grade, year, value, scenario FROM forecast_value "
			   "WHERE vintage_id = ?1", e);
	if (!st)
		return e->code;
	store_bind_int(st, 1, id);
	while ((r = store_step(st, e)) == 1) {
		int a = seats_area_of(v, store_column_text(st, 0)), g = (int)store_column_int(st, 1);
		int h = (int)store_column_int(st, 2) - v->origin;
		size_t fi;
		if (a < 0 || g < 1 || g > NG || h < 1 || h > H)
			continue;
		fi = ((size_t)a * H + h - 1) * NG + g - 1;
		o->value[fi] = store_column_double(st, 3);
		o->scenario[fi] = store_column_text(st, 4)[0] != '\0';
	}
	store_finalize(st);
	if (r < 0)
		return e->code;
	st = store_prepare(s, "SELECT stage, lead, q_lo95, q_lo80, q_hi80, q_hi95, origins FROM "
			   "forecast_interval WHERE vintage_id = ?1", e);
	if (!st)
		return e->code;
	store_bind_int(st, 1, id);
	while ((r = store_step(st, e)) == 1) {
		int sg = -1, h = (int)store_column_int(st, 1);
		for (int k = 0; k < ST_N; k++)
			if (!strcmp(seat_stage_name(k), store_column_text(st, 0)))
				sg = k;
		if (sg < 0 || h < 1 || h > H)
			continue;
		for (int j = 0; j < FC_Q_N; j++)
			o->q[((size_t)sg * H + h - 1) * FC_Q_N + j] = store_column_double(st, 2 + j);
		o->q_origins[(size_t)sg * H + h - 1] = (int)store_column_int(st, 6);
	}
	store_finalize(st);
	return r < 0 ? e->code : 0;
}

/* The forecast values of vintage id, VALUES_BATCH rows per INSERT: in a transaction, each
 * statement that fires the table's version trigger and checks its foreign key keeps a
 * statement journal, so one row per statement wrote 16 KB of journal per row (0.13 s for
 * the province's 11,520 values; the whole vintage stored in about 0.02 s batched). */
#define VALUES_BATCH 128
static int save_values(struct store *s, const struct seats_view *v, int64_t id, struct err *e)
{
	size_t n = (size_t)v->nareas * v->horizon * NG, *cell = xmalloc(sizeof(*cell) * (n + 1));
	size_t m = 0;
	int rc = 0;

	for (size_t fi = 0; fi < n; fi++)
		if (!isnan(v->fc.value[fi]))
			cell[m++] = fi;
	for (size_t i = 0; i < m && rc >= 0; i += VALUES_BATCH) {
		size_t rows = m - i < VALUES_BATCH ? m - i : VALUES_BATCH;
		struct buf sql = BUF_INIT;
		struct store_stmt *st;
		buf_adds(&sql, "INSERT INTO forecast_value (vintage_id, area_code, grade, year, value, "
			 "scenario) VALUES ");
		for (size_t r = 0; r < rows; r++) {
			int p = (int)r * 6;
			buf_addf(&sql, "%s(?%d, ?%d, ?%d, ?%d, ?%d, ?%d)", r ? ", " : "", p + 1, p + 2,
				 p + 3, p + 4, p + 5, p + 6);
		}
		st = store_prepare(s, sql.buf, e);
		buf_release(&sql);
		if (!st) {
			rc = e->code;
			break;
		}
		for (size_t r = 0; r < rows; r++) {
			size_t fi = cell[i + r];
			int p = (int)r * 6, a = (int)(fi / NG / (size_t)v->horizon);
			int h = (int)(fi / NG % (size_t)v->horizon), g = (int)(fi % NG);
			store_bind_int(st, p + 1, id);
			store_bind_text(st, p + 2, v->code[a]);
			store_bind_int(st, p + 3, g + 1);
			store_bind_int(st, p + 4, v->origin + 1 + h);
			store_bind_double(st, p + 5, v->fc.value[fi]);
			store_bind_text(st, p + 6, v->fc.scenario[fi] ? fc_scenario_name(v->scenario)
								  : "");
		}
		rc = store_step(st, e);
		store_finalize(st);
	}
	free(cell);
	return rc < 0 ? rc : 0;
}

/* Store the forecast as a vintage unless the same one (origin, method, scenario, inputs) is
 * stored already. */
int seats_vintage_save(struct store *s, const struct seats_view *v, struct err *e)
{
	struct store_stmt *st;
	int64_t id = 0;
	char method[160];
	int rc;

	if (!(st = same_vintages(s, v, e)))
		return e->code;
	rc = store_step(st, e);
	store_finalize(st);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	if (v->nareas && v->fc.used[0])
		snprintf(method, sizeof(method), "%s (%s)", v->est.name, v->fc.used);
	else
		snprintf(method, sizeof(method), "%s", v->est.name);
	if (store_begin(s, e) < 0)
		return e->code;
	st = store_prepare(s, "INSERT INTO forecast_vintage (origin_year, method, horizon, "
			   "births_scenario, inputs_fingerprint) VALUES (?1, ?2, ?3, ?4, ?5) "
			   "RETURNING id", e);
	if (!st)
		goto fail;
	store_bind_int(st, 1, v->origin);
	store_bind_text(st, 2, method);
	store_bind_int(st, 3, v->horizon);
	store_bind_text(st, 4, fc_scenario_name(v->scenario));
	store_bind_text(st, 5, v->fingerprint);
	rc = store_step(st, e);
	if (rc == 1)
		id = store_column_int(st, 0);
	store_finalize(st);
	if (rc != 1)
		goto fail;
	if (save_values(s, v, id, e) < 0)
		goto fail;
	st = store_prepare(s, "INSERT INTO forecast_interval (vintage_id, stage, lead, q_lo95, "
			   "q_lo80, q_hi80, q_hi95, origins) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			   e);
	if (!st)
		goto fail;
	for (int sg = 0; sg < ST_N; sg++)
		for (int h = 1; h <= v->horizon; h++) {
			const double *q = v->fc.q + ((size_t)sg * v->horizon + h - 1) * FC_Q_N;
			if (isnan(q[0]))
				continue;
			store_reset(st);
			store_bind_int(st, 1, id);
			store_bind_text(st, 2, seat_stage_name(sg));
			store_bind_int(st, 3, h);
			for (int j = 0; j < FC_Q_N; j++)
				store_bind_double(st, 4 + j, q[j]);
			store_bind_int(st, 8, v->fc.q_origins[(size_t)sg * v->horizon + h - 1]);
			if (store_step(st, e) < 0) {
				store_finalize(st);
				goto fail;
			}
		}
	store_finalize(st);
	return store_commit(s, e);
fail:
	store_rollback(s);
	err_prefix(e, "saving the forecast vintage");
	return e->code ? e->code : ERR_DB;
}

void seats_scoring_release(struct seat_scoring *sc)
{
	free(sc->c);
	free(sc->iv);
	memset(sc, 0, sizeof(*sc));
}

int seats_vintage_read(struct store *s, const struct seats_view *v, struct seat_scoring *sc,
		       struct err *e)
{
	struct store_stmt *st;
	size_t alloc = 0, ialloc = 0;
	int r;

	memset(sc, 0, sizeof(*sc));
	st = store_prepare(s, "SELECT v.id, v.origin_year, v.method, f.area_code, f.grade, "
			   "f.year, f.value FROM forecast_vintage v JOIN forecast_value f ON "
			   "f.vintage_id = v.id WHERE v.origin_year < ?1 AND f.year <= ?1 "
			   "ORDER BY v.id, f.area_code, f.year, f.grade", e);
	if (!st)
		return e->code;
	store_bind_int(st, 1, v->origin);
	while ((r = store_step(st, e)) == 1) {
		struct seat_vcell *c = sc->c;
		size_t n = sc->n;
		int a = seats_area_of(v, store_column_text(st, 3));
		int g = (int)store_column_int(st, 4), y = (int)store_column_int(st, 5);
		int stg = seat_stage_of_grade(g);
		if (a < 0)
			continue;
		if (n && c[n - 1].vintage == store_column_int(st, 0) && c[n - 1].area == a &&
		    c[n - 1].year == y && c[n - 1].stage == stg) {
			c[n - 1].f += store_column_double(st, 6);
			continue;
		}
		ALLOC_GROW(sc->c, n + 1, alloc);
		c = sc->c;
		c[n].vintage = store_column_int(st, 0);
		c[n].origin = (int)store_column_int(st, 1);
		snprintf(c[n].method, sizeof(c[n].method), "%s", store_column_text(st, 2));
		c[n].area = a;
		c[n].stage = stg;
		c[n].year = y;
		c[n].f = store_column_double(st, 6);
		sc->n++;
	}
	store_finalize(st);
	/* the earlier vintages' 80 % intervals, per stage and lead */
	st = r < 0 ? NULL : store_prepare(s, "SELECT i.vintage_id, i.stage, i.lead, i.q_lo80, "
					  "i.q_hi80 FROM forecast_interval i JOIN forecast_vintage v "
					  "ON v.id = i.vintage_id WHERE v.origin_year < ?1 ORDER BY "
					  "i.vintage_id, i.stage, i.lead", e);
	if (!st) {
		seats_scoring_release(sc);
		return e->code;
	}
	store_bind_int(st, 1, v->origin);
	while ((r = store_step(st, e)) == 1) {
		struct seat_viv *iv;
		ALLOC_GROW(sc->iv, sc->niv + 1, ialloc);
		iv = &sc->iv[sc->niv++];
		iv->vintage = store_column_int(st, 0);
		iv->stage = -1;
		for (int k = 0; k < ST_N; k++)
			if (!strcmp(seat_stage_name(k), store_column_text(st, 1)))
				iv->stage = k;
		iv->lead = (int)store_column_int(st, 2);
		iv->qlo = store_column_double(st, 3);
		iv->qhi = store_column_double(st, 4);
	}
	store_finalize(st);
	if (r < 0) {
		seats_scoring_release(sc);
		return e->code;
	}
	return 0;
}

/* Score each earlier vintage against the actual pupils per county x stage x year: MAPE, bias
 * and the share of actuals inside its 80 % interval (the biennial assessment looks back). */
void seats_vintage_score(const struct seats_view *v, const struct seat_scoring *sco,
			 const char *city, struct result_set *out)
{
	const struct seat_vcell *c = sco->c;
	const struct seat_viv *iv = sco->iv;
	size_t n = sco->n, niv = sco->niv;

	for (size_t i = 0; i < n;) {
		size_t j = i;
		int maxlead = 0;
		struct seat_vintage_cell *cells;
		struct seat_lead_score *sc;
		long nc = 0;

		while (j < n && c[j].vintage == c[i].vintage)
			j++;
		cells = xmalloc(sizeof(*cells) * (j - i));
		for (size_t k = i; k < j; k++) {
			int yi = c[k].year - v->first_year;
			double act = 0;
			if (yi < 0 || yi >= v->nyears)
				continue;
			for (int g = 1; g <= NG; g++)
				if (seat_stage_of_grade(g) == c[k].stage) {
					double x = v->hist[((size_t)c[k].area * v->nyears + yi) * NG + g - 1];
					act = isnan(x) || isnan(act) ? NAN : act + x;
				}
			cells[nc].lead = c[k].year - c[k].origin;
			cells[nc].forecast = c[k].f;
			cells[nc].actual = act;
			cells[nc].lo80 = cells[nc].hi80 = NAN;
			for (size_t q = 0; q < niv; q++)
				if (iv[q].vintage == c[k].vintage && iv[q].stage == c[k].stage &&
				    iv[q].lead == cells[nc].lead) {
					/* ln(f / a) quantiles: a in [f exp(-q_hi), f exp(-q_lo)] */
					cells[nc].lo80 = c[k].f * exp(-iv[q].qhi);
					cells[nc].hi80 = c[k].f * exp(-iv[q].qlo);
					break;
				}
			if (cells[nc].lead > maxlead)
				maxlead = cells[nc].lead;
			nc++;
		}
		sc = xmalloc(sizeof(*sc) * ((size_t)maxlead + 1));
		seats_score_vintage(cells, nc, maxlead, sc);
		for (int l = 0; l < maxlead; l++) {
			struct buf ev = BUF_INIT;
			struct result_row row = { 0 };
			if (!sc[l].n)
				continue;
			buf_addf(&ev, "{\"vintage\":%lld,\"origin_year\":%d,\"method\":",
				 (long long)c[i].vintage, c[i].origin);
			buf_add_json_str(&ev, c[i].method);
			buf_addf(&ev, ",\"lead\":%d,\"n\":%ld,\"mape\":%.4f,\"bias\":%.4f", l + 1,
				 sc[l].n, sc[l].mape, sc[l].bias);
			if (sc[l].ncov)
				buf_addf(&ev, ",\"interval_cells\":%ld,\"coverage_80\":%.1f",
					 sc[l].ncov, sc[l].cov80);
			buf_adds(&ev, "}");
			row.unit_kind = "city";
			row.unit_id = city;
			row.stage = "";
			row.year = c[i].origin + l + 1;
			row.numerator = NAN;
			row.denominator = (double)sc[l].n;
			row.threshold = NAN;
			row.verdict = V_NA;
			row.evidence = ev.buf;
			row.indicator = "SEAT.VINTAGE.MAPE";
			row.value = sc[l].mape;
			results_add(out, &row);
			row.indicator = "SEAT.VINTAGE.BIAS";
			row.value = sc[l].bias;
			results_add(out, &row);
			buf_release(&ev);
		}
		free(sc);
		free(cells);
		i = j;
	}
}

