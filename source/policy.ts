/**
 * The administrator's policy (SPEC: Schedule): `/etc/packrat/policy.json`, and the file named by
 * `PACKRAT_POLICY`. `{"allowCancel": false}` forbids cancelling a run, in the window and with
 * `packrat cancel`; no user setting overrides it. When both files exist, the stricter one holds,
 * so pointing `PACKRAT_POLICY` elsewhere cannot lift the system policy.
 */
import {readFileSync} from 'node:fs';
import {PackratError} from './backup/errors.js';

export const systemPolicyPath = '/etc/packrat/policy.json';

export type Policy = {
	allowCancel: boolean;
	/** The file that decided, when a policy file was read. */
	path?: string;
};

/** The policy files to read, system first; `PACKRAT_POLICY` adds one. */
export function policyPaths(environment: NodeJS.ProcessEnv = process.env): string[] {
	const extra = environment['PACKRAT_POLICY'];
	return extra && extra !== systemPolicyPath ? [systemPolicyPath, extra] : [systemPolicyPath];
}

function malformed(path: string, why: string): PackratError {
	return new PackratError(`the policy file ${path} is malformed (${why}): ask the administrator to fix it`, 'config');
}

/** One policy file, or undefined when it does not exist. */
export function readPolicyFile(path: string): Policy | undefined {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
		throw new PackratError(`the policy file ${path} cannot be read (${code ?? (error as Error).message})`, 'config');
	}

	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		throw malformed(path, (error as Error).message);
	}

	if (typeof data !== 'object' || data === null || Array.isArray(data)) throw malformed(path, 'expected a JSON object such as {"allowCancel": false}');
	const allowCancel = (data as Record<string, unknown>)['allowCancel'];
	if (allowCancel !== undefined && typeof allowCancel !== 'boolean') throw malformed(path, `allowCancel must be true or false (got ${JSON.stringify(allowCancel)})`);
	return {allowCancel: allowCancel ?? true, path};
}

/** The policy in force; throws a PackratError naming the file when one is malformed. */
export function loadPolicy(environment: NodeJS.ProcessEnv = process.env): Policy {
	let result: Policy = {allowCancel: true};
	for (const path of policyPaths(environment)) {
		const policy = readPolicyFile(path);
		if (!policy) continue;
		if (!policy.allowCancel) return policy;
		result = result.path ? result : policy;
	}

	return result;
}

/** The line that says cancelling is forbidden, or undefined when it is allowed. */
export function cancelRefusal(policy: Policy): string | undefined {
	if (policy.allowCancel) return undefined;
	return `cancelling is disabled by the administrator (policy file ${policy.path ?? systemPolicyPath})`;
}

/** The refusal of cancelling under the policy in force now; a malformed policy file forbids it too, and says why. */
export function cancelRefusalNow(read: () => Policy = loadPolicy): string | undefined {
	try {
		return cancelRefusal(read());
	} catch (error) {
		return error instanceof PackratError ? error.message : String(error);
	}
}
