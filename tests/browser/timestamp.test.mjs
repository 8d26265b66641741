// The JavaScript port of the timestamp band decoder (lib/timestamp.mjs) against the examples of
// docs/timestamp.md and the Python reference (tests/e2e/lib/timestamp.py), when it is there.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './lib/server.mjs';
import { blocksFor, crc8, decodeLuma, encodeLuma, lumaOfRgba } from './lib/timestamp.mjs';

test('CRC-8/SMBUS check value and the documented example', () => {
  assert.equal(crc8([...'123456789'].map((c) => c.charCodeAt(0))), 0xf4);
  assert.equal(blocksFor(1).join(''),
               '1010' + '0'.repeat(47) + '1' + '00000111' + '0110');
});

test('round trip at several sizes, with 48-bit values', () => {
  for (const ms of [0, 1, 1733450000123, 2 ** 48 - 1, 2 ** 47 + 12345]) {
    for (const [w, h] of [[640, 360], [1280, 720], [320, 180], [128, 96]]) {
      assert.equal(decodeLuma(encodeLuma(ms, w, h), w, h), ms, `${ms} at ${w}x${h}`);
    }
  }
});

test('refuses planes without a band, flipped, corrupted, or too small', () => {
  const [w, h] = [640, 360];
  assert.equal(decodeLuma(new Uint8Array(w * h).fill(128), w, h), null);
  const plane = encodeLuma(1733450000123, w, h);
  const flipped = new Uint8Array(plane.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) flipped[y * w + x] = plane[y * w + (w - 1 - x)];
  assert.equal(decodeLuma(flipped, w, h), null);
  const corrupted = plane.slice();
  for (let y = h - 18; y < h; y++) corrupted.fill(corrupted[y * w + 300] === 235 ? 16 : 235, y * w + 300, y * w + 310);
  assert.equal(decodeLuma(corrupted, w, h), null); // one bit of ms flipped: the CRC fails
  assert.equal(decodeLuma(encodeLuma(5, 128, 96), 127, 96), null);
});

test('reads RGBA pixels as a canvas returns them', () => {
  const [w, h] = [640, 360];
  const plane = encodeLuma(1733450000123, w, h);
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < plane.length; i++) rgba.set([plane[i], plane[i], plane[i], 255], 4 * i);
  assert.equal(decodeLuma(lumaOfRgba(rgba, w), w, h), 1733450000123);
});

test('agrees with the Python decoder', (t) => {
  const ms = 1733450000123;
  const [w, h] = [320, 180];
  const script = `import sys; sys.path.insert(0, ${JSON.stringify(path.join(ROOT, 'tests/e2e'))})\n` +
    `from lib.timestamp import encode_luma; sys.stdout.buffer.write(encode_luma(${ms}, ${w}, ${h}))`;
  const out = spawnSync('/usr/bin/python3', ['-c', script], { maxBuffer: 1 << 24 });
  if (out.error || out.status !== 0) return t.skip('no /usr/bin/python3');
  const pythonPlane = new Uint8Array(out.stdout);
  assert.deepEqual(pythonPlane, encodeLuma(ms, w, h));
  assert.equal(decodeLuma(pythonPlane, w, h), ms);
});
