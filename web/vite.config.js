// vite.config.js: builds the dashboard into $EDUHQ_WEB_OUT (the Makefile passes BUILD/web)
// and writes a precompressed NAME.gz and NAME.br beside every text file, which `eduhq serve`
// sends to a client that accepts them.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { brotliCompressSync, gzipSync, constants } from 'node:zlib'

const outDir = process.env.EDUHQ_WEB_OUT || resolve(__dirname, 'dist')

function precompress() {
  return {
    name: 'eduhq-precompress',
    apply: 'build',
    closeBundle() {
      const walk = (dir) => {
        for (const name of readdirSync(dir)) {
          const p = join(dir, name)
          if (statSync(p).isDirectory()) { walk(p); continue }
          if (!/\.(js|css|html|json|svg)$/.test(name)) continue
          const data = readFileSync(p)
          writeFileSync(p + '.gz', gzipSync(data, { level: 9 }))
          writeFileSync(p + '.br', brotliCompressSync(data, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }))
        }
      }
      walk(outDir)
    },
  }
}

export default defineConfig({
  plugins: [vue(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts'
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element'
          if (id.includes('node_modules')) return 'vendor'
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
})
