"""`govchain --help` lists every command from a manifest, without importing the platform; the
manifest follows the sources. Read commands load no signing code, no eth_abi/eth_utils (pydantic)
and no web3.py: GovChain's own codec (govchain.chain.abicodec, govchain.hashing) serves them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from govchain.chain.tx import Sender
from govchain.framework.casebase.hubdemo import demo_fields
from govchain.framework.certificates.documents import Draft
from govchain.framework.certificates.service import Certificates

HEAVY = ("eth_abi", "eth_account", "govchain.client", "govchain.framework.casebase.registry")
#: Never on a read path: signing (BLS via py_ecc), eth_abi/eth_utils (they import pydantic), web3;
#: urllib3 either, on a local plain-HTTP node (reads go over a kept-alive http.client connection).
NOT_FOR_READS = (
    "eth_abi",
    "eth_utils",
    "pydantic",
    "eth_account",
    "eth_keys",
    "web3",
    "py_ecc",
    "urllib3",
)
CODE = (
    "import sys\n"
    "from govchain.cli.main import main\n"
    "sys.argv = ['govchain', *sys.argv[1:]]\n"
    "try:\n"
    "    main()\n"
    "except SystemExit:\n"
    "    pass\n"
    "print('LOADED', sorted(m for m in {watched!r} if m in sys.modules))\n"
)


def cli_run(env: dict[str, str], args: list[str], watched: tuple[str, ...]) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", CODE.format(watched=watched), *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    text, _, loaded = done.stdout.rpartition("LOADED")
    return text, loaded.strip()


def help_run(cache: Path) -> tuple[str, str]:
    return cli_run({**os.environ, "XDG_CACHE_HOME": str(cache)}, ["--help"], HEAVY)


def test_read_commands_load_no_signing_no_eth_abi_no_web3(
    certs: Certificates, regulator: Sender, cli_env: dict[str, str | None], tmp_path: Path
) -> None:
    document = certs.issue(
        regulator, "business_licence", Draft(demo_fields("BUSINESS_LICENCE"), holder="X")
    )
    path = tmp_path / "licence.json"
    path.write_text(json.dumps(document))
    env = {k: v for k, v in {**os.environ, **cli_env}.items() if v is not None}
    for args in (["participant", "list"], ["cert", "verify", str(path)]):
        text, loaded = cli_run(env, args, NOT_FOR_READS)
        assert loaded == "[]", (args, loaded)
        assert ("VALID" in text) if args[0] == "cert" else ("Beijing Customs" in text)


def test_help_comes_from_the_manifest_once_built(tmp_path: Path) -> None:
    first, _ = help_run(tmp_path)  # builds the manifest: imports every command once
    second, loaded = help_run(tmp_path)
    assert second == first
    assert loaded == "[]"  # nothing of the platform was imported
    listed = {line.split()[0] for line in second.split("Commands:")[1].splitlines() if line}
    assert {"port", "logistics", "edz", "benefit", "cert", "web", "cases", "node"} <= listed
    assert len(list((tmp_path / "govchain").glob("commands-*.json"))) == 1


def test_the_manifest_is_rebuilt_when_a_source_changes(tmp_path: Path) -> None:
    help_run(tmp_path)
    before = {p.name for p in (tmp_path / "govchain").glob("commands-*.json")}
    source = Path(__file__).resolve().parent.parent / "govchain" / "cli" / "node.py"
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    try:
        help_run(tmp_path)
    finally:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = {p.name for p in (tmp_path / "govchain").glob("commands-*.json")}
    assert len(after) == 1 and after != before  # a new manifest replaced the old one
