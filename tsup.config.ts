import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'lib/index.ts' },
  format: ['cjs', 'esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
});
