"""The cyclic garbage collector is paused while the tutor starts, and resumed once the prompt is live.

Start-up builds many long-lived objects (modules, classes, prompt_toolkit's layout) and frees
almost none, so the full collections Python runs meanwhile find nothing and only delay the
first prompt. `resume()` freezes what start-up built (later collections skip it, which also
helps while SymPy loads in the background) and turns the collector back on.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Idempotent; does nothing unless `pause()` turned the collector off."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
