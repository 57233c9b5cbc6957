// The list of `kxds` subcommands. Each module exports a function that adds its command to the program.
import type { Command } from 'commander';
import { registerServe } from './serve';
import { register as registerBootstrap } from './bootstrap';
import { register as registerCertgen } from './certgen';
import { register as registerDemoGreeter } from './demo-greeter';
import { registerDump } from './dump';
import { registerValidate } from './validate';
import { registerVersion } from './version';
import { registerProxyStatus } from './proxy-status';
import { registerProxyConfig } from './proxy-config';
import { registerAgent } from './agent';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [
  registerServe,
  registerBootstrap,
  registerDump,
  registerProxyStatus,
  registerProxyConfig,
  registerValidate,
  registerCertgen,
  registerAgent,
  registerDemoGreeter,
  registerVersion,
];
