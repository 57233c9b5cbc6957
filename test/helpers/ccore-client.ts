// gRPC C-core (Debian python3-grpcio, run by /usr/bin/python3) as a proxyless xDS client for end-to-end
// tests: a child process holding named channels, driven one JSON command at a time (test/e2e/ccore/
// greeter_driver.py). Every answer is awaited with a deadline, and stop() ends the process.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const DRIVER = resolve(__dirname, '../../../test/e2e/ccore/greeter_driver.py');

export interface CcoreCallResult {
  ok: boolean;
  servedBy?: string;
  code?: string;
  seconds: number;
}

export class CcoreClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly answers: string[] = [];
  private waiter?: (line: string) => void;
  private stderr = '';

  /** `metadata`: further node metadata (e.g. kxds.io/namespace), besides kxds.io/role proxyless. */
  constructor(xdsAddress: string, nodeId: string, metadata: Record<string, string> = {}) {
    const bootstrap = JSON.stringify({
      xds_servers: [
        { server_uri: xdsAddress, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] },
      ],
      node: { id: nodeId, locality: {}, metadata: { 'kxds.io/role': 'proxyless', ...metadata } },
    });
    this.child = spawn('/usr/bin/python3', [DRIVER], {
      env: { ...process.env, GRPC_XDS_BOOTSTRAP_CONFIG: bootstrap },
    });
    this.child.stderr.on(
      'data',
      (chunk: Buffer) => (this.stderr = (this.stderr + String(chunk)).slice(-4000)),
    );
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const waiter = this.waiter;
      this.waiter = undefined;
      if (waiter) waiter(line);
      else this.answers.push(line);
    });
  }

  open(id: string, target: string): Promise<unknown> {
    return this.command({ op: 'open', id, target });
  }

  close(id: string): Promise<unknown> {
    return this.command({ op: 'close', id });
  }

  /** One SayHello on channel `id`; `metadata` are request headers. */
  async call(id: string, timeoutS: number, metadata: Record<string, string> = {}): Promise<CcoreCallResult> {
    return (await this.command(
      { op: 'call', id, timeout: timeoutS, metadata },
      (timeoutS + 10) * 1000,
    )) as CcoreCallResult;
  }

  stop(): void {
    this.child.stdin.end();
    this.child.kill();
  }

  private command(command: Record<string, unknown>, deadlineMs = 10_000): Promise<unknown> {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    return new Promise((resolveAnswer, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`C-core driver: no answer to ${JSON.stringify(command)}; stderr: ${this.stderr}`)),
        deadlineMs,
      );
      const take = (line: string) => {
        clearTimeout(timer);
        resolveAnswer(JSON.parse(line));
      };
      const queued = this.answers.shift();
      if (queued !== undefined) take(queued);
      else this.waiter = take;
    });
  }
}
