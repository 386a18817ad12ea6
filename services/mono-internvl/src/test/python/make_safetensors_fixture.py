#!/usr/bin/python3
"""Writes a small two-shard safetensors checkpoint with known values, independently of the Java writer.

Standard library only. bfloat16 rounding is done here by comparing the two neighbouring bfloat16 values (not by the
bit-twiddling trick the Java side uses), float16 by struct's 'e' format, so the Java reader and writer are checked
against an implementation that shares no code or method with them.

Usage: make_safetensors_fixture.py OUTPUT_DIR
Writes model-00001-of-00002.safetensors, model-00002-of-00002.safetensors, model.safetensors.index.json and
expected.json (per tensor: dtype, shape, shard, the float32 bits fed in, and the float32 bits a reader must return).
"""
import json
import math
import os
import struct
import sys

INF_BITS = 0x7F800000


def f32_bits(x):
    return struct.unpack('<I', struct.pack('<f', x))[0]


def bits_f32(b):
    return struct.unpack('<f', struct.pack('<I', b))[0]


def magnitude(bits):
    """Value of a float32 pattern, with the infinity pattern standing for 2**128 as IEEE overflow rounding requires."""
    b = bits & 0x7FFFFFFF
    return 2.0 ** 128 if b == INF_BITS else abs(bits_f32(b))


def to_bf16(bits):
    """Round a float32 pattern to bfloat16 (ties to even) by picking the nearer neighbour."""
    if (bits & 0x7F800000) == INF_BITS and (bits & 0x007FFFFF):
        return ((bits >> 16) | 0x0040) & 0xFFFF
    if (bits & 0x7FFFFFFF) == INF_BITS:
        return bits >> 16
    low = bits & 0xFFFF0000
    if low == bits:
        return bits >> 16
    high = low + 0x10000
    x = abs(bits_f32(bits))
    below = x - magnitude(low)
    above = magnitude(high) - x
    if below < above or (below == above and ((low >> 16) & 1) == 0):
        return low >> 16
    return high >> 16


def to_f16(bits):
    return struct.unpack('<H', struct.pack('<e', bits_f32(bits)))[0]


def f16_as_f32_bits(h):
    return f32_bits(struct.unpack('<e', struct.pack('<H', h))[0])


def encode(dtype, source_bits):
    """Returns (data bytes, float32 bits a reader should produce)."""
    if dtype == 'F32':
        return struct.pack('<%dI' % len(source_bits), *source_bits), list(source_bits)
    if dtype == 'BF16':
        halves = [to_bf16(b) for b in source_bits]
        return struct.pack('<%dH' % len(halves), *halves), [h << 16 for h in halves]
    halves = [to_f16(b) for b in source_bits]
    return struct.pack('<%dH' % len(halves), *halves), [f16_as_f32_bits(h) for h in halves]


ONE = 0x3F800000
# Each entry: name, dtype, shape, float32 bit patterns fed in.
SHARDS = [
    ('model-00001-of-00002.safetensors', {'format': 'pt', 'written_by': 'make_safetensors_fixture.py'}, [
        ('lm.weight_bf16', 'BF16', [2, 3], [
            ONE,                      # exact
            ONE | 0x8000,             # tie between 1 and next: even is 1.0
            ONE | 0x18000,            # tie with odd lower neighbour: rounds up
            ONE | 0x8001,             # just above the tie: rounds up
            f32_bits(-3.14159),
            0x00018000,               # float32 subnormal, tie, odd: rounds up to 0x0002
        ]),
        ('lm.norm_f16', 'F16', [4], [
            f32_bits(0.5), f32_bits(-65504.0), f32_bits(6e-8), f32_bits(1 / 3),
        ]),
        ('scalar_f32', 'F32', [], [f32_bits(42.25)]),
    ]),
    ('model-00002-of-00002.safetensors', {'format': 'pt'}, [
        ('vision.cube_f32', 'F32', [2, 2, 2], [
            f32_bits(math.inf), 0x80000000, f32_bits(1e30), 0x00000001,
            f32_bits(-1.5), 0x7FC00000, f32_bits(-math.inf), 0x7F7FFFFF,
        ]),
        ('vision.edges_bf16', 'BF16', [5], [
            0x7F7FFFFF,               # float32 max rounds to infinity
            0x7F7F7FFF,               # just below the tie to infinity: stays finite
            0xFF800000,               # -inf
            0x7FC00000,               # NaN
            0x00008000,               # subnormal tie with even lower neighbour: rounds to zero
        ]),
        ('vision.edges_f16', 'F16', [3], [0x7FC00000, f32_bits(math.inf), f32_bits(-2.0 ** -24)]),
        ('empty_f16', 'F16', [2, 0], []),
    ]),
]


def write_shard(path, metadata, tensors, expected, shard_name):
    header = {'__metadata__': metadata}
    data = bytearray()
    for name, dtype, shape, source in tensors:
        raw, decoded = encode(dtype, source)
        header[name] = {'dtype': dtype, 'shape': shape, 'data_offsets': [len(data), len(data) + len(raw)]}
        data += raw
        expected[name] = {'dtype': dtype, 'shape': shape, 'shard': shard_name,
                          'source_float32_bits': source, 'expected_float32_bits': decoded}
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as out:
        out.write(struct.pack('<Q', len(text)))
        out.write(text)
        out.write(data)
    return len(data)


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    expected = {}
    weight_map = {}
    total = 0
    shards = {}
    for shard_name, metadata, tensors in SHARDS:
        total += write_shard(os.path.join(out_dir, shard_name), metadata, tensors, expected, shard_name)
        shards[shard_name] = {'metadata': metadata, 'tensors': [t[0] for t in tensors]}
        for t in tensors:
            weight_map[t[0]] = shard_name
    with open(os.path.join(out_dir, 'model.safetensors.index.json'), 'w') as out:
        json.dump({'metadata': {'total_size': total}, 'weight_map': weight_map}, out, indent=2)
        out.write('\n')
    with open(os.path.join(out_dir, 'expected.json'), 'w') as out:
        json.dump({'shards': shards, 'tensors': expected}, out, indent=2)
        out.write('\n')


if __name__ == '__main__':
    main()
