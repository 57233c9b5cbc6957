// What one fuzz target found: inputs tried, crashes (a handler that threw, a 5xx, a server that stopped
// answering), config lost (good config missing afterwards), the answers seen, and a few crashing inputs.
export interface TargetReport {
  target: string;
  inputs: number;
  crashes: number;
  configLost: number;
  /** Answer -> count: gRPC status names, HTTP status codes, "ok"/"problems" for the parser. */
  answers: Record<string, number>;
  /** Up to three crashing inputs, clipped, to replay. */
  examples: string[];
  peakRssMb: number;
}

export function newReport(target: string): TargetReport {
  return { target, inputs: 0, crashes: 0, configLost: 0, answers: {}, examples: [], peakRssMb: 0 };
}

export function count(report: TargetReport, answer: string): void {
  report.answers[answer] = (report.answers[answer] ?? 0) + 1;
}

export function crash(report: TargetReport, input: string, why: string): void {
  report.crashes++;
  if (report.examples.length < 3) report.examples.push(`${why}: ${input.slice(0, 200)}`);
}
