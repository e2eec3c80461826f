// Bulwark console: time-series charts, drawn by uPlot (console/static/vendor,
// v1.6.32, shipped in the binary). Each chart has time and value axes, a
// legend that shows the values under the cursor, and a total for the window
// above it.
'use strict';

const palette = ['#2250c8', '#b42318', '#067647', '#b54708', '#6941c6', '#0e9384', '#c11574', '#475467', '#4e5ba6', '#7a5af8'];

// A chart is one uPlot in a .chart section; draw replaces its data, and a
// resize of the window resizes it.
class Chart {
  constructor(section) {
    this.section = section;
    this.box = section.querySelector('.plot');
    this.plot = null;
    this.key = '';
    new ResizeObserver(() => this.fit()).observe(this.box);
  }

  size() {
    const w = Math.max(200, Math.floor(this.box.clientWidth));
    return { width: w, height: w < 420 ? 160 : 200 };
  }

  fit() {
    if (!this.plot) return;
    const s = this.size();
    if (s.width !== this.plot.width) this.plot.setSize(s);
  }

  // draw shows series (each {label, values, color?, scale?, fmt?}) over
  // times (unix seconds); total is the sentence above the chart.
  draw(times, series, total, axes) {
    this.section.querySelector('.total').textContent = total || '';
    const none = this.section.querySelector('.none');
    if (none) none.remove();
    const key = series.map((s) => s.label + '/' + (s.scale || 'y')).join('|');
    const data = [times, ...series.map((s) => s.values)];
    if (this.plot && key === this.key) {
      this.plot.setData(data);
      return;
    }
    if (this.plot) this.plot.destroy();
    this.key = key;
    const scales = { x: { time: true } };
    const yAxes = [];
    for (const [i, a] of (axes || [{ scale: 'y', label: 'count' }]).entries()) {
      scales[a.scale] = { range: (u, min, max) => [0, Math.max(1, max * 1.1)] };
      yAxes.push({ scale: a.scale, label: a.label, side: i === 0 ? 3 : 1, size: 50, values: (u, vals) => vals.map((v) => (a.fmt || fmtCount)(v)), grid: { show: i === 0 } });
    }
    const opts = Object.assign(this.size(), {
      scales,
      axes: [{ space: 60 }, ...yAxes],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      series: [{ label: 'time', value: (u, v) => (v == null ? '–' : new Date(v * 1000).toLocaleString()) },
        ...series.map((s, i) => ({
          label: s.label, scale: s.scale || 'y', stroke: s.color || palette[i % palette.length],
          fill: s.fill ? (s.color || palette[i % palette.length]) + '22' : undefined, width: 1.5, spanGaps: false,
          points: { show: false }, value: (u, v) => (v == null ? '–' : (s.fmt || fmtCount)(v)),
        }))],
    });
    this.plot = new uPlot(opts, data, this.box);
  }

  // empty says there is nothing to draw.
  empty(msg) {
    if (this.plot) { this.plot.destroy(); this.plot = null; this.key = ''; }
    this.section.querySelector('.total').textContent = '';
    let p = this.section.querySelector('.none');
    if (!p) { p = el('p', { class: 'none' }); this.section.append(p); }
    p.textContent = msg;
  }
}

function fmtCount(v) {
  if (v == null) return '–';
  if (Math.abs(v) >= 1e6) return (v / 1e6).toFixed(1) + 'M';
  if (Math.abs(v) >= 1e4) return (v / 1e3).toFixed(0) + 'k';
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function fmtBytes(v) {
  if (v == null) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i ? v.toFixed(v >= 100 ? 0 : 1) : String(Math.round(v))) + ' ' + units[i];
}

function fmtPercent(v) { return v == null ? '–' : (v * 100).toFixed(v < 0.1 ? 1 : 0) + '%'; }

const windowWords = { '1h': 'in the last hour', '24h': 'in the last day', '7d': 'in the last 7 days' };

// plural says "1 attack", "14 attacks".
function plural(n, one, many) { return fmtCount(n) + ' ' + (n === 1 ? one : (many || one + 's')); }
