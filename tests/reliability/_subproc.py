"""Run a Python script in a real subprocess, wait for a line it prints, signal it, time its exit."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Script:
    """A running ``python -c`` child whose stdout lines are collected by a thread."""

    def __init__(self, code: str, env: dict | None = None) -> None:
        environment = {**os.environ, **(env or {})}
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
        # Ctrl-C raises KeyboardInterrupt in the child even when this runner ignores SIGINT
        # (background jobs of a non-interactive shell start with it ignored).
        prologue = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        self.process = subprocess.Popen(
            [sys.executable, "-c", prologue + textwrap.dedent(code)], cwd=ROOT, env=environment,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 60) -> None:
        """Wait until a line containing ``text`` was printed."""
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self._reader.join(1)
                raise AssertionError(f"never printed {text!r}; output:\n" + self.output())
            time.sleep(0.02)

    def exit_seconds(self, timeout: float = 60) -> float:
        """Seconds until the child exits (killed after ``timeout``)."""
        start = time.monotonic()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(5)
        return time.monotonic() - start

    def output(self) -> str:
        return "\n".join(self.lines)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
