import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Global setup of the slow project: builds dist/ from src/ (`npm run build`, a few seconds) before
 * any test spawns dist/cli/bin.js, so those tests never run an old build.
 */
export default function buildDist(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  try {
    execSync('npm run build', { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed, and the slow tests run dist/cli/bin.js built from src/:\n${stdout}${stderr}`);
  }
}
