// The cluster flags of `kxds serve`: leader election on by default only in-cluster, lease timing checks,
// one edge address flag at most, and no cluster flags (--issue-certificates neither) with the manifest source.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterFlags } from '../../src/commands/cluster-options';
import {
  edgeAddressFlags,
  leaderElectionSettings,
  prepareClusterMode,
  provisionerSettings,
} from '../../src/commands/cluster-setup';
import { silentLogger } from '../../src/log';
import { IN_CLUSTER_ORIGIN } from '../../src/sources/kube-config';
import { SubjectSource } from '../helpers/subject-source';

const defaults: ClusterFlags = {
  leaseNamespace: 'kxds',
  leaseName: 'kxds-leader',
  leaseDuration: '15',
  leaseRenewDeadline: '10',
  leaseRetryPeriod: '2',
  webhookConfiguration: 'kxds-sidecar-injector',
  certificateCheckInterval: '3600',
  gatewayProvisioner: true,
  gatewayEnvoyImage: 'envoyproxy/envoy:v1.33.2',
  gatewayXdsServer: 'kxds.kxds.svc:18000',
};
/** The flags of other groups that cluster mode reads too. */
const serveFlags = {
  namespace: [],
  kxdsNamespace: 'kxds',
  webhookService: 'kxds',
  trustDomain: 'cluster.local',
};

test('leader election defaults to on in-cluster and off with a kubeconfig; the flags override', () => {
  assert.deepEqual(leaderElectionSettings(defaults, IN_CLUSTER_ORIGIN), {
    namespace: 'kxds',
    name: 'kxds-leader',
    leaseDurationSeconds: 15,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
  });
  assert.equal(leaderElectionSettings(defaults, 'kubeconfig /tmp/x'), undefined);
  assert.equal(leaderElectionSettings({ ...defaults, leaderElect: false }, IN_CLUSTER_ORIGIN), undefined);
  assert.equal(
    leaderElectionSettings({ ...defaults, leaderElect: true }, 'kubeconfig /tmp/x')?.retryPeriodMs,
    2000,
  );
});

test('lease timings are checked', () => {
  const on = { ...defaults, leaderElect: true };
  assert.throws(
    () => leaderElectionSettings({ ...on, leaseDuration: '2.5' }, ''),
    /--lease-duration.*whole seconds/,
  );
  assert.throws(() => leaderElectionSettings({ ...on, leaseDuration: 'x' }, ''), /--lease-duration: "x"/);
  assert.throws(
    () => leaderElectionSettings({ ...on, leaseRenewDeadline: '15' }, ''),
    /renew-deadline must be shorter/,
  );
  assert.throws(
    () => leaderElectionSettings({ ...on, leaseRetryPeriod: '10' }, ''),
    /retry-period must be shorter/,
  );
  assert.equal(
    leaderElectionSettings(
      { ...on, leaseDuration: '3', leaseRenewDeadline: '2', leaseRetryPeriod: '0.5' },
      '',
    )?.retryPeriodMs,
    500,
  );
});

test('at most one edge address flag, and a well-formed Service reference', () => {
  assert.throws(
    () => edgeAddressFlags({ ...defaults, edgeService: 'a/b', publishAddress: '1.2.3.4' }),
    /exclude each other/,
  );
  assert.throws(() => edgeAddressFlags({ ...defaults, edgeService: 'no-slash' }), /not NAMESPACE\/NAME/);
  assert.deepEqual(edgeAddressFlags({ ...defaults, edgeService: 'kxds/edge' }), { edgeService: 'kxds/edge' });
});

test('cluster flags with the manifest source are an error naming them; none is fine', () => {
  const source = new SubjectSource();
  assert.throws(
    () =>
      prepareClusterMode(
        { ...defaults, ...serveFlags, leaderElect: true, publishAddress: '1.2.3.4', issueCertificates: true },
        source,
        silentLogger,
      ),
    /--leader-elect, --publish-address, --issue-certificates: only with the Kubernetes API source/,
  );
  assert.equal(prepareClusterMode({ ...defaults, ...serveFlags }, source, silentLogger), undefined);
});

test('the provisioner is on by default and off with --no-gateway-provisioner; its bootstrap names the Gateway', () => {
  assert.equal(provisionerSettings({ ...defaults, gatewayProvisioner: false }), undefined);
  const settings = provisionerSettings({ ...defaults, gatewayXdsTlsSecret: 'gw-xds-tls' });
  assert.ok(settings);
  assert.equal(settings.image, 'envoyproxy/envoy:v1.33.2');
  assert.equal(settings.xdsTlsSecret, 'gw-xds-tls');
  assert.equal(settings.privilegedPortOffset, 10000);
  const bootstrap = settings.bootstrap('infra/web');
  assert.match(bootstrap, /kxds.io\/gateway: infra\/web/);
  assert.match(bootstrap, /\/etc\/kxds-tls\/tls.crt/);
  assert.match(bootstrap, /address: kxds.kxds.svc/);
});
