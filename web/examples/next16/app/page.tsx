import PlatformStatusCard from "@/lib/platform-status/PlatformStatusCard";

// The home page of a marketing site, with the card as web/README.md says to add it.
export default function Home() {
  return (
    <main className="mx-auto flex w-full max-w-3xl flex-col gap-6 p-8">
      <h1 className="text-3xl font-semibold">Example Hosting</h1>
      <p>A dedicated droplet per client, a managed database cluster, nightly off-site backups.</p>
      <PlatformStatusCard />
      <a className="underline" href="/status">
        Platform status
      </a>
    </main>
  );
}
