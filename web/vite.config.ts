import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The player page's WHEP client and stats digest (served at /{path}/ too): imported as they are,
// so there is one WHEP implementation. Their types: src/player.d.ts.
const player = decodeURIComponent(new URL("../src/api/web/player", import.meta.url).pathname);

// `make build` runs `npm run build -- --outDir <build tree>`; the server embeds that folder
// (precompressed) and serves index.html at / and the hashed files under /assets/.
export default defineConfig({
  plugins: [react()],
  base: "/",
  resolve: { alias: { "@player": player } },
  build: {
    target: "es2022",
    assetsDir: "assets",
    sourcemap: false,
    emptyOutDir: true,
  },
  server: {
    // `npm run dev` against a running `make demo`: everything but Vite's own files (the page,
    // its modules) goes to the server — the API, /ws, WHEP, HLS, files.
    proxy: {
      "^/(?!$|index\\.html|src/|node_modules/|@vite/|@react-refresh|@id/|@fs/)": { target: "http://127.0.0.1:8002", ws: true },
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
  },
});
