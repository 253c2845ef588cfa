"""Errors are part of the API.

Every failure GovChain reports is a :class:`GovChainError` whose message is one sentence a clerk
understands. The CLI prints that sentence on stderr and exits with :attr:`GovChainError.exit_code`;
SDK callers catch the typed subclasses.

Custom Solidity errors are decoded by name and arguments (see :mod:`govchain.reverts`) into
subclasses of :class:`ContractRevert`. A module that owns a contract declares the sentence for each
of that contract's errors with :func:`revert_error`, next to the code that calls the contract.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar


class GovChainError(Exception):
    """Base of every error GovChain raises on purpose."""

    exit_code: ClassVar[int] = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(GovChainError):
    """The configuration (flags, environment, config file) is missing or inconsistent."""


class InputError(GovChainError):
    """Something the user typed or a file they gave is malformed."""

    exit_code = 2


class ChainUnavailable(GovChainError):
    """The JSON-RPC endpoint does not answer, or answers as a different chain."""

    exit_code = 3


class IndexUnavailable(GovChainError):
    """The event index's database (``GOVCHAIN_INDEX_URL``) cannot be reached or opened."""

    exit_code = 3


class NodeError(GovChainError):
    """The local chain process could not be started, stopped or restored."""


class CompileError(GovChainError):
    """The Solidity sources did not compile cleanly (errors or warnings)."""


class KeystoreError(GovChainError):
    """A keystore is missing, unreadable or cannot be written."""


class WrongPassword(KeystoreError):
    """The keystore password does not decrypt the key."""


class DeploymentError(GovChainError):
    """The deployments file is missing, stale or does not match the chain."""


class TransactionError(GovChainError):
    """A transaction could not be sent, was not mined in time, or failed without a reason."""


class TransactionTimeout(TransactionError):
    """No receipt arrived within the timeout."""


class ContractRevert(GovChainError):
    """A contract refused a call. Subclasses are the contracts' custom errors, one class each.

    ``error_name`` is the Solidity error name, ``args`` its decoded arguments by parameter name,
    ``contract`` the name of the contract that was called (when known).
    """

    error_name: str = ""
    template: ClassVar[str] = ""

    def __init__(
        self,
        message: str,
        *,
        error_name: str = "",
        args: dict[str, Any] | None = None,
        contract: str = "",
        context: str = "",
    ) -> None:
        super().__init__(message)
        self.error_name = error_name or type(self).error_name
        self.args_by_name: dict[str, Any] = dict(args or {})
        self.contract = contract
        self.context = context  # "Contract.function" that was called, when known

    @staticmethod
    def readable_args(args: dict[str, Any], context: str) -> dict[str, str]:
        """Arguments the class says better than the generic formatting (names, states)."""
        return {}


E = TypeVar("E", bound=type[ContractRevert])

#: (contract name, Solidity error name) -> the exception class that represents it. The contract
#: is None for errors every contract may raise (the directory's, OpenZeppelin's, the case base's):
#: two contracts may define the same error name with different meanings and sentences.
REVERT_CLASSES: dict[tuple[str | None, str], type[ContractRevert]] = {}


def revert_error(name: str, template: str, *, contract: str | None = None) -> Callable[[E], E]:
    """Register ``cls`` as the exception for Solidity error ``name`` (of ``contract``, or of any
    contract when None).

    ``template`` is a sentence with ``{param}`` placeholders named after the error's parameters;
    the decoder fills them with readable values (participant names, role names, dates).
    """

    def register(cls: E) -> E:
        key = (contract, name)
        if key in REVERT_CLASSES and REVERT_CLASSES[key] is not cls:
            where = f" of {contract}" if contract else ""
            raise RuntimeError(f"Solidity error {name}{where} is registered twice")
        cls.error_name = name
        cls.template = template
        REVERT_CLASSES[key] = cls
        return cls

    return register


def revert_class(contract: str | None, name: str) -> type[ContractRevert] | None:
    """The class for error ``name`` raised by ``contract`` (its own, else a shared one)."""
    return REVERT_CLASSES.get((contract, name)) or REVERT_CLASSES.get((None, name))
