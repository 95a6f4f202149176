/**
 * The benchmark's own reporting: which request step a profile sample is charged to, and the chart
 * and table written from a run's results (so that `npm run bench:report` cannot silently produce a
 * broken SVG or a table that disagrees with the results).
 */
import assert from 'node:assert/strict';
import { SaxesParser } from 'saxes';
import { stepOf } from '../../bench/lib/profile-steps.js';
import { profileTotals, type CpuProfile } from '../../bench/lib/profile-totals.js';
import { benchChart } from '../../bench/lib/chart.js';
import { readFileSync } from 'node:fs';
import { replaceReportBlock, reportMarkdown, type RecordedRun } from '../../bench/lib/results-report.js';

const DIST = 'file:///repo/dist/index.js';

describe('bench: profile steps', () => {
  it('charges a sample to the innermost step of the package on its stack', () => {
    const hmac = { functionName: 'Hmac', url: 'node:internal/crypto/hash' };
    assert.equal(stepOf([hmac, { functionName: 'verifyV1', url: DIST }, { functionName: 'call', url: DIST }]), 'signature');
    assert.equal(stepOf([{ functionName: 'setIfAbsent', url: DIST }, { functionName: 'authenticateV1', url: DIST }]), 'nonce store');
    assert.equal(stepOf([{ functionName: 'setIfAbsentSync', url: DIST }, { functionName: 'claimThen', url: DIST }, { functionName: 'authenticateV1', url: DIST }]), 'nonce store');
    assert.equal(stepOf([{ functionName: 'x', url: 'file:///repo/node_modules/ioredis/built/Command.js' }, { functionName: 'setIfAbsent', url: DIST }]), 'redis client');
  });

  it('falls back to the framework, Node, GC and idle; a library file named like ours is not ours', () => {
    assert.equal(stepOf([{ functionName: 'respond', url: 'file:///repo/node_modules/koa/lib/application.js' }]), 'koa / express');
    assert.equal(stepOf([{ functionName: 'writev', url: '' }, { functionName: 'writevGeneric', url: 'node:internal/stream_base_commons' }]), 'node http');
    assert.equal(stepOf([{ functionName: '(garbage collector)', url: '' }]), 'gc');
    assert.equal(stepOf([{ functionName: '(idle)', url: '' }]), 'idle');
  });

  it("charges the profiler's own calls (node:inspector) to a step that is not busy time", () => {
    assert.equal(stepOf([{ functionName: 'dispatch', url: '' }, { functionName: 'post', url: 'node:inspector' }, { functionName: 'batch', url: 'file:///repo/bench/inprocess.ts' }]), 'profiler');
  });

  it('adds up self time by step and by function, leaving idle and profiler samples out of busy time', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    // root -> verifyV1 -> hmac ; root -> (idle) ; root -> post (node:inspector) -> dispatch
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 4, 5] },
        { id: 2, callFrame: frame('verifyV1', DIST), children: [3] },
        { id: 3, callFrame: frame('hmac', DIST) },
        { id: 4, callFrame: frame('(idle)', '') },
        { id: 5, callFrame: frame('post', 'node:inspector'), children: [6] },
        { id: 6, callFrame: frame('dispatch', '') },
      ],
      samples: [3, 3, 2, 4, 6],
      timeDeltas: [10, 20, 5, 1000, 48000],
    };
    const totals = profileTotals(profile);
    assert.equal(totals.busy, 35);
    assert.equal(totals.byStep.get('signature'), 35);
    assert.equal(totals.byStep.get('idle'), 1000);
    assert.equal(totals.byStep.get('profiler'), 48000);
    assert.equal(totals.byFunction.get('hmac dist/index.js:1'), 30);
    assert.equal(totals.byFunction.get('verifyV1 dist/index.js:1'), 5);
    assert.equal(totals.byFunction.has('dispatch (native)'), false);
  });
});

function run(cpuEfficiency: number): RecordedRun {
  const spread = (v: number) => ({ median: v, min: v, max: v });
  const contestant = (id: string, isBaseline: boolean, cpu: number) => ({
    id, label: id, isBaseline, responseBytes: 335, rounds: [], reqPerSec: spread(1000), p99Ms: spread(5),
    cpuMicrosPerReq: spread(cpu), serverCoreShare: spread(0.5), ratio: spread(0.9), cpuEfficiency: spread(cpuEfficiency), problems: [],
  });
  return {
    started: '2026-12-06T03:00:00.000Z',
    machine: { cpus: 2, cpuModel: 'Test <CPU> & co', node: 'v20.20.2', loadavgBefore: [1, 1, 1] },
    settings: { seconds: 5, rounds: 3, connections: 10 },
    scenarios: [
      {
        name: 'auth-signed', title: 't', baseline: 'unsigned',
        contestants: [contestant('unsigned', true, 50), contestant('signed-v1', false, 50 / cpuEfficiency)],
        targets: [{ contestant: 'signed-v1', minRatio: 0.8, source: 'issue 11', ratio: 0.9, cpuEfficiency, met: cpuEfficiency >= 0.8 }],
      },
    ],
  };
}

describe('bench: results report', () => {
  it('writes a well-formed SVG, escaping the machine text', () => {
    const svg = benchChart([{ label: 'a / b', baseline: 'base', cpuEfficiency: 0.7, reqRatio: 0.9, target: 0.8 }], 'Test <CPU> & co');
    const parser = new SaxesParser();
    let texts = '';
    parser.on('text', (t) => (texts += t));
    parser.write(svg).close();
    assert.ok(texts.includes('Test <CPU> & co'));
    assert.ok(texts.includes('0.70 (target 0.80, missed; req/s 0.90)'));
  });

  it('judges each target on CPU efficiency in the table', () => {
    assert.match(reportMarkdown(run(0.7)), /\| auth-signed \/ signed-v1 \(vs unsigned\) \| 71\.4 \(50\.0\) \| \*\*0\.70\*\* \(>= 0\.80\) \| 0\.90 \| missed \|/);
    assert.match(reportMarkdown(run(0.85)), /\*\*0\.85\*\* \(>= 0\.80\) \| 0\.90 \| met \|/);
  });

  it('points the chart at docs/bench.svg from the file the block goes into', () => {
    assert.match(reportMarkdown(run(0.7)), /\]\(\.\.\/docs\/bench\.svg\)$/);
    assert.match(reportMarkdown(run(0.7), 'docs/bench.svg'), /\]\(docs\/bench\.svg\)$/);
  });

  it('replaces only what lies between the markers, in both READMEs', () => {
    const start = '<!-- bench:report start (generated by `npm run bench:report` from bench/results/latest.json) -->';
    const end = '<!-- bench:report end -->';
    const text = `intro\n${start}\nold table\n${end}\noutro\n`;
    assert.equal(replaceReportBlock(text, 'new table', 'x.md'), `intro\n${start}\nnew table\n${end}\noutro\n`);
    assert.throws(() => replaceReportBlock('no markers', 'new', 'x.md'), /x\.md has no/);
    assert.throws(() => replaceReportBlock(`${end}\n${start}`, 'new', 'x.md'), /x\.md has no/);
    for (const file of ['README.md', 'bench/README.md']) {
      const readme = readFileSync(file, 'utf8');
      const block = readme.slice(readme.indexOf(start), readme.indexOf(end));
      assert.ok(readme.indexOf(start) >= 0 && readme.indexOf(end) > readme.indexOf(start), `${file} keeps the bench:report markers`);
      assert.match(block, /\| protection \/ memory \(vs unprotected\) \|/, `${file} carries the results table`);
    }
  });
});
