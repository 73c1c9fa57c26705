"""Executing a section's code in a Jupyter kernel, and stopping the kernels still running."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat

from ..model import WorkbenchError
from .cache import CellOutputs, Run

# Quiet MXNet on CPU: no operator-tuning pass at import, no subgraph chatter, no cuDNN probe;
# SciPy's warning about the pinned numpy is noise in every section's first cell.
KERNEL_ENV = {
    "MXNET_USE_OPERATOR_TUNING": "0",
    "MXNET_SUBGRAPH_VERBOSE": "0",
    "MXNET_CUDNN_AUTOTUNE_DEFAULT": "0",
    "MXNET_STORAGE_FALLBACK_LOG_VERBOSE": "0",
    "PYTHONWARNINGS": "ignore:A NumPy version:UserWarning",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


_specs_lock = threading.Lock()
_specs: Any = None


def kernel_specs() -> Any:
    """A kernel spec manager whose `python3` is this very Python (sys.executable).

    The installed python3 spec may point at another interpreter (a bare `python` on PATH, a
    system Python without mxnet); on a fresh CI machine there may be none. A spec written into
    a temporary folder for this process avoids both.
    """
    global _specs
    with _specs_lock:
        if _specs is None:
            from jupyter_client.kernelspec import KernelSpecManager

            folder = Path(tempfile.mkdtemp(prefix="workbench-kernels-"))
            atexit.register(shutil.rmtree, folder, True)
            (folder / "python3").mkdir()
            spec = {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (workbench)",
                "language": "python",
            }
            (folder / "python3" / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
            _specs = KernelSpecManager(kernel_dirs=[str(folder)], ensure_native_kernel=False)
        return _specs


def kernel_env(lib: Path, threads: int | None = None) -> dict[str, str]:
    """The kernel's environment: the d2l library first on the path, MXNet quiet on CPU."""
    env = dict(os.environ)
    env.update({k: v for k, v in KERNEL_ENV.items() if k not in os.environ})
    env["PYTHONPATH"] = os.pathsep.join([str(lib)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    if threads and "OMP_NUM_THREADS" not in os.environ:
        # parallel kernels share the cores: one OpenMP pool per kernel would oversubscribe them
        env["OMP_NUM_THREADS"] = str(threads)
    return env


def _error_output(ename: str, evalue: str) -> dict[str, Any]:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}


def execute(code: list[str], cwd: Path, env: dict[str, str], timeout: float = 600, log: Path | None = None) -> Run:
    """Run a notebook's code cells in a fresh kernel, once; a raising cell is recorded, not fatal.

    A cell that times out, or a kernel that dies, ends the run there (the kernel is shut down;
    the next notebook gets a new one) and the run is marked incomplete. The kernel process's
    own stdout and stderr (start-up chatter, a crash message) go to `log`, not to the terminal.
    """
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in code])
    started = time.monotonic()
    km, client = _client(nb, timeout)
    executed, complete = 0, True
    cwd.mkdir(parents=True, exist_ok=True)
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
    sink = log.open("wb") if log is not None else open(os.devnull, "wb")  # noqa: SIM115
    try:
        # cleanup_kc: shut the kernel down afterwards although the manager is ours, not nbclient's
        with sink, client.setup_kernel(env=env, cwd=str(cwd), stdout=sink, stderr=sink, cleanup_kc=True), \
                _running(km):
            # the count after each cell, kept when the kernel then fails to shut down
            for executed, complete in _run_cells(client, km, nb, timeout, log):  # noqa: B007
                pass
    except Exception as e:  # the kernel did not start, or did not shut down cleanly
        if executed < len(nb.cells) and complete:
            nb.cells[executed].outputs.append(_error_output(type(e).__name__, f"kernel failed: {str(e).strip()[:300]}"))
            executed += 1
            complete = False
        _shut_down(km)
    cells = [CellOutputs([dict(o) for o in json.loads(json.dumps(c.outputs))], c.execution_count) for c in nb.cells]
    return Run(cells, complete, time.monotonic() - started, executed)


def _client(nb: Any, timeout: float) -> tuple[Any, Any]:
    """A kernel manager for this very Python and the notebook client that runs `nb` on it."""
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    # the async manager: with a blocking client nbclient's output poll would block its
    # timeout and dead-kernel checks (a cell over its time limit would run on unnoticed)
    km = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=kernel_specs())
    client = NotebookClient(
        nb, km=km, timeout=timeout, allow_errors=True, interrupt_on_timeout=False,
        record_timing=False, shutdown_kernel="immediate", startup_timeout=120,
    )
    return km, client


def _run_cells(client: Any, km: Any, nb: Any, timeout: float, log: Path | None) -> Iterator[tuple[int, bool]]:
    """Run the cells in order, yielding (cells executed, complete) after each; a cell that times
    out or a kernel that dies gets the error as its output and ends the run."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    for i, cell in enumerate(nb.cells):
        try:
            client.execute_cell(cell, i)
        except CellTimeoutError:
            cell.outputs.append(_error_output("CellTimeoutError", f"cell did not finish within {timeout:g} s"))
            yield i + 1, False
            return
        except DeadKernelError:
            cell.outputs.append(_error_output("DeadKernelError", f"the kernel died ({_why_dead(km, log)})"))
            yield i + 1, False
            return
        yield i + 1, True


def _why_dead(km: Any, log: Path | None) -> str:
    """Why a kernel died: the last line it wrote, else its exit code, else "no message"."""
    from jupyter_core.utils import run_sync

    why = _last_line(log)
    if not why:
        try:
            why = f"exit code {run_sync(km.provisioner.poll)()}" if km.provisioner else ""
        except Exception:  # noqa: BLE001 - only a detail of the message
            why = ""
    return why or "no message"


def _shut_down(km: Any) -> None:
    """Shut down a kernel that started but never became ready, so it is not left behind."""
    from jupyter_core.utils import run_sync

    try:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - already failing; the error is recorded by the caller
        pass


_kernels_lock = threading.Lock()
_kernels: set[Any] = set()


@contextlib.contextmanager
def _running(km: Any) -> Iterator[None]:
    """Track a started kernel, so that an interrupted build can stop it."""
    with _kernels_lock:
        _kernels.add(km)
    try:
        yield
    finally:
        with _kernels_lock:
            _kernels.discard(km)


def stop_kernels() -> None:
    """Kill the kernels still running (ctrl-c): their threads then end at once, on a dead kernel."""
    with _kernels_lock:
        kms = list(_kernels)
    for km in kms:
        pid = getattr(km.provisioner, "pid", None)
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _last_line(log: Path | None) -> str:
    """The last line a dead kernel wrote (a crash message), if any."""
    try:
        lines = [x for x in log.read_text(encoding="utf-8", errors="replace").splitlines() if x.strip()] if log else []
    except OSError:
        return ""
    lines = [x for x in lines if "IPKernelApp" not in x]  # start-up chatter, not the cause
    return lines[-1].strip()[:200] if lines else ""


#: What executing notebooks needs beyond the base install: the `notebook` extra.
EXECUTION_MODULES = ("nbclient", "jupyter_client", "ipykernel")


def need_kernels() -> None:
    """Refuse to execute, before anything is written, when the notebook extra is not installed."""
    import importlib.util

    missing = [m for m in EXECUTION_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise WorkbenchError(f"executing notebooks needs the notebook extra (missing: {', '.join(missing)}): "
                             "pip install 'workbench[notebook]'; nothing was written")
