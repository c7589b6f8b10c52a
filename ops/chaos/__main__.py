"""`make chaos`: run every fault scenario (or those named) and print its figures.

Exits non-zero when a scenario loses, duplicates or fails a user's action.
"""

import sys

from ops.chaos.processes import running_stack
from ops.chaos.scenarios import SCENARIOS


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        print(f"Unknown scenario(s): {', '.join(unknown)}. Known: {', '.join(SCENARIOS)}")
        return 2
    results = []
    with running_stack() as stack:
        for name in names or list(SCENARIOS):
            print(f"… {name}", flush=True)
            results.append(SCENARIOS[name](stack))
    header = f"{'scenario':<46} {'actions':>7} {'lost':>5} {'dup':>4} {'errors':>6} "
    print(header + f"{'slowest s':>9} {'recover s':>9}")
    for r in results:
        print(
            f"{r.scenario:<46} {r.actions:>7} {r.lost:>5} {r.duplicated:>4} {r.errors:>6} "
            f"{r.slowest_s:>9.2f} {r.recover_s:>9.2f}"
        )
    return 1 if any(r.lost or r.duplicated or r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
