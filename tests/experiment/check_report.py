#!/usr/bin/env python3
"""Looks at a run report as a user would: every figure embedded in the page decodes and is not
blank, then Debian's chromium renders the page headless (offline: the page needs nothing else),
logging nothing at console error level, with every figure in its DOM, into a screenshot that is
not blank; and report.json beside it holds every run's per-step loss and learning rate and the
time of each stage named. Usage: check_report.py REPORT.html [STAGE...]   (exit 1 with the reason)"""
import base64
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import matplotlib.image as mpimg


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def not_blank(png_bytes, what):
    pixels = mpimg.imread(io.BytesIO(png_bytes), format="png")
    if pixels.size == 0 or float(pixels[..., :3].std()) < 0.01:
        fail(f"{what} is blank")


def check_numbers(page, stages):
    with open(os.path.join(os.path.dirname(page), "report.json")) as f:
        data = json.load(f)
    for run, epochs in data["runs"].items():
        steps = data["steps"].get(run, [])
        if len(steps) <= len(epochs) or not all(s["loss"] > 0 and s["lr"] > 0 for s in steps):
            fail(f"report.json: {run} has {len(steps)} step records for {len(epochs)} epochs")
    timed = {s["stage"]: s["seconds"] for s in data["stages"]}
    trained = [n for n in timed if n.startswith("train ")]
    if len(trained) != len(data["runs"]) or not all(timed[n] > 0 for n in trained):
        fail(f"report.json: training times {trained} for {len(data['runs'])} runs")
    for stage in stages:  # (a fast stage may take 0.000 s)
        if stage not in timed:
            fail(f"report.json: no time for stage {stage} (has {sorted(timed)})")


def main():
    page = sys.argv[1]
    check_numbers(page, sys.argv[2:])
    html = open(page, encoding="utf-8").read()
    figures = re.findall(r'<img alt="([^"]+)" src="data:image/png;base64,([^"]+)"', html)
    if len(figures) < 3:
        fail(f"{page}: {len(figures)} figures, expected training, candidates and time at least")
    for name, data in figures:
        not_blank(base64.b64decode(data), f"figure '{name}'")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        fail("no chromium (jobs/setup.sh installs it)")
    with tempfile.TemporaryDirectory() as tmp:
        shot = os.path.join(tmp, "shot.png")
        common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                  f"--user-data-dir={tmp}/profile", "--enable-logging=stderr", "--v=0"]
        url = "file://" + os.path.abspath(page)
        dom = subprocess.run(common + ["--dump-dom", url], capture_output=True, text=True, timeout=120)
        shot_run = subprocess.run(common + ["--window-size=1300,3000", f"--screenshot={shot}", url],
                                  capture_output=True, text=True, timeout=120)
        console = [line for line in (dom.stderr + shot_run.stderr).splitlines()
                   if "CONSOLE" in line and ("ERROR" in line or "Uncaught" in line or "Failed" in line)]
        if console:
            fail("console errors: " + " | ".join(console[:3]))
        if dom.stdout.count("data:image/png;base64,") != len(figures):
            fail(f"the rendered page holds {dom.stdout.count('data:image/png;base64,')} of {len(figures)} figures")
        if not os.path.exists(shot):
            fail(f"chromium wrote no screenshot: {shot_run.stderr[-300:]}")
        not_blank(open(shot, "rb").read(), "the screenshot")
    print(f"report ok: {len(figures)} figures, rendered by {os.path.basename(browser)}")


if __name__ == "__main__":
    main()
