// Differential test: lintas mrz against npm `mrz` 5.0.2.
//
// Builds a deterministic corpus (valid documents of every format, BEL/PRT
// long-number variants, then every single-character substitution with an
// MRZ character and a few deletions), runs both parsers on it, and compares
// the verdict and the set of failing fields. Each disagreement is put in a
// category by the explicit rules in RULES below; a rule says why the two
// parsers differ (a known deviation of npm `mrz`, documented in
// docs/documents.md). A disagreement that no rule explains makes the test
// fail: it is a bug on one side.
//
// usage: node diff.mjs LINTAS_BINARY OUT_DIR
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'mrz';

const [lintas, outDir] = process.argv.slice(2);
if (!lintas || !outDir) {
  console.error('usage: node diff.mjs LINTAS_BINARY OUT_DIR');
  process.exit(2);
}
const TODAY = '2026-06-01';

// ---- deterministic corpus --------------------------------------------------

let seed = 0x4c696e74; // mulberry32
function rnd() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const MRZ_CHARS = ALNUM + '<';
const COUNTRIES = ['UTO', 'D<<', 'IDN', 'FRA', 'GBR', 'USA', 'KHM', 'THA', 'MYS', 'XXA', 'UNO',
  'GBD', 'EUE', 'NLD', 'CHE', 'PHL'];
const WORDS = ['SITI', 'NURHALIZA', 'BUDI', 'SANTOSO', 'ERIKSSON', 'ANNA', 'MARIA', 'DEWI',
  'PUTU', 'WAYAN', 'MUHAMMAD', 'RIZKY', 'SOK', 'CHAN', 'DARA', 'NGUYEN', 'VAN', 'AN', 'O',
  'ABDURRAHMAN', 'KARTIKASARI', 'MEGAWATI'];

function checkDigit(s) {
  const w = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const v = c === '<' ? 0 : c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55;
    sum += v * w[i % 3];
  }
  return String(sum % 10);
}

const pad = (s, n) => (s + '<'.repeat(n)).slice(0, n);
const two = (n) => String(n).padStart(2, '0');
function date(y0, y1) {
  const y = int(y0, y1);
  const m = int(1, 12);
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return two(y % 100) + two(m) + two(int(1, dim));
}
const birth = () => date(1935, 2025);
const expiry = () => date(2016, 2040);
const sex = () => pick(['M', 'F', 'F', 'M', '<']);
const word = () => pick(WORDS);

function name(width) {
  const sur = Array.from({ length: int(1, 2) }, word).join('<');
  const given = Array.from({ length: int(0, 3) }, word).join('<');
  let n = rnd() < 0.08 ? '<<' + given : given ? sur + '<<' + given : sur;
  if (rnd() < 0.15) n = Array.from({ length: 12 }, word).join('<'); // truncated, no <<
  return pad(n, width);
}

function docNumber(len) {
  let s = '';
  for (let i = 0; i < len; i++) s += pick(ALNUM);
  return s;
}

function optional(width) {
  if (rnd() < 0.5) return '<'.repeat(width);
  let s = '';
  for (let i = 0; i < int(1, width - 1); i++) s += pick(ALNUM);
  return pad(s, width);
}

// TD1/TD2 document number field, check digit and optional data; long
// numbers continue in the optional data. variant: check digit computed
// with the '<' included (BEL/PRT).
function td12Number(optWidth, variant) {
  const long = variant || rnd() < 0.3;
  if (!long) {
    const n = pad(docNumber(int(6, 9)), 9);
    return { field: n + checkDigit(n), opt: optional(optWidth) };
  }
  const total = int(10, 9 + optWidth - 2);
  const n = docNumber(total);
  let cd = checkDigit(n);
  if (variant) {
    cd = checkDigit(n.slice(0, 9) + '<' + n.slice(9));
    if (cd === checkDigit(n)) return null;
  }
  return { field: n.slice(0, 9) + '<', opt: pad(n.slice(9) + cd, optWidth) };
}

function td1(variant = false) {
  const num = td12Number(15, variant);
  if (!num) return null;
  const l1 = pick(['I<', 'ID', 'AC', 'C<', 'IR']) + pick(COUNTRIES) + num.field + num.opt;
  const b = birth(), e = expiry();
  const l2a = b + checkDigit(b) + sex() + e + checkDigit(e) + pick(COUNTRIES) + optional(11);
  const comp = l1.slice(5, 30) + l2a.slice(0, 7) + l2a.slice(8, 15) + l2a.slice(18, 29);
  return [l1, l2a + checkDigit(comp), name(30)];
}

function td2(variant = false) {
  const num = td12Number(7, variant);
  if (!num) return null;
  const l1 = pick(['I<', 'ID', 'IR', 'AC']) + pick(COUNTRIES) + name(31);
  const b = birth(), e = expiry();
  const l2a = num.field + pick(COUNTRIES) + b + checkDigit(b) + sex() + e + checkDigit(e) +
    num.opt;
  const comp = l2a.slice(0, 10) + l2a.slice(13, 20) + l2a.slice(21, 35);
  return [l1, l2a + checkDigit(comp)];
}

function td3() {
  const l1 = pick(['P<', 'PO', 'PD']) + pick(COUNTRIES) + name(39);
  const n = pad(docNumber(int(7, 9)), 9);
  const b = birth(), e = expiry();
  const pn = optional(14);
  const pcd = pn === '<'.repeat(14) ? pick(['<', '0']) : checkDigit(pn);
  const l2a = n + checkDigit(n) + pick(COUNTRIES) + b + checkDigit(b) + sex() + e +
    checkDigit(e) + pn + pcd;
  const comp = l2a.slice(0, 10) + l2a.slice(13, 20) + l2a.slice(21, 43);
  return [l1, l2a + checkDigit(comp)];
}

function visa(width) {
  const l1 = pick(['V<', 'VN', 'VB', 'VD']) + pick(COUNTRIES) + name(width - 5);
  const n = pad(docNumber(int(7, 9)), 9);
  const b = birth(), e = expiry();
  return [l1, n + checkDigit(n) + pick(COUNTRIES) + b + checkDigit(b) + sex() + e +
    checkDigit(e) + optional(width - 28)];
}

function corpus() {
  const base = [];
  for (let i = 0; i < 24; i++) {
    base.push(td1(), td2(), td3(), visa(44), visa(36));
  }
  for (let i = 0; i < 12; i++) base.push(td1(true), td2(true));
  const docs = [];
  // Dates npm checks only for ranges: 31 April, 30 February, 29 February of
  // a common year (the check digits are right, so only the date differs).
  for (const [b, e] of [['850431', '300230'], ['230229', '290229'], ['991131', '270931']]) {
    const d = td3();
    const l2 = d[1].slice(0, 13) + b + checkDigit(b) + d[1][20] + e + checkDigit(e) +
      d[1].slice(28, 43);
    const comp = l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 43);
    docs.push({ kind: 'calendar', lines: [d[0], l2 + checkDigit(comp)] });
  }
  for (const d of base.filter(Boolean)) {
    docs.push({ kind: 'base', lines: d });
    d.forEach((line, li) => {
      for (let p = 0; p < line.length; p++) {
        for (let k = 0; k < 2; k++) {
          let c = pick(MRZ_CHARS);
          if (c === line[p]) c = c === '<' ? '0' : '<';
          const m = d.slice();
          m[li] = line.slice(0, p) + c + line.slice(p + 1);
          docs.push({ kind: 'substitution', lines: m });
        }
      }
      const p = int(0, line.length - 1);
      const m = d.slice();
      m[li] = line.slice(0, p) + line.slice(p + 1);
      docs.push({ kind: 'deletion', lines: m });
    });
  }
  return docs;
}

// ---- running both sides ----------------------------------------------------

const NPM_FIELDS = {
  documentCode: 'document_code', issuingState: 'issuing_state', nationality: 'nationality',
  documentNumber: 'document_number', documentNumberCheckDigit: 'document_number',
  birthDate: 'birth_date', birthDateCheckDigit: 'birth_date', sex: 'sex',
  expirationDate: 'expiry_date', expirationDateCheckDigit: 'expiry_date',
  personalNumber: 'optional_data', personalNumberCheckDigit: 'optional_data',
  optional1: 'optional_data', optional2: 'optional_data',
  compositeCheckDigit: 'composite', lastName: 'names', firstName: 'names',
};

function runNpm(lines) {
  try {
    const r = parse(lines);
    const failed = new Set();
    for (const d of r.details) {
      if (!d.valid && d.field) failed.add(NPM_FIELDS[d.field] ?? d.field);
    }
    return { ok: true, format: r.format, valid: r.valid, failed };
  } catch (e) {
    return { ok: false, valid: false, failed: new Set(['lines']), error: e.message };
  }
}

function runLintas(docs, lenient) {
  const input = docs.map((d) => d.lines.join('\n')).join('\n\n') + '\n';
  const args = ['mrz', '--today', TODAY];
  if (lenient) args.push('--lenient');
  const p = spawnSync(lintas, args, { input, maxBuffer: 1 << 30 });
  if (p.status !== 0) {
    console.error(`lintas mrz exited ${p.status}: ${p.stderr}`);
    process.exit(1);
  }
  const out = p.stdout.toString().trimEnd().split('\n').map((l) => JSON.parse(l));
  if (out.length !== docs.length) {
    console.error(`lintas printed ${out.length} lines for ${docs.length} documents`);
    process.exit(1);
  }
  return out.map((r) => ({
    ...r,
    failed: new Set(r.errors.map((e) => e.field).filter((f) => f !== 'charset')),
  }));
}

// ---- classification --------------------------------------------------------

const minus = (a, b) => [...a].filter((x) => !b.has(x));
const subset = (a, set) => a.every((x) => set.includes(x));
const errorOf = (r, field, code) => r.errors.find((e) => e.field === field &&
  (!code || e.code === code));

// Where the date fields sit, by our format.
const DATE_AT = {
  TD1: { birth_date: [1, 0], expiry_date: [1, 8] },
  TD2: { birth_date: [1, 13], expiry_date: [1, 21] },
  TD3: { birth_date: [1, 13], expiry_date: [1, 21] },
  MRVA: { birth_date: [1, 13], expiry_date: [1, 21] },
  MRVB: { birth_date: [1, 13], expiry_date: [1, 21] },
};
const rawDate = (doc, ours, f) => {
  const at = DATE_AT[ours.format]?.[f];
  return at ? doc.lines[at[0]].slice(at[1], at[1] + 6) : '';
};
// npm only checks that month <= 12 and day <= 31 (and reads '<' as NaN,
// which passes both comparisons): no calendar and no filler check.
function npmDateOk(raw) {
  if (!/^[0-9<]{6}$/.test(raw)) return false;
  const m = Number.parseInt(raw.slice(2, 4), 10), d = Number.parseInt(raw.slice(4, 6), 10);
  const mOk = raw.slice(2, 4) === '<<' || !(m < 1 || m > 12);
  const dOk = raw.slice(4, 6) === '<<' || !(d < 1 || d > 31);
  return mOk && dOk;
}

// Each rule: a name, why npm `mrz` and lintas differ, and a function that
// returns the failing fields it explains for one document: fields that only
// one side reports (onlyOurs, onlyNpm). A disagreement is explained when the
// rules that apply together claim every field on which the two sides
// differ; its category is the names of those rules joined by '+'.
const RULES = [
  {
    name: 'uto_specimen',
    why: 'npm mrz rejects UTO, the ICAO specimen state; ICAO 9303 uses it in its examples',
    claims: (doc, ours, len, npm, onlyOurs, onlyNpm) => onlyNpm.filter((f) =>
      (f === 'issuing_state' || f === 'nationality') && ours[f] === 'UTO'),
  },
  {
    name: 'visa_formats',
    why: 'npm mrz has no MRV-A/MRV-B: it reads a visa as TD3/TD2, flags its document code, ' +
      'and checks a composite (and TD3 personal number) that visas do not have',
    claims: (doc, ours, len, npm, onlyOurs, onlyNpm) => (ours.format === 'MRVA' ||
      ours.format === 'MRVB') ? onlyNpm.filter((f) => f === 'document_code' ||
        f === 'composite' || f === 'optional_data') : [],
  },
  {
    name: 'long_number_filler_variant',
    why: 'npm mrz accepts a long-document-number check digit computed with the < included ' +
      '(BEL/PRT cards); strict ICAO does not, lintas --lenient does and says so',
    claims: (doc, ours, len, npm, onlyOurs) => onlyOurs.includes('document_number') &&
      /BEL\/PRT/.test(errorOf(ours, 'document_number', 'check_digit')?.message ?? '') &&
      len.deviations.some((d) => d.code === 'long_number_check_includes_filler')
      ? ['document_number'] : [],
  },
  {
    name: 'npm_no_calendar_check',
    why: 'npm mrz accepts any day 01-31 in any month (31 April, 30 February, 29 February ' +
      'of a common year); ICAO dates must be real calendar dates',
    claims: (doc, ours, len, npm, onlyOurs) => onlyOurs.filter((f) => (f === 'birth_date' ||
      f === 'expiry_date') && errorOf(ours, f, 'invalid_date') &&
      /^[0-9]{6}$/.test(rawDate(doc, ours, f)) && npmDateOk(rawDate(doc, ours, f))),
  },
  {
    name: 'npm_date_fillers',
    why: 'npm mrz accepts < anywhere in a date ("1204<9", "<<<<<<" expiry) because its ' +
      'range check compares NaN; ICAO allows << only for unknown parts of a birth date',
    claims: (doc, ours, len, npm, onlyOurs) => onlyOurs.filter((f) => (f === 'birth_date' ||
      f === 'expiry_date') && errorOf(ours, f, 'invalid_date') &&
      rawDate(doc, ours, f).includes('<') && npmDateOk(rawDate(doc, ours, f))),
  },
  {
    name: 'name_leading_filler',
    why: 'npm mrz accepts a name field that starts with a single <; lintas rejects it ' +
      '(a leading << for an empty primary identifier is accepted by both)',
    claims: (doc, ours, len, npm, onlyOurs) => onlyOurs.includes('names') &&
      errorOf(ours, 'names', 'invalid_value') && !errorOf(ours, 'names', 'charset')
      ? ['names'] : [],
  },
  {
    name: 'npm_empty_given_names',
    why: 'npm mrz rejects a name whose first << is the last two characters of the field ' +
      '(no secondary identifier and exactly two fillers); ICAO allows it',
    claims: (doc, ours, len, npm, onlyOurs, onlyNpm) => {
      const f = nameField(doc, ours);
      return onlyNpm.includes('names') && f.indexOf('<<') === f.length - 2 ? ['names'] : [];
    },
  },
  {
    name: 'npm_french_id_guess',
    why: 'npm mrz reads any 2x36 document with a digit in line 1 columns 31-35 as a French ' +
      'identity card; lintas does so only when the French check digits beat the TD2 ones',
    claims: (doc, ours, len, npm, onlyOurs, onlyNpm) => npm.ok &&
      npm.format === 'FRENCH_NATIONAL_ID' && ours.format !== 'UNKNOWN' && !ours.valid &&
      !npm.valid ? [...onlyOurs, ...onlyNpm] : [],
  },
  {
    name: 'npm_long_number_without_terminator',
    why: 'a long document number whose continuation has no < after it (or starts with <): ' +
      'npm mrz slices the optional data at index -1 and reads the wrong check digit',
    claims: (doc, ours, len, npm, onlyOurs, onlyNpm) => (ours.format === 'TD1' ||
      ours.format === 'TD2') && longSlot(doc, ours) ? [...onlyOurs, ...onlyNpm].filter((f) =>
        f === 'document_number' || f === 'optional_data') : [],
  },
];

function nameField(doc, ours) {
  if (ours.format === 'TD1') return doc.lines[2];
  return doc.lines[0].slice(5);
}

function longSlot(doc, ours) {
  const [line, col, opt, width] = ours.format === 'TD1' ? [0, 14, 15, 15] : [1, 9, 28, 7];
  const l = doc.lines[line];
  if (l[col] !== '<') return false;
  const o = l.slice(opt, opt + width);
  return o[0] === '<' || !o.includes('<');
}

function classify(doc, ours, len, npm) {
  const onlyOurs = minus(ours.failed, npm.failed);
  const onlyNpm = minus(npm.failed, ours.failed);
  if (ours.valid === npm.valid && onlyOurs.length === 0 && onlyNpm.length === 0) return null;
  const claimed = new Set();
  const used = [];
  for (const r of RULES) {
    const c = r.claims(doc, ours, len, npm, onlyOurs, onlyNpm);
    if (c.length === 0) continue;
    used.push(r.name);
    c.forEach((f) => claimed.add(f));
  }
  const rest = [...onlyOurs, ...onlyNpm].filter((f) => !claimed.has(f));
  const explained = used.length > 0 && rest.length === 0;
  return { rule: explained ? used.join('+') : 'UNEXPLAINED', used, onlyOurs, onlyNpm };
}

// ---- main ------------------------------------------------------------------

const docs = corpus();
const strict = runLintas(docs, false);
const lenient = runLintas(docs, true);
const counts = {};
const perRule = {};
const report = [];
let unexplained = 0;
docs.forEach((doc, i) => {
  const npm = runNpm(doc.lines);
  const c = classify(doc, strict[i], lenient[i], npm);
  if (!c) return;
  counts[c.rule] = (counts[c.rule] ?? 0) + 1;
  if (c.rule !== 'UNEXPLAINED') c.used.forEach((u) => { perRule[u] = (perRule[u] ?? 0) + 1; });
  const entry = {
    rule: c.rule, kind: doc.kind, lines: doc.lines, lintas_valid: strict[i].valid,
    npm_valid: npm.valid, only_lintas: c.onlyOurs, only_npm: c.onlyNpm,
    lintas_errors: strict[i].errors, npm_format: npm.format ?? npm.error,
  };
  report.push(entry);
  if (c.rule === 'UNEXPLAINED') {
    unexplained++;
    if (unexplained <= 20) console.log('UNEXPLAINED ' + JSON.stringify(entry));
  }
});
const file = join(outDir, 'mrz-differential.jsonl');
writeFileSync(file, report.map((r) => JSON.stringify(r)).join('\n') + '\n');

const agree = docs.length - report.length;
console.log(`differential: ${docs.length} documents, ${agree} agree, ` +
  `${report.length - unexplained} explained disagreements, ${unexplained} unexplained`);
console.log('explained disagreements by category (rules that applied together):');
for (const [k, v] of Object.entries(counts).sort()) {
  if (k !== 'UNEXPLAINED') console.log(`  ${k}: ${v}`);
}
console.log('documents each rule helped explain:');
for (const r of RULES) {
  console.log(`  ${r.name}: ${perRule[r.name] ?? 0}  (${r.why})`);
}
console.log(`  disagreements listed in ${file}`);
process.exit(unexplained ? 1 : 0);
