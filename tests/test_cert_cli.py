"""The clerk's certificate session through the CLI, and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

from govchain.client import GovChain
from tests.test_cli import Env, fails, run

FIELDS = [
    "--field",
    "companyName=Xidan Fresh Foods Co., Ltd.",
    "--field",
    "legalRepresentative=Wang Wu",
    "--field",
    "registeredCapital=5,000,000 CNY",
    "--field",
    "businessScope=Food retail",
    "--field",
    "address=88 Xidan North Street",
]


def issue(env: Env, out: Path, *extra: str) -> None:
    r = run(
        env,
        "cert",
        "issue",
        "--type",
        "business_licence",
        *FIELDS,
        "--holder",
        "91110102MA00XYZ12K",
        "--out",
        str(out),
        "--from",
        "market-regulator",
        *extra,
    )
    assert r.exit_code == 0, r.stderr


def test_clerk_session(gc: GovChain, cli_env: Env, tmp_path: Path) -> None:
    licence = tmp_path / "licence.json"
    issue(cli_env, licence)
    ok = run(cli_env, "cert", "verify", str(licence))
    assert ok.exit_code == 0 and "✓ issuer " in ok.output and "VALID" in ok.output
    shown = run(cli_env, "cert", "show", str(licence)).output
    assert "Business Licence" in shown and "Wang Wu" in shown
    assert "91110102MA00XYZ12K" not in licence.read_text()
    hidden = run(cli_env, "cert", "hide", str(licence), "--field", "fields.address")
    assert hidden.exit_code == 0
    redacted = tmp_path / "licence.redacted.json"
    assert "Xidan North" not in json.dumps(json.loads(redacted.read_text())["data"])
    assert run(cli_env, "cert", "verify", str(redacted)).exit_code == 0
    revoked = run(
        cli_env, "cert", "revoke", str(licence), "--reason", "fraud", "--from", "market-regulator"
    )
    assert revoked.exit_code == 0, revoked.stderr
    bad = run(cli_env, "cert", "verify", str(licence))
    assert bad.exit_code == 1 and "✗ not revoked" in bad.output and "NOT VALID" in bad.output
    assert run(cli_env, "cert", "verify", str(redacted)).exit_code == 1
    as_json = json.loads(run(cli_env, "cert", "verify", str(licence), "--json").stdout)
    assert as_json["valid"] is False
    assert {c["name"]: c["ok"] for c in as_json["checks"]}["integrity"] is True


def test_suspend_and_reinstate(gc: GovChain, cli_env: Env, tmp_path: Path) -> None:
    licence = tmp_path / "l.json"
    issue(cli_env, licence)
    who = ["--from", "market-regulator"]
    assert (
        run(cli_env, "cert", "suspend", str(licence), "--reason", "court_order", *who).exit_code
        == 0
    )
    assert "✗ not suspended" in run(cli_env, "cert", "verify", str(licence)).output
    assert run(cli_env, "cert", "reinstate", str(licence), *who).exit_code == 0
    assert run(cli_env, "cert", "verify", str(licence)).exit_code == 0


def test_issue_batch_from_csv(gc: GovChain, cli_env: Env, tmp_path: Path) -> None:
    rows = ["companyName,legalRepresentative,registeredCapital,businessScope,address,holder"]
    rows += [f"Firm {n},Rep {n},1 CNY,Trade,Street {n},9111010800000001{n:02d}" for n in range(12)]
    csv_file = tmp_path / "firms.csv"
    csv_file.write_text("\n".join(rows) + "\n")
    out = tmp_path / "issued"
    r = run(
        cli_env,
        "cert",
        "issue-batch",
        str(csv_file),
        "--type",
        "business_licence",
        "--out-dir",
        str(out),
        "--from",
        "market-regulator",
        "--json",
    )
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["count"] == 12
    files = sorted(out.glob("*.json"))
    assert len(files) == 12
    assert run(cli_env, "cert", "verify", str(files[7])).exit_code == 0


def test_failed_batch_writes_nothing(gc: GovChain, cli_env: Env, tmp_path: Path) -> None:
    csv_file = tmp_path / "firms.csv"
    csv_file.write_text("companyName,address\nOnly Name,Somewhere\n")
    out = tmp_path / "issued"
    fails(
        run(
            cli_env,
            "cert",
            "issue-batch",
            str(csv_file),
            "--type",
            "business_licence",
            "--out-dir",
            str(out),
            "--from",
            "market-regulator",
        ),
        2,
        "missing field",
    )
    good = tmp_path / "good.csv"
    good.write_text(
        "companyName,legalRepresentative,registeredCapital,businessScope,address\nA,B,C,D,E\n"
    )
    fails(
        run(
            cli_env,
            "cert",
            "issue-batch",
            str(good),
            "--type",
            "high_tech_enterprise",
            "--out-dir",
            str(out),
            "--from",
            "market-regulator",
        ),
        2,
        "missing field",
    )
    fails(
        run(
            cli_env,
            "cert",
            "issue-batch",
            str(good),
            "--type",
            "business_licence",
            "--out-dir",
            str(out),
            "--from",
            "sci-tech",
        ),
        1,
        "does not hold the role BUSINESS_LICENCE_ISSUER_ROLE",
    )
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".issue-")]


def test_bad_files_and_inputs(gc: GovChain, cli_env: Env, tmp_path: Path) -> None:
    licence = tmp_path / "licence.json"
    issue(cli_env, licence)
    truncated = tmp_path / "truncated.json"
    truncated.write_text(licence.read_text()[:200])
    fails(run(cli_env, "cert", "verify", str(truncated)), 2, "truncated.json")
    notjson = tmp_path / "photo.json"
    notjson.write_bytes(b"\x89PNG\r\n")
    fails(run(cli_env, "cert", "verify", str(notjson)), 2, "photo.json")
    fails(run(cli_env, "cert", "verify", str(tmp_path / "missing.json")), 2, "missing.json")
    wrong_shape = tmp_path / "shape.json"
    wrong_shape.write_text('{"hello": "world"}')
    fails(run(cli_env, "cert", "verify", str(wrong_shape)), 2, "shape.json")
    fails(
        run(
            cli_env,
            "cert",
            "issue",
            "--type",
            "spaceship_licence",
            *FIELDS,
            "--out",
            str(tmp_path / "x.json"),
            "--from",
            "market-regulator",
        ),
        2,
        "not a certificate type",
    )
    fails(
        run(
            cli_env,
            "cert",
            "issue",
            "--type",
            "business_licence",
            *FIELDS,
            "--out",
            str(tmp_path / "x.json"),
            "--from",
            "tax",
        ),
        1,
        "does not hold the role BUSINESS_LICENCE_ISSUER_ROLE",
    )
    fails(
        run(
            cli_env,
            "cert",
            "issue",
            "--type",
            "business_licence",
            "--field",
            "oops",
            "--out",
            str(tmp_path / "x.json"),
            "--from",
            "market-regulator",
        ),
        2,
        "is not NAME=VALUE",
    )
    fails(run(cli_env, "cert", "hide", str(licence), "--field", "fields.nothing"), 2, "nothing")
    fails(
        run(
            cli_env,
            "cert",
            "revoke",
            str(licence),
            "--reason",
            "whim",
            "--from",
            "market-regulator",
        ),
        2,
        "not a reason",
    )
    assert not (tmp_path / "x.json").exists()


def test_types_lists_who_may_issue(gc: GovChain, cli_env: Env) -> None:
    rows = json.loads(run(cli_env, "cert", "types", "--json").stdout)
    by_type = {r["type"]: r for r in rows}
    assert by_type["BUSINESS_LICENCE"]["issuerRole"] == "BUSINESS_LICENCE_ISSUER_ROLE"
    assert any("Market Regulation" in i for i in by_type["BUSINESS_LICENCE"]["issuers"])
    assert len(rows) == 16
