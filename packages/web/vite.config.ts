import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves `dist/` (npm start builds it); `npm run dev -w @latch/web` proxies the API.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
