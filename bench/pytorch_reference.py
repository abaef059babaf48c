"""PyTorch reference for `./run.sh bench --vs-pytorch`.

Trains the same two workloads as Harness's benchmark (a small GPT and an MNIST-sized MLP) on the very batches
Harness wrote, with the same shapes, initialisation, loss, AdamW recipe and thread count, so the two timings
compare the libraries and nothing else.

Install (Debian 12, system python):
    apt-get install python3-torch libopenblas0-openmp
Without libopenblas0-openmp Debian's torch falls back to the slow reference BLAS.

Harness writes a data folder (DIR/spec.json plus raw little-endian .bin arrays) and starts this script as a
long-lived server, interleaving its own timed passes with ours so that both see the same machine state.

Modes:
    python3 bench/pytorch_reference.py DIR --serve        one JSON line per command on stdin (see `serve`)
    python3 bench/pytorch_reference.py DIR [--repeats N]  warm up, N interleaved passes, print a table
Both accept --device (default cpu).
"""

import argparse
import ctypes
import json
import math
import os
import re
import statistics
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    print("PyTorch is not installed for /usr/bin/python3: apt-get install python3-torch libopenblas0-openmp",
          file=sys.stderr)
    sys.exit(3)

try:
    torch.set_num_interop_threads(1)  # only allowed before the first parallel op; Harness runs ops one at a time
except RuntimeError:
    pass


class MissingInput(Exception):
    """A file of the data folder is absent, short or malformed (exit 2)."""


# --- Models: nanoGPT layout, parameter names as Harness's state_dict keys (the init rules match on them) ---

class CausalSelfAttention(nn.Module):
    """Separate q, k, v, o projections, as in Harness; attention by hand since torch 1.13 has no SDPA."""

    def __init__(self, d_model, heads, context, dropout):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(d_model, d_model) for _ in range(4))
        self.heads, self.p = heads, dropout
        self.scale = 1.0 / math.sqrt(d_model // heads)
        self.dropout = nn.Dropout(dropout)
        future = torch.ones(context, context, dtype=torch.bool).triu(1)  # True where a key lies after the query
        self.register_buffer("future", future, persistent=False)

    def forward(self, x):  # [B, T, C]
        b, t, c = x.shape

        def split(projection):
            return projection(x).view(b, t, self.heads, c // self.heads).transpose(1, 2)  # [B, H, T, C/H]

        q, k, v = split(self.q), split(self.k), split(self.v)
        weights = (q @ k.transpose(-2, -1)) * self.scale  # [B, H, T, T]
        weights = weights.masked_fill(self.future[:t, :t], float("-inf")).softmax(dim=-1)
        if self.training and self.p > 0:
            weights = F.dropout(weights, self.p)
        merged = (weights @ v).transpose(1, 2).contiguous().view(b, t, c)  # [B, T, C]
        return self.dropout(self.o(merged))


class FeedForward(nn.Module):
    """Up-projection x4, exact (erf) GELU, down-projection."""

    def __init__(self, d_model, dropout):
        super().__init__()
        self.mlp_up = nn.Linear(d_model, 4 * d_model)
        self.mlp_down = nn.Linear(4 * d_model, d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):  # [B, T, C]
        return self.dropout(self.mlp_down(F.gelu(self.mlp_up(x))))


class TransformerBlock(nn.Module):
    """Pre-norm block: x + attn(ln(x)), then x + mlp(ln(x))."""

    def __init__(self, d_model, heads, context, dropout):
        super().__init__()
        self.ln_attn = nn.LayerNorm(d_model)
        self.attn = CausalSelfAttention(d_model, heads, context, dropout)
        self.ln_mlp = nn.LayerNorm(d_model)
        self.mlp = FeedForward(d_model, dropout)

    def forward(self, x):  # [B, T, C]
        x = x + self.attn(self.ln_attn(x))
        return x + self.mlp(self.ln_mlp(x))


class GptModel(nn.Module):
    """Token + position embeddings, pre-norm blocks, final LayerNorm, untied head (as Harness's GptModel)."""

    def __init__(self, vocab_size, d_model, layers, heads, context, dropout):
        super().__init__()
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Embedding(context, d_model)
        self.dropout = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(TransformerBlock(d_model, heads, context, dropout) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)
        with torch.no_grad():
            for name, parameter in self.named_parameters():
                if name.endswith(".bias"):
                    nn.init.zeros_(parameter)
                elif "ln_" in name:
                    nn.init.ones_(parameter)
                else:  # GPT-2: residual projections shrink with depth so the residual stream's variance stays put
                    residual = name.endswith("o.weight") or name.endswith("mlp_down.weight")
                    nn.init.normal_(parameter, 0.0, 0.02 / math.sqrt(2 * layers) if residual else 0.02)

    def hidden(self, tokens):  # [B, T] -> [B, T, C]
        positions = torch.arange(tokens.shape[1], device=tokens.device)  # [T]
        x = self.dropout(self.tok_emb(tokens) + self.pos_emb(positions))  # [B, T, C]
        for block in self.blocks:
            x = block(x)
        return self.ln_f(x)


def gpt_loss(model, batch):
    inputs, positions, targets = batch
    hidden = model.hidden(inputs).flatten(0, 1).index_select(0, positions)  # [N, C]: only where a loss applies
    return F.cross_entropy(model.head(hidden), targets)  # logits [N, V]


def mlp_model(sizes):
    layers = []
    for width_in, width_out in zip(sizes[:-2], sizes[1:-1]):
        layers += [nn.Linear(width_in, width_out), nn.ReLU()]
    return nn.Sequential(*layers, nn.Linear(sizes[-2], sizes[-1]))  # PyTorch's default init, as Harness's


def mlp_loss(model, batch):
    pixels, targets = batch
    return F.cross_entropy(model(pixels), targets)  # logits [B, classes]


# --- Loading the data folder Harness wrote ---

class Workload:
    """A model recipe, its optimiser settings and its batches (already tensors on the device)."""

    def __init__(self, name, build, loss, section, batches, tokens):
        self.name, self.build, self.loss, self.batches, self.tokens = name, build, loss, batches, tokens
        self.optimizer, self.grad_clip = section["optimizer"], float(section["grad_clip"])
        if not batches:  # a pass must end with a loss to report
            raise MissingInput(f"spec.json: the {name} section lists no batches")
        self.samples = sum(batch[0].shape[0] for batch in batches)


def read_array(folder, name, dtype, shape, device):
    path = os.path.join(folder, name)
    if not os.path.isfile(path):
        raise MissingInput(f"missing file: {path}")
    array = np.fromfile(path, dtype=dtype)
    if array.size != math.prod(shape):
        raise MissingInput(f"{path}: {array.size} values, expected {math.prod(shape)} for shape {list(shape)}")
    return torch.from_numpy(array.reshape(shape)).to(device)


def load_workloads(folder, spec, device):
    workloads = {}
    if "gpt" in spec:
        g = spec["gpt"]
        batches = []
        for b in g["batches"]:
            count = int(b["count"])
            batches.append((read_array(folder, b["inputs"], "<i8", b["shape"], device),
                            read_array(folder, b["positions"], "<i8", [count], device),
                            read_array(folder, b["targets"], "<i8", [count], device)))
            if b["shape"][1] > g["context"]:
                raise MissingInput(f"{b['inputs']}: {b['shape'][1]} tokens exceed the context of {g['context']}")

        def build_gpt():
            return GptModel(g["vocab_size"], g["d_model"], g["layers"], g["heads"], g["context"], g["dropout"])

        tokens = sum(int(b["tokens"]) for b in g["batches"])
        workloads["gpt"] = Workload("gpt", build_gpt, gpt_loss, g, batches, tokens)
    if "mlp" in spec:
        m = spec["mlp"]
        batches = [(read_array(folder, b["pixels"], "<f4", b["shape"], device),
                    read_array(folder, b["targets"], "<i8", [b["shape"][0]], device)) for b in m["batches"]]
        sizes = [m["input"], *m["hidden"], m["classes"]]
        workloads["mlp"] = Workload("mlp", lambda: mlp_model(sizes), mlp_loss, m, batches, 0)
    return workloads


# --- Timing ---

def synchronize(device):
    if device.type == "cuda":  # kernels run asynchronously: stop the clock only once they are done
        torch.cuda.synchronize(device)


def run_pass(workload, seed, device):
    """One timed pass over every batch from a fresh model and optimiser; returns (seconds, final loss)."""
    torch.manual_seed(seed)  # every repeat starts from the same weights
    model = workload.build().to(device)
    model.train()
    opt = workload.optimizer
    optimizer = torch.optim.AdamW(model.parameters(), lr=opt["lr"], betas=tuple(opt["betas"]), eps=opt["eps"],
                                  weight_decay=opt["weight_decay"])
    parameters = list(model.parameters())
    synchronize(device)
    start = time.perf_counter()
    for batch in workload.batches:
        loss = workload.loss(model, batch)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if workload.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(parameters, workload.grad_clip)
        optimizer.step()
    synchronize(device)
    seconds = time.perf_counter() - start
    return seconds, loss.item()  # read after the clock: .item() would force a sync inside the loop


def matmul_gflops(device):
    """Best of 5 timings of repeated 512x512 float32 products: the raw BLAS speed behind both timings."""
    a, b = torch.randn(512, 512, device=device), torch.randn(512, 512, device=device)
    out = torch.empty(512, 512, device=device)

    def timed(repeats):
        synchronize(device)
        start = time.perf_counter()
        for _ in range(repeats):
            torch.mm(a, b, out=out)
        synchronize(device)
        return time.perf_counter() - start

    timed(3)  # first-call costs
    repeats = max(1, int(0.2 / max(timed(10) / 10, 1e-9)))
    return 2 * 512 ** 3 * repeats / min(timed(repeats) for _ in range(5)) / 1e9


def blas_info():
    """BLAS_INFO of the build ("generic" on Debian, which links libblas.so.3) and, when that is OpenBLAS, its kernel.

    OpenBLAS picks its kernels from the CPU's name; on a virtual CPU without one it falls back to the oldest
    (Prescott, ~1/5 of the speed). Harness sets OPENBLAS_CORETYPE from the CPU's flags for this process.
    """
    match = re.search(r"\bBLAS_INFO=([^,\s]+)", torch.__config__.show())
    info = match.group(1) if match else "unknown"
    try:
        openblas = ctypes.CDLL("libopenblas.so.0")
        openblas.openblas_get_corename.restype = ctypes.c_char_p
        return f"{info} (OpenBLAS {openblas.openblas_get_corename().decode()})"
    except (OSError, AttributeError):
        return info


def matmul_is_exact(device):
    """Whether a float32 product of small integers (exact in float32) matches the integer product: a kernel chosen
    for the wrong CPU can compute wrong results rather than fail."""
    generator = torch.Generator().manual_seed(0)
    a = torch.randint(-8, 9, (256, 256), generator=generator)
    b = torch.randint(-8, 9, (256, 256), generator=generator)
    product = (a.float().to(device) @ b.float().to(device)).cpu()
    return bool(torch.equal(product.long(), a @ b))


# --- Modes ---

def serve(workloads, seed, device, out):
    """Answers one JSON line per stdin line: `gpt`/`mlp` (a timed pass), `warmup gpt`/`warmup mlp`, `quit`."""
    def reply(message):
        out.write(json.dumps(message) + "\n")
        out.flush()

    reply({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_info(),
           "matmul_exact": matmul_is_exact(device), "matmul_gflops": round(matmul_gflops(device), 2)})
    for line in sys.stdin:
        words = line.split()
        if words == ["quit"]:
            break
        warmup = len(words) == 2 and words[0] == "warmup"
        name = words[-1] if warmup or len(words) == 1 else None
        if name not in ("gpt", "mlp"):
            reply({"error": f"unknown command: {line.strip()!r}"})
            continue
        if name not in workloads:
            reply({"error": f"workload {name} is not in spec.json"})
            continue
        workload = workloads[name]
        try:
            seconds, loss = run_pass(workload, seed, device)
        except Exception as error:  # e.g. out of memory: report it and let Harness decide
            reply({"error": f"{name}: {error}"})
            continue
        if warmup:
            reply({"warmup": name})
        else:  # NaN is not JSON: a diverged loss goes out as null
            reply({"workload": name, "steps": len(workload.batches), "seconds": seconds, "tokens": workload.tokens,
                   "samples": workload.samples, "loss": loss if math.isfinite(loss) else None})


def standalone(workloads, seed, device, repeats):
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, BLAS {blas_info()}, device {device}")
    for workload in workloads.values():
        run_pass(workload, seed, device)
    times = {name: [] for name in workloads}
    for _ in range(repeats):  # interleaved, so a slow spell of the machine hits both workloads alike
        for name, workload in workloads.items():
            times[name].append(run_pass(workload, seed, device)[0])
    print(f"{'workload':<9} {'steps':>5} {'median s':>9} {'min s':>8} {'rate @median':>14} {'rate @best':>12}")
    for name, workload in workloads.items():
        median, best = statistics.median(times[name]), min(times[name])
        amount, unit = (workload.tokens, "tok/s") if name == "gpt" else (workload.samples, "samples/s")
        print(f"{name:<9} {len(workload.batches):>5} {median:>9.3f} {best:>8.3f} "
              f"{amount / median:>14,.0f} {amount / best:>12,.0f}  {unit}")


def main():
    parser = argparse.ArgumentParser(description="PyTorch reference timings for ./run.sh bench --vs-pytorch")
    parser.add_argument("dir", help="data folder written by Harness (holds spec.json)")
    parser.add_argument("--serve", action="store_true", help="answer commands on stdin, one JSON line each")
    parser.add_argument("--repeats", type=int, default=5, help="timed passes per workload (standalone mode)")
    parser.add_argument("--device", default="cpu", help="torch device (default cpu)")
    args = parser.parse_args()

    # The protocol owns stdout: anything else that prints (libraries, warnings) goes to stderr instead.
    protocol, sys.stdout = sys.stdout, sys.stderr
    spec_path = os.path.join(args.dir, "spec.json")
    try:
        with open(spec_path, encoding="utf-8") as file:
            spec = json.load(file)
        torch.set_num_threads(int(spec["threads"]))
        device = torch.device(args.device)
        workloads = load_workloads(args.dir, spec, device)
    except FileNotFoundError:
        print(f"missing file: {spec_path}", file=sys.stderr)
        return 2
    except MissingInput as error:
        print(error, file=sys.stderr)
        return 2
    except (KeyError, ValueError, TypeError) as error:
        print(f"{spec_path}: malformed ({type(error).__name__}: {error})", file=sys.stderr)
        return 2

    if args.serve:
        serve(workloads, int(spec.get("seed", 0)), device, protocol)
    else:
        sys.stdout = protocol
        standalone(workloads, int(spec.get("seed", 0)), device, args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
