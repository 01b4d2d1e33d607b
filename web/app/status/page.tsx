/**
 * Example /status page for the marketing site (Next.js App Router): the card and the components list.
 * Copy to app/status/page.tsx; NEXT_PUBLIC_STATUS_JSON_URL points at the public status.json.
 */
import { fetchPlatformStatus, REVALIDATE_SECONDS } from "../../src/fetchStatus";
import { PlatformStatusCardView } from "../../src/PlatformStatusCard";
import { WORDING, formatPercent } from "../../src/wording";

export const revalidate = REVALIDATE_SECONDS;

export default async function StatusPage() {
  const result = await fetchPlatformStatus();
  const components = result.document?.components ?? [];
  return (
    <main className="mx-auto max-w-3xl p-4">
      <h1 className="mb-4 text-2xl font-bold">Platform status</h1>
      <PlatformStatusCardView result={result} />
      {components.length > 0 ? (
        <>
          <h2 className="mb-2 mt-6 text-lg font-semibold">Components</h2>
          <ul className="divide-y divide-gray-200 dark:divide-gray-700">
            {components.map((component) => {
              const wording = WORDING[result.stale ? "unknown" : component.status];
              return (
                <li key={component.name} className="flex justify-between py-2">
                  <span>{component.name}</span>
                  <span className={wording.tone.split(" ")[0]}>
                    <span aria-hidden="true">{wording.symbol}</span> {wording.short} · 24h{" "}
                    {formatPercent(component.uptime_24h)}
                  </span>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      {result.document ? (
        <p className="mt-6 text-sm text-gray-600 dark:text-gray-400">{result.document.backups.policy}</p>
      ) : null}
    </main>
  );
}
