#!/usr/bin/env python3
"""Reads a salesplan workbook back with openpyxl and checks it against the
JSON results of the same run (INTERFACE.md sections 4 and 5).

    xlsx_check.py check WORKBOOK RESULTS.json CURRENCY
    xlsx_check.py recalc WORKBOOK
    xlsx_check.py percentiles WORKBOOK RESULTS.json
    xlsx_check.py pdf WORKBOOK
    xlsx_check.py text WORKBOOK SHEET TEXT

check   the workbook's structure and numbers, independently of the writer:
        sheet names, numbers stored as numbers, fiscal-year P50 bookings
        equal to the JSON, yearly columns as formulas whose cached values
        add up the monthly cells, differences, charts, number formats,
        defined names, document properties; and the Compare, Sweep and
        Tornado sheets against the JSON's "differences", "sweep" and
        "tornado" (each sheet present exactly when the JSON has them).
recalc  strips the cached values of every formula, lets LibreOffice
        recalculate the workbook headless, and compares its results with
        the cached values.  Exit status 77 when soffice is missing.
percentiles  recalculates with LibreOffice and checks that every cell
        labelled as a percentile of a fiscal year or the horizon (scenario
        sheets and Summary) equals the JSON's figure, and that none is a sum.
        Exit status 77 when soffice is missing.
pdf     renders to PDF with LibreOffice and checks that every chart's
        title and axis titles are printed on one page (no chart cut across
        pages).  Exit status 77 when soffice or pdftotext is missing.
text    whether some cell of SHEET contains TEXT.

Exit status 0 when every check passes; otherwise 1, with one line per
failed check on standard error.
"""
import datetime
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import openpyxl

FAILED = []


def fail(msg):
    FAILED.append(msg)
    print("xlsx_check: " + msg, file=sys.stderr)


def close(a, b, rel=1e-9, absolute=1e-9):
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), absolute)


# A number written as text: optional sign and currency, digits with
# thousands separators, decimals, an optional percent sign.
NUMBER_TEXT = re.compile(r"^\s*[-+]?\s*[$¥€£]?\s*\d[\d,]*(\.\d+)?\s*%?\s*$")


def results_list(doc):
    if "scenarios" in doc:
        return doc["scenarios"]
    return [doc] if "scenario" in doc else []


def month_key(v):
    return "%04d-%02d" % (v.year, v.month)


def find_row(ws, col, text, start=1):
    for r in range(start, ws.max_row + 1):
        if ws.cell(r, col).value == text:
            return r
    return None


def summary_rows(ws):
    """{(group, label): row} for the Summary: a group header is a row whose
    first cell is set and whose scenario cells are all empty."""
    rows, group = {}, None
    hdr = find_row(ws, 1, "Figure")
    for r in range(hdr + 1, ws.max_row + 1):
        a = ws.cell(r, 1).value
        if a is None:
            continue
        if ws.cell(r, 2).value in (None, "") and a in ("Horizon total", "Payback") \
                or re.match(r"^FY\d{4}", str(a)):
            group = a
            continue
        rows[(group, a)] = r
    return hdr, rows


def role_row(rows, group, prefix, role):
    """The row of PREFIX + role, the role named by its id or as
    "Title (id)"."""
    for (g, label), r in rows.items():
        if g == group and isinstance(label, str) and label.startswith(prefix) \
                and (label[len(prefix):] == role or
                     label.endswith("(%s)" % role)):
            return r
    return None


def check_numbers_are_numbers(wb):
    bad = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "s" and isinstance(c.value, str) and \
                        NUMBER_TEXT.match(c.value):
                    bad += 1
                    if bad <= 5:
                        fail("%s!%s holds the number %r as text"
                             % (ws.title, c.coordinate, c.value))
    return bad


def check_summary(wb, wbv, runs, currency):
    ws, wv = wb["Summary"], wbv["Summary"]
    hdr, rows = summary_rows(ws)
    names = [r["scenario"] for r in runs]
    got = [ws.cell(hdr, 2 + i).value for i in range(len(runs))]
    if got != names:
        fail("Summary header names %r, expected %r" % (got, names))
        return
    if ws.freeze_panes is None:
        fail("Summary has no frozen panes")
    checked = 0
    for i, run in enumerate(runs):
        col = 2 + i
        groups = [(p["label"], p["metrics"]) for p in run["periods"]]
        groups.append(("Horizon total", run["horizon_total"]["metrics"]))
        for label, metrics in groups:
            group = label
            for g, _ in rows:
                if g and g.startswith(label + " ") or g == label:
                    group = g
            for stat in ("p10", "p50", "p90"):
                r = rows.get((group, "Bookings " + stat.upper()))
                if r is None:
                    fail("Summary lacks Bookings %s of %s" % (stat.upper(), label))
                    continue
                v = ws.cell(r, col).value
                want = metrics["bookings"][stat]
                if not isinstance(v, (int, float)) or not close(v, want):
                    fail("Summary %s bookings %s of %s: %r, JSON %r"
                         % (label, stat, run["scenario"], v, want))
                checked += 1
            r = rows.get((group, "Cost of sales P50"))
            if r is not None:
                c = ws.cell(r, col)
                if "%" not in c.number_format:
                    fail("Summary cost of sales has format %r" % c.number_format)
                if metrics.get("cos") and metrics["cos"]["p50"] is not None and \
                        not close(c.value, metrics["cos"]["p50"]):
                    fail("Summary cos of %s: %r, JSON %r"
                         % (label, c.value, metrics["cos"]["p50"]))
            else:
                fail("Summary lacks Cost of sales P50 of " + label)
        # Money format with the scenario's currency on a known cell.
        r = rows.get((runs[0]["periods"][0]["label"], "Bookings P50"))
        if r is not None:
            fmt = ws.cell(r, col).number_format
            if '"%s"' % currency not in fmt or "#,##0" not in fmt:
                fail("Summary bookings format %r lacks %s and #,##0"
                     % (fmt, currency))
        # Payback month: a date cell, the text "never", or "no investment"
        # when most trials never went below zero (nothing to pay back).
        r = rows.get(("Payback", "Payback month P50"))
        pb = run["payback_month"]["p50"]
        v = ws.cell(r, col).value if r else None
        if run["payback_month"].get("share_no_investment", 0) >= 0.5:
            if v != "no investment":
                fail("payback of %s: %r, expected no investment"
                     % (run["scenario"], v))
        elif pb is None:
            if v != "never":
                fail("payback of %s: %r, expected never" % (run["scenario"], v))
        elif not isinstance(v, datetime.datetime) or month_key(v) != pb:
            fail("payback of %s: %r, JSON %s" % (run["scenario"], v, pb))
        # Rep share at quota of every role that has one.
        for role, rep in run["reps"].items():
            r = role_row(rows, "Horizon total", "Reps at quota: ", role)
            if r is not None and rep["share_at_quota"] is not None and \
                    not close(ws.cell(r, col).value, rep["share_at_quota"]):
                fail("share at quota of %s %s" % (run["scenario"], role))
    # Differences: formulas B-to-C with cached values that are differences.
    if len(runs) >= 2:
        dcol = None
        for c in range(2, ws.max_column + 1):
            h = ws.cell(hdr, c).value
            if isinstance(h, str) and h.startswith(names[1] + " "):
                dcol = c
        if dcol is None:
            fail("Summary has no difference column")
        else:
            for (g, label), r in rows.items():
                if label != "Bookings P50":
                    continue
                f = ws.cell(r, dcol).value
                if not (isinstance(f, str) and f.startswith("=")):
                    fail("difference %s/%s is not a formula: %r" % (g, label, f))
                    continue
                a, b = wv.cell(r, 2).value, wv.cell(r, 3).value
                if not close(wv.cell(r, dcol).value, b - a):
                    fail("difference %s/%s cached %r, expected %r"
                         % (g, label, wv.cell(r, dcol).value, b - a))
                checked += 1
        # The best-value marks exist only with two or more scenarios.
        if not ws.conditional_formatting:
            fail("Summary has no conditional formats")
    return checked


def scenario_sheets(ws, runs):
    """The sheet of each run, as the Summary's "Sheet" row links them."""
    hdr, rows = summary_rows(ws)
    r = find_row(ws, 1, "Sheet", hdr)
    if r is None:
        fail("Summary has no Sheet row")
        return [run["scenario"] for run in runs]
    names = []
    for i in range(len(runs)):
        c = ws.cell(r, 2 + i)
        names.append(c.value)
        if c.hyperlink is None or c.hyperlink.location is None or \
                c.hyperlink.location.replace("''", "'") != "'%s'!A1" % c.value:
            fail("Summary sheet link %r goes to %r"
                 % (c.value, c.hyperlink and c.hyperlink.location))
    return names


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def near(v, want):
    """A cell against a JSON number: null is an empty cell."""
    if want is None:
        return v is None
    return is_num(v) and close(v, want)


def header_cols(ws, r):
    return {ws.cell(r, c).value: c for c in range(1, ws.max_column + 1)
            if ws.cell(r, c).value is not None}


# Compare sheet figure -> JSON metric name.
COMPARE_FIGURES = {"Bookings": "bookings", "Revenue": "revenue",
                   "Cost": "cost", "Cost of sales": "cos",
                   "Contribution": "contribution",
                   "Headcount at the end": "headcount"}


def check_compare(wb, wbv, doc, currency):
    ws, wv = wb["Compare"], wbv["Compare"]
    hdr = find_row(ws, 1, "Scenario")
    if hdr is None:
        fail("Compare has no table")
        return 0
    cols = header_cols(ws, hdr)
    need = ("Period", "Figure", "Mean difference", "SE", "95% low", "95% high")
    if any(k not in cols for k in need):
        fail("Compare header %r" % list(cols))
        return 0
    table = {}
    for r in range(hdr + 1, ws.max_row + 1):
        key = (ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 3).value)
        if key[0] is None:
            break
        table[key] = r
    checked = 0
    for d in doc["differences"]:
        groups = [(p["label"], p["metrics"]) for p in d["periods"]]
        groups.append(("Horizon total", d["horizon_total"]["metrics"]))
        for label, metrics in groups:
            for fig, m in COMPARE_FIGURES.items():
                if m not in metrics:
                    continue
                # revenue recognised as booked is not repeated on the sheet
                if m == "revenue" and metrics.get("bookings") == metrics[m]:
                    continue
                want = metrics[m]
                r = table.get((d["b"], label, fig))
                if r is None:
                    fail("Compare lacks %s %s %s" % (d["b"], label, fig))
                    continue
                got = [wv.cell(r, cols[k]).value for k in need[2:]]
                exp = [want["mean"], want["se"]] + \
                    (want["ci95"] if want["ci95"] else [None, None])
                if not all(map(near, got, exp)):
                    fail("Compare %s %s %s: %r, JSON %r"
                         % (d["b"], label, fig, got, exp))
                fmt = ws.cell(r, cols["Mean difference"]).number_format
                if m == "cos" and "%" not in fmt or \
                        m in ("bookings", "cost") and '"%s"' % currency not in fmt:
                    fail("Compare %s has format %r" % (fig, fmt))
                for k in need[4:]:
                    f = ws.cell(r, cols[k]).value
                    if exp[2] is not None and not (isinstance(f, str) and f.startswith("=")):
                        fail("Compare %s %s is not a formula: %r" % (fig, k, f))
                checked += 1
        # The incremental payback of b over a: its P50 month (or a word)
        # and the share of trials never paid back, as in the JSON.
        pb = d.get("payback_month")
        if pb is not None:
            r = table.get((d["b"], "Horizon total",
                           "Incremental payback month P50"))
            v = wv.cell(r, cols["Mean difference"]).value if r else None
            if pb["share_no_investment"] >= 0.5:
                ok = v == "no investment"
            elif pb["p50"] is None:
                ok = v == "never"
            else:
                ok = isinstance(v, datetime.datetime) and month_key(v) == pb["p50"]
            if not ok:
                fail("Compare %s incremental payback %r, JSON %r"
                     % (d["b"], v, pb))
            r = table.get((d["b"], "Horizon total", "Trials never paid back"))
            v = wv.cell(r, cols["Mean difference"]).value if r else None
            if not near(v, pb["share_never"]):
                fail("Compare %s never paid back %r, JSON %r"
                     % (d["b"], v, pb["share_never"]))
            checked += 2
    if len(table) != checked:
        fail("Compare has %d rows, the JSON %d differences" % (len(table), checked))
    return checked


def analysis_sheets(doc, key, what):
    """[(sheet name, object)] of every sweep or tornado: "Sweep", then
    "Sweep 2", ... in the order of the JSON's array."""
    objs = doc.get(key + "s") or ([doc[key]] if key in doc else [])
    return [(what if k == 0 else "%s %d" % (what, k + 1), o)
            for k, o in enumerate(objs)]


def check_names_scenario(ws, obj, what):
    """The sheet of a sweep or tornado names its scenario and trials."""
    cells = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, 12)}
    if cells.get("Scenario") != obj.get("scenario"):
        fail("%s names scenario %r, JSON %r" % (what, cells.get("Scenario"),
                                               obj.get("scenario")))
    if cells.get("Trials per run") != obj.get("trials"):
        fail("%s trials %r, JSON %r" % (what, cells.get("Trials per run"),
                                        obj.get("trials")))


def check_sweep(wb, wbv, sw, sheet="Sweep"):
    ws, wv = wb[sheet], wbv[sheet]
    check_names_scenario(ws, sw, sheet)
    params = sw["params"]
    hdr = None
    for r in range(1, ws.max_row + 1):
        if [ws.cell(r, 1 + k).value for k in range(len(params))] == params:
            hdr = r
            break
    if hdr is None:
        fail("Sweep has no table headed %r" % params)
        return 0
    cols = header_cols(ws, hdr)
    name = sw["metric"]
    checked = 0
    for q, pt in enumerate(sw["points"]):
        r = hdr + 1 + q
        vals = [ws.cell(r, 1 + k).value for k in range(len(params))]
        if not all(map(near, vals, pt["values"])):
            fail("Sweep point %d values %r, JSON %r" % (q, vals, pt["values"]))
        want = pt["metrics"][name]
        stats = {"P(target)": want} if not isinstance(want, dict) else \
            {k.upper() if k != "mean" else "Mean": v for k, v in want.items()}
        for head, v in stats.items():
            if head not in cols:
                fail("Sweep lacks a %s column" % head)
                continue
            got = ws.cell(r, cols[head]).value
            if not near(got, v):
                fail("Sweep point %d %s: %r, JSON %r" % (q, head, got, v))
            checked += 1
    if ws.cell(hdr + 1 + len(sw["points"]), 1).value is not None:
        fail("Sweep has more points than the JSON")
    if len(params) == 2:
        corner = "%s \\ %s" % (params[0], params[1])
        g = find_row(ws, 1, corner)
        if g is None:
            fail("Sweep has no grid headed %r" % corner)
            return checked
        across = [ws.cell(g, 2 + j).value for j in range(ws.max_column - 1)]
        across = [v for v in across if v is not None]
        down = []
        r = g + 1
        while is_num(ws.cell(r, 1).value):
            down.append(ws.cell(r, 1).value)
            r += 1
        if len(down) * len(across) != len(sw["points"]):
            fail("Sweep grid %dx%d for %d points"
                 % (len(down), len(across), len(sw["points"])))
            return checked
        for i in range(len(down)):
            for j in range(len(across)):
                pt = sw["points"][i * len(across) + j]
                want = pt["metrics"][name]
                want = want["p50"] if isinstance(want, dict) else want
                got = wv.cell(g + 1 + i, 2 + j).value
                if [down[i], across[j]] != pt["values"] or not near(got, want):
                    fail("Sweep grid (%r, %r): %r, JSON %r at %r"
                         % (down[i], across[j], got, want, pt["values"]))
                checked += 1
    return checked


TORNADO_TOP = 15


def check_tornado(wb, wbv, tn, sheet="Tornado"):
    """The top inputs by swing, at most TORNADO_TOP, those without any
    effect left out and named in a note, the rest counted in one."""
    ws, wv = wb[sheet], wbv[sheet]
    check_names_scenario(ws, tn, sheet)
    r = find_row(ws, 1, "Base")
    if r is None or not near(ws.cell(r, 2).value, tn["base"]):
        fail("Tornado base %r, JSON %r"
             % (r and ws.cell(r, 2).value, tn["base"]))
    hdr = find_row(ws, 1, "Input")
    if hdr is None:
        fail("Tornado has no table")
        return 0
    cols = header_cols(ws, hdr)
    checked = 0
    def no_effect(b):
        lo, hi = b["metric_low"], b["metric_high"]
        moved = lo is not None and hi is not None and abs(hi - lo) > 0
        return not moved and (lo is None or lo == hi == tn["base"])
    moving = [b for b in tn["bars"] if not no_effect(b)]
    shown = moving[:TORNADO_TOP]
    for i, bar in enumerate(shown):
        row = hdr + 1 + i
        if ws.cell(row, 1).value != bar["param"]:
            fail("Tornado row %d is %r, JSON %r (largest swing first)"
                 % (i + 1, ws.cell(row, 1).value, bar["param"]))
            continue
        want = {"Value": bar["value"], "Low": bar["low"], "High": bar["high"],
                "At low": bar["metric_low"], "At high": bar["metric_high"]}
        lo, hi, base = bar["metric_low"], bar["metric_high"], tn["base"]
        if None not in (lo, hi):
            want["Swing"] = abs(hi - lo)
        if None not in (lo, base):
            want["Low \u2212 base"] = lo - base
        if None not in (hi, base):
            want["High \u2212 base"] = hi - base
        for head, v in want.items():
            if head not in cols:
                fail("Tornado lacks a %r column" % head)
                continue
            got = wv.cell(row, cols[head]).value
            if not near(got, v):
                fail("Tornado %s %s: %r, JSON %r" % (bar["param"], head, got, v))
            checked += 1
    after = ws.cell(hdr + 1 + len(shown), 1).value
    if after is not None and not (isinstance(after, str) and
                                  re.match(r"^\d+ (more )?inputs?", after)):
        fail("%s has more rows than its top inputs: %r" % (sheet, after))
    notes = " ".join(str(ws.cell(r, 1).value) for r in range(hdr + 1, ws.max_row + 1)
                     if ws.cell(r, 1).value is not None)
    if len(moving) > TORNADO_TOP and \
            "%d more input" % (len(moving) - TORNADO_TOP) not in notes:
        fail("%s does not count the %d inputs beyond its top %d"
             % (sheet, len(moving) - TORNADO_TOP, TORNADO_TOP))
    for b in tn["bars"]:
        if no_effect(b) and b["param"] not in notes:
            fail("%s does not name %s, an input without effect" % (sheet, b["param"]))
    return checked


def check_number_cells(wbv, sheet, first_col):
    """Every cell right of the labels of the tables on sheet is a number
    (a formula's cached value included) or empty, row labels aside."""
    ws = wbv[sheet]
    bad = 0
    for row in ws.iter_rows(min_col=first_col):
        for c in row:
            v = c.value
            if v is None or is_num(v) or isinstance(v, datetime.datetime):
                continue       # a month is a date, a number in the sheet
            if sheet == "Compare" and v in ("never", "no investment"):
                continue       # an incremental payback without a month
            if isinstance(v, str) and (c.font.b or c.row <= 3):
                continue       # headers and notes
            if sheet.startswith("Tornado") and c.column == 10 and v in ("low", "high", "both"):
                continue
            if sheet.startswith("Tornado") and c.column <= 2 and \
                    re.match(r"^\d+ (more )?inputs?", str(ws.cell(c.row, 1).value)):
                continue       # the note on inputs beyond the top
            if c.row <= 10 and ws.cell(c.row, 1).value == "Scenario":
                continue       # the scenario an analysis ran on
            if sheet == "Compare" and "(95%:" in v:
                continue       # a bar's label with its interval
            bad += 1
            if bad <= 5:
                fail("%s!%s holds %r, not a number" % (sheet, c.coordinate, v))
    return bad


def sheet_charts(z, sheet):
    """The chart parts drawn on a sheet, by following the package's
    relationships: workbook -> sheet -> drawing -> charts."""
    def rels(part):
        d, f = part.rsplit("/", 1)
        name = "%s/_rels/%s.rels" % (d, f)
        if name not in z.namelist():
            return {}
        xml = z.read(name).decode()
        out = {}
        for m in re.finditer(r"<Relationship ([^>]*)/>", xml):
            a = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
            out[a["Id"]] = os.path.normpath(os.path.join(d, a["Target"]))
        return out
    wbxml = z.read("xl/workbook.xml").decode()
    rid = None
    for m in re.finditer(r"<sheet ([^>]*)/>", wbxml):
        a = dict(re.findall(r'([\w:]+)="([^"]*)"', m.group(1)))
        if a.get("name") == sheet.replace("&", "&amp;"):
            rid = a.get("r:id")
    if rid is None:
        return []
    part = rels("xl/workbook.xml").get(rid)
    charts = []
    for target in rels(part).values():
        if "/drawings/drawing" in target and target.endswith(".xml"):
            charts += [t for t in rels(target).values() if "/charts/chart" in t]
    return [(c, z.read(c).decode()) for c in charts if c in z.namelist()]


def check_analysis_charts(path, doc):
    with zipfile.ZipFile(path) as z:
        want = {}
        if len(doc.get("differences", [])) > 0:
            want["Compare"] = lambda x: '<c:barDir val="col"/>' in x
        if "sweep" in doc:
            want["Sweep"] = lambda x: "<c:lineChart>" in x
        if "tornado" in doc:
            # horizontal bars, the first (largest) at the top
            want["Tornado"] = lambda x: '<c:barDir val="bar"/>' in x and \
                re.search(r'<c:catAx>.*?<c:orientation val="maxMin"/>', x, re.S)
        for sheet, ok in want.items():
            charts = sheet_charts(z, sheet)
            if not charts:
                fail("%s has no chart" % sheet)
            elif not any(ok(x) for _, x in charts):
                fail("%s chart is not of the expected kind" % sheet)
            for name, x in charts:
                if "'%s'!" % sheet not in x and "%s!" % sheet not in x:
                    fail("%s chart %s plots no cell of its sheet" % (sheet, name))


def period_metrics(run, label):
    """The JSON metrics of a fiscal year or quarter by label ("FY2027",
    "FY2027 Q1"), or of the horizon total ("Total")."""
    if label == "Total":
        return run["horizon_total"]["metrics"]
    for p in run["periods"] + run.get("quarters", []):
        if p["label"] == label:
            return p["metrics"]
    return None


def check_scenario_sheet(wb, wbv, run, currency, name=None):
    name = name or run["scenario"]
    if name not in wb.sheetnames:
        fail("no sheet " + name)
        return
    ws, wv = wb[name], wbv[name]
    text = [str(c.value) for row in ws.iter_rows(max_row=6, max_col=14)
            for c in row if c.value is not None]
    for want in ("Trials", "Seed", "Generator", "salesplan version"):
        if want not in text:
            fail("%s header lacks %s" % (name, want))
    if find_row(ws, 1, "Assumptions") is None:
        fail(name + " has no assumptions")
    if find_row(ws, 1, "set horizon " + str(run["horizon"])) is None and \
            find_row(ws, 1, "scenario %s \"%s\"" % (run["scenario"], run["title"])) is None:
        fail(name + " lacks the scenario script")
    hdr = None
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == "Metric" and ws.cell(r, 2).value == "Statistic":
            hdr = r
    if hdr is None:
        fail(name + " has no monthly grid")
        return
    # The grid comes before the long assumptions block, with the panes
    # frozen on its labels and month header.
    assumptions = find_row(ws, 1, "Assumptions")
    if assumptions is not None and assumptions < hdr:
        fail("%s: the assumptions (row %d) come before the grid (row %d)"
             % (name, assumptions, hdr))
    if ws.freeze_panes != "C%d" % (hdr + 1):
        fail("%s panes frozen at %r, expected C%d (the grid's first data row)"
             % (name, ws.freeze_panes, hdr + 1))
    months, years = {}, {}
    for c in range(3, ws.max_column + 1):
        v = ws.cell(hdr, c).value
        if isinstance(v, datetime.datetime):
            months[c] = month_key(v)
        elif isinstance(v, str):
            years[c] = v
    if list(months.values()) != run["months"]:
        fail("%s months %r != JSON months" % (name, list(months.values())[:3]))
    fy = {p["label"]: (p["first"], p["last"]) for p in run["periods"]}
    bookings = find_row(ws, 1, "Bookings", hdr)
    headcount = find_row(ws, 1, "Headcount", hdr)
    for r, stock in ((bookings, False), (headcount, True)):
        if r is None:
            fail(name + " grid lacks a row")
            continue
        metric = "headcount" if stock else "bookings"
        for c, key in months.items():
            v = ws.cell(r, c).value
            want = run["monthly"][metric]["p50"][run["months"].index(key)]
            if not close(v, want):
                fail("%s %s %s: %r, JSON %r" % (name, metric, key, v, want))
                break
        for c, label in years.items():
            f = ws.cell(r, c).value
            base = label.split(" ")[0]
            if stock:
                # a stock's period is its last month: a formula, exact
                if not (isinstance(f, str) and f.startswith("=") and
                        not f.upper().startswith("=SUM(")):
                    fail("%s %s %s: %r is not the last month" % (name, metric, label, f))
                    continue
                first, last = fy.get(base, (run["months"][0], run["months"][-1]))
                cols = [cc for cc, k in months.items() if first <= k <= last]
                if not close(wv.cell(r, c).value, wv.cell(r, cols[-1]).value or 0):
                    fail("%s %s %s cached %r" % (name, metric, label, wv.cell(r, c).value))
            else:
                # a flow's P50 is the exact period P50, not a sum of medians
                pm = period_metrics(run, base)
                want = pm and pm[metric]["p50"]
                if isinstance(f, str) or not near(f, want):
                    fail("%s %s %s P50: %r, JSON %r" % (name, metric, label, f, want))
        fmt = ws.cell(r, min(months)).number_format
        if not stock and '"%s"' % currency not in fmt:
            fail("%s bookings format %r" % (name, fmt))
        # A row of whole counts shows no decimals.
        vals = [ws.cell(r, c).value for c in months]
        if stock and all(float(v).is_integer() for v in vals if is_num(v)) \
                and fmt != "#,##0":
            fail("%s whole headcounts have format %r" % (name, fmt))
    # Every other row of the grid: the cached yearly values agree with
    # the monthly cells the formula names.
    for r in range(hdr + 1, ws.max_row + 1):
        for c, label in years.items():
            f = ws.cell(r, c).value
            if not (isinstance(f, str) and f.startswith("=")):
                continue
            m = re.match(r"^=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)$", f) or \
                re.match(r"^=([A-Z]+)(\d+)$", f)
            if not m:
                fail("%s!%s unexpected formula %s" % (name, ws.cell(r, c).coordinate, f))
                continue
            if f.startswith("=SUM(") and ws.cell(r, 2).value != "Mean":
                fail("%s!%s sums a %s row: %s" % (name, ws.cell(r, c).coordinate,
                                                  ws.cell(r, 2).value, f))
            ref = f[5:-1] if f.startswith("=SUM(") else f[1:]
            cells = [x for row in wv[ref] for x in row] if ":" in ref \
                else [wv[ref]]
            vals = [cell.value or 0 for cell in cells]
            want = math.fsum(vals)
            if not close(wv.cell(r, c).value, want):
                fail("%s!%s cached %r, cells give %r"
                     % (name, ws.cell(r, c).coordinate, wv.cell(r, c).value, want))
    if not any(ws.cell(hdr, c).comment for c in years):
        fail(name + ": yearly columns carry no note")
    # A defined name points at the monthly P50 bookings.
    prefix = re.sub(r"[^a-z0-9_]", "_", run["scenario"].lower())
    dn = wb.defined_names.get(prefix + "_bookings_p50")
    if dn is None:
        fail("no defined name %s_bookings_p50" % prefix)
    else:
        (sheet, ref), = list(dn.destinations)
        cells = [c.value for row in wbv[sheet][ref.replace("$", "")] for c in row]
        want = run["monthly"]["bookings"]["p50"]
        if len(cells) != len(want) or not all(map(close, cells, want)):
            fail("%s_bookings_p50 does not hold the monthly P50" % prefix)


def check_reps(wb, runs):
    ws = wb["Reps"]
    hdr = find_row(ws, 1, "Role")
    if hdr is None:
        fail("Reps has no table")
        return
    cols = {ws.cell(hdr, c).value: c for c in range(1, ws.max_column + 1)}
    for run in runs:
        for role, rep in run["reps"].items():
            for meas in ("attainment", "earnings"):
                want = rep[meas]["p50"] if rep[meas] else None
                if want is None:
                    continue
                for r in range(hdr + 1, ws.max_row + 1):
                    if (ws.cell(r, 1).value, ws.cell(r, 2).value,
                            ws.cell(r, 3).value) == (role, run["scenario"],
                                                     meas.capitalize()):
                        if not close(ws.cell(r, cols["P50"]).value, want):
                            fail("Reps %s %s %s P50" % (run["scenario"], role, meas))
                        break
                else:
                    fail("Reps lacks %s %s %s" % (run["scenario"], role, meas))
    check_rep_hists(ws, runs)


def hist_block(ws, title):
    """{column header: [values]} of the histogram table under title, the
    bin labels under "Bin"."""
    t = find_row(ws, 1, title)
    if t is None or ws.cell(t + 1, 1).value != "Bin":
        return None
    heads = header_cols(ws, t + 1)
    out = {h: [] for h in heads}
    r = t + 2
    while ws.cell(r, 1).value is not None:
        for h, c in heads.items():
            out[h].append(ws.cell(r, c).value)
        r += 1
    return out


def check_rep_hists(ws, runs):
    """The histogram tables hold the JSON's shares of the horizon total,
    which add up to 1; and each bin's From is its lower edge."""
    multi = len(runs) > 1
    for run in runs:
        for role, rep in run["reps"].items():
            for meas, title in (("attainment", "Attainment of %s" % role),
                                ("earnings", "Earnings of %s: %s"
                                 % (role, run["scenario"]))):
                h = rep.get(meas + "_hist")
                if not h or not h["share"]:
                    continue
                if not close(math.fsum(h["share"]), 1, 1e-12, 1e-12):
                    fail("%s %s %s shares add up to %r"
                         % (run["scenario"], role, meas, math.fsum(h["share"])))
                b = hist_block(ws, title)
                if b is None:
                    fail("Reps lacks the table %r" % title)
                    continue
                col = run["scenario"] if meas == "attainment" and multi else "Share"
                got = b.get(col)
                if got is None or len(got) != len(h["share"]) or \
                        not all(map(near, got, h["share"])):
                    fail("Reps %r %s: %r, JSON %r" % (title, col, got, h["share"]))
                edges = [e for e in h["edges"][:-1]]
                if not all(map(near, b["From"], edges)):
                    fail("Reps %r From %r, JSON edges %r" % (title, b["From"], edges))


def check_reps_charts(path, runs):
    """One column chart per role's attainment (a series per scenario) and
    one per role and scenario for earnings, with bars that (nearly) touch;
    no other chart on Reps."""
    roles_att, n_earn = set(), 0
    for run in runs:
        for role, rep in run["reps"].items():
            if rep.get("attainment_hist", {}).get("share"):
                roles_att.add(role)
            if rep.get("earnings_hist", {}).get("share"):
                n_earn += 1
    want = len(roles_att) + n_earn
    with zipfile.ZipFile(path) as z:
        charts = sheet_charts(z, "Reps")
    if len(charts) != want:
        fail("Reps has %d charts, expected %d histograms" % (len(charts), want))
    for name, x in charts:
        gap = re.search(r'<c:gapWidth val="(\d+)"/>', x)
        if '<c:barDir val="col"/>' not in x or not gap or int(gap.group(1)) > 20:
            fail("Reps chart %s is not a column histogram" % name)


def check_package(path, nscen, nanalysis):
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)]
        want = (3 * nscen + 2 + 1 if nscen else 0) + nanalysis
        if len(charts) < want:
            fail("%d charts, expected at least %d" % (len(charts), want))
        xml = "".join(z.read(n).decode() for n in charts)
        if xml.count("<c:lineChart>") < nscen:
            fail("fewer line (bookings) charts than scenarios")
        if nscen and xml.count("<c:scatterChart>") < 1:
            fail("no S-curve (scatter) chart")
        if xml.count('<c:grouping val="stacked"/>') < 2 * nscen:
            fail("fewer stacked charts than expected")
        core = z.read("docProps/core.xml").decode()
        if "<dc:creator>salesplan</dc:creator>" not in core:
            fail("document creator is not salesplan")


def check_trials(wb, runs):
    """The Trials sheet: one row per trial; the median of each fiscal-year
    bookings column is the JSON's P50 (PERCENTILE.INC of the trials)."""
    ws = wb["Trials"]
    hdr = find_row(ws, 1, "Trial")
    if hdr is None:
        fail("Trials has no table")
        return 0
    heads = header_cols(ws, hdr)
    checked = 0
    for run in runs:
        for label in [p["label"] for p in run["periods"]] + ["Total"]:
            col = heads.get("%s %s Bookings" % (run["scenario"], label))
            if col is None:
                fail("Trials lacks %s %s Bookings" % (run["scenario"], label))
                continue
            v = sorted(ws.cell(r, col).value for r in range(hdr + 1, hdr + 1 + run["trials"]))
            h = (len(v) - 1) * 0.5
            lo = int(math.floor(h))
            med = v[lo] + (h - lo) * (v[min(lo + 1, len(v) - 1)] - v[lo])
            want = period_metrics(run, label)["bookings"]["p50"]
            if not close(med, want, 1e-9, 1e-6):
                fail("Trials %s %s bookings median %r, JSON P50 %r"
                     % (run["scenario"], label, med, want))
            checked += 1
    return checked


def cmd_check(path, json_path, currency):
    with open(json_path) as f:
        doc = json.load(f)
    runs = results_list(doc)
    wb = openpyxl.load_workbook(path)
    wbv = openpyxl.load_workbook(path, data_only=True)
    lower = [n.lower() for n in wb.sheetnames]
    if len(set(lower)) != len(lower):
        fail("sheet names repeat: %r" % wb.sheetnames)
    sheets = scenario_sheets(wb["Summary"], runs) if runs else []
    paired = len(runs) >= 2 and len({r["trials"] for r in runs}) == 1
    sweeps = analysis_sheets(doc, "sweep", "Sweep")
    tornados = analysis_sheets(doc, "tornado", "Tornado")
    want = (["Summary"] if runs else []) + (["Compare"] if paired else []) + \
        sheets + (["Reps", "Distributions", "Trials"] if runs else []) + \
        [n for n, _ in sweeps] + [n for n, _ in tornados] + \
        (["Goal seek"] if doc.get("goalseeks") else [])
    if wb.sheetnames != want:
        fail("sheets %r, expected %r" % (wb.sheetnames, want))
    check_numbers_are_numbers(wb)
    n = check_summary(wb, wbv, runs, currency) if runs else 0
    for run, sheet in zip(runs, sheets):
        check_scenario_sheet(wb, wbv, run, currency, sheet)
    if runs:
        check_reps(wb, runs)
        check_reps_charts(path, runs)
    if paired and "Compare" in wb.sheetnames:
        n += check_compare(wb, wbv, doc, currency)
        check_number_cells(wbv, "Compare", 4)
    for sheet in [n for n, _ in sweeps + tornados] + ["Compare"]:
        if sheet not in wb.sheetnames:
            continue
        # the tables' cells; the header's left-aligned inputs aside
        fmts = {c.number_format for row in wb[sheet].iter_rows()
                for c in row if is_num(c.value) and "%" in c.number_format
                and c.alignment.horizontal != "left"}
        if fmts - {"0.00%"}:
            fail("%s percentages in formats %r, expected 0.00%%" % (sheet, fmts))
    for sheet, sw in sweeps:
        if sheet in wb.sheetnames:
            n += check_sweep(wb, wbv, sw, sheet)
            check_number_cells(wbv, sheet, 1)
    for sheet, tn in tornados:
        if sheet in wb.sheetnames:
            n += check_tornado(wb, wbv, tn, sheet)
            check_number_cells(wbv, sheet, 2)
    if runs:
        n += check_trials(wb, runs)
    nanalysis = paired + len(sweeps) + len(tornados)
    check_package(path, len(runs), nanalysis)
    check_analysis_charts(path, doc)
    title = wb.properties.title
    if title is None or runs and runs[0]["scenario"] not in title:
        fail("document title %r" % title)
    if not FAILED:
        print("ok: %d sheets, %d figures" % (len(wb.sheetnames), n))


def strip_cached(src, dst):
    """Copies the workbook without the cached results of formulas, so that
    whatever reads dst has to compute them."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w",
                                                      zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1", data)
            zout.writestr(item, data)


def soffice_convert(soffice, tmp, src, fmt):
    """LibreOffice converts src to fmt ("xlsx", "pdf") in tmp/out, with a
    private profile that recalculates every formula on load; returns the
    path of the result, or None."""
    prof = os.path.join(tmp, "profile", "user")
    os.makedirs(prof, exist_ok=True)
    with open(os.path.join(prof, "registrymodifications.xcu"), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
                'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
                '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
                '<prop oor:name="OOXMLRecalcMode" oor:op="fuse">'
                '<value>0</value></prop></item>\n</oor:items>\n')
    out = os.path.join(tmp, "out")
    p = subprocess.run([soffice, "-env:UserInstallation=file://" +
                        os.path.join(tmp, "profile"), "--headless",
                        "--calc", "--convert-to", fmt, "--outdir", out,
                        src], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=600)
    conv = os.path.join(out, os.path.splitext(os.path.basename(src))[0] + "." + fmt)
    if not os.path.exists(conv):
        fail("soffice produced nothing: " + p.stdout.decode(errors="replace"))
        return None
    return conv


# Statistic labels of the rows that hold a percentile.
PCT_LABEL = re.compile(r"^P(5|10|25|50|75|90|95)$")


def cmd_percentiles(path, json_path):
    """Every cell labelled as a percentile of a fiscal year or the horizon
    in a workbook recalculated by LibreOffice equals the JSON's figure,
    and none is a sum: the scenario sheets' grid and statistics, the
    Summary's tables."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("soffice not found", file=sys.stderr)
        return 77
    with open(json_path) as f:
        doc = json.load(f)
    runs = results_list(doc)
    orig = openpyxl.load_workbook(path)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "nocache.xlsx")
        strip_cached(path, src)
        conv = soffice_convert(soffice, tmp, src, "xlsx")
        if conv is None:
            return 1
        lo = openpyxl.load_workbook(conv, data_only=True)
    n = 0
    sheets = scenario_sheets(orig["Summary"], runs)
    for run, name in zip(runs, sheets):
        n += percentile_cells(orig[name], lo[name], run, name)
    n += summary_percentiles(orig["Summary"], lo["Summary"], runs)
    if n == 0:
        fail("no percentile cells found")
    elif not FAILED:
        print("ok: %d fiscal-year percentiles equal the JSON after LibreOffice" % n)
    return 1 if FAILED else 0


# Row labels of the sheets -> JSON metric names.
LABEL_METRIC = {"Bookings": "bookings", "Revenue": "revenue", "Cost": "cost",
                "Cost of sales": "cos", "Contribution": "contribution",
                "Headcount": "headcount", "Hires": "hires",
                "Departures": "departures", "Attainment": "attainment"}


def percentile_cells(ws, lv, run, name):
    """The yearly columns of every grid row and the Fiscal-year statistics
    table, wherever column B names a percentile."""
    n = 0
    heads = {}
    metric = None
    for r in range(1, ws.max_row + 1):
        a, b = ws.cell(r, 1).value, ws.cell(r, 2).value
        if b == "Statistic":
            heads = {c: ws.cell(r, c).value for c in range(3, ws.max_column + 1)
                     if isinstance(ws.cell(r, c).value, str)}
            continue
        if isinstance(a, str) and a.strip():
            # "Bookings", or a role's row "  Bookings: Title (id)"
            m = re.match(r"^\s*([^:]+?)(?:: .*\((\w+)\)|: (\w+))?$", a)
            metric = None
            if m and m.group(1) in LABEL_METRIC:
                role = m.group(2) or m.group(3)
                metric = LABEL_METRIC[m.group(1)] + ("." + role if role else "")
        if not (isinstance(b, str) and PCT_LABEL.match(b)) or metric is None:
            continue
        for c, label in heads.items():
            f = ws.cell(r, c).value
            if f is None:
                continue
            if isinstance(f, str) and "SUM(" in f.upper():
                fail("%s!%s (%s %s %s) is a sum: %s" % (name, ws.cell(r, c).coordinate,
                                                        metric, b, label, f))
                continue
            # "FY2027 (partial)", "FY2027 Q1 (partial)": the label before it
            pm = period_metrics(run, label.split(" (")[0])
            if pm is None or metric not in pm:
                continue
            want = pm[metric][b.lower()]
            got = lv.cell(r, c).value
            if not near(got, want):
                fail("%s!%s %s %s %s: %r, JSON %r" % (name, ws.cell(r, c).coordinate,
                                                      metric, b, label, got, want))
            n += 1
    return n


def summary_percentiles(ws, lv, runs):
    """The Summary's rows "FIGURE Pnn" under a fiscal-year (or horizon)
    group, the headline's included."""
    n, group = 0, None
    for r in range(1, ws.max_row + 1):
        a = ws.cell(r, 1).value
        if not isinstance(a, str):
            continue
        if re.match(r"^FY\d{4}", a) or a == "Horizon total":
            group = a.split(" ")[0] if a != "Horizon total" else "Total"
            continue
        m = re.match(r"^(.+?)( at (?:year )?(?:the )?end)? (P\d+)$", a)
        if not m or group is None or m.group(1) not in LABEL_METRIC:
            continue
        metric, stat = LABEL_METRIC[m.group(1)], m.group(3).lower()
        for i, run in enumerate(runs):
            f = ws.cell(r, 2 + i).value
            if isinstance(f, str) and f.startswith("="):
                fail("Summary!%s is a formula: %s" % (ws.cell(r, 2 + i).coordinate, f))
                continue
            pm = period_metrics(run, group)
            if pm is None or metric not in pm:
                continue
            want = pm[metric][stat]
            if not near(lv.cell(r, 2 + i).value, want):
                fail("Summary!%s %s %s %s: %r, JSON %r"
                     % (ws.cell(r, 2 + i).coordinate, run["scenario"], a, group,
                        lv.cell(r, 2 + i).value, want))
            n += 1
    return n


def chart_texts(xml):
    """A chart's title and axis titles, as the PDF shows their text."""
    runs = re.findall(r"<a:t>([^<]*)</a:t>", xml)
    return [html_unescape(t) for t in runs]


def html_unescape(t):
    return t.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">") \
        .replace("&quot;", '"').replace("&apos;", "'")


def cmd_pdf(path):
    """Renders the workbook to PDF with LibreOffice and checks that no chart
    is cut across pages: a chart's title (its top) and its axis titles
    (its bottom and left) are printed on the same page."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftotext = shutil.which("pdftotext")
    if not soffice or not pdftotext:
        print("soffice or pdftotext not found", file=sys.stderr)
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "book.xlsx")
        shutil.copy(path, src)
        pdf = soffice_convert(soffice, tmp, src, "pdf")
        if pdf is None:
            return 1
        text = subprocess.run([pdftotext, "-layout", pdf, "-"],
                              stdout=subprocess.PIPE).stdout.decode(errors="replace")
    pages = [re.sub(r"\s+", " ", p) for p in text.split("\f")]
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in sorted(z.namelist())
                  if re.match(r"xl/charts/chart\d+\.xml$", n)]
    n = 0
    for xml in charts:
        texts = chart_texts(xml)
        if not texts:
            continue
        title = " ".join(texts[0].split()[:4])
        axes = [t for t in texts[1:] if len(t) > 6]
        where = [k for k, p in enumerate(pages) if title in p]
        if not where:
            fail("chart %r is not in the PDF" % texts[0])
            continue
        for k in where:
            missing = [t for t in axes if t not in pages[k]]
            if missing:
                fail("chart %r on page %d lacks %r there: cut across pages"
                     % (texts[0], k + 1, missing))
        n += 1
    if not FAILED:
        print("ok: %d charts whole on their pages (%d pages)" % (n, len(pages) - 1))
    return 1 if FAILED else 0


def cmd_recalc(path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("soffice not found", file=sys.stderr)
        return 77
    orig = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "nocache.xlsx")
        strip_cached(path, src)
        # A private profile: no interference with a user's, and formulas
        # recalculated on load whatever the defaults.
        conv = soffice_convert(soffice, tmp, src, "xlsx")
        if conv is None:
            return 1
        lo = openpyxl.load_workbook(conv, data_only=True)
        n = 0
        for ws in orig.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if not (isinstance(c.value, str) and c.value.startswith("=")):
                        continue
                    want = cached[ws.title][c.coordinate].value
                    got = lo[ws.title][c.coordinate].value
                    n += 1
                    if not isinstance(got, (int, float)) or \
                            not close(got, want, 1e-9, 1e-6):
                        fail("%s!%s %s: LibreOffice %r, cached %r"
                             % (ws.title, c.coordinate, c.value, got, want))
                        if len(FAILED) > 10:
                            return 1
        if n == 0:
            fail("no formulas compared")
        elif not FAILED:
            print("ok: %d formulas recalculated by LibreOffice match" % n)
    return 1 if FAILED else 0


def cmd_text(path, sheet, text):
    wb = openpyxl.load_workbook(path)
    for row in wb[sheet].iter_rows():
        for c in row:
            if isinstance(c.value, str) and text in c.value:
                return 0
    fail("%s has no cell containing %r" % (sheet, text))
    return 1


def main(argv):
    if len(argv) == 5 and argv[1] == "check":
        cmd_check(argv[2], argv[3], argv[4])
        return 1 if FAILED else 0
    if len(argv) == 3 and argv[1] == "recalc":
        return cmd_recalc(argv[2])
    if len(argv) == 4 and argv[1] == "percentiles":
        return cmd_percentiles(argv[2], argv[3])
    if len(argv) == 3 and argv[1] == "pdf":
        return cmd_pdf(argv[2])
    if len(argv) == 5 and argv[1] == "text":
        return cmd_text(argv[2], argv[3], argv[4])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
