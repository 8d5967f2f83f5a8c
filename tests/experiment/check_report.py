#!/usr/bin/env python3
"""Looks at a run report as a user would: every figure embedded in the page decodes and is not
blank, then Debian's chromium renders the page headless (offline: the page needs nothing else),
logging nothing at console error level, with every figure in its DOM, into a screenshot that is
not blank. Usage: check_report.py REPORT.html   (exit 1 with the reason)"""
import base64
import io
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


def main():
    page = sys.argv[1]
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
