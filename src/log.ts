// Structured JSON logging (pino). Every module takes a child logger with its component name so a line says
// where it came from; objects are named with `object: "Kind ns/name"`. Never log Secret data.
import pino from 'pino';

export type Logger = pino.Logger;
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export function createLogger(level: LogLevel = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kxds' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['*.data', '*.stringData', '*.private_key', '*.privateKey'], censor: '[redacted]' },
    },
    destination,
  );
}

/** A logger that drops everything; for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
