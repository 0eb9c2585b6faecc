import { isApiUrl, type ApiAccess } from '../../../core/fetch/transport';

const pdfSign: ApiAccess = { credentialType: 'pdfSignApi', origin: 'https://api.pdf-sign.com', basePath: '/functions/v1' };

describe('isApiUrl: where an API credential may go', () => {
	test.each([
		['https://api.pdf-sign.com/functions/v1', true],
		['https://api.pdf-sign.com/functions/v1/generate-pdf-preview', true],
		// PDF-Sign serves public files from the API host on another path: no key there.
		['https://api.pdf-sign.com/storage/v1/object/public/pdfs/a.pdf', false],
		['https://api.pdf-sign.com/functions/v10/x', false],
		['https://api.pdf-sign.com:8443/functions/v1/x', false],
		['http://api.pdf-sign.com/functions/v1/x', false],
		['https://evil.example/functions/v1/x', false],
	])('%s → %s', (url, expected) => {
		expect(isApiUrl(new URL(url), pdfSign)).toBe(expected);
	});

	test('a base URL without a path covers the whole origin', () => {
		const api: ApiAccess = { credentialType: 'x', origin: 'https://api.example.com', basePath: '' };
		expect(isApiUrl(new URL('https://api.example.com/anything'), api)).toBe(true);
	});

	test('no API, or an unusable base URL, covers nothing', () => {
		expect(isApiUrl(new URL('https://api.example.com/x'), undefined)).toBe(false);
		expect(isApiUrl(new URL('https://api.example.com/x'), { credentialType: 'x', origin: '', basePath: '' })).toBe(false);
	});
});
