// Receives a tenant's change events the way the RFPIO application would: poll (RFC 8936), verify each SET's ES256
// signature against the service's JWKS, print it, acknowledge it, repeat. Node.js 20+, no packages.
//   node tools/events-example/poll.mjs <operator-api-base> <operator-key> <tenant> <stream-id>
//   e.g. node tools/events-example/poll.mjs http://127.0.0.1:8081 "$(cat src/Silo/data/admin-api-key)" acme <id>
import { createPublicKey, verify } from 'node:crypto';

const [base, key, tenant, stream] = process.argv.slice(2);
if (!stream) {
  console.error('usage: node poll.mjs <operator-api-base> <operator-key> <tenant> <stream-id>');
  process.exit(2);
}
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

const jwks = await (await fetch(`${base}/admin/v1/jwks`, { headers })).json();
const keys = new Map(jwks.keys.map((jwk) => [jwk.kid, createPublicKey({ key: jwk, format: 'jwk' })]));

let ack = [];
for (;;) {
  // Without returnImmediately the service holds the request until an event arrives (or its long-poll time ends).
  const response = await fetch(`${base}/admin/v1/tenants/${tenant}/streams/${stream}/poll`, {
    method: 'POST', headers, body: JSON.stringify({ ack, maxEvents: 50 }),
  });
  if (!response.ok) throw new Error(`poll answered ${response.status}: ${await response.text()}`);
  const { sets } = await response.json();
  ack = [];
  for (const [jti, jws] of Object.entries(sets)) {
    const [header, payload, signature] = jws.split('.');
    const { kid, alg } = decode(header);
    const publicKey = keys.get(kid);
    const valid = alg === 'ES256' && publicKey && verify('sha256', Buffer.from(`${header}.${payload}`),
      { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
    if (!valid) throw new Error(`SET ${jti} does not verify`);
    const claims = decode(payload);
    const [event, body] = Object.entries(claims.events)[0];
    console.log(`${jti} ${event.split(':').slice(-2).join(':')} ${claims.sub_id.uri} ${body.version ?? ''} ${(body.attributes ?? []).join(',')}`);
    ack.push(jti); // acknowledged on the next poll; unacknowledged SETs come back
  }
}
