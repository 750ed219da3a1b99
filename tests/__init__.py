"""nashra's tests.

pytest rewrites the asserts of test modules and conftest files; the helper modules beside them
are registered here too, so that their asserts explain a failure and count as checks
(tests/assertion_count.py).
"""

from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent

pytest.register_assert_rewrite(
    *(
        ".".join(path.relative_to(_HERE.parent).with_suffix("").parts)
        for path in sorted(_HERE.rglob("*.py"))
        if (path.parent / "__init__.py").exists()
        and not path.name.startswith(("test_", "conftest", "__init__"))
    )
)
