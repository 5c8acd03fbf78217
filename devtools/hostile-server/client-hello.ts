/**
 * What a TLS ClientHello offers key shares for: the groups by their IANA ids (0x17 P-256, 0x1d
 * X25519), in the client's order; [] when the bytes are not one whole ClientHello record. A
 * client whose first share is not a group the server takes pays a HelloRetryRequest round trip.
 */
export function keyShareGroups(hello: Buffer): number[] {
	try {
		if (hello[0] !== 0x16 || hello[5] !== 0x01) return [];
		// Record header (5), handshake header (4), version (2), random (32).
		let at = 43;
		at += 1 + hello[at]!; // Session id
		at += 2 + hello.readUInt16BE(at); // Cipher suites
		at += 1 + hello[at]!; // Compression methods
		const end = at + 2 + hello.readUInt16BE(at);
		for (at += 2; at + 4 <= end; ) {
			const type = hello.readUInt16BE(at);
			const length = hello.readUInt16BE(at + 2);
			at += 4;
			if (type === 0x33) {
				const groups: number[] = [];
				for (let share = at + 2; share + 4 <= at + length; share += 4 + hello.readUInt16BE(share + 2)) groups.push(hello.readUInt16BE(share));
				return groups;
			}

			at += length;
		}
	} catch {
		// Cut short: not a whole ClientHello.
	}

	return [];
}
