/**
 * Prints a child's output lines under a name, so several processes can share one terminal. pino JSON lines
 * are shown as "time level message {details}"; anything else as it is.
 */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };

export function linePrinter(name: string, width = 9): (line: string) => void {
  const prefix = `${name.padEnd(width)}|`;
  return (line: string) => {
    process.stdout.write(`${prefix} ${pretty(line)}\n`);
  };
}

function pretty(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const {
      time,
      level,
      msg,
      pid: _pid,
      hostname: _host,
      app: _app,
      ...rest
    } = JSON.parse(line) as Record<string, unknown>;
    const when = typeof time === 'number' ? new Date(time).toISOString().slice(11, 23) : '';
    const details = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    return `${when} ${LEVELS[level as number] ?? level} ${msg ?? ''}${details}`;
  } catch {
    return line;
  }
}
