import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is packages/local-services/{src,dist}/paths.*). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where local builds and data live; git ignores it. */
export const LOCAL_DIR = resolve(REPO_ROOT, '.tickwork');
