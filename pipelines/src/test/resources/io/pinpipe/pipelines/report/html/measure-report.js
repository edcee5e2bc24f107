// Loaded by ReportInBrowserTest into a page that frames report.html twice (a wide screen and a
// 390 px phone). Once both have laid out, it measures what a reader sees in each and writes the
// measurements, as base64 JSON, into <html data-measure>, which Chromium's --dump-dom prints.
(function () {
  function rgb(css) {
    return css.match(/[\d.]+/g).slice(0, 3).map(Number);
  }
  // WCAG 2: relative luminance and contrast ratio.
  function luminance(c) {
    var w = [0.2126, 0.7152, 0.0722];
    return c.reduce(function (sum, v, i) {
      v /= 255;
      return sum + w[i] * (v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    }, 0);
  }
  function contrast(a, b) {
    var x = luminance(rgb(a)), y = luminance(rgb(b));
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  function measure(frame) {
    var d = frame.contentDocument, w = frame.contentWindow, out = {};
    out.viewportWidth = d.documentElement.clientWidth;
    out.scrollWidth = Math.max(d.documentElement.scrollWidth, d.body.scrollWidth);
    out.renderCheck = d.documentElement.getAttribute('data-render-check');
    out.errors = d.documentElement.getAttribute('data-errors');
    out.drawn = {};
    d.querySelectorAll('svg[data-chart]').forEach(function (svg) {
      out.drawn[svg.getAttribute('data-chart')] = Number(svg.getAttribute('data-drawn'));
    });
    // Every piece of chart text, as drawn: its font size times the chart's scale on screen.
    out.chartTexts = 0;
    out.smallestChartText = null;
    d.querySelectorAll('svg[data-chart] text').forEach(function (t) {
      var m = t.getScreenCTM();
      var px = parseFloat(w.getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      out.chartTexts++;
      if (!out.smallestChartText || px < out.smallestChartText.px) {
        out.smallestChartText = {px: px, text: t.textContent, chart: t.ownerSVGElement.getAttribute('data-chart')};
      }
    });
    // Each heat-map cell and the label written on it (the next element).
    out.cells = [];
    d.querySelectorAll('rect.cell').forEach(function (cell) {
      var label = cell.nextElementSibling;
      out.cells.push({label: label.textContent,
          contrast: contrast(w.getComputedStyle(cell).fill, w.getComputedStyle(label).fill)});
    });
    // Each table column: its header's computed text-align against every cell's under it.
    out.columns = 0;
    out.misaligned = [];
    d.querySelectorAll('table').forEach(function (table) {
      table.querySelectorAll('thead th').forEach(function (th, c) {
        var want = w.getComputedStyle(th).textAlign;
        out.columns++;
        table.querySelectorAll('tbody tr').forEach(function (tr) {
          var td = tr.children[c];
          if (td && w.getComputedStyle(td).textAlign !== want) {
            out.misaligned.push(th.textContent + ': header ' + want + ', cell "' + td.textContent + '" '
                + w.getComputedStyle(td).textAlign);
          }
        });
      });
    });
    // The dead-letter tables: per kind, each reason group, its count and its examples.
    out.deadLetters = [];
    d.querySelectorAll('#quality h4').forEach(function (h) {
      var rows = [];
      h.nextElementSibling.querySelectorAll('tbody tr').forEach(function (tr) {
        rows.push({reason: tr.children[0].textContent, records: tr.children[1].textContent,
            examples: Array.prototype.map.call(tr.querySelectorAll('li'), function (li) { return li.textContent; })});
      });
      out.deadLetters.push({heading: h.textContent, rows: rows});
    });
    return out;
  }
  function ready(frame) {
    var d = frame.contentDocument;
    return d && d.documentElement && d.documentElement.getAttribute('data-render-check') === 'done';
  }
  function poll() {
    var frames = document.querySelectorAll('iframe');
    if (!Array.prototype.every.call(frames, ready)) {
      setTimeout(poll, 50);
      return;
    }
    var all = {};
    frames.forEach(function (f) { all[f.id] = measure(f); });
    var json = JSON.stringify(all);
    document.documentElement.setAttribute('data-measure', btoa(unescape(encodeURIComponent(json))));
  }
  poll();
})();
