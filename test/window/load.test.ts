/**
 * How the built window loads React: in its production build (unless NODE_ENV says otherwise), and
 * nothing imports React before window.js chooses the build, or a React of one build would meet a
 * reconciler of the other and draw nothing.
 */
import {execFile} from 'node:child_process';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';

const dist = join(import.meta.dirname, '..', '..', 'dist', 'source');

/** The React files a fresh node has run after `script` (an ES module body); files only parsed for their export names are not counted. */
async function reactFiles(script: string, env: Record<string, string> = {}): Promise<string[]> {
	const probe = `import {createRequire} from 'node:module';
const require = createRequire(${JSON.stringify(join(dist, 'window.js'))});
${script}
console.log(JSON.stringify(Object.entries(require.cache).filter(([path, module]) => module?.loaded && /[\\\\/]react(-reconciler)?[\\\\/]cjs[\\\\/]/.test(path)).map(([path]) => path).map(path => path.split(/[\\\\/]/).at(-1))));`;
	const {stdout} = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', probe], {env: {PATH: process.env['PATH'] ?? '', ...env}});
	return JSON.parse(stdout) as string[];
}

describe('loading the window', () => {
	it('imports no React until the window opens', async () => {
		expect(await reactFiles(`await import(${JSON.stringify(join(dist, 'window.js'))});`)).toEqual([]);
	});

	it('draws with the production build of React and its reconciler, and leaves NODE_ENV as it was', async () => {
		const files = await reactFiles(`const {loadApp} = await import(${JSON.stringify(join(dist, 'window.js'))});
await loadApp();
if (process.env.NODE_ENV !== undefined) throw new Error('NODE_ENV was left set');`);
		expect(files).toContain('react.production.js');
		expect(files).toContain('react-reconciler.production.js');
		expect(files.filter(file => file.includes('development'))).toEqual([]);
	});

	it('keeps the build a user chose with NODE_ENV', async () => {
		const files = await reactFiles(`const {loadApp} = await import(${JSON.stringify(join(dist, 'window.js'))});
await loadApp();`, {NODE_ENV: 'development'});
		expect(files).toContain('react-reconciler.development.js');
	});
});
