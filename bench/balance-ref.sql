-- bench/balance-ref.sql: the balance results an analyst would compute with plain SQL in the
-- sqlite3 shell, as the reference `eduhq eval balance` is measured against (bench/balance-ref.sh):
-- every school's L1-L7 per stage (value, numerator, denominator) and the enrolment-weighted
-- CV of each per county and stage, for the latest school year with grade returns, with the
-- balance rules in force today read from rule_version. It follows the documented method
-- (SPEC §4, docs/indicators.md): teachers counted at the school of the posting current on
-- 1 September (the latest-started when postings overlap), 专任 (full-time) teachers only
-- when balance.method teacher_base is full_time; combined schools split by enrolment with
-- the balance.combined_split weights; teaching points under the minimum out of scope (no
-- L1-L7 rows), schools without pupils in a stage left out of the CV; a county-stage with a missing facility return n.a.
-- It covers the default scope rule (special and vocational schools excluded).
-- Leaves the rows in the temporary table ref(indicator, unit_kind, unit_id, stage, value,
-- numerator, denominator).
DROP TABLE IF EXISTS temp.ref;
CREATE TEMP TABLE ref AS
WITH
rv AS (SELECT code, params FROM rule_version v WHERE effective_date <= date('now')
	AND NOT EXISTS (SELECT 1 FROM rule_version w WHERE w.code = v.code
		AND w.effective_date <= date('now') AND (w.effective_date > v.effective_date
		OR (w.effective_date = v.effective_date AND w.version > v.version)))),
prm AS (SELECT
	(SELECT json_extract(params, '$.nine_year_junior') FROM rv WHERE code = 'balance.combined_split') AS nyj,
	(SELECT json_extract(params, '$.complete_middle_senior') FROM rv WHERE code = 'balance.combined_split') AS cms,
	(SELECT json_extract(params, '$.twelve_year_junior') FROM rv WHERE code = 'balance.combined_split') AS tyj,
	(SELECT json_extract(params, '$.twelve_year_senior') FROM rv WHERE code = 'balance.combined_split') AS tys,
	(SELECT json_extract(params, '$.teaching_point_min_pupils') FROM rv WHERE code = 'balance.scope') AS tp_min,
	(SELECT json_extract(params, '$.teacher_base') = 'full_time' FROM rv WHERE code = 'balance.method') AS ft_only,
	(SELECT json_extract(params, '$.one_school') = 'pass' FROM rv WHERE code = 'balance.method') AS one_pass,
	(SELECT json_extract(params, '$.missing_facility') = 'na' FROM rv WHERE code = 'balance.method') AS miss_na,
	(SELECT max(year) FROM grade_return) AS y),
gr AS (SELECT school_code,
	sum(CASE WHEN grade BETWEEN 1 AND 6 THEN pupils ELSE 0 END) AS p,
	sum(CASE WHEN grade BETWEEN 7 AND 9 THEN pupils ELSE 0 END) AS j,
	sum(CASE WHEN grade BETWEEN 10 AND 12 THEN pupils ELSE 0 END) AS s,
	sum(CASE WHEN grade BETWEEN 1 AND 12 THEN pupils ELSE 0 END) AS total
	FROM grade_return, prm WHERE year = prm.y GROUP BY school_code),
cur AS (SELECT teacher_code, school_code, row_number() OVER (PARTITION BY teacher_code
	ORDER BY start_date DESC) AS k FROM posting, prm
	WHERE start_date <= printf('%04d-09-01', prm.y)
	AND (end_date IS NULL OR end_date >= printf('%04d-09-01', prm.y))),
tc AS (SELECT c.school_code,
	sum(t.education IN ('associate', 'bachelor', 'master', 'doctor')) AS assoc,
	sum(t.education IN ('bachelor', 'master', 'doctor')) AS bach,
	sum(t.backbone_level IN ('county', 'city', 'province', 'national')) AS backbone,
	sum(t.subject IN ('pe', 'music', 'art') AND t.full_time = 1) AS pe_art
	FROM cur c JOIN teacher t ON t.code = c.teacher_code, prm
	WHERE c.k = 1 AND (t.full_time = 1 OR NOT prm.ft_only) GROUP BY c.school_code),
sch AS (SELECT s.code, s.type, s.is_teaching_point AS tp, coalesce(ac.county_code, s.area_code) AS county,
	g.p, g.j, g.s, g.total, coalesce(tc.assoc, 0) AS assoc, coalesce(tc.bach, 0) AS bach,
	coalesce(tc.backbone, 0) AS backbone, coalesce(tc.pe_art, 0) AS pe_art,
	f.school_code IS NOT NULL AS has_f, f.teaching_aux_area - f.indoor_sports_area AS c4,
	f.sports_ground_area + f.indoor_sports_area AS c5, f.equipment_value AS c6,
	f.multimedia_rooms AS c7,
	CASE s.type WHEN 'primary' THEN 1.0 WHEN 'junior' THEN 0.0 WHEN 'complete_middle' THEN 0.0
		WHEN 'nine_year' THEN CASE WHEN g.p + prm.nyj * g.j > 0 THEN g.p / (g.p + prm.nyj * g.j) ELSE 0 END
		WHEN 'twelve_year' THEN CASE WHEN g.p + prm.tyj * g.j + prm.tys * g.s > 0
			THEN g.p / (g.p + prm.tyj * g.j + prm.tys * g.s) ELSE 0 END END AS share_p,
	CASE s.type WHEN 'primary' THEN 0.0 WHEN 'junior' THEN 1.0
		WHEN 'complete_middle' THEN CASE WHEN g.j + prm.cms * g.s > 0 THEN g.j / (g.j + prm.cms * g.s) ELSE 0 END
		WHEN 'nine_year' THEN CASE WHEN g.p + prm.nyj * g.j > 0 THEN prm.nyj * g.j / (g.p + prm.nyj * g.j) ELSE 0 END
		WHEN 'twelve_year' THEN CASE WHEN g.p + prm.tyj * g.j + prm.tys * g.s > 0
			THEN prm.tyj * g.j / (g.p + prm.tyj * g.j + prm.tys * g.s) ELSE 0 END END AS share_j
	FROM school s JOIN gr g ON g.school_code = s.code
	LEFT JOIN area_county ac ON ac.code = s.area_code
	LEFT JOIN tc ON tc.school_code = s.code
	LEFT JOIN facility f ON f.school_code = s.code AND f.year = (SELECT y FROM prm), prm
	WHERE s.type IN ('primary', 'junior', 'complete_middle', 'nine_year', 'twelve_year')),
rec AS (SELECT code, county, 'primary' AS stage, 1.0 * p AS pupils, share_p AS share, assoc AS c1,
		backbone, pe_art, has_f, c4, c5, c6, c7, tp, total
		FROM sch WHERE type IN ('primary', 'nine_year', 'twelve_year')
	UNION ALL
	SELECT code, county, 'junior', 1.0 * j, share_j, bach, backbone, pe_art, has_f, c4, c5, c6, c7,
		tp, total
		FROM sch WHERE type IN ('junior', 'complete_middle', 'nine_year', 'twelve_year')),
cnt AS (SELECT code, county, stage, pupils, tp, total, 1 AS k, c1 AS c, 100 AS per FROM rec
	UNION ALL SELECT code, county, stage, pupils, tp, total, 2, backbone, 100 FROM rec
	UNION ALL SELECT code, county, stage, pupils, tp, total, 3, pe_art, 100 FROM rec
	UNION ALL SELECT code, county, stage, pupils, tp, total, 4, CASE WHEN has_f THEN c4 END, 1 FROM rec
	UNION ALL SELECT code, county, stage, pupils, tp, total, 5, CASE WHEN has_f THEN c5 END, 1 FROM rec
	UNION ALL SELECT code, county, stage, pupils, tp, total, 6, CASE WHEN has_f THEN c6 END, 1 FROM rec
	UNION ALL SELECT code, county, stage, pupils, tp, total, 7, CASE WHEN has_f THEN c7 END, 100 FROM rec),
val AS (SELECT c.code, c.county, c.stage, c.k, c.pupils,
	CASE WHEN c.pupils > 0 THEN c.c * r.share END AS num,
	CASE WHEN c.pupils > 0 THEN c.c * r.share / c.pupils * c.per END AS value,
	NOT (c.tp AND c.total < prm.tp_min) AS in_scope,
	NOT (c.tp AND c.total < prm.tp_min) AND c.pupils > 0 AS in_cv
	FROM cnt c JOIN rec r ON r.code = c.code AND r.stage = c.stage, prm),
mean AS (SELECT county, stage, k, sum(in_cv) AS n, count(CASE WHEN in_cv THEN value END) AS nv,
	sum(CASE WHEN in_cv THEN pupils * value END) / sum(CASE WHEN in_cv AND value IS NOT NULL
		THEN pupils END) AS m,
	sum(CASE WHEN in_cv AND value IS NOT NULL THEN pupils END) AS w
	FROM val GROUP BY county, stage, k),
cv AS (SELECT v.county, v.stage, v.k, m.n, m.nv, m.m,
	sqrt(sum(v.pupils * (v.value - m.m) * (v.value - m.m)) / m.w) AS sd
	FROM val v JOIN mean m USING (county, stage, k) WHERE v.in_cv AND v.value IS NOT NULL
	GROUP BY v.county, v.stage, v.k)
SELECT 'BAL.L' || k AS indicator, 'school' AS unit_kind, code AS unit_id, stage, value,
	num AS numerator, pupils AS denominator FROM val WHERE in_scope
UNION ALL
SELECT 'BAL.CV.L' || m.k, 'county', m.county, m.stage,
	CASE WHEN m.nv < m.n AND prm.miss_na THEN NULL
		WHEN m.nv = 1 AND m.n = 1 AND prm.one_pass THEN 0.0
		WHEN m.nv < 2 OR cv.m = 0 THEN NULL ELSE cv.sd / cv.m END, NULL, NULL
	FROM mean m LEFT JOIN cv USING (county, stage, k), prm;
