/** Fake provider servers for end-to-end tests: see README.md in this folder. */
export * from './faults';
export * from './http-client';
export * from './payloads';
export * from './pdf';
export * from './receiver';
export * from './server';
export * from './tls';
export * from './webhooks';
export * from './zip';
export type { RecordedRequest, RequestFilter } from './router';
export type { ServiceName, DeepPartial, JsonValue } from './util';
export { SERVICE_NAMES } from './util';
export * from './services/reportflow';
export * from './services/docgenlab';
export * from './services/docflo';
export * from './services/pdfgorilla';
export * from './services/pdfsign';
