"""The README's promises that can be checked here: its Python examples print what their
last comment says, and it stays short enough to read (issue 18: at most 10 KB)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_the_readme_stays_within_10_kb():
    assert len(README.encode()) < 10_000


def test_every_python_example_in_the_readme_prints_what_it_says():
    examples = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)
    assert examples
    for code in examples:
        promised = code.rstrip().rsplit("# ", 1)[1].strip()
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                              text=True, timeout=120, check=True)  # fmt: skip
        assert done.stdout.strip() == promised
