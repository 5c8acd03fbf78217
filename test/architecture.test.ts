/**
 * The layers of ARCHITECTURE.md, checked on the imports of source/: no import cycle (types
 * included), an engine that imports nothing of the rest, the folders beside it (verify/,
 * restore/, alerts/) without UI code or the model, a model without UI code, and views that reach
 * the engine only through its public modules.
 */
import {readFileSync, readdirSync, statSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {describe, expect, it} from 'vitest';

const root = resolve(import.meta.dirname, '..', 'source');

function files(folder: string): string[] {
	return readdirSync(folder).flatMap(name => {
		const path = join(folder, name);
		return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
	});
}

/** Every module of source/ (as `model/session.ts`) with what it imports: modules of source/, and packages by name. */
const graph = new Map<string, string[]>();
for (const file of files(root)) {
	const text = readFileSync(file, 'utf8');
	const imports: string[] = [];
	for (const match of text.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)) {
		const spec = (match[1] ?? match[2])!;
		if (!spec.startsWith('.')) {
			imports.push(spec);
			continue;
		}

		const base = resolve(dirname(file), spec).replace(/\.js$/, '');
		const found = ['.ts', '.tsx'].map(extension => base + extension).find(path => {
			try {
				return statSync(path).isFile();
			} catch {
				return false;
			}
		});
		imports.push(relative(root, found ?? base));
	}

	graph.set(relative(root, file), imports);
}

const under = (folder: string) => [...graph.keys()].filter(module => module.startsWith(`${folder}/`));
const importsOf = (modules: string[]) => modules.flatMap(module => graph.get(module)!.map(target => `${module} -> ${target}`));

describe('the architecture', () => {
	it('has no import cycle, not even of types', () => {
		const cycles: string[] = [];
		const state = new Map<string, 'open' | 'done'>();
		const stack: string[] = [];
		const visit = (module: string) => {
			state.set(module, 'open');
			stack.push(module);
			for (const target of graph.get(module) ?? []) {
				if (!graph.has(target)) continue;
				if (state.get(target) === 'open') cycles.push([...stack.slice(stack.indexOf(target)), target].join(' -> '));
				else if (!state.has(target)) visit(target);
			}

			stack.pop();
			state.set(module, 'done');
		};

		for (const module of graph.keys()) if (!state.has(module)) visit(module);
		expect(cycles).toEqual([]);
	});

	it('keeps the engine to itself: backup/ imports only backup/ and the leaf format.ts', () => {
		const outside = importsOf(under('backup')).filter(edge => {
			const target = edge.split(' -> ')[1]!;
			return graph.has(target) && !target.startsWith('backup/') && target !== 'format.ts';
		});
		expect(outside).toEqual([]);
	});

	for (const folder of ['verify', 'restore', 'alerts']) {
		it(`keeps ${folder}/ beside the engine: no React, Ink or model; only itself, backup/ and format.ts`, () => {
			const edges = importsOf(under(folder));
			expect(edges.filter(edge => /-> (react|ink)(\/|$)|-> ink-/.test(edge))).toEqual([]);
			const above = edges.filter(edge => {
				const target = edge.split(' -> ')[1]!;
				return graph.has(target) && !target.startsWith(`${folder}/`) && !target.startsWith('backup/') && target !== 'format.ts';
			});
			expect(above).toEqual([]);
		});
	}

	it('keeps UI code out of the model: model/ imports no React, Ink, view or key map', () => {
		const ui = importsOf(under('model')).filter(edge => /-> (react|ink|components\/|screens\/|keymap\.ts|app\.tsx)/.test(edge));
		expect(ui).toEqual([]);
	});

	it('lets the views reach the engine only through its public modules', () => {
		const views = [...under('components'), ...under('screens'), 'app.tsx', 'keymap.ts', 'window.tsx'];
		const publicModules = new Set(['backup/events.ts', 'backup/progress.ts', 'backup/names.ts']);
		const internal = importsOf(views).filter(edge => {
			const target = edge.split(' -> ')[1]!;
			return target.startsWith('backup/') && !publicModules.has(target);
		});
		expect(internal).toEqual([]);
	});
});
