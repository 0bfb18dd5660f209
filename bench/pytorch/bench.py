#!/usr/bin/env python3
"""PyTorch side of Tessera's side-by-side benchmark.

Prints one JSON document on stdout (progress goes to stderr) with the machine, the torch build and timings taken
with torch.set_num_threads(2): float32 GEMM GFLOP/s, conv2d forward / forward+backward times, and one MNIST training
epoch of an MLP and of a LeNet-5 style network with test accuracy after the epoch.

The C# runner (bench/Tessera.Benchmarks) starts this script once per section (--only gemm, then conv, ...) right
after measuring the same section in Tessera, so both sides see the same machine load. It can also run alone:

    /usr/bin/python3 bench/pytorch/bench.py --mnist DIR [--quick] [--only gemm,conv,mlp,lenet]

Exit codes: 0 ok, 2 bad arguments or missing data, 3 torch not importable (a JSON document with "error" is still
printed so that the runner can show why).
"""

import argparse
import gzip
import json
import os
import platform
import re
import statistics
import struct
import sys
import time

SECTIONS = ("gemm", "conv", "mlp", "lenet")
THREADS = 2

# (name, N, C_in, H, W, C_out, kernel, stride, padding): the LeNet layers and one bigger layer.
CONV_CASES = (
    ("lenet_conv1", 64, 1, 28, 28, 6, 5, 1, 2),
    ("lenet_conv2", 64, 6, 14, 14, 16, 5, 1, 0),
    ("conv3x3_64", 32, 64, 32, 32, 64, 3, 1, 1),
)
GEMM_SIZES = (256, 1024, 2048)


def log(message):
    print(message, file=sys.stderr, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="PyTorch side of Tessera's side-by-side benchmark.")
    parser.add_argument("--mnist", metavar="DIR", help="directory holding the MNIST IDX files (gzip or not)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help="comma-separated sections to run: " + ",".join(SECTIONS))
    parser.add_argument("--train-samples", type=int, default=0,
                        help="train on the first N training images only (0: the whole epoch of 60000)")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--omp-wait", choices=("active", "passive"), default="passive",
                        help="OpenMP wait policy; active is the library default (see main for why passive)")
    args = parser.parse_args(argv)
    only = [s.strip().lower() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in only if s not in SECTIONS]
    if unknown:
        parser.error("unknown section(s) in --only: %s (known: %s)" % (",".join(unknown), ",".join(SECTIONS)))
    args.only = only
    if args.train_samples < 0:
        parser.error("--train-samples must be >= 0, got %d" % args.train_samples)
    return args


# ---------------------------------------------------------------------------------------------------------------
# Machine and build


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def loaded_blas_libraries():
    """Shared libraries mapped into this process whose name says BLAS/LAPACK (after a GEMM has run)."""
    found = set()
    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 6 and ("blas" in parts[5] or "lapack" in parts[5] or "mkl" in parts[5]):
                    found.add(os.path.realpath(parts[5]))
    except OSError:
        pass
    return sorted(found)


def describe_build(torch):
    config = torch.__config__.show()
    match = re.search(r"BLAS_INFO=([^,\s]+)", config)
    blas_info = match.group(1) if match else None
    capability = None
    for line in config.splitlines():
        if "CPU capability usage" in line:
            capability = line.split(":", 1)[1].strip()
    libs = loaded_blas_libraries()
    blas = "unknown"
    if any("openblas" in lib for lib in libs):
        blas = "OpenBLAS"
    elif any("mkl" in lib for lib in libs):
        blas = "MKL"
    elif libs:
        blas = "other"
    return {
        "torch_version": torch.__version__,
        "blas": blas,
        "blas_info": blas_info,
        "blas_libraries": libs,
        "cpu_capability": capability,
        "mkldnn": bool(torch.backends.mkldnn.is_available()),
        "threads": torch.get_num_threads(),
    }


# ---------------------------------------------------------------------------------------------------------------
# Timing helpers


def measure(fn, warmup, reps):
    """Runs fn warmup times untimed, then reps times; returns the per-run seconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def summary_ms(times):
    return {"best_ms": min(times) * 1e3, "median_ms": statistics.median(times) * 1e3, "reps": len(times)}


# ---------------------------------------------------------------------------------------------------------------
# Sections


def bench_gemm(torch, quick):
    results = []
    gen = torch.Generator().manual_seed(1)
    for n in GEMM_SIZES:
        a = torch.randn(n, n, generator=gen)
        b = torch.randn(n, n, generator=gen)
        c = torch.empty(n, n)
        flops = 2.0 * n * n * n
        # Small sizes repeat the product inside one timing so that the timer resolution does not matter.
        reps = 3 if quick else (20 if n <= 256 else (10 if n <= 1024 else 5))
        inner = max(1, int(2e9 / flops)) if n <= 256 else 1

        def run():
            for _ in range(inner):
                torch.mm(a, b, out=c)

        times = [t / inner for t in measure(run, 2, reps)]
        best = min(times)
        results.append({
            "n": n,
            "gflops": flops / best / 1e9,
            "gflops_median": flops / statistics.median(times) / 1e9,
            **summary_ms(times),
        })
        log("gemm %4d: %.1f GFLOP/s" % (n, flops / best / 1e9))
    return results


def bench_conv(torch, quick):
    import torch.nn.functional as F

    results = []
    gen = torch.Generator().manual_seed(2)
    for name, n, cin, h, w, cout, k, stride, pad in CONV_CASES:
        x = torch.randn(n, cin, h, w, generator=gen)
        weight = torch.randn(cout, cin, k, k, generator=gen) * (1.0 / (cin * k * k) ** 0.5)
        bias = torch.randn(cout, generator=gen) * 0.1
        reps = 3 if quick else 10

        def forward():
            with torch.no_grad():
                F.conv2d(x, weight, bias, stride, pad)

        fwd = measure(forward, 2, reps)

        xg = x.clone().requires_grad_(True)
        wg = weight.clone().requires_grad_(True)
        bg = bias.clone().requires_grad_(True)
        out_shape = F.conv2d(x, weight, bias, stride, pad).shape
        grad_out = torch.ones(out_shape)

        def forward_backward():
            xg.grad = None
            wg.grad = None
            bg.grad = None
            out = F.conv2d(xg, wg, bg, stride, pad)
            out.backward(grad_out)

        fwd_bwd = measure(forward_backward, 2, reps)
        results.append({
            "name": name,
            "input": [n, cin, h, w],
            "weight": [cout, cin, k, k],
            "stride": stride,
            "padding": pad,
            "output": list(out_shape),
            "forward": summary_ms(fwd),
            "forward_backward": summary_ms(fwd_bwd),
        })
        log("conv %-12s fwd %.2f ms, fwd+bwd %.2f ms" % (name, min(fwd) * 1e3, min(fwd_bwd) * 1e3))
    return results


# ---------------------------------------------------------------------------------------------------------------
# MNIST


MNIST_FILES = {
    "train_images": ("train-images-idx3-ubyte", "train-images.idx3-ubyte"),
    "train_labels": ("train-labels-idx1-ubyte", "train-labels.idx1-ubyte"),
    "test_images": ("t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"),
    "test_labels": ("t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"),
}


def find_mnist_file(directory, key):
    """Finds one MNIST file in directory (or a data/ or package/data/ folder below it), gzip or not."""
    stems = MNIST_FILES[key]
    candidates = []
    for sub in ("", "data", os.path.join("package", "data")):
        folder = os.path.join(directory, sub)
        if not os.path.isdir(folder):
            continue
        for entry in sorted(os.listdir(folder)):
            lowered = entry.lower()
            base = lowered[:-3] if lowered.endswith(".gz") else lowered
            if base in stems:
                candidates.append(os.path.join(folder, entry))
    if not candidates:
        raise FileNotFoundError("no %s file (%s, optionally .gz) in %s" % (key, " or ".join(stems), directory))
    return candidates[0]


def read_idx(path):
    opener = gzip.open if path.lower().endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError("%s is not an unsigned-byte IDX file (magic %r)" % (path, data[:4]))
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    count = 1
    for d in dims:
        count *= d
    payload = data[4 + 4 * rank:]
    if len(payload) != count:
        raise ValueError("%s: header says %s (%d bytes) but holds %d bytes" % (path, dims, count, len(payload)))
    return dims, payload


def load_mnist(torch, directory):
    tensors = {}
    for key in MNIST_FILES:
        dims, payload = read_idx(find_mnist_file(directory, key))
        t = torch.frombuffer(bytearray(payload), dtype=torch.uint8).reshape(dims)
        if key.endswith("images"):
            t = t.to(torch.float32).div_(255.0).reshape(dims[0], 1, dims[1], dims[2])
        else:
            t = t.to(torch.int64)
        tensors[key] = t
    return tensors


def mlp(torch):
    nn = torch.nn
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 256), nn.ReLU(),
        nn.Linear(256, 128), nn.ReLU(),
        nn.Linear(128, 10))


def lenet(torch):
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))


def train_epoch(torch, name, model, data, train_samples, seed):
    """One epoch of Adam(1e-3), batch 64, cross-entropy on shuffled data; returns seconds and test accuracy."""
    batch = 64
    images, labels = data["train_images"], data["train_labels"]
    if train_samples:
        images, labels = images[:train_samples], labels[:train_samples]
    count = images.shape[0]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    order = torch.randperm(count, generator=torch.Generator().manual_seed(seed))

    model.train()
    start = time.perf_counter()
    last_loss = float("nan")
    for first in range(0, count, batch):
        index = order[first:first + batch]
        x, y = images[index], labels[index]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        last_loss = loss.item()
    train_seconds = time.perf_counter() - start

    model.eval()
    start = time.perf_counter()
    correct = 0
    with torch.no_grad():
        test_images, test_labels = data["test_images"], data["test_labels"]
        for first in range(0, test_images.shape[0], 1000):
            logits = model(test_images[first:first + 1000])
            correct += int((logits.argmax(1) == test_labels[first:first + 1000]).sum())
    test_seconds = time.perf_counter() - start
    accuracy = correct / data["test_images"].shape[0]
    log("%s: epoch %.2f s (%d samples), test accuracy %.4f" % (name, train_seconds, count, accuracy))
    return {
        "train_samples": count,
        "batch_size": batch,
        "epoch_seconds": train_seconds,
        "samples_per_second": count / train_seconds,
        "final_batch_loss": last_loss,
        "test_accuracy": accuracy,
        "test_seconds": test_seconds,
    }


# ---------------------------------------------------------------------------------------------------------------


def main(argv):
    args = parse_args(argv)
    document = {
        "side": "pytorch",
        "machine": {
            "cpu_model": cpu_model(),
            "logical_cores": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "options": {"quick": args.quick, "only": args.only, "train_samples": args.train_samples},
    }
    # GNU OpenMP's worker threads spin while they wait for work. On the shared 2-core machine, with other
    # processes on the cores, that made an MLP epoch 15 to 30 times slower and erratic (0.35 s against 5-10 s for
    # 6000 samples) and small convolutions up to 100 times slower (LeNet conv1 forward 0.4 ms against 32 ms); GEMM
    # changed within the noise. So PyTorch waits passively unless told otherwise. It must be set before torch
    # loads libgomp; an OMP_WAIT_POLICY already in the environment wins.
    if args.omp_wait == "passive":
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    document["environment"] = {k: os.environ.get(k) for k in (
        "OMP_WAIT_POLICY", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    try:
        import torch
    except ImportError as exc:  # the runner shows this instead of PyTorch figures
        document["error"] = "torch is not importable: %s" % exc
        print(json.dumps(document, indent=2))
        return 3

    torch.set_num_threads(THREADS)
    torch.manual_seed(args.seed)
    # One small GEMM first so that the BLAS library is loaded before describe_build looks for it.
    torch.mm(torch.ones(8, 8), torch.ones(8, 8))
    document["build"] = describe_build(torch)

    needs_mnist = any(s in args.only for s in ("mlp", "lenet"))
    data = None
    if needs_mnist:
        if not args.mnist:
            document["error"] = "--mnist DIR is required for the mlp and lenet sections"
            print(json.dumps(document, indent=2))
            return 2
        try:
            data = load_mnist(torch, args.mnist)
        except (OSError, ValueError) as exc:
            document["error"] = "cannot read MNIST from %s: %s" % (args.mnist, exc)
            print(json.dumps(document, indent=2))
            return 2

    results = {}
    if "gemm" in args.only:
        results["gemm"] = bench_gemm(torch, args.quick)
    if "conv" in args.only:
        results["conv"] = bench_conv(torch, args.quick)
    if "mlp" in args.only:
        torch.manual_seed(args.seed)
        results["mlp"] = train_epoch(torch, "mlp", mlp(torch), data, args.train_samples, args.seed)
    if "lenet" in args.only:
        torch.manual_seed(args.seed)
        results["lenet"] = train_epoch(torch, "lenet", lenet(torch), data, args.train_samples, args.seed)
    document["results"] = results
    print(json.dumps(document, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
