/**
 * The status card for the marketing site's home page: a React Server Component (no client JavaScript).
 * Text is rendered by React, which escapes it: an operator's message is always shown as text.
 */
import { fetchPlatformStatus, type FetchedStatus } from "./fetchStatus";
import { WORDING, formatPercent, formatUtc } from "./wording";

export default async function PlatformStatusCard({ url }: { url?: string }) {
  return <PlatformStatusCardView result={await fetchPlatformStatus(url)} />;
}

export function PlatformStatusCardView({ result }: { result: FetchedStatus }) {
  const { document, stale } = result;
  const wording = WORDING[result.status];
  const override = document?.override ?? null;
  return (
    <section aria-label="Platform status" className={`rounded-lg border-2 p-4 ${wording.tone}`}>
      <p className="text-lg font-semibold">
        <span aria-hidden="true">{wording.symbol}</span> {wording.headline}
      </p>
      {override && !stale ? (
        <p className="mt-1 whitespace-pre-wrap break-words text-gray-900 dark:text-gray-100">{override.message}</p>
      ) : null}
      {document ? (
        <dl className="mt-2 grid grid-cols-2 gap-x-4 text-sm text-gray-700 dark:text-gray-300">
          <dt>Uptime 24h: {formatPercent(document.uptime.last_24h)}</dt>
          <dt>Uptime 7d: {formatPercent(document.uptime.last_7d)}</dt>
          <dt className="col-span-2">Last successful backup: {formatUtc(document.backups.last_successful_backup)}</dt>
          <dt className="col-span-2">Last checked: {formatUtc(document.updated_at)}</dt>
        </dl>
      ) : null}
      {stale ? (
        <p className="mt-2 flex items-center gap-1 text-xs text-yellow-700" role="status">
          <span aria-hidden="true">⚠</span>
          <span>Data may be outdated</span>
        </p>
      ) : null}
    </section>
  );
}
