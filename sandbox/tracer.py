"""Instruments a member's program to report which try clauses (and with statements) ran.

program.py runs it. No global trace function (it would slow every loop ~2.7x). Instead the program's AST is
rewritten: probes sit only at try-statement clause boundaries and on return/break/continue
statements that leave a try of their own function. Every original node keeps its position,
so tracebacks, f_lineno and the program's output are unchanged. Output is tied to clauses by
wrapping sys.stdout/sys.stderr and matching each frame's line against a static table of that
code object's own clause line ranges. The rules are ../shared/clause-report/RULES.md (beside the repository).
"""
# Start-up time is the cold run's latency, so only cheap modules load up front: `_ast` (the node
# classes `ast` re-exports, without its enum/contextlib/re imports, ~9 ms), and nothing later either
# (a late import would need a free file descriptor, which a program may have used up).
import _ast as ast
import sys

_CodeType = type(compile("", "", "exec"))

# The instrumented code reaches the probe as a constant: the AST holds this string where the probe
# goes, and after compiling every code object's co_consts gets the Probe object in its place. So the
# probe is in no namespace (globals, builtins) where a program could see, clobber or outlive it.
PROBE_SENTINEL = "__clause_probe_9f1c7e__"
MAX_TRIES = 5000
MAX_PIECES = 5000
MAX_TEXT = 256 * 1024

# record phases
BODY, RAISED, HANDLER, ELSE, FINALLY = range(5)


class TryInfo:
    __slots__ = ("line", "has_finally", "has_handlers", "star", "is_with")

    def __init__(self, line, has_finally, has_handlers, star, is_with=False):
        self.line = line
        self.has_finally = has_finally
        self.has_handlers = has_handlers
        self.star = star
        self.is_with = is_with  # a with/async with statement: its __exit__ settles it (see WithGuard)


class Record:
    """One execution of one try statement, open until control leaves the statement."""

    __slots__ = (
        "info", "body", "raised", "handlers", "else_", "finally_", "outcome", "exception", "phase", "pending", "rest",
        "raised_line", "value", "fin_pending", "return_value", "outer_exc",
    )

    # Made by Probe.enter without an __init__ call: one Python frame less, which matters at the recursion limit.
    # pending: a return/break/continue waiting for this statement's finally to end (value: the return's short repr);
    # rest: the further try ids (same frame) that jump leaves afterwards.
    # fin_pending: what was pending when finally started (reported); outer_exc: id of the exception being
    # handled around the statement when it started, so finally can tell its own pending exception apart.

    def to_json(self):
        d = {
            "line": self.info.line,
            "body": self.body,
            "raised": self.raised,
            "handler": self.handlers[0] if self.handlers else None,
            "else": self.else_,
            "finally": self.finally_,
            "outcome": self.outcome or "completed",
            "exception": self.exception,
        }
        if self.info.star:
            d["star"] = True
            d["handlers"] = sorted(self.handlers)
        d["raisedLine"] = self.raised_line if self.body == "raised" else None
        d["pending"] = self.fin_pending if self.finally_ else None
        d["returnValue"] = self.return_value if d["outcome"] == "returned" else None
        return d


class WithRecord:
    """One execution of one with/async with statement."""

    __slots__ = ("info", "body", "raised", "suppressed", "outcome", "exception", "phase", "pending", "rest", "value")

    def to_json(self):
        return {
            "line": self.info.line,
            "body": self.body,
            "raised": self.raised,
            "suppressed": self.suppressed,
            "outcome": self.outcome or "completed",
            "exception": self.exception,
        }


_PENDING = {"returned": "return", "broke": "break", "continued": "continue"}
_NoneType = type(None)
_PLAIN = (_NoneType, bool, float, complex)
MAX_REPR = 60


def _short_repr(value, depth=0):
    """repr(value) when it is short and plain data (exact builtin types only, so no program code runs and the
    text is the same on every run: no sets, whose order changes with hash randomisation); else None."""
    t = type(value)
    if t is str or t is bytes:
        if len(value) > MAX_REPR:
            return None
        text = repr(value)
    elif t is int:
        if value.bit_length() > 200:
            return None
        text = repr(value)
    elif t in _PLAIN:
        text = repr(value)
    elif (t is tuple or t is list) and depth < 3 and len(value) <= 12:
        parts = []
        for v in value:
            r = _short_repr(v, depth + 1)
            if r is None:
                return None
            parts.append(r)
        if t is list:
            text = "[" + ", ".join(parts) + "]"
        else:
            text = "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
    elif t is dict and depth < 3 and len(value) <= 8:
        parts = []
        for k, v in value.items():
            rk = _short_repr(k, depth + 1)
            rv = _short_repr(v, depth + 1)
            if rk is None or rv is None:
                return None
            parts.append(rk + ": " + rv)
        text = "{" + ", ".join(parts) + "}"
    else:
        return None
    return text if len(text) <= MAX_REPR else None


def _exc_name(exc_info=sys.exc_info):
    exc = exc_info()[1]
    return type(exc).__name__ if exc is not None else None


_traceback_of = BaseException.__dict__["__traceback__"].__get__  # not exc.__traceback__: a subclass may shadow it
_UNSET = object()


class Probe:
    """The runtime side of the probes the instrumenter inserts. Never raises into the program:
    every method swallows its own errors, and needs no module globals (a generator closed during
    interpreter shutdown still calls it, after module namespaces were cleared)."""

    BaseException = BaseException  # the instrumented code's guards use this, so a program rebinding the name cannot break them
    RecursionError = RecursionError

    def __init__(self, infos, filename):
        self.infos = infos
        self.filename = filename
        self.open = {}  # (frame, try id) -> Record: per frame, so recursion, generators and threads stay apart
        self.live = [0] * len(infos)  # open records per try id: lets a probe return at once when there are none
        self.entries = []
        self.withs = []
        self.capped = False
        # Set by enter/w_enter when they could run: at the recursion limit no call can, and then the statement
        # runs as written, without the guards (their __enter__ is a call), so it fails where plain Python fails.
        self.flag = False
        self.tb_cache = None  # (id(exc), id(tb), line): the last traceback walked, so unwinding a deep recursion stays linear
        self.tg = [None if info.is_with else TryGuard(self, i) for i, info in enumerate(infos)]
        self.wg = [WithGuard(self, i) if info.is_with else None for i, info in enumerate(infos)]
        self.wb = [WithBodyGuard(self, i) if info.is_with else None for i, info in enumerate(infos)]

    def enter(self, i, _frame=sys._getframe, _new=object.__new__, _Record=Record, _max=MAX_TRIES, _exc_info=sys.exc_info):
        try:
            if self.capped:
                return
            # The traceback cache serves one unwinding only: ids of freed exceptions are reused by later ones.
            self.tb_cache = None
            key = (_frame(1), i)
            stale = self.open.pop(key, None)
            if stale is not None:  # left without a probe seeing it (should not happen): close it as best known
                self.live[i] -= 1
                if stale.outcome is None:
                    stale.outcome = stale.pending or "completed"
            if len(self.entries) >= _max:
                self.capped = True
                return
            rec = _new(_Record)
            rec.info = info = self.infos[i]
            rec.body = "completed"
            rec.raised = rec.outcome = rec.exception = rec.pending = None
            rec.raised_line = rec.value = rec.fin_pending = rec.return_value = None
            rec.outer_exc = id(_exc_info()[1]) if info.has_finally else None
            rec.handlers = []
            rec.else_ = rec.finally_ = False
            rec.phase = BODY
            rec.rest = ()
            self.entries.append(rec)
            self.open[key] = rec
            self.live[i] += 1
        except Exception:  # noqa: BLE001 - a probe must never disturb the program
            pass
        finally:
            self.flag = True  # last, with no call after it: another thread cannot change it before the program reads it

    def raised(self, i, _frame=sys._getframe, _exc_info=sys.exc_info):
        try:
            if not self.live[i]:
                return
            rec = self.open.get((_frame(1), i))
            if rec is not None:
                exc = _exc_info()[1]
                rec.phase = RAISED
                rec.body = "raised"
                rec.raised = type(exc).__name__
                rec.pending = None
                rec.rest = ()
                rec.raised_line = self._raise_line(exc)
        except Exception:  # noqa: BLE001
            pass

    def _raise_line(self, exc):
        """The program line the exception was raised at: its innermost traceback entry in the program's file."""
        head = tb = _traceback_of(exc)
        cache = self.tb_cache
        filename = self.filename
        line = None
        while tb is not None:
            if cache is not None and cache[1] == id(tb) and cache[0] == id(exc):
                if cache[2] is not None:  # the part below was walked already; its line is the innermost
                    line = cache[2]
                break
            if tb.tb_frame.f_code.co_filename == filename:
                line = tb.tb_lineno
            tb = tb.tb_next
        self.tb_cache = (id(exc), id(head), line)
        return line

    def handler(self, i, line, _frame=sys._getframe):
        try:
            if not self.live[i]:
                return
            self.tb_cache = None  # caught: that unwinding is over (see enter)
            rec = self.open.get((_frame(1), i))
            if rec is not None:
                rec.phase = HANDLER
                rec.handlers.append(line)
        except Exception:  # noqa: BLE001
            pass

    def else_(self, i, _frame=sys._getframe):
        try:
            if not self.live[i]:
                return
            rec = self.open.get((_frame(1), i))
            if rec is not None:
                rec.phase = ELSE
                rec.else_ = True
        except Exception:  # noqa: BLE001
            pass

    def fin(self, i, _frame=sys._getframe, _exc_info=sys.exc_info):
        try:
            if not self.live[i]:
                return
            rec = self.open.get((_frame(1), i))
            if rec is not None:
                if rec.pending is not None:
                    rec.fin_pending = {"kind": _PENDING[rec.pending]}
                    if rec.pending == "returned":
                        rec.fin_pending["value"] = rec.value
                else:
                    # An exception is pending when finally was reached by one: the body's (no handler matched),
                    # or one raised in a handler or else. Not the one being handled around the whole statement.
                    exc = _exc_info()[1]
                    if exc is not None and (rec.phase == RAISED or id(exc) != rec.outer_exc):
                        rec.fin_pending = {"kind": "exception", "type": type(exc).__name__}
                rec.phase = FINALLY
                rec.finally_ = True
        except Exception:  # noqa: BLE001
            pass

    def jump(self, ids, kind, _frame=sys._getframe):
        try:
            self._jump(_frame(1), ids, kind, "None" if kind == "returned" else None)
        except Exception:  # noqa: BLE001
            pass

    def ret(self, ids, value, _frame=sys._getframe):
        """`return EXPR` becomes `return probe.ret(ids, EXPR)`: EXPR is evaluated first, so a raising EXPR is no return."""
        try:
            self._jump(_frame(1), ids, "returned", _UNSET, value)
        except Exception:  # noqa: BLE001
            pass
        return value

    def _jump(self, frame, ids, kind, text, value=None):
        """A jump leaves the try/with statements `ids` (innermost first) of `frame`. text: the returned value's
        short repr, or _UNSET to make it from `value` when a statement needs it."""
        open_ = self.open
        for n, i in enumerate(ids):
            rec = open_.get((frame, i))
            if rec is None:
                continue
            if text is _UNSET:
                text = _short_repr(value)
            if rec.phase == BODY:
                rec.body = kind
            if rec.info.is_with or (rec.info.has_finally and rec.phase != FINALLY):
                # this finally (or with's __exit__) runs first; the outer statements are left when it is done
                rec.pending = kind
                rec.value = text
                rec.rest = ids[n + 1 :]
                for j in rec.rest:
                    outer = open_.get((frame, j))
                    if outer is not None and outer.phase == BODY:
                        outer.body = kind
                return
            del open_[(frame, i)]
            self.live[i] -= 1
            rec.outcome = kind
            if kind == "returned":
                rec.return_value = text

    def w_enter(self, i, _frame=sys._getframe, _new=object.__new__, _Record=WithRecord, _max=MAX_TRIES):
        try:
            if not self.capped:
                key = (_frame(1), i)
                stale = self.open.pop(key, None)
                if stale is not None:
                    self.live[i] -= 1
                    if stale.outcome is None:
                        stale.outcome = stale.pending or "completed"
                if len(self.withs) >= _max:
                    self.capped = True
                else:
                    rec = _new(_Record)
                    rec.info = self.infos[i]
                    rec.body = "not_entered"  # until the body guard is left (or a jump leaves the body)
                    rec.raised = rec.outcome = rec.exception = rec.pending = rec.value = None
                    rec.suppressed = False
                    rec.phase = BODY
                    rec.rest = ()
                    self.withs.append(rec)
                    self.open[key] = rec
                    self.live[i] += 1
        except Exception:  # noqa: BLE001
            pass
        self.flag = True  # last, with no call after it: another thread cannot change it before the program reads it

    def finish_open(self):
        """Settles the statements still open when the program ended; returns (tries, withs) to report.

        - a pending jump: it happened;
        - a frame still running (a daemon thread): reported as far as it got;
        - a generator paused at a yield: it is closed at exit, so GeneratorExit;
        - a frame that is gone: its probes could not run, which only happens at the recursion limit.
          A RecursionError then unwound it: said so when the statement has no handler that could
          have caught it, otherwise the entry is left out rather than guessed.
        """
        running = set()
        for top in sys._current_frames().values():
            while top is not None:
                running.add(top)
                top = top.f_back
        recursion = any("RecursionError" in (r.raised, r.exception) for r in self.entries)
        dropped = set()
        for (frame, _i), rec in list(self.open.items()):
            if rec.outcome is not None:
                continue
            if rec.info.is_with:
                if rec.pending is not None:
                    rec.outcome = rec.pending
                elif frame in running:
                    rec.outcome = "completed"
                    if rec.body == "not_entered":
                        rec.body = "completed"
                elif _paused_at_yield(frame) or recursion:
                    name = "RecursionError" if recursion and not _paused_at_yield(frame) else "GeneratorExit"
                    if rec.body in ("not_entered", "completed"):
                        rec.body = "raised"
                        rec.raised = name
                    rec.outcome = "propagated"
                    rec.exception = name
                else:
                    dropped.add(id(rec))
                continue
            if rec.pending is not None:
                rec.outcome = rec.pending
                if rec.pending == "returned":
                    rec.return_value = rec.value
            elif frame in running:
                rec.outcome = "caught" if rec.handlers else "completed"
            elif _paused_at_yield(frame):
                rec.body = "raised" if rec.phase == BODY else rec.body
                rec.raised = "GeneratorExit" if rec.phase == BODY else rec.raised
                rec.finally_ = rec.info.has_finally
                rec.outcome = "propagated"
                rec.exception = "GeneratorExit"
            elif recursion and not rec.info.has_handlers and rec.phase in (BODY, FINALLY):
                if rec.phase == BODY:
                    rec.body = "raised"
                    rec.raised = "RecursionError"
                rec.finally_ = rec.info.has_finally
                rec.outcome = "propagated"
                rec.exception = "RecursionError"
            else:
                dropped.add(id(rec))
        self.open.clear()
        return [r for r in self.entries if id(r) not in dropped], [r for r in self.withs if id(r) not in dropped]


class TryGuard:
    """`with probe.tg[i]:` around a program's try statement: its __exit__ runs on every way out of the statement
    and settles the entry (propagated, a pending jump taken, caught or completed). A with, not a try around the
    try: a with re-raises with the frame's last instruction put back where the exception came from, so
    tb_frame.f_lineno after unwinding stays what plain Python has."""

    __slots__ = ("probe", "i")
    __enter__ = object.__sizeof__  # implemented in C: no Python frame for a no-op

    def __init__(self, probe, i):
        self.probe = probe
        self.i = i

    def __exit__(self, typ, value, tb, _frame=sys._getframe):
        try:
            probe = self.probe
            i = self.i
            if probe.live[i]:
                frame = _frame(1)
                rec = probe.open.pop((frame, i), None)
                if rec is not None:
                    probe.live[i] -= 1
                    if typ is not None:
                        rec.outcome = "propagated"
                        rec.exception = typ.__name__
                    elif rec.pending is not None:  # finally fell through: the pending jump now leaves the statement
                        rec.outcome = rec.pending
                        if rec.pending == "returned":
                            rec.return_value = rec.value
                        if rec.rest:
                            probe._jump(frame, rec.rest, rec.pending, rec.value)
                    else:
                        rec.outcome = "caught" if rec.handlers else "completed"
        except Exception:  # noqa: BLE001
            pass
        return False


class WithGuard:
    """`with probe.wg[i]:` around a program's with statement: its __exit__ runs after the statement's own
    __exit__ on every way out (completed, suppressed, raised, return/break/continue) and settles the entry.
    A with, not a try, because a with re-raises with the frame's last instruction put back where the
    exception came from: tb_frame.f_lineno stays what plain Python has."""

    __slots__ = ("probe", "i")
    __enter__ = object.__sizeof__  # implemented in C: no Python frame for a no-op

    def __init__(self, probe, i):
        self.probe = probe
        self.i = i

    def __exit__(self, typ, value, tb, _frame=sys._getframe):
        try:
            probe = self.probe
            i = self.i
            if probe.live[i]:
                frame = _frame(1)
                rec = probe.open.pop((frame, i), None)
                if rec is not None:
                    probe.live[i] -= 1
                    if typ is not None:
                        rec.outcome = "propagated"
                        rec.exception = typ.__name__
                    elif rec.pending is not None:
                        rec.outcome = rec.pending
                        if rec.rest:
                            probe._jump(frame, rec.rest, rec.pending, rec.value)
                    else:
                        rec.outcome = "completed"
                        # the block raised, or an __enter__ did (a later item's), and an __exit__ swallowed it
                        rec.suppressed = rec.body in ("raised", "not_entered")
        except Exception:  # noqa: BLE001
            pass
        return False


class WithBodyGuard:
    """`with probe.wb[i]:` just inside the program's with statement, around its body: sees whether the body
    was entered and the exception it passes on to the statement's __exit__."""

    __slots__ = ("probe", "i")
    __enter__ = object.__sizeof__

    def __init__(self, probe, i):
        self.probe = probe
        self.i = i

    def __exit__(self, typ, value, tb, _frame=sys._getframe):
        try:
            probe = self.probe
            if probe.live[self.i]:
                rec = probe.open.get((_frame(1), self.i))
                if rec is not None:
                    if typ is not None:
                        rec.body = "raised"
                        rec.raised = typ.__name__
                        rec.pending = None
                        rec.rest = ()
                    elif rec.body == "not_entered":
                        rec.body = "completed"
        except Exception:  # noqa: BLE001
            pass
        return False


_YIELD = 86  # YIELD_VALUE in CPython 3.11 (importing `opcode` would cost start-up time, and a free file descriptor)
_SUSPENDABLE = 0x20 | 0x80 | 0x200  # CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR (inspect costs 40 ms to import)


def _paused_at_yield(frame):
    """A generator or coroutine frame suspended at a yield/await (not finished)."""
    if not frame.f_code.co_flags & _SUSPENDABLE:
        return False
    code = frame.f_code.co_code
    return 0 <= frame.f_lasti < len(code) and code[frame.f_lasti] == _YIELD


# ---------------------------------------------------------------- instrumentation


def _scope_key(node):
    if isinstance(node, ast.Module):
        return "<module>"
    first = min([node.lineno] + [d.lineno for d in node.decorator_list])
    return (node.name, first)


def _clone(node):
    """A deep copy of an AST (the `copy` module costs start-up time); constants are immutable and shared."""
    if isinstance(node, list):
        return [_clone(n) for n in node]
    if not isinstance(node, ast.AST):
        return node
    new = type(node).__new__(type(node))
    for name in node._fields:
        if hasattr(node, name):
            setattr(new, name, _clone(getattr(node, name)))
    for name in node._attributes:
        if hasattr(node, name):
            setattr(new, name, getattr(node, name))
    return new


class Instrumenter:
    """Rewrites a module's AST; collects per-try info and per-scope clause line ranges."""

    def __init__(self):
        self.infos = []
        self.regions = {}  # scope key -> [(start, end, clause, depth)]

    def instrument(self, tree):
        tree.body = self._block(tree.body, _scope_key(tree), [], None, 0)
        self.regions = {k: tuple((s, e, c) for s, e, c, _d in sorted(v, key=lambda r: -r[3])) for k, v in self.regions.items()}
        return tree

    # ctx: scope key, stack of enclosing try ids in this function, loop base index (None outside loops), try depth
    def _block(self, stmts, scope, tries, loop, depth):
        out = []
        for s in stmts:
            r = self._stmt(s, scope, tries, loop, depth)
            if isinstance(r, list):
                out.extend(r)
            else:
                out.append(r)
        return out

    def _stmt(self, s, scope, tries, loop, depth):
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            s.body = self._block(s.body, _scope_key(s), [], None, 0)
            return s
        if isinstance(s, (ast.Try, ast.TryStar)):
            return self._try(s, scope, tries, loop, depth)
        if isinstance(s, (ast.For, ast.AsyncFor, ast.While)):
            s.body = self._block(s.body, scope, tries, len(tries), depth)
            s.orelse = self._block(s.orelse, scope, tries, loop, depth)
            return s
        if isinstance(s, ast.If):
            s.body = self._block(s.body, scope, tries, loop, depth)
            s.orelse = self._block(s.orelse, scope, tries, loop, depth)
            return s
        if isinstance(s, (ast.With, ast.AsyncWith)):
            return self._with(s, scope, tries, loop, depth)
        if isinstance(s, ast.Match):
            for case in s.cases:
                case.body = self._block(case.body, scope, tries, loop, depth)
            return s
        if isinstance(s, ast.Return) and tries:
            ids = ast.Constant(tuple(reversed(tries)))
            if s.value is None:  # a bare return stays bare (async generators forbid `return None`)
                return [self._probe(s, "jump", ids, ast.Constant("returned")), s]
            s.value = self._call(s.value, "ret", ids, s.value)
            return s
        if isinstance(s, (ast.Break, ast.Continue)) and loop is not None and len(tries) > loop:
            ids = ast.Constant(tuple(reversed(tries[loop:])))
            kind = "broke" if isinstance(s, ast.Break) else "continued"
            return [self._probe(s, "jump", ids, ast.Constant(kind)), s]
        return s

    def _try(self, t, scope, tries, loop, depth):
        i = len(self.infos)
        star = isinstance(t, ast.TryStar)
        self.infos.append(TryInfo(t.lineno, bool(t.finalbody), bool(t.handlers), star))
        regs = self.regions.setdefault(scope, [])
        inner = tries + [i]
        regs.append((t.body[0].lineno, t.body[-1].end_lineno, "try", depth))
        for h in t.handlers:
            regs.append((h.lineno, h.end_lineno, "except", depth))
        if t.orelse:
            regs.append((t.orelse[0].lineno, t.orelse[-1].end_lineno, "else", depth))
        if t.finalbody:
            regs.append((t.finalbody[0].lineno, t.finalbody[-1].end_lineno, "finally", depth))
        I = ast.Constant(i)
        as_written = _clone(t)
        body = self._block(t.body, scope, inner, loop, depth + 1)
        last = t.body[-1]
        # the body guard: record how the body raised, then a bare re-raise (keeps the traceback as it was)
        guard = ast.Try(body=body, handlers=[self._reraise(last, "raised", I)], orelse=[], finalbody=[])
        self._place(guard, last)
        t.body = [guard]
        for h in t.handlers:
            h.body = [self._probe(h.body[0], "handler", I, ast.Constant(h.lineno))] + self._block(h.body, scope, inner, loop, depth + 1)
        if t.orelse:
            t.orelse = [self._probe(t.orelse[0], "else_", I)] + self._block(t.orelse, scope, inner, loop, depth + 1)
        if t.finalbody:
            fin = self._block(t.finalbody, scope, inner, loop, depth + 1)
            t.finalbody = [self._probe(t.finalbody[0], "fin", I)] + fin
        return self._guarded(t, "enter", "tg", i, as_written)

    def _with(self, w, scope, tries, loop, depth):
        """probe.flag = False; w_enter(i); then, when the probe could run, the statement between two guards:
        `with probe.wg[i]: <with ...: with probe.wb[i]: body>`. Otherwise (only at the recursion limit, where no
        call can run) the statement exactly as written, so it fails where plain Python fails."""
        i = len(self.infos)
        self.infos.append(TryInfo(w.lineno, False, False, False, True))
        as_written = _clone(w)
        body = self._block(w.body, scope, tries + [i], loop, depth)
        inner = self._place(ast.With(items=[self._guard_item("wb", i, w)], body=body, type_comment=None), w)
        w.body = [inner]
        return self._guarded(w, "w_enter", "wg", i, as_written)

    def _guarded(self, stmt, enter, table, i, as_written):
        """`probe.flag = False; probe.<enter>(i)`, then `with probe.<table>[i]: stmt` when the probe could run,
        else the statement as written (only at the recursion limit, where no call can run: the guard's
        __enter__ would fail there, one step before the program's own call fails in plain Python)."""
        outer = self._place(ast.With(items=[self._guard_item(table, i, stmt)], body=[stmt], type_comment=None), stmt)
        flag = ast.Attribute(value=self._place(ast.Constant(PROBE_SENTINEL), stmt), attr="flag", ctx=ast.Store())
        false = self._place(ast.Constant(False), stmt)
        reset = self._place(ast.Assign(targets=[self._place(flag, stmt)], value=false, type_comment=None), stmt)
        test = ast.Attribute(value=self._place(ast.Constant(PROBE_SENTINEL), stmt), attr="flag", ctx=ast.Load())
        branch = self._place(ast.If(test=self._place(test, stmt), body=[outer], orelse=[as_written]), stmt)
        return [reset, self._probe(stmt, enter, ast.Constant(i)), branch]

    def _guard_item(self, table, i, like):
        """`probe.<table>[i]` as a with item (a list subscript: no call)."""
        attr = self._place(ast.Attribute(value=self._place(ast.Constant(PROBE_SENTINEL), like), attr=table, ctx=ast.Load()), like)
        sub = self._place(ast.Subscript(value=attr, slice=self._place(ast.Constant(i), like), ctx=ast.Load()), like)
        return ast.withitem(context_expr=sub, optional_vars=None)

    # -- node builders; every new node takes the position of an original node

    @staticmethod
    def _place(node, like):
        node.lineno = like.lineno
        node.col_offset = like.col_offset
        node.end_lineno = like.end_lineno
        node.end_col_offset = like.end_col_offset
        return node

    def _call(self, like, method, *args):
        """`probe.method(*args)` at `like`'s position. Only the new nodes are placed: an argument that is
        the program's own expression (`ret`'s value) keeps its positions, so traceback carets stay."""
        func = ast.Attribute(value=ast.Constant(PROBE_SENTINEL), attr=method, ctx=ast.Load())
        call = ast.Call(func=func, args=list(args), keywords=[])
        self._place(func.value, like)
        self._place(func, like)
        self._place(call, like)
        for a in args:
            if isinstance(a, ast.Constant):
                self._place(a, like)
        return call

    def _probe(self, like, method, *args):
        """`try: probe.method(args) / except probe.RecursionError: pass`: at the recursion limit the call
        itself fails before reaching Python, and that error must not replace the program's own."""
        call = self._place(ast.Expr(value=self._call(like, method, *args)), like)
        typ = ast.Attribute(value=ast.Constant(PROBE_SENTINEL), attr="RecursionError", ctx=ast.Load())
        self._place(typ.value, like)
        self._place(typ, like)
        h = self._place(ast.ExceptHandler(type=typ, name=None, body=[self._place(ast.Pass(), like)]), like)
        return self._place(ast.Try(body=[call], handlers=[h], orelse=[], finalbody=[]), like)

    def _reraise(self, like, method, I):
        typ = ast.Attribute(value=ast.Constant(PROBE_SENTINEL), attr="BaseException", ctx=ast.Load())
        self._place(typ.value, like)
        self._place(typ, like)
        h = ast.ExceptHandler(type=typ, name=None, body=[self._probe(like, method, I), self._place(ast.Raise(exc=None, cause=None), like)])
        return self._place(h, like)


# ---------------------------------------------------------------- output attribution


class Recorder:
    """Collects output pieces: one per line per clause, attribution decided at each write()."""

    def __init__(self, filename, regions):
        self.filename = filename
        self.regions = regions
        self.by_code = {}
        self.pieces = []
        self.text_len = 0
        self.capped = False
        self.closed = False
        self.interpreter = False  # the interpreter itself is writing (a traceback): no line, no clause

    def _regions_of(self, code):
        if code.co_filename != self.filename:
            r = None  # library code: skipped
        else:
            key = "<module>" if code.co_name == "<module>" else (code.co_name, code.co_firstlineno)
            r = self.regions.get(key, ())
        self.by_code[code] = r
        return r

    def where(self, frame):
        line = None
        by_code = self.by_code
        while frame is not None:
            code = frame.f_code
            r = by_code[code] if code in by_code else self._regions_of(code)
            if r is not None:
                ln = frame.f_lineno
                if line is None:
                    line = ln
                for s, e, c in r:
                    if s <= ln <= e:
                        return line, c
            frame = frame.f_back
        return line, None

    def add(self, text, stream, line, clause):
        if self.closed or not text:
            return
        if self.capped:
            return
        if self.text_len + len(text) > MAX_TEXT:
            self.capped = True
            return
        self.text_len += len(text)
        pieces = self.pieces
        start = 0
        while start < len(text):
            nl = text.find("\n", start)
            end = len(text) if nl < 0 else nl + 1
            chunk = text[start:end]
            start = end
            last = pieces[-1] if pieces else None
            if last is not None and not last["text"].endswith("\n") and last["stream"] == stream and last["line"] == line and last["clause"] == clause:
                last["text"] += chunk
                continue
            if len(pieces) >= MAX_PIECES:
                self.capped = True
                return
            pieces.append({"text": chunk, "stream": stream, "line": line, "clause": clause})


class AttributedStream:
    """Stands in for sys.stdout/sys.stderr: writes through, then records who wrote."""

    def __init__(self, inner, stream, recorder):
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "_stream", stream)
        object.__setattr__(self, "_recorder", recorder)

    def write(self, s):
        n = self._inner.write(s)
        rec = self._recorder
        if not rec.capped and not rec.closed:
            try:
                line, clause = (None, None) if rec.interpreter else rec.where(sys._getframe(1))
                rec.add(self._as_written(s), self._stream, line, clause)
            except Exception:  # noqa: BLE001
                pass
        return n

    def _as_written(self, s):
        """The text as the stream put it out: stderr writes a lone surrogate as `\\udc80`, for one."""
        s = s if isinstance(s, str) else str(s)
        if s.isascii():
            return s
        inner = self._inner
        try:
            encoding = inner.encoding or "utf-8"
            return s.encode(encoding, inner.errors or "strict").decode(encoding, "replace")
        except Exception:  # noqa: BLE001
            return s

    def writelines(self, lines):
        for s in lines:
            self.write(s)

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def __setattr__(self, name, value):
        setattr(self._inner, name, value)

    def __iter__(self):
        return iter(self._inner)


# ---------------------------------------------------------------- compiling


def _bind_probe(code, probe):
    consts = tuple(
        probe if type(c) is str and c == PROBE_SENTINEL else _bind_probe(c, probe) if isinstance(c, _CodeType) else c
        for c in code.co_consts
    )
    return code.replace(co_consts=consts)


def compile_program(source, filename, trace):
    """Returns (code, probe, regions). Raises SyntaxError exactly as the interpreter would."""
    plain = compile(source, filename, "exec", dont_inherit=True)
    if not trace:
        return plain, None, {}
    try:
        tree = compile(source, filename, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)  # = ast.parse
        ins = Instrumenter()
        tree = ins.instrument(tree)
        probe = Probe(ins.infos, filename)
        code = _bind_probe(compile(tree, filename, "exec", dont_inherit=True), probe)
        return code, probe, ins.regions
    except Exception:  # noqa: BLE001 - never worse than untraced
        return plain, None, {}
