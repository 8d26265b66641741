import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// `make build` runs `npm run build -- --outDir <build tree>`; the server embeds that folder
// (precompressed) and serves index.html at / and the hashed files under /assets/.
export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    target: "es2022",
    assetsDir: "assets",
    sourcemap: false,
    emptyOutDir: true,
  },
  server: {
    // `npm run dev` against a running `make demo`.
    proxy: {
      "/api": "http://127.0.0.1:8002",
      "/ws": { target: "ws://127.0.0.1:8002", ws: true },
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
  },
});
