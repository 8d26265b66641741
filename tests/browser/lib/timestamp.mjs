// The test pattern's timestamp band (docs/timestamp.md) in JavaScript: a port of
// tests/e2e/lib/timestamp.py (itself a mirror of src/sources/testpattern/TimestampCodec).
// Self-contained on purpose: the browser tests also load this file into the page, where it
// decodes the band of each displayed frame.
//
// 48-bit millisecond values exceed JavaScript's 32-bit bitwise operators, so bits are combined
// with arithmetic (exact up to 2^53).

export const BLOCKS = 64;
export const MILLIS_BITS = 48;
export const ONE = 235;
export const ZERO = 16;
export const MIN_WIDTH = 2 * BLOCKS;
export const MIN_HEIGHT = 20;
export const MIN_CONTRAST = 64;
const kSync = [1, 0, 1, 0];
const kClosing = [0, 1, 1, 0];
const kFirstMillis = kSync.length;
const kFirstCrc = kFirstMillis + MILLIS_BITS;
const kFirstClosing = kFirstCrc + 8;
const kModulus = 2 ** MILLIS_BITS;

/** CRC-8, polynomial 0x07, init 0, no reflection, no final xor (check value 0xF4). */
export function crc8(bytes) {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** The 6 big-endian bytes of a 48-bit value. */
export function millisBytes(ms) {
  const out = [];
  let v = ((ms % kModulus) + kModulus) % kModulus;
  for (let i = 0; i < 6; i++) {
    out.unshift(v % 256);
    v = Math.floor(v / 256);
  }
  return out;
}

export function bandHeight(height) {
  return (Math.max(16, Math.floor(height / 20)) + 1) & ~1;
}

const blockStart = (block, width) => Math.floor((block * width) / BLOCKS);

/** The 64 block values (1 or 0) that carry `ms` (modulo 2^48). */
export function blocksFor(ms) {
  const bits = [...kSync];
  for (const byte of millisBytes(ms)) for (let i = 7; i >= 0; i--) bits.push((byte >> i) & 1);
  const crc = crc8(millisBytes(ms));
  for (let i = 7; i >= 0; i--) bits.push((crc >> i) & 1);
  return bits.concat(kClosing);
}

/** A width x height luma plane (Uint8Array) of `background` with the band for `ms` at the bottom. */
export function encodeLuma(ms, width, height, background = 128) {
  if (width < MIN_WIDTH || height < MIN_HEIGHT) throw new RangeError(`${width}x${height} is too small`);
  const plane = new Uint8Array(width * height).fill(background);
  const blocks = blocksFor(ms);
  for (let y = height - bandHeight(height); y < height; y++) {
    for (let b = 0; b < BLOCKS; b++) {
      plane.fill(blocks[b] ? ONE : ZERO, y * width + blockStart(b, width), y * width + blockStart(b + 1, width));
    }
  }
  return plane;
}

/**
 * The milliseconds in the band of a luma plane, or null. `luma(x, y)` may be given instead of a
 * plane, to read straight from RGBA canvas pixels (lumaOfRgba).
 */
export function decodeLuma(plane, width, height) {
  if (width < MIN_WIDTH || height < MIN_HEIGHT) return null;
  const at = typeof plane === 'function' ? plane : (x, y) => plane[y * width + x];
  if (typeof plane !== 'function' && plane.length < width * height) return null;
  const zone = Math.floor(height / 20);
  const y0 = height - zone + Math.floor(zone / 4);
  const y1 = height - Math.floor(zone / 4);
  const means = [];
  for (let b = 0; b < BLOCKS; b++) {
    const s = blockStart(b, width);
    const e = blockStart(b + 1, width);
    const x0 = s + Math.floor((e - s) / 4);
    const x1 = e - Math.floor((e - s) / 4);
    let total = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) total += at(x, y);
    means.push(Math.floor(total / ((y1 - y0) * (x1 - x0))));
  }
  const lo = Math.min(...means);
  const hi = Math.max(...means);
  if (hi - lo < MIN_CONTRAST) return null;
  const bits = means.map((m) => (2 * m > lo + hi ? 1 : 0));
  for (let i = 0; i < 4; i++) {
    if (bits[i] !== kSync[i] || bits[kFirstClosing + i] !== kClosing[i]) return null;
  }
  let value = 0;
  for (let i = kFirstMillis; i < kFirstCrc; i++) value = value * 2 + bits[i];
  let crc = 0;
  for (let i = kFirstCrc; i < kFirstClosing; i++) crc = crc * 2 + bits[i];
  return crc === crc8(millisBytes(value)) ? value : null;
}

/** BT.601 luma of RGBA pixels (canvas ImageData) as a function for decodeLuma. */
export function lumaOfRgba(data, width) {
  return (x, y) => {
    const i = 4 * (y * width + x);
    return Math.round(0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]);
  };
}
