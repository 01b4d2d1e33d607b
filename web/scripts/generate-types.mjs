// Generates src/status.generated.ts from the published JSON Schema of status.json.
// Run after `make schema` in the project (npm run generate:types); test/types.test.ts fails when they drift.
import { readFileSync, writeFileSync } from "node:fs";
import { compile } from "json-schema-to-typescript";

export async function generateTypes(schema) {
  return compile(schema, "StatusDocument", {
    bannerComment: "/* Generated from status.schema.json by scripts/generate-types.mjs: do not edit. */",
    additionalProperties: false,
    style: { semi: true, singleQuote: false },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const schema = JSON.parse(readFileSync(new URL("../src/status.schema.json", import.meta.url), "utf8"));
  writeFileSync(new URL("../src/status.generated.ts", import.meta.url), await generateTypes(schema));
}
