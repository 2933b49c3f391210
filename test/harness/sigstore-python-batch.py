"""Runs sigstore-python's command line (sigstore._cli.main, what the `sigstore`
script calls) once per argument list, all in one interpreter: importing the
package costs about half a CPU-second, a verification a few milliseconds.
Reads a JSON array of argument lists on stdin; writes a JSON array of
{"code", "out", "ms"} on stdout, where out is everything the call printed."""

import json
import os
import sys
import tempfile
import time
import traceback

from sigstore._cli import main


def run(argv):
    with tempfile.TemporaryFile() as out:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
        code = 0
        try:
            main(argv)
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        out.seek(0)
        return code, out.read().decode("utf-8", "replace")


results = []
for argv in json.load(sys.stdin):
    started = time.monotonic()
    code, text = run(argv)
    results.append({"code": code, "out": text, "ms": round((time.monotonic() - started) * 1000)})
json.dump(results, sys.stdout)
