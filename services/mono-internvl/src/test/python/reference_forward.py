#!/usr/bin/python3
"""Expected logits for the Java ReferenceModel, from an independent PyTorch implementation of the spec.

Written from docs/mono-internvl-spec.md sections 1-3 with whole-tensor torch operations (conv2d, F.interpolate,
view/permute pixel shuffle, F.layer_norm, F.gelu, matmuls, softmax), so that it shares no loop structure with the
Java reference. Everything runs in float64: the fixture should be as close to the exact maths as possible, so that
the Java-versus-fixture difference measures the Java side's float32 error only.

Differences in method from the Java side, on purpose: the FFN computes both experts for every token and selects by
the visual mask (as HF does) instead of routing; GQA repeats the KV heads instead of indexing them; the causal mask
is a -inf matrix; the packed wqkv is split by reshaping to (kv_heads, group, head_dim).

Usage: reference_forward.py CHECKPOINT_DIR FIXTURE_DIR
Reads the checkpoint (safetensors parsed here with struct/json/numpy) and FIXTURE_DIR/checkpoint.json, writes
FIXTURE_DIR/expected.json and FIXTURE_DIR/expected-logits.bin, and prints how much the compared values move when
one detail of the spec is changed (so that the fixture is known to catch it).
"""
import hashlib
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

DT = torch.float64
IMG_START, IMG_END, IMG_CONTEXT = 92544, 92545, 92546
IM_START, IM_END, BOS = 92543, 92542, 1
LOGIT_STRIDE = 97
TOP_K = 20
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)


def read_safetensors(path):
    with open(path, 'rb') as f:
        header_len = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(header_len))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        start, end = info['data_offsets']
        raw = np.frombuffer(data[start:end], dtype=np.uint8)
        if info['dtype'] == 'BF16':
            values = (raw.view('<u2').astype(np.uint32) << 16).view(np.float32)
        elif info['dtype'] == 'F16':
            values = raw.view('<f2').astype(np.float32)
        elif info['dtype'] == 'F32':
            values = raw.view('<f4').astype(np.float32)
        else:
            raise ValueError(f'{path}: {name} has unsupported dtype {info["dtype"]}')
        tensors[name] = torch.from_numpy(values.reshape(info['shape']).copy()).to(DT)
    return tensors


def shard_files(ckpt_dir):
    index = os.path.join(ckpt_dir, 'model.safetensors.index.json')
    if os.path.exists(index):
        with open(index) as f:
            return sorted(set(json.load(f)['weight_map'].values()))
    return ['model.safetensors']


def load_checkpoint(ckpt_dir):
    weights = {}
    hashes = {}
    for name in shard_files(ckpt_dir):
        path = os.path.join(ckpt_dir, name)
        weights.update(read_safetensors(path))
        with open(path, 'rb') as f:
            hashes[name] = hashlib.sha256(f.read()).hexdigest()
    return weights, hashes


def pixel_values(tiles, size):
    """The formula ReferenceVsPytorchTest repeats: integer pattern mod 251, scaled to [0, 1], then normalised."""
    t, c, y, x = np.meshgrid(np.arange(tiles), np.arange(3), np.arange(size), np.arange(size), indexing='ij')
    level = (x * x + 3 * y * y + 7 * x * y + 31 * c + 101 * t) % 251
    value = level / 250.0
    mean = np.array(MEAN)[c]
    std = np.array(STD)[c]
    return torch.from_numpy(((value - mean) / std).astype(np.float32)).to(DT)


class Model:
    def __init__(self, config, weights, ps_version=None, ntk=True, route=True):
        self.cfg = config
        self.llm = config['llm_config']
        self.w = weights
        self.ps_version = ps_version or config['ps_version']
        self.ntk = ntk
        self.route = route
        self.heads = self.llm['num_attention_heads']
        self.kv_heads = self.llm['num_key_value_heads']
        self.head_dim = self.llm['hidden_size'] // self.heads
        self.eps = self.llm['rms_norm_eps']

    def vision(self, pixels):
        w = self.w
        patch = self.cfg['vision_config']['patch_size']
        x = F.conv2d(pixels, w['vision_model.embeddings.patch_embedding.weight'],
                     w['vision_model.embeddings.patch_embedding.bias'], stride=patch)
        n, width, side, _ = x.shape
        pos = w['vision_model.embeddings.position_embedding'][:, 1:, :]
        stored = int(round(math.sqrt(pos.shape[1])))
        pos = pos.reshape(1, stored, stored, width).permute(0, 3, 1, 2)
        if stored != side:
            pos = F.interpolate(pos, size=(side, side), mode='bicubic', align_corners=False)
        x = (x + pos).permute(0, 2, 3, 1)  # [n, rows, cols, width]
        x = self.pixel_shuffle(x).reshape(n, (side // 2) ** 2, 4 * width)
        x = F.layer_norm(x, (4 * width,), w['mlp1.0.weight'], w['mlp1.0.bias'], eps=1e-5)
        x = F.gelu(F.linear(x, w['mlp1.1.weight'], w['mlp1.1.bias']))
        x = F.linear(x, w['mlp1.3.weight'], w['mlp1.3.bias'])
        return x.reshape(-1, x.shape[-1])

    def pixel_shuffle(self, x):
        """[n, rows, cols, c] -> [n, rows/2, cols/2, 4c] (v2) or [n, cols/2, rows/2, 4c] (v1)."""
        n, rows, cols, c = x.shape
        x = x.reshape(n, rows, cols // 2, 2 * c)  # pairs of neighbouring columns side by side
        x = x.permute(0, 2, 1, 3).reshape(n, cols // 2, rows // 2, 4 * c)  # then pairs of rows
        if self.ps_version == 'v2':
            x = x.permute(0, 2, 1, 3)
        return x.contiguous()

    def rms(self, x, weight):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * weight

    def rope_base(self, total):
        scaling = self.llm.get('rope_scaling')
        limit = self.llm['max_position_embeddings']
        theta = self.llm['rope_theta']
        if not self.ntk or scaling is None or total <= limit:
            return theta
        factor = scaling['factor']
        d = self.head_dim
        return theta * (factor * total / limit - (factor - 1)) ** (d / (d - 2))

    def rope(self, x, positions, base):
        d = self.head_dim
        inv_freq = 1.0 / base ** (torch.arange(0, d, 2, dtype=DT) / d)
        angles = positions.to(DT)[:, None] * inv_freq[None, :]
        emb = torch.cat([angles, angles], dim=-1)[:, None, :]
        rotated = torch.cat([-x[..., d // 2:], x[..., :d // 2]], dim=-1)
        return x * emb.cos() + rotated * emb.sin()

    def ffn(self, prefix, y):
        w = self.w
        gate = F.silu(y @ w[prefix + 'w1.weight'].T)
        return (gate * (y @ w[prefix + 'w3.weight'].T)) @ w[prefix + 'w2.weight'].T

    def layer(self, n, x, visual, cache, base):
        w = self.w
        p = f'language_model.model.layers.{n}.'
        length = x.shape[0]
        start = cache['k'].shape[0]
        group = self.heads // self.kv_heads
        qkv = (self.rms(x, w[p + 'attention_norm.weight']) @ w[p + 'attention.wqkv.weight'].T)
        qkv = qkv.reshape(length, self.kv_heads, group + 2, self.head_dim)
        q = qkv[:, :, :group, :].reshape(length, self.heads, self.head_dim)
        positions = torch.arange(start, start + length)
        q = self.rope(q, positions, base)
        k = self.rope(qkv[:, :, group, :], positions, base)
        cache['k'] = torch.cat([cache['k'], k])
        cache['v'] = torch.cat([cache['v'], qkv[:, :, group + 1, :]])
        keys = cache['k'].repeat_interleave(group, dim=1)
        values = cache['v'].repeat_interleave(group, dim=1)
        scores = torch.einsum('lhd,thd->hlt', q, keys) / math.sqrt(self.head_dim)
        total = keys.shape[0]
        future = torch.arange(total)[None, :] > (start + torch.arange(length))[:, None]
        scores = scores.masked_fill(future[None], float('-inf'))
        attn = torch.einsum('hlt,thd->lhd', torch.softmax(scores, dim=-1), values).reshape(length, -1)
        h = x + attn @ w[p + 'attention.wo.weight'].T
        y = self.rms(h, w[p + 'ffn_norm.weight'])
        text = self.ffn(p + 'feed_forward.', y)
        vis = self.ffn(p + 'feed_forward_ve.', y)
        m = (visual if self.route else torch.zeros_like(visual)).to(DT)[:, None]
        return h + m * vis + (1 - m) * text

    def new_cache(self):
        empty = torch.zeros(0, self.kv_heads, self.head_dim, dtype=DT)
        return [{'k': empty, 'v': empty} for _ in range(self.llm['num_hidden_layers'])]

    def forward(self, ids, image_rows, cache, decode):
        ids = torch.tensor(ids)
        x = self.w['language_model.model.tok_embeddings.weight'][ids].clone()
        visual = ids == IMG_CONTEXT
        if decode:
            visual = torch.zeros_like(visual)
        else:
            count = int(visual.sum())
            rows = image_rows if image_rows is not None else torch.zeros(0, x.shape[1], dtype=DT)
            assert rows.shape[0] == count, f'{rows.shape[0]} image rows for {count} <IMG_CONTEXT> tokens'
            x[visual] = rows
        base = self.rope_base(cache[0]['k'].shape[0] + x.shape[0])
        for n in range(len(cache)):
            x = self.layer(n, x, visual, cache[n], base)
        x = self.rms(x, self.w['language_model.model.norm.weight'])
        return x @ self.w['language_model.output.weight'].T


def text_ids(rng, count):
    return [int(i) for i in rng.integers(3, 92000, size=count)]


def image_prompt(rng, tiles, per_tile):
    return ([BOS, IM_START] + text_ids(rng, 6) + [IMG_START] + [IMG_CONTEXT] * (tiles * per_tile) + [IMG_END]
            + text_ids(rng, 5) + [IM_END, IM_START] + text_ids(rng, 2))


def run_case(model, ids, pixels, positions, decode_steps):
    """Logits at `positions` of the prefill, then greedy decode steps; returns rows, fed ids and vision rows."""
    rows = model.vision(pixels) if pixels is not None else None
    cache = model.new_cache()
    logits = model.forward(ids, rows, cache, decode=False)
    prefill = [logits[p] for p in positions]
    steps = []
    token = int(torch.argmax(logits[-1]))
    for _ in range(decode_steps):
        step = model.forward([token], None, cache, decode=True)[0]
        steps.append((token, step))
        token = int(torch.argmax(step))
    return prefill, steps, rows


class Writer:
    def __init__(self):
        self.values = []
        self.count = 0

    def add(self, array):
        flat = np.asarray(array, dtype=np.float64).reshape(-1)
        offset = self.count
        self.values.append(flat.astype('<f4'))
        self.count += flat.size
        return offset

    def logit_row(self, logits):
        top = torch.argsort(logits, descending=True)[:TOP_K]
        subset = torch.cat([logits[::LOGIT_STRIDE], logits[top]])
        return {'top_ids': [int(i) for i in top], 'offset': self.add(subset.numpy())}


def max_diff(a_rows, b_rows):
    return max(float((a - b).abs().max()) for a, b in zip(a_rows, b_rows))


def main():
    ckpt_dir, fixture_dir = sys.argv[1], sys.argv[2]
    with open(os.path.join(ckpt_dir, 'config.json')) as f:
        config = json.load(f)
    with open(os.path.join(fixture_dir, 'checkpoint.json')) as f:
        checkpoint = json.load(f)
    weights, hashes = load_checkpoint(ckpt_dir)
    rng = np.random.default_rng(7)
    writer = Writer()
    cases = []
    sensitivity = {}

    tiles, tile = 2, config['vision_config']['image_size']
    per_tile = (tile // config['vision_config']['patch_size']) ** 2 // 4
    ids = image_prompt(rng, tiles, per_tile)
    first_image = ids.index(IMG_CONTEXT)
    last_image = first_image + tiles * per_tile - 1
    positions = [0, first_image - 1, first_image, first_image + 300, last_image, last_image + 1, len(ids) - 1]
    vision_rows = [0, 1, 17, per_tile - 1, per_tile, 2 * per_tile - 1]
    pixels = pixel_values(tiles, tile)
    baseline = None
    for ps in ('v2', 'v1'):
        model = Model(config, weights, ps_version=ps)
        prefill, steps, rows = run_case(model, ids, pixels, positions, 3)
        if baseline is None:
            baseline = (prefill, steps)
        cases.append({
            'name': 'image-' + ps, 'ps_version': ps, 'ids': ids, 'tiles': tiles, 'tile_size': tile,
            'prefill': [dict(position=p, **writer.logit_row(row)) for p, row in zip(positions, prefill)],
            'decode': [dict(id=token, **writer.logit_row(row)) for token, row in steps],
            'vision_rows': {'rows': vision_rows, 'offset': writer.add(rows[vision_rows].numpy())},
        })
    image_v2_prefill, image_v2_steps = baseline
    sensitivity['ps_version v1 instead of v2'] = max_diff(image_v2_prefill, prefill)
    for label, kwargs in (('no dynamic NTK', {'ntk': False}), ('no FFN routing', {'route': False})):
        other, other_steps, _ = run_case(Model(config, weights, **kwargs), ids, pixels, positions, 3)
        sensitivity[label + ' (prefill)'] = max_diff(image_v2_prefill, other)
        sensitivity[label + ' (decode)'] = max_diff([s for _, s in image_v2_steps], [s for _, s in other_steps])

    text = [BOS, IM_START] + text_ids(rng, 20) + [IM_END, IM_START]
    text_positions = [0, 7, 15, len(text) - 1]
    model = Model(config, weights)
    prefill, steps, _ = run_case(model, text, None, text_positions, 3)
    cases.append({
        'name': 'text', 'ps_version': config['ps_version'], 'ids': text,
        'prefill': [dict(position=p, **writer.logit_row(row)) for p, row in zip(text_positions, prefill)],
        'decode': [dict(id=token, **writer.logit_row(row)) for token, row in steps],
    })

    vision_cases = []
    for size, stride in ((224, 1), (560, 7)):
        rows = model.vision(pixel_values(1, size))
        picked = list(range(0, rows.shape[0], stride))
        vision_cases.append({'name': f'vision-{size}', 'tile_size': size, 'tiles': 1, 'row_count': rows.shape[0],
                             'rows': picked, 'offset': writer.add(rows[picked].numpy())})
        stored = config['vision_config']['image_size'] // config['vision_config']['patch_size']
        side = size // config['vision_config']['patch_size']
        pos = weights['vision_model.embeddings.position_embedding'][:, 1:, :]
        grid = pos.reshape(1, stored, stored, -1).permute(0, 3, 1, 2)
        exact = F.interpolate(grid, size=(side, side), mode='bicubic', align_corners=False)
        other = F.interpolate(grid, size=(side, side), mode='bicubic', align_corners=True)
        sensitivity[f'position embedding align_corners=True at {size} (embedding)'] = float((exact - other).abs().max())

    manifest = {
        'generator': 'src/test/python/reference_forward.py',
        'checkpoint': dict(checkpoint, sha256=hashes),
        'vocab_size': config['llm_config']['vocab_size'],
        'logit_stride': LOGIT_STRIDE,
        'top_k': TOP_K,
        'cases': cases,
        'vision_cases': vision_cases,
        'sensitivity_max_abs_change': sensitivity,
    }
    with open(os.path.join(fixture_dir, 'expected-logits.bin'), 'wb') as f:
        f.write(np.concatenate(writer.values).tobytes())
    with open(os.path.join(fixture_dir, 'expected.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
        f.write('\n')
    for label, value in sensitivity.items():
        print(f'{label}: max abs change {value:.4g}')
    for case in cases:
        print(case['name'], 'decoded', [d['id'] for d in case['decode']])


if __name__ == '__main__':
    main()
