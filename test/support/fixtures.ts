/** The recorded platform payloads in shared/ (beside the project's folder in every checkout). */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const candidates = [
  resolve(import.meta.dirname, '../../../shared/fixtures/recorded'),
  '/work/shared/fixtures/recorded',
];

export const RECORDED_DIR = candidates.find((d) => existsSync(d)) ?? candidates[0]!;

export function recorded<T = Record<string, unknown>>(file: string): T {
  return JSON.parse(readFileSync(join(RECORDED_DIR, file), 'utf8')) as T;
}
