// The list of `kxds` subcommands. Each module exports a function that adds its command to the program.
import type { Command } from 'commander';
import { registerServe } from './serve';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [registerServe];
