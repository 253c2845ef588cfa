"""The logistics, port and demo CLI groups as clerks use them."""

from __future__ import annotations

import json
from pathlib import Path

from govchain.client import GovChain
from tests.test_cli import Env, fails, run

AWB = "999-12345675"
NUMBER = "020220261000054321"


def test_logistics_session(gc: GovChain, cli_env: Env, tmp_path: Path) -> None:
    declaration = tmp_path / "declaration.json"
    declaration.write_text('{"hs": "8471.30", "units": 480}')
    steps = [
        ("book", AWB, "--merchant", "merchant", "--from", "forwarder"),
        ("receive", AWB, "--from", "airport"),
        ("declare", AWB, "--declaration", str(declaration), "--from", "merchant"),
        ("inspect", AWB, "--result", "pass", "--from", "customs-beijing"),
        ("release", AWB, "--from", "customs-beijing"),
        ("depart", AWB, "--from", "airport"),
    ]
    for step in steps:
        r = run(cli_env, "logistics", *step)
        assert r.exit_code == 0, (step, r.stderr)
    shown = json.loads(run(cli_env, "logistics", "show", AWB, "--json").stdout)
    assert shown["state"] == "departed" and shown["inspection"] == "pass"
    digest = shown["documents"][0]["contentHash"]
    out = tmp_path / "read.json"
    assert (
        run(
            cli_env,
            "logistics",
            "read",
            AWB,
            digest,
            "--out",
            str(out),
            "--from",
            "customs-beijing",
        ).exit_code
        == 0
    )
    assert out.read_bytes() == declaration.read_bytes()
    claim = tmp_path / "claim.txt"
    claim.write_text("VAT refund 13%")
    for step in (
        ("request", AWB, "--claim", str(claim), "--from", "merchant"),
        ("approve", AWB, "--from", "tax"),
        ("pay", AWB, "--payment-ref", "P-1", "--from", "finance"),
    ):
        assert run(cli_env, "logistics", "refund", *step).exit_code == 0
    fails(
        run(
            cli_env, "logistics", "refund", "pay", AWB, "--payment-ref", "P-2", "--from", "finance"
        ),
        1,
        "the refund is paid",
    )
    trail = json.loads(run(cli_env, "logistics", "trail", AWB, "--json").stdout)
    assert [s["what"] for s in trail[:2]] == ["filed", "book"]
    assert "booked" in run(cli_env, "logistics", "history", AWB).output


def test_logistics_refusals(gc: GovChain, cli_env: Env) -> None:
    fails(
        run(
            cli_env,
            "logistics",
            "book",
            "999-12345676",
            "--merchant",
            "merchant",
            "--from",
            "forwarder",
        ),
        2,
        "wrong check digit",
    )
    fails(run(cli_env, "logistics", "show", AWB), 1, "no shipment under air waybill")
    run(cli_env, "logistics", "book", AWB, "--merchant", "merchant", "--from", "forwarder")
    fails(
        run(cli_env, "logistics", "depart", AWB, "--from", "airport"),
        1,
        "the shipment is booked; it must be released",
    )
    fails(
        run(cli_env, "logistics", "receive", AWB, "--from", "tax"),
        1,
        "does not hold the role AIRPORT_ROLE",
    )


def test_tracking_messages(gc: GovChain, cli_env: Env, tmp_path: Path) -> None:
    messages = tmp_path / "messages.txt"
    messages.write_text("\n".join(f"{AWB}|scan|{i}" for i in range(300)) + "\n")
    r = run(cli_env, "logistics", "track", "anchor", str(messages), "--from", "forwarder")
    assert r.exit_code == 0, r.stderr
    proof = tmp_path / "proof.json"
    assert (
        run(cli_env, "logistics", "track", "prove", f"{AWB}|scan|42", "--out", str(proof)).exit_code
        == 0
    )
    ok = run(cli_env, "logistics", "track", "verify", f"{AWB}|scan|42", "--proof", str(proof))
    assert ok.exit_code == 0 and "✓" in ok.output
    bad = run(cli_env, "logistics", "track", "verify", f"{AWB}|scan|43", "--proof", str(proof))
    assert bad.exit_code == 1
    fails(run(cli_env, "logistics", "track", "prove", "never sent"), 2, "No anchored batch")


def test_port_session(gc: GovChain, cli_env: Env, tmp_path: Path) -> None:
    goods = tmp_path / "goods.pdf"
    goods.write_bytes(b"%PDF bill of lading")
    submit = (
        "submit",
        NUMBER,
        "--port",
        "CNTXG",
        "--region",
        "beijing",
        "--goods",
        str(goods),
        "--from",
        "broker",
    )
    assert run(cli_env, "port", *submit).exit_code == 0
    fails(run(cli_env, "port", *submit), 1, "already filed")
    assessment = tmp_path / "assessment.txt"
    assessment.write_text("duty 8%")
    for step in (
        ("accept", NUMBER, "--from", "customs-beijing"),
        ("assess", NUMBER, "--assessment", str(assessment), "--from", "customs-beijing"),
        ("paid", NUMBER, "--payment-ref", "PAY-1", "--from", "tax"),
        ("release", NUMBER, "--from", "customs-beijing"),
    ):
        r = run(cli_env, "port", *step)
        assert r.exit_code == 0, (step, r.stderr)
    fails(
        run(cli_env, "port", "gate-out", NUMBER, "--from", "terminal-hebei"),
        1,
        "not the terminal operator",
    )
    at = json.loads(run(cli_env, "port", "at", "CNTXG", "--json").stdout)
    assert len(at) == 1 and at[0]["state"] == "released"
    assert run(cli_env, "port", "gate-out", NUMBER, "--from", "terminal-tianjin").exit_code == 0
    text = run(cli_env, "port", "show", NUMBER).output
    assert "port: CNTXG" in text and "region: beijing" in text and "gate out by" in text
    shown = json.loads(run(cli_env, "port", "show", NUMBER, "--json").stdout)
    assert shown["state"] == "gated_out" and shown["region"] == 110000
    assert [s["what"] for s in shown["history"] if s["what"] != "DeclarationFiled"] == [
        "filed",
        "submit",
        "accept",
        "assess duty",
        "confirm duty paid",
        "release",
        "gate out",
    ]
    fails(run(cli_env, "port", "show", "123"), 2, "18 digits")


def test_port_batch_from_csv(gc: GovChain, cli_env: Env, tmp_path: Path) -> None:
    rows = ["number,port,region,goods"] + [
        f"0202202610000{n:05d},CNCFD,hebei,manifest {n}" for n in range(250)
    ]
    csv_file = tmp_path / "declarations.csv"
    csv_file.write_text("\n".join(rows) + "\n")
    r = run(cli_env, "port", "submit-batch", str(csv_file), "--from", "broker", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["transactions"] == 2


def test_demo_all(gc: GovChain, cli_env: Env) -> None:
    r = run(cli_env, "demo", "all")
    assert r.exit_code == 0, r.stderr
    for text in ("Status delivered", "Status gated out", "supervisor audits"):
        assert text in r.output


def test_cases_lists_every_case(gc: GovChain, cli_env: Env) -> None:
    rows = json.loads(run(cli_env, "cases", "--json").stdout)
    by_name = {r["name"]: r for r in rows}
    assert {"logistics", "port", "toy"} <= set(by_name)
    assert by_name["port"]["address"] == gc.book.address("PortClearance")
    assert "gate_out" in by_name["port"]["verbs"]
    assert "declaration: submitted" in run(cli_env, "cases").output


def test_batch_command(gc: GovChain, cli_env: Env, tmp_path: Path) -> None:
    rows = ["number,port,region,goods"] + [
        f"0202202610001{n:05d},CNTXG,beijing,goods {n}" for n in range(3)
    ]
    csv_file = tmp_path / "d.csv"
    csv_file.write_text("\n".join(rows) + "\n")
    assert run(cli_env, "port", "submit-batch", str(csv_file), "--from", "broker").exit_code == 0
    listing = tmp_path / "numbers.txt"
    listing.write_text("\n".join(r.split(",")[0] for r in rows[1:]) + "\n")
    r = run(cli_env, "port", "batch", "accept", str(listing), "--from", "customs-beijing")
    assert r.exit_code == 0, r.stderr
    states = json.loads(run(cli_env, "port", "list", "--state", "accepted", "--json").stdout)
    assert len(states) == 3
