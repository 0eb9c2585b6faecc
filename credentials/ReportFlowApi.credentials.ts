import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/** This credential's field names: the one place they are spelled; descriptors, nodes and tests use these. */
export const REPORT_FLOW_API_FIELDS = {
	environment: 'environment',
	workspaceId: 'workspaceId',
	baseUrl: 'baseUrl',
	apiKey: 'apiKey',
	secretKey: 'secretKey',
} as const;

/**
 * ReportFlow documents two API forms: the webhook page's workspace host with AppKey and
 * SecretKey headers, and the current api.re-port-flow.com host with one `appkey` header.
 * Both are supported; the base URL follows from the chosen form.
 */
export class ReportFlowApi implements ICredentialType {
	name = 'reportFlowApi';

	displayName = 'ReportFlow API';

	icon = { light: 'file:../nodes/ReportFlow/reportflow.svg', dark: 'file:../nodes/ReportFlow/reportflow.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-pdf-webhooks/n8n-nodes-pdf-webhooks#reportflow';

	properties: INodeProperties[] = [
		{
			displayName: 'API Host',
			name: REPORT_FLOW_API_FIELDS.environment,
			type: 'options',
			default: 'production',
			options: [
				{ name: 'Production (api.re-port-flow.com)', value: 'production' },
				{ name: 'Staging (api.stg.re-port-flow.com)', value: 'staging' },
				{ name: 'Workspace Host ({workspace}.re-port-flow.com)', value: 'workspace' },
				{ name: 'Custom Base URL', value: 'custom' },
			],
			description: 'Workspace Host is the older form the webhook page shows; new accounts use Production',
		},
		{
			displayName: 'Workspace ID',
			name: REPORT_FLOW_API_FIELDS.workspaceId,
			type: 'string',
			default: '',
			placeholder: 'e.g. ws_abc123',
			displayOptions: { show: { [REPORT_FLOW_API_FIELDS.environment]: ['workspace'] } },
			required: true,
		},
		{
			displayName: 'Base URL',
			name: REPORT_FLOW_API_FIELDS.baseUrl,
			type: 'string',
			default: 'https://api.re-port-flow.com/v1',
			displayOptions: { show: { [REPORT_FLOW_API_FIELDS.environment]: ['custom'] } },
			description: 'For a proxy or a test server',
		},
		{
			displayName: 'App Key',
			name: REPORT_FLOW_API_FIELDS.apiKey,
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'ak_…',
			description: 'Sent as the AppKey header',
		},
		{
			displayName: 'Secret Key',
			name: REPORT_FLOW_API_FIELDS.secretKey,
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Sent as the SecretKey header when set (the workspace-host form needs it; the current API does not)',
		},
	];

	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const headers: Record<string, string> = { AppKey: String(credentials.apiKey ?? '') };
		// An empty SecretKey header is not the same as none; only send it when there is one.
		if (typeof credentials.secretKey === 'string' && credentials.secretKey !== '') headers.SecretKey = credentials.secretKey;
		return { ...requestOptions, headers: { ...requestOptions.headers, ...headers } };
	}

	// Listing designs is read-only and needs a valid key.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : $credentials.environment === "workspace" ? "https://" + $credentials.workspaceId + ".re-port-flow.com/v1" : $credentials.environment === "staging" ? "https://api.stg.re-port-flow.com/v1" : "https://api.re-port-flow.com/v1" }}',
			url: '/file/designs',
			method: 'GET',
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: 'ReportFlow rejected the App Key / Secret Key (401)' } },
			{ type: 'responseCode', properties: { value: 412, message: 'ReportFlow did not receive the authentication headers (412)' } },
		],
	};
}
