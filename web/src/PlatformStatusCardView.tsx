/**
 * The status card's markup, from a fetched status: pure, no data fetching (PlatformStatusCard.tsx fetches).
 * Text is rendered by React, which escapes it: an operator's message is always shown as text.
 */
import type { FetchedStatus } from "./fetchStatus";
import { MUTED, SURFACE, WORDING, announcement, formatPercent, formatUtc } from "./wording";

export function PlatformStatusCardView({ result }: { result: FetchedStatus }) {
  const { document, stale } = result;
  const wording = WORDING[result.status];
  const note = document && !stale ? announcement(document) : "";
  return (
    <section aria-label="Platform status" className={`rounded-lg border-2 p-4 ${SURFACE} ${wording.border}`}>
      <p className={`text-lg font-semibold ${wording.text}`}>
        <span aria-hidden="true">{wording.symbol}</span> {wording.headline}
      </p>
      {note ? <p className="mt-1 whitespace-pre-wrap break-words">{note}</p> : null}
      {stale && document ? (
        <p className="mt-1 text-sm font-semibold">
          Status data is out of date: last checked {formatUtc(document.updated_at)}.
        </p>
      ) : null}
      {document && !stale ? (
        <dl className={`mt-2 grid grid-cols-[auto_1fr] gap-x-3 text-sm ${MUTED}`}>
          <dt>Uptime 24 h</dt>
          <dd>{formatPercent(document.uptime.last_24h)}</dd>
          <dt>Uptime 7 d</dt>
          <dd>{formatPercent(document.uptime.last_7d)}</dd>
          <dt>Last successful backup</dt>
          <dd>{formatUtc(document.backups.last_successful_backup)}</dd>
          <dt>Last checked</dt>
          <dd>{formatUtc(document.updated_at)}</dd>
        </dl>
      ) : null}
    </section>
  );
}

/** What the card shows while its data is on its way (streamed in by the server). */
export function PlatformStatusCardLoading() {
  return (
    <section aria-label="Platform status" aria-busy="true" className={`rounded-lg border-2 p-4 ${SURFACE} ${WORDING.unknown.border}`}>
      <p className={`text-lg font-semibold ${MUTED}`}>Checking the platform status…</p>
    </section>
  );
}
