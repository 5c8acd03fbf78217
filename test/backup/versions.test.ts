import {describe, expect, it} from 'vitest';
import {compareMarkers, latestOfProjects, versionMatcher} from '../../source/backup/versions.js';

describe('version markers', () => {
	const match = versionMatcher();

	it.each([
		['Plan v12.dh', 'Plan.dh', 'v12'],
		['Plan_v12.dh', 'Plan.dh', 'v12'],
		['Plan-v1.2.3.dh', 'Plan.dh', 'v1.2.3'],
		['Plan (3).dh', 'Plan.dh', '(3)'],
		['Plan-2026-11-20.dh', 'Plan.dh', '2026-11-20'],
		['Plan_20261120.dh', 'Plan.dh', '20261120'],
		['Plan-20261120T0300.dh', 'Plan.dh', '20261120T0300'],
		['PLAN V7.DH', 'PLAN.DH', 'V7'],
		['report.pdf', 'report.pdf', ''],
		['v2.txt', 'v2.txt', ''],
		['.bashrc', '.bashrc', ''],
		['notes v3', 'notes', 'v3'],
	])('%s is project %s with marker %s', (name, project, marker) => {
		expect(match(name)).toMatchObject({project, marker});
	});

	it('compares markers number by number', () => {
		expect(compareMarkers('v1.10', 'v1.9')).toBeGreaterThan(0);
		expect(compareMarkers('v2', 'v10')).toBeLessThan(0);
		expect(compareMarkers('v1.2', 'v1.2.1')).toBeLessThan(0);
		expect(compareMarkers('20261120T0300', '20261120T0259')).toBeGreaterThan(0);
		expect(compareMarkers('(3)', '(3)')).toBe(0);
	});

	it('picks the greatest marker, then the newest mtime, per folder and project', () => {
		const files = [
			{directory: 'a', name: 'Plan v9.dh', mtime: 50},
			{directory: 'a', name: 'Plan v10.dh', mtime: 10},
			{directory: 'a', name: 'Plan.dh', mtime: 100},
			{directory: 'b', name: 'Plan v2.dh', mtime: 5},
			{directory: 'a', name: 'Memo (2).txt', mtime: 1},
			{directory: 'a', name: 'Memo_(2).txt', mtime: 2},
		];
		const latest = [...latestOfProjects(files, match)].map(file => `${file.directory}/${file.name}`).sort();
		expect(latest).toEqual(['a/Memo_(2).txt', 'a/Plan v10.dh', 'b/Plan v2.dh']);
	});

	it('takes a configured pattern with a named group version', () => {
		const custom = versionMatcher('\\.r(?<version>\\d+)$');
		expect(custom('design.r12.cad')).toMatchObject({project: 'design.cad', marker: '12'});
		expect(custom('design v12.cad')).toMatchObject({project: 'design v12.cad', marker: ''});
	});
});
