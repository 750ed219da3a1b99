"""The assertion count: a session in which a test passed without checking anything fails."""

from __future__ import annotations

import sys

import pytest

pytest_plugins = ["pytester"]

INI = "[pytest]\nenable_assertion_pass_hook = true\n"
HEADING = "tests that passed without checking anything"


def run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    """A session over one test module `source`, with the assertion count on."""
    pytester.makeini(INI)
    pytester.makepyfile(test_module=source)
    return pytester.runpytest("-p", "tests.assertion_count", *args)


def test_a_test_that_asserts_nothing_fails_the_session(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        def test_sorts():
            sorted([2, 1])

        def test_sorts_in_order():
            assert sorted([2, 1]) == [1, 2]
        """,
    )
    result.assert_outcomes(passed=2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([f"*{HEADING}*", "test_module.py::test_sorts: no assert ran"])
    assert "test_sorts_in_order:" not in result.stdout.str()


def test_a_session_whose_tests_all_check_something_passes(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import pytest
        from hypothesis import given, strategies

        def test_sorts_in_order():
            assert sorted([2, 1]) == [1, 2]

        def test_refuses_a_word():
            with pytest.raises(ValueError):
                int("two")

        @given(strategies.integers())
        def test_reads_back(number):
            assert int(str(number)) == number

        @pytest.mark.skip(reason="not here")
        def test_skipped():
            pass

        @pytest.mark.xfail(reason="known")
        def test_expected_to_fail():
            sorted([2, 1])
        """,
    )
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=3, skipped=1, xpassed=1)
    assert HEADING not in result.stdout.str()


def test_an_assert_in_a_fixture_is_not_the_test_s_check(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import pytest

        @pytest.fixture
        def numbers():
            numbers = sorted([2, 1])
            assert numbers == [1, 2]
            return numbers

        def test_uses_numbers(numbers):
            len(numbers)
        """,
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["test_module.py::test_uses_numbers: no assert ran"])


def test_a_failing_test_is_reported_as_failing_only(pytester: pytest.Pytester) -> None:
    result = run(pytester, "def test_breaks():\n    int('two')\n")
    result.assert_outcomes(failed=1)
    assert HEADING not in result.stdout.str()


def test_asserts_cached_without_the_pass_hook_are_named_as_the_cause(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    source = "def test_sorts_in_order():\n    assert sorted([2, 1]) == [1, 2]\n"
    pytester.makepyfile(test_module=source)
    pytester.runpytest("-o", "enable_assertion_pass_hook=false").assert_outcomes(passed=1)

    result = run(pytester, source)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*delete the __pycache__ folders under tests/ and run again"])


def test_the_verdict_travels_with_the_report(pytestconfig: pytest.Config) -> None:
    """pytest-xdist moves reports between processes this way; the verdict goes with them."""
    report = pytest.TestReport(
        "test_module.py::test_sorts",
        ("test_module.py", 0, "test_sorts"),
        {},
        "passed",
        None,
        "call",
        unchecked="no assert ran",
    )
    hook = pytestconfig.hook
    data = hook.pytest_report_to_serializable(config=pytestconfig, report=report)
    copy = hook.pytest_report_from_serializable(config=pytestconfig, data=data)
    assert copy.unchecked == "no assert ran"


def test_the_plugin_refuses_to_run_without_the_pass_hook(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_module="def test_sorts_in_order():\n    assert sorted([2, 1])\n")
    result = pytester.runpytest("-p", "tests.assertion_count")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*needs enable_assertion_pass_hook = true*"])
