// Command-line entry: parses flags and hands off to the composition root of each command.
import { Command } from 'commander';

export function main(argv: string[]): void {
  const program = new Command('kxds')
    .description('Kubernetes-native xDS control plane for Envoy and proxyless gRPC')
    .version('0.1.0');
  program.parseAsync(argv, { from: 'user' }).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
