"""Make a large made-up compound for the benchmarks (default: 10,000 households, 30,000 residents).

Only the people: each benchmark adds the records it measures (bench_points the ledger).

    python benchmarks/generate_compound.py --data-dir benchmarks/out/large
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from db.migrate import open_database  # noqa: E402
from station import onboarding  # noqa: E402
from station.demo import DEMO_STAFF, DEMO_STATION, DemoSize, compound_is_empty, generate as generate_people  # noqa: E402
from station.paths import backups_dir, database_path  # noqa: E402


def generate(data_dir: Path, households: int, residents: int) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    database = open_database(database_path(data_dir), backups_dir(data_dir))
    try:
        with database.read() as session:
            empty = compound_is_empty(session)
        if empty:
            started = time.perf_counter()
            with database.write() as session:
                acting = onboarding.acting_staff(session)
                staff_id = acting[0] if acting else onboarding.set_up(session, DEMO_STATION, DEMO_STAFF)
                generate_people(session, staff_id, DemoSize(households=households, residents=residents))
            print(f"generated {households} households, {residents} residents "
                  f"in {time.perf_counter() - started:.1f} s -> {database.path}")
        else:
            print(f"{database.path} has residents already; left as it is")
    finally:
        database.close()
    return database_path(data_dir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).parent / "out" / "large")
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--residents", type=int, default=30_000)
    args = parser.parse_args()
    generate(args.data_dir, args.households, args.residents)


if __name__ == "__main__":
    main()
