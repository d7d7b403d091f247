import { afterEach } from 'vitest';
import { removeTempDirs } from '../helpers.js';

// The unit project runs without isolation: tests/helpers.ts is evaluated once per worker, so the
// afterEach it registers runs for the first test file only. A setup file runs for every file.
afterEach(removeTempDirs);
