import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types
import { generateTypes } from "../scripts/generate-types.mjs";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

describe("the kit and the published schema", () => {
  it("carries the same schema the publisher generates (docs/status.schema.json)", () => {
    expect(JSON.parse(read("../src/status.schema.json"))).toEqual(JSON.parse(read("../../docs/status.schema.json")));
  });

  it("has types generated from that schema (npm run generate:types)", async () => {
    const generated = await generateTypes(JSON.parse(read("../src/status.schema.json")));
    expect(read("../src/status.generated.ts")).toBe(generated);
  });

  it("the embed uses the same words as the card", async () => {
    const { WORDING } = await import("../src/wording");
    const widget = read("../../lib/platform_status/site/static/status-widget.js");
    for (const wording of Object.values(WORDING)) {
      expect(widget).toContain(`"${wording.headline}"`);
    }
  });
});
