"""Anvil's and Ganache's well-known development keys.

WARNING: these keys are PUBLIC (derived from the published test mnemonic below). Anyone can
sign with them. GovChain uses them only on the local development chain (chain id 1337) for the
demo cast and tests, and refuses them on any other chain.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from govchain.chain.node.engines import DEV_ACCOUNT_COUNT, DEV_MNEMONIC
from govchain.config import DEV_CHAIN_IDS, is_dev_chain
from govchain.errors import ConfigError

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount


@cache
def dev_account(index: int) -> LocalAccount:
    """Development account ``index`` (public key material, local chain only)."""
    if not 0 <= index < DEV_ACCOUNT_COUNT:
        raise ConfigError(f"Development accounts are numbered 0 to {DEV_ACCOUNT_COUNT - 1}.")
    from eth_account import Account  # only when a dev key is used: the package is slow to import

    Account.enable_unaudited_hdwallet_features()
    account: LocalAccount = Account.from_mnemonic(
        DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}"
    )
    return account


def require_local_chain(chain_id: int) -> None:
    """Refuse development keys on any chain but the local one."""
    if not is_dev_chain(chain_id):
        raise ConfigError(
            f"Development keys are public and only allowed on the local chains (ids "
            f"{', '.join(map(str, DEV_CHAIN_IDS))}); this chain has id {chain_id}. Use a "
            "keystore account."
        )
