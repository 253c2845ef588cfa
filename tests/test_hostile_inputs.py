"""Inputs that used to escape as crashes, internal errors or silent acceptance (issue 11): each
now ends in one `error:` line and a documented exit code, and changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from govchain.client import GovChain
from govchain.devnet import cast
from tests.conftest import REPO
from tests.test_cert_cli import FIELDS
from tests.test_cli import Env, fails, run

BINARY = bytes(range(256)) * 12


@pytest.fixture
def binary(tmp_path: Path) -> Path:
    path = tmp_path / "blob.dat"
    path.write_bytes(BINARY)
    return path


def test_deeply_nested_json_is_refused_not_a_crash(cli_env: Env, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000)
    # in a real process: the interpreter used to die here with a segmentation fault
    env = {**os.environ, **{k: v for k, v in cli_env.items() if v is not None}}
    done = subprocess.run(
        [sys.executable, "-m", "govchain.cli.main", "cert", "verify", str(deep)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stderr.strip() == (
        f"error: Document file '{deep}' nests JSON deeper than 64 levels."
    )
    fails(run(cli_env, "cert", "show", str(deep)), 2, "deeper than 64 levels")


def test_binary_files_get_a_sentence(cli_env: Env, binary: Path) -> None:
    fails(run(cli_env, "port", "submit-batch", str(binary), "--from", "broker"), 2, "not a UTF-8")
    fails(run(cli_env, "account", "import", "x", "--key-file", str(binary)), 2, "not a UTF-8")
    env = {**cli_env, "GOVCHAIN_PASSWORD": "a long enough password"}
    fails(run(env, "account", "import", "x", "--keystore-file", str(binary)), 2, "not a UTF-8")
    fails(run(cli_env, "--config", str(binary), "cases"), 1, "not a UTF-8 text file")
    fails(run(cli_env, "cert", "verify", str(binary)), 2, "not UTF-8")


def test_numbers_out_of_range(cli_env: Env) -> None:
    fails(run(cli_env, "node", "logs", "-n", "-5"), 2, "not in the range")
    fails(run(cli_env, "node", "logs", "-n", "99999999999999999999"), 2, "not in the range")
    huge = "1" * 91
    fails(run(cli_env, "data", "approve", huge, "--until", "2027-01-01"), 2, "not in the range")
    fails(run(cli_env, "data", "approve", "-1", "--until", "2027-01-01"), 2, "numbers here")


def test_a_typo_never_becomes_a_new_role(gc: GovChain, cli_env: Env) -> None:
    before = gc.directory.roles_of(cast.BY_KEY["sme"].address)
    r = run(cli_env, "participant", "grant", "sme", "god_mode", "--from", "bureau")
    fails(r, 2, "'god_mode' is not a role on this platform. Known roles:")
    assert "merchant" in r.stderr and "business_licence_issuer" in r.stderr
    r = run(
        cli_env,
        *("participant", "register", "0x" + "12" * 20, "--kind", "enterprise"),
        *("--name", "Newco", "--district", "haidian", "--role", "god_mode", "--from", "bureau"),
    )
    fails(r, 2, "'god_mode' is not a role")
    assert gc.directory.roles_of(cast.BY_KEY["sme"].address) == before
    ok = run(cli_env, "participant", "grant", "sme", "business_licence_issuer", "--from", "bureau")
    assert ok.exit_code == 0, ok.stderr  # run-time roles (certificate types') are known


def test_an_unusable_data_directory_is_refused_at_once(cli_env: Env) -> None:
    fails(run({**cli_env, "GOVCHAIN_DATA_DIR": "/proc/govchain"}, "cases"), 1, "cannot be created")


def test_certificate_fields_are_the_types_own(cli_env: Env, tmp_path: Path) -> None:
    out = tmp_path / "c.json"
    base = ["cert", "issue", "--type", "business_licence", *FIELDS, "--out", str(out)]
    fails(
        run(cli_env, *base, "--field", "validUntil=2030-01-01", "--from", "market-regulator"),
        2,
        "'validUntil' is not a field: give it with --valid-until",
    )
    fails(
        run(cli_env, *base, "--field", "bogus=1", "--from", "market-regulator"),
        2,
        "Business Licence has no field(s) bogus",
    )
    assert not out.exists()
