import os from 'node:os';
import path from 'node:path';

/** Default data folder for the headless host and the CLI tools: ~/.exam-site/data. */
export function defaultDataDir(): string {
  return path.join(os.homedir(), '.exam-site', 'data');
}
