import { readFileSync } from "node:fs";
import type { StatusDocument } from "../src/status.generated";

/** A real document: the one the Python publisher builds from the recorded Kuma responses (demo-like). */
export function sampleDocument(changes: Partial<StatusDocument> = {}): StatusDocument {
  const base = JSON.parse(readFileSync(new URL("./status.sample.json", import.meta.url), "utf8")) as StatusDocument;
  return { ...base, ...changes };
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}
