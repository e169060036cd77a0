"""Prints, one per line as hex, every non-ASCII character the window's
English text and icons use (ui/src, but Korean and tests), so that
scripts/package.sh can ask the clean root's fontconfig for a font that has
each. Hangul is left out: it comes with fonts-noto-cjk, which the .deb
recommends."""

import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent / "ui" / "src"


def hangul(c):
    o = ord(c)
    return 0xAC00 <= o <= 0xD7A3 or 0x3130 <= o <= 0x318F or 0x1100 <= o <= 0x11FF


chars = set()
for p in ROOT.rglob("*"):
    if p.suffix in (".svelte", ".ts", ".css") and p.name != "ko.ts" and not p.name.endswith(".test.ts"):
        chars.update(c for c in p.read_text(encoding="utf-8") if ord(c) > 127 and not hangul(c))
for c in sorted(chars):
    print(f"{ord(c):04x}")
