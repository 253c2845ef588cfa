"""The CLI as clerks use it: readable output, --json, one-line errors with non-zero exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from govchain.cli.main import cli
from govchain.client import GovChain
from govchain.devnet import cast
from tests.test_accounts import DEV_KEY_0

Env = dict[str, str | None]
NEWCOMER = "0x3000000000000000000000000000000000000003"


def run(env: Env, *args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), env=env, input=input)
    assert "Traceback" not in result.output + result.stderr
    return result


def fails(result: Result, code: int, text: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.output, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert text in lines[0], lines[0]


def test_participant_list_table_and_json(gc: GovChain, cli_env: Env) -> None:
    table = run(cli_env, "participant", "list")
    assert table.exit_code == 0
    assert "Beijing Customs" in table.output and f"{len(cast.CAST)} participant(s)" in table.output
    data = json.loads(run(cli_env, "participant", "list", "--json", "--kind", "bank").stdout)
    assert {p["name"] for p in data} == {
        "Bank of Beijing",
        "ICBC Beijing Branch",
        "China Construction Bank Beijing Branch",
    }


def test_participant_show(gc: GovChain, cli_env: Env) -> None:
    out = run(cli_env, "participant", "show", "customs-beijing").output
    assert "Beijing Customs" in out and "CUSTOMS_ROLE" in out and "active" in out
    data = json.loads(run(cli_env, "participant", "show", cast.CAST[2].address, "--json").stdout)
    assert data["roles"] == ["CUSTOMS_ROLE"] and data["kind"] == "agency"


def test_register_grant_suspend_reactivate(gc: GovChain, cli_env: Env) -> None:
    r = run(
        cli_env,
        "participant",
        "register",
        NEWCOMER,
        "--name",
        "Newco Trading Ltd.",
        "--kind",
        "enterprise",
        "--district",
        "chaoyang",
        "--role",
        "merchant",
    )
    assert r.exit_code == 0 and "✓ Registered Newco Trading Ltd." in r.output
    assert run(cli_env, "participant", "grant", NEWCOMER, "declarant").exit_code == 0
    shown = json.loads(run(cli_env, "participant", "show", NEWCOMER, "--json").stdout)
    assert shown["roles"] == ["DECLARANT_ROLE", "MERCHANT_ROLE"] and shown["district"] == 110105
    done = json.loads(
        run(cli_env, "participant", "suspend", NEWCOMER, "--reason", "audit", "--json").output
    )
    assert done["ok"] and done["txHash"].startswith("0x")
    assert "SUSPENDED" in run(cli_env, "participant", "show", NEWCOMER).output
    assert run(cli_env, "participant", "reactivate", NEWCOMER).exit_code == 0
    assert run(cli_env, "participant", "revoke", NEWCOMER, "merchant").exit_code == 0


def test_clerk_errors_are_one_line(gc: GovChain, cli_env: Env) -> None:
    fails(run(cli_env, "participant", "show", "0x12345"), 2, "is not an address")
    fails(run(cli_env, "participant", "show", NEWCOMER), 1, "is not a registered participant")
    mistyped = cast.CAST[2].address.swapcase().replace("0X", "0x")
    fails(run(cli_env, "participant", "show", mistyped), 2, "wrong checksum")
    fails(
        run(cli_env, "participant", "grant", "tax", "customs", "--from", "customs-beijing"),
        1,
        "does not hold the role OPERATOR_ROLE",  # an operational role: the operator's to grant
    )
    fails(
        run(
            cli_env,
            "participant",
            "register",
            cast.CAST[3].address,
            "--name",
            "Dup",
            "--kind",
            "agency",
            "--district",
            "tianjin",
        ),
        1,
        "already a registered",
    )
    fails(
        run(cli_env, "participant", "suspend", "nobody-here", "--reason", "x"), 2, "not an address"
    )


def test_chain_down_and_missing_deployments(gc: GovChain, cli_env: Env, tmp_path: Path) -> None:
    down = {**cli_env, "GOVCHAIN_RPC_URL": "http://127.0.0.1:9"}
    fails(run(down, "participant", "list"), 3, "No chain is answering at http://127.0.0.1:9")
    nobook = {**cli_env, "GOVCHAIN_DEPLOYMENTS": str(tmp_path / "nowhere.json")}
    fails(run(nobook, "participant", "list"), 1, "There is no address book")


def test_keystore_accounts_sign_and_wrong_password_is_refused(
    gc: GovChain, cli_env: Env, tmp_path: Path
) -> None:
    env = {**cli_env, "GOVCHAIN_KEYSTORE": str(tmp_path / "ks"), "GOVCHAIN_PASSWORD": "s3cret-pass"}
    key_file = tmp_path / "key.txt"
    key_file.write_text(DEV_KEY_0)  # the bureau's PUBLIC development key: never imported
    fails(
        run(env, "account", "import", "bureau-admin", "--key-file", str(key_file)),
        2,
        "PUBLIC development accounts",
    )
    key_file.write_text("0x" + "5a" * 32)  # a key of the agency's own
    r = run(env, "account", "import", "bureau-admin", "--key-file", str(key_file))
    assert r.exit_code == 0, r.stderr
    admin = json.loads(run(env, "account", "list", "--json").stdout)[0]["address"]
    assert run(env, "account", "new", "clerk-7").exit_code == 0
    listed = json.loads(run(env, "account", "list", "--json").stdout)
    assert [a["label"] for a in listed] == ["bureau-admin", "clerk-7"]
    bureau = gc.sender(cast.bureau().account)  # the bureau makes the new key an administrator
    gc.directory.register(bureau, admin, kind="agency", name="Bureau admin", district="beijing")
    gc.directory.grant(bureau, admin, "admin")
    gc.chain.rpc.call("anvil_setBalance", [admin, hex(10**20)])
    ok = run(env, "participant", "grant", "tax", "supervisor", "--from", "bureau-admin")
    assert ok.exit_code == 0, ok.stderr
    wrong = {**env, "GOVCHAIN_PASSWORD": "expired-password"}
    fails(
        run(wrong, "participant", "grant", "tax", "auditor", "--from", "bureau-admin"),
        1,
        "password does not unlock keystore 'bureau-admin'",
    )
    fails(
        run(env, "participant", "grant", "tax", "auditor", "--from", "nobody"),
        2,
        "No account called 'nobody'",
    )


def test_account_import_needs_a_key_source(cli_env: Env, tmp_path: Path) -> None:
    env = {
        **cli_env,
        "GOVCHAIN_KEYSTORE": str(tmp_path / "ks"),
        "GOVCHAIN_PASSWORD": "s3cret-pass",
        "GOVCHAIN_PRIVATE_KEY": None,
    }
    fails(run(env, "account", "import", "x"), 2, "--key-file or GOVCHAIN_PRIVATE_KEY")
    assert not (tmp_path / "ks").exists()


def test_installed_executable(gc: GovChain, cli_env: Env) -> None:
    exe = Path(sys.executable).with_name("govchain")
    if not exe.exists():
        pytest.skip("the govchain console script is not installed in this environment")
    env = {k: v for k, v in {**os.environ, **cli_env}.items() if v is not None}
    done = subprocess.run(
        [str(exe), "participant", "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == len(cast.CAST)
    bad = subprocess.run(
        [str(exe), "participant", "show", "0xnope"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (
        bad.returncode == 2 and bad.stderr.startswith("error: ") and "Traceback" not in bad.stderr
    )


def test_a_step_without_from_is_a_usage_error(cli_env: Env) -> None:
    """A required --from stays required (click 8.3+ would take an explicit default of None as
    a value: the command then failed inside with an internal error)."""
    env = {**cli_env, "GOVCHAIN_FROM": None}
    fails(run(env, "port", "accept", "020220261000012345"), 2, "Missing option '--from'")
    fails(run(env, "service", "approve", "--district", "haidian", "x"), 2, "Missing option")
