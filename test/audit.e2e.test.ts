// GraphQL over HTTP conformance of the router, checked with graphql-http's server audit.
// Every MUST-level audit has to pass. Two levels below that are allowed to fail:
//
// SHOULD-level audits the router does not meet (`warn`), all about legacy `application/json` clients:
//   - SHOULD use 200 status code on document parsing failure when accepting application/json
//   - SHOULD use 200 status code on document validation failure when accepting application/json
//   - SHOULD use a status code of 200 on variable coercion failure when accepting application/json
// Why: Apollo Server answers documents that fail to parse or validate with 400 whatever the Accept header
// says; 400 is also what `application/graphql-response+json` clients must get, so one answer serves both.
//
// MAY-level audits the router does not meet (`notice`). Apollo's CSRF prevention blocks all three: the audit's
// GET requests carry no preflight-forcing header:
//   - MAY accept application/x-www-form-urlencoded formatted GET requests
//   - MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json
//   - MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json
import { auditServer, type AuditFail } from 'graphql-http';
import { describe, expect, inject, it } from 'vitest';

const url = inject('routerUrl');

describe('GraphQL over HTTP conformance (graphql-http server audit)', () => {
  it('passes every MUST-level audit', async () => {
    const results = await auditServer({ url });
    const errors = results.filter((result): result is AuditFail => result.status === 'error');
    const report = await Promise.all(
      errors.map(
        async (error) => `${error.name}: ${error.reason} (got ${error.response.status} ${await error.response.text()})`,
      ),
    );
    expect(report, report.join('\n')).toEqual([]);
  });
});
