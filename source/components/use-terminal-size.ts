/**
 * The terminal's size, followed through resizes: every screen lays itself out from it, so the
 * window is redrawn to fit whenever the terminal changes size.
 */
import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

export type Size = {columns: number; rows: number};

function read(stdout: NodeJS.WriteStream): Size {
	return {columns: stdout.columns || 80, rows: stdout.rows || 24};
}

export function useTerminalSize(): Size {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => read(stdout));
	useEffect(() => {
		const resized = () => setSize(read(stdout));
		stdout.on('resize', resized);
		resized();
		return () => {
			stdout.off('resize', resized);
		};
	}, [stdout]);
	return size;
}
