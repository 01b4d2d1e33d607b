/**
 * The marketing site's typed client for status.json.
 *
 * Never throws and never invents a status: when the URL is unset, the request fails, the answer is not 2xx,
 * not JSON, or does not match the published JSON Schema, the result is "unknown" with the reason. Staleness
 * comes from the document's `stale_after` (older documents without it: `updated_at` + 30 minutes).
 */
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import schema from "./status.schema.json";
import type { PlatformStatus, StatusDocument } from "./status.generated";

export type { PlatformStatus, StatusDocument };

export const REVALIDATE_SECONDS = 60;
const FALLBACK_STALE_MS = 30 * 60 * 1000;

export interface FetchedStatus {
  /** The document, when one was fetched and is valid. */
  document: StatusDocument | null;
  /** What to show: the document's status, or "unknown". A stale document still shows its status, flagged. */
  status: PlatformStatus;
  /** The data is past its `stale_after`: say so ("Data may be outdated"). */
  stale: boolean;
  /** Why there is no document (for logs; never shown to visitors). */
  error: string | null;
}

const ajv = new Ajv2020({ allErrors: false, strict: false });
addFormats(ajv);
const validate = ajv.compile<StatusDocument>(schema);

export const UNKNOWN_STATUS: FetchedStatus = { document: null, status: "unknown", stale: false, error: null };

/** Next.js reads `next.revalidate` from fetch's options; other runtimes ignore it. */
type NextFetchInit = RequestInit & { next?: { revalidate?: number } };

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
  return { document: body, status: body.platform_status, stale: isStale(body, now), error: null };
}

export async function fetchPlatformStatus(
  url: string | undefined = process.env.NEXT_PUBLIC_STATUS_JSON_URL,
  fetcher: typeof fetch = fetch,
  now: () => Date = () => new Date(),
): Promise<FetchedStatus> {
  if (!url) {
    return { ...UNKNOWN_STATUS, error: "NEXT_PUBLIC_STATUS_JSON_URL is not set" };
  }
  let response: Response;
  try {
    const init: NextFetchInit = { headers: { Accept: "application/json" }, next: { revalidate: REVALIDATE_SECONDS } };
    response = await fetcher(url, init);
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
