"""The memory and time the demo campaign's evidence package takes to build, against building it in memory.

    .venv/bin/python benchmarks/evidence_memory.py [--var DIR]

Loads the demo (oretrace.web.demo.load_demo, two or three minutes) into a SQLite database in a temporary
folder (or reuses the one in ``--var DIR``, kept from an earlier run), then measures:

1. the worker as it runs in production: a fresh ``python -m oretrace.web build_evidence --once`` process
   builds the queued package; its time and its peak resident memory (VmHWM, Linux's count for the
   process: Python, Django, the campaign's data and the build), against the same process started with
   nothing to build;
2. in this process, under tracemalloc: the peak of Python's allocations while the package is gathered
   and written (documents.prepare and documents.evidence_package, as the worker calls them), against
   the old way of building it in the same run: every member read into a dict and the ZIP assembled in a
   BytesIO (what the web did before issue 10, from the same members).

Exits with status 1 when the worker's peak resident memory is above the target (300 MB).
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

TARGET_MB = 300
MB = 1 << 20


# The worker, reporting its own peak resident memory. Not getrusage: Linux carries a process's maxrss over
# fork and exec, so a child would report this process's peak (the demo loaded) as its own; VmHWM belongs
# to the memory map exec made afresh.
WORKER = """
import sys
from oretrace.web.__main__ import main
try:
    main(["build_evidence", "--once"])
finally:
    with open("/proc/self/status") as status:
        peak = next(line for line in status if line.startswith("VmHWM:"))
    print("PEAK-KB", peak.split()[1], file=sys.stderr)
"""


def worker(env: dict[str, str]) -> tuple[float, float]:
    """Run the evidence worker once in a fresh process: (seconds, peak resident MB)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WORKER], env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    peak = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("PEAK-KB")]
    if done.returncode != 0 or not peak:
        sys.exit(f"build_evidence failed:\n{done.stdout}{done.stderr}")
    return took, int(peak[0]) / 1024


def traced(work) -> tuple[float, float]:
    """(seconds, peak traced MB) of ``work()``."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        work()
        took = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return took, peak / MB


def in_memory(package: Path) -> int:
    """The package built as before: every member's bytes in a dict, the ZIP in a BytesIO, its bytes
    taken out to be sent (the members read back from the streamed package, so the two hold the same)."""
    with zipfile.ZipFile(package) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return len(buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var", type=Path, help="a folder a previous run loaded the demo into")
    args = parser.parse_args()
    if not Path("/proc/self/status").exists():
        sys.exit("This benchmark reads the worker's peak memory from /proc (Linux).")
    folder = (
        args.var.resolve().parent if args.var else Path(tempfile.mkdtemp(prefix="oretrace-bench-evidence-"))
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("ORETRACE_", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "oretrace.web.settings",
        "ORETRACE_VAR_DIR": str(folder / "var"),
        "ORETRACE_DEMO": "1",
    }
    os.environ.update(env)
    import django
    from django.core.cache import cache
    from django.core.management import call_command

    django.setup()
    from oretrace.web.campaigns.models import Campaign, Submission
    from oretrace.web.demo import load_demo
    from oretrace.web.reports import documents
    from oretrace.web.reports.models import EvidenceBuild

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    if not Campaign.objects.exists():
        load_demo(log=lambda _: None)
        print(f"Demo loaded in {time.perf_counter() - started:.0f} s into {folder / 'var'}")
    campaign = Campaign.objects.get(closed=False)
    EvidenceBuild.objects.all().delete()
    files = Submission.objects.filter(request__campaign=campaign)
    print(
        f"{files.count()} supplier files in the campaign, "
        f"{sum(files.values_list('size', flat=True)) / MB:.1f} MB as received"
    )

    _, idle_rss = worker(env)  # nothing queued: Python, Django and the worker's loop
    EvidenceBuild.request(campaign, "benchmark")
    took, rss = worker(env)
    build = EvidenceBuild.objects.get(campaign=campaign)
    if build.status != EvidenceBuild.Status.DONE:
        sys.exit(f"The build did not finish: {build.error}")
    print(f"Package: {build.members_total} members, {build.size / MB:.1f} MB")
    print(
        f"  worker process, building    {took:6.1f} s   peak resident {rss:6.0f} MB"
        f"   ({rss - idle_rss:.0f} MB above the idle worker's {idle_rss:.0f} MB)"
    )

    package = folder / "streamed.zip"
    cache.clear()  # gather the data afresh, as the worker does

    def streamed() -> None:
        with package.open("wb") as out:
            documents.evidence_package(documents.prepare(campaign), out)

    streamed_s, streamed_mb = traced(streamed)
    baseline_s, baseline_mb = traced(lambda: in_memory(package))
    print(
        f"  streamed (tracemalloc)      {streamed_s:6.1f} s   peak traced   {streamed_mb:6.0f} MB"
        f"   {streamed_mb / (package.stat().st_size / MB):.2f}x the package's size"
    )
    print(
        f"  baseline: in memory         {baseline_s:6.1f} s   peak traced   {baseline_mb:6.0f} MB"
        f"   the streamed build takes {baseline_mb / streamed_mb:.1f}x less memory"
    )
    if rss > TARGET_MB:
        print(f"ABOVE TARGET: the worker's peak is {rss:.0f} MB, the target at most {TARGET_MB} MB")
        sys.exit(1)


if __name__ == "__main__":
    main()
