// The ops dashboard: loads the current state from the query API, then follows GET /v1/stream (Server-Sent Events), so
// the wall screen stays current without a reload. Plain ES module, no build step; charts by Apache ECharts (the global
// `echarts`, served from its WebJar by this server). Strings from the data go through textContent, never innerHTML.

const KYIV = 'Europe/Kyiv';
const CASUALTY_SOURCE = 'ohchr';
const WAVE_WINDOW_DAYS = 365; // the wave chart shows a year up to the latest wave: trends stay readable
const MAX_ALERTS = 50;
const COLORS = { drones: '#ffb020', missiles: '#ff5470', killed: '#ff5470', injured: '#ffb020', axis: '#9db0c6', grid: '#243244' };
const DRONE_CLASSES = new Set(['ATTACK_DRONE', 'OTHER_DRONE']);
const CLASS_NAMES = {
  ATTACK_DRONE: 'Attack drones', OTHER_DRONE: 'Other drones', CRUISE_MISSILE: 'Cruise missiles',
  BALLISTIC_MISSILE: 'Ballistic missiles', GUIDED_BOMB: 'Guided bombs', SURFACE_TO_AIR_MISSILE: 'S-300/S-400 missiles',
  UNKNOWN: 'Unknown',
};

const state = {
  waves: new Map(),   // wave id -> wave
  months: new Map(),  // 'yyyy-MM' -> strike totals of the month
  years: new Map(),   // year -> casualty totals of the year (CASUALTY_SOURCE)
  alerts: new Map(),  // alert id -> alert
  lastChange: null,
};

const number = new Intl.NumberFormat('en-US');
const dayMonth = new Intl.DateTimeFormat('en-GB', { timeZone: KYIV, day: 'numeric', month: 'short' });
const dayMonthYear = new Intl.DateTimeFormat('en-GB', { timeZone: KYIV, day: 'numeric', month: 'short', year: 'numeric' });
const hourMinute = new Intl.DateTimeFormat('en-GB', { timeZone: KYIV, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: KYIV, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

const $ = (testId) => document.querySelector(`[data-testid="${testId}"]`);

/** "+30.6 %", "-59.5 %": one decimal is what the ops team reads; the API keeps two. */
function formatPct(value) {
  if (value == null || !Number.isFinite(value)) return '–';
  return `${value > 0 ? '+' : ''}${value.toFixed(1)} %`;
}

function duration(minutes) {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : `${h} h${m ? ` ${m} min` : ''}`;
}

/** Query and stream may deliver the same key in either order: the newer update wins. */
function upsert(map, key, value) {
  const old = map.get(key);
  if (!old || !old.updatedAt || !value.updatedAt || Date.parse(value.updatedAt) >= Date.parse(old.updatedAt)) {
    map.set(key, value);
  }
}

// ---- charts ----

const charts = {};

function chart(testId) {
  const el = $(testId);
  const instance = echarts.init(el, 'dark', { renderer: 'canvas' });
  new ResizeObserver(() => instance.resize()).observe(el);
  return instance;
}

const axisStyle = {
  axisLine: { lineStyle: { color: COLORS.grid } },
  axisLabel: { color: COLORS.axis },
  splitLine: { lineStyle: { color: COLORS.grid } },
};
/** Drones on the left axis, missiles (ten times fewer) on the right: each axis in its series' colour, as the legend. */
function twoAxes() {
  return [
    { type: 'value', ...axisStyle, axisLabel: { ...axisStyle.axisLabel, color: COLORS.drones } },
    { type: 'value', ...axisStyle, axisLabel: { ...axisStyle.axisLabel, color: COLORS.missiles }, splitLine: { show: false } },
  ];
}
const baseOption = {
  backgroundColor: 'transparent',
  animationDuration: 300,
  legend: { top: 0, right: 0, textStyle: { color: '#eef3f8' } },
  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
};

function initCharts() {
  charts.waves = chart('waves-chart');
  charts.monthly = chart('monthly-chart');
  charts.casualties = chart('casualty-chart');
  charts.waves.setOption({
    ...baseOption,
    grid: { containLabel: true, left: 8, right: 8, top: 40, bottom: 44 },
    xAxis: { type: 'time', ...axisStyle, splitLine: { show: false } },
    yAxis: twoAxes(),
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8, borderColor: COLORS.grid }],
    series: [
      { id: 'drones', name: 'drones', type: 'bar', yAxisIndex: 0, color: COLORS.drones, barMaxWidth: 14, data: [] },
      { id: 'missiles', name: 'missiles', type: 'line', yAxisIndex: 1, color: COLORS.missiles, symbolSize: 6,
        lineStyle: { width: 1.5 }, data: [] },
    ],
  });
  charts.monthly.setOption({
    ...baseOption,
    grid: { containLabel: true, left: 8, right: 8, top: 40, bottom: 4 },
    xAxis: { type: 'category', ...axisStyle, data: [] },
    yAxis: twoAxes(),
    series: [
      { id: 'drones', name: 'drones', type: 'bar', yAxisIndex: 0, color: COLORS.drones, data: [] },
      { id: 'missiles', name: 'missiles', type: 'bar', yAxisIndex: 1, color: COLORS.missiles, data: [] },
    ],
  });
  charts.casualties.setOption({
    ...baseOption,
    grid: { containLabel: true, left: 8, right: 8, top: 40, bottom: 4 },
    xAxis: { type: 'category', ...axisStyle, data: [] },
    yAxis: { type: 'value', ...axisStyle },
    series: [
      { id: 'killed', name: 'killed', type: 'bar', stack: 'casualties', color: COLORS.killed, data: [] },
      { id: 'injured', name: 'injured', type: 'bar', stack: 'casualties', color: COLORS.injured, data: [],
        label: { show: true, position: 'top', color: '#eef3f8', fontWeight: 600 } },
    ],
  });
}

/** Chart text follows the page's root font size (set by the stylesheet, larger on a wall screen). */
function scaleChartText() {
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
  const px = (scale) => Math.round(rem * scale);
  const axis = { axisLabel: { fontSize: px(0.8) } };
  for (const [name, instance] of Object.entries(charts)) {
    instance.setOption({
      legend: { textStyle: { fontSize: px(0.85) }, itemWidth: px(1.3), itemHeight: px(0.8) },
      tooltip: { textStyle: { fontSize: px(0.85) } },
      xAxis: axis,
      yAxis: name === 'casualties' ? axis : [axis, axis],
      series: name === 'casualties' ? [{ id: 'injured', label: { fontSize: px(0.85) } }] : [],
    });
  }
}

// ---- rendering (coalesced: a burst of events renders once per frame) ----

const dirty = new Set();
function changed(...parts) {
  state.lastChange = new Date();
  if (dirty.size === 0) requestAnimationFrame(render);
  parts.forEach((p) => dirty.add(p));
}

function render() {
  if (dirty.has('waves')) { renderWaves(); renderLatest(); }
  if (dirty.has('months')) renderMonthly();
  if (dirty.has('years')) renderCasualties();
  if (dirty.has('alerts')) renderAlerts();
  dirty.clear();
  $('last-update').textContent = state.lastChange ? hourMinute.format(state.lastChange) : '–';
}

function wavesByStart() {
  return [...state.waves.values()].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

function renderWaves() {
  const waves = wavesByStart();
  const newest = waves.length ? Date.parse(waves[waves.length - 1].start) : 0;
  // The window follows the newest wave; older ones leave the chart (and the map) as new ones come.
  const shown = waves.filter((w) => Date.parse(w.start) >= newest - WAVE_WINDOW_DAYS * 86_400_000);
  waves.filter((w) => !shown.includes(w)).forEach((w) => state.waves.delete(w.id));
  charts.waves.setOption({
    series: [
      { id: 'drones', data: shown.map((w) => [w.start, w.drones]) },
      { id: 'missiles', data: shown.map((w) => [w.start, w.missiles]) },
    ],
  });
  $('wave-count').textContent = shown.length === 0 ? 'no waves yet'
    : `${number.format(shown.length)} waves since ${dayMonthYear.format(new Date(shown[0].start))}`;
}

function renderLatest() {
  const waves = wavesByStart();
  const wave = waves[waves.length - 1];
  if (!wave) return;
  const start = new Date(wave.start);
  const end = new Date(wave.end);
  const sameDay = dayMonth.format(start) === dayMonth.format(end);
  $('latest-wave-when').textContent = `${sameDay ? dayMonthYear.format(start) : `${dayMonth.format(start)} – ${dayMonthYear.format(end)}`}, `
    + `${hourMinute.format(start)} – ${hourMinute.format(end)} (${duration(wave.durationMinutes)})`;
  $('latest-wave-drones').textContent = number.format(wave.drones);
  $('latest-wave-missiles').textContent = number.format(wave.missiles);
  $('latest-wave-interception').textContent = wave.interceptionRate == null ? '–' : `${Math.round(wave.interceptionRate * 100)} %`;

  const classes = Object.entries(wave.byClass || {}).sort((a, b) => b[1] - a[1]);
  const largest = classes.length ? classes[0][1] : 1;
  $('latest-wave-composition').replaceChildren(...classes.map(([cls, count]) => {
    const li = document.createElement('li');
    li.dataset.class = cls;
    const name = document.createElement('span');
    name.textContent = CLASS_NAMES[cls] || cls;
    const bar = document.createElement('div');
    bar.className = DRONE_CLASSES.has(cls) ? 'bar' : 'bar missile';
    bar.style.width = `${(100 * count) / largest}%`;
    const value = document.createElement('span');
    value.className = 'count';
    value.textContent = number.format(count);
    li.append(name, document.createElement('div'), value);
    li.children[1].append(bar);
    return li;
  }));
  const models = Object.entries(wave.byModel || {}).sort((a, b) => b[1] - a[1]).map(([m, n]) => `${m} ${n}`).join(', ');
  $('latest-wave-foot').textContent = `${number.format(wave.destroyed)} destroyed · ${wave.reportCount} `
    + `report${wave.reportCount === 1 ? '' : 's'}${models ? ` · ${models}` : ''}`;
}

function renderMonthly() {
  const months = [...state.months.values()].sort((a, b) => a.period.localeCompare(b.period));
  charts.monthly.setOption({
    xAxis: { data: months.map((m) => m.period) },
    series: [
      { id: 'drones', data: months.map((m) => m.drones) },
      { id: 'missiles', data: months.map((m) => m.missiles) },
    ],
  });
}

function renderCasualties() {
  const years = [...state.years.values()].sort((a, b) => a.year - b.year);
  charts.casualties.setOption({
    xAxis: { data: years.map((y) => (y.complete ? String(y.year) : `${y.year}*`)) },
    series: [
      { id: 'killed', data: years.map((y) => y.killed) },
      { id: 'injured', data: years.map((y) => ({ value: y.injured, yoy: y.increasePct })),
        label: { formatter: (p) => (p.data.yoy == null ? '' : formatPct(p.data.yoy)) } },
    ],
  });
  // The headline: the newest year that has a comparison.
  const latest = years.filter((y) => y.increasePct != null).pop();
  renderYoy(latest);
}

function renderYoy(yoy) {
  const pct = $('yoy-pct');
  if (!yoy) {
    pct.textContent = '–';
    return;
  }
  pct.textContent = formatPct(yoy.increasePct);
  pct.classList.toggle('down', yoy.increasePct < 0);
  const basis = yoy.basis === 'YEAR_TO_DATE' ? ' (same months, year to date)' : '';
  $('yoy-caption').textContent = `${yoy.year}: ${number.format(yoy.total)} against ${number.format(yoy.previousTotal)} `
    + `in ${yoy.year - 1}${basis}`;
}

function renderAlerts() {
  const alerts = [...state.alerts.values()].sort((a, b) => Date.parse(b.firedAt) - Date.parse(a.firedAt)).slice(0, MAX_ALERTS);
  const feed = $('alert-feed');
  $('alert-count').textContent = alerts.length === MAX_ALERTS ? `latest ${MAX_ALERTS}`
    : alerts.length ? `${alerts.length} alert${alerts.length === 1 ? '' : 's'}` : '';
  if (alerts.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'empty';
    empty.textContent = 'no alerts yet';
    feed.replaceChildren(empty);
    return;
  }
  feed.replaceChildren(...alerts.map((alert) => {
    const li = document.createElement('li');
    li.dataset.severity = alert.severity;
    li.dataset.status = alert.status;
    const meta = document.createElement('div');
    meta.className = 'meta';
    const severity = document.createElement('span');
    severity.className = 'severity';
    severity.textContent = alert.status === 'RESOLVED' ? `${alert.severity} · resolved` : alert.severity;
    const when = document.createElement('span');
    when.textContent = `${dateTime.format(new Date(alert.firedAt))} · ${alert.rule}`;
    meta.append(severity, when);
    const summary = document.createElement('div');
    summary.className = 'summary';
    summary.textContent = alert.summary;
    li.append(meta, summary);
    return li;
  }));
  // Keep the map bounded: a wall screen runs for weeks.
  [...state.alerts.keys()].filter((id) => !alerts.some((a) => a.id === id)).forEach((id) => state.alerts.delete(id));
}

// ---- data ----

const RETRY_MS = 5000;
const WAVE_PAGE = 1000; // the API's largest limit
/** One set per load in flight: the wave ids the stream changed meanwhile, which the (older) query answer must not undo. */
const loadsInFlight = new Set();

async function getJson(path, { optional = false } = {}) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (response.status === 404 && optional) return null;
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

/** The waves starting at or after `from`, oldest first, page by page (the API answers at most WAVE_PAGE at a time). */
async function wavesSince(from) {
  const all = [];
  for (let since = from; ;) {
    const page = (await getJson(`/v1/waves?limit=${WAVE_PAGE}&from=${encodeURIComponent(since)}`)).waves;
    all.push(...page);
    if (page.length < WAVE_PAGE) return all;
    since = new Date(Date.parse(page[page.length - 1].start) + 1).toISOString();
  }
}

/** The current state from the query API; runs on every (re)connection of the stream, so nothing missed stays missing. */
async function loadAll() {
  const streamed = new Set();
  loadsInFlight.add(streamed);
  try {
    const latest = await getJson('/v1/waves/latest', { optional: true });
    const from = new Date(latest ? Date.parse(latest.start) - WAVE_WINDOW_DAYS * 86_400_000 : 0).toISOString();
    const [waves, months, casualties] = await Promise.all([
      wavesSince(from),
      getJson('/v1/totals/strikes?granularity=month'),
      getJson(`/v1/casualties/totals?source=${CASUALTY_SOURCE}`),
    ]);
    const current = new Set(waves.map((w) => w.id));
    // Waves merged into others while the stream was down are gone from the answer: drop them here too.
    [...state.waves.keys()].filter((id) => !current.has(id) && !streamed.has(id)).forEach((id) => state.waves.delete(id));
    waves.filter((w) => !streamed.has(w.id)).forEach((w) => upsert(state.waves, w.id, w));
    months.totals.forEach((t) => upsert(state.months, t.period, t));
    casualties.totals.filter((t) => t.month == null).forEach((t) => upsert(state.years, t.year, t));
    changed('waves', 'months', 'years');
    // The headline year on year as its own route states it (the year totals carry the same figures).
    const newest = casualties.totals.filter((t) => t.month == null && t.increasePct != null).pop();
    if (newest) {
      const yoy = await getJson(`/v1/casualties/yoy?year=${newest.year}&source=${CASUALTY_SOURCE}`, { optional: true });
      if (yoy) renderYoy(yoy);
    }
    // Alerts come from the stream only: the service has no GET /v1/alerts yet, so the feed starts at page load.
  } finally {
    loadsInFlight.delete(streamed);
  }
}

function loadUntilDone() {
  loadAll().catch((e) => {
    console.warn(`loading the dashboard failed, retrying in ${RETRY_MS / 1000} s:`, e);
    setConnection('reconnecting', 'queries failing, retrying');
    setTimeout(loadUntilDone, RETRY_MS);
  });
}

function setConnection(stateName, label) {
  const el = $('connection');
  el.dataset.state = stateName;
  el.querySelector('b').textContent = label;
}

function follow() {
  const stream = new EventSource('/v1/stream');
  const on = (name, apply) => stream.addEventListener(name, (event) => apply(JSON.parse(event.data)));
  const waveChanged = (id) => loadsInFlight.forEach((streamed) => streamed.add(id));
  on('wave', (w) => { waveChanged(w.id); upsert(state.waves, w.id, w); changed('waves'); });
  on('wave-removed', ({ id }) => { waveChanged(id); state.waves.delete(id); changed('waves'); });
  on('strike-totals', (t) => {
    if (t.granularity === 'MONTH') { upsert(state.months, t.period, t); changed('months'); }
  });
  on('casualty-totals', (t) => {
    if (t.source === CASUALTY_SOURCE && t.month == null) { upsert(state.years, t.year, t); changed('years'); }
  });
  on('alert', (a) => { state.alerts.set(a.id, a); changed('alerts'); });
  // Subscribe first, then query: a change made in between cannot slip through.
  stream.addEventListener('open', () => {
    setConnection('live', 'live');
    loadUntilDone();
  });
  stream.addEventListener('error', () => {
    if (stream.readyState === EventSource.CLOSED) {
      // The browser gives up after an error answer (a 503 while the service restarts); a wall screen must not.
      setConnection('reconnecting', 'offline, retrying');
      setTimeout(follow, RETRY_MS);
    } else {
      setConnection('reconnecting', 'reconnecting…'); // EventSource retries by itself, with Last-Event-ID
    }
  });
}

initCharts();
scaleChartText();
window.addEventListener('resize', scaleChartText);
follow();
