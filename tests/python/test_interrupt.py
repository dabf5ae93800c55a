"""Long runs report progress and stop promptly on Ctrl-C, leaving natocyber usable."""
import signal
import subprocess
import sys
import textwrap
import time

import natocyber as nc

CHILD = textwrap.dedent("""
    import sys, time
    import natocyber as nc
    # about 4 s of work uninterrupted (one text object, repeated)
    texts = ["Allies strongly condemn the attack. We will respond at a time of our choosing. " * 4000] * 3000
    print("ready", flush=True)
    t0 = time.perf_counter()
    try:
        nc.Corpus(texts, workers=2)
        print("finished without interruption", flush=True)
    except KeyboardInterrupt:
        print(f"interrupted after {time.perf_counter() - t0:.2f}", flush=True)
    # the library still works after the interruption
    c = nc.Corpus(["we strongly condemn it"])
    print("after", c.frequency("strongly condemn")["count"].item(), flush=True)
""")


def test_ctrl_c_stops_a_long_tokenization_promptly():
    proc = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    sent = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    waited = time.perf_counter() - sent
    assert proc.returncode == 0, err
    lines = out.strip().splitlines()
    assert lines[0].startswith("interrupted after"), out
    assert lines[-1] == "after 1"
    assert waited < 5.0


def test_progress_callback_reaches_every_document():
    texts = ["Allies strongly condemn the attack. " * 2000] * 300
    seen = []
    nc.Tokenizer()._core.build(texts, workers=2, progress=seen.append)
    assert seen and seen[-1] == len(texts)
    assert seen == sorted(seen)


def test_progress_callback_errors_stop_the_run():
    def boom(done):
        raise RuntimeError("stop here")
    texts = ["Allies strongly condemn the attack. " * 2000] * 300
    try:
        nc.Tokenizer()._core.build(texts, workers=2, progress=boom)
    except RuntimeError as e:
        assert "stop here" in str(e)
    else:
        raise AssertionError("the callback's error was swallowed")
