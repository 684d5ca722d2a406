"""Take screenshots of a running Hindsight at desktop and phone width.

Usage: python scripts/screenshots.py http://127.0.0.1:8000 /services/ /deployments/ …
Signs in as the demo user; writes PNGs to test-artifacts/screens/.
"""

import shutil
import sys
from pathlib import Path

# Debian's Chromium, and the flags it runs with headless here and in the test suite's browser (conftest.py).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main(base, paths, username="demo", password="hindsight-demo"):
    from playwright.sync_api import sync_playwright

    out = Path("test-artifacts/screens")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, viewport in {"desktop": (1280, 900), "phone": (390, 844)}.items():
            context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, base_url=base)
            page = context.new_page()
            page.on("console", lambda m: m.type in ("error", "warning") and print("console:", m.type, m.text))
            page.goto("/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", password)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            for path in paths:
                page.goto(path)
                name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
                page.screenshot(path=str(out / f"{name}-{label}.png"), full_page=True)
                print("saved", out / f"{name}-{label}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:] or ["/"])
