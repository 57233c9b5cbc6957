// Command-line entry: builds the `kxds` program from one module per command (src/commands/*).
import { Command } from 'commander';
import { COMMANDS } from './commands';
import { addEnvironmentOptions } from './commands/env-options';
import { BUILD_INFO } from './version';

export function buildProgram(): Command {
  const program = new Command('kxds')
    .description('Kubernetes-native xDS control plane for Envoy and proxyless gRPC')
    .version(BUILD_INFO.version)
    .showHelpAfterError();
  for (const register of COMMANDS) register(program);
  addEnvironmentOptions(program);
  return program;
}

export function main(argv: string[]): void {
  buildProgram()
    .parseAsync(argv, { from: 'user' })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    });
}
