"""A learner who types `skip` at every step still sees every number the course labs print.

Each number is the lab's Python float, digit for digit, mapped to the lesson that teaches it
(the labs are in ../shared/seeds). The transcript is what the learner reads (plain text, minus
signs as the tutor writes them), in English and in Chinese.
"""

import pytest

from derivtutor.teaching import lessons
from derivtutor.terminal import render
from derivtutor.teaching.runner import Runner

MINUS = "\u2212"
LAB_NUMBERS = {
    1: ["6.000999999999479", "6.000000496442226"],                     # J = w² at 3, ε = 0.001 and 1e-9
    2: ["1.9999999999997797", "12.006000999997823",                   # J = 2w, J = w³ at 2
        MINUS + "0.2498750624687629", MINUS + "0.031238285155041345"],  # J = 1/w at 2, 1/w² at 4
    3: ["22.000999999988835", "66.0090000000082",                      # ∂J/∂a, ∂J/∂w for (2+3w)²
        "3.0004999999997395", "3.0005000000006277", "1.000000000000334"],  # ∂J/∂d, ∂J/∂a, ∂d/∂a
}
MAX_LINES = 400


def skip_through(n, lang):
    path = lessons.shipped_dir() / ("zh/" if lang == "zh" else "") / f"lesson{n}.toml"
    runner = Runner(lessons.load(path, lang), lang=lang)
    said = runner.start()
    typed = 0
    while not runner.done:
        said += runner.answer("skip")
        typed += 1
        assert typed < MAX_LINES, "skip did not move the lesson on"
    return render.to_plain(said, width=100, lang=lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("n", sorted(LAB_NUMBERS))
def test_skipping_every_step_still_shows_the_labs_numbers(n, lang):
    transcript = skip_through(n, lang)
    # A number may sit at the end of a wrapped line; the digits themselves are never cut.
    missing = [x for x in LAB_NUMBERS[n] if x not in transcript]
    assert missing == [], f"lesson{n} ({lang}) skipped through hides {missing}"
