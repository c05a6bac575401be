// The catalogue of named misconceptions about try / except / else / finally / with / raise.
// Each entry is a belief in a learner's words, the answer it leads to (a rule: a rewrite of the program
// in ./python/rules.py, or a transformation of the real run in ./runRules.ts), and its one-line correction.
// Corrections may point at lines: {try} {except} {else} {finally} {with} become "(line 6)" / "(lines 6 and 14)".

/** What a question tests. Every misconception belongs to one; a question's concepts come from them. */
export const CONCEPTS = {
  "try-flow": "what runs in a try block, and where the program goes after an error",
  "handler-order": "which except clause catches an error",
  "finally-always": "finally runs however the try ends",
  "finally-on-return": "finally and return / break / continue",
  propagation: "an error nobody catches: finally, then the traceback",
  else: "else runs only when the try block finished",
  "raise-from": "errors raised while handling another one",
  "except-as": "the exception object: except ... as, its message",
  "with-exit": "with: __exit__ runs, and passes the error on",
} as const;
export type Concept = keyof typeof CONCEPTS;

export interface Source {
  title: string;
  url: string;
}

export interface Misconception {
  id: string;
  /** Its number in the list of issue 14 (1-16), when it is one of those. */
  listed?: number;
  /** The belief, as a learner would say it. */
  belief: string;
  /** The belief as a supposition: "what would print if ___". */
  supposing: string;
  /** What really happens, in one line (may point at lines, see above). */
  correction: string;
  concept: Concept;
  /** Where the real behaviour is documented. */
  source?: Source;
}

const TUTORIAL_HANDLING: Source = {
  title: "Python tutorial, 8.3 Handling Exceptions",
  url: "https://docs.python.org/3/tutorial/errors.html#handling-exceptions",
};
const TUTORIAL_CLEANUP: Source = {
  title: "Python tutorial, 8.7 Defining Clean-up Actions",
  url: "https://docs.python.org/3/tutorial/errors.html#defining-clean-up-actions",
};
const REFERENCE_TRY: Source = {
  title: "Python Language Reference, 8.4 The try statement",
  url: "https://docs.python.org/3/reference/compound_stmts.html#the-try-statement",
};
const REFERENCE_WITH: Source = {
  title: "Python Language Reference, 8.5 The with statement",
  url: "https://docs.python.org/3/reference/compound_stmts.html#the-with-statement",
};
const TUTORIAL_CHAINING: Source = {
  title: "Python tutorial, 8.5 Exception Chaining",
  url: "https://docs.python.org/3/tutorial/errors.html#exception-chaining",
};

export const CATALOGUE: readonly Misconception[] = [
  {
    id: "rest-of-try-runs",
    listed: 1,
    belief: "When a line in `try` fails, the lines after it in the `try` block still run.",
    supposing: "the rest of the `try` block still ran after the line that failed",
    correction:
      "It does not: the moment a line raises, the rest of the `try` block {try} is abandoned and Python looks for a matching `except`.",
    concept: "try-flow",
    source: TUTORIAL_HANDLING,
  },
  {
    id: "resume-after-handler",
    listed: 2,
    belief: "After the `except` block, Python goes back and carries on after the line that failed.",
    supposing: "Python went back into the `try` block after the `except` block",
    correction:
      "It never goes back: after the `except` block {except}, the program carries on below the whole try statement.",
    concept: "try-flow",
    source: TUTORIAL_HANDLING,
  },
  {
    id: "except-always-runs",
    listed: 3,
    belief: "The `except` block runs even when nothing went wrong.",
    supposing: "the `except` block ran even without an error",
    correction:
      "An `except` block {except} runs only when the `try` block raised an error it matches; with no error it is skipped.",
    concept: "try-flow",
    source: TUTORIAL_HANDLING,
  },
  {
    id: "any-except-catches",
    listed: 4,
    belief: "An `except` catches any error, whatever type it names.",
    supposing: "an `except` caught every kind of error",
    correction:
      "An `except` {except} catches only the class it names and its subclasses; any other error passes it by.",
    concept: "handler-order",
    source: TUTORIAL_HANDLING,
  },
  {
    id: "most-specific-handler",
    listed: 5,
    belief: "Python picks the most specific matching `except`, wherever it is in the list.",
    supposing: "Python picked the most specific `except` rather than the first that matches",
    correction:
      "Python tries the `except` clauses {except} from top to bottom and runs only the first that matches, even if a more precise one comes later.",
    concept: "handler-order",
    source: REFERENCE_TRY,
  },
  {
    id: "every-matching-handler",
    listed: 5,
    belief: "Every `except` that matches the error runs, one after another.",
    supposing: "every matching `except` ran",
    correction: "Only one `except` runs: the first of {except} that matches. The others are skipped.",
    concept: "handler-order",
    source: REFERENCE_TRY,
  },
  {
    id: "finally-right-after-try",
    belief: "`finally` runs right after the `try` block, before the `except` or `else` that comes next.",
    supposing: "`finally` ran right after the `try` block, before `except` or `else`",
    correction:
      "`finally` {finally} comes last: first the matching `except` or the `else` runs, then `finally`, once the rest of the try statement is done.",
    concept: "finally-always",
    source: TUTORIAL_CLEANUP,
  },
  {
    id: "handlers-guard-each-other",
    belief:
      "An error raised inside an `except` block is caught by the other `except` clauses of the same try.",
    supposing: "the `except` clauses also caught errors raised inside an `except` block",
    correction:
      "The `except` clauses {except} guard only the `try` block: an error raised inside one of them leaves the whole try statement.",
    concept: "raise-from",
    source: REFERENCE_TRY,
  },
  {
    id: "except-exact-type",
    belief: "An `except` catches only the exact class it names, not its subclasses.",
    supposing: "an `except` caught only its exact class and not its subclasses",
    correction:
      "An `except` {except} also catches every subclass of the class it names: `except OSError` catches `FileNotFoundError`.",
    concept: "handler-order",
    source: TUTORIAL_HANDLING,
  },
  {
    id: "jump-skips-finally",
    listed: 6,
    belief: "A `return`, `break` or `continue` in `try` or `except` leaves at once and skips `finally`.",
    supposing: "`finally` were skipped on `return`, `break` or `continue`",
    correction:
      "It never is: `finally` {finally} runs before the `return`, `break` or `continue` takes effect, so before a function hands back its value.",
    concept: "finally-on-return",
    source: TUTORIAL_CLEANUP,
  },
  {
    id: "finally-skipped-on-error",
    listed: 7,
    belief: "When an error is not caught, the program stops at once and `finally` never runs.",
    supposing: "`finally` were skipped when an error is not caught",
    correction:
      "`finally` {finally} runs even when nothing catches the error; the error travels on only after it.",
    concept: "propagation",
    source: TUTORIAL_CLEANUP,
  },
  {
    id: "traceback-before-finally",
    listed: 8,
    belief: "The traceback appears the moment the error happens, before `finally` prints anything.",
    supposing: "the traceback appeared the moment the error happened",
    correction:
      "The traceback is printed only when the error leaves the whole program, so `finally` {finally} prints before it.",
    concept: "propagation",
    source: TUTORIAL_CLEANUP,
  },
  {
    id: "try-return-wins",
    listed: 9,
    belief: "When `try` returns a value, a `return` in `finally` cannot change it.",
    supposing: "the `try` block's `return` won over the `return` in `finally`",
    correction:
      "The last `return` executed wins, and `finally` {finally} runs last: its `return` replaces the value the `try` returned.",
    concept: "finally-on-return",
    source: TUTORIAL_CLEANUP,
  },
  {
    id: "finally-rebind-changes-return",
    listed: 10,
    belief: "Assigning to the returned variable in `finally` changes what the caller gets.",
    supposing: "assigning the returned variable in `finally` changed the value returned",
    correction:
      "`return x` works out its value before `finally` {finally} runs; assigning to `x` afterwards changes the variable, not the value on its way out.",
    concept: "finally-on-return",
    source: REFERENCE_TRY,
  },
  {
    id: "finally-jump-keeps-exception",
    listed: 11,
    belief: "A `return`, `break` or `continue` in `finally` still lets the pending error escape.",
    supposing: "the error still escaped past the `return`, `break` or `continue` in `finally`",
    correction:
      "A `return`, `break` or `continue` in `finally` {finally} throws the pending error away: nothing escapes.",
    concept: "finally-on-return",
    source: TUTORIAL_CLEANUP,
  },
  {
    id: "handled-error-comes-back",
    listed: 12,
    belief:
      "An error that an `except` handled is raised again afterwards (after `finally`, when there is one).",
    supposing: "the handled error were raised again after the `except` (and `finally`)",
    correction:
      "Once an `except` {except} has handled the error, it is gone: `finally` runs and the program carries on after the try statement.",
    concept: "propagation",
    source: TUTORIAL_CLEANUP,
  },
  {
    id: "original-exception-wins",
    listed: 13,
    belief:
      "If `except` or `finally` raises a new error, the original error is still the one that comes out.",
    supposing: "the original error won over the one raised while handling it",
    correction:
      "A new error raised in `except` {except} or `finally` {finally} replaces the one being handled; the original only rides along as its context.",
    concept: "raise-from",
    source: TUTORIAL_CHAINING,
  },
  {
    id: "else-after-handled",
    listed: 14,
    belief: "`else` runs after the try statement whatever happened, even after an `except` or a `return`.",
    supposing: "`else` ran after the `except` (or after the `try` returned)",
    correction:
      "`else` {else} runs only when the `try` block reached its end without an error; after a handled error or a `return` it is skipped.",
    concept: "else",
    source: TUTORIAL_HANDLING,
  },
  {
    id: "except-guards-else",
    listed: 15,
    belief: "The `except` clauses of a try statement also catch errors raised in its `else`.",
    supposing: "the `except` also caught errors raised in `else`",
    correction:
      "An `except` {except} guards only its own `try` block: an error raised in `else` {else} passes it by.",
    concept: "else",
    source: REFERENCE_TRY,
  },
  {
    id: "else-on-error",
    belief: "`else` is for when the `try` failed, like the `else` of an `if`.",
    supposing: "`else` ran when the `try` failed",
    correction: "It is the other way round: `else` {else} runs only when the `try` block raised nothing.",
    concept: "else",
    source: TUTORIAL_HANDLING,
  },
  {
    id: "with-exit-skipped-on-error",
    listed: 16,
    belief: "When the `with` block raises, its clean-up (`__exit__`) is skipped.",
    supposing: "`with` skipped its clean-up when the block raised",
    correction:
      "`with` {with} always calls `__exit__`, whether the block finishes, returns or raises: that is its whole point.",
    concept: "with-exit",
    source: REFERENCE_WITH,
  },
  {
    id: "with-swallows-error",
    listed: 16,
    belief: "`with` catches errors raised in its block, like `try`/`except`.",
    supposing: "`with` swallowed the error raised in its block",
    correction:
      "`with` {with} passes the error on after `__exit__` runs, unless `__exit__` returns a true value (as `contextlib.suppress` does).",
    concept: "with-exit",
    source: REFERENCE_WITH,
  },
  {
    id: "with-exits-in-order",
    belief: "Context managers are closed in the order they were opened.",
    supposing: "the managers were closed in the order they were opened",
    correction:
      "They close in reverse order, like nested brackets: the last one entered {with} is the first to exit.",
    concept: "with-exit",
    source: REFERENCE_WITH,
  },
  {
    id: "with-is-assignment",
    belief:
      "`with open(...) as f` is just another way to write `f = open(...)`: nothing happens when the block ends.",
    supposing: "`with ... as x` were a plain assignment",
    correction:
      "`with` {with} calls the manager's `__enter__` (its result is what `as` names) and, when the block ends, its `__exit__`: that is what closes the file.",
    concept: "with-exit",
    source: REFERENCE_WITH,
  },
  {
    id: "finally-discards-return",
    belief: "Once `finally` has run there is nothing left to return, so the caller gets `None`.",
    supposing: "the value the `try` returned were lost when `finally` ran",
    correction:
      "`finally` {finally} runs on the way out, and then the value being returned still goes to the caller.",
    concept: "finally-on-return",
    source: REFERENCE_TRY,
  },
  {
    id: "finally-only-on-error",
    belief: "`finally` is another `except`: it runs only when something went wrong.",
    supposing: "`finally` ran only when an error happened",
    correction: "`finally` {finally} runs every time the try statement ends, error or no error.",
    concept: "finally-always",
    source: TUTORIAL_CLEANUP,
  },
  {
    id: "as-name-survives",
    belief: "The name given by `except ... as` keeps the error after the `except` block ends.",
    supposing: "the `as` name still held the error after the `except` block",
    correction:
      "Python deletes the `as` name {except} when the handler ends; copy it to another name inside the handler if you need it later.",
    concept: "except-as",
    source: REFERENCE_TRY,
  },
  {
    id: "print-shows-type",
    belief: "Printing an exception shows its class name too, like the last line of a traceback.",
    supposing: "printing an exception showed its class name",
    correction: "`print(err)` shows only the message; the class name is `type(err).__name__`.",
    concept: "except-as",
    source: TUTORIAL_HANDLING,
  },
  {
    id: "print-shows-name-only",
    belief: "Printing an exception shows only its class name.",
    supposing: "printing an exception showed only its class name",
    correction: "`print(err)` shows the message the error was created with, not the class name.",
    concept: "except-as",
    source: TUTORIAL_HANDLING,
  },
  {
    id: "uncaught-error-continues",
    belief: "An uncaught error prints its traceback, then the program carries on with the next line.",
    supposing: "the program carried on after an error nobody caught",
    correction: "An error nobody catches ends the program: nothing after it runs.",
    concept: "propagation",
    source: TUTORIAL_HANDLING,
  },
  {
    id: "error-returns-none",
    belief: "When an error is not caught inside a function, the function just gives back `None`.",
    supposing: "a function that hits an uncaught error gave back `None`",
    correction:
      "An uncaught error is not a return value: it leaves the function and travels on to the caller, until something catches it.",
    concept: "propagation",
    source: TUTORIAL_HANDLING,
  },
  {
    id: "error-returns-message",
    belief: "When an error ends a function, the caller receives the error's message.",
    supposing: "a function that hits an uncaught error gave back the error's message",
    correction:
      "The message travels inside the error, not as a return value: the error itself leaves the function, and the caller only sees the message if it catches the error and prints it.",
    concept: "propagation",
    source: TUTORIAL_HANDLING,
  },
  {
    id: "caller-prints-first",
    belief: "In `print(f(x))`, the print's line comes out before what `f` prints itself.",
    supposing: "the outer `print` came out before the called function's own output",
    correction:
      "Python works out the arguments first: the called function runs to its end, its own prints (and its `finally`) included, before the outer `print` shows anything.",
    concept: "finally-on-return",
  },
  {
    id: "later-line",
    belief: "The program prints its lines in the order they are written.",
    supposing: "the lines came out in the order they are written",
    correction:
      "That line is printed too, but later: lines come out in the order the code runs, and a call's own prints happen before its caller can print the value it returns.",
    concept: "try-flow",
  },
];

const BY_ID = new Map(CATALOGUE.map((m) => [m.id, m]));

export function misconception(id: string): Misconception | undefined {
  return BY_ID.get(id);
}

/** Bump when an entry's rule changes meaning (texts can change freely: they are not cached). */
export const CATALOGUE_VERSION = 1;
