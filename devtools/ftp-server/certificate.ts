// A self-signed certificate for CN=localhost / IP 127.0.0.1, made once per process; and, for the
// tests of system trust, a test certificate authority and server certificates signed by it.
import {X509Certificate} from 'node:crypto';
import {generate} from 'selfsigned';

export type Certificate = {key: string; cert: string; fingerprint: string};

const DAY = 24 * 60 * 60 * 1000;
let cached: Promise<Certificate> | undefined;

export function getCertificate(): Promise<Certificate> {
	cached ??= createCertificate().catch((error: unknown) => {
		cached = undefined;
		throw error;
	});
	return cached;
}

/**
 * A new certificate every call, for a test that needs two that differ (a data connection's and the
 * control's); signed by `authority` when given, else self-signed.
 */
export function newCertificate(authority?: Certificate): Promise<Certificate> {
	return createCertificate(authority);
}

/** A certificate authority of its own, for a test that makes the system trust it (NODE_EXTRA_CA_CERTS). */
export function newAuthority(): Promise<Certificate> {
	return make('packrat test authority', [
		{name: 'basicConstraints', cA: true, critical: true},
		{name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true},
	]);
}

function createCertificate(authority?: Certificate): Promise<Certificate> {
	return make('localhost', [
		{name: 'basicConstraints', cA: false},
		{name: 'keyUsage', digitalSignature: true, keyEncipherment: true},
		{name: 'extKeyUsage', serverAuth: true},
		{
			name: 'subjectAltName',
			altNames: [
				{type: 2, value: 'localhost'},
				{type: 7, ip: '127.0.0.1'},
			],
		},
	], authority);
}

/** An EC P-256 certificate valid from yesterday for a year, with these extensions; signed by `authority`, else by itself. */
async function make(commonName: string, extensions: NonNullable<Parameters<typeof generate>[1]>['extensions'], authority?: Certificate): Promise<Certificate> {
	const now = Date.now();
	const pems = await generate([{name: 'commonName', value: commonName}], {
		...(authority ? {ca: {key: authority.key, cert: authority.cert}} : {}),
		keyType: 'ec',
		curve: 'P-256',
		algorithm: 'sha256',
		notBeforeDate: new Date(now - DAY),
		notAfterDate: new Date(now + 365 * DAY),
		extensions,
	});
	return {key: pems.private, cert: pems.cert, fingerprint: new X509Certificate(pems.cert).fingerprint256};
}
