#!/usr/bin/python3
"""The Python peers of `attnviz bench`: the same forward passes in PyTorch
(CPU) and numpy.

  peer.py check DIR N D                                       -> compare each
      peer's output with attnviz bench --dump DIR (exit 1 on a mismatch)
  peer.py time --peer torch|numpy --n 16,64 --dim 64 --threads 1,2 --reps 9
                                                              -> CSV on stdout
  peer.py compare A1.csv:A2.csv.. NAME=P1.csv:P2.csv..        -> ratio table
      (one CSV per round: round r of a peer is compared with round r of
      attnviz, and the table gives the median over rounds)

Timing follows attnviz bench: one warm-up pass, then REPS samples, each
repeating the pass until it lasts at least 2 ms; the median per pass.
torch: model "attention" is the naive pass (Q/K/V projections, scaled
scores, masked_fill with -inf under the causal mask built outside the timed
loop, softmax, weights . V); "attention-blocked" takes query rows in blocks
of 256 and computes, per block, only the keys it may see (the masked half
skipped, as attnviz does); "rnn" is torch.nn.RNN with tanh, batch 1.
numpy: "rnn" is the input projections as one product, then the loop of n
steps h = tanh(W_h h + x_t + b).
Each runs in a process of its own with its thread count fixed before its
first operation and OpenBLAS held to one thread under PyTorch (its OpenMP
threads and OpenBLAS's would otherwise fight over the cores).
A benchmark only: attnviz never needs PyTorch or numpy to build, run or test.
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
        return 4.0 * n * d * d
    if model == "rnn-train":  # forward, then BPTT: four products of 2 n d^2
        return 12.0 * n * d * d
    if model == "attention-train":  # forward, then twice its pair work and dW, dX
        return 18.0 * n * d * d + 6.0 * d * n * (n + 1.0)
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
        blas = str(t) if args.peer == "numpy" else "1"
        env = dict(os.environ, OMP_NUM_THREADS=str(t), MKL_NUM_THREADS=str(t),
                   OPENBLAS_NUM_THREADS=blas,
                   GLIBC_TUNABLES="glibc.malloc.mmap_threshold=33554432:"
                                  "glibc.malloc.trim_threshold=1073741824")
        got = subprocess.run([sys.executable, os.path.abspath(__file__), "time1", "--peer",
                              args.peer, "--n", args.n,
                              "--dim", str(args.dim), "--threads", str(t), "--reps",
                              str(args.reps)], env=env, check=True, stdout=subprocess.PIPE,
                             universal_newlines=True).stdout
        rows += [r for r in csv.reader(got.splitlines())]
    for model in ("rnn", "attention", "attention-blocked", "rnn-train", "attention-train"):
        for r in rows:
            if r[0] == model:
                out.writerow(r)


def torch_attention(X, Wq, Wk, Wv, mask, scale):
    import torch
    Q, K, V = X @ Wq, X @ Wk, X @ Wv
    s = (Q @ K.T) * scale
    s = s.masked_fill(~mask, float("-inf"))
    return torch.softmax(s, dim=-1) @ V


BLOCK = 256


def torch_attention_blocked(X, Wq, Wk, Wv, diag, scale):
    """Rows in blocks of BLOCK; block i0 sees keys 0 .. i1 - 1 only, and only
    its diagonal square is masked. diag: (BLOCK, BLOCK) bool, True above."""
    import torch
    Q, K, V = (X @ Wq) * scale, X @ Wk, X @ Wv
    n = X.shape[0]
    out = torch.empty_like(Q)
    for i0 in range(0, n, BLOCK):
        i1 = min(n, i0 + BLOCK)
        s = Q[i0:i1] @ K[:i1].T
        s[:, i0:i1].masked_fill_(diag[:i1 - i0, :i1 - i0], float("-inf"))
        out[i0:i1] = torch.softmax(s, dim=-1) @ V[:i1]
    return out


def numpy_rnn(X, W_e, W_h, b):
    import numpy as np
    pre = X @ W_e.T + b
    h = np.zeros(W_h.shape[0], dtype=np.float32)
    out = np.empty_like(pre)
    for t in range(pre.shape[0]):
        h = np.tanh(pre[t] + W_h @ h)
        out[t] = h
    return out


def torch_rnn(d, W_e, W_h, b):
    import torch
    rnn = torch.nn.RNN(d, d, nonlinearity="tanh")
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(W_e)
        rnn.weight_hh_l0.copy_(W_h)
        rnn.bias_ih_l0.copy_(b)
        rnn.bias_hh_l0.zero_()
    return rnn


def torch_attention_train(X, W3, dZ, mask, scale):
    """Forward + backward of the layer alone: gradients of X and W_q, W_k,
    W_v for the upstream gradient dZ (autograd)."""
    Xr = X.detach().requires_grad_(True)
    Ws = [w.detach().requires_grad_(True) for w in W3]
    torch_attention(Xr, *Ws, mask, scale).backward(dZ)
    return Xr.grad, [w.grad for w in Ws]


def torch_rnn_train(rnn, X, dh):
    """Forward + backward of torch.nn.RNN: gradients of X and W_h for dh."""
    rnn.zero_grad()
    x = X.detach().unsqueeze(1).requires_grad_(True)
    rnn(x)[0].backward(dh.unsqueeze(1))
    return x.grad.squeeze(1), rnn.weight_hh_l0.grad


def time_one(args):
    ns = [int(v) for v in args.n.split(",")]
    t = int(args.threads)
    d = args.dim
    rows = []
    if args.peer == "torch":
        import torch
        torch.set_num_threads(t)  # before any other torch call
        torch.set_num_interop_threads(1)
        torch.manual_seed(685)
        for n in ns:
            with torch.no_grad():
                X = torch.rand(n, d) * 2 - 1
                g = math.sqrt(6.0 / (2 * d))
                Wq, Wk, Wv, We, Wh = ((torch.rand(d, d) * 2 - 1) * g for _ in range(5))
                b = torch.zeros(d)
                mask = torch.tril(torch.ones(n, n, dtype=torch.bool))
                diag = torch.triu(torch.ones(BLOCK, BLOCK, dtype=torch.bool), diagonal=1)
                scale = 1.0 / math.sqrt(d)
                rnn = torch_rnn(d, We, Wh, b)
                x = X.unsqueeze(1)  # (n, batch 1, d)
                fns = (("rnn", lambda: rnn(x)),
                       ("attention", lambda: torch_attention(X, Wq, Wk, Wv, mask, scale)),
                       ("attention-blocked",
                        lambda: torch_attention_blocked(X, Wq, Wk, Wv, diag, scale)))
            dZ = torch.rand(n, d) * 2 - 1
            fns += (("rnn-train", lambda: torch_rnn_train(rnn, X, dZ)),
                    ("attention-train",
                     lambda: torch_attention_train(X, (Wq, Wk, Wv), dZ, mask, scale)))
            for model, fn in fns:
                if model.endswith("-train"):
                    s = median_time(fn, args.reps)
                else:
                    with torch.no_grad():
                        s = median_time(fn, args.reps)
                rows.append((model, n, d, t, s * 1e3, flops(model, n, d) / s * 1e-9))
    else:
        import numpy as np
        rng = np.random.default_rng(685)
        for n in ns:
            X = (rng.random((n, d), dtype=np.float32) * 2 - 1)
            g = math.sqrt(6.0 / (2 * d))
            We, Wh = ((rng.random((d, d), dtype=np.float32) * 2 - 1) * g for _ in range(2))
            b = np.zeros(d, dtype=np.float32)
            s = median_time(lambda: numpy_rnn(X, We, Wh, b), args.reps)
            rows.append(("rnn", n, d, t, s * 1e3, flops("rnn", n, d) / s * 1e-9))
    out = csv.writer(sys.stdout, lineterminator="\n")
    for r in rows:
        out.writerow([r[0], r[1], r[2], r[3], "%.6f" % r[4], "%.3f" % r[5]])


def check(args):
    """Each peer present against attnviz's own output, before any timing."""
    n, d = args.n, args.d
    import numpy as np
    load = lambda k, shape: np.fromfile(os.path.join(args.dir, k + ".f32"),
                                        dtype="<f4").reshape(shape)
    X, Z, h = load("X", (n, d)), load("Z", (n, d)), load("h", (n, d))
    Wq, Wk, Wv, We, Wh = (load(k, (d, d)) for k in ("W_q", "W_k", "W_v", "W_e", "W_h"))
    b = load("b", (d,))
    got = {"numpy rnn": (numpy_rnn(X, We, Wh, b), h)}
    if args.torch:
        import torch
        T = lambda a: torch.from_numpy(np.ascontiguousarray(a))
        scale = 1.0 / math.sqrt(d)
        mask = torch.tril(torch.ones(n, n, dtype=torch.bool))
        diag = torch.triu(torch.ones(BLOCK, BLOCK, dtype=torch.bool), diagonal=1)
        with torch.no_grad():
            got["torch attention"] = (torch_attention(T(X), T(Wq), T(Wk), T(Wv), mask,
                                                      scale).numpy(), Z)
            got["torch attention-blocked"] = (torch_attention_blocked(
                T(X), T(Wq), T(Wk), T(Wv), diag, scale).numpy(), Z)
            rnn = torch_rnn(d, T(We), T(Wh), T(b))
            got["torch rnn"] = (rnn(T(X).unsqueeze(1))[0].squeeze(1).numpy(), h)
        dX, dW = torch_attention_train(T(X), (T(Wq), T(Wk), T(Wv)), T(load("dZ", (n, d))),
                                       mask, scale)
        got["torch attention-train dX"] = (dX.numpy(), load("attn_dX", (n, d)))
        got["torch attention-train dW"] = (torch.stack(dW).numpy(), load("attn_dW", (3, d, d)))
        dX, dWh = torch_rnn_train(rnn, T(X), T(load("dh", (n, d))))
        got["torch rnn-train dX"] = (dX.numpy(), load("rnn_dX", (n, d)))
        got["torch rnn-train dW_h"] = (dWh.numpy(), load("rnn_dW_h", (d, d)))
    bad = 0
    for name, (a, want) in got.items():
        err = float(np.max(np.abs(a - want)) / max(float(np.max(np.abs(want))), 1e-30))
        ok = err <= 1e-4
        bad += not ok
        print("%s %s attnviz's output (n = %d: %.1e relative)" %
              (name, "matches" if ok else "DIFFERS FROM", n, err), file=sys.stderr)
    sys.exit(1 if bad else 0)


def read_csv(path):
    with open(path, newline="") as f:
        return {(r["model"], int(r["n"]), int(r["d"]), int(r["threads"])): float(r["median_ms"])
                for r in csv.DictReader(f)}


def read_rounds(paths):
    """One dict per round, from "a.csv:b.csv:..."."""
    return [read_csv(p) for p in paths.split(":")]


def median(xs):
    xs = sorted(xs)
    m = len(xs) // 2
    return xs[m] if len(xs) % 2 else 0.5 * (xs[m - 1] + xs[m])


def compare(args):
    ours = read_rounds(args.attnviz)
    peers = []
    for spec in args.peers:
        name, paths = spec.split("=", 1)
        peers.append((name, read_rounds(paths)))
    rounds = min([len(ours)] + [len(p) for _, p in peers])
    # a peer's "attention-blocked" row is compared with attnviz's "attention"
    cols = [(name, model) for name, p in peers
            for model in sorted({k[0] for k in p[0]}, key=lambda m: (m != "rnn", m))]
    head = "%-10s %6s %4s %8s %11s" % ("model", "n", "d", "threads", "attnviz ms")
    for name, model in cols:
        head += " %22s" % ("%s %s" % (name, model.replace("attention", "attn")))
    print(head)
    for key in ours[0]:
        model, n, d, t = key
        mine = [ours[r][key] for r in range(rounds) if key in ours[r]]
        line = "%-10s %6d %4d %8d %11.4f" % (model, n, d, t, median(mine))
        shown = False
        for name, pm in cols:
            p = dict(peers)[name]
            k = (pm, n, d, t)
            same = pm == model or (model == "attention" and pm == "attention-blocked")
            both = [r for r in range(rounds) if k in p[r] and key in ours[r]]
            if same and both:
                theirs = median([p[r][k] for r in both])
                ratio = median([p[r][k] / ours[r][key] for r in both])
                line += " %11.4f ms %6.2fx" % (theirs, ratio)
                shown = True
            else:
                line += " %22s" % "-"
        if shown:
            print(line)
    print("(each peer: the median over %d round%s of its median ms, and of its time / attnviz's "
          "in the same round: > 1 means attnviz is that many times faster, same machine)"
          % (rounds, "" if rounds == 1 else "s"))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("time")
    t.add_argument("--peer", choices=("torch", "numpy"), default="torch")
    t.add_argument("--n", default="16,64,256,1024,2048,4096")
    t.add_argument("--dim", type=int, default=64)
    t.add_argument("--threads", default="1")
    t.add_argument("--reps", type=int, default=9)
    t1 = sub.add_parser("time1")  # one thread count, in this process
    t1.add_argument("--peer", choices=("torch", "numpy"), required=True)
    t1.add_argument("--n", required=True)
    t1.add_argument("--dim", type=int, required=True)
    t1.add_argument("--threads", required=True)
    t1.add_argument("--reps", type=int, required=True)
    k = sub.add_parser("check")
    k.add_argument("dir")
    k.add_argument("n", type=int)
    k.add_argument("d", type=int)
    k.add_argument("--torch", action="store_true")
    c = sub.add_parser("compare")
    c.add_argument("attnviz", metavar="CSV[:CSV...]")
    c.add_argument("peers", nargs="+", metavar="NAME=CSV[:CSV...]")
    args = p.parse_args()
    if args.cmd == "time":
        time_all(args)
    elif args.cmd == "time1":
        time_one(args)
    elif args.cmd == "check":
        check(args)
    else:
        compare(args)


if __name__ == "__main__":
    main()
