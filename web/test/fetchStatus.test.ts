import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchPlatformStatus, isStale, logUnknown, parseStatus, statusJsonUrl } from "../src/fetchStatus";
import { jsonResponse, sampleDocument } from "./fixtures";

const URL = "https://status.example.com/status.json";
const checkedAt = new Date(sampleDocument().updated_at);
const fresh = () => new Date(checkedAt.getTime() + 2 * 60_000);

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function warnings() {
  return vi.spyOn(console, "warn").mockImplementation(() => undefined);
}

describe("fetchPlatformStatus", () => {
  it("returns the document on success, fetched without a cache of the site's own", async () => {
    const fetcher = vi.fn(async () => jsonResponse(sampleDocument({ platform_status: "operational" })));
    const result = await fetchPlatformStatus(URL, fetcher as unknown as typeof fetch, fresh);
    expect(result).toMatchObject({ status: "operational", stale: false, error: null });
    expect(fetcher).toHaveBeenCalledWith(URL, expect.objectContaining({ cache: "no-store" }));
  });

  it.each([
    ["the URL is unset", "", async () => jsonResponse({}), /neither STATUS_JSON_URL nor NEXT_PUBLIC_STATUS_JSON_URL/],
    ["a network error", URL, async () => Promise.reject(new TypeError("fetch failed")), /could not be fetched: fetch failed/],
    ["a non-2xx answer", URL, async () => jsonResponse({}, 404), /answered HTTP 404/],
    ["invalid JSON", URL, async () => jsonResponse("{not json"), /not valid JSON/],
    ["a schema mismatch", URL, async () => jsonResponse({ ...sampleDocument(), platform_status: "fine" }), /does not match its schema: \/platform_status/],
  ])("is unknown on %s, and logs why with the URL", async (_, url, fetcher, reason) => {
    const warn = warnings();
    const result = await fetchPlatformStatus(url, fetcher as unknown as typeof fetch, fresh);
    expect(result).toMatchObject({ status: "unknown", document: null });
    expect(result.error).toMatch(reason);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(reason);
    expect(String(warn.mock.calls[0]?.[0])).toContain(url ? `(url: ${url})` : "(url: not set)");
  });

  it("logs the same reason for the same URL once a minute, not on every render", () => {
    const warn = warnings();
    const start = Date.parse("2026-11-28T12:00:00Z");
    logUnknown("https://a.example/status.json", "status.json answered HTTP 404", start);
    logUnknown("https://a.example/status.json", "status.json answered HTTP 404", start + 30_000);
    logUnknown("https://b.example/status.json", "status.json answered HTTP 404", start + 30_000);
    logUnknown("https://a.example/status.json", "status.json answered HTTP 404", start + 61_000);
    expect(warn).toHaveBeenCalledTimes(3);
  });
});

describe("the status URL", () => {
  it("prefers the server-only STATUS_JSON_URL, read when called", () => {
    vi.stubEnv("NEXT_PUBLIC_STATUS_JSON_URL", "https://built-in.example/status.json");
    expect(statusJsonUrl({ STATUS_JSON_URL: "https://at-run-time.example/status.json" })).toBe(
      "https://at-run-time.example/status.json",
    );
    expect(statusJsonUrl({})).toBe("https://built-in.example/status.json");
  });
});

describe("staleness: one meaning, unknown", () => {
  it("follows stale_after", () => {
    const doc = sampleDocument();
    expect(isStale(doc, new Date(Date.parse(doc.stale_after) - 1000))).toBe(false);
    expect(isStale(doc, new Date(Date.parse(doc.stale_after) + 1000))).toBe(true);
  });

  it("falls back to updated_at + 30 minutes for documents without stale_after", () => {
    const doc = { updated_at: "2026-11-28T12:00:00Z", stale_after: "" };
    expect(isStale(doc, new Date("2026-11-28T12:29:00Z"))).toBe(false);
    expect(isStale(doc, new Date("2026-11-28T12:31:00Z"))).toBe(true);
  });

  it("shows a stale document's status as unknown, keeping the document to say when it was checked", () => {
    const doc = sampleDocument({ platform_status: "operational" });
    const result = parseStatus(doc, new Date(Date.parse(doc.stale_after) + 60_000));
    expect(result).toMatchObject({ status: "unknown", stale: true, document: doc });
    expect(result.error).toMatch(/out of date: last checked/);
  });

  it.each(["operational", "degraded", "outage", "maintenance", "unknown"] as const)("accepts status %s", (status) => {
    expect(parseStatus(sampleDocument({ platform_status: status }), fresh()).status).toBe(status);
  });
});
