"""The examples in the package's docstrings run and give what they show."""

import doctest

import pytest

import fupin
import fupin.errors
import fupin.spending


@pytest.mark.parametrize("module", [fupin, fupin.errors, fupin.spending], ids=lambda m: m.__name__)
def test_docstring_examples(module: object) -> None:
    failed, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert tried > 0 and failed == 0
