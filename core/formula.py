"""Typed formulas in one variable θ, parsed safely, with their exact derivative.

``parse_formula("sin(theta)*exp(theta)")`` returns a Formula holding f(θ), its derivative
f′(θ) obtained by differentiating the parse tree symbolically (chain rule, node by node),
LaTeX for both, and whether the complex step applies. f and f′ work elementwise on θ of
any shape, in θ's dtype (float32 stays float32), and on complex θ when the formula is
analytic.

The text is read by the tokenizer and recursive-descent parser below and never handed
to eval, exec, compile or ast. Nothing but this grammar is accepted:

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := ("+" | "-")* power                      -θ^2 means -(θ^2)
    power      := atom (("^" | "**") unary)?              right-associative: 2^3^2 = 2^9
    atom       := number | variable | constant | "(" expression ")"
                | function "(" expression ")" | "max" "(" expression "," expression ")"

numbers: 3, 0.5, .5, 1e-3. variable: theta, θ or x (one name per formula).
constants: pi, e. functions: FUNCTIONS; abs, relu and max are not analytic.

Limits, checked while parsing, before f is ever evaluated, so that parsing takes time
proportional to the text and no constant can blow up:

* at most MAX_CHARACTERS characters and MAX_TOKENS tokens;
* parentheses nested at most MAX_NESTING deep (this bounds the parser's recursion), and
  the tree at most MAX_NESTING deep (this bounds differentiation and evaluation);
* a power chain a^b^c has at most MAX_POWER_CHAIN operators (9^9^9^9 is refused);
* a constant exponent has |value| ≤ MAX_CONSTANT_EXPONENT;
* every part that does not depend on θ (2^10, log(2)) is computed once, in float64, and
  refused when it is undefined or infinite (1/0, log(-1), exp(1000)); arithmetic on
  numbers is folded into one number;
* a constant base raised to a power that depends on θ must be positive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from core.activations import sigmoid

MAX_CHARACTERS = 200
MAX_TOKENS = 100
MAX_NESTING = 30
MAX_POWER_CHAIN = 2
MAX_CONSTANT_EXPONENT = 1000.0

VARIABLES: tuple[str, ...] = ("theta", "θ", "x")
CONSTANTS: dict[str, float] = {"pi": float(np.pi), "e": float(np.e)}
FUNCTIONS: tuple[str, ...] = (
    "sin", "cos", "tan", "arctan", "exp", "log", "log10", "sqrt",
    "sinh", "cosh", "tanh", "sigmoid", "abs", "relu", "max",
)  # fmt: skip
"""Functions a formula may call; log is natural. max takes two arguments, the rest one."""
NON_ANALYTIC_FUNCTIONS: tuple[str, ...] = ("abs", "relu", "max")

# sign and step (Heaviside, 0 at 0) appear only in derivatives: (|u|)′ = sign(u)·u′.
_NON_ANALYTIC = frozenset((*NON_ANALYTIC_FUNCTIONS, "sign", "step"))
_ALLOWED_NAMES = "θ (or theta, x), pi, e, and the functions " + ", ".join(sorted(FUNCTIONS))


def _complex_safe_sigmoid(u):
    # The overflow-free real sigmoid compares |u|, which complex input does not allow.
    return 1.0 / (1.0 + np.exp(-u)) if np.iscomplexobj(u) else sigmoid(u)


_NUMPY = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide,
    "pow": np.power, "neg": np.negative,
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "arctan": np.arctan, "exp": np.exp,
    "log": np.log, "log10": np.log10, "sqrt": np.sqrt,
    "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh, "sigmoid": _complex_safe_sigmoid,
    "abs": np.abs, "relu": lambda u: np.maximum(u, 0.0), "max": np.maximum,
    "sign": np.sign, "step": lambda u: np.heaviside(u, 0.0),
}  # fmt: skip


def _apply(op: str, *args):
    """The numpy operation behind a tree node, shared by constant folding and evaluation."""
    return _NUMPY[op](*args)


# ---------------------------------------------------------------- the tree


@dataclass(frozen=True)
class _Node:
    """One node of a parsed formula (or of its derivative).

    op: "number", "constant" (pi, e), "variable", "add", "sub", "mul", "div", "pow",
    "neg", or a function name. value: the float value when the node does not depend on
    θ (None otherwise). name: "pi" or "e" for a constant. depth: 1 for a leaf.
    """

    op: str
    args: tuple[_Node, ...] = ()
    value: float | None = None
    name: str = ""
    depth: int = 1


_ZERO = _Node("number", value=0.0)
_ONE = _Node("number", value=1.0)
_VARIABLE = _Node("variable")


def _number(value: float) -> _Node:
    return _Node("number", value=float(value))


def _is_number(node: _Node, value: float) -> bool:
    return node.op == "number" and node.value == value


def _describe_constant(op: str, values: list[float]) -> str:
    symbols = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "^"}
    shown = [f"({value:g})" if value < 0 else f"{value:g}" for value in values]
    if op in symbols:
        return f"{shown[0]} {symbols[op]} {shown[1]}"
    if op == "neg":
        return f"-{shown[0]}"
    return f"{op}({', '.join(f'{value:g}' for value in values)})"


_ARITHMETIC = frozenset(("add", "sub", "mul", "div", "pow", "neg"))


def _make(op: str, *args: _Node) -> _Node:
    """A node for op(args), simplified (1·u = u, u + 0 = u, …) and constant-folded.

    Arithmetic on numbers is folded into one number; other constant parts (π/2, ln 2,
    sin(1)) keep their shape for the LaTeX but carry their value. Raises ValueError when
    a constant part is undefined or infinite (0/0 included).
    """
    simplified = _simplify(op, args)
    if simplified is not None:
        return simplified
    depth = 1 + max(arg.depth for arg in args)
    if any(arg.value is None for arg in args):
        return _Node(op, args, depth=depth)
    values = [arg.value for arg in args]
    with np.errstate(all="ignore"):
        value = float(_apply(op, *values))
    if not np.isfinite(value):
        problem = _domain_problem(op, values, value, np.dtype(np.float64))
        raise ValueError(f"the constant part {_describe_constant(op, values)} fails: {problem}.")
    if op in _ARITHMETIC and all(arg.op == "number" for arg in args):
        return _number(value)
    return _Node(op, args, value=value, depth=depth)


def _simplify(op: str, args: tuple[_Node, ...]) -> _Node | None:
    """The trivially simpler node for op(args), or None when there is none.

    A simplification keeps the domain: it never drops a part that depends on θ, which
    may be undefined somewhere (0·ln θ and 0/θ are undefined at θ = 0, not 0), so 0·u
    and 0/u become 0 only when u is a constant, which is known to be finite and, as a
    divisor, nonzero. u⁰ = 1 and u¹ = u agree with IEEE arithmetic for every u.
    """
    if op in ("add", "sub"):
        a, b = args
        if _is_number(b, 0):
            return a
        if _is_number(a, 0):
            return b if op == "add" else _make("neg", b)
        if b.op == "neg":  # a + (−c) = a − c and a − (−c) = a + c
            return _make("sub" if op == "add" else "add", a, b.args[0])
        return None
    if op == "mul":
        a, b = args
        if _is_number(a, 0) or _is_number(b, 0):
            return _ZERO if a.value is not None and b.value is not None else None
        if _is_number(a, 1) or _is_number(a, -1):
            return b if a.value == 1 else _make("neg", b)
        if _is_number(b, 1) or _is_number(b, -1):
            return a if b.value == 1 else _make("neg", a)
        return None
    if op == "div":
        a, b = args
        if _is_number(b, 1):
            return a
        if _is_number(a, 0) and b.value is not None and b.value != 0:
            return _ZERO
        if a.op == "number" and a.value < 0:  # (−c)/b = −(c/b)
            return _make("neg", _make("div", _number(-a.value), b))
        return None
    if op == "pow":
        a, b = args
        return a if _is_number(b, 1) else _ONE if _is_number(b, 0) else None
    if op == "neg" and args[0].op == "neg":
        return args[0].args[0]
    if op == "log" and args[0].name == "e":
        return _ONE
    return None


# ---------------------------------------------------------------- the tokenizer


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "op" or "end"
    text: str
    position: int


_TOKEN = re.compile(
    r"(?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*|θ)"
    r"|(?P<op>\*\*|[-+*/^(),])"
)
_SPACE = re.compile(r"\s*")


def _unexpected_character(character: str, position: int) -> ValueError:
    if character in "'\"`":
        reason = "quotes are not allowed: a formula holds no text strings"
    elif character in "[]":
        reason = "square brackets are not allowed (no subscripts or lists); use ( )"
    elif character == ".":
        reason = "'.' may only appear inside a number such as 0.5 (no attribute access)"
    else:
        reason = f"unexpected character {character!r}"
    return ValueError(
        f"{reason} at position {position}. A formula may use numbers, {_ALLOWED_NAMES}, "
        "the operators + - * / ^ ** and parentheses."
    )


def _tokenize(text: str) -> list[_Token]:
    """Split text into tokens, refusing unknown characters and names on the way."""
    tokens: list[_Token] = []
    position = _SPACE.match(text).end()
    while position < len(text):
        if len(tokens) == MAX_TOKENS:
            raise ValueError(f"the formula has more than {MAX_TOKENS} tokens; shorten it.")
        match = _TOKEN.match(text, position)
        if match is None:
            raise _unexpected_character(text[position], position)
        kind = match.lastgroup
        word = "^" if match.group() == "**" else match.group()
        if kind == "name" and word not in (*VARIABLES, *CONSTANTS, *FUNCTIONS):
            raise ValueError(f"unknown name {word!r}; allowed: {_ALLOWED_NAMES}.")
        tokens.append(_Token(kind, word, position))
        position = _SPACE.match(text, match.end()).end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


# ---------------------------------------------------------------- the parser


class _Parser:
    """Recursive descent over the grammar in the module docstring, one token of lookahead."""

    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.index = 0
        self.nesting = 0
        self.variables_seen: set[str] = set()

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.token
        self.index += 1
        return token

    def unexpected(self, opening: _Token | None = None) -> ValueError:
        """The error for a token where an operator, ')' or the end should come."""
        token = self.token
        if token.kind == "end":
            return ValueError(
                f"unbalanced parentheses: '(' at position {opening.position} is never closed."
            )
        if token.text == ")":
            return ValueError(
                f"unbalanced parentheses: ')' at position {token.position} has no matching '('."
            )
        if token.text == ",":
            return ValueError(
                f"',' at position {token.position} may only separate the two arguments of max."
            )
        previous = self.tokens[self.index - 1]
        return ValueError(
            f"missing operator between {previous.text!r} and {token.text!r} at position "
            f"{token.position} (write * for a product, as in 2*θ)."
        )

    def node(self, op: str, *args: _Node) -> _Node:
        built = _make(op, *args)
        if built.depth > MAX_NESTING:
            raise ValueError(
                f"the formula is nested more than {MAX_NESTING} operations deep; simplify it."
            )
        return built

    def formula(self) -> _Node:
        tree = self.expression()
        if self.token.kind != "end":
            raise self.unexpected()
        return tree

    def expression(self) -> _Node:
        tree = self.term()
        while self.token.text in ("+", "-"):
            op = "add" if self.advance().text == "+" else "sub"
            tree = self.node(op, tree, self.term())
        return tree

    def term(self) -> _Node:
        tree = self.unary(chain=0)
        while self.token.text in ("*", "/"):
            op = "mul" if self.advance().text == "*" else "div"
            tree = self.node(op, tree, self.unary(chain=0))
        return tree

    def unary(self, chain: int) -> _Node:
        negations = 0
        while self.token.text in ("+", "-"):
            negations += self.advance().text == "-"
        tree = self.power(chain)
        return self.node("neg", tree) if negations % 2 else tree

    def power(self, chain: int) -> _Node:
        base = self.atom()
        if self.token.text != "^":
            return base
        if chain == MAX_POWER_CHAIN:
            raise ValueError(
                f"power towers are limited to {MAX_POWER_CHAIN} levels (a^b^c); found another "
                f"'^' at position {self.token.position}."
            )
        self.advance()
        exponent = self.unary(chain + 1)
        if exponent.value is not None and abs(exponent.value) > MAX_CONSTANT_EXPONENT:
            raise ValueError(
                f"the exponent {exponent.value:g} is too large; constant exponents must lie "
                f"within ±{MAX_CONSTANT_EXPONENT:g}."
            )
        if base.value is not None and exponent.value is None and base.value <= 0:
            raise ValueError(
                f"a constant base raised to a power that depends on the variable must be "
                f"positive; got {base.value:g}."
            )
        return self.node("pow", base, exponent)

    def parenthesized(self) -> list[_Node]:
        """Comma-separated expressions between '(' and ')'."""
        opening = self.advance()
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise ValueError(f"parentheses are nested more than {MAX_NESTING} deep.")
        arguments = [self.expression()]
        while self.token.text == ",":
            self.advance()
            arguments.append(self.expression())
        if self.token.text != ")":
            raise self.unexpected(opening)
        self.advance()
        self.nesting -= 1
        return arguments

    def atom(self) -> _Node:
        token = self.token
        if token.kind == "number":
            self.advance()
            value = float(token.text)
            if not np.isfinite(value):
                raise ValueError(f"the number {token.text} is too large.")
            return _number(value)
        if token.kind == "name":
            return self.named()
        if token.text == "(":
            arguments = self.parenthesized()
            if len(arguments) != 1:
                raise ValueError("',' may only separate the two arguments of max.")
            return arguments[0]
        where = (
            "before the end of the formula"
            if token.kind == "end"
            else f"but found {token.text!r} at position {token.position}"
        )
        raise ValueError(f"expected a number, θ, a function or '(' {where}.")

    def named(self) -> _Node:
        token = self.advance()
        name = token.text
        if name in FUNCTIONS:
            if self.token.text != "(":
                raise ValueError(f"{name} is a function: write {name}(θ).")
            arguments = self.parenthesized()
            if name == "max" and len(arguments) != 2:
                raise ValueError("max takes two arguments, as in max(θ, 0).")
            if name != "max" and len(arguments) != 1:
                raise ValueError(f"{name} takes one argument, as in {name}(θ).")
            return self.node(name, *arguments)
        if self.token.text == "(":
            raise ValueError(f"{name!r} is not a function; write {name}*( ) for a product.")
        if name in CONSTANTS:
            return _Node("constant", value=CONSTANTS[name], name=name)
        self.variables_seen.add(name)
        if len(self.variables_seen) > 1:
            first, second = sorted(self.variables_seen)
            raise ValueError(
                f"use one name for the variable; the formula uses both {first!r} and {second!r}."
            )
        return _VARIABLE


# ---------------------------------------------------------------- differentiation


def _times(u: _Node, v: _Node) -> _Node:
    # u·v in a derivative, 0 when a factor is exactly 0 (the derivative of a constant),
    # even where the other factor is undefined: f′ means something only where f is
    # defined, and check_domain checks f with f′.
    return _ZERO if _is_number(u, 0) or _is_number(v, 0) else _make("mul", u, v)


def _derivative(node: _Node) -> _Node:
    """d node / dθ, by the chain rule, simplified on the way."""
    op, args = node.op, node.args
    if node.value is not None:
        return _ZERO
    if op == "variable":
        return _ONE
    a = args[0]
    da = _derivative(a)
    if op == "neg":
        return _make("neg", da)
    if op in ("add", "sub"):
        return _make(op, da, _derivative(args[1]))
    if op == "mul":  # (ab)′ = a′b + ab′
        b = args[1]
        return _make("add", _times(da, b), _times(a, _derivative(b)))
    if op == "div":  # (a/b)′ = (a′b − ab′) / b², or a′/b when b is constant
        b = args[1]
        if b.value is not None:
            return _make("div", da, b)
        numerator = _make("sub", _times(da, b), _times(a, _derivative(b)))
        return _make("div", numerator, _make("pow", b, _number(2)))
    if op == "pow":
        b = args[1]
        if b.value is not None:  # (aⁿ)′ = n·aⁿ⁻¹·a′
            n = b.value
            return _times(_make("mul", b, _make("pow", a, _number(n - 1))), da)
        # (a^b)′ = a^b·(b′·ln a + b·a′/a)
        log_part = _times(_derivative(b), _make("log", a))
        rest = _times(b, _make("div", da, a))
        return _times(node, _make("add", log_part, rest))
    if op == "max":  # max(a, b)′ = step(a − b)·a′ + (1 − step(a − b))·b′
        b = args[1]
        a_wins = _make("step", _make("sub", a, b))
        return _make(
            "add",
            _times(a_wins, da),
            _times(_make("sub", _ONE, a_wins), _derivative(b)),
        )
    return _times(_outer_derivative(op, a, node), da)


def _outer_derivative(op: str, a: _Node, node: _Node) -> _Node:
    """g′(a) for node = g(a) with g a function of one argument."""
    if op == "sin":
        return _make("cos", a)
    if op == "cos":
        return _make("neg", _make("sin", a))
    if op == "tan":  # 1/cos²
        return _make("div", _ONE, _make("pow", _make("cos", a), _number(2)))
    if op == "arctan":
        return _make("div", _ONE, _make("add", _ONE, _make("pow", a, _number(2))))
    if op == "exp":
        return node
    if op == "log":
        return _make("div", _ONE, a)
    if op == "log10":
        return _make("div", _ONE, _make("mul", a, _make("log", _number(10))))
    if op == "sqrt":
        return _make("div", _ONE, _make("mul", _number(2), node))
    if op == "sinh":
        return _make("cosh", a)
    if op == "cosh":
        return _make("sinh", a)
    if op == "tanh":
        return _make("sub", _ONE, _make("pow", node, _number(2)))
    if op == "sigmoid":
        return _make("mul", node, _make("sub", _ONE, node))
    if op == "abs":
        return _make("sign", a)
    return _make("step", a)  # relu


# ---------------------------------------------------------------- LaTeX

# How tightly each node binds; an operand that binds less tightly than its place needs
# gets parentheses. A negative number binds like "neg".
_PRECEDENCE = {"add": 1, "sub": 1, "neg": 2, "mul": 3, "div": 3, "pow": 4}
_LATEX_FUNCTIONS = {
    "sin": r"\sin", "cos": r"\cos", "tan": r"\tan", "arctan": r"\arctan", "exp": r"\exp",
    "log": r"\ln", "log10": r"\log_{10}", "sinh": r"\sinh", "cosh": r"\cosh",
    "tanh": r"\tanh", "sigmoid": r"\sigma", "relu": r"\operatorname{ReLU}",
    "sign": r"\operatorname{sign}", "max": r"\max",
}  # fmt: skip


def _precedence(node: _Node) -> int:
    if node.op == "number" and node.value < 0:
        return _PRECEDENCE["neg"]
    return _PRECEDENCE.get(node.op, 5)


def _latex_number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    mantissa, _, exponent = f"{value:.6g}".partition("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}" if exponent else mantissa


def _latex(node: _Node, variable: str, needed: int = 0) -> str:
    """LaTeX for node, in parentheses when it binds less tightly than needed."""
    text = _latex_unwrapped(node, variable)
    return rf"\left({text}\right)" if _precedence(node) < needed else text


def _latex_unwrapped(node: _Node, variable: str) -> str:
    op, args = node.op, node.args
    if op == "number":
        return _latex_number(node.value)
    if op == "constant":
        return r"\pi" if node.name == "pi" else "e"
    if op == "variable":
        return variable
    if op in ("add", "sub"):
        sign = "+" if op == "add" else "-"
        return f"{_latex(args[0], variable)} {sign} {_latex(args[1], variable, 3)}"
    if op == "mul":
        left, right = _latex(args[0], variable, 2), _latex(args[1], variable, 3)
        juxtapose = args[0].op == "number" and not (right[0].isdigit() or right[0] == "-")
        return f"{left} {right}" if juxtapose else rf"{left} \cdot {right}"
    if op == "div":
        return rf"\frac{{{_latex(args[0], variable)}}}{{{_latex(args[1], variable)}}}"
    if op == "neg":
        return f"-{_latex(args[0], variable, 3)}"
    if op == "pow":
        return f"{_latex(args[0], variable, 5)}^{{{_latex(args[1], variable)}}}"
    inner = ", ".join(_latex(arg, variable) for arg in args)
    if op == "sqrt":
        return rf"\sqrt{{{inner}}}"
    if op == "abs":
        return rf"\left|{inner}\right|"
    if op == "step":
        return rf"\mathbf{{1}}\left[{inner} > 0\right]"
    return rf"{_LATEX_FUNCTIONS[op]}\left({inner}\right)"


# ---------------------------------------------------------------- evaluation

_OPERATION_NAMES = {"add": "the sum", "sub": "the difference", "mul": "the product"}


class _DomainError(Exception):
    """Raised by a checking evaluation: where (θ) and what went wrong."""

    def __init__(self, theta: float, problem: str):
        super().__init__(problem)
        self.theta = theta
        self.problem = problem


def _domain_problem(op: str, values: list[float], result: float, dtype: np.dtype) -> str:
    """Why op turned these finite values into the non-finite result."""
    if op == "div":
        return "division by zero"
    if op in ("log", "log10"):
        return f"{op} is undefined (its argument {values[0]:g} is not positive)"
    if op == "sqrt":
        return f"sqrt is undefined (its argument {values[0]:g} is negative)"
    if op == "pow" and values[0] == 0:
        return f"0 to a negative power ({values[1]:g}) divides by zero"
    if op == "pow" and values[0] < 0:
        return (
            f"a negative base ({values[0]:g}) to a non-integer power ({values[1]:g}) is undefined"
        )
    name = _OPERATION_NAMES.get(op, "the power" if op == "pow" else op)
    if np.isinf(result):
        return f"{name} overflows {dtype.name}"
    return f"{name} is not a number"


def _evaluate(node: _Node, theta: np.ndarray, check: bool):
    """node's value at θ; with check, the first undefined or overflowing step raises."""
    if node.value is not None:
        return node.value
    if node.op == "variable":
        return theta
    if node.op in _NON_ANALYTIC and np.iscomplexobj(theta):
        raise ValueError(
            f"{node.op} is not complex-differentiable, so this formula cannot take a complex "
            "argument: the complex step does not apply; use a two-sided difference."
        )
    args = [_evaluate(arg, theta, check) for arg in node.args]
    result = _apply(node.op, *args)
    if check:
        broken = ~np.isfinite(result)
        for arg in args:
            broken = broken & np.isfinite(arg)
        if np.any(broken):
            shape = np.shape(broken)
            index = np.unravel_index(int(np.argmax(broken)), shape)
            values = [float(np.broadcast_to(arg, shape)[index]) for arg in args]
            at = float(np.broadcast_to(theta, shape)[index])
            dtype = np.asarray(result).dtype
            problem = _domain_problem(node.op, values, np.asarray(result)[index], dtype)
            raise _DomainError(at, problem)
    return result


def _as_argument(theta: ArrayLike) -> np.ndarray:
    theta = np.asarray(theta)
    if theta.dtype == bool or np.issubdtype(theta.dtype, np.integer):
        return theta.astype(np.float64)
    if not np.issubdtype(theta.dtype, np.inexact):
        raise ValueError(f"θ must be a number or an array of numbers; got dtype {theta.dtype}.")
    return theta


# ---------------------------------------------------------------- the public face


@dataclass(frozen=True)
class Formula:
    """A parsed formula f(θ) and its exact derivative f′(θ); build it with parse_formula.

    text: the formula as typed. variable: the name it uses for θ ("theta", "θ" or "x";
    "theta" when it uses none). is_analytic: False when abs, relu or max acts on θ; such
    a formula refuses complex input (the complex step does not apply). latex, derivative_latex: f
    and f′ as LaTeX expressions (without "f(θ) ="), built only from the parse tree.
    """

    text: str
    variable: str
    is_analytic: bool
    latex: str
    derivative_latex: str
    _tree: _Node = field(repr=False)
    _derivative_tree: _Node = field(repr=False)

    @property
    def symbol(self) -> str:
        """The variable as shown to people: θ, or x."""
        return "x" if self.variable == "x" else "θ"

    def _values(self, tree: _Node, theta: ArrayLike) -> np.ndarray:
        theta = _as_argument(theta)
        with np.errstate(all="ignore"):
            value = _evaluate(tree, theta, check=False)
            if np.ndim(value) == 0 and not isinstance(value, np.ndarray | np.generic):
                # A constant formula still answers with θ's shape and dtype.
                return np.full(theta.shape, value, dtype=theta.dtype)[()]
        return value

    def f(self, theta: ArrayLike) -> np.ndarray:
        """f(θ) elementwise, in θ's dtype; NaN or ±inf where f is undefined (check_domain)."""
        return self._values(self._tree, theta)

    def df(self, theta: ArrayLike) -> np.ndarray:
        """f′(θ) elementwise, in θ's dtype; NaN or ±inf where it is undefined (check_domain)."""
        return self._values(self._derivative_tree, theta)

    def check_domain(self, theta: ArrayLike) -> None:
        """Raise a ValueError when f or f′ is NaN or infinite at some θ, naming the step.

        For example "f(θ) at θ = -1: log is undefined (its argument -1 is not positive)."
        An intermediate overflow that does not reach the result (1/exp(θ) at θ = 1000 is
        0) is not reported. θ: real and finite, any shape.
        """
        theta = _as_argument(theta)
        if np.iscomplexobj(theta) or not np.all(np.isfinite(theta)):
            raise ValueError(f"{self.symbol} must be real and finite to check the domain.")
        for name, tree in (("f", self._tree), ("f′", self._derivative_tree)):
            value = self._values(tree, theta)
            broken = ~np.isfinite(value)
            if not np.any(broken):
                continue
            # θ and the constants are finite, so at these θ some step turns finite
            # arguments into NaN or ±inf; the checking evaluation stops at the first.
            try:
                with np.errstate(all="ignore"):
                    _evaluate(tree, np.broadcast_to(theta, np.shape(value))[broken], check=True)
            except _DomainError as error:
                raise ValueError(
                    f"{name}({self.symbol}) at {self.symbol} = {error.theta:g}: {error.problem}."
                ) from None
            # Every step was defined: the value itself is beyond the range of θ's dtype
            # (a constant such as 1e39 in float32).
            at = np.broadcast_to(theta, np.shape(value))[broken].flat[0]
            raise ValueError(
                f"{name}({self.symbol}) at {self.symbol} = {at:g}: the value is too large for "
                f"{theta.dtype} and overflows to infinity."
            )


def parse_formula(text: str) -> Formula:
    """Parse text such as "theta**3" or "sin(θ)*exp(θ)" into a Formula with f and f′.

    Raises ValueError, naming the problem, for anything outside the grammar or limits in
    the module docstring; nothing is evaluated before the text has been accepted.
    """
    if not isinstance(text, str):
        raise ValueError(f"the formula must be text; got {type(text).__name__}.")
    if len(text) > MAX_CHARACTERS:
        raise ValueError(
            f"the formula has {len(text)} characters; at most {MAX_CHARACTERS} are allowed."
        )
    if not text.strip():
        raise ValueError("the formula is empty; type one such as theta**3.")
    parser = _Parser(_tokenize(text))
    tree = parser.formula()
    (variable,) = parser.variables_seen or {"theta"}
    latex_variable = "x" if variable == "x" else r"\theta"
    derivative_tree = _derivative(tree)
    return Formula(
        text=text,
        variable=variable,
        is_analytic=not _uses(tree, _NON_ANALYTIC),
        latex=_latex(tree, latex_variable),
        derivative_latex=_latex(derivative_tree, latex_variable),
        _tree=tree,
        _derivative_tree=derivative_tree,
    )


def _uses(node: _Node, ops: frozenset[str]) -> bool:
    """Whether an op in ops acts on something that depends on θ (abs(-2) is just 2)."""
    return node.value is None and (node.op in ops or any(_uses(arg, ops) for arg in node.args))
