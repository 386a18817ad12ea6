#!/usr/bin/env python3
"""Decode and prefill timings of a Mono-InternVL-2B-shaped decoder in plain PyTorch, for comparison with the GPU cost
model (./pagestream model cost) and the engine (./pagestream gpu-check).

The model is built here from its shapes (no Hugging Face, no checkpoint): 24 layers, hidden 2048, grouped-query
attention with 16 query and 8 key/value heads of 128, rotary embeddings (NeoX, theta 1e6), RMSNorm, SwiGLU FFN 8192,
vocab 92553, with the visual FFN experts beside the text FFN, random weights. KV caches are static and preallocated,
[batch, 8, capacity, 128] per layer and side. A decode step reads the text path only (as in the real model, decode
routes every token to the text FFN); a prefill of one 448-px tile runs the patch embedding, pixel shuffle and projector,
then 256 image tokens through the decoder with both FFN experts selected per token by a mask (as the engine's ONNX
graph does).

Timings: CUDA events around N steps after a warm-up, on a GPU; perf_counter on the CPU. Every timed decode step runs at
the same position (context + 1 positions attended, the new key/value written at slot `context`), so the work per step
is constant and a CUDA graph can replay it. Prints a Markdown table and one JSON line (prefix "JSON ").

  python3 scripts/gpu/decode_bench.py                                  # CUDA, bf16, batches 1,16,64, contexts 1k,4k
  python3 scripts/gpu/decode_bench.py --cuda-graphs                    # each step replayed from a CUDA graph
  python3 scripts/gpu/decode_bench.py --compile                        # torch.compile (torch 2.x)
  python3 scripts/gpu/decode_bench.py --device cpu --layers 2 --small  # smoke test, seconds on a laptop CPU

Works with torch 1.13 and 2.x. Memory at the defaults: about 6.2 GB of bf16 weights + 25.8 GB of KV cache.
"""

import argparse
import json
import math
import platform
import sys
import time

import torch
import torch.nn.functional as F


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--dtype", choices=["bf16", "fp16", "fp32"], default=None,
                   help="default: bf16 on CUDA (the real model's dtype), fp32 on the CPU")
    p.add_argument("--layers", type=int, default=24)
    p.add_argument("--hidden", type=int, default=2048)
    p.add_argument("--heads", type=int, default=16)
    p.add_argument("--kv-heads", type=int, default=8)
    p.add_argument("--ffn", type=int, default=8192)
    p.add_argument("--vocab", type=int, default=92553)
    p.add_argument("--vision-hidden", type=int, default=1024)
    p.add_argument("--tile", type=int, default=448)
    p.add_argument("--patch", type=int, default=14)
    p.add_argument("--small", action="store_true",
                   help="tiny sizes for a smoke test: hidden 64, 4/2 heads of 16, FFN 128, vocab 1000, vision 32, "
                        "tile 112, batches 1,2, contexts 16,32")
    p.add_argument("--batches", default=None, help="comma-separated; default 1,16,64")
    p.add_argument("--contexts", default=None, help="KV positions per row, comma-separated; default 1024,4096")
    p.add_argument("--steps", type=int, default=20, help="timed decode steps per point")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--prefill-repeats", type=int, default=5)
    p.add_argument("--prefill-past", type=int, default=0, help="positions already cached before the tile")
    p.add_argument("--prefill-experts", type=int, choices=[1, 2], default=2,
                   help="2: both FFN experts on every token, selected by the image mask (the engine's graph); 1: "
                        "the visual expert only")
    p.add_argument("--attention", choices=["sdpa", "manual"], default=None,
                   help="default: sdpa where torch has it (2.x), else manual")
    p.add_argument("--compile", action="store_true", help="torch.compile the decode step (torch 2.x only)")
    p.add_argument("--cuda-graphs", action="store_true", help="replay each decode step from a CUDA graph")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--self-check", action="store_true",
                   help="before timing, check that a decode step after a prefill of S tokens gives the logits of a "
                        "prefill of S + 1 tokens (cache, rotary positions, GQA grouping), with both attention "
                        "implementations where torch has SDPA; exits 1 when they differ")
    args = p.parse_args(argv)
    if args.small:
        args.hidden, args.heads, args.kv_heads, args.ffn, args.vocab = 64, 4, 2, 128, 1000
        args.vision_hidden, args.tile = 32, 112
    args.batches = [int(b) for b in (args.batches or ("1,2" if args.small else "1,16,64")).split(",")]
    args.contexts = [int(c) for c in (args.contexts or ("16,32" if args.small else "1024,4096")).split(",")]
    if args.dtype is None:
        args.dtype = "bf16" if args.device.startswith("cuda") else "fp32"
    if args.attention is None:
        args.attention = "sdpa" if hasattr(F, "scaled_dot_product_attention") else "manual"
    if args.attention == "sdpa" and not hasattr(F, "scaled_dot_product_attention"):
        p.error("--attention sdpa needs torch 2.0 or newer (this is %s)" % torch.__version__)
    if args.compile and not hasattr(torch, "compile"):
        p.error("--compile needs torch 2.0 or newer (this is %s)" % torch.__version__)
    if args.cuda_graphs and not args.device.startswith("cuda"):
        p.error("--cuda-graphs needs a CUDA device")
    if args.hidden % args.heads or args.heads % args.kv_heads:
        p.error("hidden must divide by heads, heads by kv-heads")
    return args


DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}


class Decoder:
    """The weights and the two forward passes. Linear weights are stored [out, in], as in the checkpoint."""

    def __init__(self, a, device, dtype):
        self.a = a
        self.device = device
        self.dtype = dtype
        self.head_dim = a.hidden // a.heads
        self.group = a.heads // a.kv_heads
        h, i, d = a.hidden, a.ffn, self.head_dim
        qkv_rows = (a.heads + 2 * a.kv_heads) * d
        torch.manual_seed(a.seed)

        def w(*shape, std=0.02):
            return torch.empty(*shape, device=device, dtype=dtype).normal_(0.0, std)

        def ones(n):
            return torch.ones(n, device=device, dtype=dtype)

        self.layers = []
        for _ in range(a.layers):
            self.layers.append({
                "attention_norm": ones(h), "ffn_norm": ones(h),
                "wqkv": w(qkv_rows, h), "wo": w(h, h),
                "w1": w(i, h), "w3": w(i, h), "w2": w(h, i),
                "ve_w1": w(i, h), "ve_w3": w(i, h), "ve_w2": w(h, i),
            })
        self.embedding = w(a.vocab, h)
        self.norm = ones(h)
        self.output = w(a.vocab, h)
        # vision: patch embedding conv, pixel shuffle 0.5, projector LayerNorm + Linear + GELU + Linear
        vh = a.vision_hidden
        self.patch_w = w(vh, 3, a.patch, a.patch)
        self.patch_b = torch.zeros(vh, device=device, dtype=dtype)
        self.positions = w(1, (a.tile // a.patch) ** 2, vh)
        self.mlp_ln_w, self.mlp_ln_b = ones(4 * vh), torch.zeros(4 * vh, device=device, dtype=dtype)
        self.mlp1_w, self.mlp1_b = w(h, 4 * vh), torch.zeros(h, device=device, dtype=dtype)
        self.mlp3_w, self.mlp3_b = w(h, h), torch.zeros(h, device=device, dtype=dtype)
        # rotary tables, NeoX layout, theta 1e6
        inv = 1.0 / (1e6 ** (torch.arange(0, d, 2, dtype=torch.float32) / d))
        self.max_positions = max(a.contexts) + a.prefill_past + (a.tile // a.patch // 2) ** 2 + 8
        t = torch.arange(self.max_positions, dtype=torch.float32)
        freqs = torch.outer(t, inv)
        emb = torch.cat([freqs, freqs], dim=-1)
        self.cos = emb.cos().to(device=device, dtype=dtype)
        self.sin = emb.sin().to(device=device, dtype=dtype)

    # ---- sizes, for the bandwidth figures ----

    def decode_weight_bytes(self):
        names = ("attention_norm", "ffn_norm", "wqkv", "wo", "w1", "w3", "w2")
        total = sum(layer[n].numel() * layer[n].element_size() for layer in self.layers for n in names)
        return total + self.norm.numel() * self.norm.element_size() + self.output.numel() * self.output.element_size()

    def kv_bytes_per_position(self):
        return 2 * self.a.layers * self.a.kv_heads * self.head_dim * torch.empty((), dtype=self.dtype).element_size()

    # ---- pieces ----

    def rms(self, x, weight):
        xf = x.float()
        xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + 1e-5)
        return xf.to(x.dtype) * weight

    @staticmethod
    def rotate_half(x):
        half = x.shape[-1] // 2
        return torch.cat([-x[..., half:], x[..., :half]], dim=-1)

    def rope(self, x, cos, sin):
        return x * cos + self.rotate_half(x) * sin

    def split_qkv(self, qkv):
        """wqkv rows are grouped per KV head: its query heads, then its key, then its value (the checkpoint's layout)."""
        shape = qkv.shape[:-1]
        g = qkv.view(*shape, self.a.kv_heads, self.group + 2, self.head_dim)
        q = g[..., : self.group, :].reshape(*shape, self.a.heads, self.head_dim)
        k = g[..., self.group, :]
        v = g[..., self.group + 1, :]
        return q, k, v

    # ---- decode: one token per row, all rows at position `pos` ----

    def decode_step(self, ids, caches, pos):
        """ids [B]; caches: per layer (k, v) views [B, KV, capacity, D]; writes slot pos; returns float32 logits [B, V]."""
        a = self.a
        b = ids.shape[0]
        x = F.embedding(ids, self.embedding)
        cos = self.cos[pos].view(1, 1, -1)
        sin = self.sin[pos].view(1, 1, -1)
        length = pos + 1
        for layer, (kc, vc) in zip(self.layers, caches):
            h = self.rms(x, layer["attention_norm"])
            q, k, v = self.split_qkv(F.linear(h, layer["wqkv"]))        # q [B, H, D], k/v [B, KV, D]
            q = self.rope(q, cos, sin)
            k = self.rope(k, cos, sin)
            kc[:, :, pos] = k
            vc[:, :, pos] = v
            keys = kc[:, :, :length]                                      # [B, KV, T, D], no copy
            values = vc[:, :, :length]
            qg = q.view(b, a.kv_heads, self.group, self.head_dim)         # the group's queries share their KV head
            if a.attention == "sdpa":
                o = F.scaled_dot_product_attention(qg, keys, values)     # no mask: a decode token sees every position
            else:
                scores = torch.matmul(qg, keys.transpose(-1, -2)).float() / math.sqrt(self.head_dim)
                o = torch.matmul(scores.softmax(-1).to(values.dtype), values)
            x = x + F.linear(o.reshape(b, a.hidden), layer["wo"])
            h = self.rms(x, layer["ffn_norm"])
            x = x + F.linear(F.silu(F.linear(h, layer["w1"])) * F.linear(h, layer["w3"]), layer["w2"])
        return F.linear(self.rms(x, self.norm), self.output).float()

    # ---- prefill: one tile's image tokens at batch 1 ----

    def vision(self, pixels):
        """[1, 3, tile, tile] -> projector rows [tokens, hidden]."""
        p = F.conv2d(pixels, self.patch_w, self.patch_b, stride=self.a.patch)   # [1, vh, n, n]
        n = p.shape[-1]
        x = p.flatten(2).transpose(1, 2) + self.positions                       # [1, n*n, vh]
        x = x.view(n // 2, 2, n // 2, 2, -1).permute(0, 2, 1, 3, 4).reshape((n // 2) ** 2, -1)  # pixel shuffle
        x = F.layer_norm(x, (x.shape[-1],), self.mlp_ln_w, self.mlp_ln_b, 1e-5)
        x = F.gelu(F.linear(x, self.mlp1_w, self.mlp1_b))
        return F.linear(x, self.mlp3_w, self.mlp3_b)

    def prefill(self, rows, caches, past, image_tokens=True):
        """rows [S, hidden] after `past` cached positions, all image tokens (or all text); the last position's logits."""
        a = self.a
        s = rows.shape[0]
        x = rows.unsqueeze(0)                                                   # [1, S, H]
        image = torch.full((1, s, 1), image_tokens, device=rows.device, dtype=torch.bool)
        cos = self.cos[past:past + s].view(1, s, 1, -1)
        sin = self.sin[past:past + s].view(1, s, 1, -1)
        total = past + s
        causal = torch.ones(s, total, device=rows.device, dtype=torch.bool).tril(diagonal=past)
        for layer, (kc, vc) in zip(self.layers, caches):
            h = self.rms(x, layer["attention_norm"])
            q, k, v = self.split_qkv(F.linear(h, layer["wqkv"]))                # q [1, S, Hq, D], k [1, S, KV, D]
            q = self.rope(q, cos, sin)
            k = self.rope(k, cos, sin)
            kc[:1, :, past:total] = k.transpose(1, 2)
            vc[:1, :, past:total] = v.transpose(1, 2)
            keys = kc[:1, :, :total].repeat_interleave(self.group, dim=1)       # [1, Hq, T, D]
            values = vc[:1, :, :total].repeat_interleave(self.group, dim=1)
            q = q.transpose(1, 2)                                               # [1, Hq, S, D]
            if a.attention == "sdpa":
                o = F.scaled_dot_product_attention(q, keys, values, attn_mask=causal)
            else:
                scores = torch.matmul(q, keys.transpose(-1, -2)).float() / math.sqrt(self.head_dim)
                scores = scores.masked_fill(~causal, float("-inf"))
                o = torch.matmul(scores.softmax(-1).to(values.dtype), values)
            x = x + F.linear(o.transpose(1, 2).reshape(1, s, a.hidden), layer["wo"])
            h = self.rms(x, layer["ffn_norm"])
            visual = F.linear(F.silu(F.linear(h, layer["ve_w1"])) * F.linear(h, layer["ve_w3"]), layer["ve_w2"])
            if a.prefill_experts == 2 or not image_tokens:
                text = F.linear(F.silu(F.linear(h, layer["w1"])) * F.linear(h, layer["w3"]), layer["w2"])
                x = x + torch.where(image, visual, text)
            else:
                x = x + visual
        return F.linear(self.rms(x[:, -1], self.norm), self.output).float()


class Clock:
    """CUDA events on a GPU, perf_counter elsewhere; milliseconds."""

    def __init__(self, device):
        self.cuda = device.startswith("cuda")

    def sync(self):
        if self.cuda:
            torch.cuda.synchronize()

    def time(self, fn, repeats):
        self.sync()
        if self.cuda:
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            for _ in range(repeats):
                fn()
            end.record()
            end.synchronize()
            return start.elapsed_time(end) / repeats
        t0 = time.perf_counter()
        for _ in range(repeats):
            fn()
        return (time.perf_counter() - t0) * 1e3 / repeats


def decode_point(model, caches_full, batch, context, args, clock):
    ids = torch.randint(0, args.vocab, (batch,), device=model.device)
    caches = [(k[:batch], v[:batch]) for k, v in caches_full]
    step = model.decode_step
    if args.compile:
        step = torch.compile(model.decode_step, dynamic=False)

    def run():
        return step(ids, caches, context)

    if args.cuda_graphs:
        stream = torch.cuda.Stream()
        stream.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(stream):
            for _ in range(max(3, args.warmup)):
                run()
        torch.cuda.current_stream().wait_stream(stream)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            run()
        timed = graph.replay
    else:
        for _ in range(args.warmup):
            run()
        timed = run
    with torch.no_grad():
        ms = clock.time(timed, args.steps)
    bytes_read = model.decode_weight_bytes() + batch * (context + 1) * model.kv_bytes_per_position()
    return {"batch": batch, "positions": context + 1, "ms_per_step": ms, "tokens_per_s": batch * 1e3 / ms,
            "bytes_per_step": bytes_read, "effective_gb_s": bytes_read / ms / 1e6}


def prefill_point(model, caches_full, args, clock):
    pixels = torch.randn(1, 3, args.tile, args.tile, device=model.device, dtype=model.dtype)
    caches = [(k[:1], v[:1]) for k, v in caches_full]
    rows = model.vision(pixels)
    for _ in range(max(1, args.warmup // 2)):
        model.prefill(model.vision(pixels), caches, args.prefill_past)
    vision_ms = clock.time(lambda: model.vision(pixels), args.prefill_repeats)
    total_ms = clock.time(lambda: model.prefill(model.vision(pixels), caches, args.prefill_past), args.prefill_repeats)
    return {"tokens": rows.shape[0], "past": args.prefill_past, "experts": args.prefill_experts,
            "vision_ms": vision_ms, "ms_per_tile": total_ms}


def self_check(model, args):
    """Decode after a prefill of S text tokens against a prefill of S + 1: the same last logits. Returns the worst gap."""
    s = 12
    ids = torch.randint(0, args.vocab, (s + 1,), device=model.device)
    rows = F.embedding(ids, model.embedding)
    worst = 0.0
    original = args.attention
    kinds = ["manual"] + (["sdpa"] if hasattr(F, "scaled_dot_product_attention") else [])
    reference = None
    for kind in kinds:
        args.attention = kind
        shape = (1, args.kv_heads, s + 2, model.head_dim)
        fresh = lambda: [(torch.zeros(shape, device=model.device, dtype=model.dtype),
                          torch.zeros(shape, device=model.device, dtype=model.dtype)) for _ in range(args.layers)]
        caches = fresh()
        model.prefill(rows[:s], caches, 0, image_tokens=False)
        decoded = model.decode_step(ids[s:], caches, s)[0]
        whole = model.prefill(rows, fresh(), 0, image_tokens=False)[0]
        scale = whole.abs().max().item()
        worst = max(worst, (decoded - whole).abs().max().item() / scale)
        if reference is None:
            reference = whole
        else:
            worst = max(worst, (whole - reference).abs().max().item() / scale)
        print("self-check (%s attention): decode after prefill vs prefill, max |diff| / max |logit| = %.2e" % (
            kind, (decoded - whole).abs().max().item() / scale))
    args.attention = original
    return worst


def main(argv=None):
    args = parse_args(argv)
    device, dtype = args.device, DTYPES[args.dtype]
    torch.backends.cuda.matmul.allow_tf32 = True
    clock = Clock(device)
    with torch.no_grad():
        model = Decoder(args, device, dtype)
        if args.self_check:
            tolerance = 1e-4 if dtype == torch.float32 else 3e-2
            worst = self_check(model, args)
            if worst > tolerance:
                print("self-check FAILED: %.2e > %.0e" % (worst, tolerance))
                return 1
        capacity = max(max(args.contexts) + 1, args.prefill_past + (args.tile // args.patch // 2) ** 2)
        shape = (max(args.batches), args.kv_heads, capacity, model.head_dim)
        caches = [(torch.randn(shape, device=device, dtype=dtype), torch.randn(shape, device=device, dtype=dtype))
                  for _ in range(args.layers)]
        decode = [decode_point(model, caches, b, c, args, clock) for c in args.contexts for b in args.batches]
        prefill = prefill_point(model, caches, args, clock)
    name = torch.cuda.get_device_name(device) if device.startswith("cuda") else platform.processor() or "cpu"
    mode = "torch.compile" if args.compile else "CUDA graphs" if args.cuda_graphs else "eager"
    print("decode_bench: %s (%s), torch %s, %s, %s attention, %s; %d layers, hidden %d, %d/%d heads of %d, FFN %d, "
          "vocab %d; decode weights %.3f GB, KV %d B per position" % (
              device, name, torch.__version__, args.dtype, args.attention, mode, args.layers, args.hidden, args.heads,
              args.kv_heads, model.head_dim, args.ffn, args.vocab, model.decode_weight_bytes() / 1e9,
              model.kv_bytes_per_position()))
    print("| batch | positions | ms/step | tokens/s | GB read/step | effective GB/s |")
    print("|---:|---:|---:|---:|---:|---:|")
    for d in decode:
        print("| %d | %d | %.3f | %.0f | %.3f | %.0f |" % (d["batch"], d["positions"], d["ms_per_step"],
                                                          d["tokens_per_s"], d["bytes_per_step"] / 1e9,
                                                          d["effective_gb_s"]))
    print("prefill of one tile: %d image tokens after %d positions, %d FFN expert(s) per token: %.2f ms "
          "(vision %.2f ms)" % (prefill["tokens"], prefill["past"], prefill["experts"], prefill["ms_per_tile"],
                                prefill["vision_ms"]))
    print("JSON " + json.dumps({"device": device, "device_name": name, "torch": torch.__version__,
                                "python": sys.version.split()[0], "dtype": args.dtype, "attention": args.attention,
                                "mode": mode, "layers": args.layers, "hidden": args.hidden, "heads": args.heads,
                                "kv_heads": args.kv_heads, "ffn": args.ffn, "vocab": args.vocab,
                                "decode_weight_bytes": model.decode_weight_bytes(),
                                "kv_bytes_per_position": model.kv_bytes_per_position(), "decode": decode,
                                "prefill": prefill}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
