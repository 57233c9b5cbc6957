// The list of `kxds` subcommands. Each module exports a function that adds its command to the program.
import type { Command } from 'commander';
import { register as registerBootstrap } from './bootstrap';
import { registerServe } from './serve';
import { registerDump } from './dump';
import { registerValidate } from './validate';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [registerServe, registerBootstrap, registerDump, registerValidate];
