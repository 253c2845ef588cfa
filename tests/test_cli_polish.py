"""What clerks found in use: writes report their transaction, JSON output is pure, failed checks
come first, one style of error line, funding new accounts locally, names accepted by the SDK."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govchain.chain.deploy import deploy
from govchain.chain.deployments import AddressBook
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import InputError
from govchain.framework.plan import platform_plan
from tests.test_cert_cli import FIELDS
from tests.test_cli import Env, fails, run

HOLDER = "91110102MA00XYZ12K"


def test_cert_issue_reports_the_transaction_and_json_is_pure(cli_env: Env, tmp_path: Path) -> None:
    human = run(cli_env, "cert", "issue", "--type", "business_licence", *FIELDS, "--holder",
                HOLDER, "--out", str(tmp_path / "a"), "--from", "market-regulator")  # fmt: skip
    assert human.exit_code == 0, human.stderr
    assert "  tx 0x" in human.stdout and "(block " in human.stdout and "gas " in human.stdout
    machine = run(cli_env, "cert", "issue", "--type", "business_licence", *FIELDS,
                  "--holder", HOLDER, "--out", str(tmp_path / "b.json"),
                  "--from", "market-regulator", "--json")  # fmt: skip
    data = json.loads(machine.stdout)  # nothing but JSON on stdout
    assert data["ok"] and data["txHash"].startswith("0x") and data["gasUsed"] > 40_000
    assert isinstance(data["blockNumber"], int)


def test_issue_batch_json_is_pure_and_carries_the_receipt(cli_env: Env, tmp_path: Path) -> None:
    names = ["companyName", "legalRepresentative", "registeredCapital", "businessScope", "address"]
    rows = ["holder," + ",".join(names)] + [
        f"9111010{i}MA00XYZ12K,Co {i},Wang,1 CNY,Retail,Street {i}" for i in range(3)
    ]
    (tmp_path / "rows.csv").write_text("\n".join(rows) + "\n")
    result = run(cli_env, "cert", "issue-batch", str(tmp_path / "rows.csv"), "--type",
                 "business_licence", "--out-dir", str(tmp_path / "out"),
                 "--from", "market-regulator", "--json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["count"] == 3 and data["txHash"].startswith("0x") and data["gasUsed"] > 0
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


def test_a_failed_verification_says_why_first(cli_env: Env, tmp_path: Path) -> None:
    out = tmp_path / "licence.json"
    run(cli_env, "cert", "issue", "--type", "business_licence", *FIELDS, "--holder", HOLDER,
        "--out", str(out), "--from", "market-regulator")  # fmt: skip
    assert run(cli_env, "cert", "revoke", str(out), "--reason", "fraud",
               "--from", "market-regulator").exit_code == 0  # fmt: skip
    bad = run(cli_env, "cert", "verify", str(out))
    first = bad.stdout.splitlines()[0]
    assert bad.exit_code == 1 and first.startswith("NOT VALID: ") and "revoked" in first
    assert bad.stdout.splitlines()[1].startswith("✗ ")


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (("--bogus",), "No such option '--bogus'"),
        (("--network",), "requires an argument"),
        (("cert", "verify", "-1"), "-1 is not an option: it takes FILE"),
        (("bill", "verify", "-2"), "-2 is not an option: it takes SERIES/NUMBER"),
    ],
)
def test_usage_errors_are_one_line_like_every_error(
    cli_env: Env, args: tuple[str, ...], text: str
) -> None:
    fails(run(cli_env, *args), 2, text)


def test_a_new_keystore_account_is_funded_on_the_local_chain(gc: GovChain, cli_env: Env) -> None:
    env = {**cli_env, "GOVCHAIN_PASSWORD": "correct horse battery"}
    assert run(env, "account", "new", "clerk-7").exit_code == 0
    address = gc.address("clerk-7")
    assert gc.chain.balance(address) == 0
    funded = run(env, "account", "fund", "clerk-7", "--ether", "2.5", "--json")
    assert funded.exit_code == 0, funded.stderr
    assert json.loads(funded.stdout)["wei"] == 2_500_000_000_000_000_000
    assert gc.chain.balance(address) == 2_500_000_000_000_000_000
    for amount, text in (("0", "more than 0"), ("1e9", "at most 1000"), ("x", "not an amount")):
        fails(run(env, "account", "fund", "clerk-7", "--ether", amount), 2, text)
    fails(run(env, "account", "fund", "nobody-here"), 2, "not an address")


def test_the_sdk_takes_the_names_the_cli_takes(gc: GovChain) -> None:
    customs = cast.member("customs-beijing")
    assert customs is not None
    assert gc.directory.get("customs-beijing").name == gc.directory.get(customs.address).name
    assert gc.directory.has_role("customs-beijing", "CUSTOMS")
    with pytest.raises(InputError, match="not an address"):
        gc.directory.get("no-such-agency")


def test_a_draft_names_the_fields_of_its_type_at_once(gc: GovChain) -> None:
    assert "companyName" in gc.certificates.fields("business_licence")
    with pytest.raises(InputError, match=r"missing field\(s\) address \(its fields: companyName"):
        gc.certificates.draft("business_licence", {"companyName": "X"} | {
            f: "x" for f in ("legalRepresentative", "registeredCapital", "businessScope")
        })  # fmt: skip
    with pytest.raises(InputError, match="has no field"):
        gc.certificates.draft("business_licence", {f: "x" for f in gc.certificates.fields(
            "business_licence")} | {"colour": "red"})  # fmt: skip


def test_a_stale_genesis_hash_is_updated_when_nothing_else_changed(gc: GovChain) -> None:
    book = AddressBook.load(gc.config.deployments_file)
    book.genesis_hash = "0x" + "11" * 32  # recorded on another engine's chain
    bureau = gc.chain.sender(cast.bureau().account)
    result = deploy(gc.chain, bureau, network="local", book=book, plan=platform_plan())
    assert not result.deployed and result.changed
    assert result.book.genesis_hash == gc.chain.genesis_hash()
