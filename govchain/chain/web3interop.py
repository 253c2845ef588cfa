"""web3.py on GovChain's endpoint, with GovChain's error decoding.

Agencies that already write web3.py use GovChain's contracts through it: :func:`connect_web3`
makes a :class:`web3.Web3` on the configured endpoint (same timeouts, headers and CA bundle as the
SDK's own client) after checking its chain id, and :func:`decode_web3_error` /
:func:`decoded` turn web3's ``ContractCustomError`` / ``ContractLogicError`` (which carry the
revert data) into the same typed :class:`~govchain.errors.ContractRevert` with the same sentence
the SDK raises. ``GovChain.web3``, ``GovChain.web3_contract(name)`` and ``GovChain.errors()`` are
the usual way in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from web3 import HTTPProvider, Web3
from web3.exceptions import ContractLogicError, Web3RPCError
from web3.middleware import ExtraDataToPOAMiddleware

from govchain.chain import reverts
from govchain.chain.rpc import RpcOptions
from govchain.errors import ChainUnavailable, ContractRevert, DeploymentError

#: web3 exceptions that may carry revert data (ContractCustomError and ContractPanicError are
#: ContractLogicErrors).
WEB3_REVERTS = (ContractLogicError, Web3RPCError)


def connect_web3(url: str, options: RpcOptions, expected_chain_id: int | None) -> Web3:
    """A ``Web3`` on ``url``; its chain id must be ``expected_chain_id`` (the address book's)."""
    kwargs: dict[str, Any] = {"timeout": (options.connect_timeout, options.timeout)}
    if options.headers:  # web3 sends these instead of its own: keep the content type
        kwargs["headers"] = {"Content-Type": "application/json", **options.header_dict()}
    if options.ca_bundle:
        kwargs["verify"] = options.ca_bundle
    w3 = Web3(HTTPProvider(url, request_kwargs=kwargs))
    # consortium chains (Clique, QBFT) put more than 32 bytes in a block's extraData
    w3.middleware_onion.inject(ExtraDataToPOAMiddleware, layer=0)
    try:
        chain_id = w3.eth.chain_id
    except Exception as exc:  # requests' and web3's own errors: one sentence either way
        raise ChainUnavailable(f"web3.py cannot reach the chain at {url}: {exc}") from None
    if expected_chain_id is not None and chain_id != expected_chain_id:
        raise DeploymentError(
            f"The address book is for chain id {expected_chain_id}, but the chain at {url} "
            f"(through web3.py) has id {chain_id}."
        )
    return w3


def decode_web3_error(exc: BaseException, context: str = "") -> ContractRevert | None:
    """GovChain's exception for a revert web3.py reported, or None when ``exc`` carries no
    revert data. ``context`` is the contract called ("PortClearance") or, for the exact
    sentence the SDK gives, the contract and function ("PortClearance.step")."""
    data = reverts.revert_data(exc)
    if data is None:
        return None
    return reverts.decode(data, context=context)


@contextmanager
def decoded(context: str = "") -> Iterator[None]:
    """``with decoded("PortClearance.step"): fn.transact(...)``: a revert inside becomes
    GovChain's typed exception (the web3 exception is its ``__cause__``); other errors pass."""
    try:
        yield
    except WEB3_REVERTS as exc:
        error = decode_web3_error(exc, context)
        if error is None:
            raise
        raise error from exc
