"""What a chart's label expression (Vega's expression language) makes of a tick value,
for the tests: evaluated here, node by node, without eval.

It knows the part of the language the charts use: ternaries (a ? b : c, the else branch
possibly another ternary, the others without one), ||, comparisons, + − × /, numbers,
strings, lists, datum.value, LN10 and the functions below. Strings join as in
JavaScript: '' + -16 is "-16", and a whole float such as -443.0 reads "-443".
"""

from __future__ import annotations

import ast
import math
import operator


def _js_string(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _replace(text: str, pattern, by: str) -> str:
    # A regexp replaces every match with the flag g, else the first; a string, the first.
    source, flags = pattern if isinstance(pattern, tuple) else (pattern, "")
    return text.replace(source, by, -1 if "g" in flags else 1)


FUNCTIONS = {
    "abs": abs,
    "floor": math.floor,
    "format": lambda value, spec: f"{value:g}" if spec == "~g" else NotImplemented,
    "indexof": lambda items, item: items.index(item) if item in items else -1,
    "log": math.log,
    "pow": math.pow,
    "regexp": lambda source, flags="": (source, flags),
    "replace": _replace,
    "round": lambda x: math.floor(x + 0.5),  # JavaScript's Math.round
}


OPERATORS = {
    ast.Lt: operator.lt,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def label(expression: str, value: float) -> str:
    """The label ``expression`` gives a tick at ``value``."""
    if " ? " in expression:
        condition, branches = expression.split(" ? ", 1)
        chosen, other = branches.split(" : ", 1)
        return label(chosen if _walk(condition, value) else other, value)
    return _walk(expression, value)


def _walk(expression: str, value: float):
    def walk(node):
        match node:
            case ast.Expression(body=body):
                return walk(body)
            case ast.Constant(value=constant):
                return constant
            case ast.List(elts=items):
                return [walk(item) for item in items]
            case ast.Name(id="LN10"):
                return math.log(10)
            case ast.Attribute(value=ast.Name(id="datum"), attr="value"):
                return value
            case ast.Call(func=ast.Name(id=name), args=args) if name in FUNCTIONS:
                return FUNCTIONS[name](*map(walk, args))
            case ast.BoolOp(op=ast.Or(), values=parts):
                return any(walk(part) for part in parts)
            case ast.Compare(left=left, ops=[op], comparators=[right]):
                return OPERATORS[type(op)](walk(left), walk(right))
            case ast.BinOp(left=left, op=op, right=right):
                a, b = walk(left), walk(right)
                if isinstance(op, ast.Add) and (isinstance(a, str) or isinstance(b, str)):
                    return _js_string(a) + _js_string(b)
                return OPERATORS[type(op)](a, b)
        raise AssertionError(f"not in the expressions these tests know: {ast.dump(node)}")

    return walk(ast.parse(expression.replace(" || ", " or "), mode="eval"))
