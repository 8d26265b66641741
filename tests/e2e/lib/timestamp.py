"""The test pattern's timestamp band (docs/timestamp.md), in pure Python.

Mirrors src/sources/testpattern/TimestampCodec: a row of 64 black/white blocks across the
bottom of the frame holding sync 1010, 48 bits of Unix milliseconds (MSB first), CRC-8
(poly 0x07) over those 6 bytes, and closing 0110. decode_luma reads 8-bit luma rows
such as `ffmpeg ... -f rawvideo -pix_fmt gray -` writes, at any size the frame was scaled to.
"""

from typing import List, Optional

BLOCKS = 64
MILLIS_BITS = 48
MAX_MILLIS = (1 << MILLIS_BITS) - 1
ONE = 235
ZERO = 16
MIN_WIDTH = 2 * BLOCKS
MIN_HEIGHT = 20
MIN_CONTRAST = 64

_SYNC = [1, 0, 1, 0]
_CLOSING = [0, 1, 1, 0]
_FIRST_MILLIS = len(_SYNC)
_FIRST_CRC = _FIRST_MILLIS + MILLIS_BITS
_FIRST_CLOSING = _FIRST_CRC + 8


def crc8(data: bytes) -> int:
    """CRC-8, polynomial 0x07, init 0, no reflection, no final xor (check 0xF4)."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def band_height(height: int) -> int:
    """Rows the encoder draws: max(16, height // 20) rounded up to even."""
    return (max(16, height // 20) + 1) & ~1


def _block_start(block: int, width: int) -> int:
    return block * width // BLOCKS


def _bits(value: int, count: int) -> List[int]:
    return [(value >> (count - 1 - i)) & 1 for i in range(count)]


def blocks_for(ms: int) -> List[int]:
    """The 64 block values (1 or 0) that carry `ms` (its low 48 bits)."""
    ms &= MAX_MILLIS
    return _SYNC + _bits(ms, MILLIS_BITS) + _bits(crc8(ms.to_bytes(6, "big")), 8) + _CLOSING


def encode_luma(ms: int, width: int, height: int, background: int = 128) -> bytes:
    """A width x height luma plane of `background` with the band for `ms` at the bottom."""
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValueError(f"{width}x{height} is smaller than {MIN_WIDTH}x{MIN_HEIGHT}")
    row = bytearray()
    for block, bit in enumerate(blocks_for(ms)):
        row += bytes([ONE if bit else ZERO]) * (_block_start(block + 1, width) - _block_start(block, width))
    band = band_height(height)
    return bytes([background]) * (width * (height - band)) + bytes(row) * band


def decode_luma(data: bytes, width: int, height: int) -> Optional[int]:
    """The milliseconds in the band of a tightly packed luma plane, or None.

    Averages the middle half of each block within the middle half of the bottom height // 20
    rows, thresholds at the midpoint of the darkest and brightest block, then checks the sync,
    closing pattern and CRC.
    """
    if width < MIN_WIDTH or height < MIN_HEIGHT or len(data) < width * height:
        return None
    zone = height // 20
    y0 = height - zone + zone // 4
    y1 = height - zone // 4
    averages = []
    for block in range(BLOCKS):
        start = _block_start(block, width)
        end = _block_start(block + 1, width)
        x0 = start + (end - start) // 4
        x1 = end - (end - start) // 4
        total = sum(sum(data[y * width + x0:y * width + x1]) for y in range(y0, y1))
        averages.append(total // ((y1 - y0) * (x1 - x0)))
    lo, hi = min(averages), max(averages)
    if hi - lo < MIN_CONTRAST:
        return None
    bits = [1 if 2 * a > lo + hi else 0 for a in averages]
    if bits[:_FIRST_MILLIS] != _SYNC or bits[_FIRST_CLOSING:] != _CLOSING:
        return None
    value = 0
    for bit in bits[_FIRST_MILLIS:_FIRST_CRC]:
        value = (value << 1) | bit
    crc = 0
    for bit in bits[_FIRST_CRC:_FIRST_CLOSING]:
        crc = (crc << 1) | bit
    return value if crc == crc8(value.to_bytes(6, "big")) else None
