# Misconceptions about one try statement, as rewrites of it (framework: ./rewrite.py).


def unset_as_none(stmt):
    """A learner who believes the lines after a failed `x = ...` still run imagines x is None."""
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
    return [assign(t.id, const(None)) for t in targets if isinstance(t, ast.Name)]


@rule("rest-of-try-runs")
def rest_of_try_runs(ctx, node):
    if len(node.body) < 2 or not (node.handlers or node.finalbody):
        return None
    p = ctx.name("p")
    body = [assign(p, const(None))]
    for s in node.body:
        catch = parse_stmts("try:\n    pass\nexcept BaseException as _m_e:\n    if %s is None:\n        %s = _m_e" % (p, p))[0]
        catch.body = [s]
        catch.handlers[0].body.extend(unset_as_none(s))
        body.append(catch)
    body.extend(parse_stmts("if %s is not None:\n    raise %s" % (p, p)))
    node.body = body
    ctx.touch("try", node.lineno)
    return node


@rule("resume-after-handler")
def resume_after_handler(ctx, node):
    if len(node.body) < 2 or not node.handlers:
        return None
    h = ctx.name("h")
    body = [assign(h, const(False))]
    for s in node.body:
        handlers = copy.deepcopy(node.handlers)
        for handler in handlers:
            handler.body = [assign(h, const(True))] + unset_as_none(s) + handler.body
        body.append(ast.Try(body=[s], handlers=handlers, orelse=[], finalbody=[]))
    if node.orelse:
        body.append(ast.If(test=ast.UnaryOp(op=ast.Not(), operand=name_load(h)), body=node.orelse, orelse=[]))
    for handler in node.handlers:
        ctx.touch("except", handler.lineno)
    ctx.touch("try", node.lineno)
    if node.finalbody:
        return ast.Try(body=body, handlers=[], orelse=[], finalbody=node.finalbody)
    return body


def bind_handler_name(handler):
    """`as err` without an exception: a learner still expects `err` to be an instance of the type."""
    if not handler.name:
        return []
    t = handler.type.elts[0] if isinstance(handler.type, ast.Tuple) else handler.type
    fallback = ast.Try(
        body=[assign(handler.name, ast.Call(func=copy.deepcopy(t), args=[], keywords=[]))],
        handlers=[ast.ExceptHandler(type=None, name=None, body=[assign(handler.name, const(None))])],
        orelse=[],
        finalbody=[],
    )
    return [fallback]


@rule("except-always-runs")
def except_always_runs(ctx, node):
    if not node.handlers:
        return None
    extra = []
    for handler in node.handlers:
        # A bare `raise` re-raises the error being handled; without one it means nothing to the learner.
        body = [ast.Pass() if isinstance(s, ast.Raise) and s.exc is None else s for s in copy.deepcopy(handler.body)]
        extra.extend((bind_handler_name(handler) if handler.type is not None else []) + body)
        ctx.touch("except", handler.lineno)
    node.orelse = extra + node.orelse
    return node


BROAD = ("Exception", "BaseException")


@rule("any-except-catches")
def any_except_catches(ctx, node):
    changed = False
    for handler in node.handlers:
        if handler.type is not None and not (isinstance(handler.type, ast.Name) and handler.type.id in BROAD):
            handler.type = name_load("Exception")
            ctx.touch("except", handler.lineno)
            changed = True
    return node if changed else None


def dispatch(ctx, node, mode):
    """One `except BaseException` that picks handlers with _m_choose(exc, types, mode)."""
    handlers = node.handlers
    if len(handlers) < 2 and mode in ("specific", "every"):
        return None
    if mode == "exact" and not any(typed(h) for h in handlers):
        return None
    e, pick = ctx.name("e"), ctx.name("pick")
    types = ast.List(elts=[copy.deepcopy(h.type) if h.type is not None else const(None) for h in handlers], ctx=ast.Load())
    body = [assign(pick, ast.Call(func=name_load("_m_choose"), args=[name_load(e), types, const(mode)], keywords=[]))]
    body.extend(parse_stmts("if not %s:\n    raise" % pick))
    for i, h in enumerate(handlers):
        run = h.body
        if h.name:
            # As Python does: the `as` name is deleted when the handler ends.
            unbind = [assign(h.name, const(None)), ast.Delete(targets=[ast.Name(id=h.name, ctx=ast.Del())])]
            run = [assign(h.name, name_load(e)), ast.Try(body=run, handlers=[], orelse=[], finalbody=unbind)]
        test = ast.Compare(left=const(i), ops=[ast.In()], comparators=[name_load(pick)])
        body.append(ast.If(test=test, body=run, orelse=[]))
        ctx.touch("except", h.lineno)
    node.handlers = [ast.ExceptHandler(type=name_load("BaseException"), name=e, body=body)]
    return node


@rule("most-specific-handler")
def most_specific_handler(ctx, node):
    return dispatch(ctx, node, "specific")


@rule("every-matching-handler")
def every_matching_handler(ctx, node):
    return dispatch(ctx, node, "every")


@rule("except-exact-type")
def except_exact_type(ctx, node):
    return dispatch(ctx, node, "exact")


def finally_only_if(node, keep_when):
    """Wraps the finally body in `if keep_when: ...`."""
    node.finalbody = [ast.If(test=keep_when, body=node.finalbody, orelse=[])]


@rule("jump-skips-finally")
def jump_skips_finally(ctx, node):
    if not node.finalbody:
        return None
    parts = [node.body, node.orelse] + [h.body for h in node.handlers]
    if not any(has_jumps(p) for p in parts):
        return None
    s = ctx.name("s")
    ctx.touch("finally", ctx.keyword_line(node.finalbody, "finally"))
    node.body = rewrite_jumps(node.body, ctx, s)
    node.orelse = rewrite_jumps(node.orelse, ctx, s)
    for h in node.handlers:
        h.body = rewrite_jumps(h.body, ctx, s)
    finally_only_if(node, ast.UnaryOp(op=ast.Not(), operand=name_load(s)))
    return [assign(s, const(False)), node]


@rule("finally-skipped-on-error")
def finally_skipped_on_error(ctx, node):
    if not node.finalbody:
        return None
    o = ctx.name("o")
    ctx.touch("finally", ctx.keyword_line(node.finalbody, "finally"))
    finally_only_if(node, ast.Compare(left=exc_info_now(), ops=[ast.Is()], comparators=[name_load(o)]))
    return [assign(o, exc_info_now()), node]


@rule("finally-only-on-error")
def finally_only_on_error(ctx, node):
    if not node.finalbody:
        return None
    o, err = ctx.name("o"), ctx.name("err")
    for h in node.handlers:
        h.body = [assign(err, const(True))] + h.body
    ctx.touch("finally", ctx.keyword_line(node.finalbody, "finally"))
    pending = ast.Compare(left=exc_info_now(), ops=[ast.IsNot()], comparators=[name_load(o)])
    finally_only_if(node, ast.BoolOp(op=ast.Or(), values=[name_load(err), pending]))
    return [assign(o, exc_info_now()), assign(err, const(False)), node]


def finally_returns(node):
    j = Jumps(on_return=lambda n: n)
    j.run(node.finalbody)
    return bool(j.found)


@rule("try-return-wins")
def try_return_wins(ctx, node):
    if not node.finalbody or not finally_returns(node):
        return None
    r = ctx.name("r")
    keep = ctx.name("keep")

    def save(ret):
        return [assign(keep, ret.value if ret.value is not None else const(None)), assign(r, const(True)), ast.Return(value=name_load(keep))]

    for part in ("body", "orelse"):
        setattr(node, part, Jumps(on_return=save).run(getattr(node, part)))
    for h in node.handlers:
        h.body = Jumps(on_return=save).run(h.body)

    def override(ret):
        value = ret.value if ret.value is not None else const(None)
        return ast.Return(value=ast.IfExp(test=name_load(r), body=name_load(keep), orelse=value))

    ctx.touch("finally", ctx.keyword_line(node.finalbody, "finally"))
    node.finalbody = Jumps(on_return=override).run(node.finalbody)
    return [assign(r, const(False)), node]


def assigned_names(stmts):
    names = set()
    for s in stmts:
        for n in ast.walk(s):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                names.add(n.id)
    return names


@rule("finally-rebind-changes-return")
def finally_rebind(ctx, node):
    if not node.finalbody:
        return None
    rebound = assigned_names(node.finalbody)
    returned = []

    def mark(ret):
        if isinstance(ret.value, ast.Name) and ret.value.id in rebound:
            returned.append(ret.value.id)
            return [assign(flag, const(ret.value.id)), ret]
        return ret

    flag = ctx.name("r")
    node.body = Jumps(on_return=mark).run(node.body)
    for h in node.handlers:
        h.body = Jumps(on_return=mark).run(h.body)
    if not returned:
        return None
    for n in sorted(set(returned)):
        test = ast.Compare(left=name_load(flag), ops=[ast.Eq()], comparators=[const(n)])
        node.finalbody.append(ast.If(test=test, body=[ast.Return(value=name_load(n))], orelse=[]))
    ctx.touch("finally", ctx.keyword_line(node.finalbody, "finally"))
    return [assign(flag, const(None)), node]


@rule("finally-jump-keeps-exception")
def finally_jump_keeps_exception(ctx, node):
    if not node.finalbody or not has_jumps(node.finalbody):
        return None
    o, x = ctx.name("o"), ctx.name("x")

    def reraise(_jump):
        return parse_stmts("if %s is not None and %s is not %s:\n    raise %s" % (x, x, o, x))

    fin_line = ctx.keyword_line(node.finalbody, "finally")
    body = rewrite_jumps(node.finalbody, ctx, ctx.name("unused"), before=reraise)
    node.finalbody = [assign(x, exc_info_now())] + body
    ctx.touch("finally", fin_line)
    return [assign(o, exc_info_now()), node]


@rule("handled-error-comes-back")
def handled_error_comes_back(ctx, node):
    """The handled error is raised again once the handler (and finally) are done."""
    if not node.handlers:
        return None
    for h in node.handlers:
        h.body = h.body + [ast.Raise(exc=None, cause=None)]
        ctx.touch("except", h.lineno)
    return node


def guarded(body, original):
    """`body`, but any new exception it raises is replaced by `original` (a name) when set."""
    n = "_m_new"
    catch = parse_stmts(
        "try:\n    pass\nexcept BaseException as %s:\n    if %s is None or %s is %s:\n        raise\n    raise %s"
        % (n, original, n, original, original)
    )[0]
    catch.body = body
    return catch


def raises_something(stmts):
    return any(isinstance(n, (ast.Raise, ast.Call, ast.BinOp, ast.Subscript)) for s in stmts for n in ast.walk(s))


@rule("original-exception-wins")
def original_exception_wins(ctx, node):
    changed = False
    for h in node.handlers:
        if raises_something(h.body):
            x = ctx.name("x")
            h.body = [assign(x, exc_info_now()), guarded(h.body, x)]
            ctx.touch("except", h.lineno)
            changed = True
    out = [node]
    if node.finalbody and raises_something(node.finalbody):
        o, x = ctx.name("o"), ctx.name("x")
        pending = parse_stmts("%s = _m_sys.exc_info()[1]\nif %s is %s:\n    %s = None" % (x, x, o, x))
        ctx.touch("finally", ctx.keyword_line(node.finalbody, "finally"))
        node.finalbody = pending + [guarded(node.finalbody, x)]
        out = [assign(o, exc_info_now()), node]
        changed = True
    return out if changed else None


@rule("else-after-handled")
def else_after_handled(ctx, node):
    if not node.orelse:
        return None
    changed = False
    for h in node.handlers:
        h.body = h.body + copy.deepcopy(node.orelse)
        changed = True
    if has_jumps(node.body, loops=False):
        orelse = node.orelse
        node.body = Jumps(on_return=lambda ret: before_return(ctx, ret, orelse)).run(node.body)
        changed = True
    if changed:
        ctx.touch("else", ctx.keyword_line(node.orelse, "else"))
    return node if changed else None


def before_return(ctx, ret, stmts):
    v = ctx.name("v")
    value = ret.value if ret.value is not None else const(None)
    return [assign(v, value)] + copy.deepcopy(stmts) + [ast.Return(value=name_load(v))]


@rule("except-guards-else")
def except_guards_else(ctx, node):
    if not (node.orelse and node.handlers):
        return None
    node.orelse = [ast.Try(body=node.orelse, handlers=copy.deepcopy(node.handlers), orelse=[], finalbody=[])]
    for h in node.handlers:
        ctx.touch("except", h.lineno)
    ctx.touch("else", ctx.keyword_line(node.orelse[0].body, "else"))
    return node


@rule("finally-discards-return")
def finally_discards_return(ctx, node):
    if not node.finalbody:
        return None
    parts = [node.body, node.orelse] + [h.body for h in node.handlers]
    if not any(has_jumps(p, loops=False) for p in parts):
        return None
    r = ctx.name("r")
    node.body = rewrite_jumps(node.body, ctx, r, loops=False)
    node.orelse = rewrite_jumps(node.orelse, ctx, r, loops=False)
    for h in node.handlers:
        h.body = rewrite_jumps(h.body, ctx, r, loops=False)
    ctx.touch("finally", ctx.keyword_line(node.finalbody, "finally"))
    node.finalbody = node.finalbody + [ast.If(test=name_load(r), body=[ast.Return(value=const(None))], orelse=[])]
    return [assign(r, const(False)), node]


@rule("as-name-survives")
def as_name_survives(ctx, node):
    named = [h for h in node.handlers if h.name]
    if not named:
        return None
    after = []
    for h in named:
        k = ctx.name("k")
        h.body = [assign(k, name_load(h.name))] + h.body
        after.append((k, h.name))
        ctx.touch("except", h.lineno)
    before = [assign(k, name_load("_m_unset")) for k, _ in after]
    restore = [
        ast.If(test=ast.Compare(left=name_load(k), ops=[ast.IsNot()], comparators=[name_load("_m_unset")]), body=[assign(n, name_load(k))], orelse=[])
        for k, n in after
    ]
    return before + [node] + restore




@rule("finally-right-after-try")
def finally_right_after_try(ctx, node):
    """finally runs as soon as the try block is left, before the except (or else) that follows it."""
    if not ((node.handlers or node.orelse) and node.finalbody):
        return None
    done = ctx.name("done")
    ctx.touch("finally", ctx.keyword_line(node.finalbody, "finally"))
    for h in node.handlers:
        h.body = copy.deepcopy(node.finalbody) + [assign(done, const(True))] + h.body
        ctx.touch("except", h.lineno)
    if node.orelse:
        ctx.touch("else", ctx.keyword_line(node.orelse, "else"))
        node.orelse = copy.deepcopy(node.finalbody) + [assign(done, const(True))] + node.orelse
    node.finalbody = [ast.If(test=ast.UnaryOp(op=ast.Not(), operand=name_load(done)), body=node.finalbody, orelse=[])]
    return [assign(done, const(False)), node]


@rule("handlers-guard-each-other")
def handlers_guard_each_other(ctx, node):
    """An error raised inside an except block is caught by the except clauses of the same try."""
    if not any(isinstance(n, ast.Raise) for h in node.handlers for s in h.body for n in ast.walk(s)):
        return None
    originals = copy.deepcopy(node.handlers)
    for h in node.handlers:
        h.body = [ast.Try(body=h.body, handlers=copy.deepcopy(originals), orelse=[], finalbody=[])]
        ctx.touch("except", h.lineno)
    return node


@rule("else-on-error")
def else_on_error(ctx, node):
    """else read like the else of an if: the branch for when the try failed."""
    if not (node.orelse and node.handlers):
        return None
    ctx.touch("else", ctx.keyword_line(node.orelse, "else"))
    for h in node.handlers:
        h.body = h.body + copy.deepcopy(node.orelse)
    node.orelse = []
    return node
