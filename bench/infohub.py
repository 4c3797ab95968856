"""The public hub's weight and speed on a phone's slow network (`python -m bench --only infohub`).

The hub runs as it is deployed: central (its own SQLite database) seeds the demo content and publishes a
signed bundle; a hub (CORREDOR_MODE=hub, another database) pulls it and serves on loopback. Then:

- the home page's weight: the page and everything it loads (script, icon, manifest; the map is not on the
  home page), each body gzip-compressed as a server or proxy in front would send it; target < 100 KB;
- first contentful paint in Chromium with the network emulated as DevTools' "Slow 3G" preset (CDP
  `Network.emulateNetworkConditions`: 2,000 ms latency, 50,000 bytes/s each way), on a first visit (nothing
  saved) and on a later visit when the signal is gone (the service worker's saved copy). DevTools' preset
  puts 2 s of latency on every request, so a first visit cannot paint before 2 s: the page is built to paint
  after that one round trip (its stylesheet is inlined).

Standalone: `python -m bench.infohub` prints the figures as JSON.
"""

import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CORREDOR_CHROMIUM", "/usr/bin/chromium")
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
SEED = (
    "import random; from corredor.core.audit import SYSTEM, acting_as; from corredor.infohub import demo\n"
    "with acting_as(SYSTEM): print(demo.seed(rng=random.Random(1)))"
)
FCP = (
    "new Promise((resolve) => { const seen = performance.getEntriesByName('first-contentful-paint');"
    " if (seen.length) return resolve(seen[0].startTime);"
    " new PerformanceObserver((list) => { for (const e of list.getEntries())"
    " if (e.name === 'first-contentful-paint') resolve(e.startTime); })"
    ".observe({type: 'paint', buffered: true});"
    " })"
)


def _corredor(args: list[str], env: dict[str, str]) -> None:
    script = Path(sys.executable).with_name("corredor")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "corredor.cli"]
    subprocess.run([*command, *args], env=env, cwd=REPO, check=True, capture_output=True, timeout=600)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_hub(tmp: str) -> tuple[str, subprocess.Popen[bytes]]:
    base_env = {**os.environ, "CORREDOR_COUNTRY": "CRI", "DEBUG": "0"}
    base_env.pop("DJANGO_SETTINGS_MODULE", None)
    central = {
        **base_env,
        "DATABASE_URL": f"sqlite:///{tmp}/central.sqlite3",
        "CORREDOR_DATA_DIR": f"{tmp}/c",
    }
    hub = {
        **base_env,
        "CORREDOR_MODE": "hub",
        "DATABASE_URL": f"sqlite:///{tmp}/hub.sqlite3",
        "CORREDOR_DATA_DIR": f"{tmp}/h",
    }
    _corredor(["migrate", "--no-input", "-v", "0"], central)
    _corredor(["refdata", "load"], central)
    _corredor(["shell", "-c", SEED], central)
    _corredor(["hub", "publish", "--output", f"{tmp}/bundle.json"], central)
    _corredor(["migrate", "--no-input", "-v", "0"], hub)
    _corredor(["hub", "pull", f"{tmp}/bundle.json"], hub)
    port = _free_port()
    script = Path(sys.executable).with_name("corredor")
    process = subprocess.Popen(
        [str(script), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=hub,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/hub/es/", timeout=2):
                return base, process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("the hub did not start")


def run(*, quick: bool = False) -> dict[str, Any]:
    """The figures: home page bytes (raw, compressed), first contentful paint cold and from the saved copy."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="corredor-bench-hub-") as tmp:
        base, process = _start_hub(tmp)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
                )
                # Weight: every response the home page loads (a fresh phone, no saved copy).
                context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
                page = context.new_page()
                bodies: dict[str, bytes] = {}
                page.on("response", lambda r: bodies.__setitem__(r.url, r.body()) if r.ok else None)
                page.goto(f"{base}/hub/es/", wait_until="networkidle")
                raw = sum(len(b) for b in bodies.values())
                compressed = sum(len(gzip.compress(b, 6)) for b in bodies.values())
                context.close()
                # First visit on Slow 3G.
                cold = []
                for _ in range(1 if quick else 3):
                    context = browser.new_context(viewport={"width": 360, "height": 740})
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
                    page.goto(f"{base}/hub/es/", wait_until="commit", timeout=60_000)
                    cold.append(float(page.evaluate(FCP)))
                    context.close()
                # A later visit without signal: the saved copy.
                context = browser.new_context(
                    viewport={"width": 360, "height": 740}, service_workers="allow", bypass_csp=True
                )
                page = context.new_page()
                page.goto(f"{base}/hub/es/")
                page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=20_000)
                page.reload()
                page.wait_for_function("document.body.dataset.saved === 'es'", timeout=20_000)
                context.set_offline(True)
                page.goto(f"{base}/hub/es/")
                saved = float(page.evaluate(FCP))
                context.close()
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=10)
    return {
        "home_bytes": raw,
        "home_compressed_bytes": compressed,
        "resources": len(bodies),
        "fcp_slow3g_first_visit_ms": sorted(cold)[len(cold) // 2],
        "fcp_saved_copy_ms": saved,
        "runs": len(cold),
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
