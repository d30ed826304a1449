/**
 * The console's build: a single-page app served by the service under /console. The manifest lets the
 * bundle budget (scripts/console-budget.ts) find the initial chunks; pages load as their own chunks.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    // The largest chunk (ECharts with the assessment page) is loaded only there; the budget checks the initial load.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // Ant Design marks its modules "use client" (for React server components); a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
