/** The guide's wording for each status, shared by the card and the example page. */
import type { PlatformStatus } from "./status.generated";

export interface Wording {
  headline: string;
  short: string;
  symbol: string; // status never by colour alone
  tone: string; // Tailwind classes
}

export const WORDING: Record<PlatformStatus, Wording> = {
  operational: { headline: "All systems operational", short: "Operational", symbol: "✓", tone: "text-green-700 border-green-600" },
  degraded: { headline: "Minor degradation", short: "Degraded", symbol: "!", tone: "text-amber-700 border-amber-500" },
  outage: { headline: "Service outage", short: "Outage", symbol: "✕", tone: "text-red-700 border-red-600" },
  maintenance: { headline: "Scheduled maintenance in progress", short: "Maintenance", symbol: "⚙", tone: "text-blue-700 border-blue-600" },
  unknown: { headline: "Status unknown", short: "Unknown", symbol: "?", tone: "text-gray-700 border-gray-500" },
};

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? "n/a" : `${Number(value.toFixed(2))}%`;
}

export function formatUtc(iso: string | null | undefined): string {
  return iso ? `${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC` : "n/a";
}
