"""parallel_map: results in input order, and workers that stop quietly.

The command installs a SIGTERM handler that raises KeyboardInterrupt (for cleanup); forked
workers inherit it, and the pool ends them with SIGTERM, which printed a traceback per worker.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from convenantgen.parallel import parallel_map


def _square(x: int) -> int:
    return x * x


def test_results_come_back_in_input_order():
    assert parallel_map(_square, list(range(100)), workers=2) == [x * x for x in range(100)]


def test_workers_stop_without_a_traceback_under_the_commands_sigterm_handler():
    script = textwrap.dedent(
        """
        import signal
        from convenantgen.parallel import parallel_map

        def interrupt(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, interrupt)
        for _ in range(5):
            assert parallel_map(abs, list(range(-200, 0)), workers=2) == list(range(200, 0, -1))
        print("done")
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "done"
    assert "Traceback" not in run.stderr and "KeyboardInterrupt" not in run.stderr, run.stderr


def _pid_of(_: int) -> int:
    import os
    import time

    time.sleep(0.05)  # long enough that the parent's own work overlaps the workers'
    return os.getpid()


def test_while_waiting_runs_once_in_this_process_while_the_workers_work():
    import os

    seen: list[int] = []
    workers = parallel_map(
        _pid_of, list(range(20)), workers=2, while_waiting=lambda: seen.append(os.getpid())
    )
    assert seen == [os.getpid()]
    assert os.getpid() not in workers  # the items went to the workers
    # Too little work for a pool: it still runs, once, after the items.
    seen.clear()
    assert parallel_map(_square, [3], workers=2, while_waiting=lambda: seen.append(1)) == [9]
    assert seen == [1]
