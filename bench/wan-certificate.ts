/**
 * The FTPS runs' certificate: self-signed, for localhost, 127.0.0.1 and 127.0.0.2 (the WAN proxy's
 * address, which the tools connect to), written as PEM files for vsftpd and for the tools.
 */
import {X509Certificate} from 'node:crypto';
import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {generate} from 'selfsigned';

export type CertificateFiles = {cert: string; key: string; fingerprint: string};

export async function writeCertificate(folder: string): Promise<CertificateFiles> {
	const now = Date.now();
	const day = 86_400_000;
	const pems = await generate([{name: 'commonName', value: 'localhost'}], {
		keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate: new Date(now - day), notAfterDate: new Date(now + 30 * day),
		extensions: [
			{name: 'basicConstraints', cA: false},
			{name: 'keyUsage', digitalSignature: true, keyEncipherment: true},
			{name: 'extKeyUsage', serverAuth: true},
			{name: 'subjectAltName', altNames: [{type: 2, value: 'localhost'}, {type: 7, ip: '127.0.0.1'}, {type: 7, ip: '127.0.0.2'}]},
		],
	});
	const cert = join(folder, 'cert.pem');
	const key = join(folder, 'key.pem');
	await writeFile(cert, pems.cert, {mode: 0o644});
	await writeFile(key, pems.private, {mode: 0o600});
	return {cert, key, fingerprint: new X509Certificate(pems.cert).fingerprint256};
}
