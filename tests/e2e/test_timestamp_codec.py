"""Self-check of tests/e2e/lib/timestamp.py: round trips, golden layout, and survival of real
H.264 compression and downscaling by ffmpeg. Run: /usr/bin/python3 -m pytest tests/e2e/test_timestamp_codec.py
"""

import shutil
import subprocess

import pytest

from lib.timestamp import MAX_MILLIS, band_height, blocks_for, crc8, decode_luma, encode_luma

SOME_MILLIS = 1_700_000_000_123  # 2023-11-14T22:13:20.123Z


def test_crc8_matches_catalogue_check_value():
    assert crc8(b"123456789") == 0xF4
    assert crc8(bytes([0, 0, 0, 0, 0, 1])) == 0x07


def test_golden_block_layout():
    # Same golden as TimestampCodecTest.GoldenBlockLayout: sync, 48 bits of 1, CRC 0x07, closing.
    expected = "1010" + "0" * 47 + "1" + "00000111" + "0110"
    assert "".join(map(str, blocks_for(1))) == expected


def test_band_height():
    assert [band_height(h) for h in (720, 360, 1080, 96, 460)] == [36, 18, 54, 16, 24]


@pytest.mark.parametrize("width,height", [(128, 20), (320, 180), (640, 360), (1000, 562), (1280, 720)])
@pytest.mark.parametrize("ms", [0, SOME_MILLIS, MAX_MILLIS])
def test_round_trip(width, height, ms):
    assert decode_luma(encode_luma(ms, width, height), width, height) == ms


def test_keeps_low_48_bits():
    assert decode_luma(encode_luma((1 << 48) + 5, 320, 180), 320, 180) == 5


def test_rejects_damage_and_bad_input():
    width, height = 640, 360
    good = bytearray(encode_luma(SOME_MILLIS, width, height))
    for block in (1, 30, 55, 62):  # sync, payload, CRC, closing
        damaged = bytearray(good)
        for y in range(height - band_height(height), height):
            for x in range(block * 10, block * 10 + 10):
                damaged[y * width + x] = 16 if damaged[y * width + x] == 235 else 235
        assert decode_luma(bytes(damaged), width, height) is None, block
    assert decode_luma(bytes([128]) * (width * height), width, height) is None
    assert decode_luma(bytes(good[:-1]), width, height) is None
    assert decode_luma(bytes(good), 127, height) is None


def _frame(ms: int, index: int, width: int, height: int) -> bytes:
    """A moving diagonal gradient above the band, so the encoder has motion to spend bits on."""
    rows = height - band_height(height)
    picture = bytes((x + 2 * y + 8 * index) % 220 + 16 for y in range(rows) for x in range(width))
    return picture + encode_luma(ms, width, height)[width * rows:]


def _ffmpeg(args, data: bytes) -> bytes:
    return subprocess.run(["ffmpeg", "-v", "error", *args], input=data, capture_output=True, check=True).stdout


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")
@pytest.mark.parametrize("width,height,bitrate", [(640, 360, "300k"), (1280, 720, "1000k")])
def test_survives_h264_and_scaling(width, height, bitrate):
    frames = 10
    stamps = [SOME_MILLIS + 33 * i for i in range(frames)]
    raw = b"".join(_frame(ms, i, width, height) for i, ms in enumerate(stamps))
    h264 = _ffmpeg(["-f", "rawvideo", "-pix_fmt", "gray", "-s", f"{width}x{height}", "-r", "30", "-i", "-",
                    "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-b:v", bitrate,
                    "-maxrate", bitrate, "-bufsize", bitrate, "-pix_fmt", "yuv420p", "-f", "h264", "-"], raw)

    for out_width, out_height, scale in [(width, height, []), (320, 180, ["-vf", "scale=320:180"])]:
        gray = _ffmpeg(["-f", "h264", "-i", "-", *scale, "-f", "rawvideo", "-pix_fmt", "gray", "-"], h264)
        size = out_width * out_height
        assert len(gray) == frames * size
        decoded = [decode_luma(gray[i * size:(i + 1) * size], out_width, out_height) for i in range(frames)]
        assert decoded == stamps, f"{out_width}x{out_height}"
