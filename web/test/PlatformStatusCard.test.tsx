import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import StatusPage from "../app/status/page";
import { parseStatus, UNKNOWN_STATUS } from "../src/fetchStatus";
import { PlatformStatusCardView } from "../src/PlatformStatusCard";
import { jsonResponse, sampleDocument } from "./fixtures";

const doc = sampleDocument();
const fresh = new Date(Date.parse(doc.updated_at) + 60_000);

function card(changes: Parameters<typeof sampleDocument>[0] = {}, now = fresh): string {
  return renderToStaticMarkup(<PlatformStatusCardView result={parseStatus(sampleDocument(changes), now)} />);
}

describe("PlatformStatusCard", () => {
  it.each([
    ["operational", "All systems operational"],
    ["degraded", "Minor degradation"],
    ["outage", "Service outage"],
    ["maintenance", "Scheduled maintenance in progress"],
    ["unknown", "Status unknown"],
  ] as const)("shows %s as %s, with a symbol beside the colour", (status, words) => {
    const html = card({ platform_status: status });
    expect(html).toContain(words);
    expect(html).toMatch(/aria-hidden="true">[^<]+<\/span>/);
  });

  it("renders operational with the guide's uptime wording", () => {
    const html = card({ platform_status: "operational", uptime: { ...doc.uptime, last_24h: 100, last_7d: 99.98 } });
    expect(html).toContain("Uptime 24h: 100%");
    expect(html).toContain("Uptime 7d: 99.98%");
    expect(html).toContain("Last successful backup:");
  });

  it("shows unknown with no figures when there is no document", () => {
    const html = renderToStaticMarkup(<PlatformStatusCardView result={UNKNOWN_STATUS} />);
    expect(html).toContain("Status unknown");
    expect(html).not.toContain("Uptime");
  });

  it("warns when the data is stale", () => {
    expect(card({}, new Date(Date.parse(doc.stale_after) + 60_000))).toContain("Data may be outdated");
    expect(card()).not.toContain("Data may be outdated");
  });

  it("shows an operator's message holding HTML as text", () => {
    const message = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const html = card({
      platform_status: "outage",
      override: { status: "outage", message, since: doc.updated_at, until: doc.stale_after },
    });
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;script&gt;");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
  });
});

describe("example /status page", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
  });

  it("lists the components with their status", async () => {
    vi.stubEnv("NEXT_PUBLIC_STATUS_JSON_URL", "https://status.example.com/status.json");
    vi.stubGlobal("fetch", async () => jsonResponse(sampleDocument()));
    const html = renderToStaticMarkup(await StatusPage());
    expect(html).toContain("Services");
    expect(html).toContain("Other");
    expect(html).toContain(doc.backups.policy);
  });

  it("says unknown without a URL", async () => {
    vi.stubEnv("NEXT_PUBLIC_STATUS_JSON_URL", "");
    const html = renderToStaticMarkup(await StatusPage());
    expect(html).toContain("Status unknown");
  });
});
