import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'lib/index.ts', express: 'lib/express/index.ts' },
  format: ['cjs', 'esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
});
