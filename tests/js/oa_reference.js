#!/usr/bin/env node
// Reference oracle for tests/test_oa_format.py: runs @govtechsg/open-attestation (the JS library)
// on JSON read from stdin and writes JSON results to stdout.
//
//   node tests/js/oa_reference.js <command>   stdin: the command's arguments as a JSON object
//   node tests/js/oa_reference.js batch       stdin: [{"op": "<command>", ...arguments}, ...]
//
// A single command prints its result; `batch` prints [{"ok": true, "result": ...} or
// {"ok": false, "error": "..."}, ...] so one node start-up serves many cases.
"use strict";

const oa = require("@govtechsg/open-attestation");

const { hashToBuffer } = oa.utils;

// Wraps data that is already salted, exactly as wrapDocuments does after salting: the digest of
// each document, one merkle tree over the target hashes, a proof per document.
function wrapSalted({ datas }) {
  const documents = datas.map((data) => {
    const document = { version: "https://schema.openattestation.com/2.0/schema.json", data };
    const digest = oa.digestDocument(document);
    return {
      ...document,
      signature: { type: "SHA3MerkleProof", targetHash: digest, proof: [], merkleRoot: digest },
    };
  });
  const tree = new oa.MerkleTree(documents.map((d) => hashToBuffer(d.signature.targetHash)));
  const merkleRoot = tree.getRoot().toString("hex");
  return documents.map((d) => ({
    ...d,
    signature: {
      ...d.signature,
      proof: tree.getProof(hashToBuffer(d.signature.targetHash)).map((b) => b.toString("hex")),
      merkleRoot,
    },
  }));
}

function merkle({ hashes }) {
  const tree = new oa.MerkleTree(hashes.map(hashToBuffer));
  return {
    root: tree.getRoot().toString("hex"),
    proofs: hashes.map((h) => tree.getProof(hashToBuffer(h)).map((b) => b.toString("hex"))),
  };
}

const commands = {
  wrap: ({ data }) => oa.wrapDocument(data),
  wrapDocuments: ({ datas }) => oa.wrapDocuments(datas),
  wrapSalted,
  merkle,
  verify: ({ document }) => oa.verifySignature(document),
  getData: ({ document }) => oa.getData(document),
  digest: ({ document }) => oa.digestDocument(document),
  obfuscate: ({ document, fields }) => oa.obfuscateDocument(document, fields),
  checkProof: ({ proof, root, targetHash }) => oa.checkProof(proof, root, targetHash),
  keccak: ({ texts }) => texts.map((t) => oa.utils.keccak256(t)),
  numberToString: ({ numbers }) => numbers.map((n) => String(n)),
};

function run(op, args) {
  const command = commands[op];
  if (!command) throw new Error(`unknown command ${op}`);
  return command(args);
}

function main() {
  const op = process.argv[2];
  const chunks = [];
  process.stdin.on("data", (chunk) => chunks.push(chunk));
  process.stdin.on("end", () => {
    const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    let output;
    if (op === "batch") {
      output = input.map(({ op: name, ...args }) => {
        try {
          // Round-trip through JSON so results are what a file written by JS would contain.
          return { ok: true, result: JSON.parse(JSON.stringify(run(name, args)) ?? "null") };
        } catch (error) {
          return { ok: false, error: String(error && error.message ? error.message : error) };
        }
      });
    } else {
      output = run(op, input);
    }
    process.stdout.write(JSON.stringify(output));
  });
}

main();
