/**
 * Example /status page for the marketing site (Next.js App Router). Copy it to app/status/page.tsx (or
 * src/app/status/page.tsx) as it is: its imports work once the kit is in lib/platform-status/ (web/README.md).
 */
import { Suspense } from "react";
import PlatformStatusDetails from "@/lib/platform-status/PlatformStatusDetails";
import { PlatformStatusCardLoading } from "@/lib/platform-status/PlatformStatusCardView";

export const metadata = { title: "Platform status" };

export default function StatusPage() {
  return (
    <main className="mx-auto w-full max-w-3xl p-4">
      <h1 className="mb-4 text-2xl font-bold">Platform status</h1>
      <Suspense fallback={<PlatformStatusCardLoading />}>
        <PlatformStatusDetails />
      </Suspense>
    </main>
  );
}
