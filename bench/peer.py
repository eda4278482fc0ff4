#!/usr/bin/python3
"""The peer of `attnviz bench`: the same forward passes in PyTorch (CPU).

  peer.py time --n 16,64 --dim 64 --threads 1,2 --reps 9   -> CSV on stdout
  peer.py compare ATTNVIZ.csv PYTORCH.csv                    -> ratio table

Timing follows attnviz bench: one warm-up pass, then REPS samples, each
repeating the pass until it lasts at least 2 ms; the median per pass.
attention: Q/K/V projections, scaled scores, masked_fill with -inf under the
causal mask (built outside the timed loop), softmax, weights . V.
rnn: torch.nn.RNN with tanh over n steps, batch 1.
A benchmark only: attnviz never needs PyTorch to build, run or test.
"""
import argparse
import csv
import math
import os
import sys
import time

MIN_SAMPLE_S = 0.002


def median_time(fn, reps):
    t0 = time.perf_counter()
    fn()
    once = time.perf_counter() - t0
    inner = max(1, min(100000, math.ceil(MIN_SAMPLE_S / once))) if once > 0 else 1000
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - t0) / inner)
    samples.sort()
    mid = len(samples) // 2
    return samples[mid] if len(samples) % 2 else 0.5 * (samples[mid - 1] + samples[mid])


def flops(model, n, d):
    # the same counts as attnviz bench: only the work each model needs
    if model == "rnn":
        return 2.0 * n * d * d + 2.0 * n * d * d
    return 6.0 * n * d * d + 2.0 * d * n * (n + 1.0)


def time_all(args):
    """One process per thread count: PyTorch is fastest when its thread count
    is set before its first operation. glibc's malloc is told to keep freed
    blocks up to 32 MiB in the heap: PyTorch allocates its n x n temporaries
    on every call, and fresh mmap'd pages cost it up to 10x in page faults
    on a VM (attnviz allocates its workspace once, outside the timed loop).
    Both settings give PyTorch its best time, so the ratios are not inflated."""
    import subprocess

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["model", "n", "d", "threads", "median_ms", "gflops"])
    rows = []
    for t in [int(v) for v in args.threads.split(",")]:
        env = dict(os.environ, OMP_NUM_THREADS=str(t), MKL_NUM_THREADS=str(t),
                   GLIBC_TUNABLES="glibc.malloc.mmap_threshold=33554432:"
                                  "glibc.malloc.trim_threshold=1073741824")
        got = subprocess.run([sys.executable, os.path.abspath(__file__), "time1", "--n", args.n,
                              "--dim", str(args.dim), "--threads", str(t), "--reps",
                              str(args.reps)], env=env, check=True, stdout=subprocess.PIPE,
                             universal_newlines=True).stdout
        rows += [r for r in csv.reader(got.splitlines())]
    for model in ("rnn", "attention"):
        for r in rows:
            if r[0] == model:
                out.writerow(r)


def time_one(args):
    import torch

    torch.set_num_threads(int(args.threads))  # before any other torch call
    torch.manual_seed(685)
    ns = [int(v) for v in args.n.split(",")]
    threads = [int(args.threads)]
    d = args.dim
    out = csv.writer(sys.stdout, lineterminator="\n")
    rows = []
    with torch.no_grad():
        for n in ns:
            X = torch.rand(n, d) * 2 - 1
            g = math.sqrt(6.0 / (2 * d))
            Wq, Wk, Wv = ((torch.rand(d, d) * 2 - 1) * g for _ in range(3))
            mask = torch.tril(torch.ones(n, n, dtype=torch.bool))
            scale = 1.0 / math.sqrt(d)

            def attention():
                Q = X @ Wq
                K = X @ Wk
                V = X @ Wv
                s = (Q @ K.T) * scale
                s = s.masked_fill(~mask, float("-inf"))
                return torch.softmax(s, dim=-1) @ V

            rnn = torch.nn.RNN(d, d, nonlinearity="tanh")
            x = X.unsqueeze(1)  # (n, batch 1, d)

            def recurrent():
                return rnn(x)

            for t in threads:
                for model, fn in (("rnn", recurrent), ("attention", attention)):
                    s = median_time(fn, args.reps)
                    rows.append((model, n, d, t, s * 1e3, flops(model, n, d) / s * 1e-9))
    for r in rows:
        out.writerow([r[0], r[1], r[2], r[3], "%.6f" % r[4], "%.3f" % r[5]])


def read_csv(path):
    with open(path, newline="") as f:
        return {(r["model"], int(r["n"]), int(r["d"]), int(r["threads"])): float(r["median_ms"])
                for r in csv.DictReader(f)}


def compare(args):
    ours = read_csv(args.attnviz)
    peer = read_csv(args.pytorch)
    print("%-10s %6s %4s %8s %13s %13s %16s" % ("model", "n", "d", "threads", "attnviz ms",
                                                 "PyTorch ms", "PyTorch/attnviz"))
    for key in ours:
        if key not in peer:
            continue
        model, n, d, t = key
        print("%-10s %6d %4d %8d %13.4f %13.4f %15.2fx" % (model, n, d, t, ours[key], peer[key],
                                                           peer[key] / ours[key]))
    print("(ratio > 1: attnviz is that many times faster than PyTorch on the same machine, "
          "same run)")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("time")
    t.add_argument("--n", default="16,64,256,1024,2048,4096")
    t.add_argument("--dim", type=int, default=64)
    t.add_argument("--threads", default="1")
    t.add_argument("--reps", type=int, default=9)
    t1 = sub.add_parser("time1")  # one thread count, in this process
    t1.add_argument("--n", required=True)
    t1.add_argument("--dim", type=int, required=True)
    t1.add_argument("--threads", required=True)
    t1.add_argument("--reps", type=int, required=True)
    c = sub.add_parser("compare")
    c.add_argument("attnviz")
    c.add_argument("pytorch")
    args = p.parse_args()
    if args.cmd == "time":
        time_all(args)
    elif args.cmd == "time1":
        time_one(args)
    else:
        compare(args)


if __name__ == "__main__":
    main()
