"""The unified social credit code (统一社会信用代码, GB 32100-2015) of every Chinese enterprise:
18 characters from a 31-letter alphabet, the last a check character. Cases keyed by enterprise
(eKYC, supply-chain finance, licensing) parse it here, so a mistyped code is refused before it
becomes a keyed commitment nobody can find again."""

from __future__ import annotations

from govchain.errors import InputError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(body: str) -> str:
    """The check character of the first 17 characters."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def parse_credit_code(text: str) -> str:
    """A credit code as written (spaces and case ignored); refused unless well-formed."""
    code = "".join(str(text).split()).upper()
    if len(code) != 18 or any(c not in ALPHABET for c in code):
        raise InputError(
            f"'{text}' is not a unified social credit code (18 characters: digits and capital "
            "letters except I, O, S, V, Z)."
        )
    if not code[2:8].isdigit():
        raise InputError(
            f"'{text}' is not a unified social credit code (characters 3-8 are digits)."
        )
    if check_character(code[:17]) != code[17]:
        raise InputError(
            f"'{text}' is not a unified social credit code: its check character is wrong."
        )
    return code


def make_credit_code(body: str) -> str:
    """A well-formed code from its first 17 characters (demo and test data)."""
    return body + check_character(body)
