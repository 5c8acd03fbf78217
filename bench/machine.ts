/** One line about the machine the numbers come from. */
import {readFileSync} from 'node:fs';
import {availableParallelism, cpus, release, totalmem} from 'node:os';

export function machine(): string {
	const model = cpus()[0]?.model.trim() || 'unknown CPU';
	const memory = (totalmem() / 1024 ** 3).toFixed(1);
	let disk = '';
	try {
		const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map(line => line.split(' '));
		const root = mounts.find(parts => parts[1] === '/');
		if (root) disk = `, / on ${root[2]}`;
	} catch {
		// Not Linux: no mount table.
	}

	return `nproc ${availableParallelism()}, ${model}, ${memory} GiB RAM, Linux ${release()}${disk}, Node ${process.version}`;
}
