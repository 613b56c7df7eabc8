"""`explain` and `check` hold `--wrt` and `--at` against J: a number or a phrase is no variable,
and a point for a variable J lacks is named, with J's own variables (issue 11, "misleading")."""

import json
import os
import subprocess
import sys

import pytest


def run(*args, lang="en"):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    env.update(LANG="en_US.UTF-8", PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "derivtutor", "--lang", lang, *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=120)


@pytest.mark.parametrize("command", [["explain", "w^2"], ["check", "w^2", "2*w"]])
@pytest.mark.parametrize("wrt", ["3", "lambda: 1", "pi", "a*b"])
def test_a_wrt_that_is_not_a_variable_name_is_refused_in_one_sentence(command, wrt):
    out = run(*command, "--wrt", wrt)
    assert out.returncode in (1, 2) and out.stdout == ""
    assert out.stderr.strip().splitlines() == [
        f"--wrt wants one variable name, like w or x1; `{wrt}` is not a variable name."]
    assert "dJ/d3" not in out.stderr and "Wrong variable" not in out.stderr


def test_a_wrt_that_is_a_variable_is_taken():
    out = run("explain", "w^2*x", "--wrt", "x", "--at", "w=3,x=1")
    assert out.returncode == 0, out.stderr
    assert "dJ/dx = 9" in out.stdout
    out = run("check", "w^2*x", "w^2", "--wrt", "x")
    assert out.returncode == 0 and out.stdout.startswith("Correct")


@pytest.mark.parametrize("command", [["explain", "w^2"], ["check", "w^2", "2*w"]])
def test_a_point_for_a_variable_j_does_not_have_names_js_variables(command):
    out = run(*command, "--at", "q=2")
    assert out.returncode in (1, 2) and out.stdout == ""
    assert out.stderr.strip() == "--at gives a value to q, but q is not a variable of J = w²; its variables are w."
    assert "No --at given" not in out.stderr


def test_the_same_in_chinese_and_as_json():
    out = run("explain", "w^2", "--at", "q=2", lang="zh")
    assert out.stderr.strip() == "--at 给 q 赋了值，但 J = w² 里没有变量 q；它的变量是 w。"
    out = run("explain", "w^2", "--wrt", "3", lang="zh")
    assert out.stderr.strip() == "--wrt 后面要写一个变量名，比如 w 或 x1；`3` 不是变量名。"
    out = run("check", "w^2", "2w", "--wrt", "3", "--json")
    assert json.loads(out.stdout)["code"] == "bad_wrt"


def test_the_wrt_variable_may_have_a_point_though_j_lacks_it():
    out = run("explain", "w^2", "--wrt", "x", "--at", "w=3,x=1")
    assert out.returncode == 0, out.stderr
    assert "dJ/dx = 0" in out.stdout


@pytest.mark.parametrize("command", [["explain", "J = w^2"], ["check", "w^2", "2*w"]])
def test_a_wrt_naming_the_function_itself_is_refused(command):
    out = run(*command, "--wrt", "J")
    assert out.stderr.strip() == "--wrt J names the function itself; differentiate by one of its variables: w."
    assert "dJ/dJ" not in out.stdout


def test_a_wrt_j_does_not_contain_is_said_with_js_variables():
    out = run("explain", "w^2", "--wrt", "x", "--at", "w=3,x=1")
    assert "w² has no x in it, so its derivative by x is 0: x is held constant. Its variables are w." in out.stdout


def test_a_default_point_is_found_far_out_when_j_needs_it():
    out = run("explain", "sqrt(w - 10)")
    assert out.returncode == 0, out.stderr
    assert "so I use w = 100 (choose one with --at w=100)" in out.stdout


def test_chinese_refusals_list_the_variables_with_the_chinese_comma():
    for args, said in [(("check", "x*y+z", "y", "--wrt", "x", "--at", "q=2"), "它的变量是 x、y、z。"),
                       (("check", "x*y", "y", "--wrt", "J"), "请对它的某个变量求导：x、y。")]:
        assert run(*args, lang="zh").stderr.strip().endswith(said)
    assert "它的变量是 x、y。" in run("explain", "x*y", "--wrt", "w", lang="zh").stdout
