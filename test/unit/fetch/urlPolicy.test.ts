import {
	checkConnectedAddress,
	checkRedirect,
	checkUrl,
	isPrivateAddress,
	redactUrl,
	type UrlPolicy,
	type UrlVerdict,
} from '../../../core/fetch/urlPolicy';

const publicServices: UrlPolicy = {
	allowedHosts: [
		'api.pdf-sign.com',
		'pdfgorilla.io',
		'*.re-port-flow.com',
		'storage.googleapis.com',
		'bücher.example',
		'8.8.8.8',
		'[2606:4700:4700::1111]',
	],
	allowPrivateNetwork: false,
};

const selfHosted: UrlPolicy = {
	allowedHosts: ['127.0.0.1:8443', '[::1]:8443', 'files.internal'],
	allowPrivateNetwork: true,
};

function reasonOf(verdict: UrlVerdict): string {
	if (verdict.ok) throw new Error(`expected refusal, got ${verdict.url.href}`);
	return verdict.reason;
}

/** Policy that allows exactly the host of the URL under test, so only the address rule can refuse it. */
function allowingOnly(host: string, allowPrivateNetwork = false): UrlPolicy {
	return { allowedHosts: [host], allowPrivateNetwork };
}

describe('checkUrl', () => {
	describe('scheme and credentials', () => {
		it('accepts an https URL on an allowed host and returns the parsed URL', () => {
			const verdict = checkUrl('https://api.pdf-sign.com/files/a.pdf?sig=abc', publicServices);
			expect(verdict).toEqual({ ok: true, url: expect.any(URL) });
			expect(verdict.ok && verdict.url.pathname).toBe('/files/a.pdf');
		});

		it('refuses plain http by default', () => {
			expect(reasonOf(checkUrl('http://api.pdf-sign.com/a.pdf', publicServices))).toMatch(/only https/);
		});

		it('accepts http on the default port 80 when allowHttp is on', () => {
			const policy: UrlPolicy = { allowedHosts: ['files.internal'], allowPrivateNetwork: true, allowHttp: true };
			expect(checkUrl('http://files.internal/a.pdf', policy).ok).toBe(true);
		});

		it.each(['ftp://api.pdf-sign.com/a.pdf', 'file:///etc/passwd', 'data:application/pdf;base64,JVBERi0=', 'javascript:alert(1)'])(
			'refuses the non-http scheme in %s',
			(url) => {
				expect(reasonOf(checkUrl(url, { ...publicServices, allowHttp: true }))).toMatch(/scheme/);
			},
		);

		it.each(['not a url', '', '/relative/path.pdf', 'https://', 'https://1.2.3.999/'])('refuses the unparseable URL %j', (url) => {
			expect(reasonOf(checkUrl(url, publicServices))).toMatch(/not a valid absolute URL/);
		});

		it.each(['https://user:secret@api.pdf-sign.com/a.pdf', 'https://user@api.pdf-sign.com/a.pdf', 'https://:pw@api.pdf-sign.com/a.pdf'])(
			'refuses userinfo in %s',
			(url) => {
				expect(reasonOf(checkUrl(url, publicServices))).toMatch(/user name or password/);
			},
		);

		it('refuses a trusted name used as userinfo in front of a foreign host', () => {
			expect(checkUrl('https://api.pdf-sign.com@evil.com/a.pdf', publicServices).ok).toBe(false);
		});

		it('never puts the query string or credentials into the reason', () => {
			const reason = reasonOf(checkUrl('http://user:pw@evil.com/a.pdf?token=SECRET#frag', publicServices));
			expect(reason).not.toMatch(/SECRET|token|frag|pw/);
		});
	});

	describe('host matching', () => {
		it.each([
			'https://api.pdf-sign.com/a.pdf',
			'https://API.PDF-SIGN.COM/a.pdf',
			'https://api.pdf-sign.com./a.pdf',
			'https://api.pdf-sign.com:443/a.pdf',
			'https://pdfgorilla.io/api/v1/jobs/1/download',
			'https://ws1.re-port-flow.com/v1/file/download/u/f',
			'https://api.stg.re-port-flow.com/v1/file/download/u',
			'https://xn--bcher-kva.example/a.pdf',
			'https://bücher.example/a.pdf',
		])('accepts the allowed host in %s', (url) => {
			expect(checkUrl(url, publicServices).ok).toBe(true);
		});

		it.each([
			['a look-alike with the allowed name as a prefix', 'https://api.pdf-sign.com.evil.com/a.pdf'],
			['a look-alike with the allowed name as a suffix without a dot', 'https://evilpdfgorilla.io/a.pdf'],
			['a subdomain of an exact entry', 'https://www.pdfgorilla.io/a.pdf'],
			['the bare domain of a wildcard entry', 'https://re-port-flow.com/a.pdf'],
			['a look-alike of a wildcard entry', 'https://evilre-port-flow.com/a.pdf'],
			['a wildcard look-alike under another domain', 'https://ws1.re-port-flow.com.evil.com/a.pdf'],
			['a homograph with a Cyrillic letter (punycode differs)', 'https://аpi.pdf-sign.com/a.pdf'],
			['a backslash trick that moves the host', 'https://evil.com\\@api.pdf-sign.com/a.pdf'],
			['a fragment trick that moves the host', 'https://evil.com#@api.pdf-sign.com/a.pdf'],
			['a foreign host', 'https://example.org/a.pdf'],
		])('refuses %s', (_description, url) => {
			expect(reasonOf(checkUrl(url, publicServices))).toMatch(/not one of the hosts/);
		});

		it('names the refused host and the allowed hosts in the reason', () => {
			const reason = reasonOf(checkUrl('https://evil.com/a.pdf', { allowedHosts: ['api.pdf-sign.com'], allowPrivateNetwork: false }));
			expect(reason).toContain("'evil.com'");
			expect(reason).toContain('api.pdf-sign.com');
		});

		it('refuses everything when no hosts are allowed', () => {
			expect(reasonOf(checkUrl('https://api.pdf-sign.com/a.pdf', { allowedHosts: [], allowPrivateNetwork: true }))).toMatch(/none configured/);
		});

		it('matches allowed-host entries case-insensitively and ignores their trailing dot', () => {
			const policy: UrlPolicy = { allowedHosts: ['API.PDF-SIGN.COM.', '*.Re-Port-Flow.COM'], allowPrivateNetwork: false };
			expect(checkUrl('https://api.pdf-sign.com/a.pdf', policy).ok).toBe(true);
			expect(checkUrl('https://ws1.re-port-flow.com/a.pdf', policy).ok).toBe(true);
		});

		it('ignores entries that cannot be parsed instead of matching too much', () => {
			const policy: UrlPolicy = { allowedHosts: ['*', '', 'https://api.pdf-sign.com/', '*.'], allowPrivateNetwork: false };
			expect(checkUrl('https://api.pdf-sign.com/a.pdf', policy).ok).toBe(false);
			expect(checkUrl('https://evil.com/a.pdf', policy).ok).toBe(false);
		});
	});

	describe('port matching', () => {
		it('refuses a non-default port when the entry has no port', () => {
			expect(reasonOf(checkUrl('https://api.pdf-sign.com:8443/a.pdf', publicServices))).toMatch(/Port 8443 is not allowed.*443/);
		});

		it('accepts exactly the port of an entry with a port', () => {
			expect(checkUrl('https://127.0.0.1:8443/a.pdf', selfHosted).ok).toBe(true);
			expect(checkUrl('https://[::1]:8443/a.pdf', selfHosted).ok).toBe(true);
		});

		it('refuses other ports, including the default one, for an entry with a port', () => {
			expect(checkUrl('https://127.0.0.1:8444/a.pdf', selfHosted).ok).toBe(false);
			expect(checkUrl('https://127.0.0.1/a.pdf', selfHosted).ok).toBe(false);
		});

		it('treats an explicit :443 entry like the default https port', () => {
			expect(checkUrl('https://files.example/a.pdf', { allowedHosts: ['files.example:443'], allowPrivateNetwork: false }).ok).toBe(true);
		});

		it('refuses http on port 443 for an entry without port when allowHttp is on', () => {
			const policy: UrlPolicy = { allowedHosts: ['files.internal'], allowPrivateNetwork: true, allowHttp: true };
			expect(checkUrl('http://files.internal:443/a.pdf', policy).ok).toBe(false);
		});
	});

	describe('IP literals', () => {
		it.each([
			['loopback', 'https://127.0.0.1/a.pdf', '127.0.0.1'],
			['loopback in short form 127.1', 'https://127.1/a.pdf', '127.0.0.1'],
			['loopback as a decimal integer', 'https://2130706433/a.pdf', '127.0.0.1'],
			['loopback as a hex integer', 'https://0x7f000001/a.pdf', '127.0.0.1'],
			['loopback in mixed hex form 0x7f.1', 'https://0x7f.1/a.pdf', '127.0.0.1'],
			['loopback in octal form', 'https://0177.0.0.1/a.pdf', '127.0.0.1'],
			['IPv6 loopback', 'https://[::1]/a.pdf', '[::1]'],
			['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/a.pdf', '[::ffff:127.0.0.1]'],
			['IPv4-mapped loopback in hex', 'https://[::ffff:7f00:1]/a.pdf', '[::ffff:7f00:1]'],
			['private 10/8', 'https://10.1.2.3/a.pdf', '10.1.2.3'],
			['private 172.16/12 low end', 'https://172.16.0.1/a.pdf', '172.16.0.1'],
			['private 172.16/12 high end', 'https://172.31.255.254/a.pdf', '172.31.255.254'],
			['private 192.168/16', 'https://192.168.1.10/a.pdf', '192.168.1.10'],
			['cloud metadata 169.254.169.254', 'https://169.254.169.254/latest/meta-data/', '169.254.169.254'],
			['CGNAT 100.64/10', 'https://100.64.0.1/a.pdf', '100.64.0.1'],
			['IPv6 link-local fe80::', 'https://[fe80::1]/a.pdf', '[fe80::1]'],
			['IPv6 unique-local fc00::', 'https://[fc00::1]/a.pdf', '[fc00::1]'],
			['unspecified 0.0.0.0', 'https://0.0.0.0/a.pdf', '0.0.0.0'],
			['unspecified written as 0', 'https://0/a.pdf', '0.0.0.0'],
		])('refuses %s even when the host is allowed', (_description, url, allowedEntry) => {
			expect(reasonOf(checkUrl(url, allowingOnly(allowedEntry)))).toMatch(/non-public address.*Allow Private Network/);
		});

		it.each([
			['loopback', 'https://127.0.0.1/a.pdf'],
			['cloud metadata', 'https://169.254.169.254/latest/meta-data/'],
			['IPv6 loopback', 'https://[::1]/a.pdf'],
		])('refuses %s when the address is not among the allowed hosts', (_description, url) => {
			expect(checkUrl(url, publicServices).ok).toBe(false);
		});

		it('normalises integer IPv4 spellings before matching allowed hosts', () => {
			const verdict = checkUrl('https://2130706433/a.pdf', allowingOnly('127.0.0.1', true));
			expect(verdict.ok && verdict.url.hostname).toBe('127.0.0.1');
		});

		it.each(['https://8.8.8.8/a.pdf', 'https://[2606:4700:4700::1111]/a.pdf'])('accepts the public address in %s when it is an allowed host', (url) => {
			expect(checkUrl(url, publicServices).ok).toBe(true);
		});

		it('refuses a public address that is not an allowed host', () => {
			expect(reasonOf(checkUrl('https://1.1.1.1/a.pdf', publicServices))).toMatch(/not one of the hosts/);
		});

		it.each([
			'https://127.0.0.1:8443/a.pdf',
			'https://[::1]:8443/a.pdf',
		])('lets the private address in %s through with allowPrivateNetwork', (url) => {
			expect(checkUrl(url, selfHosted).ok).toBe(true);
		});

		it('does not let allowPrivateNetwork bypass the allowed hosts', () => {
			expect(checkUrl('https://10.0.0.5:8443/a.pdf', selfHosted).ok).toBe(false);
		});

		it('accepts a bare IPv6 allowed-host entry without brackets', () => {
			expect(checkUrl('https://[fd00::5]/a.pdf', allowingOnly('fd00::5', true)).ok).toBe(true);
		});
	});
});

describe('checkRedirect', () => {
	const current = new URL('https://pdfgorilla.io/api/v1/jobs/1/download?sig=abc');

	it('resolves a relative Location against the current URL', () => {
		const verdict = checkRedirect('../files/a.pdf?sig=new', current, publicServices);
		expect(verdict.ok && verdict.url.href).toBe('https://pdfgorilla.io/api/v1/jobs/files/a.pdf?sig=new');
	});

	it('accepts an absolute Location on another allowed host', () => {
		const verdict = checkRedirect('https://storage.googleapis.com/bucket/a.pdf?X-Goog-Signature=1', current, publicServices);
		expect(verdict.ok && verdict.url.hostname).toBe('storage.googleapis.com');
	});

	it('resolves a protocol-relative Location with the current scheme and checks its host', () => {
		const allowed = checkRedirect('//ws1.re-port-flow.com/a.pdf', current, publicServices);
		expect(allowed.ok && allowed.url.href).toBe('https://ws1.re-port-flow.com/a.pdf');
		expect(reasonOf(checkRedirect('//evil.com/a.pdf', current, publicServices))).toMatch(/not one of the hosts/);
	});

	it('refuses a redirect to a foreign host and says it was a redirect', () => {
		const reason = reasonOf(checkRedirect('https://evil.com/a.pdf?token=SECRET', current, publicServices));
		expect(reason).toMatch(/^Redirect from https:\/\/pdfgorilla\.io\/api\/v1\/jobs\/1\/download refused: /);
		expect(reason).not.toMatch(/SECRET|sig=/);
	});

	it('refuses a redirect to plain http', () => {
		expect(reasonOf(checkRedirect('http://pdfgorilla.io/a.pdf', current, publicServices))).toMatch(/plain http/);
	});

	it('refuses an https-to-http downgrade even when allowHttp is on', () => {
		expect(reasonOf(checkRedirect('http://pdfgorilla.io/a.pdf', current, { ...publicServices, allowHttp: true }))).toMatch(/downgrades are refused/);
	});

	it('allows http-to-http redirects when allowHttp is on', () => {
		const policy: UrlPolicy = { allowedHosts: ['files.internal'], allowPrivateNetwork: true, allowHttp: true };
		expect(checkRedirect('/b.pdf', new URL('http://files.internal/a.pdf'), policy).ok).toBe(true);
	});

	it('refuses a redirect to a private address', () => {
		const policy = { ...publicServices, allowedHosts: [...publicServices.allowedHosts, '169.254.169.254'] };
		expect(reasonOf(checkRedirect('https://169.254.169.254/latest/', current, policy))).toMatch(/non-public address/);
	});

	it.each([undefined, '', '   '])('refuses a redirect without a Location (%j)', (location) => {
		expect(reasonOf(checkRedirect(location, current, publicServices))).toMatch(/without a Location/);
	});

	it('refuses a Location that cannot be resolved', () => {
		expect(reasonOf(checkRedirect('https://[::1', current, publicServices))).toMatch(/invalid URL/);
	});
});

describe('redactUrl', () => {
	it('drops the query string and fragment', () => {
		expect(redactUrl('https://storage.googleapis.com/b/a.pdf?X-Goog-Signature=abc#page=2')).toBe('https://storage.googleapis.com/b/a.pdf');
	});

	it('drops userinfo and keeps a non-default port', () => {
		expect(redactUrl(new URL('https://user:pw@files.internal:8443/a.pdf?t=1'))).toBe('https://files.internal:8443/a.pdf');
	});

	it('does not echo an unparseable URL, which may hold a token', () => {
		expect(redactUrl('not a url?token=SECRET')).toBe('(invalid URL)');
	});

	it('shortens very long URLs', () => {
		expect(redactUrl(`https://a.example/${'x'.repeat(1000)}`).length).toBeLessThanOrEqual(301);
	});
});

describe('checkConnectedAddress', () => {
	const strict: UrlPolicy = { allowedHosts: ['api.pdf-sign.com'], allowPrivateNetwork: false };
	const permissive: UrlPolicy = { allowedHosts: ['api.pdf-sign.com'], allowPrivateNetwork: true };

	it.each(['8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('accepts the public address %s', (address) => {
		expect(checkConnectedAddress(address, strict)).toBeUndefined();
	});

	it.each(['127.0.0.1', '10.0.0.5', '169.254.169.254', '::1', 'fe80::1%eth0', '::ffff:127.0.0.1', '::ffff:10.0.0.5'])(
		'refuses the non-public address %s (DNS rebinding)',
		(address) => {
			expect(checkConnectedAddress(address, strict)).toMatch(/resolved to .*non-public.*Allow Private Network/);
		},
	);

	it.each([undefined, '', 'not-an-ip'])('fails closed on an unknown address %j', (address) => {
		expect(checkConnectedAddress(address, strict)).toBeDefined();
	});

	it.each([undefined, '127.0.0.1', '::1', '10.0.0.5'])('lets %j through with allowPrivateNetwork', (address) => {
		expect(checkConnectedAddress(address, permissive)).toBeUndefined();
	});
});

describe('isPrivateAddress', () => {
	it.each([
		['127.0.0.1', 'loopback'],
		['127.255.255.255', 'loopback upper end'],
		['0.0.0.0', 'unspecified'],
		['0.1.2.3', '"this network" 0/8'],
		['10.255.0.1', 'private 10/8'],
		['172.16.0.0', 'private 172.16/12 lower end'],
		['172.31.255.255', 'private 172.16/12 upper end'],
		['192.168.0.1', 'private 192.168/16'],
		['100.64.0.0', 'CGNAT lower end'],
		['100.127.255.255', 'CGNAT upper end'],
		['169.254.169.254', 'link-local / cloud metadata'],
		['192.0.0.8', 'IETF protocol assignments'],
		['192.0.2.1', 'documentation TEST-NET-1'],
		['198.51.100.1', 'documentation TEST-NET-2'],
		['203.0.113.1', 'documentation TEST-NET-3'],
		['198.18.0.1', 'benchmarking lower half'],
		['198.19.255.255', 'benchmarking upper half'],
		['224.0.0.1', 'multicast'],
		['239.255.255.250', 'multicast upper'],
		['240.0.0.1', 'reserved'],
		['255.255.255.255', 'broadcast'],
		['::', 'IPv6 unspecified'],
		['::1', 'IPv6 loopback'],
		['[::1]', 'IPv6 loopback in brackets'],
		['fe80::1', 'link-local'],
		['febf:ffff::1', 'link-local upper end'],
		['fe80::1%eth0', 'link-local with zone id'],
		['fc00::1', 'unique-local fc'],
		['fd12:3456::1', 'unique-local fd'],
		['ff02::1', 'multicast'],
		['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
		['::ffff:7f00:1', 'IPv4-mapped loopback in hex'],
		['::ffff:a9fe:a9fe', 'IPv4-mapped metadata address'],
		['::127.0.0.1', 'IPv4-compatible loopback'],
		['64:ff9b::10.0.0.1', 'NAT64 of a private address'],
		['64:ff9b:1::1', 'local-use NAT64'],
		['2002:7f00:1::', '6to4 of loopback'],
		['2002:c0a8:101::1', '6to4 of 192.168.1.1'],
		['2001:db8::1', 'documentation'],
		['3fff::1', 'documentation (RFC 9637)'],
		['2001::1', 'Teredo'],
		['100::1', 'discard-only'],
		['127.1', 'loopback in short form'],
		['2130706433', 'loopback as an integer'],
		['0x7f.1', 'loopback in hex form'],
		['10.1', 'private in short form (10.0.0.1)'],
	])('treats %s (%s) as private', (address) => {
		expect(isPrivateAddress(address)).toBe(true);
	});

	it.each([
		['8.8.8.8', 'public IPv4'],
		['1.1.1.1', 'public IPv4'],
		['172.15.255.255', 'just below 172.16/12'],
		['172.32.0.0', 'just above 172.16/12'],
		['100.63.255.255', 'just below CGNAT'],
		['100.128.0.0', 'just above CGNAT'],
		['198.17.255.255', 'just below benchmarking'],
		['198.20.0.0', 'just above benchmarking'],
		['223.255.255.255', 'just below multicast'],
		['2606:4700:4700::1111', 'public IPv6'],
		['2a00:1450:4001:82b::200e', 'public IPv6'],
		['::ffff:8.8.8.8', 'IPv4-mapped public'],
		['64:ff9b::8.8.8.8', 'NAT64 of a public address'],
		['2002:808:808::1', '6to4 of a public address'],
		['8.8.2056', 'public in short form, read as the URL parser does (8.8.8.8)'],
	])('treats %s (%s) as public', (address) => {
		expect(isPrivateAddress(address)).toBe(false);
	});

	it.each(['', 'example.com', '1.2.3.4.5', '256.1.1.1', '1::2::3', '::ffff:1.2.3.999', '12345::', '1:2:3:4:5:6:7:8:9', 'a@8.8.8.8'])(
		'treats the unparseable %j as private (fail closed)',
		(address) => {
			expect(isPrivateAddress(address)).toBe(true);
		},
	);
});
