/**
 * Micro-benchmark of the renderers on one payload: our XML writer and JSON writer against
 * `JSON.stringify` of the same data, with xmlbuilder2 for reference.
 *
 * Each renderer is timed twice: producing its string, and producing the UTF-8 bytes that go to
 * the socket (`Buffer.from(text)`). The second is the fair comparison: V8 builds a string made
 * by `+=` as a rope and only flattens it when it is read, so the string-only time of a
 * concatenating writer leaves part of its cost to whoever encodes it; JSON.stringify returns a
 * flat string. (Koa encodes a string body too, so bare Koa pays the same encoding.)
 *
 * Method: check every renderer's output first; warm each up; size a batch to about
 * `batchMs`; then time `batches` rounds of one batch per renderer and mode with
 * `process.hrtime.bigint()` (and `process.cpuUsage()` as a cross-check), taking turns batch by
 * batch. Ratios to JSON.stringify are computed per round (neighbouring batches share the
 * machine's mood) and summarised by their median and spread.
 */
import { deepStrictEqual } from 'node:assert/strict';
import { create } from 'xmlbuilder2';
import { writeXmlDocument } from '../../lib/core/render/xml-writer.js';
import { writeObject } from '../../lib/core/render/json-writer.js';
import { renderSuccess } from '../../lib/core/render/envelope.js';
import { CONSTANT_REQUEST_ID, withConstantRequestId } from './payloads.js';
import { spread, type Spread } from './stats.js';

/** Settings of the render micro-benchmark. */
export interface RenderBenchSettings {
  readonly batches: number;
  readonly batchMs: number;
  readonly warmupMs: number;
}

/** One renderer's timing. */
export interface RendererResult {
  readonly id: string;
  readonly label: string;
  readonly outputBytes: number;
  /** Wall microseconds per call, string only. */
  readonly micros: Spread;
  /** Wall microseconds per call, string then UTF-8 bytes. */
  readonly microsToBytes: Spread;
  /** Per batch round: string time ÷ JSON.stringify's in the same round. */
  readonly timesJsonStringify: Spread;
  /** Per batch round: string-to-bytes time ÷ JSON.stringify-to-bytes (the fair comparison). */
  readonly timesJsonStringifyToBytes: Spread;
  /** The same ratio from process CPU time instead of wall time (insensitive to being descheduled). */
  readonly timesJsonStringifyToBytesCpu: number;
}

/** Timings of every renderer on one payload. */
export interface RenderBenchReport {
  readonly payload: string;
  readonly jsonBytes: number;
  readonly renderers: readonly RendererResult[];
  /** Our XML writer ÷ JSON.stringify, both to bytes, median of paired rounds (the issue-2 target is <= 2). */
  readonly xmlTimesJson: number;
}

interface Renderer {
  readonly id: string;
  readonly label: string;
  readonly run: () => string;
}

function renderersFor(action: string, data: object): Renderer[] {
  const bare = withConstantRequestId(data);
  const leading = `"RequestId":${JSON.stringify(CONSTANT_REQUEST_ID)}`;
  const root = `${action}Response`;
  return [
    { id: 'JSON.stringify', label: 'JSON.stringify({RequestId, ...data}) (reference)', run: () => JSON.stringify(bare) },
    { id: 'json-writer', label: 'writeObject(data, 0, RequestId) (lib/core/render/json-writer.ts)', run: () => writeObject(data, 0, leading) },
    {
      id: 'xml-writer',
      label: 'writeXmlDocument(root, [RequestId], data) (lib/core/render/xml-writer.ts)',
      run: () => writeXmlDocument(root, [['RequestId', CONSTANT_REQUEST_ID]], data),
    },
    {
      id: 'xmlbuilder2',
      label: 'xmlbuilder2 create(obj).end() (reference)',
      run: () => create({ version: '1.0', encoding: 'UTF-8' }, { [root]: bare }).end(),
    },
  ];
}

/** Every renderer must say the same thing before its speed means anything. */
function checkOutputs(renderers: readonly Renderer[], data: object): void {
  const out = new Map(renderers.map((r) => [r.id, r.run()]));
  const reference = JSON.parse(out.get('JSON.stringify') as string) as unknown;
  deepStrictEqual(JSON.parse(out.get('json-writer') as string), reference, 'json-writer disagrees with JSON.stringify');
  const xml = out.get('xml-writer') as string;
  const action = /^<\?xml[^>]*\?><([A-Za-z]+)Response>/.exec(xml)?.[1];
  // What envelope() sends is exactly these bytes.
  if (renderSuccess('XML', action, CONSTANT_REQUEST_ID, data, 200).body !== xml) {
    throw new Error('renderSuccess XML differs from writeXmlDocument');
  }
  // xmlbuilder2 writes the same document for data without special keys or entity-like text.
  if (out.get('xmlbuilder2') !== xml) throw new Error('xml-writer and xmlbuilder2 disagree on this payload');
}

/** Wall nanoseconds and CPU microseconds of `iterations` calls. */
function timeBatch(run: () => string | Buffer, iterations: number, sink: { n: number }): { ns: number; cpuMicros: number } {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink.n += run().length;
  const ns = Number(process.hrtime.bigint() - start);
  const used = process.cpuUsage(cpu);
  return { ns, cpuMicros: used.user + used.system };
}

/** Iterations that take about `ms` (at least 1, at most 1e6). */
function calibrate(run: () => string | Buffer, ms: number, sink: { n: number }): number {
  let iterations = 1;
  for (let step = 0; step < 30; step++) {
    const { ns } = timeBatch(run, iterations, sink);
    if (ns >= ms * 1e6 * 0.5 || iterations >= 1e6) return Math.max(1, Math.min(1e6, Math.round((iterations * ms * 1e6) / Math.max(ns, 1))));
    iterations *= 2;
  }
  return iterations;
}

/**
 * Time every renderer on `data`.
 *
 * @example
 * const report = runRenderBench('DescribeInstances', describeInstancesData(200), { batches: 15, batchMs: 40, warmupMs: 300 });
 */
export function runRenderBench(action: string, data: object, payload: string, settings: RenderBenchSettings): RenderBenchReport {
  const renderers = renderersFor(action, data);
  checkOutputs(renderers, data);
  // Two timed functions per renderer: [string, bytes].
  const runs = renderers.flatMap((r) => [r.run, (): Buffer => Buffer.from(r.run(), 'utf8')]);
  const sink = { n: 0 };
  for (const run of runs) {
    const deadline = process.hrtime.bigint() + BigInt(settings.warmupMs) * 1_000_000n;
    for (let i = 0; i < 1e6 && process.hrtime.bigint() < deadline; i++) sink.n += run().length;
  }
  const iterations = runs.map((run) => calibrate(run, settings.batchMs, sink));
  const wall: number[][] = runs.map(() => []); // µs per call, per round
  const cpu: number[][] = runs.map(() => []);
  for (let b = 0; b < settings.batches; b++) {
    runs.forEach((run, i) => {
      const n = iterations[i] as number;
      const t = timeBatch(run, n, sink);
      (wall[i] as number[]).push(t.ns / n / 1000);
      (cpu[i] as number[]).push(t.cpuMicros / n);
    });
  }
  if (sink.n === 0) throw new Error('renderers produced nothing');
  const paired = (i: number, reference: number, times: number[][]): number[] =>
    (times[i] as number[]).map((t, b) => t / ((times[reference] as number[])[b] as number));
  const results = renderers.map((r, i): RendererResult => {
    const [str, bytes] = [2 * i, 2 * i + 1];
    return {
      id: r.id,
      label: r.label,
      outputBytes: Buffer.byteLength(r.run()),
      micros: spread(wall[str] as number[]),
      microsToBytes: spread(wall[bytes] as number[]),
      timesJsonStringify: spread(paired(str, 0, wall)),
      timesJsonStringifyToBytes: spread(paired(bytes, 1, wall)),
      timesJsonStringifyToBytesCpu: spread(cpu[bytes] as number[]).median / spread(cpu[1] as number[]).median,
    };
  });
  const xml = results.find((r) => r.id === 'xml-writer') as RendererResult;
  return { payload, jsonBytes: results[0]?.outputBytes ?? 0, renderers: results, xmlTimesJson: xml.timesJsonStringifyToBytes.median };
}
