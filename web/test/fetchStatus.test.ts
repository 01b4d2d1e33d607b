import { describe, expect, it, vi } from "vitest";
import { fetchPlatformStatus, isStale, parseStatus, REVALIDATE_SECONDS } from "../src/fetchStatus";
import { jsonResponse, sampleDocument } from "./fixtures";

const URL = "https://status.example.com/status.json";
const checkedAt = new Date(sampleDocument().updated_at);
const fresh = () => new Date(checkedAt.getTime() + 2 * 60_000);

describe("fetchPlatformStatus", () => {
  it("returns the document on success, fetched with Next's 60 s revalidation", async () => {
    const fetcher = vi.fn(async () => jsonResponse(sampleDocument({ platform_status: "operational" })));
    const result = await fetchPlatformStatus(URL, fetcher as unknown as typeof fetch, fresh);
    expect(result.status).toBe("operational");
    expect(result.stale).toBe(false);
    expect(result.error).toBeNull();
    expect(fetcher).toHaveBeenCalledWith(URL, expect.objectContaining({ next: { revalidate: REVALIDATE_SECONDS } }));
    expect(REVALIDATE_SECONDS).toBe(60);
  });

  it("is unknown when the URL is unset", async () => {
    const result = await fetchPlatformStatus("", fetch, fresh);
    expect(result).toMatchObject({ status: "unknown", document: null });
    expect(result.error).toMatch(/NEXT_PUBLIC_STATUS_JSON_URL/);
  });

  it("is unknown on a network error", async () => {
    const fetcher = async () => {
      throw new TypeError("fetch failed");
    };
    const result = await fetchPlatformStatus(URL, fetcher as unknown as typeof fetch, fresh);
    expect(result).toMatchObject({ status: "unknown", document: null });
  });

  it("is unknown on a non-2xx answer", async () => {
    const result = await fetchPlatformStatus(URL, (async () => jsonResponse({}, 503)) as typeof fetch, fresh);
    expect(result.status).toBe("unknown");
    expect(result.error).toMatch(/503/);
  });

  it("is unknown on invalid JSON", async () => {
    const result = await fetchPlatformStatus(URL, (async () => jsonResponse("{not json")) as typeof fetch, fresh);
    expect(result.status).toBe("unknown");
    expect(result.error).toMatch(/not valid JSON/);
  });

  it("is unknown when the body does not match the schema", async () => {
    const broken = { ...sampleDocument(), platform_status: "fine" };
    const result = await fetchPlatformStatus(URL, (async () => jsonResponse(broken)) as typeof fetch, fresh);
    expect(result.status).toBe("unknown");
    expect(result.error).toMatch(/schema/);
  });
});

describe("staleness", () => {
  it("follows stale_after", () => {
    const doc = sampleDocument();
    expect(isStale(doc, new Date(Date.parse(doc.stale_after) - 1000))).toBe(false);
    expect(isStale(doc, new Date(Date.parse(doc.stale_after) + 1000))).toBe(true);
  });

  it("falls back to updated_at + 30 minutes for older documents", () => {
    const doc = { updated_at: "2026-11-28T12:00:00Z", stale_after: "" };
    expect(isStale(doc, new Date("2026-11-28T12:29:00Z"))).toBe(false);
    expect(isStale(doc, new Date("2026-11-28T12:31:00Z"))).toBe(true);
  });

  it("keeps showing a stale document's status, flagged", () => {
    const doc = sampleDocument({ platform_status: "degraded" });
    const result = parseStatus(doc, new Date(Date.parse(doc.stale_after) + 60_000));
    expect(result).toMatchObject({ status: "degraded", stale: true });
  });

  it.each(["operational", "degraded", "outage", "maintenance", "unknown"] as const)("accepts status %s", (status) => {
    expect(parseStatus(sampleDocument({ platform_status: status }), fresh()).status).toBe(status);
  });
});
