"""The public verification page, end to end: ``govchain web`` really serving (a subprocess with
no keystore) against the session chain, driven in a real headless Chromium. Each kind of
document shows its verdict as both verifiers (ours and OpenAttestation's oa-verify) give it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, sync_playwright

from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.config import Config
from govchain.framework.certificates.service import Certificates
from tests.browser import LAUNCH_ARGS, chromium_executable
from tests.conftest import REPO
from tests.test_certificate_attacks import verdicts
from tests.test_certificates import licence
from tests.test_cli import Env, fails, run

Actor = Callable[[str], Sender]
Doc = dict[str, Any]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(
    config: Config, deployed: GovChain, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`govchain web` on a free port, with an empty keystore: it never needs a key."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVCHAIN_")}
    env.update(config.environment(), GOVCHAIN_ROOT=str(REPO))
    env["GOVCHAIN_KEYSTORE"] = str(tmp_path_factory.mktemp("no-keys"))
    command = [str(Path(sys.executable).parent / "govchain"), "web", "--port", str(port)]
    log = tmp_path_factory.mktemp("web") / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{url}/healthz", timeout=1).ok:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise AssertionError(f"govchain web did not start: {log.read_text()}")
        time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=str(chromium_executable()), args=LAUNCH_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context()
    opened = context.new_page()
    opened.goto(server)
    yield opened
    context.close()


def _verify_by_file(page: Page, document: Doc, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(document))
    page.set_input_files("#file", str(path))


def _verify_by_drop(page: Page, document: Doc) -> None:
    page.evaluate(
        """(text) => {
            const data = new DataTransfer();
            data.items.add(new File([text], "document.json", { type: "application/json" }));
            document.getElementById("drop").dispatchEvent(
                new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
        }""",
        json.dumps(document),
    )


def _verdict(page: Page) -> str:
    page.wait_for_selector("#result:not([hidden])")
    text = page.text_content("#verdict") or ""
    page.evaluate("document.getElementById('result').hidden = true")  # ready for the next one
    return text


def test_each_kind_of_document_shows_its_verdict(
    page: Page, gc: GovChain, certs: Certificates, regulator: Sender, tmp_path: Path
) -> None:
    past = datetime(2020, 1, 1, tzinfo=UTC)
    valid, revoked, suspended = certs.issue_batch(
        regulator, "business_licence", [licence(holder=f"91110108000000030{n}") for n in range(3)]
    )
    certs.revoke(regulator, revoked, "superseded")
    certs.suspend(regulator, suspended, "under_investigation")
    expired = certs.issue(
        regulator, "business_licence", licence(valid_from=past, valid_until=past + timedelta(30))
    )
    tampered = json.loads(json.dumps(valid))
    salt, kind, _ = tampered["data"]["fields"]["registeredCapital"].split(":", 2)
    tampered["data"]["fields"]["registeredCapital"] = f"{salt}:{kind}:CNY 90,000,000"
    hidden = certs.hide(valid, ["fields.address"])
    documents = {
        "valid": valid,
        "tampered": tampered,
        "revoked": revoked,
        "suspended": suspended,
        "hidden": hidden,
        "expired": expired,
    }
    expected = {
        "valid": "VALID",
        "tampered": "NOT VALID — tampered",
        "revoked": "NOT VALID — revoked",
        "suspended": "NOT VALID — suspended",
        "hidden": "VALID",
        "expired": "NOT VALID — out of its validity dates",
    }
    both = dict(zip(documents, verdicts(gc, list(documents.values())), strict=True))
    assert both == {name: text == "VALID" for name, text in expected.items()}

    shown = {}
    for name, document in documents.items():
        _verify_by_file(page, document, tmp_path, name)
        shown[name] = _verdict(page)
        if name == "expired":
            failed = page.locator("#checks li.failed").first
            assert failed.get_attribute("data-check") == "validity dates"  # failed check first
            assert "expired" in (page.text_content("#reason") or "")
        if name == "hidden":
            assert "1 field(s) hidden" in (page.text_content("#hidden-note") or "")
            assert page.locator("#document tr[data-field=address]").count() == 0
            assert page.locator("#document tr[data-field=companyName]").count() == 1
        if name == "valid":
            issuer = page.text_content("#checks li[data-check=issuer] .detail") or ""
            assert "Beijing Administration for Market Regulation" in issuer
            assert page.locator("#checks li.failed").count() == 0
    assert shown == expected

    _verify_by_drop(page, revoked)  # dropped rather than chosen: the same verdict
    assert _verdict(page) == "NOT VALID — revoked"


def test_markup_inside_a_document_is_shown_as_text(
    page: Page, certs: Certificates, regulator: Sender
) -> None:
    draft = licence()
    draft.fields["companyName"] = '<img src=x onerror="window.pwned=1">Evil Ltd'
    document = certs.issue(regulator, "business_licence", draft)
    page.fill("#paste", json.dumps(document))
    page.click("#verify-btn")
    assert _verdict(page) == "VALID"
    cell = page.text_content("#document tr[data-field=companyName] td") or ""
    assert cell.startswith("<img src=x")
    assert page.evaluate("window.pwned") is None
    assert page.locator("#document img").count() == 0


def test_what_is_not_a_document_gets_one_clear_line(page: Page, server: str) -> None:
    page.click("#verify-btn")
    page.wait_for_selector("#verify-error:not([hidden])")
    assert page.text_content("#verify-error") == "Drop or paste a document first."
    page.fill("#paste", '{"data": 1')
    page.click("#verify-btn")
    page.wait_for_selector("#verify-error:has-text('not valid JSON')")
    assert page.is_hidden("#result")
    answer = requests.post(f"{server}/api/verify", data=b'{"hello": "world"}', timeout=10)
    assert answer.status_code == 400 and "\n" not in answer.json()["error"]
    huge = requests.post(f"{server}/api/verify", data=b" " * (17 * 1024 * 1024), timeout=30)
    assert huge.status_code == 413


def test_a_case_items_timeline_from_the_index(page: Page, gc: GovChain, actor: Actor) -> None:
    edz = gc.case("edz")
    reference = "ET-WEB-000001"
    edz.act("apply", actor("biotech"), reference, service="business-startup", dossier=b"FORM")
    edz.act("approve", actor("tax"), reference)
    page.wait_for_selector("#case option[value=edz]", state="attached")
    assert page.locator("#case option").count() >= 12
    page.select_option("#case", "edz")
    page.fill("#reference", reference)
    page.click("#timeline-btn")
    page.wait_for_selector("#timeline:not([hidden])")
    assert page.get_attribute("#item-state", "data-state") == "applied"
    steps = page.locator("#steps tbody tr")
    whats = [steps.nth(i).get_attribute("data-what") for i in range(steps.count())]
    assert "apply" in whats and "approve" in whats
    assert "Beijing Municipal Tax Service" in (page.text_content("#steps tbody") or "")

    page.fill("#reference", "ET-WEB-404404")
    page.click("#timeline-btn")
    page.wait_for_selector("#timeline-error:not([hidden])")
    assert page.text_content("#timeline-error") == (
        "There is no application under application number ET-WEB-404404."
    )
    assert page.is_hidden("#timeline")


def test_the_server_refuses_a_port_in_use_in_one_line(server: str, cli_env: Env) -> None:
    port = server.rsplit(":", 1)[1]
    fails(run(cli_env, "web", "--port", port), 2, f"Port {port} is in use")
