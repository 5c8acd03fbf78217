/**
 * The key-exchange group each server chose, offered first on the handshakes after. A TLS 1.3
 * client sends a key share for one group, its first (X25519 in Node); a server that takes only
 * another (vsftpd 3.0: P-256) asks again with a HelloRetryRequest: one more round trip on every
 * control and data connection. Learned from a control connection's handshake and kept for the
 * process, by server (`host:port`); the other groups are still offered, in OpenSSL's order.
 */
import {createSecureContext, type SecureContext, type TLSSocket} from 'node:tls';

/** Groups as getEphemeralKeyInfo names them, to the names ecdhCurve takes. */
const names: Record<string, string> = {prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', X25519: 'X25519', X448: 'X448'};

/** OpenSSL 3's default groups, in its order (Node's `ecdhCurve: 'auto'`). */
const defaults = ['X25519', 'P-256', 'X448', 'P-521', 'P-384'];

const chosen = new Map<string, string>();

/** The groups offered to `server`, its chosen one first; undefined for OpenSSL's defaults. */
function groupsFor(server: string): string | undefined {
	const group = chosen.get(server);
	return group && group !== defaults[0] ? [group, ...defaults.filter(name => name !== group)].join(':') : undefined;
}

/** A TLS context for `server`: one for a control connection and all its data connections. */
export function contextFor(server: string): SecureContext {
	const groups = groupsFor(server);
	if (groups) {
		try {
			return createSecureContext({ecdhCurve: groups});
		} catch {
			// A group this build of Node lacks: OpenSSL's defaults, as before.
		}
	}

	return createSecureContext();
}

/** Remember the group `socket`'s handshake with `server` agreed on; true when it is not the one offered first. */
export function learnGroup(server: string, socket: TLSSocket): boolean {
	const offered = chosen.get(server) ?? defaults[0];
	const info = socket.getEphemeralKeyInfo();
	const group = info && 'name' in info && typeof info.name === 'string' ? names[info.name] : undefined;
	if (!group) return false;
	chosen.set(server, group);
	return group !== offered;
}
