// RnnSearch web UI: polls the read-only JSON API every 2 s and redraws the study, verdicts, leaderboard, nodes,
// trials and learning curves. Plain DOM (textContent only, never innerHTML with data) and SVG; nothing external.
'use strict';

const POLL_MS = 2000;
const SVG = 'http://www.w3.org/2000/svg';
// Same colours as the report's figures (Report/FamilyColors.cs).
const FAMILY_COLORS = {
  'baseline': '#344054', 'stack': '#1f77b4', 'deep-input': '#ff7f0e', 'deep-transition': '#2ca02c',
  'deep-transition-shortcut': '#98c94c', 'micro-steps': '#9467bd', 'highway': '#8c564b', 'deep-readout': '#e377c2',
  'deep-gates': '#bcbd22', 'deep-output': '#17becf', 'combined': '#d62728',
};
const familyColor = f => FAMILY_COLORS[f] || '#98a2b3';

const state = {
  curves: new Map(),      // trial id -> [[epoch, valid], ...]
  final: new Set(),       // done trials whose full curve is loaded
  curvesLoaded: false,
  trials: [],
  metrics: {},            // task -> metric name
  failures: 0,
};

// ---------- small DOM helpers ----------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v; else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}
function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) node.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}
const num = (v, digits = 4) => (v === null || v === undefined || !Number.isFinite(v)) ? '–' : v.toFixed(digits);
const int = v => (v === null || v === undefined) ? '–' : Number(v).toLocaleString('en-US');
const ci = c => c ? `[${num(c[0])}, ${num(c[1])}]` : '–';
const signed = v => (v === null || v === undefined || !Number.isFinite(v)) ? '–' : (v > 0 ? '+' : v < 0 ? '−' : '') + Math.abs(v).toFixed(4);
const signedCi = c => c ? `[${signed(c[0])}, ${signed(c[1])}]` : '–';
const pct = v => (v === null || v === undefined || !Number.isFinite(v)) ? '–' : (v > 0 ? '+' : v < 0 ? '−' : '') + Math.abs(100 * v).toFixed(1) + ' %';
const pctCi = c => c ? `[${pct(c[0])}, ${pct(c[1])}]` : '–';
const lost = n => n > 0 ? ` (${n} seed${n === 1 ? '' : 's'} stopped by the time limit left out)` : '';
const $ = id => document.getElementById(id);
function fam(family) {
  return el('span', { class: 'fam' }, el('span', { class: 'swatch', style: null, 'data-family': family }), family);
}
function paintSwatches(root) {
  for (const s of root.querySelectorAll('.swatch[data-family]')) s.style.background = familyColor(s.dataset.family);
}
function replaceBody(table, rows) {
  const body = table.tBodies[0];
  body.replaceChildren(...rows);
  paintSwatches(body);
}
function ago(iso) {
  if (!iso) return '–';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  return s < 90 ? `${s.toFixed(0)} s ago` : s < 5400 ? `${(s / 60).toFixed(0)} min ago` : new Date(iso).toLocaleString();
}
function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor(s % 3600 / 60)} min`;
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

// ---------- sections ----------
function renderStudy(study) {
  document.title = `RnnSearch · ${study.name}`;
  $('study-name').textContent = `${study.name} (${study.id})`;
  $('study-description').textContent = study.description || '';
  const total = Math.max(1, study.total);
  $('progress-done').style.width = `${100 * study.done / total}%`;
  $('progress-running').style.width = `${100 * study.running / total}%`;
  const counts = [
    ['trials done', `${study.done} / ${study.total}`], ['running', study.running], ['pending', study.pending], ['failed', study.failed],
    ['ETA', study.complete ? '–' : study.eta_seconds === null || study.eta_seconds === undefined ? '–' : duration(study.eta_seconds)],
    ['started', study.started ? new Date(study.started).toLocaleString() : '–'],
  ];
  if (study.live) counts.push(['trainer nodes', study.nodes.length]);
  $('study-counts').replaceChildren(...counts.map(([k, v]) => el('div', { 'data-count': k }, el('dt', {}, k), el('dd', {}, String(v)))));
  for (const t of study.tasks || []) state.metrics[t.task] = t.metric;
  const pill = $('connection');
  if (study.complete) { pill.textContent = 'study complete'; pill.className = 'pill pill-done'; }
  else if (study.live) { pill.textContent = 'live · running'; pill.className = 'pill pill-live'; }
  else { pill.textContent = 'stored study · in progress'; pill.className = 'pill pill-wait'; }
}

function verdictClass(v) {
  return v === 'better' ? 'verdict-better' : v === 'worse' ? 'verdict-worse' : v === 'insufficient data' || v === 'too few tasks' ? 'verdict-insufficient' : 'verdict-none';
}

function verdictCell(v) {
  return el('td', {}, el('span', { class: `verdict ${verdictClass(v.verdict)}` }, v.verdict), lost(v.stopped_time_seeds));
}

function renderVerdicts(board) {
  const perTask = board.verdicts.map(v => el('tr', { 'data-family': v.family, 'data-task': v.task },
    el('td', {}, fam(v.family)), el('td', {}, v.task), el('td', {}, v.cell),
    el('td', { class: 'num' }, int(v.budget)), el('td', { class: 'num' }, v.depth), el('td', { class: 'num' }, v.pairs),
    el('td', { class: 'num survivors' }, `${v.candidate_survivors}/${v.baseline_survivors}`),
    el('td', { class: 'num' }, signed(v.delta_mean)), el('td', {}, signedCi(v.delta_ci95)),
    el('td', { class: 'num relative' }, pct(v.relative_delta)), el('td', {}, pctCi(v.relative_ci95)),
    el('td', { class: 'num mde' }, v.mde === null || v.mde === undefined ? '–' : `${num(v.mde)} (${pct(v.mde_relative).replace('+', '')})`),
    el('td', { class: 'num' }, num(v.p_value, 3)), el('td', { class: 'num' }, num(v.p_holm, 3)), verdictCell(v)));
  const pooled = board.pooled_verdicts.map(v => el('tr', { 'data-family': v.family, 'data-task': 'pooled', title: Object.entries(v.task_relative_deltas).map(([t, d]) => `${t}: ${pct(d)}`).join(', ') },
    el('td', {}, fam(v.family)), el('td', {}, `pooled: ${v.tasks} ${v.metric_name} tasks`), el('td', {}, v.cell),
    el('td', { class: 'num' }, int(v.budget)), el('td', { class: 'num' }, v.depth), el('td', { class: 'num' }, v.pairs), el('td', { class: 'num' }, '–'),
    el('td', { class: 'num' }, '–'), el('td', {}, '–'), el('td', { class: 'num relative' }, pct(v.relative_delta)), el('td', {}, 'signed-rank over tasks'),
    el('td', { class: 'num' }, `min p ${num(v.min_p, 3)}`), el('td', { class: 'num' }, num(v.p_value, 3)), el('td', { class: 'num' }, num(v.p_holm, 3)), verdictCell(v)));
  const unmatched = (board.not_size_matched || []).map(v => el('tr', { 'data-family': v.family, 'data-task': v.task, title: `${v.candidate} (${int(v.params)}) vs ${v.baseline} (${int(v.baseline_params)})` },
    el('td', {}, fam(v.family)), el('td', {}, v.task), el('td', {}, v.cell), el('td', { class: 'num' }, 'fixed'), el('td', { class: 'num' }, v.depth),
    el('td', { class: 'num' }, v.pairs), el('td', { class: 'num survivors' }, `${v.candidate_survivors}/${v.baseline_survivors}`),
    el('td', { class: 'num' }, signed(v.delta_mean)), el('td', {}, signedCi(v.delta_ci95)), el('td', { class: 'num relative' }, pct(v.relative_delta)),
    el('td', {}, pctCi(v.relative_ci95)), el('td', { class: 'num' }, '–'), el('td', { class: 'num' }, '–'), el('td', { class: 'num' }, '–'), verdictCell(v)));
  const rows = [...perTask, ...pooled, ...unmatched];
  replaceBody($('verdicts'), rows);
  $('verdicts-empty').hidden = rows.length > 0;
}

function ciBar(row, lo, hi) {
  const w = 120, h = 14;
  const x = v => 4 + (w - 8) * (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  const s = svg('svg', { width: w, height: h, viewBox: `0 0 ${w} ${h}`, class: 'ci' });
  if (row.test_mean === null || row.test_mean === undefined) return s;
  const color = familyColor(row.family);
  if (row.test_ci95) s.append(svg('line', { x1: x(row.test_ci95[0]), x2: x(row.test_ci95[1]), y1: h / 2, y2: h / 2, stroke: color, 'stroke-width': 2 }));
  s.append(svg('circle', { cx: x(row.test_mean), cy: h / 2, r: 3.5, fill: color }));
  return s;
}

function renderLeaderboard(board) {
  const holder = $('leaderboards');
  const parts = [];
  for (const task of board.tasks) {
    const rows = board.rows.filter(r => r.task === task.task).sort((a, b) => a.rank - b.rank);
    const bounds = rows.flatMap(r => r.test_ci95 ? r.test_ci95 : r.test_mean !== null && r.test_mean !== undefined ? [r.test_mean] : []);
    const lo = Math.min(...bounds), hi = Math.max(...bounds);
    const table = el('table', { class: 'data leaderboard', 'data-task': task.task },
      el('thead', {}, el('tr', {}, ['#', 'candidate', 'family', 'params', 'd_r / d_f', 'ok / seeds', `test ${task.metric_name}`, '95 % CI', '', 'valid', 'epochs', 's / trial', 'status']
        .map((h, i) => el('th', { class: [0, 3, 5, 6, 9, 10, 11].includes(i) ? 'num' : null }, h)))),
      el('tbody', {}, rows.map((r, i) => el('tr', { class: i === 0 && r.test_mean !== null && r.test_mean !== undefined ? 'best' : null, 'data-candidate': r.candidate, 'data-family': r.family },
        el('td', { class: 'num' }, r.rank), el('td', { class: 'spec' }, r.spec), el('td', {}, fam(r.family)), el('td', { class: 'num' }, int(r.params)),
        el('td', {}, `${+r.d_r.toFixed(2)} / ${+r.d_f.toFixed(2)}`), el('td', { class: 'num seeds' }, `${r.survivors}/${r.seeds}` + (r.stopped_time > 0 ? ` +${r.stopped_time} stopped-time` : '')), el('td', { class: 'num test-mean' }, num(r.test_mean)),
        el('td', {}, ci(r.test_ci95)), el('td', {}, ciBar(r, lo, hi)), el('td', { class: 'num' }, num(r.valid_mean)),
        el('td', { class: 'num' }, num(r.epochs_mean, 1)), el('td', { class: 'num' }, num(r.train_seconds_mean, 0)),
        el('td', {}, Object.entries(r.status).map(([k, v]) => `${k}: ${v}`).join(' '))))));
    parts.push(el('h3', {}, `${task.task} — test ${task.metric_name}, lower is better` +
      (task.trivial_valid_metric ? ` (trivial model: valid ${num(task.trivial_valid_metric)})` : '')), el('div', { class: 'table-wrap' }, table));
  }
  if (parts.length === 0) parts.push(el('p', { class: 'muted' }, 'No candidates yet.'));
  holder.replaceChildren(...parts);
  paintSwatches(holder);
}

function renderTrainability(board) {
  const rows = board.trainability.map(t => {
    const bar = el('span', { class: 'bar' });
    bar.style.width = `${Math.round(60 * t.untrainable_share)}px`;
    return el('tr', { 'data-family': t.family },
      el('td', {}, t.cell), el('td', {}, fam(t.family)), el('td', { class: 'num' }, t.trials), el('td', { class: 'num' }, t.judged), el('td', { class: 'num' }, t.diverged),
      el('td', { class: 'num' }, t.failed), el('td', { class: 'num' }, t.never_beat_trivial), el('td', { class: 'num' }, t.pruned), el('td', { class: 'num' }, t.stopped_time),
      el('td', {}, bar, t.judged > 0 ? `${Math.round(100 * t.untrainable_share)} %` : '–'));
  });
  replaceBody($('trainability'), rows);
  $('trainability-empty').hidden = rows.length > 0;
}

/** A running trial's latest epoch: the progress snapshot's, or its curve's when that is newer. */
function liveEpoch(t) {
  const curve = state.curves.get(t.trialId) || [];
  return Math.max(t.epoch || 0, curve.length ? curve[curve.length - 1][0] : 0) || null;
}

function renderNodes(nodes, trials) {
  const byId = new Map(trials.map(t => [t.trialId, t]));
  const rows = nodes.map(n => {
    const slots = n.slots === null || n.slots === undefined ? el('span', { class: 'muted' }, '–')
      : el('span', { title: `${n.busy} busy, ${n.free} free` }, ...Array.from({ length: n.slots }, (_, i) => el('span', { class: i < n.busy ? 'slot busy' : 'slot' })), ` ${n.busy}/${n.slots} busy`);
    const running = n.running.length === 0 ? el('span', { class: 'muted' }, 'idle')
      : el('span', {}, n.running.map(id => { const t = byId.get(id); const e = t && liveEpoch(t); return t ? `#${id} ${t.family} s${t.seed}${e ? ` e${e}` : ''}` : `#${id}`; }).join(', '));
    return el('tr', { 'data-node': n.nodeId },
      el('td', { title: n.address || '' }, n.nodeId), el('td', {}, el('span', { class: `state ${n.live ? 'state-running' : 'state-pending'}` }, n.live ? 'connected' : 'gone')),
      el('td', {}, n.device || '–'), el('td', {}, slots), el('td', {}, running), el('td', { class: 'num' }, n.done), el('td', { class: 'num' }, n.failed),
      el('td', { class: 'num' }, num(n.trainSeconds, 0)), el('td', {}, n.live ? ago(n.lastSeen) : '–'));
  });
  replaceBody($('nodes'), rows);
  $('nodes-empty').hidden = rows.length > 0;
}

function renderTrials(trials) {
  const running = trials.filter(t => t.state === 'running').sort((a, b) => a.trialId - b.trialId);
  const done = trials.filter(t => t.state === 'done').sort((a, b) => (b.completedAt || '').localeCompare(a.completedAt || '') || b.trialId - a.trialId);
  const pending = trials.filter(t => t.state === 'pending').length;
  const shown = [...running, ...done.slice(0, 25)];
  $('trials-summary').textContent = `${running.length} running, ${pending} pending, ${done.length} done` + (done.length > 25 ? ' (25 most recent shown)' : '');
  const rows = shown.map(t => {
    const label = t.state === 'done' ? t.status : t.state;
    // A running trial's curve can be newer than the progress snapshot: show whichever has the later epoch.
    const curve = state.curves.get(t.trialId) || [];
    const last = curve.length ? curve[curve.length - 1] : null;
    const epoch = t.state === 'running' ? liveEpoch(t) : t.epochs;
    const valid = t.state === 'running' && last && last[0] > (t.epoch || 0) ? Math.min(...curve.map(p => p[1])) : t.validMetric;
    return el('tr', { 'data-trial': t.trialId, 'data-state': t.state },
      el('td', { class: 'num' }, t.trialId), el('td', {}, fam(t.family)), el('td', { class: 'spec' }, t.spec), el('td', {}, t.task), el('td', { class: 'num' }, t.seed),
      el('td', {}, t.phase), el('td', {}, el('span', { class: `state state-${label}`, title: t.error || '' }, label)), el('td', {}, t.nodeId || '–'),
      el('td', { class: 'num' }, epoch ?? '–'), el('td', { class: 'num' }, num(valid)), el('td', { class: 'num' }, num(t.testMetric)),
      el('td', { class: 'num' }, num(t.trainSeconds, 0)));
  });
  replaceBody($('trials'), rows);
}

// ---------- learning curves ----------
async function refreshCurves(trials) {
  if (!state.curvesLoaded) {
    for (const c of await getJson('/api/curves')) state.curves.set(c.trialId, c.points);
    for (const t of trials) if (t.state === 'done') state.final.add(t.trialId);
    state.curvesLoaded = true;
    return;
  }
  const wanted = trials.filter(t => t.state === 'running' || (t.state === 'done' && !state.final.has(t.trialId)));
  await Promise.all(wanted.map(async t => {
    const e = await getJson(`/api/trials/${t.trialId}/epochs`);
    state.curves.set(t.trialId, e.epochs.filter(p => p.validMetric !== null).map(p => [p.epoch, p.validMetric]));
    if (t.state === 'done') state.final.add(t.trialId);
  }));
}

function niceTicks(lo, hi, count) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => span / s <= count) || 10 * mag;
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toFixed(10));
  return ticks;
}

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q, i = Math.floor(pos);
  return sorted[i] + (sorted[Math.min(i + 1, sorted.length - 1)] - sorted[i]) * (pos - i);
}

function curveChart(task, trials) {
  const W = 760, H = 320, L = 58, R = 14, T = 12, B = 40;
  const series = trials.map(t => ({ t, points: state.curves.get(t.trialId) || [] })).filter(s => s.points.length > 0);
  const metric = state.metrics[task] || 'metric';
  const box = el('div', { class: 'chart', 'data-task': task }, el('h3', {}, `${task} — validation ${metric} per epoch`));
  if (series.length === 0) { box.append(el('p', { class: 'muted' }, 'No epoch reported yet.')); return box; }
  const values = series.flatMap(s => s.points.map(p => p[1])).sort((a, b) => a - b);
  const maxEpoch = Math.max(...series.flatMap(s => s.points.map(p => p[0])));
  // The first epochs of a music model sit far above the rest: cap the axis at the 95th percentile so the
  // interesting part stays readable; lines that go higher are clipped at the top.
  let y0 = values[0], y1 = Math.min(values[values.length - 1], quantile(values, 0.95));
  if (!(y1 > y0)) y1 = y0 + 1;
  const pad = (y1 - y0) * 0.05; y0 -= pad; y1 += pad;
  const x = e => L + (W - L - R) * (maxEpoch > 1 ? (e - 1) / (maxEpoch - 1) : 0.5);
  const y = v => T + (H - T - B) * (1 - (v - y0) / (y1 - y0));
  const clipId = `clip-${task.replace(/[^a-z0-9]/gi, '')}`;
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `learning curves for ${task}` },
    svg('defs', {}, svg('clipPath', { id: clipId }, svg('rect', { x: L, y: T, width: W - L - R, height: H - T - B }))));
  const grid = svg('g', { class: 'grid' }), axis = svg('g', { class: 'axis' });
  for (const v of niceTicks(y0, y1, 6)) {
    grid.append(svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v) }));
    axis.append(svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(+v.toFixed(4))));
  }
  for (const e of niceTicks(1, Math.max(2, maxEpoch), 10).filter(e => Number.isInteger(e) && e <= maxEpoch)) {
    axis.append(svg('line', { x1: x(e), x2: x(e), y1: H - B, y2: H - B + 4 }));
    axis.append(svg('text', { x: x(e), y: H - B + 16, 'text-anchor': 'middle' }, String(e)));
  }
  axis.append(svg('path', { d: `M${L},${T}V${H - B}H${W - R}`, fill: 'none' }));
  axis.append(svg('text', { class: 'label', x: (L + W - R) / 2, y: H - 6, 'text-anchor': 'middle' }, 'epoch'));
  axis.append(svg('text', { class: 'label', transform: `translate(13 ${(T + H - B) / 2}) rotate(-90)`, 'text-anchor': 'middle' }, `valid ${metric}`));
  chart.append(grid, axis);
  const lines = svg('g', { 'clip-path': `url(#${clipId})` });
  // Finished trials first, running ones on top.
  for (const s of series.sort((a, b) => (a.t.state === 'running') - (b.t.state === 'running'))) {
    const running = s.t.state === 'running';
    const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join('');
    const last = s.points[s.points.length - 1];
    lines.append(svg('path', { d, fill: 'none', stroke: familyColor(s.t.family), 'stroke-width': running ? 2.6 : 1.3, 'stroke-opacity': running ? 1 : 0.6,
      'data-trial': s.t.trialId, 'data-state': s.t.state },
      svg('title', {}, `#${s.t.trialId} ${s.t.family} seed ${s.t.seed} (${s.t.state}${s.t.status ? ' ' + s.t.status : ''}): epoch ${last[0]}, valid ${num(last[1])}`)));
    if (running) lines.append(svg('circle', { cx: x(last[0]), cy: y(last[1]), r: 3.5, fill: familyColor(s.t.family) }));
  }
  chart.append(lines);
  box.append(chart);
  const families = [...new Set(series.map(s => s.t.family))];
  box.append(el('div', { class: 'legend' }, families.map(f => fam(f))));
  return box;
}

function renderCurves(trials) {
  const tasks = [...new Set(trials.map(t => t.task))];
  const holder = $('curves');
  holder.replaceChildren(...tasks.map(task => curveChart(task, trials.filter(t => t.task === task))));
  paintSwatches(holder);
}

// ---------- loop ----------
async function refresh() {
  let delay = POLL_MS;
  try {
    const [study, trials, nodes, board] = await Promise.all([getJson('/api/study'), getJson('/api/trials'), getJson('/api/nodes'), getJson('/api/leaderboard')]);
    state.trials = trials;
    renderStudy(study);
    renderVerdicts(board);
    renderLeaderboard(board);
    renderTrainability(board);
    await refreshCurves(trials);
    renderNodes(nodes, trials);
    renderTrials(trials);
    renderCurves(trials);
    state.failures = 0;
    $('updated').textContent = `· updated ${new Date().toLocaleTimeString()}`;
    document.body.dataset.loaded = 'true';
    if (!study.live && study.complete) delay = 15000;
  } catch (error) {
    state.failures++;
    const pill = $('connection');
    pill.textContent = state.failures > 1 ? 'disconnected · showing the last data' : 'retrying…';
    pill.className = 'pill pill-lost';
    pill.title = `${error.message}. The coordinator stops serving when its study completes; \`report\` and \`serve\` read the store.`;
    delay = Math.min(10000, POLL_MS * (1 + state.failures));
  }
  setTimeout(refresh, delay);
}

document.addEventListener('DOMContentLoaded', refresh);
