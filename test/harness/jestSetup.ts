// n8n starts in 20-40 s and some suites send thousands of requests.
jest.setTimeout(15 * 60_000);
