import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  esbuild: { jsx: "automatic" },
  // The example page imports the kit as a site does once it is copied to lib/platform-status/ (README.md).
  resolve: { alias: { "@/lib/platform-status": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: { environment: "node", include: ["test/**/*.test.{ts,tsx}"] },
});
