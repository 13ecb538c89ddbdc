-- schema.sql: the eduhq database schema, as numbered migrations.
--
-- Each block starting with a line "-- migration N" is applied once, in order, in one
-- transaction; meta.schema_version records the last applied. Never edit a released
-- migration: add a new one. (Migration 1 is unreleased until the first tagged version.)
--
-- Conventions: natural keys as primary keys; school years by their starting year
-- (2024 = 2024-25); dates as ISO 'YYYY-MM-DD' text; money in yuan; areas in m2.
-- Personal ID numbers (身份证号) are never stored: only a keyed hash and a masked form.

-- migration 1
CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value TEXT
) WITHOUT ROWID;

-- Areas: city -> county/district -> town/street (GB/T 2260 six digits for city and county,
-- NBS twelve-digit statistical codes for towns). urban_rural: 城乡分类代码.
CREATE TABLE area (
	code TEXT PRIMARY KEY CHECK (length(code) IN (6, 9, 12) AND code GLOB '[0-9]*'),
	name TEXT NOT NULL,
	level TEXT NOT NULL CHECK (level IN ('city', 'county', 'town')),
	parent_code TEXT REFERENCES area(code),
	kind TEXT NOT NULL DEFAULT '' CHECK (kind IN ('', 'district', 'county', 'zone', 'street', 'town', 'township')),
	urban_rural TEXT CHECK (urban_rural IS NULL OR urban_rural IN ('111', '112', '121', '122', '123', '210', '220')),
	CHECK ((level = 'city') = (parent_code IS NULL))
) WITHOUT ROWID;
-- an area's subtree (the scope of a county user, scope.c; results in an area): by parent
CREATE INDEX area_parent ON area(parent_code);

-- An area's boundary for the dashboard's map: a GeoJSON Polygon or MultiPolygon geometry in
-- WGS 84 longitude/latitude. A real city imports its own; `eduhq demo` makes plausible ones.
CREATE TABLE area_boundary (
	area_code TEXT PRIMARY KEY REFERENCES area(code),
	geojson TEXT NOT NULL
) WITHOUT ROWID;

-- The county of every area below the city: itself for a county, the county above a town at
-- any depth (a 12-digit area below a 9-digit town, not the town above it). Ten levels at
-- most, so that a cycle of parents cannot recurse forever.
CREATE VIEW area_county(code, county_code) AS
	WITH RECURSIVE up(code, cur, level, depth) AS (
		SELECT code, code, level, 0 FROM area
		UNION ALL
		SELECT up.code, a.parent_code, p.level, up.depth + 1 FROM up
		JOIN area a ON a.code = up.cur JOIN area p ON p.code = a.parent_code
		WHERE up.level = 'town' AND up.depth < 10)
	SELECT code, cur FROM up WHERE level = 'county';

-- Schools. type fixes the stages: primary (1-6), junior (7-9), nine_year (1-9),
-- complete_middle (7-12), twelve_year (1-12), senior (10-12), vocational, special.
CREATE TABLE school (
	code TEXT PRIMARY KEY CHECK (length(code) = 10 AND code GLOB '[0-9]*'),
	name TEXT NOT NULL,
	area_code TEXT NOT NULL REFERENCES area(code),
	type TEXT NOT NULL CHECK (type IN ('primary', 'junior', 'nine_year', 'complete_middle',
		'twelve_year', 'senior', 'vocational', 'special')),
	ownership TEXT NOT NULL DEFAULT 'public' CHECK (ownership IN ('public', 'private')),
	urban_rural TEXT NOT NULL CHECK (urban_rural IN ('111', '112', '121', '122', '123', '210', '220')),
	is_weak INTEGER NOT NULL DEFAULT 0 CHECK (is_weak IN (0, 1)),
	is_teaching_point INTEGER NOT NULL DEFAULT 0 CHECK (is_teaching_point IN (0, 1)),
	declared_seats INTEGER CHECK (declared_seats IS NULL OR declared_seats >= 0),
	latitude REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
	longitude REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180)
) WITHOUT ROWID;
CREATE INDEX school_area ON school(area_code);

-- Annual grade returns (教育事业统计): one row per school, school year and grade.
CREATE TABLE grade_return (
	school_code TEXT NOT NULL REFERENCES school(code),
	year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
	grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 12),
	classes INTEGER NOT NULL CHECK (classes >= 0),
	pupils INTEGER NOT NULL CHECK (pupils >= 0),
	boys INTEGER CHECK (boys IS NULL OR boys >= 0),
	girls INTEGER CHECK (girls IS NULL OR girls >= 0),
	migrant INTEGER CHECK (migrant IS NULL OR migrant >= 0),
	boarders INTEGER CHECK (boarders IS NULL OR boarders >= 0),
	PRIMARY KEY (school_code, year, grade)
) WITHOUT ROWID;
-- the dashboard's overview: the latest year and its pupils, from the index alone
CREATE INDEX grade_return_year ON grade_return(year, school_code, pupils);

-- Class sections (for class-size rules: 大班额 >= 56, 超大班额 >= 66).
CREATE TABLE class_section (
	school_code TEXT NOT NULL REFERENCES school(code),
	year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
	grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 12),
	section INTEGER NOT NULL CHECK (section >= 1),
	pupils INTEGER NOT NULL CHECK (pupils >= 0),
	PRIMARY KEY (school_code, year, grade, section)
) WITHOUT ROWID;

-- Pupil transfers per school, year and grade (for 初中三年巩固率 net of transfers).
CREATE TABLE pupil_transfer (
	school_code TEXT NOT NULL REFERENCES school(code),
	year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
	grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 12),
	transfers_in INTEGER NOT NULL DEFAULT 0 CHECK (transfers_in >= 0),
	transfers_out INTEGER NOT NULL DEFAULT 0 CHECK (transfers_out >= 0),
	PRIMARY KEY (school_code, year, grade)
) WITHOUT ROWID;

-- Facilities per school and school year. teaching_aux_area includes indoor sports rooms;
-- L4 uses teaching_aux_area - indoor_sports_area, L5 sports_ground_area + indoor_sports_area.
CREATE TABLE facility (
	school_code TEXT NOT NULL REFERENCES school(code),
	year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
	teaching_aux_area REAL NOT NULL CHECK (teaching_aux_area >= 0),
	indoor_sports_area REAL NOT NULL DEFAULT 0 CHECK (indoor_sports_area >= 0),
	sports_ground_area REAL NOT NULL CHECK (sports_ground_area >= 0),
	equipment_value REAL NOT NULL CHECK (equipment_value >= 0),
	multimedia_rooms INTEGER NOT NULL CHECK (multimedia_rooms >= 0),
	computers INTEGER NOT NULL DEFAULT 0 CHECK (computers >= 0),
	books INTEGER NOT NULL DEFAULT 0 CHECK (books >= 0),
	music_rooms INTEGER NOT NULL DEFAULT 0 CHECK (music_rooms >= 0),
	art_rooms INTEGER NOT NULL DEFAULT 0 CHECK (art_rooms >= 0),
	CHECK (indoor_sports_area <= teaching_aux_area),
	PRIMARY KEY (school_code, year)
) WITHOUT ROWID;

CREATE TABLE building (
	code TEXT PRIMARY KEY,
	school_code TEXT NOT NULL REFERENCES school(code),
	name TEXT NOT NULL,
	floor_area REAL NOT NULL CHECK (floor_area > 0),
	built_year INTEGER CHECK (built_year IS NULL OR built_year BETWEEN 1900 AND 2100),
	safety_grade TEXT NOT NULL CHECK (safety_grade IN ('A', 'B', 'C', 'D')),
	in_use INTEGER NOT NULL DEFAULT 1 CHECK (in_use IN (0, 1))
) WITHOUT ROWID;
CREATE INDEX building_school ON building(school_code);

-- Teachers. id_hash is a keyed BLAKE2b hash of the 身份证号 (key outside the database);
-- id_masked its masked form (330102********123X). Import files carry id_number (clear) instead.
CREATE TABLE teacher (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	id_hash TEXT NOT NULL,
	id_masked TEXT NOT NULL,
	sex TEXT NOT NULL CHECK (sex IN ('M', 'F')),
	birth_date TEXT NOT NULL CHECK (birth_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	education TEXT NOT NULL CHECK (education IN ('secondary', 'associate', 'bachelor', 'master', 'doctor')),
	title TEXT NOT NULL CHECK (title IN ('none', 'third', 'second', 'first', 'senior', 'full_senior')),
	title_date TEXT CHECK (title_date IS NULL OR title_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	subject TEXT NOT NULL CHECK (subject IN ('chinese', 'math', 'english', 'science', 'physics',
		'chemistry', 'biology', 'history', 'geography', 'politics', 'pe', 'music', 'art',
		'it', 'labour', 'mental_health', 'vocational', 'other')),
	full_time INTEGER NOT NULL DEFAULT 1 CHECK (full_time IN (0, 1)),
	backbone_level TEXT NOT NULL DEFAULT 'none' CHECK (backbone_level IN ('none', 'school',
		'county', 'city', 'province', 'national')),
	certificate TEXT NOT NULL DEFAULT 'none' CHECK (certificate IN ('none', 'kindergarten',
		'primary', 'junior', 'senior', 'vocational')),
	hire_date TEXT NOT NULL CHECK (hire_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]')
) WITHOUT ROWID;
-- not UNIQUE: one person registered twice is a data-quality finding of `eduhq check`
CREATE INDEX teacher_id_hash ON teacher(id_hash);

-- Postings: where a teacher taught, from when to when (end NULL = current).
CREATE TABLE posting (
	teacher_code TEXT NOT NULL REFERENCES teacher(code),
	start_date TEXT NOT NULL CHECK (start_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	school_code TEXT NOT NULL REFERENCES school(code),
	end_date TEXT CHECK (end_date IS NULL OR (end_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND end_date >= start_date)),
	kind TEXT NOT NULL CHECK (kind IN ('appointment', 'exchange', 'support')),
	PRIMARY KEY (teacher_code, start_date)
) WITHOUT ROWID;
CREATE INDEX posting_school ON posting(school_code);
-- the dashboard's overview: a school year's exchanges
CREATE INDEX posting_kind ON posting(kind, start_date, school_code);

-- Applications for a title (职称评审申报), for eligibility checks.
CREATE TABLE title_application (
	teacher_code TEXT NOT NULL REFERENCES teacher(code),
	year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
	title TEXT NOT NULL CHECK (title IN ('second', 'first', 'senior', 'full_senior')),
	PRIMARY KEY (teacher_code, year, title)
) WITHOUT ROWID;

-- Resident population by single age, and births, per area and calendar year.
CREATE TABLE population (
	area_code TEXT NOT NULL REFERENCES area(code),
	year INTEGER NOT NULL CHECK (year BETWEEN 1950 AND 2100),
	age INTEGER NOT NULL CHECK (age BETWEEN 0 AND 120),
	persons INTEGER NOT NULL CHECK (persons >= 0),
	PRIMARY KEY (area_code, year, age)
) WITHOUT ROWID;

CREATE TABLE births (
	area_code TEXT NOT NULL REFERENCES area(code),
	year INTEGER NOT NULL CHECK (year BETWEEN 1950 AND 2100),
	births INTEGER NOT NULL CHECK (births >= 0),
	PRIMARY KEY (area_code, year)
) WITHOUT ROWID;

-- Construction projects (new schools and expansions); seats count from completion_year.
CREATE TABLE project (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	area_code TEXT NOT NULL REFERENCES area(code),
	school_code TEXT REFERENCES school(code),
	kind TEXT NOT NULL CHECK (kind IN ('new', 'expansion', 'renovation')),
	school_type TEXT NOT NULL CHECK (school_type IN ('primary', 'junior', 'nine_year',
		'complete_middle', 'twelve_year', 'senior', 'vocational', 'special')),
	seats INTEGER NOT NULL CHECK (seats >= 0),
	primary_seats INTEGER CHECK (primary_seats IS NULL OR primary_seats >= 0),
	investment REAL NOT NULL DEFAULT 0 CHECK (investment >= 0),
	floor_area REAL NOT NULL DEFAULT 0 CHECK (floor_area >= 0),
	start_year INTEGER CHECK (start_year IS NULL OR start_year BETWEEN 1990 AND 2100),
	completion_year INTEGER NOT NULL CHECK (completion_year BETWEEN 1990 AND 2100),
	status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'building', 'done', 'cancelled'))
) WITHOUT ROWID;

-- Education groups (集团化办学) and membership over time.
CREATE TABLE edu_group (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	lead_school_code TEXT NOT NULL REFERENCES school(code),
	founded_year INTEGER NOT NULL CHECK (founded_year BETWEEN 1990 AND 2100)
) WITHOUT ROWID;

CREATE TABLE group_member (
	group_code TEXT NOT NULL REFERENCES edu_group(code),
	school_code TEXT NOT NULL REFERENCES school(code),
	joined_year INTEGER NOT NULL CHECK (joined_year BETWEEN 1990 AND 2100),
	left_year INTEGER CHECK (left_year IS NULL OR left_year >= joined_year),
	PRIMARY KEY (group_code, school_code)
) WITHOUT ROWID;

-- Exam results per school and year (中考: candidates, at or above the excellent cut-off).
CREATE TABLE exam_result (
	school_code TEXT NOT NULL REFERENCES school(code),
	year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
	exam TEXT NOT NULL DEFAULT 'zhongkao' CHECK (exam IN ('zhongkao', 'gaokao', 'quality')),
	candidates INTEGER NOT NULL CHECK (candidates >= 0),
	excellent INTEGER NOT NULL CHECK (excellent >= 0),
	passed INTEGER CHECK (passed IS NULL OR passed >= 0),
	CHECK (excellent <= candidates),
	PRIMARY KEY (school_code, year, exam)
) WITHOUT ROWID;

-- Activities (送教下乡, 网络教研, 同上一节思政课, ...), and the schools each covered.
CREATE TABLE activity (
	code TEXT PRIMARY KEY,
	year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
	kind TEXT NOT NULL CHECK (kind IN ('send_teaching', 'online_research', 'research',
		'shared_sizheng', 'alliance', 'other')),
	date TEXT NOT NULL CHECK (date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	title TEXT NOT NULL,
	organizer_school_code TEXT REFERENCES school(code),
	teacher_participations INTEGER NOT NULL DEFAULT 0 CHECK (teacher_participations >= 0),
	rural_teacher_participations INTEGER NOT NULL DEFAULT 0 CHECK (rural_teacher_participations >= 0)
) WITHOUT ROWID;

CREATE TABLE activity_school (
	activity_code TEXT NOT NULL REFERENCES activity(code),
	school_code TEXT NOT NULL REFERENCES school(code),
	PRIMARY KEY (activity_code, school_code)
) WITHOUT ROWID;

-- Named participants of an activity (where recorded): the rural teachers' participation
-- rate counts persons, which the activity's person-time totals cannot give.
CREATE TABLE activity_teacher (
	activity_code TEXT NOT NULL REFERENCES activity(code),
	teacher_code TEXT NOT NULL REFERENCES teacher(code),
	PRIMARY KEY (activity_code, teacher_code)
) WITHOUT ROWID;

-- Curriculum: class hours per week per school, year and course.
CREATE TABLE curriculum_hours (
	school_code TEXT NOT NULL REFERENCES school(code),
	year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
	course TEXT NOT NULL CHECK (course IN ('ethnic_unity', 'morality_law', 'sizheng', 'pe',
		'arts', 'labour', 'science', 'other')),
	hours_per_week REAL NOT NULL CHECK (hours_per_week >= 0),
	total_hours_per_week REAL CHECK (total_hours_per_week IS NULL OR total_hours_per_week > 0),
	PRIMARY KEY (school_code, year, course)
) WITHOUT ROWID;

-- School assessment schemes: a tree of weighted items; scores per school.
CREATE TABLE assessment_scheme (
	code TEXT PRIMARY KEY,
	year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
	name TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'retired'))
) WITHOUT ROWID;

CREATE TABLE assessment_item (
	scheme_code TEXT NOT NULL REFERENCES assessment_scheme(code),
	item_code TEXT NOT NULL,
	parent_item_code TEXT,
	name TEXT NOT NULL,
	weight REAL NOT NULL CHECK (weight >= 0 AND weight <= 100),
	is_sizheng INTEGER NOT NULL DEFAULT 0 CHECK (is_sizheng IN (0, 1)),
	PRIMARY KEY (scheme_code, item_code),
	FOREIGN KEY (scheme_code, parent_item_code) REFERENCES assessment_item(scheme_code, item_code)
) WITHOUT ROWID;

CREATE TABLE assessment_score (
	scheme_code TEXT NOT NULL,
	item_code TEXT NOT NULL,
	school_code TEXT NOT NULL REFERENCES school(code),
	score REAL NOT NULL CHECK (score >= 0 AND score <= 100),
	PRIMARY KEY (scheme_code, item_code, school_code),
	FOREIGN KEY (scheme_code, item_code) REFERENCES assessment_item(scheme_code, item_code)
) WITHOUT ROWID;

-- Vocational education: the catalogue (《职业教育专业目录（2021年）》), specialties by school,
-- annual figures, key industries and the specialty-industry mapping.
CREATE TABLE voc_catalog (
	version TEXT NOT NULL,
	code TEXT NOT NULL CHECK (length(code) = 6 AND code GLOB '[0-9]*'),
	name TEXT NOT NULL,
	category TEXT NOT NULL,
	PRIMARY KEY (version, code)
) WITHOUT ROWID;

CREATE TABLE school_specialty (
	school_code TEXT NOT NULL REFERENCES school(code),
	catalog_version TEXT NOT NULL,
	specialty_code TEXT NOT NULL,
	opened_year INTEGER NOT NULL CHECK (opened_year BETWEEN 1990 AND 2100),
	closed_year INTEGER CHECK (closed_year IS NULL OR closed_year >= opened_year),
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'warned', 'suspended', 'closed')),
	PRIMARY KEY (school_code, catalog_version, specialty_code),
	FOREIGN KEY (catalog_version, specialty_code) REFERENCES voc_catalog(version, code)
) WITHOUT ROWID;

CREATE TABLE specialty_year (
	school_code TEXT NOT NULL,
	catalog_version TEXT NOT NULL,
	specialty_code TEXT NOT NULL,
	year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
	enrolled INTEGER NOT NULL DEFAULT 0 CHECK (enrolled >= 0),
	graduates INTEGER NOT NULL DEFAULT 0 CHECK (graduates >= 0),
	employed INTEGER NOT NULL DEFAULT 0 CHECK (employed >= 0),
	further_study INTEGER NOT NULL DEFAULT 0 CHECK (further_study >= 0),
	in_trade INTEGER NOT NULL DEFAULT 0 CHECK (in_trade >= 0),
	surveyed INTEGER NOT NULL DEFAULT 0 CHECK (surveyed >= 0),
	satisfied INTEGER NOT NULL DEFAULT 0 CHECK (satisfied >= 0),
	CHECK (employed + further_study <= graduates AND in_trade <= employed AND satisfied <= surveyed),
	PRIMARY KEY (school_code, catalog_version, specialty_code, year),
	FOREIGN KEY (school_code, catalog_version, specialty_code)
		REFERENCES school_specialty(school_code, catalog_version, specialty_code)
) WITHOUT ROWID;

CREATE TABLE industry (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	is_key INTEGER NOT NULL DEFAULT 1 CHECK (is_key IN (0, 1))
) WITHOUT ROWID;

CREATE TABLE specialty_industry (
	catalog_version TEXT NOT NULL,
	specialty_code TEXT NOT NULL,
	industry_code TEXT NOT NULL REFERENCES industry(code),
	PRIMARY KEY (catalog_version, specialty_code, industry_code),
	FOREIGN KEY (catalog_version, specialty_code) REFERENCES voc_catalog(version, code)
) WITHOUT ROWID;

-- Partner enterprises by 统一社会信用代码 (GB 32100), and school-enterprise cooperation
-- (a cooperation may name the school specialty it serves: order classes, apprenticeships).
CREATE TABLE enterprise (
	credit_code TEXT PRIMARY KEY CHECK (length(credit_code) = 18),
	name TEXT NOT NULL,
	industry_code TEXT REFERENCES industry(code),
	area_code TEXT REFERENCES area(code)
) WITHOUT ROWID;

CREATE TABLE cooperation (
	school_code TEXT NOT NULL REFERENCES school(code),
	credit_code TEXT NOT NULL REFERENCES enterprise(credit_code),
	kind TEXT NOT NULL CHECK (kind IN ('order_class', 'apprenticeship', 'internship', 'training', 'other')),
	start_year INTEGER NOT NULL CHECK (start_year BETWEEN 1990 AND 2100),
	end_year INTEGER CHECK (end_year IS NULL OR end_year >= start_year),
	students INTEGER NOT NULL DEFAULT 0 CHECK (students >= 0),
	catalog_version TEXT,
	specialty_code TEXT,
	CHECK ((catalog_version IS NULL) = (specialty_code IS NULL)),
	PRIMARY KEY (school_code, credit_code, kind, start_year),
	FOREIGN KEY (school_code, catalog_version, specialty_code)
		REFERENCES school_specialty(school_code, catalog_version, specialty_code)
) WITHOUT ROWID;

CREATE TABLE training_base (
	code TEXT PRIMARY KEY,
	school_code TEXT NOT NULL REFERENCES school(code),
	credit_code TEXT REFERENCES enterprise(credit_code),
	name TEXT NOT NULL,
	investment REAL NOT NULL DEFAULT 0 CHECK (investment >= 0),
	equipment_value REAL NOT NULL DEFAULT 0 CHECK (equipment_value >= 0),
	capacity INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
	opened_year INTEGER CHECK (opened_year IS NULL OR opened_year BETWEEN 1990 AND 2100)
) WITHOUT ROWID;

CREATE TABLE internship (
	school_code TEXT NOT NULL REFERENCES school(code),
	credit_code TEXT NOT NULL REFERENCES enterprise(credit_code),
	year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
	interns INTEGER NOT NULL CHECK (interns >= 0),
	PRIMARY KEY (school_code, credit_code, year)
) WITHOUT ROWID;

CREATE TABLE employee_training (
	school_code TEXT NOT NULL REFERENCES school(code),
	credit_code TEXT NOT NULL REFERENCES enterprise(credit_code),
	year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
	person_times INTEGER NOT NULL CHECK (person_times >= 0),
	PRIMARY KEY (school_code, credit_code, year)
) WITHOUT ROWID;

-- Safety hazards ledger: found -> registered -> assigned -> rectifying -> accepted -> closed.
CREATE TABLE hazard (
	code TEXT PRIMARY KEY,
	school_code TEXT NOT NULL REFERENCES school(code),
	category TEXT NOT NULL CHECK (category IN ('drowning', 'building', 'fire', 'food', 'traffic',
		'bullying', 'lab_chemicals', 'special_equipment', 'gas_electric', 'dormitory',
		'surroundings', 'natural_disaster', 'epidemic', 'mental_health')),
	found_date TEXT NOT NULL CHECK (found_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	description TEXT NOT NULL,
	is_major INTEGER NOT NULL DEFAULT 0 CHECK (is_major IN (0, 1)),
	state TEXT NOT NULL CHECK (state IN ('found', 'registered', 'assigned', 'rectifying', 'accepted', 'closed')),
	responsible TEXT,
	measures TEXT,
	funds REAL CHECK (funds IS NULL OR funds >= 0),
	deadline TEXT CHECK (deadline IS NULL OR deadline GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	contingency_plan TEXT,
	closed_date TEXT CHECK (closed_date IS NULL OR closed_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]')
) WITHOUT ROWID;
CREATE INDEX hazard_school ON hazard(school_code);

-- Every step of a hazard through the ledger, written by `eduhq hazard` (src/hazard.c): who
-- (the operating-system user or --as), the business date of the step and when it was
-- recorded. from_state is NULL for the first step. Not an import table: a log.
CREATE TABLE hazard_event (
	hazard_code TEXT NOT NULL REFERENCES hazard(code),
	seq INTEGER NOT NULL CHECK (seq >= 1),
	from_state TEXT CHECK (from_state IS NULL OR from_state IN ('found', 'registered', 'assigned', 'rectifying', 'accepted', 'closed')),
	to_state TEXT NOT NULL CHECK (to_state IN ('found', 'registered', 'assigned', 'rectifying', 'accepted', 'closed')),
	date TEXT NOT NULL CHECK (date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	actor TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (hazard_code, seq)
) WITHOUT ROWID;

-- Plan tasks and targets, with dated progress entries (who recorded each: `eduhq task
-- progress` stores the operating-system user or --as, and the time). A task with a formula
-- takes its progress from the registry (src/task.c) instead of the entries.
CREATE TABLE task (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	owner_unit TEXT NOT NULL,
	unit TEXT NOT NULL DEFAULT '',
	baseline REAL NOT NULL DEFAULT 0,
	target REAL NOT NULL,
	start_date TEXT NOT NULL CHECK (start_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	deadline TEXT NOT NULL CHECK (deadline GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND deadline >= start_date),
	parent_code TEXT REFERENCES task(code),
	formula TEXT NOT NULL DEFAULT '' CHECK (formula IN ('', 'schools_opened', 'nine_year_opened',
		'expansions_done', 'seats_added', 'hazards_closed_pct')),
	area_code TEXT REFERENCES area(code)
) WITHOUT ROWID;

CREATE TABLE task_progress (
	task_code TEXT NOT NULL REFERENCES task(code),
	date TEXT NOT NULL CHECK (date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	value REAL NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	recorded_by TEXT NOT NULL DEFAULT '',
	recorded_at TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (task_code, date)
) WITHOUT ROWID;

-- Versioned rules: a set adds a version, never edits one. params is a JSON object.
CREATE TABLE rule_version (
	code TEXT NOT NULL,
	version INTEGER NOT NULL CHECK (version >= 1),
	effective_date TEXT NOT NULL CHECK (effective_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	params TEXT NOT NULL CHECK (json_valid(params) AND json_type(params) = 'object'),
	source_doc TEXT NOT NULL,
	clause TEXT NOT NULL DEFAULT '',
	tag TEXT NOT NULL CHECK (tag IN ('A', 'B', 'C', 'L')),
	note TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	created_by TEXT NOT NULL DEFAULT 'system',
	PRIMARY KEY (code, version)
) WITHOUT ROWID;

-- Users, scopes and the audit log (HTTP API).
CREATE TABLE app_user (
	name TEXT PRIMARY KEY,
	password_hash TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('city_admin', 'city_analyst', 'county_user', 'school_user')),
	scope_area_code TEXT REFERENCES area(code),
	scope_school_code TEXT REFERENCES school(code),
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	CHECK ((role = 'county_user') = (scope_area_code IS NOT NULL)),
	CHECK ((role = 'school_user') = (scope_school_code IS NOT NULL))
) WITHOUT ROWID;

-- Login sessions (HTTP API): the cookie carries a random token; only its hash is stored.
-- Times are Unix seconds (idle and absolute expiry come from the rule server.auth).
CREATE TABLE app_session (
	token_hash TEXT PRIMARY KEY,
	user_name TEXT NOT NULL REFERENCES app_user(name),
	created_at INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	address TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX app_session_user ON app_session(user_name);

-- API tokens for scripts: shown once at creation, stored hashed, revocable.
CREATE TABLE api_token (
	id INTEGER PRIMARY KEY,
	user_name TEXT NOT NULL REFERENCES app_user(name),
	label TEXT NOT NULL DEFAULT '',
	token_hash TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	revoked_at TEXT
);

-- The audit log: append-only; hash is a keyed BLAKE2b over the entry and the previous
-- entry's hash (audit.c), so that an edited, inserted or deleted entry is found by
-- `eduhq audit verify`. The key is derived from the key file, never stored here.
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	user_name TEXT NOT NULL,
	address TEXT NOT NULL DEFAULT '',
	action TEXT NOT NULL,
	table_name TEXT NOT NULL DEFAULT '',
	row_key TEXT NOT NULL DEFAULT '',
	before TEXT,
	after TEXT,
	hash TEXT NOT NULL
);

-- Evaluation runs and their results, all of one shape (SPEC §4).
-- AUTOINCREMENT: a deleted run's id is never given again, so a run id names one set of
-- results for ever (the server's cache of decoded results relies on it).
CREATE TABLE eval_run (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	mechanisms TEXT NOT NULL,
	year INTEGER,
	rule_versions TEXT NOT NULL CHECK (json_valid(rule_versions)),
	data_fingerprint TEXT NOT NULL
);

-- A run's result rows (SPEC §4: indicator, unit_kind, unit_id, stage, year, value, numerator,
-- denominator, threshold, verdict, evidence), in storage order, cut into chunks of at most
-- 4,096 rows that never span two mechanisms; each chunk one row: its rows encoded by
-- src/result_chunk.c (columns, dictionary codes, numbers in 2-bit classes, two zstd frames),
-- and what a query needs to skip it without decoding: its unit kinds and indicators (as
-- ",a,b,"), the least and greatest unit id and year. Written only by eval_run_rows() from
-- engine output; read only by svc_results() (`eduhq indicators --format sql` writes a run's
-- rows out as a table `result` of those columns).
CREATE TABLE result_chunk (
	run_id INTEGER NOT NULL REFERENCES eval_run(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,     -- the chunk's place in the run: storage order
	nrows INTEGER NOT NULL,
	unit_kinds TEXT NOT NULL,
	indicators TEXT NOT NULL,
	unit_lo TEXT NOT NULL,
	unit_hi TEXT NOT NULL,
	year_lo INTEGER NOT NULL, -- 0: rows without a year
	year_hi INTEGER NOT NULL,
	data BLOB NOT NULL,       -- last: reading the other columns does not read it
	PRIMARY KEY (run_id, seq)
);

-- Forecast vintages (the biennial 人口与教育资源匹配度评估): each `eval seats` stores its
-- forecast with its origin, method and inputs; later actuals score it by lead time.
CREATE TABLE forecast_vintage (
	id INTEGER PRIMARY KEY,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	origin_year INTEGER NOT NULL CHECK (origin_year BETWEEN 1990 AND 2100),
	method TEXT NOT NULL,
	horizon INTEGER NOT NULL CHECK (horizon >= 1),
	births_scenario TEXT NOT NULL CHECK (births_scenario IN ('low', 'mid', 'high')),
	inputs_fingerprint TEXT NOT NULL
);

-- Forecast pupils per planning area, grade and school year; scenario names the births
-- scenario when the cohort was born after the last observed births ('' = observed births).
CREATE TABLE forecast_value (
	vintage_id INTEGER NOT NULL REFERENCES forecast_vintage(id) ON DELETE CASCADE,
	area_code TEXT NOT NULL,
	grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 12),
	year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
	value REAL NOT NULL,
	scenario TEXT NOT NULL DEFAULT '' CHECK (scenario IN ('', 'low', 'mid', 'high')),
	PRIMARY KEY (vintage_id, area_code, grade, year)
) WITHOUT ROWID;

-- The prediction intervals of a vintage per stage and lead: quantiles of ln(forecast /
-- actual) of the method's own back-test at that lead (the interval for the actual is
-- forecast x exp(-q)); origins: the back-test origins behind them (0: extrapolated).
CREATE TABLE forecast_interval (
	vintage_id INTEGER NOT NULL REFERENCES forecast_vintage(id) ON DELETE CASCADE,
	stage TEXT NOT NULL CHECK (stage IN ('primary', 'junior', 'senior')),
	lead INTEGER NOT NULL CHECK (lead >= 1),
	q_lo95 REAL NOT NULL,
	q_lo80 REAL NOT NULL,
	q_hi80 REAL NOT NULL,
	q_hi95 REAL NOT NULL,
	origins INTEGER NOT NULL CHECK (origins >= 0),
	PRIMARY KEY (vintage_id, stage, lead)
);

-- migration 2
-- How often each table the mechanisms read has been written: one row per table, counted up
-- by triggers (made by memo_track(), src/memo.c) on every insert, update and delete, from
-- eduhq or any other client. A run's results are reused only while these are unchanged.
CREATE TABLE table_version (
	name TEXT PRIMARY KEY,
	version INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- What each mechanism of a run depended on (inputs: the engine build, year, dates, rule
-- versions, schema and the versions of the tables it reads), the fingerprint of the facts
-- it read, the rules it used (",a,b,") and where its results are (chunks first_chunk, ...
-- first_chunk + chunks - 1 of the run's result_chunk rows). A later run with the same
-- inputs takes those results instead of loading and computing again (src/memo.c).
CREATE TABLE eval_memo (
	run_id INTEGER NOT NULL REFERENCES eval_run(id) ON DELETE CASCADE,
	mechanism TEXT NOT NULL,
	inputs TEXT NOT NULL,
	digest TEXT NOT NULL,
	rules TEXT NOT NULL,
	first_chunk INTEGER NOT NULL,
	chunks INTEGER NOT NULL,
	PRIMARY KEY (run_id, mechanism)
) WITHOUT ROWID;
CREATE INDEX eval_memo_inputs ON eval_memo(mechanism, inputs);

-- migration 3
-- A part of a mechanism's facts kept between evaluations (src/memo.c, memo_part_*): what
-- its load derived from some of its tables alone (balance.teachers: each school's teacher
-- counts and the fingerprint's units, from the teacher and posting tables), for the
-- versions of those tables in inputs (with the engine build, year and schema). A later load
-- while they are unchanged takes it instead of reading those tables again. name: the part's
-- name and year ('balance.teachers 2024'); each keeps only its latest part.
CREATE TABLE fact_part (
	name TEXT PRIMARY KEY,
	inputs TEXT NOT NULL,
	data BLOB NOT NULL
) WITHOUT ROWID;
