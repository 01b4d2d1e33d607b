/**
 * The body of the example /status page: the card, open incidents and maintenance, the components. A server
 * component rendered at request time, like the card (PlatformStatusCard.tsx); put it inside <Suspense>.
 */
import { connection } from "next/server";
import { fetchPlatformStatus, type FetchedStatus } from "./fetchStatus";
import { PlatformStatusCardView } from "./PlatformStatusCardView";
import { MUTED, WORDING, formatPercent, formatUtc } from "./wording";

export default async function PlatformStatusDetails({ url }: { url?: string }) {
  await connection();
  return <PlatformStatusDetailsView result={await fetchPlatformStatus(url)} />;
}

export function PlatformStatusDetailsView({ result }: { result: FetchedStatus }) {
  const { document, stale } = result;
  const components = document?.components ?? [];
  const incidents = stale ? [] : (document?.incidents ?? []);
  const maintenances = stale ? [] : (document?.maintenances ?? []);
  return (
    <>
      <PlatformStatusCardView result={result} />
      {incidents.length > 0 ? (
        <section aria-labelledby="incidents-heading">
          <h2 id="incidents-heading" className="mb-2 mt-6 text-lg font-semibold">
            Incidents
          </h2>
          {incidents.map((incident) => (
            <article key={incident.id} className="mb-3">
              <h3 className="font-semibold">{incident.title}</h3>
              <ol className="text-sm">
                {incident.updates.map((update) => (
                  <li key={`${update.at}-${update.stage}`} className="mt-1">
                    <span className="font-semibold capitalize">{update.stage}</span>{" "}
                    <span className={MUTED}>{formatUtc(update.at)}</span>
                    <p className="whitespace-pre-wrap break-words">{update.message}</p>
                  </li>
                ))}
              </ol>
            </article>
          ))}
        </section>
      ) : null}
      {maintenances.length > 0 ? (
        <section aria-labelledby="maintenance-heading">
          <h2 id="maintenance-heading" className="mb-2 mt-6 text-lg font-semibold">
            Scheduled maintenance
          </h2>
          <ul>
            {maintenances.map((maintenance) => (
              <li key={maintenance.id} className="mb-2">
                <span className="font-semibold">{maintenance.title}</span>{" "}
                <span className={MUTED}>
                  {maintenance.status === "in_progress" ? "In progress" : "Scheduled"}
                  {maintenance.starts_at ? ` · ${formatUtc(maintenance.starts_at)} to ${formatUtc(maintenance.ends_at)}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {components.length > 0 ? (
        <section aria-labelledby="components-heading">
          <h2 id="components-heading" className="mb-2 mt-6 text-lg font-semibold">
            Components
          </h2>
          <ul className="divide-y divide-[#d0d0d0] dark:divide-[#444444]">
            {components.map((component) => {
              const status = stale ? "unknown" : component.status;
              const wording = WORDING[status];
              return (
                <li key={component.name} className="flex justify-between gap-4 py-2">
                  <span>{component.name}</span>
                  <span className={wording.text}>
                    <span aria-hidden="true">{wording.symbol}</span> {wording.short}
                    {stale ? "" : ` · 24 h ${formatPercent(component.uptime_24h)}`}
                  </span>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
      {document ? <p className={`mt-6 text-sm ${MUTED}`}>{document.backups.policy}</p> : null}
    </>
  );
}
