/**
 * The harness for the real servers (issue 25) cannot run here (no Docker engine), so it is kept
 * valid and in step instead: docker-compose.yml, scripts/test-servers.sh and the hosted-runner
 * workflow parse; each profile's connection strings reach the ports its services publish; the
 * cluster is three nodes seeding each other; and the script sets exactly the variables the suites
 * it runs read, no more and no fewer.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Service {
  readonly profiles?: string[];
  readonly ports?: string[];
  readonly environment?: Record<string, string>;
  readonly command?: string[];
  readonly networks?: Record<string, { ipv4_address: string }>;
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const script = read('scripts/test-servers.sh');

function servicesOf(profile: string): Array<[string, Service]> {
  return Object.entries(compose.services).filter(([, s]) => s.profiles?.includes(profile));
}

const publishedPorts = (profile: string) =>
  new Set(servicesOf(profile).flatMap(([, s]) => (s.ports ?? []).map((p) => Number(p.split(':')[0]))));

/** host:port pairs of a connection string (esdb://a:1,b:2?… or mongodb://a:1/?…). */
const endpointsOf = (uri: string) =>
  uri
    .replace(/^[a-z+]+:\/\//, '')
    .split(/[/?]/)[0]
    .split(',')
    .map((hostPort) => Number(hostPort.split(':')[1]));

describe('the harness for the real servers', () => {
  it('parses, and the script is valid shell', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['kurrentdb', 'kurrentdb-1', 'kurrentdb-2', 'kurrentdb-3', 'mongodb'].sort(),
    );
    expect(() => execFileSync('bash', ['-n', join(ROOT, 'scripts/test-servers.sh')])).not.toThrow();
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts['test:servers']).toBe('scripts/test-servers.sh');
  });

  it('reaches, in each profile, the ports its services publish', () => {
    const mongo = /MONGODB_URI='([^']+)'/.exec(script)![1];
    for (const profile of ['single', 'cluster']) {
      const esdb = new RegExp(`${profile}\\) esdb='([^']+)'`).exec(script)![1];
      const ports = publishedPorts(profile);
      for (const port of [...endpointsOf(esdb), ...endpointsOf(mongo)])
        expect({ profile, port, published: ports.has(port) }).toEqual({ profile, port, published: true });
      expect(esdb).toContain('tls=false');
    }
    expect(mongo).toContain('replicaSet=rs0');
    expect(compose.services.mongodb.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
  });

  it('makes the cluster three nodes that seed each other and advertise the ports clients reach', () => {
    const nodes = servicesOf('cluster').filter(([name]) => name.startsWith('kurrentdb'));
    expect(nodes).toHaveLength(3);
    const ipOf = new Map(nodes.map(([name, s]) => [name, s.networks!.cluster.ipv4_address]));
    for (const [name, node] of nodes) {
      const env = node.environment!;
      expect(env.KURRENTDB_CLUSTER_SIZE).toBe('3');
      expect(env.KURRENTDB_INSECURE).toBe('true');
      expect(env.KURRENTDB_REPLICATION_IP).toBe(ipOf.get(name));
      const seeds = env.KURRENTDB_GOSSIP_SEED.split(',').map((seed) => seed.split(':')[0]);
      expect(seeds.sort()).toEqual(
        [...ipOf]
          .filter(([other]) => other !== name)
          .map(([, ip]) => ip)
          .sort(),
      );
      expect(node.ports).toEqual([`${env.KURRENTDB_ADVERTISE_NODE_PORT_TO_CLIENT_AS}:2113`]);
    }
  });

  it('sets exactly the variables the suites it runs read', () => {
    const suites = [...script.matchAll(/(test\/\S+\.int-spec\.ts)/g)].map((m) => m[1]);
    expect(suites).toHaveLength(3);
    const readBySuites = new Set<string>();
    for (const suite of suites) {
      expect(existsSync(join(ROOT, suite))).toBe(true);
      for (const m of read(suite).matchAll(/process\.env\.([A-Z_]+)/g)) readBySuites.add(m[1]);
    }
    const set = new Set([...script.matchAll(/^\s*([A-Z_]+)=["']/gm)].map((m) => m[1]));
    expect([...set].sort()).toEqual([...readBySuites].sort());
  });

  it('runs, on the hosted runner, both profiles through the same script', () => {
    const workflow = parse(read('.github/workflows/servers.yml')) as {
      jobs: Record<string, { strategy: { matrix: { profile: string[] } }; steps: Array<{ run?: string }> }>;
    };
    const job = workflow.jobs.servers;
    expect(job.strategy.matrix.profile).toEqual(['single', 'cluster']);
    expect(job.steps.map((s) => s.run).filter(Boolean)).toEqual([
      'npm install',
      'npm run test:servers -- ${{ matrix.profile }}',
    ]);
  });
});
