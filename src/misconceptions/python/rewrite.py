# Misconception rules as program rewrites: the framework. Sent to the sandbox as part of one program
# (see ../variants.ts): this file, ./rules_try.py, ./rules_program.py, ./harness.py, then a call with
# the member's source. Never run on the host: the harness executes the rewritten member code.
#
# A rule turns the parsed program into the program a learner holding that misconception believes
# they are reading. It records the lines (of the original code) it changed, by role ("finally",
# "try", "except", "else", "with"), so the feedback can point at them. Names the rewrites introduce
# start with _m_; the helpers they call (_m_sys, _m_choose, ...) are in each variant's globals (./harness.py).
import ast
import copy

# name -> (scope, fn). Scope "try": fn(ctx, try_node) for every try statement, inner ones first, returns
# None (leave it) or its replacement statement(s). "with": the same for with statements. "module":
# fn(ctx, module) edits the whole module in place and returns whether it changed anything.
RULES = {}


def rule(name, scope="try"):
    def register(fn):
        RULES[name] = (scope, fn)
        return fn

    return register


class Ctx:
    """Per rule application: fresh names and the lines touched."""

    def __init__(self, lines):
        self.source_lines = lines
        self.count = 0
        self.touched = {}

    def name(self, base):
        self.count += 1
        return "_m_%s%d" % (base, self.count)

    def touch(self, role, line):
        if line:
            self.touched.setdefault(role, set()).add(line)

    def keyword_line(self, body, word):
        """The line of the `else:`/`finally:` keyword that opens `body`."""
        line = body[0].lineno
        while line > 1:
            text = self.source_lines[line - 1].strip() if line <= len(self.source_lines) else ""
            if text.startswith(word) and text[len(word):].lstrip().startswith(":"):
                return line
            line -= 1
        return body[0].lineno


def parse_stmts(text):
    return ast.parse(text).body


def name_load(n):
    return ast.Name(id=n, ctx=ast.Load())


def assign(n, value):
    return ast.Assign(targets=[ast.Name(id=n, ctx=ast.Store())], value=value)


def const(v):
    return ast.Constant(value=v)


SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
LOOPS = (ast.For, ast.AsyncFor, ast.While)


class Jumps(ast.NodeTransformer):
    """Rewrites the jumps that leave the statement list it is given: every `return` of the same
    function, and `break`/`continue` not inside a loop nested in that list."""

    def __init__(self, on_return=None, on_loop_jump=None):
        self.on_return = on_return
        self.on_loop_jump = on_loop_jump
        self.loop_depth = 0
        self.found = []

    def run(self, stmts):
        out = []
        for s in stmts:
            r = self.visit(s)
            out.extend(r if isinstance(r, list) else [r])
        return out

    def generic_visit(self, node):
        if isinstance(node, SCOPES):
            return node
        return super().generic_visit(node)

    def visit_For(self, node):
        return self._loop(node)

    visit_AsyncFor = visit_For
    visit_While = visit_For

    def _loop(self, node):
        self.loop_depth += 1
        node.body = self.run(node.body)
        self.loop_depth -= 1
        node.orelse = self.run(node.orelse)
        return node

    def visit_Return(self, node):
        self.found.append(node)
        return self.on_return(node) if self.on_return else node

    def visit_Break(self, node):
        if self.loop_depth or not self.on_loop_jump:
            return node
        self.found.append(node)
        return self.on_loop_jump(node)

    visit_Continue = visit_Break


def has_jumps(stmts, loops=True):
    # Handlers that give each node back unchanged: the statements are only looked at.
    j = Jumps(on_return=lambda n: n, on_loop_jump=(lambda n: n) if loops else None)
    j.run(stmts)
    return bool(j.found)


def rewrite_jumps(stmts, ctx, flag, before=None, loops=True):
    """Sets `flag` just before each jump out of `stmts`; a return's value is computed first."""

    def on_return(node):
        pre = list(before(node) if before else [])
        if node.value is None:
            return pre + [assign(flag, const(True)), node]
        v = ctx.name("v")
        return [assign(v, node.value)] + pre + [assign(flag, const(True)), ast.Return(value=name_load(v))]

    def on_loop_jump(node):
        return list(before(node) if before else []) + [assign(flag, const(True)), node]

    return Jumps(on_return, on_loop_jump if loops else None).run(stmts)


class EachStatement(ast.NodeTransformer):
    """Applies a "try" or "with" rule to every such statement, inner ones first."""

    def __init__(self, ctx, fn, types_):
        self.ctx = ctx
        self.fn = fn
        self.types = types_
        self.changed = False

    def visit(self, node):
        if not isinstance(node, self.types):
            return super().visit(node)
        self.generic_visit(node)
        out = self.fn(self.ctx, node)
        if out is None:
            return node
        self.changed = True
        return out


def apply_rule(name, source, lines):
    """(the program rewritten by rule `name`, {role: [lines]}), or None when it changes nothing here."""
    scope, fn = RULES[name]
    ctx = Ctx(lines)
    tree = ast.parse(source, "main.py")  # a fresh tree per rule: much cheaper than copy.deepcopy
    if scope == "module":
        changed = fn(ctx, tree)
    else:
        visitor = EachStatement(ctx, fn, ast.Try if scope == "try" else ast.With)
        tree = visitor.visit(tree)
        changed = visitor.changed
    if not changed:
        return None
    ast.fix_missing_locations(tree)
    return tree, {role: sorted(v) for role, v in ctx.touched.items()}


def exc_info_now():
    return ast.parse("_m_sys.exc_info()[1]", mode="eval").body


def typed(handler):
    return handler.type is not None


