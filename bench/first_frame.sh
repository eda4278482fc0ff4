#!/usr/bin/env bash
# Time from start to the first frame of the TUI: attnviz runs on a
# pseudo-terminal of 80x24 (TERM=xterm-256color); the clock starts just
# before fork and stops when the first frame's step counter ("step 1/")
# has been read from the pty. The same harness running printf gives its own
# cost, which is subtracted. Median of RUNS runs (default 21), in ms.
# Goal: <= 20 ms.
set -u
BIN=${1:?usage: first_frame.sh /path/to/attnviz}
RUNS=${RUNS:-21}
command -v python3 >/dev/null || { echo "first_frame: python3 is needed for the pty harness"; exit 1; }

python3 - "$BIN" "$RUNS" <<'PY'
import fcntl, os, pty, statistics, struct, sys, termios, time

bin_, runs = sys.argv[1], int(sys.argv[2])
env = dict(os.environ, TERM="xterm-256color", LC_ALL="C.UTF-8", LANG="C.UTF-8")

def once(argv, marker=b"step 1/"):
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execvpe(argv[0], argv, env)
    buf = b""
    elapsed = None
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
        if elapsed is None and marker in buf:
            elapsed = time.perf_counter() - t0
            try:
                os.write(fd, b"q")
            except OSError:
                pass
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    if elapsed is None:
        sys.exit("first_frame: no frame seen from %s (status %d)" % (argv, status))
    return elapsed * 1000.0

base = statistics.median(once(["printf", "step 1/\n"]) for _ in range(runs))
app = statistics.median(once([bin_, "--tui"]) for _ in range(runs))
print("first frame: %.1f ms median of %d runs (%.1f ms wall, harness %.1f ms subtracted; goal <= 20 ms)"
      % (app - base, runs, app, base))
PY
