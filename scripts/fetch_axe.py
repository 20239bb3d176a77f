"""Fetch axe-core, the accessibility checker the browser tests inject, from the npm
registry into .venv/share/ (ignored by git), once, and check the tarball's integrity.

Run by scripts/test.sh; needs neither node nor npm. Prints the path of axe.min.js.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
# The registry's dist.integrity for this version (`npm view axe-core@4.14.1 dist.integrity`).
INTEGRITY = (
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37Ogud"
    "VGtQ=="
)
ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / ".venv" / "share" / f"axe-core-{VERSION}" / "axe.min.js"


def fetch() -> Path:
    if AXE.exists():
        return AXE
    with urllib.request.urlopen(TARBALL, timeout=60) as response:
        packed = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(packed).digest()).decode()
    if digest != INTEGRITY:
        raise SystemExit(f"axe-core {VERSION}: the tarball's digest is not the registry's")
    with tarfile.open(fileobj=io.BytesIO(packed), mode="r:gz") as archive:
        script = archive.extractfile("package/axe.min.js")
        if script is None:
            raise SystemExit(f"axe-core {VERSION}: no axe.min.js in the tarball")
        AXE.parent.mkdir(parents=True, exist_ok=True)
        AXE.write_bytes(script.read())
    return AXE


if __name__ == "__main__":
    print(fetch().relative_to(ROOT), file=sys.stdout)
