"""Hostile input, round three (issue 28, item 2): where the output goes is input too.

A full disk or a closed stdout is one line on stderr and exit 74 (EX_IOERR, sysexits.h),
never "internal error" (70); a reader that leaves early (`| head`) ends the command
quietly with 141, as a shell reports a command killed by SIGPIPE; and when stderr itself
cannot be written, the command keeps the exit code it had. Each case runs the real
`casus` with its real file descriptors (a child process)."""

from __future__ import annotations

import fcntl
import os
import subprocess

import pytest

from subproc import CASUS, child_env, limits

FULL = "/dev/full"
pytestmark = pytest.mark.skipif(not os.path.exists(FULL), reason="needs /dev/full")

WRITE_FAILED = 74
PIPE_CLOSED = 141
F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)


def run(*args: str, stdout=None, stderr=subprocess.PIPE, close: tuple[int, ...] = ()) -> tuple[int, str]:
    """casus ARGS with the given stdout and stderr (files or PIPE), `close` fds closed."""
    def prepare() -> None:
        limits()()
        for fd in close:
            os.close(fd)
    proc = subprocess.Popen([*CASUS, *args], stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                            preexec_fn=prepare, env=child_env())
    _, err = proc.communicate(timeout=120)
    return proc.returncode, (err or b"").decode("utf-8", "replace")


def one_line(err: str, *words: str) -> None:
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    assert "internal error" not in err and "bug" not in err, err
    for w in words:
        assert w in err, err


@pytest.mark.parametrize("args", [("evaluate", "kazakhstan-2022"), ("cases",),
                                  ("evaluate", "kazakhstan-2022", "-f", "json")])
def test_a_full_disk_on_stdout_is_one_line_and_exit_74(args):
    with open(FULL, "w") as full:
        code, err = run(*args, stdout=full)
    assert code == WRITE_FAILED, (code, err)
    one_line(err, "standard output", "no space left on device")


@pytest.mark.parametrize("args", [("evaluate", "kazakhstan-2022", "-f", "json"), ("cases",)])
def test_a_closed_stdout_is_one_line_and_exit_74(args):
    code, err = run(*args, stdout=subprocess.DEVNULL, close=(1,))
    assert code == WRITE_FAILED, (code, err)
    one_line(err, "standard output")


@pytest.mark.parametrize("args,codes", [
    (("evaluate", "--all", "-f", "json"), {PIPE_CLOSED}),
    # The text is one write: when the kernel takes it whole before the reader leaves (it
    # answers a write cut short by the reader leaving with the part it took, not an error),
    # casus never learns that the reader left, and 0 is the truth.
    (("evaluate", "--all", "--explain"), {0, PIPE_CLOSED})])
def test_a_reader_that_leaves_early_ends_the_command_quietly(args, codes):
    proc = subprocess.Popen([*CASUS, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=limits(), env=child_env())
    assert proc.stdout is not None and proc.stderr is not None
    # A one-page pipe: the output (tens of KB) cannot all be in the pipe before the reader leaves.
    fcntl.fcntl(proc.stdout.fileno(), F_SETPIPE_SZ, 4096)
    assert len(proc.stdout.read(10)) == 10          # `| head -c 10`
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=120) in codes, err
    assert err == ""


FAILING = ()


@pytest.mark.parametrize("args,code,how", [
    pytest.param(("evaluate", "nosuch"), 2, "full", marks=FAILING),
    (("evaluate", "nosuch"), 2, "closed"),
    (("evaluate", "kazakhstan-2022"), 0, "full"),
    (("evaluate", "kazakhstan-2022"), 0, "closed"),
    pytest.param(("evaluate", "--all", "--no-such-option"), 2, "full", marks=FAILING),
    (("evaluate", "--all", "--no-such-option"), 2, "closed")])
def test_a_stderr_that_cannot_be_written_keeps_the_exit_code(args, code, how):
    if how == "full":
        with open(FULL, "w") as full:
            got, _ = run(*args, stdout=subprocess.DEVNULL, stderr=full)
    else:
        got, _ = run(*args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close=(2,))
    assert got == code


def test_stdout_and_stderr_both_failing_is_still_exit_74():
    with open(FULL, "w") as full:
        code, _ = run("cases", stdout=full, stderr=full)
    assert code == WRITE_FAILED
