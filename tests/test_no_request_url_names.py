"""No request parameter is used as a URL name or an unchecked redirect target.

A `?back=` of the sales-rep pages was once passed to reverse() as a URL name: any value
that is not one is a 500, and one that is leads wherever the link's author wanted. A
redirect to a parameter goes through `core.http.safe_next`, and URL names are literals.
This walks the source of every app and names each call of reverse(), redirect() and friends
whose target reads `request.GET`, `request.POST`, `request.headers` or `request.META`
(directly, or through a variable assigned from them in the same function).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", "tests", "migrations", "node_modules", "static", "stubs"}
URL_CALLS = {"reverse", "reverse_lazy", "redirect", "resolve_url", "HttpResponseRedirect"}
REQUEST_DATA = {"GET", "POST", "headers", "META", "COOKIES"}


def source_files() -> list[Path]:
    return [
        path for path in ROOT.rglob("*.py") if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts)
    ]


def reads_request_data(node: ast.AST, tainted: set[str]) -> bool:
    """The value is read from the request: `request.GET.get("back")`, `request.POST["next"]`,
    `request.GET.get("q", "").strip()`, `a or request.GET.get("b")`, or a variable that
    was assigned one of these. (What a form cleaned is not: the form checked it.)"""
    if isinstance(node, ast.BoolOp):
        return any(reads_request_data(value, tainted) for value in node.values)
    if isinstance(node, ast.JoinedStr | ast.BinOp):
        return any(
            reads_request_data(child, tainted)
            for child in ast.iter_child_nodes(node)
            if isinstance(child, ast.expr)
        )
    if isinstance(node, ast.FormattedValue):
        return reads_request_data(node.value, tainted)
    while isinstance(node, ast.Call | ast.Attribute | ast.Subscript):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in REQUEST_DATA
            and isinstance(node.value, ast.Name)
            and node.value.id == "request"
        ):
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return isinstance(node, ast.Name) and node.id in tainted


def call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def offenders_in(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        tainted: set[str] = set()
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and reads_request_data(node.value, tainted):
                tainted |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        for node in ast.walk(function):
            if not isinstance(node, ast.Call) or call_name(node) not in URL_CALLS:
                continue
            target = node.args[0] if node.args else None
            if target is not None and reads_request_data(target, tainted):
                found.append(f"{path.relative_to(root)}:{node.lineno} {call_name(node)}()")
    return found


def test_no_request_parameter_is_a_url_name_or_a_redirect_target():
    offenders = [o for path in source_files() for o in offenders_in(path)]

    assert len(source_files()) > 50, "the walk found the project's modules"
    assert offenders == [], (
        "These calls take a URL name or a redirect target from the request; use a "
        f"whitelist or core.http.safe_next: {offenders}"
    )


def test_the_check_finds_a_back_parameter_used_as_a_url_name(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "def view(request):\n"
        "    back = request.GET.get('back', 'home')\n"
        "    return redirect(reverse(back))\n"
        "def other(request):\n"
        "    return redirect(request.POST['next'])\n"
        "def fine(request):\n"
        "    return redirect('orders:list', pk=request.GET.get('pk'))\n"
    )
    found = [line.split(" ", 1)[1] for line in offenders_in(module, root=tmp_path)]

    assert found == ["reverse()", "redirect()"]
