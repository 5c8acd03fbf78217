/** Opens the Backup window. (The window itself arrives with its own issue.) */
export async function openWindow(_options: {profile?: string; ascii: boolean}): Promise<number> {
	process.stderr.write('packrat: the Backup window is not built yet; use "packrat run"\n');
	return 2;
}
