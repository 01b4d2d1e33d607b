// Copies the kit into a Next.js site as web/README.md says, for a site with app/ or src/app/:
//   node web/scripts/install-kit.mjs path/to/site
// src/*            -> lib/platform-status/        (src/lib/platform-status/ when the site has src/)
// app/status/page.tsx -> app/status/page.tsx      (src/app/status/page.tsx)
// The page imports the kit as @/lib/platform-status/..., which create-next-app's "@/*" alias resolves either way.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const kit = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const site = resolve(process.argv[2] ?? ".");
if (!existsSync(join(site, "app")) && !existsSync(join(site, "src", "app"))) {
  console.error(`${site}: no app/ or src/app/ here; give the Next.js site's folder`);
  process.exit(1);
}
const base = existsSync(join(site, "src", "app")) ? join(site, "src") : site;
const copies = [
  ...readdirSync(join(kit, "src")).map((name) => [join(kit, "src", name), join(base, "lib", "platform-status", name)]),
  [join(kit, "app", "status", "page.tsx"), join(base, "app", "status", "page.tsx")],
];
for (const [from, to] of copies) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  console.log(`${relative(kit, from)} -> ${relative(site, to)}`);
}
