#!/usr/bin/env python3
"""Read cchc's district export back with independent readers (openpyxl for
the XLSX, the csv module for the CSV) and check every figure against
`status --format json` and `summary --format json`.

usage: check_export.py Q.xlsx Q.csv STATUS.json SUMMARY.json
"""
import csv
import datetime
import json
import sys

import openpyxl

VN = datetime.timezone(datetime.timedelta(hours=7))


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def iso(value):
    """An openpyxl datetime (naive, Vietnam time) as the JSON's ISO text."""
    if value is None:
        return None
    return value.replace(tzinfo=VN).isoformat()


def close(a, b):
    return abs(a - b) < 1e-9


xlsx, csvfile, status_json, summary_json = sys.argv[1:5]
st = json.load(open(status_json, encoding="utf-8"))
sm = json.load(open(summary_json, encoding="utf-8"))
wb = openpyxl.load_workbook(xlsx)
check(wb.sheetnames == ["Tiến độ", "Chỉ tiêu"], "sheet names %r" % wb.sheetnames)
ws = wb["Tiến độ"]
head = [c.value for c in ws[1]]
check(head == ["Mã đơn vị", "Đơn vị", "Tình trạng", "Đã gửi", "Đúng hạn", "Số lần gửi",
               "Xã duyệt lúc", "Huyện nhận lần đầu", "Lần gửi được tính", "Nhận lần gửi đó"],
      "completeness headers %r" % head)
check(ws.freeze_panes == "C2", "completeness freeze %r" % ws.freeze_panes)
labels = {"missing": "chưa gửi", "on_time": "đúng hạn", "late": "gửi muộn",
          "returned": "đã trả lại"}
n = len(st["units"])
for i, u in enumerate(st["units"]):
    row = [c.value for c in ws[i + 2]]
    check(row[0] == u["unit"] and isinstance(row[0], str), "code %r (text, leading 0)" % row[0])
    check(row[1] == u["name"], "name %r" % row[1])
    check(row[2] == labels[u["state"]], "state %r" % row[2])
    check(row[3] == (u["state"] != "missing") and isinstance(row[3], int), "received %r" % row[3])
    check(row[4] == (u["state"] == "on_time"), "on time %r" % row[4])
    check(row[5] == u["revisions"] and isinstance(row[5], int), "revisions %r" % row[5])
    check(iso(row[6]) == u["approved_at"], "approved %r vs %r" % (row[6], u["approved_at"]))
    check(iso(row[7]) == u["received_at"], "received %r vs %r" % (row[7], u["received_at"]))
    if u["state"] != "missing":
        check(row[8] == u["revision_counted"], "counted %r" % row[8])
        check(iso(row[9]) == u["latest_received_at"], "latest %r" % row[9])
tot = [c for c in ws[n + 2]]
check(tot[3].value == st["received"] and tot[4].value == st["on_time"], "total counts")
check(tot[1].font.b and tot[3].font.b, "total row bold")
check(tot[2].value == "Phải gửi: %d" % st["expected"], "expected %r" % tot[2].value)
pct = [c for c in ws[n + 3]]
check(close(pct[3].value, st["received_rate"]) and close(pct[4].value, st["on_time_rate"]),
      "completeness rates %r %r" % (pct[3].value, pct[4].value))
check(pct[3].number_format == "0.0%", "percent format %r" % pct[3].number_format)
check(ws.column_dimensions["B"].width >= len("Thị trấn Sơn Dương"), "name column fits")

ws = wb["Chỉ tiêu"]
check(ws.freeze_panes == "C3", "indicator freeze %r" % ws.freeze_panes)
rates = [r["id"] for r in sm["total"]["rates"]]
sub = [c.value for c in ws[2]]
check(sub[2:6] == ["Tử số", "Mẫu số", "Tỷ lệ", "Đánh giá (= 100%)"], "sub headers %r" % sub[2:6])
check(ws.cell(1, 3).value.startswith("Tỷ lệ"), "rate label %r" % ws.cell(1, 3).value)
met = {True: "Đạt", False: "Không đạt", None: "–"}
figures = 0


def check_rates(rowvals, rlist, what):
    global figures
    for k, r in enumerate(rlist):
        num, den, rate, verdict = rowvals[2 + 4 * k: 6 + 4 * k]
        check(num == r["num"] and den == r["den"], "%s %s: %r/%r vs %r/%r" %
              (what, r["id"], num, den, r["num"], r["den"]))
        if r["num"] is not None:
            check(isinstance(num, int) and isinstance(den, int), "%s numbers are numbers" % what)
        if r["rate"] is None:
            check(rate in (None, "–"), "%s %s: rate %r for null" % (what, r["id"], rate))
        else:
            check(isinstance(rate, float) or isinstance(rate, int), "rate is a number")
            check(close(rate, r["rate"]), "%s %s: rate %r vs %r" % (what, r["id"], rate, r["rate"]))
        check(verdict == met[r["met"]], "%s %s: verdict %r" % (what, r["id"], verdict))
        figures += 4


for i, u in enumerate(sm["units"]):
    row = [c.value for c in ws[i + 3]]
    check(row[0] == u["unit"], "indicator code %r" % row[0])
    check_rates(row, u["rates"], u["unit"])
total_row = ws[len(sm["units"]) + 3]
check(total_row[2].font.b, "indicator total bold")
check_rates([c.value for c in total_row], sm["total"]["rates"], "total")
check(ws.cell(len(sm["units"]) + 3, 5).number_format == "0.0%", "rate format")

# ---- the CSV: BOM, RFC 4180, the same figures
raw = open(csvfile, "rb").read()
check(raw.startswith(b"\xef\xbb\xbf"), "CSV BOM")
check(b"\r\n" in raw, "CRLF")
rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
check(rows[0][:3] == ["Mã đơn vị", "Đơn vị", "Tình trạng"], "csv header %r" % rows[0][:3])
check(len(rows) == n + 3, "csv rows %d" % len(rows))
for i, u in enumerate(st["units"]):
    r = rows[i + 1]
    check(r[0] == u["unit"], "csv code %r" % r[0])
    check(r[5] == str(u["revisions"]), "csv revisions")
    check(r[7] == (u["received_at"] or ""), "csv received %r" % r[7])
    for k, rt in enumerate(sm["units"][i]["rates"]):
        num, den, rate, verdict = r[10 + 4 * k: 14 + 4 * k]
        check(num == ("" if rt["num"] is None else str(rt["num"])), "csv num %r" % num)
        check(den == ("" if rt["den"] is None else str(rt["den"])), "csv den %r" % den)
        if rt["rate"] is not None:
            check(close(float(rate), rt["rate"]), "csv rate %r" % rate)
        else:
            check(rate in ("", "–"), "csv null rate %r" % rate)
        check(verdict == met[rt["met"]], "csv verdict %r" % verdict)
t = rows[n + 1]
check(t[3] == str(st["received"]) and t[4] == str(st["on_time"]), "csv totals %r" % t[3:5])
for k, rt in enumerate(sm["total"]["rates"]):
    check(t[10 + 4 * k] == str(rt["num"]) and t[11 + 4 * k] == str(rt["den"]), "csv total rate")
print("%d units, %d indicator figures equal" % (n, figures))
