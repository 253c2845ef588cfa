"""Who signs: ``--from`` names a keystore account (label or address) or, on the local chain only,
a demo-cast member (``customs-beijing``) or a development key by number (``dev:3``)."""

from __future__ import annotations

import os
from collections.abc import Callable

from eth_account.signers.local import LocalAccount

from govchain.chain.accounts import Keystore, KeystoreEntry
from govchain.config import Config
from govchain.devnet import cast
from govchain.devnet.keys import dev_account, require_local_chain
from govchain.errors import InputError, KeystoreError

PASSWORD_ENV = "GOVCHAIN_PASSWORD"
PasswordProvider = Callable[[KeystoreEntry], str]


def env_password(entry: KeystoreEntry) -> str:
    """The keystore password from ``GOVCHAIN_PASSWORD`` (for scripts)."""
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        raise KeystoreError(
            f"Keystore '{entry.label}' needs a password: set {PASSWORD_ENV} or run interactively."
        )
    return password


def resolve_account(
    config: Config, chain_id: int, who: str, password: PasswordProvider = env_password
) -> LocalAccount:
    """The signing account called ``who``."""
    name = who.strip()
    if not name:
        raise InputError("Say who signs with --from (a keystore label or address).")
    entry = Keystore(config.keystore_dir).find(name)
    if entry is not None:
        return Keystore(config.keystore_dir).unlock(entry, password(entry))
    member = cast.member(name)
    if member is not None:
        require_local_chain(chain_id)
        return member.account
    if name.lower().startswith("dev:") and name[4:].isdigit():
        require_local_chain(chain_id)
        return dev_account(int(name[4:]))
    raise InputError(
        f"No account called '{who}' in the keystore ({config.keystore_dir}). "
        "See `govchain account list`."
    )
