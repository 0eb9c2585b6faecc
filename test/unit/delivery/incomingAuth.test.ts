import { checkIncomingAuth, type AuthVerdict, type IncomingAuth } from '../../../core/delivery/incomingAuth';

type Headers = Record<string, string | string[] | undefined>;

function basicHeader(username: string, password: string): string {
	return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

function expectRejected(verdict: AuthVerdict, reasonPattern: RegExp): void {
	expect(verdict.ok).toBe(false);
	if (!verdict.ok) expect(verdict.reason).toMatch(reasonPattern);
}

// Docflo (docflo-webhooks.txt) offers exactly these four options.
describe('checkIncomingAuth: none', () => {
	it('accepts a request without any auth header', () => {
		expect(checkIncomingAuth({ type: 'none' }, {})).toEqual({ ok: true });
	});

	it('accepts a request that happens to carry an Authorization header', () => {
		expect(checkIncomingAuth({ type: 'none' }, { authorization: 'Bearer whatever' })).toEqual({ ok: true });
	});
});

describe('checkIncomingAuth: basic', () => {
	const auth: IncomingAuth = { type: 'basic', username: 'docflo', password: 's3cr3t-Pa55' };

	it('accepts the right username and password', () => {
		expect(checkIncomingAuth(auth, { authorization: basicHeader('docflo', 's3cr3t-Pa55') })).toEqual({ ok: true });
	});

	it.each(['basic', 'BASIC', 'bAsIc'])('accepts the scheme written as %p', (scheme) => {
		const encoded = Buffer.from('docflo:s3cr3t-Pa55').toString('base64');
		expect(checkIncomingAuth(auth, { authorization: `${scheme} ${encoded}` })).toEqual({ ok: true });
	});

	it('accepts extra spaces between scheme and credentials and around the value', () => {
		const encoded = Buffer.from('docflo:s3cr3t-Pa55').toString('base64');
		expect(checkIncomingAuth(auth, { authorization: `  Basic    ${encoded}  ` })).toEqual({ ok: true });
	});

	it('accepts a password that contains colons (only the first colon separates)', () => {
		const colonAuth: IncomingAuth = { type: 'basic', username: 'user', password: 'a:b::c:' };
		expect(checkIncomingAuth(colonAuth, { authorization: basicHeader('user', 'a:b::c:') })).toEqual({ ok: true });
		expectRejected(checkIncomingAuth(colonAuth, { authorization: basicHeader('user', 'a:b') }), /invalid username or password/i);
	});

	it('accepts non-ASCII credentials encoded as UTF-8', () => {
		const unicodeAuth: IncomingAuth = { type: 'basic', username: 'jürgen', password: 'pässwört✓' };
		expect(checkIncomingAuth(unicodeAuth, { authorization: basicHeader('jürgen', 'pässwört✓') })).toEqual({ ok: true });
	});

	it('accepts base64 without padding', () => {
		const encoded = Buffer.from('docflo:s3cr3t-Pa55').toString('base64').replace(/=+$/, '');
		expect(checkIncomingAuth(auth, { authorization: `Basic ${encoded}` })).toEqual({ ok: true });
	});

	it('uses the first value when the header arrives as an array', () => {
		expect(checkIncomingAuth(auth, { authorization: [basicHeader('docflo', 's3cr3t-Pa55'), 'Basic Zm9vOmJhcg=='] })).toEqual({ ok: true });
	});

	it('rejects a wrong password', () => {
		expectRejected(checkIncomingAuth(auth, { authorization: basicHeader('docflo', 's3cr3t-Pa56') }), /invalid username or password/i);
	});

	it('rejects a wrong username', () => {
		expectRejected(checkIncomingAuth(auth, { authorization: basicHeader('docfl0', 's3cr3t-Pa55') }), /invalid username or password/i);
	});

	it('rejects credentials differing only in case', () => {
		expectRejected(checkIncomingAuth(auth, { authorization: basicHeader('DOCFLO', 's3cr3t-Pa55') }), /invalid/i);
	});

	it('rejects a password that is only a prefix of the configured one', () => {
		expectRejected(checkIncomingAuth(auth, { authorization: basicHeader('docflo', 's3cr3t') }), /invalid/i);
	});

	it('rejects a missing Authorization header', () => {
		expectRejected(checkIncomingAuth(auth, {}), /missing authorization header/i);
		expectRejected(checkIncomingAuth(auth, { authorization: undefined }), /missing authorization header/i);
		expectRejected(checkIncomingAuth(auth, { authorization: '' }), /missing authorization header/i);
	});

	it('rejects a Bearer token where Basic is configured', () => {
		expectRejected(checkIncomingAuth(auth, { authorization: 'Bearer s3cr3t-Pa55' }), /basic scheme/i);
	});

	it('rejects the scheme without credentials', () => {
		expectRejected(checkIncomingAuth(auth, { authorization: 'Basic' }), /basic scheme/i);
		expectRejected(checkIncomingAuth(auth, { authorization: 'Basic   ' }), /basic scheme/i);
	});

	it('rejects the raw user:pass without base64', () => {
		expectRejected(checkIncomingAuth(auth, { authorization: 'Basic docflo:s3cr3t-Pa55' }), /not valid basic credentials/i);
	});

	it.each(['!!!!', 'ZG9j ZmxvOnM=', 'ZG9jZmxv=OnM=', '%%%%%%%%'])('rejects malformed base64 %p', (encoded) => {
		expectRejected(checkIncomingAuth(auth, { authorization: `Basic ${encoded}` }), /not valid basic credentials|basic scheme/i);
	});

	it('rejects base64 that decodes to text without a colon', () => {
		const encoded = Buffer.from('docflos3cr3t-Pa55').toString('base64');
		expectRejected(checkIncomingAuth(auth, { authorization: `Basic ${encoded}` }), /not valid basic credentials/i);
	});

	it('rejects an empty username and password sent against a configured credential', () => {
		expectRejected(checkIncomingAuth(auth, { authorization: basicHeader('', '') }), /invalid username or password/i);
	});

	it('fails closed when the configured password is empty', () => {
		const incomplete: IncomingAuth = { type: 'basic', username: 'docflo', password: '' };
		expectRejected(checkIncomingAuth(incomplete, { authorization: basicHeader('docflo', '') }), /incomplete/i);
	});

	it('fails closed when the configured username is empty', () => {
		const incomplete: IncomingAuth = { type: 'basic', username: '', password: 'x' };
		expectRejected(checkIncomingAuth(incomplete, { authorization: basicHeader('', 'x') }), /incomplete/i);
	});
});

describe('checkIncomingAuth: bearer', () => {
	const auth: IncomingAuth = { type: 'bearer', token: 'tok_9f8e7d6c5b4a3210' };

	it('accepts the right token', () => {
		expect(checkIncomingAuth(auth, { authorization: 'Bearer tok_9f8e7d6c5b4a3210' })).toEqual({ ok: true });
	});

	it.each(['bearer', 'BEARER', 'BeArEr'])('accepts the scheme written as %p', (scheme) => {
		expect(checkIncomingAuth(auth, { authorization: `${scheme} tok_9f8e7d6c5b4a3210` })).toEqual({ ok: true });
	});

	it('trims whitespace around a configured token (headers cannot carry it)', () => {
		const padded: IncomingAuth = { type: 'bearer', token: '  tok_9f8e7d6c5b4a3210\n' };
		expect(checkIncomingAuth(padded, { authorization: 'Bearer tok_9f8e7d6c5b4a3210' })).toEqual({ ok: true });
	});

	it('trims the received token by the same rule, so a token ending in a Unicode space matches itself', () => {
		// Found by the property test (FC seed 2103884762): the token "\u0000\u2000" was refused when sent as itself.
		const unicodeSpace: IncomingAuth = { type: 'bearer', token: 'tok\u2000' };
		expect(checkIncomingAuth(unicodeSpace, { authorization: 'Bearer tok\u2000' })).toEqual({ ok: true });
		expect(checkIncomingAuth(unicodeSpace, { authorization: 'Bearer tok' })).toEqual({ ok: true });
		expectRejected(checkIncomingAuth(unicodeSpace, { authorization: 'Bearer tok\u2000x' }), /invalid bearer token/i);
	});

	it('rejects a wrong token', () => {
		expectRejected(checkIncomingAuth(auth, { authorization: 'Bearer tok_9f8e7d6c5b4a3211' }), /invalid bearer token/i);
	});

	it('rejects a prefix or an extension of the token', () => {
		expectRejected(checkIncomingAuth(auth, { authorization: 'Bearer tok_9f8e7d6c5b4a321' }), /invalid bearer token/i);
		expectRejected(checkIncomingAuth(auth, { authorization: 'Bearer tok_9f8e7d6c5b4a32100' }), /invalid bearer token/i);
	});

	it('rejects a missing Authorization header', () => {
		expectRejected(checkIncomingAuth(auth, {}), /missing authorization header/i);
	});

	it('rejects the bare token without a scheme', () => {
		expectRejected(checkIncomingAuth(auth, { authorization: 'tok_9f8e7d6c5b4a3210' }), /bearer scheme/i);
	});

	it('rejects the token under the Basic scheme', () => {
		expectRejected(checkIncomingAuth(auth, { authorization: 'Basic tok_9f8e7d6c5b4a3210' }), /bearer scheme/i);
	});

	it('rejects "Bearer" with no token', () => {
		expectRejected(checkIncomingAuth(auth, { authorization: 'Bearer' }), /bearer scheme/i);
		expectRejected(checkIncomingAuth(auth, { authorization: 'Bearer ' }), /bearer scheme/i);
	});

	it('does not accept the token from the x-api-key header', () => {
		expectRejected(checkIncomingAuth(auth, { 'x-api-key': 'tok_9f8e7d6c5b4a3210' }), /missing authorization header/i);
	});

	it('fails closed when the configured token is empty or whitespace', () => {
		expectRejected(checkIncomingAuth({ type: 'bearer', token: '' }, { authorization: 'Bearer ' }), /incomplete/i);
		expectRejected(checkIncomingAuth({ type: 'bearer', token: '   ' }, { authorization: 'Bearer x' }), /incomplete/i);
	});
});

describe('checkIncomingAuth: header (API key)', () => {
	// docflo-webhooks.txt: "API Key — Sends an API key in a custom header. x-api-key: <your-api-key>"
	const auth: IncomingAuth = { type: 'header', headerName: 'x-api-key', value: 'key_0a1b2c3d4e5f6789' };

	it('accepts the right value in x-api-key', () => {
		expect(checkIncomingAuth(auth, { 'x-api-key': 'key_0a1b2c3d4e5f6789' })).toEqual({ ok: true });
	});

	it('matches a configured header name case-insensitively against Node’s lower-cased headers', () => {
		const mixedCase: IncomingAuth = { type: 'header', headerName: 'X-API-Key', value: 'key_0a1b2c3d4e5f6789' };
		expect(checkIncomingAuth(mixedCase, { 'x-api-key': 'key_0a1b2c3d4e5f6789' })).toEqual({ ok: true });
	});

	it('also finds the header when the record keeps the original casing', () => {
		expect(checkIncomingAuth(auth, { 'X-Api-Key': 'key_0a1b2c3d4e5f6789' })).toEqual({ ok: true });
	});

	it('trims whitespace around the configured header name and value', () => {
		const padded: IncomingAuth = { type: 'header', headerName: ' x-api-key ', value: ' key_0a1b2c3d4e5f6789 ' };
		expect(checkIncomingAuth(padded, { 'x-api-key': 'key_0a1b2c3d4e5f6789' })).toEqual({ ok: true });
	});

	it('rejects a wrong value', () => {
		expectRejected(checkIncomingAuth(auth, { 'x-api-key': 'key_0a1b2c3d4e5f6788' }), /invalid value in x-api-key header/i);
	});

	it('rejects the value in a different header', () => {
		expectRejected(checkIncomingAuth(auth, { 'x-api-token': 'key_0a1b2c3d4e5f6789' }), /missing x-api-key header/i);
		expectRejected(checkIncomingAuth(auth, { authorization: 'key_0a1b2c3d4e5f6789' }), /missing x-api-key header/i);
	});

	it('rejects a missing or empty header', () => {
		expectRejected(checkIncomingAuth(auth, {}), /missing x-api-key header/i);
		expectRejected(checkIncomingAuth(auth, { 'x-api-key': '' }), /missing x-api-key header/i);
	});

	it('rejects two values joined by Node for a duplicated header', () => {
		expectRejected(checkIncomingAuth(auth, { 'x-api-key': 'wrong, key_0a1b2c3d4e5f6789' }), /invalid value/i);
	});

	it('fails closed when the configured value is empty', () => {
		const incomplete: IncomingAuth = { type: 'header', headerName: 'x-api-key', value: '' };
		expectRejected(checkIncomingAuth(incomplete, { 'x-api-key': '' }), /incomplete/i);
		expectRejected(checkIncomingAuth(incomplete, { 'x-api-key': 'anything' }), /incomplete/i);
	});

	it('fails closed when the configured header name is empty', () => {
		const incomplete: IncomingAuth = { type: 'header', headerName: '', value: 'key_0a1b2c3d4e5f6789' };
		expectRejected(checkIncomingAuth(incomplete, { '': 'key_0a1b2c3d4e5f6789' }), /incomplete/i);
	});
});

describe('checkIncomingAuth: failure reasons', () => {
	it('rejects an unknown auth type instead of letting the request through', () => {
		const unknown = { type: 'digest', token: 'x' } as unknown as IncomingAuth;
		expectRejected(checkIncomingAuth(unknown, { authorization: 'Digest x' }), /unsupported/i);
	});

	const secret = 'Sup3r-S3cret-Value';
	const received = 'Attacker-Guess-9876';
	const cases: Array<[string, IncomingAuth, Headers]> = [
		['basic wrong', { type: 'basic', username: 'user', password: secret }, { authorization: basicHeader('user', received) }],
		['basic wrong user', { type: 'basic', username: secret, password: secret }, { authorization: basicHeader(received, received) }],
		['basic malformed', { type: 'basic', username: 'user', password: secret }, { authorization: `Basic ${received}!` }],
		['basic wrong scheme', { type: 'basic', username: 'user', password: secret }, { authorization: `Bearer ${received}` }],
		['bearer wrong', { type: 'bearer', token: secret }, { authorization: `Bearer ${received}` }],
		['bearer wrong scheme', { type: 'bearer', token: secret }, { authorization: `Token ${received}` }],
		['header wrong', { type: 'header', headerName: 'x-api-key', value: secret }, { 'x-api-key': received }],
	];

	it.each(cases)('never contain the configured secret or the received value (%s)', (_label, auth, headers) => {
		const verdict = checkIncomingAuth(auth, headers);
		expect(verdict.ok).toBe(false);
		if (verdict.ok) return;
		expect(verdict.reason).not.toContain(secret);
		expect(verdict.reason).not.toContain(received);
		expect(verdict.reason.length).toBeLessThan(100);
	});
});
