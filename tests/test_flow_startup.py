"""Start-up: the first prompt is live quickly, and nothing is lost by what start-up puts off."""

import gc
import os
import sys

import pexpect

from derivtutor.commands import cli
from derivtutor.terminal import startup_gc
from derivtutor.terminal.saving import EventRecorder, FirstRunStore
from derivtutor.progress.store import FILENAME, Store

PROMPT = r"you[\s\x1b\[0-9;?m]*›"


def test_a_first_run_answers_without_a_file_and_creates_it_when_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("DERIVTUTOR_HOME", str(tmp_path))
    assert FirstRunStore.wanted()
    store = FirstRunStore("en")
    assert (store.last_lesson(), store.progress_summary(), store.load_state("lesson1")) == (None, {}, None)
    assert store.notices == [] and store.saving
    assert not (tmp_path / FILENAME).exists()
    store.ensure_open()
    assert (tmp_path / FILENAME).exists()
    assert not FirstRunStore.wanted()  # the second run opens the file before the prompt, to resume


def test_a_first_run_in_a_folder_that_cannot_be_written_says_so_with_the_first_answer(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    monkeypatch.setenv("DERIVTUTOR_HOME", str(blocker / "home"))
    assert FirstRunStore.wanted()
    recorder = EventRecorder(FirstRunStore("en"))
    recorder.prepare()
    said = recorder.news()
    assert said and "save" in said[0].text.lower()
    assert recorder.news() == []  # said once
    assert not recorder.store.saving


def test_the_collector_is_on_again_after_any_command(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DERIVTUTOR_HOME", str(tmp_path))
    assert gc.isenabled()
    assert cli.main(["list", "--plain"]) == 0
    assert gc.isenabled()
    startup_gc.pause()
    assert not gc.isenabled()
    startup_gc.resume()
    startup_gc.resume()  # twice is harmless
    assert gc.isenabled()


def test_typed_at_spawn_on_a_first_run_the_keys_show_and_progress_is_kept(tmp_path):
    env = dict(os.environ, DERIVTUTOR_HOME=str(tmp_path), PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm",
               LANG="C.UTF-8")
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, ["-m", "derivtutor", "start", "lesson1"], env=env,
                          encoding="utf-8", dimensions=(24, 100), timeout=60)
    child.send("zq")  # the learner types before anything is on screen
    child.expect(PROMPT)
    child.expect("zq")
    child.sendcontrol("c")  # drops the line
    child.expect(PROMPT)
    child.sendline("9")  # J = w² at w = 3
    child.expect("Right")
    child.expect(PROMPT)
    child.sendcontrol("d")
    child.expect("Saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert Store.open(tmp_path).load_state("lesson1")["pos"] > 0
