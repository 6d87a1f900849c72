"""Shared helpers for the benchmarks: paths, the context, timing, peak RSS, PSNR, results."""
from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"
RESULTS = WORK / "results.json"
IMAGE_EXTS = {".jpg", ".jpeg", ".png"}


def ours_bin() -> Path:
    """The `dataset` binary under test: the release build; DATASET_BIN overrides it."""
    return Path(os.environ.get("DATASET_BIN") or ROOT / ".build" / "release" / "dataset")


@dataclass
class Context:
    """What every benchmark gets: the corpus, a scratch area, the binary and the run settings."""
    corpus: Path                 # class-folder tree of JPEGs
    corpus_info: dict            # the corpus stamp (counts, sources, special files)
    ours: Path
    jobs: int
    runs: int
    scratch: Path = WORK / "scratch"


@dataclass
class Figure:
    """One measured number; `target` is (op, value) with op in '>=', '<', or None for info."""
    bench: str
    label: str
    value: float | None
    unit: str
    target: tuple[str, float] | None = None
    note: str = ""

    def status(self) -> str:
        if self.value is None:
            return "n/a"
        if self.target is None:
            return ""
        op, t = self.target
        ok = self.value >= t if op == ">=" else self.value < t
        return "ok" if ok else "MISS"


@dataclass
class RunResult:
    rc: int
    seconds: float
    cpu_seconds: float           # user + system time of the child and its waited-for children
    maxrss_mb: float
    stdout: str
    stderr: str
    summary: dict | None = field(default=None)   # parsed `--json` line, if any


def log(msg: str) -> None:
    """Progress notes go to stderr; figure lines go to stdout."""
    print(msg, file=sys.stderr, flush=True)


def fresh_dir(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def list_images(root: Path) -> list[Path]:
    """Sorted relative paths of the image files under root."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames:
            if os.path.splitext(name)[1].lower() in IMAGE_EXTS:
                out.append(Path(dirpath, name).relative_to(root))
    return sorted(out)


def warm_cache(root: Path) -> int:
    """Read every file once so all contenders start from a warm page cache; returns bytes read."""
    total = 0
    for rel in list_images(root):
        with open(root / rel, "rb") as f:
            total += len(f.read())
    return total


TIME = Path("/usr/bin/time")


def run_measured(cmd: list[str], scratch: Path) -> RunResult:
    """Run cmd, timing wall clock and taking the child's peak RSS from wait4 (its own rusage,
    so the peers' pool workers started by this process never mix in).

    Linux counts the RSS a forked child had before exec (a copy of this Python process, with
    numpy, OpenCV and the peers' arrays) in the child's ru_maxrss. So the command is started
    through GNU time, a small process, which reports its own child's peak RSS; wait4 is the
    fallback when /usr/bin/time is missing (its figure is then at least this process's RSS)."""
    scratch.mkdir(parents=True, exist_ok=True)
    out_path, err_path = scratch / "stdout.txt", scratch / "stderr.txt"
    rss_path = scratch / "maxrss.txt"
    rss_path.unlink(missing_ok=True)
    if os.access(TIME, os.X_OK):
        cmd = [str(TIME), "-f", "%M", "-o", str(rss_path), *cmd]
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        except OSError as e:
            return RunResult(127, 0.0, 0.0, 0.0, "", f"cannot start {cmd[0]}: {e}")
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(errors="replace")
    maxrss_kb = float(usage.ru_maxrss)
    try:
        maxrss_kb = float(rss_path.read_text().split()[-1])
    except (OSError, ValueError, IndexError):
        pass
    return RunResult(proc.returncode, seconds, usage.ru_utime + usage.ru_stime,
                     maxrss_kb / 1024.0, stdout,
                     err_path.read_text(errors="replace"), _last_json(stdout))


def cpu_seconds() -> float:
    """User + system time so far of this process and its reaped children (e.g. pool workers)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _last_json(text: str) -> dict | None:
    """The `--json` summary: the whole stdout, or failing that its last line that parses."""
    for chunk in [text] + text.strip().splitlines()[::-1]:
        try:
            value = json.loads(chunk)
            if isinstance(value, dict):
                return value
        except ValueError:
            continue
    return None


def tail(text: str, lines: int = 8) -> str:
    return "\n".join("    " + l for l in text.strip().splitlines()[-lines:])


def psnr(a, b) -> float:
    """PSNR in dB of two uint8 arrays of one shape (capped at 100 for identical images)."""
    import numpy as np
    if a.shape != b.shape:
        return 0.0
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 100.0 if mse == 0 else min(100.0, 10.0 * np.log10(255.0 ** 2 / mse))


def machine_info() -> dict:
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform()}


def save_results(section: str, data: dict, extra: dict) -> None:
    """Merge one benchmark's figures into work/results.json (other sections are kept)."""
    WORK.mkdir(parents=True, exist_ok=True)
    try:
        results = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        results = {}
    results.update(extra)
    results.setdefault("benchmarks", {})[section] = data
    results["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    RESULTS.write_text(json.dumps(_rounded(results), indent=2, sort_keys=True) + "\n")


def _rounded(obj):
    if isinstance(obj, float):
        return round(obj, 4)
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_rounded(v) for v in obj]
    return obj


def print_summary(figures: list[Figure]) -> None:
    """The closing table: every figure with its target and whether it was met."""
    rows = [("benchmark", "figure", "value", "target", "")]
    for f in figures:
        digits = 0 if f.value is None or abs(f.value) >= 100 else 1 if abs(f.value) >= 10 else 2
        value = "n/a" if f.value is None else f"{f.value:,.{digits}f}"
        target = "" if f.target is None else f"{f.target[0]} {f.target[1]:g}"
        rows.append((f.bench, f.label, value if f.value is None else f"{value} {f.unit}", target,
                     f.status()))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    print()
    for n, r in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
