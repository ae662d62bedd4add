"""The hand-written stubs must describe exactly what the compiled module exposes."""

import ast
import inspect
from pathlib import Path

import fupin
from fupin import _fupin, errors

STUB = Path(fupin.__file__).with_name("_fupin.pyi")


def stub_names() -> tuple[set[str], dict[str, set[str]]]:
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    top: set[str] = set()
    members: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            top.add(node.name)
            members[node.name] = {
                n.name if isinstance(n, ast.FunctionDef) else n.target.id  # type: ignore[union-attr]
                for n in node.body
                if isinstance(n, ast.FunctionDef)
                or (isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name))
            }
        elif isinstance(node, ast.FunctionDef):
            top.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            top.add(node.target.id)
    # Names with a leading underscore are typing helpers of the stub only (`_Lang`).
    private = {n for n in top if n.startswith("_") and n != "__version__"}
    return top - private, {k: v for k, v in members.items() if k not in private}


#: Underscore names that are part of the public surface (notebook display protocol).
PROTOCOL = {"_repr_html_"}


def public(names: object) -> set[str]:
    return {n for n in dir(names) if not n.startswith("_") or n in PROTOCOL}


def test_stub_lists_every_public_name_of_the_module() -> None:
    top, _ = stub_names()
    assert top == public(_fupin) | {"__version__"}


def test_stub_lists_every_method_and_property_of_each_class() -> None:
    _, members = stub_names()
    for name, declared in members.items():
        cls = getattr(_fupin, name)
        if issubclass(cls, BaseException):
            continue
        assert declared == public(cls), name


def test_stub_signatures_match_the_compiled_ones() -> None:
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            if node.name.startswith("_"):
                continue
            owner = getattr(_fupin, node.name)
            funcs = [(getattr(owner, f.name), f) for f in node.body if isinstance(f, ast.FunctionDef)]
        elif isinstance(node, ast.Module):
            funcs = [(getattr(_fupin, f.name), f) for f in node.body if isinstance(f, ast.FunctionDef)]
        else:
            continue
        for obj, f in funcs:
            if isinstance(obj, property) or any(
                isinstance(d, ast.Name) and d.id == "property" for d in f.decorator_list
            ):
                continue
            declared = [a.arg for a in f.args.args + f.args.kwonlyargs if a.arg != "self"]
            actual = [p for p in inspect.signature(obj).parameters if p != "self"]
            assert declared == actual, f.name


def test_package_reexports_everything() -> None:
    assert set(fupin.__all__) == public(_fupin) | set(errors.__all__) - {"ErrorDetails"} | {"__version__"}
