#!/usr/bin/python3
# t/report-check.py: reads an annual report back (HTML with html.parser, DOCX's
# word/document.xml with ElementTree and the whole file with python3-docx, an independent
# reader) and checks every figure against the stored run: each figure's note names its row
# (indicator, unit, stage, year) and field; the value comes from `eduhq indicators --run N
# --format csv`, and the figure's text must be that value rounded as shown. Each note's
# command is run and must list the row; every bar and point of the HTML's SVG charts is a
# stored value of its indicator and unit. Used by t6000-report.sh; prints one summary line per
# file ("html figures=F notes=N bad=B") and every mismatch on stderr.
#
# usage: report-check.py EDUHQ RUN FILE.html|FILE.docx
import csv, io, json, re, subprocess, sys, zipfile
from html.parser import HTMLParser
import xml.etree.ElementTree as ET

EDUHQ, RUN, PATH = sys.argv[1], sys.argv[2], sys.argv[3]
NOTE = re.compile(r'^\[(\d+)\] (\S+) .*?(?:对象：|Row: )(\S+) (\S+) (\S+) (\S+)(?:，字段：|, field: )'
                  r'(\S+?)(?:。|\. )(?:运行 #|Run #)(\d+).*?(?:明细：|Rows: )(eduhq indicators [^；;]*?)'
                  r'(?:；API：|; API: )(/api/v1/results\?\S+?)(?: (?:证据|evidence))?$')


def indicators(args):
    out = subprocess.run([EDUHQ] + args + ['--format', 'csv'], capture_output=True, text=True,
                         check=True).stdout
    return list(csv.DictReader(io.StringIO(out.lstrip('\ufeff'))))


ROWS = indicators(['indicators', '--run', RUN])


def num(s):
    return float(s) if s not in ('', None) else float('nan')


def matches(r, ind, kind, uid, stage, year):
    return (r['indicator'] == ind and r['unit_kind'] == kind and (uid == '-' or r['unit_id'] == uid)
            and (stage == '-' or r['stage'] == stage) and (year == '-' or r['year'] == year))


def stored(note):
    ind, kind, uid, stage, year, field = note['key']
    rows = [r for r in ROWS if matches(r, ind, kind, uid, stage, year)]
    if field.startswith('rows:'):
        return float(sum(1 for r in rows if r['verdict'] == field[5:])), rows
    if len(rows) != 1:
        return None, rows
    r = rows[0]
    if field.startswith('evidence.'):
        v = json.loads(r['evidence']).get(field[9:])
        return (float(v) if isinstance(v, (int, float)) else None), rows
    return num(r[field]), rows


def shown_ok(text, v):
    m = re.fullmatch(r'(-?\d+)(?:\.(\d+))?(%?)', text)
    if not m or v is None:
        return False
    dp = len(m.group(2) or '')
    scale = 100 if m.group(3) else 1
    return abs(float(text.rstrip('%')) - v * scale) <= 0.5 * 10 ** -dp + 1e-9


def parse_note(text):
    m = NOTE.match(text.strip())
    if not m:
        raise SystemExit('unparsable note: ' + text)
    return int(m.group(1)), {'key': m.group(2, 3, 4, 5, 6, 7), 'run': m.group(8),
                             'cmd': m.group(9).strip(), 'api': m.group(10)}


class Html(HTMLParser):
    def __init__(self):
        super().__init__()
        self.figs, self.notes, self.cur, self.li, self.text, self.marks = [], {}, None, None, [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'a' and a.get('class') == 'fig':
            self.cur = {'note': int(a['data-note']), 'value': float(a['data-value']),
                        'href': a['href'], 'text': ''}
        if tag in ('rect', 'circle') and 'data-ind' in a:
            self.marks.append((a['data-ind'], a['data-unit'], float(a['data-value'])))
        if tag == 'li' and (a.get('id') or '').startswith('n'):
            self.li = ''

    def handle_endtag(self, tag):
        if tag == 'a' and self.cur is not None:
            self.figs.append(self.cur)
            self.cur = None
        if tag == 'li' and self.li is not None:
            n, note = parse_note(self.li)
            self.notes[n] = note
            self.li = None

    def handle_data(self, data):
        if self.cur is not None:
            self.cur['text'] += data
        if self.li is not None:
            self.li += data
        self.text.append(data)


def docx_figs(path):
    W = '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'
    root = ET.fromstring(zipfile.ZipFile(path).read('word/document.xml'))
    figs, notes = [], {}
    for p in root.iter(W + 'p'):
        st = p.find(W + 'pPr/' + W + 'pStyle')
        runs = []
        for r in p.findall(W + 'r'):
            rs = r.find(W + 'rPr/' + W + 'rStyle')
            runs.append((rs.get(W + 'val') if rs is not None else None,
                         ''.join(t.text or '' for t in r.iter(W + 't'))))
        if st is not None and st.get(W + 'val') == 'EduhqNote' and runs and runs[0][1].startswith('['):
            n, note = parse_note(''.join(t for _, t in runs))
            notes[n] = note
        for i, (style, text) in enumerate(runs):
            if style == 'EduhqFigure':
                ref = runs[i + 1]
                assert ref[0] == 'EduhqNoteRef', 'figure without its note number'
                figs.append({'note': int(ref[1].strip('[]')), 'text': text, 'value': None})
    return figs, notes


def main():
    bad = 0
    if PATH.endswith('.html'):
        h = Html()
        h.feed(open(PATH, encoding='utf-8').read())
        figs, notes, kind = h.figs, h.notes, 'html'
        # every bar and point of the SVG charts is a stored value of its indicator and unit
        for ind, unit, v in h.marks:
            if not any(r['indicator'] == ind and r['unit_id'] == unit and
                       any(abs(num(r[c]) - v) <= 1e-9 * max(1, abs(v)) for c in ('value', 'numerator', 'denominator'))
                       for r in ROWS):
                print('chart mark %s %s %r is no stored value' % (ind, unit, v), file=sys.stderr)
                bad += 1
        if len(h.marks) < 20:
            print('only %d chart marks' % len(h.marks), file=sys.stderr)
            bad += 1
    else:
        import docx  # python3-docx: the independent reader must open the whole file
        d = docx.Document(PATH)
        if not d.paragraphs or not d.inline_shapes:
            print('python-docx read no paragraphs or pictures', file=sys.stderr)
            bad += 1
        figs, notes = docx_figs(PATH)
        kind = 'docx'
    for f in figs:
        note = notes.get(f['note'])
        if note is None:
            print('figure %s has no note %d' % (f['text'], f['note']), file=sys.stderr)
            bad += 1
            continue
        if note['run'] != RUN:
            print('note %d cites run %s' % (f['note'], note['run']), file=sys.stderr)
            bad += 1
        v, rows = stored(note)
        if not shown_ok(f['text'], v):
            print('figure %r [%d] %s: stored %r' % (f['text'], f['note'], note['key'], v), file=sys.stderr)
            bad += 1
        if f['value'] is not None and (v is None or abs(f['value'] - v) > 1e-9 * max(1, abs(v))):
            print('figure %r data-value %r, stored %r' % (f['text'], f['value'], v), file=sys.stderr)
            bad += 1
        if kind == 'html' and not f['href'].startswith('/'):
            print('figure %r links to %r' % (f['text'], f['href']), file=sys.stderr)
            bad += 1
    # every note's command lists its row(s)
    for n, note in sorted(notes.items()):
        if note['api'] != '/api/v1/results?' + '&'.join(
                '%s=%s' % (a[2:], b) for a, b in zip(note['cmd'].split()[2::2], note['cmd'].split()[3::2])):
            print('note %d: API query %r is not the command %r' % (n, note['api'], note['cmd']), file=sys.stderr)
            bad += 1
        args = note['cmd'].split()[1:]
        listed = indicators(args)
        ind, kind_, uid, stage, year, field = note['key']
        want = [r for r in ROWS if matches(r, ind, kind_, uid, stage, year)]
        if field.startswith('rows:'):
            want = [r for r in want if r['verdict'] == field[5:]]
        if not want or any(r not in listed for r in want):
            print('note %d: %r does not list its rows' % (n, note['cmd']), file=sys.stderr)
            bad += 1
    print('%s figures=%d notes=%d bad=%d' % (kind, len(figs), len(notes), bad))
    return 1 if bad else 0


sys.exit(main())
