/**
 * The status card for the marketing site: a React Server Component (no client JavaScript), rendered at
 * request time so it reads the status URL set where the site runs (fetchStatus.ts, statusJsonUrl) and never
 * shows a status frozen at build time.
 *
 * The Suspense boundary and connection() are what Next.js needs for request-time data: with Next 16's
 * Cache Components (create-next-app's default) the rest of the page stays a static shell and the card
 * streams in; on Next 15 the route renders per request.
 */
import { connection } from "next/server";
import { Suspense } from "react";
import { fetchPlatformStatus } from "./fetchStatus";
import { PlatformStatusCardLoading, PlatformStatusCardView } from "./PlatformStatusCardView";

export default function PlatformStatusCard({ url }: { url?: string }) {
  return (
    <Suspense fallback={<PlatformStatusCardLoading />}>
      <LiveCard url={url} />
    </Suspense>
  );
}

async function LiveCard({ url }: { url?: string }) {
  await connection(); // request time: the URL and the clock are read now, not at build
  return <PlatformStatusCardView result={await fetchPlatformStatus(url)} />;
}
