"""Run every benchmark script in bench/ (``make bench``), one after the other.

Each script prints its own numbers; this exits non-zero if any of them fails.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(
        path
        for path in HERE.glob("*.py")
        if path.name != "run.py" and not path.name.startswith("_")
    )
    failed = []
    for script in scripts:
        print(f"## {script.stem}\n", flush=True)
        result = subprocess.run([sys.executable, str(script)], check=False)  # noqa: S603
        if result.returncode:
            failed.append(script.name)
        print(flush=True)
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
