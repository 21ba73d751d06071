import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The web app: built into web/dist and served by the API server at `/`. */
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        // Vendor code changes rarely: its own chunks cache across releases and keep the app chunk small.
        manualChunks: {
          react: ['react', 'react-dom', 'react-router'],
          mantine: ['@mantine/core', '@mantine/hooks'],
          charts: ['@mantine/charts', 'recharts'],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:4400', '/sandbox': 'http://127.0.0.1:4400' } },
});
