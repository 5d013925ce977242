"""`make lint` formats everything; `# fmt: skip` stays only where a table reads better packed, and
a comment says so: on the same line after the marker, or once in the file naming `# fmt: skip`."""

from __future__ import annotations

import re
from pathlib import Path

import kabinet

PACKAGE = Path(kabinet.__file__).resolve().parent
MARKER = re.compile(r"#\s*fmt:\s*(skip|off)\b")
REASON = re.compile(r"#.*`# fmt: skip`")


def test_every_fmt_skip_comes_with_a_comment_saying_why():
    unexplained = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if ".venv" in path.parts:
            continue
        text = path.read_text()
        bare = [  # a marker with no reason after it on its own line
            line
            for line in text.splitlines()
            if MARKER.search(line)
            and "`" not in line
            and not MARKER.split(line, 1)[-1].strip(" )(")
        ]
        if bare and not REASON.search(text):
            unexplained.append(str(path.relative_to(PACKAGE)))
    assert unexplained == [], f"# fmt: skip without a comment saying why: {unexplained}"
