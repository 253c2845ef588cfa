#!/usr/bin/env node
// Interop check: verify GovChain certificates with OpenAttestation's reference verifier.
//
//   node tests/js/oa_verify.js <rpcUrl>   stdin: [wrapped document, ...]
//   stdout: [{"integrity": "VALID"|"INVALID"|..., "status": ..., "valid": bool}, ...]
//
// Only the integrity (openAttestationHash) and issuance-status
// (openAttestationEthereumDocumentStoreStatus) fragments are used: DNS identity needs internet.
"use strict";

const fs = require("fs");
const { providers } = require("ethers");
const oaVerify = require("@govtechsg/oa-verify");

async function main() {
  const provider = new providers.JsonRpcProvider(process.argv[2]);
  const verify = oaVerify.verificationBuilder(
    [oaVerify.openAttestationHash, oaVerify.openAttestationEthereumDocumentStoreStatus],
    { provider }
  );
  const documents = JSON.parse(fs.readFileSync(0, "utf8"));
  const out = [];
  for (const document of documents) {
    const fragments = await verify(document);
    const by = (type) => fragments.find((f) => f.type === type) || {};
    out.push({
      integrity: by("DOCUMENT_INTEGRITY").status,
      status: by("DOCUMENT_STATUS").status,
      valid: oaVerify.isValid(fragments, ["DOCUMENT_INTEGRITY", "DOCUMENT_STATUS"]),
    });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
