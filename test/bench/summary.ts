// The one table `make bench` prints first: per scenario its figure, its target (issue 18, or issues 8 and
// 17 for the older checks), the reference's figure measured in the same run where there is one (the
// minimal encode-once server; published figures are marked as such), and pass or MISS.
import type { ScenarioResult } from './scenarios';

export type Results = Record<string, ScenarioResult | { error: string }>;

export interface SummaryRow {
  scenario: string;
  figure: string;
  target: string;
  reference: string;
  verdict: string;
}

const n = (v: unknown): number => Number(v);
const verdict = (met: boolean): string => (met ? 'pass' : 'MISS');

function ok(r: ScenarioResult | { error: string } | undefined): ScenarioResult | undefined {
  return r && !('error' in r) ? r : undefined;
}

/** "missed ACKs / failed streams" when a run was not clean, so a figure is never read without it. */
function caveat(r: ScenarioResult): string {
  const notes = [];
  if (n(r.failedStreams) > 0) notes.push(`${String(r.failedStreams)} streams failed`);
  if (n(r.missedAcks) > 0) notes.push(`${String(r.missedAcks)} ACKs missing`);
  return notes.length > 0 ? ` (${notes.join(', ')})` : '';
}

function fanOutRows(results: Results, id: string, label: string, streams: number): SummaryRow[] {
  const k = ok(results[`${id}-kxds`]);
  const r = ok(results[`${id}-reference`]);
  if (!k) return [{ scenario: label, figure: 'did not run', target: '', reference: '', verdict: 'MISS' }];
  const ref = (v: string) => (r ? v : 'did not run');
  const p99Limit = r ? n(r.p99Ms) + 150 : NaN;
  const memLimit = r ? n(r.rssPerStreamKB) * 1.2 : NaN;
  return [
    {
      scenario: `${label}: p50 / p99 to converge`,
      figure: `${String(k.p50Ms)} / ${String(k.p99Ms)} ms${caveat(k)}`,
      target: `p99 <= reference + 150 ms (${p99Limit.toFixed(0)} ms)`,
      reference: ref(`${String(r?.p50Ms)} / ${String(r?.p99Ms)} ms${r ? caveat(r) : ''}`),
      verdict: verdict(n(k.p99Ms) <= p99Limit && caveat(k) === ''),
    },
    {
      scenario: `${label}: server CPU for the change`,
      figure: `${String(k.cpuSPerChange)} s`,
      target: streams === 1000 ? '< 0.5 s' : '(none)',
      reference: ref(`${String(r?.cpuSPerChange)} s`),
      verdict: streams === 1000 ? verdict(n(k.cpuSPerChange) < 0.5) : '',
    },
    {
      scenario: `${label}: memory per stream`,
      figure: `${String(k.rssPerStreamKB)} KB`,
      target: `<= 1.2 x reference (${memLimit.toFixed(0)} KB)`,
      reference: ref(`${String(r?.rssPerStreamKB)} KB`),
      verdict: verdict(n(k.rssPerStreamKB) <= memLimit),
    },
  ];
}

export function summaryRows(results: Results): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const id of Object.keys(results)) {
    const fan = /^fanout-(sotw|delta)-(\d+)-kxds$/.exec(id);
    if (fan) {
      const [, protocol = '', streams = '0'] = fan;
      rows.push(
        ...fanOutRows(
          results,
          `fanout-${protocol}-${streams}`,
          `fan-out ${protocol} ${streams} streams`,
          n(streams),
        ),
      );
    }
    const r = ok(results[id]);
    if (!r) {
      if (!fan && !id.endsWith('-reference'))
        rows.push({ scenario: id, figure: 'did not run', target: '', reference: '', verdict: 'MISS' });
      continue;
    }
    if (id.startsWith('propagation-'))
      rows.push({
        scenario: `propagation: a new ${r.frontend === 'ingress' ? 'Ingress' : 'HTTPRoute'} among ${String(r.routes)} -> RDS of ${String(r.streams)} nodes`,
        figure: `${String(r.p50Ms)} / ${String(r.p99Ms)} ms${caveat(r)}`,
        target: 'p50 <= 30 ms, p99 <= 100 ms',
        reference: '',
        verdict: verdict(n(r.p50Ms) <= 30 && n(r.p99Ms) <= 100 && caveat(r) === ''),
      });
    if (id.startsWith('churn-'))
      rows.push({
        scenario: `churn ${String(r.protocol)}, max wait ${String(r.maxWaitMs)} ms: convergence p99`,
        figure: `${String(r.convergenceP99Ms)} ms${n(r.unconverged) > 0 ? ` (${String(r.unconverged)} changes unconverged)` : ''}`,
        target: '< 500 ms (issue 8)',
        reference: '',
        verdict: verdict(n(r.convergenceP99Ms) < 500 && n(r.unconverged) === 0),
      });
    if (id.startsWith('coldstart-'))
      rows.push({
        scenario: `cold start, ${String(r.objects)} objects (${String(r.services)} Services)`,
        figure: `${String(r.firstSnapshotS)} s (${String(r.cpuS)} CPU s), ${String(r.peakRssMB)} MB peak`,
        target: '< 3 s',
        reference: `protobufjs encoding alone: ${String(r.floorEncodeS)} s`,
        verdict: verdict(n(r.firstSnapshotS) < 3),
      });
    if (id === 'outage')
      rows.push({
        scenario: `outage recovery: API server down ${String(n(r.outageMs) / 1000)} s -> change served`,
        figure: `${String(r.recoveredMs)} ms`,
        target: '< 1000 ms',
        reference: '',
        verdict: verdict(n(r.recoveredMs) < 1000),
      });
    if (id === 'gateway-translation')
      rows.push({
        scenario: `Gateway API translation: ${String(r.httpRoutes)} HTTPRoutes, ${String(r.grpcRoutes)} GRPCRoutes, ${String(r.udpRoutes)} UDPRoutes (${String(r.udpRoutesTranslated)}), ${String(r.services)} Services`,
        figure: `${String(r.warmMs)} ms warm (${String(r.coldMs)} ms cold), ${String(r.allocatedMiB)} MiB allocated`,
        target: "<= Envoy Gateway's",
        reference: 'Envoy Gateway (published): 139 ms, 58 MiB',
        verdict: verdict(n(r.warmMs) <= 139 && n(r.allocatedMiB) <= 58),
      });
    if (id === 'burst')
      rows.push({
        scenario: `burst: ${String(r.changes)} changes in ${String(r.burstMs)} ms -> snapshots`,
        figure: String(r.snapshots),
        target: `<= one per debounce window + 1 (${String(r.maxWindowsInBurst)}) (issue 8)`,
        reference: '',
        verdict: verdict(n(r.snapshots) <= n(r.maxWindowsInBurst)),
      });
    if (id === 'node-groups')
      rows.push({
        scenario: `node-chosen groups: after ${String(r.nodeChosenGroups)} left, groups built`,
        figure: String(r.groupsAfterRelease),
        target: `= before (${String(r.groupsBefore)}) (issue 17)`,
        reference: '',
        verdict: verdict(r.groupsAfterRelease === r.groupsBefore),
      });
  }
  const sotw = ok(results['churn-sotw-maxwait1000']);
  const delta = ok(results['churn-delta-maxwait1000']);
  if (sotw && delta) {
    const ratio = n(delta.wireMB) / n(sotw.wireMB);
    rows.push({
      scenario: 'churn: delta bytes on the wire vs SotW',
      figure: `${(ratio * 100).toFixed(1)}% (${String(delta.wireMB)} vs ${String(sotw.wireMB)} MB)`,
      target: '< 10% (issue 8)',
      reference: '',
      verdict: verdict(ratio < 0.1),
    });
  }
  return rows;
}

/** A Markdown table of objects (columns: every key seen). */
export function markdownTable(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? '')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(columns), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join(
    '\n',
  );
}
