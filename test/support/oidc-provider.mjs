// A real OpenID Connect provider (the `oidc-provider` package, with its development login and
// consent pages) on loopback, for the console's SSO test: one public client that must use PKCE,
// whose accounts are whatever login is typed (the login is the `sub`). Prints its issuer URL.
// Usage: node oidc-provider.mjs <client_id> <redirect_uri>
import Provider from 'oidc-provider';
import { createServer } from 'node:http';

const [clientId, redirectUri] = process.argv.slice(2);
const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      token_endpoint_auth_method: 'none',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  pkce: { required: () => true },
  findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
  cookies: { keys: ['a test key for the provider cookies'] },
});
// The development pages warn on stderr; the test reads only stdout.
server.on('request', provider.callback());
process.stdout.write(`${issuer}\n`);
