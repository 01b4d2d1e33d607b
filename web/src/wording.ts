/** The guide's wording and the colours for each status, shared by the card and the example page. */
import type { PlatformStatus, StatusDocument } from "./status.generated";

export interface Wording {
  headline: string;
  short: string;
  symbol: string; // status never by colour alone
  text: string; // Tailwind classes for the words, light and dark
  border: string; // and for the card's border
}

// Each tone is at least 4.5:1 against the card's own background, white or #121212 (the card sets it, so the
// host page's colours cannot undo it). Full class strings, so Tailwind finds them when it scans the files.
export const WORDING: Record<PlatformStatus, Wording> = {
  operational: {
    headline: "All systems operational",
    short: "Operational",
    symbol: "✓",
    text: "text-[#2e7d32] dark:text-[#66bb6a]",
    border: "border-[#2e7d32] dark:border-[#66bb6a]",
  },
  degraded: {
    headline: "Minor degradation",
    short: "Degraded",
    symbol: "!",
    text: "text-[#8a4f00] dark:text-[#ffb74d]",
    border: "border-[#8a4f00] dark:border-[#ffb74d]",
  },
  outage: {
    headline: "Service outage",
    short: "Outage",
    symbol: "✕",
    text: "text-[#c62828] dark:text-[#ef9a9a]",
    border: "border-[#c62828] dark:border-[#ef9a9a]",
  },
  maintenance: {
    headline: "Scheduled maintenance in progress",
    short: "Maintenance",
    symbol: "⚙",
    text: "text-[#1565c0] dark:text-[#90caf9]",
    border: "border-[#1565c0] dark:border-[#90caf9]",
  },
  unknown: {
    headline: "Status unknown",
    short: "Unknown",
    symbol: "?",
    text: "text-[#5f5f5f] dark:text-[#bdbdbd]",
    border: "border-[#5f5f5f] dark:border-[#bdbdbd]",
  },
};

/** The card's own colours: whatever the host page's background, the tones keep their contrast. */
export const SURFACE = "bg-white text-[#1a1a1a] dark:bg-[#121212] dark:text-[#ededed]";
export const MUTED = "text-[#555555] dark:text-[#b0b0b0]";

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? "n/a" : `${Number(value.toFixed(2))}%`;
}

export function formatUtc(iso: string | null | undefined): string {
  return iso ? `${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC` : "n/a";
}

/**
 * What the operators announce, in one line (the embed says the same): the override's message, else the
 * newest open incident's title and latest update, else the maintenance in progress.
 */
export function announcement(document: StatusDocument): string {
  if (document.override?.message) {
    return document.override.message;
  }
  const incident = document.incidents?.[0];
  if (incident) {
    const latest = incident.updates[0]?.message;
    return latest ? `${incident.title}: ${latest}` : incident.title;
  }
  const working = document.maintenances?.find((maintenance) => maintenance.status === "in_progress");
  return working ? `Maintenance: ${working.title}` : "";
}
