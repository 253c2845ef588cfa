"""Ether for new accounts on the local development chain (``govchain account fund``).

A keystore account starts with no ether and cannot pay for gas. On the local chain (id 1337)
the faucet — development account 0, whose key is PUBLIC — sends it some in a plain transfer. On
any other chain there is no faucet: the consortium's operator funds members' accounts.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from govchain.chain.chain import Chain
from govchain.chain.results import Receipt
from govchain.chain.tx import TxRequest
from govchain.config import DEV_CHAIN_IDS, is_dev_chain
from govchain.errors import ConfigError, InputError

WEI_PER_ETHER = 10**18
MOST_ETHER = Decimal(1000)  # per request: enough for months of clerk work
FAUCET_INDEX = 0


def ether(text: str) -> int:
    """An amount of ether typed by a person (``10``, ``0.5``) in wei."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise InputError(f"'{text}' is not an amount of ether (10, 0.5).") from None
    if not value.is_finite() or not 0 < value <= MOST_ETHER:
        raise InputError(f"An amount of ether is more than 0 and at most {MOST_ETHER}.")
    wei = value * WEI_PER_ETHER
    if wei != wei.to_integral_value():
        raise InputError(f"'{text}' has more than 18 decimals.")
    return int(wei)


def fund(chain: Chain, address: str, wei: int) -> Receipt:
    """Send ``wei`` from the local chain's faucet to ``address``; refused on any other chain."""
    if not is_dev_chain(chain.chain_id):
        raise ConfigError(
            f"There is no faucet on chain id {chain.chain_id}: only the local development chains "
            f"({', '.join(map(str, DEV_CHAIN_IDS))}) have one. On a consortium chain its operator "
            "funds members' accounts; ask them."
        )
    from govchain.devnet.keys import dev_account  # public keys: local chains only

    faucet = chain.sender(dev_account(FAUCET_INDEX))
    return faucet.send(TxRequest(address, b"", value=wei, gas=21_000, context="fund"))
