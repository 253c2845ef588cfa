#!/usr/bin/env node
// The reference ABI of OpenAttestation's DocumentStore, from the npm package
// @govtechsg/document-store (pinned in package.json's devDependencies).
//
//   node tests/js/document_store_abi.js   stdout: {"package": "...", "version": "...", "abi": [...]}
"use strict";

const pkg = require("@govtechsg/document-store/package.json");
const { DocumentStoreFactory } = require("@govtechsg/document-store");

process.stdout.write(
  JSON.stringify({ package: pkg.name, version: pkg.version, abi: DocumentStoreFactory.abi })
);
