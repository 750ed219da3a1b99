"""A passing test must have checked something: the assertions each test ran, counted.

pytest calls `pytest_assertion_pass` for every rewritten `assert` that passes (the ini option
`enable_assertion_pass_hook` turns it on). This plugin watches for one such call while a test's
body runs; a test that passes without any fails the session, unless its body expects an exception
(`pytest.raises`, `pytest.warns`), which is its check. Asserts in fixtures do not count: a test
that only sets things up claims nothing.

The verdict travels on the call report, so a run split over processes still sees it.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
from collections.abc import Callable, Generator, Iterator

import pytest
from _pytest.assertion import util as assertion_util

EXPECTING = frozenset({"raises", "warns", "deprecated_call"})
"""The pytest context managers that fail when what they expect does not happen."""

STALE = (
    "its asserts were rewritten before enable_assertion_pass_hook was on: "
    "delete the __pycache__ folders under tests/ and run again"
)


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("assertmode") == "rewrite" and not config.getini(
        "enable_assertion_pass_hook"
    ):
        raise pytest.UsageError(
            "tests.assertion_count needs enable_assertion_pass_hook = true in the pytest "
            "settings, or it would count no assertion at all"
        )
    config.pluginmanager.register(AssertionCount(), "assertion_count")


class AssertionCount:
    """Sees whether the running test body passed an assert; lists the tests that did not."""

    def __init__(self) -> None:
        self.running: pytest.Item | None = None
        self.asserted = False
        self.unchecked: dict[str, str] = {}

    def pytest_assertion_pass(self, item: pytest.Item) -> None:
        if item is self.running:
            self.asserted = True
            # One passing assert is all this needs to know. Without a pass hook the test's other
            # asserts skip building an explanation of why they passed, which would double the
            # time of the property tests; pytest puts the hook back when the test ends.
            assertion_util._assertion_pass = None

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, object, object]:
        self.running, self.asserted = item, False
        try:
            return (yield)
        finally:
            self.running = None

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if (
            call.when == "call"
            and report.passed
            and not self.asserted
            and isinstance(item, pytest.Function)
            and not expects_exception(item.obj)
        ):
            # A plain attribute: it survives the report's trip between processes.
            reason = STALE if rewritten_without_hook(item.obj) else "no assert ran"
            report.unchecked = reason  # type: ignore[attr-defined]
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        reason = getattr(report, "unchecked", None)
        if reason and not hasattr(report, "wasxfail"):
            self.unchecked[report.nodeid] = reason

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.unchecked and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.unchecked:
            return
        terminalreporter.section("tests that passed without checking anything", red=True)
        stale = sorted(node for node, reason in self.unchecked.items() if reason == STALE)
        for nodeid in sorted(set(self.unchecked) - set(stale)):
            terminalreporter.line(f"{nodeid}: {self.unchecked[nodeid]}")
        if stale:
            terminalreporter.line(f"{stale[0]} and {len(stale) - 1} more: {STALE}")
        terminalreporter.line(
            f"{len(self.unchecked)} passing test(s) ran no assert and expected no exception",
            red=True,
        )


def written_function(function: Callable[..., object]) -> Callable[..., object]:
    """The function a test's author wrote, under Hypothesis's and other decorators."""
    inner = getattr(getattr(function, "hypothesis", None), "inner_test", function)
    unwrapped: Callable[..., object] = inspect.unwrap(inner)
    return unwrapped


def source_tree(function: Callable[..., object]) -> ast.AST | None:
    """The syntax tree of a test function, or None when its source cannot be found."""
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(written_function(function))))
    except (OSError, TypeError, SyntaxError):
        return None


def expects_exception(function: Callable[..., object]) -> bool:
    """Whether the test's own body uses `pytest.raises`, `pytest.warns` or the like."""
    tree = source_tree(function)
    if tree is None:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func
            if isinstance(name, ast.Attribute) and name.attr in EXPECTING:
                return True
            if isinstance(name, ast.Name) and name.id in EXPECTING:
                return True
    return False


def rewritten_without_hook(function: Callable[..., object]) -> bool:
    """Whether the test's asserts come from a cached rewrite that calls no pass hook.

    pytest keys its cache of rewritten modules on the source alone, so a cache written before
    the ini option was on goes on being used, and its asserts never report passing.
    """
    code = getattr(written_function(function), "__code__", None)
    if not isinstance(code, types.CodeType):
        return False
    names = {name for each in code_objects(code) for name in each.co_names}
    return "_format_explanation" in names and "_check_if_assertion_pass_impl" not in names


def code_objects(code: types.CodeType) -> Iterator[types.CodeType]:
    """`code` and every code object nested in it (comprehensions, inner functions)."""
    yield code
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from code_objects(constant)
