// Proves validate.mjs validates: it must accept the document and reject broken copies of it.
//
//   node selftest.mjs [document.json]      (default: ../../src/api/openapi.json; `npm test`)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const source = process.argv[2] ?? join(here, "../../src/api/openapi.json");
const original = JSON.parse(readFileSync(source, "utf8"));

// name → mutation of a deep copy; every one must make validate.mjs fail.
const broken = {
  "operation without responses": (d) => delete d.paths["/cameras"].get.responses,
  "operation with no response codes": (d) => (d.paths["/cameras"].get.responses = {}),
  "invalid schema type": (d) => (d.components.schemas.Camera.properties.name.type = "str"),
  "dangling $ref": (d) => (d.paths["/users"].get.responses["200"].content["application/json"].schema.$ref = "#/components/schemas/Nope"),
  "unknown field in an operation": (d) => (d.paths["/users"].get.bogus = true),
  "info without title": (d) => delete d.info.title,
  "undeclared path parameter": (d) => (d.paths["/cameras/{cameraId}/x"] = { get: { operationId: "x", summary: "x", responses: { 200: { description: "OK" } } } }),
  "duplicate operationId": (d) => (d.paths["/users"].get.operationId = d.paths["/cameras"].get.operationId),
  "429 without Retry-After": (d) => delete d.components.responses.TooManyRequests.headers,
  "error response without the Error schema": (d) => (d.components.responses.NotFound.content["application/json"].schema = { type: "object" }),
};

const dir = mkdtempSync(join(tmpdir(), "ocellus-openapi-"));
let failures = 0;
const run = (file) => spawnSync(process.execPath, [join(here, "validate.mjs"), file], { encoding: "utf8" });
try {
  const ok = run(source);
  console.log(`${ok.status === 0 ? "ok  " : "FAIL"} the document itself is accepted`);
  if (ok.status !== 0) {
    failures++;
    process.stderr.write(ok.stderr);
  }
  for (const [name, mutate] of Object.entries(broken)) {
    const copy = structuredClone(original);
    mutate(copy);
    const file = join(dir, "broken.json");
    writeFileSync(file, JSON.stringify(copy, null, 2));
    const r = run(file);
    const rejected = r.status === 1;
    if (!rejected) failures++;
    console.log(`${rejected ? "ok  " : "FAIL"} rejected: ${name}`);
  }
  writeFileSync(join(dir, "broken.json"), readFileSync(source, "utf8").replace(/}\s*$/, ",}"));
  const r = run(join(dir, "broken.json"));
  if (r.status !== 1) failures++;
  console.log(`${r.status === 1 ? "ok  " : "FAIL"} rejected: not strict JSON`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failures === 0 ? 0 : 1);
