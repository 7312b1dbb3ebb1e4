#!/usr/bin/env python3
"""Measures sportello's time to the first full frame and its peak memory.

Runs the binary N times in a pseudo-terminal of 100x30 (no tmux, no shell in
between), times from fork to the moment the home screen's last line has been
written, then presses q and reads the peak RSS from wait4. Prints the median
and the slowest run.

    go build -o bin/sportello ./cmd/sportello
    python3 .ci/first-frame.py bin/sportello [N [ARGS...]]
"""
import fcntl, os, pty, select, statistics, struct, sys, termios, time

MARKER = "per l'elenco dei tasti".encode()  # the home screen's last line of text


def once(binary, args):
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(binary, [binary] + args)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    out, first = b"", None
    while first is None:
        r, _, _ = select.select([fd], [], [], 5)
        if not r:
            raise SystemExit("no frame after 5 s")
        chunk = os.read(fd, 65536)
        out += chunk
        # answer the background colour and cursor position queries, as a terminal does
        if b"\x1b]11;?" in chunk:
            os.write(fd, b"\x1b]11;rgb:0000/0000/0000\x1b\\")
        if b"\x1b[6n" in chunk:
            os.write(fd, b"\x1b[1;1R")
        if MARKER in out:
            first = time.perf_counter() - start
    os.write(fd, b"q")
    while True:  # drain until the child closes the terminal
        try:
            if not os.read(fd, 65536):
                break
        except OSError:
            break
    _, status, usage = os.wait4(pid, 0)
    os.close(fd)
    return first * 1000, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def main():
    binary = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    runs = [once(binary, sys.argv[3:]) for _ in range(n)]
    ms = [r[0] for r in runs]
    kb = [r[1] for r in runs]
    bad = [r[2] for r in runs if r[2] != 0]
    print(f"{n} runs: first frame median {statistics.median(ms):.1f} ms, slowest {max(ms):.1f} ms; "
          f"peak RSS median {statistics.median(kb) / 1024:.1f} MiB; non-zero exits: {len(bad)}")


if __name__ == "__main__":
    main()
