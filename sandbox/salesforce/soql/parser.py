"""Recursive-descent parser for the SOQL subset the sandbox serves.

Grammar (keywords case-insensitive)::

    query      := SELECT select FROM name [WHERE condition]
                  [ORDER BY order (',' order)*] [LIMIT int] [OFFSET int]
    select     := COUNT '(' ')' | field (',' field)*
    field      := name ('.' name)*
    condition  := unary (AND unary)* | unary (OR unary)*
    unary      := NOT unary | '(' condition ')' | predicate
    predicate  := field ( compare value | [NOT] IN '(' value (',' value)* ')' | LIKE string )
    value      := string | number | date | datetime | NULL | TRUE | FALSE
                | date_literal [':' int]
    order      := field [ASC | DESC] [NULLS (FIRST | LAST)]

As in Salesforce, AND and OR cannot be mixed without parentheses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn, TypeVar

from sandbox.salesforce.soql import dates
from sandbox.salesforce.soql.errors import MALFORMED_QUERY, SoqlError
from sandbox.salesforce.soql.lexer import Kind, Token, tokenize
from sandbox.salesforce.soql.nodes import (
    And,
    Comparison,
    Condition,
    DateLiteral,
    FieldPath,
    InList,
    Like,
    Not,
    Operator,
    Or,
    OrderItem,
    Pattern,
    Query,
    SObjectName,
    Value,
)

# Words that end a field list or condition; they can never be field or object names.
RESERVED = frozenset(
    {
        "AND", "ASC", "BY", "DESC", "FALSE", "FIRST", "FROM", "IN", "LAST", "LIKE", "LIMIT",
        "NOT", "NULL", "NULLS", "OFFSET", "OR", "ORDER", "SELECT", "TRUE", "WHERE",
    }
)  # fmt: skip
_OPERATORS = {
    "=": Operator.EQ,
    "!=": Operator.NE,
    "<>": Operator.NE,
    "<": Operator.LT,
    "<=": Operator.LE,
    ">": Operator.GT,
    ">=": Operator.GE,
}
_LITERAL_KINDS = (Kind.STRING, Kind.NUMBER, Kind.DATE, Kind.DATETIME)

T = TypeVar("T")


def parse(text: str) -> Query:
    """The syntax tree of ``text``; ``SoqlError(MALFORMED_QUERY)`` when it is not SOQL."""
    return _Parser(tokenize(text)).query()


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self._tokens = tokens
        self._index = 0

    # -- token helpers ------------------------------------------------------------------------
    @property
    def _current(self) -> Token:
        return self._tokens[self._index]

    def _advance(self) -> Token:
        token = self._current
        if token.kind is not Kind.EOF:
            self._index += 1
        return token

    def _accept_word(self, *words: str) -> Token | None:
        return self._advance() if self._current.is_word(*words) else None

    def _expect_word(self, word: str) -> Token:
        return self._accept_word(word) or self._unexpected()

    def _expect(self, kind: Kind) -> Token:
        return self._advance() if self._current.kind is kind else self._unexpected()

    def _unexpected(self, token: Token | None = None) -> NoReturn:
        token = token or self._current
        raise SoqlError(MALFORMED_QUERY, f"unexpected token: '{token.text}'", token.pos)

    # -- query --------------------------------------------------------------------------------
    def query(self) -> Query:
        self._expect_word("SELECT")
        fields = self._select_list()
        self._expect_word("FROM")
        sobject = self._name()
        where = self._condition() if self._accept_word("WHERE") else None
        order_by: tuple[OrderItem, ...] = ()
        if self._accept_word("ORDER"):
            self._expect_word("BY")
            order_by = tuple(self._comma_separated(self._order_item))
        limit = self._integer() if self._accept_word("LIMIT") else None
        offset = self._integer() if self._accept_word("OFFSET") else 0
        self._expect(Kind.EOF)
        return Query(
            sobject=SObjectName(sobject.text, sobject.pos),
            fields=fields,
            where=where,
            order_by=order_by,
            limit=limit,
            offset=offset,
        )

    def _select_list(self) -> tuple[FieldPath, ...]:
        if self._current.is_word("COUNT") and self._tokens[self._index + 1].kind is Kind.LPAREN:
            self._advance()
            self._expect(Kind.LPAREN)
            self._expect(Kind.RPAREN)
            return ()
        return tuple(self._comma_separated(self._field))

    def _comma_separated(self, item: Callable[[], T]) -> list[T]:
        items = [item()]
        while self._current.kind is Kind.COMMA:
            self._advance()
            items.append(item())
        return items

    def _name(self) -> Token:
        token = self._current
        if token.kind is not Kind.IDENT or token.text.upper() in RESERVED:
            self._unexpected()
        return self._advance()

    def _field(self) -> FieldPath:
        first = self._name()
        parts = [first.text]
        while self._current.kind is Kind.DOT:
            self._advance()
            parts.append(self._name().text)
        return FieldPath(tuple(parts), first.pos)

    def _integer(self) -> int:
        token = self._expect(Kind.NUMBER)
        if not isinstance(token.value, int) or token.value < 0:
            self._unexpected(token)
        return token.value

    def _order_item(self) -> OrderItem:
        field = self._field()
        direction = self._accept_word("ASC", "DESC")
        descending = direction is not None and direction.is_word("DESC")
        nulls_last = descending
        if self._accept_word("NULLS"):
            nulls_last = self._current.is_word("LAST")
            if not self._accept_word("FIRST", "LAST"):
                self._unexpected()
        return OrderItem(field, descending, nulls_last)

    # -- conditions ---------------------------------------------------------------------------
    def _condition(self) -> Condition:
        first = self._unary()
        joiner = self._current
        if not joiner.is_word("AND", "OR"):
            return first
        operands = [first]
        while self._accept_word(joiner.text.upper()):
            operands.append(self._unary())
        if self._current.is_word("AND", "OR"):  # mixed without parentheses
            self._unexpected()
        combined = tuple(operands)
        return And(combined) if joiner.is_word("AND") else Or(combined)

    def _unary(self) -> Condition:
        if self._accept_word("NOT"):
            return Not(self._unary())
        if self._current.kind is Kind.LPAREN:
            self._advance()
            inner = self._condition()
            self._expect(Kind.RPAREN)
            return inner
        return self._predicate()

    def _predicate(self) -> Condition:
        field = self._field()
        token = self._current
        if token.kind is Kind.OPERATOR:
            self._advance()
            return Comparison(field, _OPERATORS[token.text], self._value())
        if self._accept_word("LIKE"):
            pattern = self._expect(Kind.STRING)
            return Like(field, Pattern(str(pattern.value), pattern.escaped_wildcards))
        negated = bool(self._accept_word("NOT"))
        self._expect_word("IN")
        self._expect(Kind.LPAREN)
        values = tuple(self._comma_separated(self._value))
        self._expect(Kind.RPAREN)
        return InList(field, values, negated)

    def _value(self) -> Value:
        token = self._current
        if token.kind in _LITERAL_KINDS:
            return self._advance().value
        if self._accept_word("NULL"):
            return None
        if self._accept_word("TRUE", "FALSE"):
            return token.is_word("TRUE")
        if token.kind is Kind.IDENT and token.text.upper() in dates.WITHOUT_N:
            self._advance()
            return DateLiteral(token.text.upper())
        if token.kind is Kind.IDENT and token.text.upper() in dates.WITH_N:
            self._advance()
            self._expect(Kind.COLON)
            return DateLiteral(token.text.upper(), self._integer())
        return self._unexpected()
