"""SOQL tokenizer: turns query text into tokens that carry their position.

Keywords are not distinguished here: the parser reads identifiers as keywords where the
grammar expects one (SOQL keywords are case-insensitive).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from sandbox.salesforce.soql.errors import MALFORMED_QUERY, SoqlError

LiteralValue = str | int | float | date | datetime | None


class Kind(Enum):
    IDENT = "identifier"
    STRING = "string"
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"
    OPERATOR = "operator"
    COMMA = ","
    DOT = "."
    COLON = ":"
    LPAREN = "("
    RPAREN = ")"
    EOF = "<EOF>"


@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str  # as written in the query
    pos: int  # offset of the first character
    # The decoded literal of STRING, NUMBER, DATE and DATETIME tokens.
    value: LiteralValue = None
    # Offsets (in the decoded string) of ``%``/``_`` written as ``\%``/``\_``: LIKE must
    # match them literally, every other operator just sees the character.
    escaped_wildcards: frozenset[int] = frozenset()

    def is_word(self, *words: str) -> bool:
        return self.kind is Kind.IDENT and self.text.upper() in words


_PUNCTUATION = {
    ",": Kind.COMMA,
    ".": Kind.DOT,
    ":": Kind.COLON,
    "(": Kind.LPAREN,
    ")": Kind.RPAREN,
}
# Longest first, so "<=" is not read as "<" followed by "=".
_OPERATORS = ("!=", "<>", "<=", ">=", "=", "<", ">")
_ESCAPES = {
    "'": "'",
    '"': '"',
    "\\": "\\",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "b": "\b",
    "f": "\f",
}
_WILDCARDS = "%_"
_DATETIME_CHARS = set("0123456789-:.TZ+")


def tokenize(text: str) -> list[Token]:
    """Every token of ``text``, ending with an ``EOF`` token."""
    return list(_Lexer(text).tokens())


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def tokens(self) -> Iterator[Token]:
        while True:
            self._skip_space()
            if self.pos >= len(self.text):
                yield Token(Kind.EOF, "<EOF>", self.pos)
                return
            yield self._next()

    def _skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def _next(self) -> Token:
        char = self.text[self.pos]
        if char.isalpha():
            return self._identifier()
        if char.isdigit() or (char == "-" and self._peek(1).isdigit()):
            return self._number_or_date()
        if char == "'":
            return self._string()
        if char in _PUNCTUATION:
            self.pos += 1
            return Token(_PUNCTUATION[char], char, self.pos - 1)
        for op in _OPERATORS:
            if self.text.startswith(op, self.pos):
                self.pos += len(op)
                return Token(Kind.OPERATOR, op, self.pos - len(op))
        raise SoqlError(MALFORMED_QUERY, f"unexpected character: '{char}'", self.pos)

    def _peek(self, ahead: int) -> str:
        index = self.pos + ahead
        return self.text[index] if index < len(self.text) else ""

    def _take_while(self, accept: Callable[[str], bool]) -> str:
        start = self.pos
        while self.pos < len(self.text) and accept(self.text[self.pos]):
            self.pos += 1
        return self.text[start : self.pos]

    def _identifier(self) -> Token:
        start = self.pos
        word = self._take_while(lambda c: c.isalnum() or c == "_")
        return Token(Kind.IDENT, word, start)

    def _number_or_date(self) -> Token:
        start = self.pos
        negative = self._peek(0) == "-"
        self.pos += negative
        digits = self._take_while(str.isdigit)
        if not negative and len(digits) == 4 and self._peek(0) == "-":
            return self._date(start)
        if self._peek(0) == "." and self._peek(1).isdigit():
            self.pos += 1
            self._take_while(str.isdigit)
            text = self.text[start : self.pos]
            return Token(Kind.NUMBER, text, start, float(text))
        text = self.text[start : self.pos]
        return Token(Kind.NUMBER, text, start, int(text))

    def _date(self, start: int) -> Token:
        """``2026-11-02`` or a date-time with its zone: ``2026-11-02T15:04:05Z``,
        ``...05.000+0000``, ``...05-05:00``."""
        text = self.text[start : self.pos] + self._take_while(_DATETIME_CHARS.__contains__)
        try:
            if "T" not in text:
                return Token(Kind.DATE, text, start, date.fromisoformat(text))
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:  # SOQL date-times must name their zone
            raise SoqlError(MALFORMED_QUERY, f"invalid date or date-time: '{text}'", start)
        return Token(Kind.DATETIME, text, start, moment)

    def _string(self) -> Token:
        start = self.pos
        self.pos += 1  # opening quote
        chars: list[str] = []
        escaped_wildcards: set[int] = set()
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "'":
                self.pos += 1
                text = self.text[start : self.pos]
                return Token(Kind.STRING, text, start, "".join(chars), frozenset(escaped_wildcards))
            if char == "\\":
                escape = self._peek(1)
                if escape in _WILDCARDS:
                    escaped_wildcards.add(len(chars))
                    chars.append(escape)
                elif escape.lower() in _ESCAPES:
                    chars.append(_ESCAPES[escape.lower()])
                else:
                    raise SoqlError(
                        MALFORMED_QUERY, f"invalid escape sequence: '\\{escape}'", self.pos
                    )
                self.pos += 2
                continue
            chars.append(char)
            self.pos += 1
        raise SoqlError(MALFORMED_QUERY, "unterminated string literal", start)
