"""Load generation and servers for bench/listings.py: wrk (preferred) or an asyncio httpx fallback,
latency histograms that merge exactly, and uvicorn subprocesses with their CPU time."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

BENCH_DIR = Path(__file__).resolve().parent
WRK_SCRIPT = BENCH_DIR / "listings_wrk.lua"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Measurement:
    """Requests over wall-clock seconds, with a latency histogram in microseconds."""

    requests: int = 0
    seconds: float = 0.0
    errors: int = 0
    cpu_seconds: float = 0.0
    histogram: Counter[int] = field(default_factory=Counter)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_percent(self) -> float:
        """The server process's CPU use while measured (100 = one core)."""
        return 100 * self.cpu_seconds / self.seconds if self.seconds else 0.0

    def percentile_ms(self, percent: float) -> float:
        total = sum(self.histogram.values())
        if not total:
            return float("nan")
        rank = percent / 100 * total
        seen = 0
        for micros in sorted(self.histogram):
            seen += self.histogram[micros]
            if seen >= rank:
                return micros / 1000
        return max(self.histogram) / 1000

    def add(self, other: Measurement) -> None:
        self.requests += other.requests
        self.seconds += other.seconds
        self.errors += other.errors
        self.cpu_seconds += other.cpu_seconds
        self.histogram.update(other.histogram)


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    base_url: str, paths: list[str], seconds: float, connections: int, authorization: str | None
) -> Measurement:
    """wrk, one thread (a single-worker server needs no more), cycling through `paths`."""
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder:
        paths_file, out_file = Path(folder) / "paths.txt", Path(folder) / "out.json"
        paths_file.write_text("\n".join(paths) + "\n", encoding="utf-8")
        env = os.environ | {
            "BENCH_PATHS": str(paths_file),
            "BENCH_OUT": str(out_file),
            "BENCH_AUTHORIZATION": authorization or "",
        }
        command = [
            "wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
            "-s", str(WRK_SCRIPT), base_url,
        ]  # fmt: skip
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=seconds + 90)  # noqa: S603
        data = json.loads(out_file.read_text(encoding="utf-8"))
    return Measurement(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=sum(data["errors"].values()),
        histogram=Counter(dict(data["histogram"])),
    )


def run_httpx(
    base_url: str, paths: list[str], seconds: float, connections: int, authorization: str | None
) -> Measurement:
    """The fallback: `connections` asyncio clients, each sending its next request when answered."""
    return asyncio.run(_httpx_load(base_url, paths, seconds, connections, authorization))


async def _httpx_load(
    base_url: str, paths: list[str], seconds: float, connections: int, authorization: str | None
) -> Measurement:
    result = Measurement()
    headers = {"Authorization": authorization} if authorization else {}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=30) as client:
        started = time.perf_counter()
        deadline = started + seconds

        async def worker(offset: int) -> None:
            index = offset
            while time.perf_counter() < deadline:
                index += 1
                sent = time.perf_counter()
                try:
                    response = await client.get(paths[index % len(paths)])
                    ok = response.status_code < 400
                except httpx.HTTPError:
                    ok = False
                result.requests += 1
                result.errors += 0 if ok else 1
                result.histogram[round((time.perf_counter() - sent) * 1e6)] += 1

        await asyncio.gather(*(worker(n * 7919) for n in range(connections)))
        result.seconds = time.perf_counter() - started
    return result


class Server:
    """A uvicorn server (one worker, production-like flags) in a subprocess of its own."""

    def __init__(
        self,
        name: str,
        target: str,
        port: int,
        env: dict[str, str],
        *,
        factory: bool,
        cwd: Path | None = None,
    ) -> None:
        self.name, self.port = name, port
        self.base_url = f"http://127.0.0.1:{port}"
        command = [
            sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port),
            "--workers", "1", "--log-level", "warning", "--no-access-log", "--app-dir", str(BENCH_DIR),
        ]  # fmt: skip
        if factory:
            command.append("--factory")
        self.log = tempfile.NamedTemporaryFile(prefix=f"bench-{name}-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603
            command,
            cwd=cwd or BENCH_DIR.parent,
            env=os.environ | env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.process.returncode}; see {self.log.name}")
            try:
                if httpx.get(self.base_url + path, timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name} did not answer {path} within {timeout:.0f} s; see {self.log.name}")

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the server process so far (from /proc)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
