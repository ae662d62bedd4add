"""``python -m fupin`` and the ``fupin`` command of a pip install: the Rust command line.

The wheel carries the same ``fupin`` binary as ``cargo install`` builds (every subcommand,
``serve`` included) inside the package; this module only finds it and runs it, passing the
arguments, the exit code and the signals through (``exec`` on POSIX). It is a binary in the
wheel, like ninja's or cmake's, rather than the command compiled into the extension module: one
CLI for cargo and pip users, started without an interpreter's worth of imports, and no second
build of the command-line code inside the Python module.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["binary", "main"]


def binary() -> Path | None:
    """The bundled ``fupin`` executable, or None in a source checkout (``maturin develop``)."""
    name = "fupin.exe" if os.name == "nt" else "fupin"
    path = Path(__file__).with_name("_bin") / name
    return path if path.is_file() else None


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: this process's arguments)."""
    args = sys.argv[1:] if argv is None else argv
    exe = binary()
    if exe is None:
        sys.stderr.write(
            "fupin: the command is bundled in fupin's wheels (pip install fupin); in a source "
            "checkout run `cargo run -p fupin-cli -- ...` or `cargo install --path crates/fupin-cli`\n"
        )
        return 2
    if os.name == "nt" or argv is not None:
        return subprocess.run([str(exe), *args], check=False).returncode
    os.execv(exe, [str(exe), *args])  # pragma: no cover - replaces the process


if __name__ == "__main__":
    sys.exit(main())
