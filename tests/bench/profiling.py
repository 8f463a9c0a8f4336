"""The top of a profile, for the "what bounds it" column of a benchmark's fragment (tests/bench/fragment.py)."""

import cProfile
import pstats
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def profile_top(fn, entries: int = 4) -> str:
    """What fn spends its time in: the project's functions by time including what they call, then the functions
    that take the most time themselves (shares of the whole)."""
    prof = cProfile.Profile()
    prof.runcall(fn)
    stats = pstats.Stats(prof).stats
    total = max(row[3] for row in stats.values()) or 1

    def label(key) -> str:
        path, _, name = key
        builtin = re.match(r"<(?:method|built-in method) '?([\w.]+)'?(?: of '([\w.]+)')?", name)
        if path == "~" and builtin:
            return f"{builtin.group(2) or 'builtin'}.{builtin.group(1)}".replace("_thread.lock.acquire",
                                                                                "waiting on Prefect's client thread")
        return f"{Path(path).stem}.{name}"

    ours, shares = [], set()  # of functions that share one figure (a wrapper and what it wraps), the first
    for key, row in sorted(stats.items(), key=lambda item: item[1][3], reverse=True):
        share = round(100 * row[3] / total)
        if str(ROOT) in key[0] and ".venv" not in key[0] and share < 90 and share not in shares and len(ours) < entries:
            ours.append((key, row))
            shares.add(share)
    own = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:entries]
    return (", ".join(f"{label(key)} {row[3] / total:.0%}" for key, row in ours) + "; own time: "
            + ", ".join(f"{label(key)} {row[2] / total:.0%}" for key, row in own))
