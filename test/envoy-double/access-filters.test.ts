// Unit tests of the double's access filters: RBAC principals (CIDR families, and/or/not, DENY), the client
// address with trusted X-Forwarded-For hops, basic auth's answers, the PROXY protocol parser, and the support
// check refusing RBAC and basic_auth config the double does not model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { createHash } from 'node:crypto';
import { pack } from '../../src/xds/encode';
import { decodeMessage, encodeMessage } from '../../src/xds/encode';
import { rbacAllows, checkRbacPerRoute } from './rbac';
import { basicAuthRefusal, checkBasicAuthPerRoute } from './basic-auth';
import { requestAddresses } from './client-address';
import { readProxyHeader } from './proxy-protocol';
import { SupportProblems } from './support-fields';

const ROUTE = 'envoy.config.route.v3.Route';

/** A route's typed_per_filter_config as the double receives it (encoded, then decoded). */
function perFilter(name: string, any: ReturnType<typeof pack>): Record<string, unknown> {
  const route = {
    match: { prefix: '/' },
    direct_response: { status: 200 },
    typed_per_filter_config: { [name]: any },
  };
  return decodeMessage(ROUTE, encodeMessage(ROUTE, route)).typed_per_filter_config as Record<string, unknown>;
}

const cidr = (address_prefix: string, value: number) => ({ address_prefix, prefix_len: { value } });

test('RBAC principals: CIDR families, and/or/not, ALLOW and DENY', () => {
  const rules = (action: 'ALLOW' | 'DENY', principal: object) =>
    perFilter(
      'envoy.filters.http.rbac',
      pack('envoy.extensions.filters.http.rbac.v3.RBACPerRoute', {
        rbac: {
          rules: { action, policies: { p: { permissions: [{ any: true }], principals: [principal] } } },
        },
      }),
    );
  const allowTenNotNine = rules('ALLOW', {
    and_ids: {
      ids: [
        {
          or_ids: {
            ids: [{ direct_remote_ip: cidr('10.0.0.0', 8) }, { direct_remote_ip: cidr('2001:db8::', 32) }],
          },
        },
        { not_id: { direct_remote_ip: cidr('10.9.0.0', 16) } },
      ],
    },
  });
  const at = (direct: string, remote = direct) => rbacAllows(allowTenNotNine, { direct, remote });
  assert.equal(at('10.1.2.3'), true);
  assert.equal(at('::ffff:10.1.2.3'), true, 'an IPv4-mapped peer is its IPv4 address');
  assert.equal(at('10.9.0.1'), false, 'denied inside the allowed block');
  assert.equal(at('2001:db8::7'), true);
  assert.equal(at('192.0.2.1'), false);
  assert.equal(at('192.0.2.1', '10.1.2.3'), false, 'direct_remote_ip ignores the inferred address');
  const byRemote = rules('ALLOW', { remote_ip: cidr('10.0.0.0', 8) });
  assert.equal(rbacAllows(byRemote, { direct: '192.0.2.1', remote: '10.1.2.3' }), true);
  const deny = rules('DENY', { direct_remote_ip: cidr('192.0.2.0', 24) });
  assert.deepEqual(
    ['192.0.2.9', '198.51.100.1'].map((a) => rbacAllows(deny, { direct: a, remote: a })),
    [false, true],
  );
  assert.equal(rbacAllows(undefined, { direct: '192.0.2.1', remote: '192.0.2.1' }), true, 'no policy');
});

test('the support check refuses RBAC and basic_auth config the double does not model', () => {
  const check = new SupportProblems();
  const headerPrincipal = perFilter(
    'envoy.filters.http.rbac',
    pack('envoy.extensions.filters.http.rbac.v3.RBACPerRoute', {
      rbac: {
        rules: {
          action: 'LOG',
          policies: {
            p: { permissions: [{ destination_port: 80 }], principals: [{ header: { name: 'x' } }] },
          },
        },
      },
    }),
  );
  checkRbacPerRoute(headerPrincipal['envoy.filters.http.rbac'], 'r', check);
  const md5 = perFilter(
    'envoy.filters.http.basic_auth',
    pack('envoy.extensions.filters.http.basic_auth.v3.BasicAuthPerRoute', {
      users: { inline_string: 'alice:$apr1$x$y\n' },
    }),
  );
  checkBasicAuthPerRoute(md5['envoy.filters.http.basic_auth'], 'b', check);
  assert.deepEqual(check.problems, [
    'r.rbac.rules.action: envoy-double implements ALLOW and DENY (got LOG)',
    'r.rbac.rules.policies[p].permissions[0]: envoy-double implements only the permission any: true',
    'r.rbac.rules.policies[p].principals[0].header: envoy-double does not implement this field',
    'b.users: envoy-double checks only {SHA} htpasswd entries',
  ]);
});

test('trusted hops: the Nth X-Forwarded-For entry from the right, else the connection address', () => {
  const hcm = (hops: number) => ({ xff_num_trusted_hops: hops });
  const connection = { directRemoteAddress: '127.0.0.1', remoteAddress: '192.0.2.50' };
  const xff = new Map([['x-forwarded-for', ['1.1.1.1, 2.2.2.2', '3.3.3.3']]]);
  assert.deepEqual(requestAddresses(hcm(0), connection, xff), { direct: '127.0.0.1', remote: '192.0.2.50' });
  assert.equal(requestAddresses(hcm(1), connection, xff).remote, '3.3.3.3');
  assert.equal(requestAddresses(hcm(3), connection, xff).remote, '1.1.1.1');
  assert.equal(requestAddresses(hcm(4), connection, xff).remote, '192.0.2.50', 'fewer entries than hops');
});

test("basic auth: Envoy's 401 texts for missing and wrong credentials", () => {
  const sha = `{SHA}${createHash('sha1').update('pw').digest('base64')}`;
  const config = perFilter(
    'envoy.filters.http.basic_auth',
    pack('envoy.extensions.filters.http.basic_auth.v3.BasicAuthPerRoute', {
      users: { inline_string: `alice:${sha}\n` },
    }),
  );
  const auth = (value?: string) =>
    basicAuthRefusal(config, new Map(value === undefined ? [] : [['authorization', [value]]]));
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  assert.equal(auth(), 'User authentication failed. Missing username and password.');
  assert.equal(auth('Bearer x'), 'User authentication failed. Missing username and password.');
  assert.equal(
    auth(`Basic ${b64('alice:nope')}`),
    'User authentication failed. Invalid username/password combination.',
  );
  assert.equal(auth(`Basic ${b64('alice:pw')}`), undefined);
  assert.equal(
    basicAuthRefusal(undefined, new Map()),
    undefined,
    'a route without users is not authenticated',
  );
});

test('the PROXY protocol parser: v1, v2 (IPv4, IPv6, LOCAL), and garbage', async (t) => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const parse = (bytes: Buffer) =>
    new Promise<Awaited<ReturnType<typeof readProxyHeader>>>((resolve) => {
      server.once(
        'connection',
        (socket) => void readProxyHeader(socket).then((h) => (socket.destroy(), resolve(h))),
      );
      const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1', () =>
        client.end(bytes),
      );
    });
  const sig = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
  const v2 = (command: number, family: number, body: Buffer) =>
    Buffer.concat([sig, Buffer.from([0x20 | command, family, 0, body.length]), body, Buffer.from('GET')]);
  const v1 = await parse(Buffer.from('PROXY TCP4 203.0.113.7 127.0.0.1 5555 80\r\nGET'));
  assert.deepEqual(v1.ok && [v1.source, v1.rest.toString()], ['203.0.113.7', 'GET']);
  const ipv4 = await parse(v2(1, 0x11, Buffer.from([203, 0, 113, 8, 127, 0, 0, 1, 0, 1, 0, 80])));
  assert.deepEqual(ipv4.ok && [ipv4.source, ipv4.rest.toString()], ['203.0.113.8', 'GET']);
  const six = Buffer.alloc(36);
  six.writeUInt16BE(0x2001, 0);
  six.writeUInt16BE(0xdb8, 2);
  six.writeUInt16BE(7, 14);
  const ipv6 = await parse(v2(1, 0x21, six));
  assert.equal(ipv6.ok && ipv6.source, '2001:db8:0:0:0:0:0:7');
  const local = await parse(v2(0, 0, Buffer.alloc(0)));
  assert.deepEqual(local.ok && local.source, undefined, 'LOCAL keeps the peer address');
  assert.equal((await parse(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).ok, false);
});
