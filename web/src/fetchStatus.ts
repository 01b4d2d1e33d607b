/**
 * The marketing site's typed client for status.json.
 *
 * Never throws and never invents a status: when the URL is unset, the request fails, the answer is not 2xx,
 * not JSON, or does not match the published JSON Schema, the result is "unknown" with the reason, and the
 * reason is logged on the server (once a minute per URL and reason, so a broken setup is visible without
 * flooding the logs).
 *
 * Stale has one meaning everywhere (docs/status-rules.md, "Freshness"): past the document's `stale_after`
 * nothing in it is current, so the status is "unknown"; the document is kept to say when it was last checked.
 */
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import schema from "./status.schema.json";
import type { PlatformStatus, StatusDocument } from "./status.generated";

export type { PlatformStatus, StatusDocument };

/** How often a reason for "unknown" may be logged again, per URL: the CDN caches status.json as long. */
export const LOG_EVERY_SECONDS = 60;
const FALLBACK_STALE_MS = 30 * 60 * 1000;

export interface FetchedStatus {
  /** The document, when one was fetched and is valid (stale or not). */
  document: StatusDocument | null;
  /** What to show: the document's status while it is fresh, else "unknown". */
  status: PlatformStatus;
  /** The document is past its `stale_after`: its status is not shown; say when it was last checked. */
  stale: boolean;
  /** Why the status is unknown (logged on the server; never shown to visitors). */
  error: string | null;
}

const ajv = new Ajv2020({ allErrors: false, strict: false });
addFormats(ajv);
const validate = ajv.compile<StatusDocument>(schema);

export const UNKNOWN_STATUS: FetchedStatus = { document: null, status: "unknown", stale: false, error: null };

/**
 * The status.json URL, read when called (at request time on the server): `STATUS_JSON_URL`, a server-only
 * variable set where the site runs, else `NEXT_PUBLIC_STATUS_JSON_URL`, which Next.js fixes at build time.
 */
export function statusJsonUrl(env: Record<string, string | undefined> = process.env): string | undefined {
  return env.STATUS_JSON_URL || process.env.NEXT_PUBLIC_STATUS_JSON_URL || undefined;
}

export function isStale(document: Pick<StatusDocument, "updated_at" | "stale_after">, now: Date = new Date()): boolean {
  const deadline = document.stale_after
    ? Date.parse(document.stale_after)
    : Date.parse(document.updated_at) + FALLBACK_STALE_MS;
  return !(now.getTime() <= deadline); // an unparseable time is stale too
}

export function parseStatus(body: unknown, now: Date = new Date()): FetchedStatus {
  if (!validate(body)) {
    const first = validate.errors?.[0];
    const where = first ? `${first.instancePath || "/"} ${first.message ?? ""}`.trim() : "invalid";
    return { ...UNKNOWN_STATUS, error: `status.json does not match its schema: ${where}` };
  }
  const stale = isStale(body, now);
  return {
    document: body,
    status: stale ? "unknown" : body.platform_status,
    stale,
    error: stale ? `status.json is out of date: last checked ${body.updated_at}, stale after ${body.stale_after}` : null,
  };
}

const lastLogged = new Map<string, number>();

/** Logs why the status is unknown, at most once per LOG_EVERY_SECONDS for the same URL and reason. */
export function logUnknown(url: string | undefined, reason: string, now: number = Date.now()): void {
  const key = `${url ?? ""}\n${reason}`;
  const previous = lastLogged.get(key);
  if (previous !== undefined && now - previous < LOG_EVERY_SECONDS * 1000) {
    return;
  }
  lastLogged.set(key, now);
  console.warn(`[platform-status] status unknown: ${reason} (url: ${url || "not set"})`);
}

async function fetchAndParse(url: string | undefined, fetcher: typeof fetch, now: () => Date): Promise<FetchedStatus> {
  if (!url) {
    return { ...UNKNOWN_STATUS, error: "neither STATUS_JSON_URL nor NEXT_PUBLIC_STATUS_JSON_URL is set" };
  }
  let response: Response;
  try {
    // no-store: the site never adds its own delay; the CDN in front of status.json caches it 60 s.
    response = await fetcher(url, { headers: { Accept: "application/json" }, cache: "no-store" });
  } catch (error) {
    return { ...UNKNOWN_STATUS, error: `status.json could not be fetched: ${(error as Error).message}` };
  }
  if (!response.ok) {
    return { ...UNKNOWN_STATUS, error: `status.json answered HTTP ${response.status}` };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { ...UNKNOWN_STATUS, error: "status.json is not valid JSON" };
  }
  return parseStatus(body, now());
}

export async function fetchPlatformStatus(
  url: string | undefined = statusJsonUrl(),
  fetcher: typeof fetch = fetch,
  now: () => Date = () => new Date(),
): Promise<FetchedStatus> {
  const result = await fetchAndParse(url, fetcher, now);
  if (result.error) {
    logUnknown(url, result.error);
  }
  return result;
}
