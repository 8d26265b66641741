// Validates an OpenAPI 3.0/3.1 document (ctest openapi_validate).
//
//   node validate.mjs <document.json> [--schema-only]
//
// 1. Strict JSON (the server embeds the file as is).
// 2. @apidevtools/swagger-parser: the document against the official OpenAPI JSON Schema for its
//    version, and every $ref resolves. For OpenAPI 3 that is all swagger-parser checks, so:
// 3. Rules of the OpenAPI specification that its JSON Schema cannot express: unique
//    operationIds, path templates and path parameters match (and are required), no duplicate
//    parameters, no two equivalent templated paths, security requirements name declared schemes.
// 4. House rules of this project (skipped with --schema-only): every operation has an
//    operationId, a summary and a 2xx (or 101 Switching Protocols) response; every 4xx/5xx JSON response body is the Error
//    schema; every 429 response has a Retry-After header.
//
// Prints every problem found and exits 1, or prints one OK line and exits 0.
import { readFileSync } from "node:fs";
import SwaggerParser from "@apidevtools/swagger-parser";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const args = process.argv.slice(2);
const schemaOnly = args.includes("--schema-only");
const files = args.filter((a) => !a.startsWith("--"));
if (files.length !== 1) {
  console.error("usage: node validate.mjs <openapi.json> [--schema-only]");
  process.exit(2);
}
const file = files[0];

let doc;
try {
  doc = JSON.parse(readFileSync(file, "utf8"));
} catch (e) {
  console.error(`FAIL ${file}: not valid JSON: ${e.message}`);
  process.exit(1);
}

const problems = [];

try {
  // Given the path, it reads the file itself, so relative external $refs would resolve too.
  await SwaggerParser.validate(file);
} catch (e) {
  problems.push(`schema: ${String(e.message).trimEnd()}`);
}

// Follows a local "#/…" reference (several levels); returns undefined when it does not resolve
// (swagger-parser has reported that already).
function deref(node) {
  for (let depth = 0; node && typeof node.$ref === "string" && depth < 16; depth++) {
    if (!node.$ref.startsWith("#/")) return undefined;
    node = node.$ref
      .slice(2)
      .split("/")
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((n, key) => (n == null ? undefined : n[key]), doc);
  }
  return node;
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function checkParameterList(list, where) {
  const seen = new Set();
  for (const raw of list ?? []) {
    const p = deref(raw);
    if (!isObject(p)) continue;
    const key = `${p.in}:${p.name}`;
    if (seen.has(key)) problems.push(`${where}: duplicate parameter ${p.name} in ${p.in}`);
    seen.add(key);
  }
}

function checkSecurity(requirements, where) {
  const schemes = doc.components?.securitySchemes ?? {};
  for (const req of requirements ?? []) {
    for (const name of Object.keys(req ?? {})) {
      if (!(name in schemes)) problems.push(`${where}: security requirement names undeclared scheme '${name}'`);
    }
  }
}

function isErrorSchema(schema) {
  if (!schema) return false;
  if (schema.$ref === "#/components/schemas/Error") return true;
  // A response may reference a components/responses entry whose schema references Error.
  const target = deref(schema);
  return target !== undefined && target === doc.components?.schemas?.Error;
}

checkSecurity(doc.security, "security");
const operationIds = new Map();
const templates = new Map();
let operations = 0;

for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
  const item = deref(rawItem);
  if (!isObject(item)) continue;
  const normalized = path.replace(/\{[^}]*\}/g, "{}");
  if (templates.has(normalized)) {
    problems.push(`paths: ${path} and ${templates.get(normalized)} are the same templated path`);
  } else {
    templates.set(normalized, path);
  }
  const placeholders = [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  checkParameterList(item.parameters, path);

  for (const method of METHODS) {
    const op = item[method];
    if (!isObject(op)) continue;
    operations++;
    const where = `${method.toUpperCase()} ${path}`;
    checkParameterList(op.parameters, where);
    checkSecurity(op.security, where);

    // Operation-level parameters override path-level ones with the same name and location.
    const params = new Map();
    for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
      const p = deref(raw);
      if (isObject(p)) params.set(`${p.in}:${p.name}`, p);
    }
    for (const name of placeholders) {
      const p = params.get(`path:${name}`);
      if (!p) problems.push(`${where}: path parameter {${name}} is not declared`);
      else if (p.required !== true) problems.push(`${where}: path parameter {${name}} must have required: true`);
    }
    for (const p of params.values()) {
      if (p.in === "path" && !placeholders.includes(p.name)) {
        problems.push(`${where}: path parameter '${p.name}' does not appear in the path`);
      }
    }

    if (op.operationId !== undefined) {
      if (operationIds.has(op.operationId)) {
        problems.push(`${where}: operationId '${op.operationId}' also used by ${operationIds.get(op.operationId)}`);
      }
      operationIds.set(op.operationId, where);
    }

    if (schemaOnly) continue;
    if (!op.operationId) problems.push(`${where}: no operationId`);
    if (!op.summary) problems.push(`${where}: no summary`);
    const responses = op.responses ?? {};
    // A success is 2xx, or 101 for the WebSocket upgrade.
    if (!Object.keys(responses).some((code) => /^(2(\d\d|XX)|101)$/.test(code))) {
      problems.push(`${where}: no 2xx (or 101) response`);
    }
    for (const [code, raw] of Object.entries(responses)) {
      const response = deref(raw);
      if (!isObject(response) || !/^[45]/.test(code)) continue;
      const json = response.content?.["application/json"];
      if (!json || !isErrorSchema(json.schema)) {
        problems.push(`${where}: response ${code} does not have the Error schema as its application/json body`);
      }
      if (code === "429" && !Object.keys(response.headers ?? {}).some((h) => h.toLowerCase() === "retry-after")) {
        problems.push(`${where}: response 429 has no Retry-After header`);
      }
    }
  }
}

if (problems.length > 0) {
  console.error(`FAIL ${file}: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(
  `OK ${file}: OpenAPI ${doc.openapi}, ${Object.keys(doc.paths ?? {}).length} paths, ${operations} operations` +
    (schemaOnly ? " (schema and specification rules only)" : ""),
);
