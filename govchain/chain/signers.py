"""Who signs: ``--from`` names a keystore account (label or address) or, on the local chain only,
a demo-cast member (``customs-beijing``) or a development key by number (``dev:3``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from govchain.chain.accounts import Keystore, KeystoreEntry
from govchain.config import DEV_CHAIN_IDS, Config, is_dev_chain
from govchain.errors import ConfigError, InputError, KeystoreError

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

PASSWORD_ENV = "GOVCHAIN_PASSWORD"
PasswordProvider = Callable[[KeystoreEntry], str]
#: Finds a named development account (demo cast, ``dev:N``) on the local chain, or None.
LocalResolver = Callable[[str], "LocalAccount | None"]


def env_password(entry: KeystoreEntry) -> str:
    """The keystore password from ``GOVCHAIN_PASSWORD`` (for scripts)."""
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        raise KeystoreError(
            f"Keystore '{entry.label}' needs a password: set {PASSWORD_ENV} or run interactively."
        )
    return password


def resolve_account(
    config: Config,
    chain_id: int,
    who: str,
    password: PasswordProvider = env_password,
    local: LocalResolver | None = None,
) -> LocalAccount:
    """The signing account called ``who``: a keystore entry, else (``local``, given on the local
    chain only) a demo-cast member or development key."""
    name = who.strip()
    if not name:
        raise InputError("Say who signs with --from (a keystore label or address).")
    entry = Keystore(config.keystore_dir).find(name)
    if entry is not None:
        return Keystore(config.keystore_dir).unlock(entry, password(entry))
    found = local(name) if local is not None else None
    if found is not None:
        return found
    if not is_dev_chain(chain_id) and name.lower().startswith("dev:"):
        raise ConfigError(
            f"Development keys are public and only allowed on the local chains (ids "
            f"{', '.join(map(str, DEV_CHAIN_IDS))}); this chain has id {chain_id}. Use a "
            "keystore account."
        )
    hint = "" if is_dev_chain(chain_id) else " (demo-cast names work on the local chain only)"
    raise InputError(
        f"No account called '{who}' in the keystore ({config.keystore_dir}){hint}. "
        "See `govchain account list`."
    )
