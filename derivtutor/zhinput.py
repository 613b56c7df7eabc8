"""Full-width input, as a Chinese keyboard types it, turned into the ASCII the parser reads.

A stand-in: the notation work builds `mathinput.normalize(text)` for the parser
itself; when it lands, `normalize` here should simply call it. Until then this
covers what a Chinese IME produces in a reply: full-width ASCII (`０．１`, `＝`,
`（`, `，`, `？`), the ideographic space, and a closing `。`.
"""

from __future__ import annotations

# U+FF01..U+FF5E are the full-width forms of ASCII 0x21..0x7E, in order.
_WIDE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDE.update({0x3000: ord(" "), ord("、"): ord(","), ord("【"): ord("["), ord("】"): ord("]")})


def normalize(text: str) -> str:
    """`ｗ＝０．１。` → `w=0.1`: full-width to ASCII, one closing full stop dropped."""
    text = text.translate(_WIDE).strip()
    return text[:-1].rstrip() if text.endswith("。") else text
