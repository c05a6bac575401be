# Misconceptions about `with`, about printing exceptions, and about what an uncaught error does, as
# rewrites of the program (framework: ./rewrite.py).


def call(fn, *args):
    return ast.Call(func=name_load(fn) if isinstance(fn, str) else fn, args=list(args), keywords=[])


def method(obj, attr, *args):
    return ast.Call(func=ast.Attribute(value=name_load(obj), attr=attr, ctx=ast.Load()), args=list(args), keywords=[])


def entered(ctx, item):
    """`cm = <expr>` then `<var> = cm.__enter__()`, as `with` does; returns (cm name, statements)."""
    cm = ctx.name("cm")
    enter = method(cm, "__enter__")
    bind = ast.Assign(targets=[item.optional_vars], value=enter) if item.optional_vars is not None else ast.Expr(value=enter)
    return cm, [assign(cm, item.context_expr), bind]


@rule("with-exit-skipped-on-error", scope="with")
def with_exit_skipped(ctx, node):
    """`with m as x: body` as: x = m.__enter__(), body, then m.__exit__() only if body did not raise."""
    ctx.touch("with", node.lineno)
    item, rest = node.items[0], node.items[1:]
    body = with_exit_skipped(ctx, ast.With(items=rest, body=node.body, lineno=node.lineno)) if rest else node.body
    cm, out = entered(ctx, item)
    err = ctx.name("err")
    out.append(assign(err, const(False)))
    guard = parse_stmts(
        "try:\n    pass\nexcept BaseException:\n    %s = True\n    raise\nfinally:\n    if not %s:\n        %s.__exit__(None, None, None)"
        % (err, err, cm)
    )[0]
    guard.body = body
    out.append(guard)
    return out


@rule("with-swallows-error", scope="with")
def with_swallows_error(ctx, node):
    ctx.touch("with", node.lineno)
    swallow = ast.ExceptHandler(type=name_load("Exception"), name=None, body=[ast.Pass()])
    return ast.Try(body=[node], handlers=[swallow], orelse=[], finalbody=[])


@rule("with-exits-in-order", scope="with")
def with_exits_in_order(ctx, node):
    """`with a, b:` (or a `with` directly inside another) closing a first, then b."""
    items, body = list(node.items), node.body
    while len(body) == 1 and isinstance(body[0], ast.With):
        items, body = items + body[0].items, body[0].body
    if len(items) < 2:
        return None
    ctx.touch("with", node.lineno)
    out, managers = [], []
    for item in items:
        cm, stmts = entered(ctx, item)
        managers.append(cm)
        out.extend(stmts)
    info = ctx.name("info")
    exits = [assign(info, parse_stmts("_m_sys.exc_info()")[0].value)]
    exits += [ast.Expr(value=ast.Call(func=ast.Attribute(value=name_load(cm), attr="__exit__", ctx=ast.Load()), args=[ast.Starred(value=name_load(info), ctx=ast.Load())], keywords=[])) for cm in managers]
    out.append(ast.Try(body=body, handlers=[], orelse=[], finalbody=exits))
    return out


class PrintArgs(ast.NodeTransformer):
    """Passes every argument of print() through the helper `fmt`."""

    def __init__(self, ctx, fmt):
        self.ctx = ctx
        self.fmt = fmt
        self.changed = False

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "print" and node.args:
            node.args = [a if isinstance(a, ast.Starred) else call(self.fmt, a) for a in node.args]
            self.changed = True
        return node


@rule("print-shows-type", scope="module")
def print_shows_type(ctx, tree):
    t = PrintArgs(ctx, "_m_fmt")
    t.visit(tree)
    return t.changed


@rule("print-shows-name-only", scope="module")
def print_shows_name_only(ctx, tree):
    t = PrintArgs(ctx, "_m_name")
    t.visit(tree)
    return t.changed


@rule("uncaught-error-continues", scope="module")
def uncaught_error_continues(ctx, tree):
    """Each top-level statement on its own: an uncaught error is shown, then the next one runs."""
    out, changed = [], False
    for s in tree.body:
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
            out.append(s)
            continue
        catch = parse_stmts("try:\n    pass\nexcept Exception as _m_e:\n    _m_show(_m_e)")[0]
        catch.body = [s]
        out.append(catch)
        changed = True
    tree.body = out
    return changed


def is_generator(fn):
    return any(isinstance(n, (ast.Yield, ast.YieldFrom)) for s in fn.body for n in walk_scope(s))


def walk_scope(node):
    """ast.walk, without going into nested functions and classes."""
    todo = [node]
    while todo:
        n = todo.pop()
        yield n
        for child in ast.iter_child_nodes(n):
            if not isinstance(child, SCOPES):
                todo.append(child)


class Functions(ast.NodeTransformer):
    """Wraps the body of each function the program calls itself in `except Exception` doing `handle`."""

    def __init__(self, ctx, handle):
        self.ctx = ctx
        self.handle = handle
        self.changed = False

    def visit_FunctionDef(self, node):
        self.generic_visit(node)
        # Generators and the methods Python itself calls (__exit__, __str__, ...) are not "a function I call".
        if is_generator(node) or node.name.startswith("__") or any(isinstance(d, ast.Name) and d.id == "contextmanager" for d in node.decorator_list):
            return node
        catch = ast.ExceptHandler(type=name_load("Exception"), name="_m_e", body=[ast.Return(value=self.handle)])
        node.body = [ast.Try(body=node.body, handlers=[catch], orelse=[], finalbody=[])]
        self.changed = True
        return node


@rule("error-returns-none", scope="module")
def error_returns_none(ctx, tree):
    t = Functions(ctx, const(None))
    t.visit(tree)
    return t.changed


@rule("error-returns-message", scope="module")
def error_returns_message(ctx, tree):
    t = Functions(ctx, call("str", name_load("_m_e")))
    t.visit(tree)
    return t.changed


class PrintFirst(ast.NodeTransformer):
    """print(..., f(x), ...) where f is the program's own function: the line is printed before the
    call's own output, as if the outer print ran first."""

    def __init__(self, ctx, own):
        self.ctx = ctx
        self.own = own
        self.changed = False

    def visit_Expr(self, node):
        c = node.value
        if not (isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == "print"):
            return node
        calls_own = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in self.own for a in c.args for n in ast.walk(a))
        if not calls_own or any(isinstance(a, ast.Starred) for a in c.args):
            return node
        thunk = ast.Lambda(
            args=ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]),
            body=ast.Tuple(elts=c.args, ctx=ast.Load()),
        )
        node.value = ast.Call(func=name_load("_m_print_first"), args=[thunk], keywords=c.keywords)
        self.changed = True
        return node


@rule("caller-prints-first", scope="module")
def caller_prints_first(ctx, tree):
    own = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if not own:
        return False
    t = PrintFirst(ctx, own)
    t.visit(tree)
    return t.changed


@rule("with-is-assignment", scope="with")
def with_is_assignment(ctx, node):
    """`with m as x: body` read as `x = m` then body: no __enter__, no __exit__."""
    ctx.touch("with", node.lineno)
    out = []
    for item in node.items:
        if item.optional_vars is not None:
            out.append(ast.Assign(targets=[item.optional_vars], value=item.context_expr))
        else:
            out.append(ast.Expr(value=item.context_expr))
    return out + node.body
