import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { parseStatus, UNKNOWN_STATUS } from "../src/fetchStatus";
import { PlatformStatusCardView } from "../src/PlatformStatusCardView";
import { PlatformStatusDetailsView } from "../src/PlatformStatusDetails";
import { WORDING } from "../src/wording";
import { sampleDocument } from "./fixtures";

const doc = sampleDocument();
const fresh = new Date(Date.parse(doc.updated_at) + 60_000);
const stale = new Date(Date.parse(doc.stale_after) + 60_000);

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
    const html = card({ platform_status: status, incidents: [], maintenances: [] });
    expect(html).toContain(words);
    expect(html).toMatch(/aria-hidden="true">[^<]+<\/span>/);
  });

  it("lists its figures as terms with their values", () => {
    const html = card({ platform_status: "operational", uptime: { ...doc.uptime, last_24h: 100, last_7d: 99.98 } });
    expect(html).toContain("<dt>Uptime 24 h</dt><dd>100%</dd><dt>Uptime 7 d</dt><dd>99.98%</dd>");
    expect(html).toContain("<dt>Last successful backup</dt><dd>");
  });

  it("shows unknown with no figures when there is no document", () => {
    const html = renderToStaticMarkup(<PlatformStatusCardView result={UNKNOWN_STATUS} />);
    expect(html).toContain("Status unknown");
    expect(html).not.toContain("Uptime");
  });

  it("shows stale data as unknown and says when it was last checked", () => {
    const html = card({ platform_status: "operational" }, stale);
    expect(html).toContain("Status unknown");
    expect(html).not.toContain("All systems operational");
    expect(html).toContain("Status data is out of date: last checked 2026-11-28 19:13 UTC.");
    expect(card()).not.toContain("out of date");
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

  it("shows the open incident's title and latest update, else the maintenance in progress", () => {
    expect(card()).toContain("Seeded incident: Something is being investigated.");
    expect(card({ incidents: [] })).toContain("Maintenance: Seeded maintenance");
    expect(card({ incidents: [], maintenances: [] })).not.toContain("Maintenance:");
  });
});

describe("the example /status page's body", () => {
  it("lists the components, incidents and maintenance", () => {
    const html = renderToStaticMarkup(<PlatformStatusDetailsView result={parseStatus(doc, fresh)} />);
    expect(html).toContain("Services");
    expect(html).toContain("Seeded incident");
    expect(html).toContain("Seeded maintenance");
    expect(html).toContain(doc.backups.policy);
  });

  it("shows every component as unknown when the data is stale, as the card does", () => {
    const html = renderToStaticMarkup(<PlatformStatusDetailsView result={parseStatus(doc, stale)} />);
    expect(html.match(/Unknown/g)?.length).toBe(doc.components.length);
    expect(html).not.toContain("Outage");
    expect(html).not.toContain("Seeded incident");
  });
});

/** WCAG 2 relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((start) => Number.parseInt(hex.slice(start, start + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

describe("colours", () => {
  it.each(Object.entries(WORDING))("%s reads at 4.5:1 or more on the card, light and dark", (_, wording) => {
    const [light, dark] = [...wording.text.matchAll(/#[0-9a-f]{6}/g)].map((match) => match[0]);
    expect(contrast(light ?? "", "#ffffff")).toBeGreaterThanOrEqual(4.5);
    expect(contrast(dark ?? "", "#121212")).toBeGreaterThanOrEqual(4.5);
  });
});
