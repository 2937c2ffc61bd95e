"""axe-core, the accessibility checker, from the npm registry, for browser tests to inject.

The package is pinned and checked against the registry's integrity hash, then kept in the
virtualenv, so a test run needs the registry only once (`make test` fetches it up front:
`python -m tests.browser.axe`). Node.js is not needed: the tarball holds the built script.
"""

import base64
import hashlib
import io
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
URL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
# The registry's "integrity" of that tarball (npm view axe-core@4.14.1 dist.integrity).
INTEGRITY = (
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFN"
    "NtuFooJpZe37OgudVGtQ=="
)
SCRIPT = Path(__file__).resolve().parents[2] / ".venv" / "npm" / f"axe-core-{VERSION}.min.js"

# What a page must not have; "moderate" and "minor" findings are left to review.
BLOCKING_IMPACTS = ("serious", "critical")


def source():
    """The text of axe.min.js, fetched and verified on first use."""
    if not SCRIPT.exists():
        fetch()
    return SCRIPT.read_text(encoding="utf-8")


def fetch():
    with urllib.request.urlopen(URL, timeout=60) as response:
        tarball = response.read()
    digest = base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if f"sha512-{digest}" != INTEGRITY:
        raise RuntimeError(f"{URL} does not match its pinned integrity hash.")
    with tarfile.open(fileobj=io.BytesIO(tarball)) as archive:
        script = archive.extractfile("package/axe.min.js").read()
    SCRIPT.parent.mkdir(parents=True, exist_ok=True)
    SCRIPT.write_bytes(script)


def violations(page):
    """The serious and critical violations axe finds on the page as it is now."""
    page.add_script_tag(content=source())
    found = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in found
        if violation["impact"] in BLOCKING_IMPACTS
    ]


if __name__ == "__main__":
    source()
